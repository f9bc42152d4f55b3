import { bandRows } from './bands';
import { ModnnError } from './errors';
import { nodeIndex, type GraphNode } from './graph';
import type { GraphWeights, WeightArray } from './model-graph';
import type { ModnnPlan } from './plan-types';

/**
 * The shape every weight of `node` must have on `device`: conv `kernel [k, k, in, out]` (`bias [out]`),
 * batchnorm `gamma`, `beta`, `movingMean`, `movingVariance` `[channels]`, and the device's slice of
 * the dense layer, `kernel [in, units]` and `bias [units]`.
 */
export function expectedWeightShapes(plan: ModnnPlan, node: GraphNode, device: number): Record<string, number[]> {
  const input = nodeIndex(plan.graph).get(node.inputs[0]);
  if (node.op === 'conv' && input) {
    const out = node.shape[2];
    return { kernel: [node.kernel as number, node.kernel as number, input.shape[2], out], ...(node.useBias ? { bias: [out] } : {}) };
  }
  if (node.op === 'batchnorm') {
    const c = node.shape[2];
    return { gamma: [c], beta: [c], movingMean: [c], movingVariance: [c] };
  }
  if (node.op === 'dense' && input) {
    const n = bandRows(plan.denseUnits[device]);
    return { kernel: [input.shape[0], n], ...(node.useBias ? { bias: [n] } : {}) };
  }
  return {};
}

/** Names of the nodes a device computes (its program's compute steps). */
export function computedNodes(plan: ModnnPlan, device: number): string[] {
  return plan.programs[device].flatMap((s) => (s.op === 'compute' ? [s.node] : []));
}

/**
 * The weights one device needs, from the whole model's: every convolution and batchnorm it
 * computes (a row band needs the whole kernel) and only its output neurons of the dense layer.
 * @throws ModnnError `E_PLAN_INVALID` when a weight is missing or has the wrong shape.
 */
export function deviceWeights(plan: ModnnPlan, weights: GraphWeights, device: number): GraphWeights {
  const nodes = nodeIndex(plan.graph);
  const out: GraphWeights = { arrays: {}, epsilon: {} };
  for (const name of computedNodes(plan, device)) {
    const node = nodes.get(name) as GraphNode;
    const shapes = expectedWeightShapes(plan, node, device);
    if (Object.keys(shapes).length === 0) continue;
    const arrays: Record<string, WeightArray> = {};
    for (const [role, shape] of Object.entries(shapes)) {
      const w = weights.arrays[name]?.[role];
      if (!w) throw new ModnnError('E_PLAN_INVALID', `the model has no ${role} for ${name}`);
      arrays[role] = node.op === 'dense' ? sliceDense(w, plan.denseUnits[device], role) : w;
      if (arrays[role].shape.join() !== shape.join())
        throw new ModnnError('E_PLAN_INVALID', `${name}/${role} has shape ${arrays[role].shape.join('x')}, expected ${shape.join('x')}`);
    }
    out.arrays[name] = arrays;
    if (node.op === 'batchnorm') out.epsilon[name] = weights.epsilon[name];
  }
  return out;
}

function sliceDense(w: WeightArray, units: { start: number; end: number }, role: string): WeightArray {
  const n = units.end - units.start;
  if (role === 'bias') return { shape: [n], values: w.values.slice(units.start, units.end) };
  const [rows, cols] = w.shape;
  const values = new Float32Array(rows * n);
  for (let r = 0; r < rows; r += 1) values.set(w.values.subarray(r * cols + units.start, r * cols + units.end), r * n);
  return { shape: [rows, n], values };
}

/**
 * Checks that `weights` hold exactly what `device` needs: each node it computes has every expected
 * weight with the expected shape.
 * @throws ModnnError `E_PLAN_INVALID` naming the first missing or misshapen weight.
 */
export function checkDeviceWeights(plan: ModnnPlan, weights: GraphWeights, device: number): void {
  const nodes = nodeIndex(plan.graph);
  for (const name of computedNodes(plan, device)) {
    const node = nodes.get(name) as GraphNode;
    for (const [role, shape] of Object.entries(expectedWeightShapes(plan, node, device))) {
      const w = weights.arrays[name]?.[role];
      if (!w || w.shape.join() !== shape.join() || w.values.length !== shape.reduce((a, b) => a * b, 1)) {
        throw new ModnnError('E_PLAN_INVALID', `device ${device} needs ${name}/${role} of shape ${shape.join('x')}, got ${w ? w.shape.join('x') : 'none'}`);
      }
    }
    if (node.op === 'batchnorm' && !(weights.epsilon[name] > 0)) throw new ModnnError('E_PLAN_INVALID', `device ${device} needs the epsilon of ${name}`);
  }
}

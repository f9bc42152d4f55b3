import { ModnnError, optionError } from './errors';

/** Operation of a {@link GraphNode}. Element-wise ops keep the shape of their (first) input. */
export type NodeOp = 'input' | 'conv' | 'batchnorm' | 'relu' | 'add' | 'gap' | 'dense';

/** One layer of a CNN, as the row-band planner sees it. */
export interface GraphNode {
  /** Layer name (the tfjs layer name for graphs read from a model). */
  name: string;
  op: NodeOp;
  /** Names of the input nodes (two for `add`, none for `input`, one otherwise). */
  inputs: string[];
  /** Output shape without the batch axis: `[height, width, channels]` for spatial nodes, `[length]` after `gap`/`dense`. */
  shape: number[];
  /** `conv`: square kernel size (padding is always `same`). */
  kernel?: number;
  /** `conv`: stride in both axes. */
  stride?: number;
  /** `conv`, `dense`: whether the layer adds a bias. */
  useBias?: boolean;
}

/** A CNN as a list of nodes in topological order: one input, spatial convs/element-wise ops, one `gap`, one `dense`. */
export interface SpatialGraph {
  name: string;
  nodes: GraphNode[];
}

/** Whether a node's output is a feature map (rows to split) rather than a vector. */
export function isSpatial(node: GraphNode): boolean {
  return node.shape.length === 3;
}

/** Nodes by name. */
export function nodeIndex(graph: SpatialGraph): Map<string, GraphNode> {
  return new Map(graph.nodes.map((n) => [n.name, n]));
}

/** Nodes that consume each node, by name (in topological order). */
export function consumers(graph: SpatialGraph): Map<string, GraphNode[]> {
  const out = new Map<string, GraphNode[]>(graph.nodes.map((n) => [n.name, []]));
  for (const n of graph.nodes) for (const i of n.inputs) out.get(i)?.push(n);
  return out;
}

/**
 * Checks that a graph is one the row-band split handles: topological order, one `input` first,
 * spatial ops before exactly one `gap` followed by exactly one `dense` (the output), shapes consistent
 * with `same` padding (`out = ceil(in / stride)`).
 * @throws ModnnError `E_GRAPH_UNSUPPORTED` naming the node.
 */
export function validateGraph(graph: SpatialGraph): SpatialGraph {
  const seen = new Map<string, GraphNode>();
  const fail = (node: GraphNode, why: string): never => {
    throw new ModnnError('E_GRAPH_UNSUPPORTED', `${graph.name}: node ${node.name} (${node.op}): ${why}`);
  };
  graph.nodes.forEach((node, i) => {
    if (seen.has(node.name)) fail(node, 'duplicate name');
    const ins = node.inputs.map((name) => seen.get(name) ?? fail(node, `input ${name} is not an earlier node`));
    const want = node.op === 'input' ? 0 : node.op === 'add' ? 2 : 1;
    if (ins.length !== want) fail(node, `needs ${want} inputs, has ${ins.length}`);
    if ((node.op === 'input') !== (i === 0)) fail(node, 'the input must be the first node and the only one');
    const last = graph.nodes.length - 1;
    if ((node.op === 'dense') !== (i === last)) fail(node, 'exactly one dense layer, the last node');
    if ((node.op === 'gap') !== (i === last - 1)) fail(node, 'exactly one global average pool, right before the dense layer');
    if (node.op === 'input' || node.op === 'conv' || node.op === 'batchnorm' || node.op === 'relu' || node.op === 'add') {
      if (node.shape.length !== 3 || node.shape.some((d) => !Number.isInteger(d) || d < 1)) fail(node, 'needs a [height, width, channels] shape');
    }
    const a = ins[0];
    if (node.op === 'conv') {
      const { kernel, stride } = node;
      if (!Number.isInteger(kernel) || (kernel as number) < 1 || !Number.isInteger(stride) || (stride as number) < 1)
        fail(node, 'needs integer kernel and stride >= 1');
      const s = stride as number;
      if (node.shape[0] !== Math.ceil(a.shape[0] / s) || node.shape[1] !== Math.ceil(a.shape[1] / s))
        fail(node, `shape ${node.shape.join('x')} is not 'same' padding of ${a.shape.join('x')}`);
    } else if (node.op === 'batchnorm' || node.op === 'relu') {
      if (node.shape.join() !== a.shape.join()) fail(node, 'element-wise op must keep its input shape');
    } else if (node.op === 'add') {
      if (ins.some((x) => x.shape.join() !== node.shape.join())) fail(node, 'add inputs must have its shape');
    } else if (node.op === 'gap') {
      if (a.shape.length !== 3 || node.shape.length !== 1 || node.shape[0] !== a.shape[2]) fail(node, 'pools a feature map to its channels');
    } else if (node.op === 'dense') {
      if (a.op !== 'gap' || node.shape.length !== 1 || !(node.shape[0] >= 1)) fail(node, 'must follow the pool and have [units]');
    }
    seen.set(node.name, node);
  });
  if (graph.nodes.length < 3) throw new ModnnError('E_GRAPH_UNSUPPORTED', `${graph.name}: needs input, pool and dense layers`);
  return graph;
}

/** Options of {@link wrnGraph}. */
export interface WrnGraphOptions {
  /** Depth 6N + 4 (10, 16, 22, ...). */
  depth: number;
  /** Group widths; default `[16k, 32k, 64k]` with k = `widthFactor`. */
  widths?: [number, number, number];
  /** Widening factor k when `widths` is absent; default 1. */
  widthFactor?: number;
  /** Stem width; default 16. */
  stemWidth?: number;
  /** Input `[height, width, channels]`; default `[32, 32, 3]`. */
  inputShape?: [number, number, number];
  /** Classes; default 100. */
  classes?: number;
}

/**
 * The graph of `buildWideResNet` from `@wearnet/models` without TensorFlow.js (same layer names):
 * stem conv, pre-activation wide blocks (BN-ReLU, conv3x3 (stride), BN-ReLU, conv3x3, shortcut = input
 * or a 1x1 conv (stride) of the pre-activation, add), final BN-ReLU, global average pool, dense.
 * Used by property tests over random small WRNs and by the accounting when no model is loaded.
 */
export function wrnGraph(options: WrnGraphOptions): SpatialGraph {
  const { depth } = options;
  if (!Number.isInteger(depth) || depth < 10 || (depth - 4) % 6 !== 0) throw optionError('depth', `must be 6N + 4 with N >= 1, got ${depth}`);
  const k = options.widthFactor ?? 1;
  const widths = options.widths ?? [16 * k, 32 * k, 64 * k];
  const [h0, w0, c0] = options.inputShape ?? [32, 32, 3];
  const nodes: GraphNode[] = [{ name: 'image', op: 'input', inputs: [], shape: [h0, w0, c0] }];
  const shapeOf = (name: string): number[] => (nodes.find((n) => n.name === name) as GraphNode).shape;
  const conv = (name: string, input: string, filters: number, kernel: number, stride: number): string => {
    const [h, w] = shapeOf(input);
    nodes.push({ name, op: 'conv', inputs: [input], shape: [Math.ceil(h / stride), Math.ceil(w / stride), filters], kernel, stride, useBias: false });
    return name;
  };
  const bnRelu = (name: string, input: string): string => {
    nodes.push({ name: `${name}_bn`, op: 'batchnorm', inputs: [input], shape: shapeOf(input) });
    nodes.push({ name: `${name}_relu`, op: 'relu', inputs: [`${name}_bn`], shape: shapeOf(input) });
    return `${name}_relu`;
  };
  let h = conv('stem', 'image', options.stemWidth ?? 16, 3, 1);
  let inWidth = options.stemWidth ?? 16;
  const blocks = (depth - 4) / 6;
  widths.forEach((width, g) => {
    for (let b = 0; b < blocks; b += 1) {
      const stride = b === 0 && g > 0 ? 2 : 1;
      const name = `g${g + 1}b${b + 1}`;
      const pre = bnRelu(`${name}_pre`, h);
      const c1 = conv(`${name}_conv1`, pre, width, 3, stride);
      const mid = bnRelu(`${name}_mid`, c1);
      const c2 = conv(`${name}_conv2`, mid, width, 3, 1);
      const shortcut = inWidth === width && stride === 1 ? h : conv(`${name}_short`, pre, width, 1, stride);
      nodes.push({ name: `${name}_add`, op: 'add', inputs: [c2, shortcut], shape: shapeOf(c2) });
      h = `${name}_add`;
      inWidth = width;
    }
  });
  nodes.push({ name: 'features_bn', op: 'batchnorm', inputs: [h], shape: shapeOf(h) });
  nodes.push({ name: 'features', op: 'relu', inputs: ['features_bn'], shape: shapeOf(h) });
  nodes.push({ name: 'pool', op: 'gap', inputs: ['features'], shape: [inWidth] });
  nodes.push({ name: 'logits', op: 'dense', inputs: ['pool'], shape: [options.classes ?? 100], useBias: true });
  return validateGraph({ name: `wrn-${depth}`, nodes });
}

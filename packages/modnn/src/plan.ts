import { bandRows, biasedPartition, receptiveRows, rowRuns, type RowBand } from './bands';
import { ModnnError, optionError } from './errors';
import { consumers, isSpatial, nodeIndex, validateGraph, type GraphNode, type SpatialGraph } from './graph';
import { HUB, type MessageKind, type ModnnPlan, type PlannedMessage, type ProgramStep, type TensorBands } from './plan-types';

/** Options of {@link planModnn}. */
export interface PlanModnnOptions {
  graph: SpatialGraph;
  /** Relative speed of each device, for example `macsPerSecond` of its device class; length = K. */
  speeds: readonly number[];
  /** Bytes per element of feature maps and vectors on the wire; default 4 (float32, exact). */
  bytesPerElement?: number;
  /** Where the image comes from; default `local` (as the emulator's default topology). */
  inputMode?: 'local' | 'broadcast';
  /** `local` mode: payload of the hub's request to each device (request id, sample index); default 8 bytes. */
  requestBytes?: number;
}

/** Multiply-accumulates of `rows` output rows of a node (convolutions; dense layers by units). */
export function nodeMacs(node: GraphNode, input: GraphNode, rowsOrUnits: number): number {
  if (node.op === 'conv') return rowsOrUnits * node.shape[1] * (node.kernel as number) ** 2 * input.shape[2] * node.shape[2];
  if (node.op === 'dense') return rowsOrUnits * input.shape[0];
  return 0;
}

/** Rows of spatial node `t` that device `d` must hold to compute its share of every consumer of `t`. */
function neededRows(t: GraphNode, users: GraphNode[], band: (node: string) => RowBand): number[] {
  const rows = new Set<number>();
  for (const c of users) {
    const b = band(c.name);
    if (c.op === 'conv') for (const r of receptiveRows(b, { inSize: t.shape[0], kernel: c.kernel as number, stride: c.stride as number })) rows.add(r);
    else if (c.op === 'gap') for (let r = band(t.name).start; r < band(t.name).end; r += 1) rows.add(r);
    else for (let r = b.start; r < b.end; r += 1) rows.add(r);
  }
  return [...rows].sort((a, b) => a - b);
}

/**
 * Plans the MoDNN split of a CNN across K devices (Mao et al., DATE 2017):
 * - every spatial node's output rows are split by a biased 1-D partition weighted by device speed
 *   (one partition per feature-map height, so element-wise ops, BN, ReLU and residual adds stay local);
 * - before a convolution each device receives, from the devices that computed them, the input rows
 *   its output rows read (kernel, stride and `same` padding give the exact receptive rows), one
 *   message per (tensor, sender, receiver) even when several convolutions (3x3 and 1x1 shortcut) read it;
 * - the global average pool is a per-device partial sum gathered and reduced at the hub, which sends
 *   the pooled vector back to the devices that own output neurons of the dense layer (split by speed);
 *   each returns its logits, and the hub concatenates them (the final gather).
 * @throws RangeError naming a bad option; ModnnError `E_GRAPH_UNSUPPORTED` for a graph it cannot split.
 */
export function planModnn(options: PlanModnnOptions): ModnnPlan {
  const graph = validateGraph(options.graph);
  const speeds = [...options.speeds];
  const k = speeds.length;
  if (k < 1) throw optionError('speeds', 'needs at least one device');
  const bytesPerElement = options.bytesPerElement ?? 4;
  if (!(Number.isInteger(bytesPerElement) && bytesPerElement >= 1)) throw optionError('bytesPerElement', `must be a positive integer, got ${bytesPerElement}`);
  const inputMode = options.inputMode ?? 'local';
  if (inputMode !== 'local' && inputMode !== 'broadcast') throw optionError('inputMode', `must be local or broadcast, got ${String(inputMode)}`);
  const requestBytes = options.requestBytes ?? 8;
  if (!(Number.isInteger(requestBytes) && requestBytes >= 0)) throw optionError('requestBytes', `must be a non-negative integer, got ${requestBytes}`);
  const nodes = nodeIndex(graph);
  const users = consumers(graph);
  const byHeight = new Map<number, RowBand[]>();
  const tensors: Record<string, TensorBands> = {};
  for (const n of graph.nodes.filter(isSpatial)) {
    const h = n.shape[0];
    if (!byHeight.has(h)) byHeight.set(h, biasedPartition(h, speeds));
    tensors[n.name] = { node: n.name, shape: [...n.shape], bands: byHeight.get(h) as RowBand[] };
  }
  const band = (d: number) => (name: string) => tensors[name].bands[d];
  const dense = graph.nodes[graph.nodes.length - 1];
  const pool = graph.nodes[graph.nodes.length - 2];
  const denseUnits = biasedPartition(dense.shape[0], speeds);
  const messages: PlannedMessage[] = [];
  const add = (m: Omit<PlannedMessage, 'id'>): number => messages.push({ id: messages.length, ...m }) - 1;
  const programs: ProgramStep[][] = speeds.map(() => []);
  const hubProgram: ProgramStep[] = [];
  const inputNode = graph.nodes[0];
  const inputRows = speeds.map((_, d) => neededRows(inputNode, users.get(inputNode.name) ?? [], band(d)));
  const rowMessage = (kind: MessageKind, t: GraphNode, from: number, to: number, rows: number[]): number =>
    add({
      kind,
      tensor: t.name,
      from,
      to,
      rows: rowRuns(rows),
      elements: rows.length * t.shape[1] * t.shape[2],
      payloadBytes: rows.length * t.shape[1] * t.shape[2] * (kind === 'input' ? 1 : bytesPerElement),
    });
  // The request starts a device's work: in broadcast mode it carries the device's image rows.
  const working = speeds.map(
    (_, d) => inputRows[d].length > 0 || bandRows(denseUnits[d]) > 0 || graph.nodes.some((n) => isSpatial(n) && bandRows(band(d)(n.name)) > 0),
  );
  const requests = speeds.flatMap((_, d) => {
    if (!working[d]) return [];
    if (inputMode === 'broadcast' && inputRows[d].length > 0) return [rowMessage('input', inputNode, HUB, d, inputRows[d])];
    return [add({ kind: 'request', tensor: inputNode.name, from: HUB, to: d, elements: 0, payloadBytes: requestBytes })];
  });
  hubProgram.push({ op: 'send', messages: requests });
  requests.forEach((id) => programs[messages[id].to].push({ op: 'recv', messages: [id] }));
  // Halo messages of every spatial tensor read by a convolution: need(d) minus own rows, from each owner.
  const incoming = new Map<string, number[][]>();
  for (const t of graph.nodes.filter((n) => isSpatial(n) && n.op !== 'input')) {
    const readers = users.get(t.name) ?? [];
    if (!readers.some((c) => c.op === 'conv')) continue;
    const perReceiver: number[][] = speeds.map(() => []);
    for (let d = 0; d < k; d += 1) {
      const need = neededRows(t, readers, band(d));
      for (let e = 0; e < k; e += 1) {
        if (e === d) continue;
        const own = tensors[t.name].bands[e];
        const rows = need.filter((r) => r >= own.start && r < own.end);
        if (rows.length > 0) perReceiver[d].push(rowMessage('halo', t, e, d, rows));
      }
    }
    incoming.set(t.name, perReceiver);
  }
  for (let d = 0; d < k; d += 1) {
    const waited = new Set<string>();
    for (const n of graph.nodes) {
      if (n.op === 'input' || n.op === 'dense') continue;
      const input = nodes.get(n.inputs[0]) as GraphNode;
      if (n.op === 'gap') {
        if (bandRows(band(d)(input.name)) === 0) continue;
        programs[d].push({ op: 'compute', node: n.name, macs: 0 });
        programs[d].push({
          op: 'send',
          messages: [add({ kind: 'partial', tensor: n.name, from: d, to: HUB, elements: n.shape[0], payloadBytes: n.shape[0] * bytesPerElement })],
        });
        continue;
      }
      const rows = bandRows(band(d)(n.name));
      if (rows === 0) continue;
      if (n.op === 'conv' && !waited.has(input.name)) {
        waited.add(input.name);
        const ids = incoming.get(input.name)?.[d] ?? [];
        if (ids.length > 0) programs[d].push({ op: 'recv', messages: ids });
      }
      programs[d].push({ op: 'compute', node: n.name, macs: nodeMacs(n, input, rows) });
      const out = messages.filter((m) => m.kind === 'halo' && m.tensor === n.name && m.from === d).map((m) => m.id);
      if (out.length > 0) programs[d].push({ op: 'send', messages: out });
    }
  }
  const partials = messages.filter((m) => m.kind === 'partial').map((m) => m.id);
  if (partials.length > 0) hubProgram.push({ op: 'recv', messages: partials });
  hubProgram.push({ op: 'compute', node: pool.name, macs: 0 });
  const pooledIds: number[] = [];
  const logitIds: number[] = [];
  denseUnits.forEach((units, d) => {
    if (bandRows(units) === 0) return;
    const pooled = add({ kind: 'pooled', tensor: pool.name, from: HUB, to: d, elements: pool.shape[0], payloadBytes: pool.shape[0] * bytesPerElement });
    pooledIds.push(pooled);
    programs[d].push({ op: 'recv', messages: [pooled] });
    programs[d].push({ op: 'compute', node: dense.name, macs: nodeMacs(dense, pool, bandRows(units)) });
    const logits = add({
      kind: 'logits',
      tensor: dense.name,
      from: d,
      to: HUB,
      units,
      elements: bandRows(units),
      payloadBytes: bandRows(units) * bytesPerElement,
    });
    logitIds.push(logits);
    programs[d].push({ op: 'send', messages: [logits] });
  });
  hubProgram.push({ op: 'send', messages: pooledIds });
  hubProgram.push({ op: 'recv', messages: logitIds });
  hubProgram.push({ op: 'compute', node: dense.name, macs: 0 });
  const plan: ModnnPlan = {
    graph,
    devices: k,
    speeds,
    bytesPerElement,
    inputMode,
    requestBytes,
    tensors,
    inputRows,
    denseUnits,
    messages,
    programs,
    hubProgram,
  };
  checkPlan(plan);
  return plan;
}

/**
 * Structural checks of a plan (also run on a plan read from a bundle): row bands cover every
 * spatial node once, neuron slices cover the dense layer once, every message id is sent once and
 * received once by its endpoints, in an order that cannot deadlock (each receive follows its send
 * in a topological order of the programs; checked by running them).
 * @throws ModnnError `E_PLAN_INVALID`.
 */
export function checkPlan(plan: ModnnPlan): void {
  const fail = (why: string): never => {
    throw new ModnnError('E_PLAN_INVALID', why);
  };
  const covers = (bands: RowBand[], total: number, what: string): void => {
    if (bands.length !== plan.devices) fail(`${what}: ${bands.length} bands for ${plan.devices} devices`);
    let at = 0;
    for (const b of bands) {
      if (b.start !== at || b.end < b.start) fail(`${what}: bands are not contiguous in device order`);
      at = b.end;
    }
    if (at !== total) fail(`${what}: bands cover ${at} of ${total}`);
  };
  for (const t of Object.values(plan.tensors)) covers(t.bands, t.shape[0], t.node);
  covers(plan.denseUnits, plan.graph.nodes[plan.graph.nodes.length - 1].shape[0], 'dense units');
  const sent = new Map<number, number>();
  const received = new Map<number, number>();
  const programs = [...plan.programs.map((p, d) => ({ who: d, steps: p })), { who: HUB, steps: plan.hubProgram }];
  for (const { who, steps } of programs) {
    for (const s of steps) {
      if (s.op === 'compute') continue;
      for (const id of s.messages) {
        const m = plan.messages[id] ?? fail(`message ${id} does not exist`);
        const mine = s.op === 'send' ? m.from : m.to;
        if (mine !== who) fail(`message ${id} is ${s.op === 'send' ? 'sent' : 'received'} by ${who}, not its endpoint`);
        const seen = s.op === 'send' ? sent : received;
        if (seen.has(id)) fail(`message ${id} is ${s.op === 'send' ? 'sent' : 'received'} twice`);
        seen.set(id, who);
      }
    }
  }
  for (const m of plan.messages) if (!sent.has(m.id) || !received.has(m.id)) fail(`message ${m.id} (${m.kind} ${m.tensor}) is not both sent and received`);
  // Dry run: advance every program as far as its receives allow; a plan that stalls deadlocks.
  const pc = programs.map(() => 0);
  const done = new Set<number>();
  for (let progress = true; progress;) {
    progress = false;
    programs.forEach(({ steps }, p) => {
      while (pc[p] < steps.length) {
        const s = steps[pc[p]];
        if (s.op === 'recv' && !s.messages.every((id) => done.has(id))) break;
        if (s.op === 'send') s.messages.forEach((id) => done.add(id));
        pc[p] += 1;
        progress = true;
      }
    });
  }
  if (programs.some(({ steps }, p) => pc[p] < steps.length)) fail('the programs deadlock');
}

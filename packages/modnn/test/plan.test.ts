import fc from 'fast-check';
import { HUB, bandRows, consumers, planModnn, wrnGraph, type GraphNode, type ModnnPlan, type SpatialGraph } from '../src/index';

const arbWrn = fc.record({
  depth: fc.constantFrom(10, 16),
  widths: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
  stemWidth: fc.integer({ min: 1, max: 6 }),
  side: fc.integer({ min: 3, max: 33 }),
  classes: fc.integer({ min: 2, max: 20 }),
});
const arbSpeeds = fc.array(fc.double({ min: 0.05, max: 10, noNaN: true }), { minLength: 1, maxLength: 9 });

function graphOf(c: { depth: number; widths: [number, number, number]; stemWidth: number; side: number; classes: number }): SpatialGraph {
  return wrnGraph({ depth: c.depth, widths: c.widths, stemWidth: c.stemWidth, inputShape: [c.side, c.side, 3], classes: c.classes });
}

/** Reference receptive field, written independently of the planner: TF 'same' padding row by row. */
function readsRow(y: number, outRow: number, inH: number, k: number, s: number): boolean {
  const outH = Math.ceil(inH / s);
  const padTop = Math.floor(Math.max(0, (outH - 1) * s + k - inH) / 2);
  const first = outRow * s - padTop;
  return y >= first && y < first + k;
}

/** Rows of t device d must hold: any row some consumer's output row on d depends on. */
function referenceNeed(plan: ModnnPlan, t: GraphNode, users: GraphNode[], d: number): number[] {
  const need: number[] = [];
  for (let y = 0; y < t.shape[0]; y += 1) {
    const used = users.some((c) => {
      const band = c.op === 'gap' ? plan.tensors[t.name].bands[d] : plan.tensors[c.name].bands[d];
      for (let r = band.start; r < band.end; r += 1) {
        if (c.op === 'conv' ? readsRow(y, r, t.shape[0], c.kernel as number, c.stride as number) : y === r) return true;
      }
      return false;
    });
    if (used) need.push(y);
  }
  return need;
}

const rowsOf = (runs: { start: number; end: number }[] | undefined): number[] =>
  (runs ?? []).flatMap((r) => Array.from({ length: r.end - r.start }, (_, i) => r.start + i));

describe('planModnn', () => {
  it('covers every output row of every layer exactly once and every dense neuron once, over random small WRNs, K and speeds', () => {
    fc.assert(
      fc.property(arbWrn, arbSpeeds, (c, speeds) => {
        const plan = planModnn({ graph: graphOf(c), speeds });
        for (const t of Object.values(plan.tensors)) {
          const owner = new Array<number>(t.shape[0]).fill(0);
          t.bands.forEach((b) => {
            for (let r = b.start; r < b.end; r += 1) owner[r] += 1;
          });
          expect(owner.every((n) => n === 1)).toBe(true);
        }
        const units = new Array<number>(c.classes).fill(0);
        plan.denseUnits.forEach((u) => {
          for (let i = u.start; i < u.end; i += 1) units[i] += 1;
        });
        expect(units.every((n) => n === 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('sends each device exactly the rows its receptive field needs and does not own, each from the device that computed them', () => {
    fc.assert(
      fc.property(arbWrn, arbSpeeds, fc.constantFrom<'local' | 'broadcast'>('local', 'broadcast'), (c, speeds, inputMode) => {
        const graph = graphOf(c);
        const plan = planModnn({ graph, speeds, inputMode });
        const users = consumers(graph);
        for (const t of graph.nodes.filter((n) => n.shape.length === 3 && n.op !== 'input')) {
          const readers = users.get(t.name) ?? [];
          for (let d = 0; d < speeds.length; d += 1) {
            const own = plan.tensors[t.name].bands[d];
            const want = readers.some((r) => r.op === 'conv') ? referenceNeed(plan, t, readers, d).filter((y) => y < own.start || y >= own.end) : [];
            const got = plan.messages.filter((m) => m.kind === 'halo' && m.tensor === t.name && m.to === d);
            for (const m of got) {
              const sender = plan.tensors[t.name].bands[m.from];
              expect(rowsOf(m.rows).every((y) => y >= sender.start && y < sender.end)).toBe(true);
              expect(m.payloadBytes).toBe(rowsOf(m.rows).length * t.shape[1] * t.shape[2] * 4);
            }
            expect(got.flatMap((m) => rowsOf(m.rows)).sort((a, b) => a - b)).toEqual(want);
          }
        }
        const input = graph.nodes[0];
        plan.inputRows.forEach((rows, d) => expect(rows).toEqual(referenceNeed(plan, input, users.get(input.name) ?? [], d)));
        const inputs = plan.messages.filter((m) => m.kind === 'input');
        if (inputMode === 'local') expect(inputs).toHaveLength(0);
        else inputs.forEach((m) => expect(rowsOf(m.rows)).toEqual(plan.inputRows[m.to]));
      }),
      { numRuns: 150 },
    );
  });

  it('splits the MACs of the model across the devices without adding or losing any', () => {
    fc.assert(
      fc.property(arbWrn, arbSpeeds, (c, speeds) => {
        const graph = graphOf(c);
        const plan = planModnn({ graph, speeds });
        const byName = new Map(graph.nodes.map((n) => [n.name, n]));
        let full = 0;
        for (const n of graph.nodes) {
          const input = byName.get(n.inputs[0]);
          if (n.op === 'conv' && input) full += n.shape[0] * n.shape[1] * (n.kernel as number) ** 2 * input.shape[2] * n.shape[2];
          if (n.op === 'dense' && input) full += n.shape[0] * input.shape[0];
        }
        const split = plan.programs.flat().reduce((sum, s) => sum + (s.op === 'compute' ? s.macs : 0), 0);
        expect(split).toBe(full);
      }),
      { numRuns: 100 },
    );
  });

  it('gathers the pooled partial sums and the logit slices at the hub', () => {
    const plan = planModnn({ graph: wrnGraph({ depth: 10, widthFactor: 2 }), speeds: [1, 1, 1, 1, 1, 1, 1, 1] });
    expect(plan.messages.filter((m) => m.kind === 'partial' && m.to === HUB)).toHaveLength(8);
    const logits = plan.messages.filter((m) => m.kind === 'logits');
    expect(logits.map((m) => bandRows(m.units as { start: number; end: number }))).toEqual([13, 13, 13, 13, 12, 12, 12, 12]);
  });

  it('costs 266 704 payload bytes per inference for WRN-10-2 on 8 equal devices (the documented number)', () => {
    const plan = planModnn({ graph: wrnGraph({ depth: 10, widthFactor: 2 }), speeds: new Array(8).fill(480e6) });
    expect(plan.messages.reduce((n, m) => n + m.payloadBytes, 0)).toBe(266704);
  });

  it('rejects bytesPerElement 0 with E_OPTION_INVALID naming it', () => {
    expect(() => planModnn({ graph: wrnGraph({ depth: 10 }), speeds: [1], bytesPerElement: 0 })).toThrow(
      expect.objectContaining({ code: 'E_OPTION_INVALID', message: expect.stringContaining('bytesPerElement') }),
    );
  });
});

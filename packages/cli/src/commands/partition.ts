import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  GRAPH_KINDS,
  PARTITION_METHODS,
  decodeActivations,
  partitionFilters,
  toPartitionJson,
  type Partition,
  type PartitionMethod,
  type PartitionOptions,
} from '@wearnet/partition';

/** Options of `wearnet partition` as commander parses them. */
interface PartitionCliOptions {
  activations: string;
  parts: number;
  method: PartitionMethod;
  students?: number;
  seed: number;
  graph?: 'hubs' | 'pearson' | 'product';
  coactivationGraph: 'pearson' | 'product';
  topK?: number;
  percentile?: number;
  louvainResolution?: number;
  resolution?: number;
  refine: boolean;
  maxSwaps?: number;
  out: string;
  json?: boolean;
}

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0`);
    return n;
  };
}

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('--percentile must be a number in [0, 100]');
  return n;
}

const fixed = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));

/** The short human summary of a partition. */
function summary(partition: Partition, source: { input: string; images: number; ms: number }): string {
  const { input, images, ms } = source;
  const { report, options } = partition;
  const lines = [
    `partition: method ${partition.method}, ${report.parts} parts, seed ${partition.seed}, ${partition.filters} filters x ${images} images from ${input} (${ms} ms)`,
    'part  filters',
    ...report.sizes.map((size, p) => `${String(p).padStart(4)}  ${String(size).padStart(7)}`),
    `unused filters: ${partition.unused.length}; filters used ${(100 * report.filterFraction).toFixed(1)}%, activation mass covered ${report.activationMassFraction === null ? 'n/a' : `${(100 * report.activationMassFraction).toFixed(1)}%`}`,
    `modularity: ${fixed(report.modularity.value)} on the ${report.modularity.graph} graph, ${fixed(report.coactivationModularity.value)} on the ${report.coactivationModularity.graph} co-activation graph`,
    `mean intra-part correlation: ${fixed(report.meanIntraCorrelation)}`,
    `students (${options.students}): parts ${partition.students.join(' ')}`,
  ];
  return lines.join('\n') + '\n';
}

/** Registers `wearnet partition`. */
export function register(program: Command): void {
  program
    .command('partition')
    .description('partition the final-conv filters of a teacher into device parts from an activations file (WNAC format)')
    .requiredOption('--activations <file>', 'activations file (WNAC: JSON header + float32 images x filters, see packages/partition/README.md)')
    .requiredOption('--parts <M>', 'number of parts M (>= 1, <= filters)', integer('--parts', 1))
    .addOption(new Option('--method <method>', 'partitioning method').choices([...PARTITION_METHODS]).default('balanced'))
    .option(
      '--students <S>',
      'number of students S (default: M, one per part; otherwise averaging, student i takes part i mod M, needs M <= S/2)',
      integer('--students', 1),
    )
    .option('--seed <n>', 'seed of all randomness (Louvain order, eigenvector start, random baseline)', integer('--seed', 0, 0xffffffff), 1)
    .addOption(
      new Option('--graph <kind>', 'filter graph (default: hubs for nonn/nonn-all, pearson otherwise; baselines use it only for the report)').choices([
        ...GRAPH_KINDS,
      ]),
    )
    .addOption(new Option('--coactivation-graph <kind>', 'co-activation graph of the report').choices(['pearson', 'product']).default('pearson'))
    .option('--top-k <k>', 'hubs graph: strongest filters kept per image (default 50)', integer('--top-k', 2))
    .option('--percentile <p>', 'hubs graph: drop edges below this percentile of non-zero weights (default 99)', percent)
    .option('--louvain-resolution <r>', 'nonn: Louvain resolution (default 0.7)', positiveNumber('--louvain-resolution'))
    .option('--resolution <r>', 'balanced: modularity resolution (default 1)', positiveNumber('--resolution'))
    .option('--no-refine', 'balanced: skip the size-preserving swap refinement')
    .option('--max-swaps <n>', 'balanced: cap on swaps per refinement pass (default: number of filters)', integer('--max-swaps', 0))
    .option('--out <file>', "partition JSON output file; '-' = stdout (then the summary goes to stderr)", '-')
    .option('--json', 'print the report as JSON instead of the human summary')
    .action((opts: PartitionCliOptions) => {
      const bytes = fs.readFileSync(opts.activations);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const decoded = decodeActivations(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      const toStdout = opts.out === '-';
      const info = (text: string): boolean => (toStdout ? process.stderr : process.stdout).write(text);
      process.stderr.write(
        `partitioning ${decoded.filters} filters x ${decoded.images} images into ${opts.parts} parts (method ${opts.method}, seed ${opts.seed})\n`,
      );
      const options: PartitionOptions = {
        parts: opts.parts,
        method: opts.method,
        seed: opts.seed,
        coactivationGraph: opts.coactivationGraph,
        refine: opts.refine,
        ...(opts.students === undefined ? {} : { students: opts.students }),
        ...(opts.graph === undefined ? {} : { graph: opts.graph }),
        ...(opts.topK === undefined ? {} : { topK: opts.topK }),
        ...(opts.percentile === undefined ? {} : { percentile: opts.percentile }),
        ...(opts.louvainResolution === undefined ? {} : { louvainResolution: opts.louvainResolution }),
        ...(opts.resolution === undefined ? {} : { resolution: opts.resolution }),
        ...(opts.maxSwaps === undefined ? {} : { maxSwaps: opts.maxSwaps }),
      };
      const started = Date.now();
      const partition = partitionFilters(decoded, options);
      const ms = Date.now() - started;
      const text = toPartitionJson(partition, {
        source: { activations: path.resolve(opts.activations), sha256, ...(decoded.header.source === undefined ? {} : { header: decoded.header.source }) },
      });
      if (toStdout) process.stdout.write(text);
      else fs.writeFileSync(opts.out, text);
      if (opts.json) {
        info(
          JSON.stringify(
            {
              method: partition.method,
              seed: partition.seed,
              filters: partition.filters,
              images: decoded.images,
              ms,
              options: partition.options,
              report: partition.report,
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        info(summary(partition, { input: opts.activations, images: decoded.images, ms }));
      }
      if (!toStdout) info(`wrote ${opts.out}\n`);
    });
}

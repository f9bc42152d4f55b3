import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { formatSummaryTable } from '@wearnet/aggregator';
import { LauncherError, ProgressBar, startRun, type ClusterSummary, type RunClusterResult } from '@wearnet/launcher';
import { CliError } from '../errors';
import { resolveDefault } from '../options/defaults';
import { handleInterrupts } from '../options/interrupts';

const CLI_BIN = path.resolve(__dirname, '..', '..', 'bin', 'wearnet.js');
const DEFAULT_TOPOLOGY = path.join('topologies', 'body-8.yaml');

interface RunOptions {
  timeScale?: number;
  requests?: number;
  seed?: number;
  out?: string;
  quiet?: boolean;
  json?: boolean;
  metricsPort?: number;
  controlPort?: number;
  startConcurrency?: number;
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

function integer(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

/** Commander parser of a TCP port (0 = any free port). */
function port(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`${name} must be an integer port in 0..65535 (0 = any free port)`);
    return n;
  };
}

/** The default topology: `topologies/body-8.yaml` in the working directory, else the one the package ships. */
function defaultTopology(): string {
  return resolveDefault(DEFAULT_TOPOLOGY);
}

function header(summary: ClusterSummary, outDir: string): string {
  const r = summary.run;
  const cpu = Number.isFinite(summary.emulatorCpuMsPerInference) ? `${summary.emulatorCpuMsPerInference.toFixed(1)} ms` : '-';
  return [
    `run ${r.id}: ${r.devices.length} devices on ${r.linkPreset}, input ${r.inputMode}, time scale ${r.timeScale}, seed ${r.seed}`,
    formatSummaryTable(summary),
    '',
    `  emulator CPU per inference  ${cpu} (all processes, after start-up)   cluster start ${(r.startupMs / 1000).toFixed(1)} s   workload wall ${(summary.wallMs / 1000).toFixed(1)} s`,
    ...(summary.faults.length > 0
      ? [`  faults: ${summary.faults.length} periods (${[...new Set(summary.faults.map((f) => f.kind))].join(', ')}), in summary.json`]
      : []),
    ...(summary.hostDisturbed && summary.hostDisturbed.requests.length > 0
      ? [
          `  host-disturbed: ${summary.hostDisturbed.requests.length} requests whose modelled latency the host moved (ids in summary.json hostDisturbed; lower timeScale)`,
        ]
      : []),
    `  control API was ${r.control.url}   results in ${displayPath(outDir)}`,
  ].join('\n');
}

function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' || relative.startsWith('..') ? dir : relative;
}

/** `wearnet run [TOPOLOGY.yaml]`: runs a cluster end to end and prints what it measured. */
export function register(program: Command): void {
  program
    .command('run')
    .description('run an emulated cluster from a topology file (default topologies/body-8.yaml) and print accuracy, latency and traffic')
    .argument('[topology]', 'topology YAML file')
    .option('--time-scale <n>', 'modelled seconds per real second (overrides the topology)', positiveNumber('--time-scale'))
    .option('--requests <n>', 'number of requests (overrides the topology)', integer('--requests'))
    .option('--seed <n>', 'seed of every random choice (overrides the topology)', integer('--seed'))
    .option(
      '--start-concurrency <n>',
      'most device processes starting at once, 1..1024 (overrides the topology; default: the cores, 2..8)',
      integer('--start-concurrency'),
    )
    .option('--out <dir>', 'output directory (default results/<run-id>)')
    .option('--quiet', 'no progress bar')
    .option('--json', 'print the summary as JSON on stdout instead of the table (an error: {"error":{code,message,exitCode}})')
    .option('--metrics-port <port>', "port of the aggregator's Prometheus endpoint on 127.0.0.1 (0 = any free port)", port('--metrics-port'), 0)
    .option('--control-port <port>', 'port of the control API and the launcher metrics on 127.0.0.1 (0 = any free port)', port('--control-port'), 0)
    .action(async (topologyArg: string | undefined, options: RunOptions) => {
      const topologyFile = topologyArg ?? defaultTopology();
      const interrupts = handleInterrupts('the run');
      const bar = new ProgressBar(process.stderr);
      try {
        const run = await startRun({
          topologyFile,
          cliBin: CLI_BIN,
          overrides: {
            timeScale: options.timeScale,
            requests: options.requests,
            seed: options.seed,
            output: options.out,
            startConcurrency: options.startConcurrency,
          },
          signal: interrupts.signal,
          metricsPort: options.metricsPort,
          controlPort: options.controlPort,
          onStarted: (info) => {
            if (!options.quiet)
              process.stderr.write(
                `cluster up: ${info.devices} devices authenticated; metrics ${info.metricsUrl}, ${info.endpoints.mediumMetrics}, ${info.endpoints.controlMetrics}; links ${info.endpoints.mediumLinks}, control ${info.controlUrl} (all in control.json)\n`,
              );
          },
          onProgress: options.quiet ? undefined : (progress) => bar.update(progress),
          onFaultError: (err, fault) =>
            process.stderr.write(`\nwearnet: fault ${fault.id} (${fault.kind}) failed: ${(err as { code?: string }).code ?? 'error'}: ${err.message}\n`),
        });
        const result = await run.finished;
        bar.finish();
        const failure = runFailure(result);
        // Under --json stdout holds one JSON document: the summary, with the error in it if any.
        if (options.json && failure) throw new CliError(failure.code, failure.message, { cause: failure, result: result.summary });
        if (options.json) process.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
        else process.stdout.write(`${header(result.summary, result.outDir)}\n`);
        if (failure) throw failure;
      } finally {
        bar.finish();
        interrupts.dispose();
      }
    });
}

/** The error a finished run ends with: interrupted (`E_INTERRUPTED`) or violated thresholds (`E_THRESHOLD_VIOLATED`); undefined when it passed. */
function runFailure(result: RunClusterResult): LauncherError | undefined {
  if (result.interrupted) return new LauncherError('E_INTERRUPTED', `run stopped early; partial results in ${result.outDir}`);
  if (result.violations.length > 0) {
    const list = result.violations
      .map((v) =>
        v.device !== undefined
          ? `${v.device} left out of a degraded start (${v.code}: ${v.message})`
          : `${v.threshold} ${v.limit} (got ${Number.isFinite(v.actual) ? +v.actual.toFixed(4) : v.actual})`,
      )
      .join(', ');
    return new LauncherError('E_THRESHOLD_VIOLATED', `thresholds violated: ${list}`);
  }
  return undefined;
}

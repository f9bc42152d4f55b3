import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { renderReport, type Logger } from '@wearnet/report';

interface ReportFlags {
  offline: string[];
  out?: string;
  svgDir?: string;
  title?: string;
  csv: boolean;
  maxTimelines?: number;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be an integer >= 0`);
    return n;
  };
}

/** Warnings of the report (e.g. a skipped interrupted run) as plain lines on stderr. */
const stderrLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (_obj, msg) => void process.stderr.write(`wearnet: warning: ${msg ?? ''}\n`),
  error: (_obj, msg) => void process.stderr.write(`wearnet: error: ${msg ?? ''}\n`),
  child: () => stderrLogger,
};

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

/** `wearnet report RUN_DIR...`: report.html with SVG charts and requests.csv from emulator runs. */
export function register(program: Command): void {
  program
    .command('report')
    .description(
      'write report.html (SVG charts: accuracy vs failed devices, latency CDF, bytes and energy per inference, per run a timeline with deadline and bound, device lanes, traffic per device and direction, host lag; expected accuracy under availability p from --offline) and requests.csv for emulator runs',
    )
    .argument('<runDirs...>', 'run directories (results/<run-id>), or directories whose subdirectories are runs (a sweep, results/)')
    .option(
      '--offline <file>',
      'offline evaluation (evaluation.json from `wearnet evaluate`, or a distillation manifest.json) drawn beside the runs of its method; repeatable',
      collect,
      [],
    )
    .option('--out <file>', 'report file (default report.html in the run directory, or in the common parent of several)')
    .option('--svg-dir <dir>', 'also write every chart as <chart-id>.svg into this directory')
    .option('--title <text>', 'page title')
    .option('--no-csv', 'do not write requests.csv next to each summary.json')
    .option('--max-timelines <n>', 'timelines drawn at most, one per run (default 8)', nonNegativeInt('--max-timelines'))
    .option('--json', 'print what was written as JSON')
    .action(async (runDirs: string[], flags: ReportFlags) => {
      const result = await renderReport({
        runDirs,
        offline: flags.offline,
        writeCsv: flags.csv,
        logger: stderrLogger,
        ...(flags.out !== undefined ? { out: flags.out } : {}),
        ...(flags.svgDir !== undefined ? { svgDir: flags.svgDir } : {}),
        ...(flags.title !== undefined ? { title: flags.title } : {}),
        ...(flags.maxTimelines !== undefined ? { maxTimelines: flags.maxTimelines } : {}),
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `report  ${displayPath(result.reportFile)}  (${result.runDirs.length} run${result.runDirs.length === 1 ? '' : 's'}, charts: ${result.charts.join(', ')})\n`,
      );
      for (const file of result.csvFiles) process.stdout.write(`csv     ${displayPath(file)}\n`);
      for (const file of result.svgFiles ?? []) process.stdout.write(`svg     ${displayPath(file)}\n`);
    });
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  CIFAR100_ARCHIVE_MD5,
  CIFAR100_ARCHIVE_URL,
  CIFAR100_FILES,
  COARSE_CLASSES,
  DEFAULT_FETCH_TIMEOUT_MS,
  FINE_CLASSES,
  SHIPPED_TEST_SUBSET_FILE,
  fetchCifar100,
  parseLabelNames,
  resolveDataDir,
  scanRecordFile,
  shippedSubsetDir,
  writeSubset,
  type RecordFileScan,
} from '@wearnet/data';

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function split(value: string): 'train' | 'test' {
  if (value !== 'train' && value !== 'test') throw new InvalidArgumentError("must be 'train' or 'test'");
  return value;
}

/** One checked file of `data info`. */
interface InfoEntry {
  file: string;
  ok: boolean;
  error?: { code: string; message: string };
  scan?: Omit<RecordFileScan, 'fineCounts' | 'coarseCounts'> & {
    perFine: { min: number; max: number };
    perCoarse: { min: number; max: number };
  };
  names?: number;
}

function asError(err: unknown): { code: string; message: string } {
  const e = err as { code?: string; message?: string };
  return { code: e?.code ?? 'E_UNKNOWN', message: e?.message ?? String(err) };
}

async function inspectRecords(file: string): Promise<InfoEntry> {
  try {
    const scan = await scanRecordFile({ file });
    const { fineCounts, coarseCounts, ...rest } = scan;
    return {
      file,
      ok: scan.inconsistentFine.length === 0,
      scan: {
        ...rest,
        perFine: { min: Math.min(...fineCounts), max: Math.max(...fineCounts) },
        perCoarse: { min: Math.min(...coarseCounts), max: Math.max(...coarseCounts) },
      },
    };
  } catch (err) {
    return { file, ok: false, error: asError(err) };
  }
}

async function inspectNames(file: string, expected: number): Promise<InfoEntry> {
  try {
    const names = parseLabelNames(await fs.promises.readFile(file, 'utf8'), file, expected);
    return { file, ok: true, names: names.length };
  } catch (err) {
    const e = asError(err);
    return { file, ok: false, error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? { code: 'E_DATA_MISSING', message: `${file}: no such file` } : e };
  }
}

function describe(entry: InfoEntry): string {
  const name = path.basename(entry.file);
  if (entry.error) return `${name}: INVALID ${entry.error.code}: ${entry.error.message}`;
  if (entry.names !== undefined) return `${name}: ok, ${entry.names} names`;
  const s = entry.scan!;
  const lines = [
    `${name}: ${entry.ok ? 'ok' : 'INVALID'}, ${s.records} records, ${s.bytes} bytes`,
    `  sha256 ${s.sha256}`,
    `  images per fine class ${s.perFine.min}..${s.perFine.max}, per coarse class ${s.perCoarse.min}..${s.perCoarse.max}`,
  ];
  if (s.inconsistentFine.length > 0) lines.push(`  fine classes under several coarse classes: ${s.inconsistentFine.join(', ')}`);
  return lines.join('\n');
}

/** Registers `wearnet data fetch|info|subset`. */
export function register(program: Command): void {
  const data = program.command('data').description('CIFAR-100 in the official binary layout: fetch, inspect, subset');

  data
    .command('fetch')
    .description('download the official CIFAR-100 binary archive, verify its md5, extract it into a directory')
    .option('--out <dir>', 'directory to install into (default: $WEARNET_DATA, else ./cifar-100-binary)')
    .option('--timeout-ms <n>', 'longest wait for the connection or the next data, ms', positiveInt('--timeout-ms'), DEFAULT_FETCH_TIMEOUT_MS)
    .option('--url <url>', 'archive URL (a mirror)', CIFAR100_ARCHIVE_URL)
    .option('--md5 <hex>', 'expected md5 of the archive', CIFAR100_ARCHIVE_MD5)
    .action(async (opts: { out?: string; timeoutMs: number; url: string; md5: string }) => {
      const outDir = path.resolve(opts.out ?? process.env.WEARNET_DATA ?? 'cifar-100-binary');
      let nextTenth = 1;
      process.stderr.write(`fetching ${opts.url} (timeout ${opts.timeoutMs} ms)\n`);
      const result = await fetchCifar100({
        outDir,
        url: opts.url,
        md5: opts.md5,
        timeoutMs: opts.timeoutMs,
        onProgress: (received, total) => {
          if (total === undefined || received < (total * nextTenth) / 10) return;
          while (received >= (total * nextTenth) / 10) nextTenth++;
          process.stderr.write(`  ${Math.floor((received / total) * 100)}% of ${total} bytes\n`);
        },
      });
      process.stdout.write(
        `installed CIFAR-100 in ${result.outDir}: train ${result.records.train} records, test ${result.records.test} records (archive md5 ${result.md5})\n` +
          `use it with --data ${result.outDir} or WEARNET_DATA=${result.outDir}\n`,
      );
    });

  data
    .command('info')
    .description('check a CIFAR-100 directory: record counts, images per class, sha256, validity')
    .option('--data <dir>', 'data directory (default: $WEARNET_DATA)')
    .option('--shipped', 'inspect the test subset shipped with wearnet instead')
    .option('--json', 'print JSON')
    .action(async (opts: { data?: string; shipped?: boolean; json?: boolean }) => {
      const dir = opts.shipped ? shippedSubsetDir() : resolveDataDir({ data: opts.data });
      const recordFiles = opts.shipped ? [SHIPPED_TEST_SUBSET_FILE] : [CIFAR100_FILES.train, CIFAR100_FILES.test];
      const entries: InfoEntry[] = [];
      for (const name of recordFiles) entries.push(await inspectRecords(path.join(dir, name)));
      entries.push(await inspectNames(path.join(dir, CIFAR100_FILES.fineNames), FINE_CLASSES));
      entries.push(await inspectNames(path.join(dir, CIFAR100_FILES.coarseNames), COARSE_CLASSES));
      const valid = entries.every((e) => e.ok);
      if (opts.json) process.stdout.write(JSON.stringify({ dir, valid, files: entries }, null, 2) + '\n');
      else process.stdout.write(`${dir}\n${entries.map(describe).join('\n')}\n${valid ? 'valid' : 'INVALID'}\n`);
      if (!valid) process.exitCode = 1;
    });

  data
    .command('subset')
    .description('copy the first N records of a split (bytes unchanged) with the label-name files and a MANIFEST.json')
    .option('--data <dir>', 'source data directory (default: $WEARNET_DATA)')
    .requiredOption('--count <n>', 'number of leading records', positiveInt('--count'))
    .requiredOption('--out <dir>', 'destination directory')
    .option('--split <split>', "'train' or 'test'", split, 'test')
    .option('--file <name>', 'name of the record file written (default cifar100-<split>-<count>.bin)')
    .option('--note <text>', 'provenance note recorded in the manifest')
    .action(async (opts: { data?: string; count: number; out: string; split: 'train' | 'test'; file?: string; note?: string }) => {
      const dir = resolveDataDir({ data: opts.data });
      const command = `wearnet data subset --data ${opts.data ?? '$WEARNET_DATA'} --split ${opts.split} --count ${opts.count} --out ${opts.out}${opts.file ? ` --file ${opts.file}` : ''}`;
      const manifest = await writeSubset({ dir, split: opts.split, count: opts.count, outDir: opts.out, fileName: opts.file, command, note: opts.note });
      process.stdout.write(`wrote ${manifest.records} records to ${path.join(opts.out, manifest.recordFile)}\n`);
    });
}

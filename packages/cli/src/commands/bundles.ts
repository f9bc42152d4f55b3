import { Command, InvalidArgumentError } from 'commander';
import { writeRandomBundleSet } from '@wearnet/bundle';

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function widths(value: string): [number, number, number] {
  const parts = value.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError('--student-widths must be three positive integers, e.g. 16,32,64');
  return parts as [number, number, number];
}

/** `wearnet bundles random`: randomly initialised bundle sets of real shapes, for development. */
export function register(program: Command): void {
  const bundles = program.command('bundles').description('bundle sets (what devices and the aggregator load)');
  bundles
    .command('random')
    .description('write a randomly initialised bundle set with the shapes of a trained one (accuracy is chance)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--devices <n>', 'number of devices', positiveInt('--devices'), 8)
    .option('--parts <n>', 'number of parts (default devices/2 for averaging, devices for nonn)', positiveInt('--parts'))
    .option('--method <name>', 'averaging (part-average fusion) or nonn (concat)', 'averaging')
    .option('--fused-width <n>', 'total width of the fused vector', positiveInt('--fused-width'), 256)
    .option('--student-widths <a,b,c>', 'student backbone widths at 32, 16 and 8 pixels', widths)
    .option('--seed <n>', 'seed of the initialisers', positiveInt('--seed'), 1)
    .action(
      async (options: {
        out: string;
        devices: number;
        parts?: number;
        method: string;
        fusedWidth: number;
        studentWidths?: [number, number, number];
        seed: number;
      }) => {
        if (options.method !== 'averaging' && options.method !== 'nonn') throw new InvalidArgumentError('--method must be averaging or nonn');
        const result = await writeRandomBundleSet({
          dir: options.out,
          devices: options.devices,
          parts: options.parts,
          method: options.method,
          fusedWidth: options.fusedWidth,
          studentWidths: options.studentWidths,
          seed: options.seed,
        });
        process.stdout.write(
          `wrote ${result.devices} device bundles (${result.parts} parts, widths ${result.partWidths.join('/')}, ${result.macs[0]} MACs each) to ${result.dir}\n`,
        );
      },
    );
}

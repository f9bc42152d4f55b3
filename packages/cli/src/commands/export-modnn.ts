import { resolve } from 'node:path';
import { CIFAR100_MEAN, CIFAR100_STD, loadShippedTestSubset } from '@wearnet/data';
import type * as Modnn from '@wearnet/modnn';
import type * as Runtime from '@wearnet/runtime';

/** Flags of `wearnet export --mode modnn`. */
export interface ExportModnnFlags {
  teacher?: string;
  out: string;
  devices?: string;
  deviceClass?: string;
  inputMode?: string;
}

/**
 * `wearnet export --mode modnn --teacher DIR --devices K --out DIR [--device-class NAME[,NAME...]] [--input-mode local|broadcast]`:
 * the teacher split layer-wise across K devices (MoDNN bundles, docs/BUNDLES.md).
 */
export async function exportModnn(flags: ExportModnnFlags): Promise<void> {
  if (!flags.teacher) throw new RangeError('--teacher <dir> is required with --mode modnn');
  const devices = Number(flags.devices ?? '8');
  // Loaded on use so other commands do not pay for TensorFlow.js; require (not import()) also runs under jest.
  const { initRuntime } = require('@wearnet/runtime') as typeof Runtime;
  const { exportModnnBundles, planTraffic } = require('@wearnet/modnn') as typeof Modnn;
  await initRuntime();
  const classes = flags.deviceClass?.includes(',') ? flags.deviceClass.split(',') : flags.deviceClass;
  const inputMode =
    flags.inputMode === undefined ? undefined : flags.inputMode === 'broadcast' ? 'broadcast' : flags.inputMode === 'local' ? 'local' : undefined;
  if (flags.inputMode !== undefined && inputMode === undefined) throw new RangeError(`--input-mode must be local or broadcast, got ${flags.inputMode}`);
  const labels = (await loadShippedTestSubset({ limit: 1 })).fineNames;
  const result = await exportModnnBundles({
    teacherDir: resolve(flags.teacher),
    outDir: resolve(flags.out),
    devices,
    deviceClasses: classes,
    inputMode,
    mean: CIFAR100_MEAN,
    std: CIFAR100_STD,
    labels,
  });
  const traffic = planTraffic(result.plan);
  result.deviceWeightBytes.forEach((bytes, d) => {
    const rows = Object.values(result.plan.tensors).find((t) => t.shape[0] === result.plan.graph.nodes[0].shape[0])?.bands[d];
    process.stdout.write(`device-${d} (${result.deviceClasses[d]}): rows ${rows?.start}..${rows?.end} of the input resolution, ${bytes} B weights\n`);
  });
  process.stdout.write(
    `aggregator: gather of ${result.plan.devices} logit slices; ${traffic.messages} messages, ${traffic.payloadBytes} payload bytes per inference; plan ${result.planBytes} B\n`,
  );
}

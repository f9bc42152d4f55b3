import type { Command } from 'commander';
import { register as registerData } from './data';
import { register as registerPartition } from './partition';
import { register as registerTrain } from './train';
import { register as registerProbe } from './probe';
import { register as registerDistil } from './distil';
import { register as registerTeacherTargets } from './teacher-targets';
import { register as registerEvaluate } from './evaluate';
import { register as registerExport } from './export';
import { register as registerRun } from './run';
import { register as registerSweep } from './sweep';
import { register as registerCompose } from './compose';
import { register as registerK8s } from './k8s';
import { register as registerBundles } from './bundles';
import { register as registerMedium } from './medium';
import { register as registerAggregator } from './aggregator';
import { register as registerDevice } from './device';
import { register as registerController } from './controller';
import { register as registerReport } from './report';
import { register as registerLink } from './link';
import { register as registerBackend } from './backend';

/** A command module adds one (sub)command to the program. */
export type RegisterCommand = (program: Command) => void;

/** Every command of the CLI; each lives in its own file in this folder. */
export const commands: RegisterCommand[] = [
  registerData,
  registerTrain,
  registerProbe,
  registerPartition,
  registerTeacherTargets,
  registerDistil,
  registerEvaluate,
  registerExport,
  registerRun,
  registerSweep,
  registerCompose,
  registerK8s,
  registerBundles,
  registerMedium,
  registerAggregator,
  registerDevice,
  registerController,
  registerReport,
  registerLink,
  registerBackend,
];

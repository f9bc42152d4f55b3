import { optionError } from './errors';
import type { TaskSpec, TrainTask } from './task';
import { ReferenceTask, type ReferenceTaskSpec } from './reference-task';
import { TeacherTask, type TeacherTaskSpec } from './teacher-task';

type TaskFactory = (spec: TaskSpec) => TrainTask;

const factories = new Map<string, TaskFactory>([
  ['teacher', (spec) => new TeacherTask(spec as TeacherTaskSpec)],
  ['reference', (spec) => new ReferenceTask(spec as ReferenceTaskSpec)],
]);

/** Registers a task kind (distillation adds its own); workers build tasks by `spec.kind`. */
export function registerTask(kind: string, factory: TaskFactory): void {
  factories.set(kind, factory);
}

/** Builds the task a spec names. */
export function createTask(spec: TaskSpec): TrainTask {
  const factory = factories.get(spec.kind);
  if (factory === undefined) throw optionError('task.kind', `unknown task "${spec.kind}"`);
  return factory(spec);
}

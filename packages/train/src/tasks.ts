import { optionError } from './errors';
import type { TaskSpec, TrainTask } from './task';
import { ReferenceTask, type ReferenceTaskSpec } from './reference-task';
import { TeacherTask, type TeacherTaskSpec } from './teacher-task';

type TaskFactory = (spec: TaskSpec, data?: unknown) => TrainTask | Promise<TrainTask>;

const factories = new Map<string, TaskFactory>([
  ['teacher', (spec) => new TeacherTask(spec as TeacherTaskSpec)],
  ['reference', (spec) => new ReferenceTask(spec as ReferenceTaskSpec)],
]);

/** Registers a task kind (distillation adds its own); workers build tasks by `spec.kind`. */
export function registerTask(kind: string, factory: TaskFactory): void {
  factories.set(kind, factory);
}

/** Builds the task a spec names, first loading the modules it lists (which register their kinds); `data` goes to the factory. */
export async function createTask(spec: TaskSpec, data?: unknown): Promise<TrainTask> {
  for (const mod of spec.modules ?? []) require(mod);
  const factory = factories.get(spec.kind);
  if (factory === undefined) throw optionError('task.kind', `unknown task "${spec.kind}"`);
  return factory(spec, data);
}

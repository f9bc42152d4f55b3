import { buildWideResNet, type WideResNetOptions } from '@wearnet/models';
import { ClassifierTask } from './classifier-task';
import type { TaskSpec } from './task';

/** Task spec of teacher training: a Wide-ResNet with softmax cross-entropy. */
export interface TeacherTaskSpec extends TaskSpec {
  kind: 'teacher';
  model: WideResNetOptions;
}

/** Teacher training: cross-entropy on the WRN logits. */
export class TeacherTask extends ClassifierTask {
  constructor(spec: TeacherTaskSpec) {
    super(buildWideResNet(spec.model), spec.model.classes ?? 100);
  }
}

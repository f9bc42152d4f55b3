export { ModelError, optionError } from './errors';
export type { ModelErrorCode } from './errors';
export { buildWideResNet, featuresModel, resolveWideResNet, FEATURES_LAYER } from './wide-resnet';
export type { WideResNetConfig, WideResNetOptions } from './wide-resnet';
export { buildStudent } from './student';
export type { StudentArch, StudentModel, StudentOptions } from './student';
export { countModel } from './count';
export { trainingGraph, TRAINING_GRAPH_LAYERS } from './training-graph';
export type { ModelCost } from './count';

export { ControlClient } from './control-client';
export type { ControlClientOptions } from './control-client';
export { connectToRun } from './connect-to-run';
export type { ConnectToRunOptions } from './connect-to-run';
export type {
  FaultInput,
  FaultPatch,
  FaultView,
  StageInput,
  VersionView,
  DeviceView,
  LinksView,
  StageView,
  StatusView,
  WorkloadView,
  RequestRecord,
  MissingReason,
  BurstInput,
  Direction,
} from '@wearnet/roles';
export { ControlError } from './errors';
export type { ControlErrorCode } from './errors';

export { ControlClient } from './control-client';
export type { ControlClientOptions } from './control-client';
export { connectToRun } from './connect-to-run';
export type { ConnectToRunOptions } from './connect-to-run';
export type { FaultInput, FaultView, DeviceView, LinksView, StageView, StatusView, RequestRecord, MissingReason, BurstInput, Direction } from './types';
export { ControlError } from './errors';
export type { ControlErrorCode } from './errors';

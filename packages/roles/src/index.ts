export { formatRoleEvent, parseRoleEvent, formatRoleCommand, parseRoleCommand, processUsage } from './role-events';
export type { RoleEvent, RoleCommand, ProcessUsage } from './role-events';
export { ROLE_CONFIG_KEYS } from './role-configs';
export type { RoleConfig, MediumRoleConfig, AggregatorRoleConfig, DeviceRoleConfig } from './role-configs';
export { runRoleProcess } from './role-process';
export { readSecret } from './secret';
export type { SecretSource, LoadedSecret } from './secret';
export type { RoleContext, RunningRole, RoleCommandOptions } from './role-process';
export { CONTROL_ROUTES, CONTROL_API_VERSION } from './control-views';
export type {
  ControlRoute,
  DeviceProcessState,
  DeviceView,
  StatusView,
  WorkloadView,
  FaultState,
  FaultView,
  FaultInput,
  BurstInput,
  Direction,
  StageView,
  LinksView,
  RunRequestsView,
  FaultPatch,
  StageInput,
  VersionView,
} from './control-views';
export type { RequestRecord, MissingReason } from '@wearnet/aggregator';
export { RoleError } from './errors';
export type { RoleErrorCode } from './errors';

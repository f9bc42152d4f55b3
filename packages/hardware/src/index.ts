export { DEVICE_CLASSES, DEVICE_CLASS_NAMES, resolveDeviceClass, computeTimeMs, computeEnergyNj } from './device-classes';
export type { DeviceClass, ResolveDeviceClassOptions } from './device-classes';
export { HardwareError } from './errors';
export type { HardwareErrorCode } from './errors';

/**
 * Stable codes of launcher errors.
 * - `E_TOPOLOGY_NOT_FOUND`: the topology file cannot be read.
 * - `E_TOPOLOGY_INVALID`: the topology is not valid; the message starts with `file:line:col: path:`.
 * - `E_COMPOSE_UNSUPPORTED`: `wearnet compose` was given a topology a compose project cannot run, or
 *   its controller was asked for it (device faults, request-count marks, a gated workload, `stop`:
 *   they need the launcher to own the processes).
 * - `E_IMAGE_REQUIRED`: `wearnet compose --swarm` without `--image` from a registry (every node pulls it).
 * - `E_PLACEMENT_INVALID`: a placement names no service of the stack, or no valid node hostname.
 * - `E_READY_TIMEOUT`: a child process did not report ready in time.
 * - `E_CHILD_FAILED`: the medium or the aggregator exited or failed during the run.
 * - `E_INTERRUPTED`: the run was stopped by a signal (Ctrl-C); partial results were written.
 * - `E_THRESHOLD_VIOLATED`: the run finished but broke a threshold of the topology.
 * - `E_UNKNOWN_DEVICE`: a device id the cluster does not have.
 * - `E_SETTLE_TIMEOUT`: a fault's effect (a device gone or back) was not seen in time.
 * - `E_FAULT_NOT_FOUND`: no fault with that id.
 * - `E_FAULT_CLEARED`: an update (`PATCH /faults/<id>`) of a fault that has already been cleared.
 * - `E_STAGE_NOT_FOUND`: no medium stage of that name on that link (`DELETE` of a stage route).
 * - `E_NOT_GATED`: requests asked through the control API of a run whose workload is not gated.
 * - `E_RUN_FINISHED`: a control request after the workload ended.
 * - `E_BAD_REQUEST`: a control request whose body is not JSON or not valid.
 * - `E_NOT_FOUND`: no such control route.
 * - `E_DEVICE_FAILED`: a device cannot load its bundle (checked before start, or its process exited before loading); the device's own code and file are in the message.
 * - `E_OPTION_INVALID`: a launcher option is out of range (`startConcurrency`); the message names it.
 * - `E_MEDIUM_REFUSED`: the medium refused a stage change (its own code and message are in the message and `cause`).
 */
export type LauncherErrorCode =
  | 'E_TOPOLOGY_NOT_FOUND'
  | 'E_TOPOLOGY_INVALID'
  | 'E_COMPOSE_UNSUPPORTED'
  | 'E_IMAGE_REQUIRED'
  | 'E_PLACEMENT_INVALID'
  | 'E_READY_TIMEOUT'
  | 'E_CHILD_FAILED'
  | 'E_INTERRUPTED'
  | 'E_THRESHOLD_VIOLATED'
  | 'E_UNKNOWN_DEVICE'
  | 'E_SETTLE_TIMEOUT'
  | 'E_FAULT_NOT_FOUND'
  | 'E_FAULT_CLEARED'
  | 'E_STAGE_NOT_FOUND'
  | 'E_NOT_GATED'
  | 'E_RUN_FINISHED'
  | 'E_BAD_REQUEST'
  | 'E_NOT_FOUND'
  | 'E_MEDIUM_REFUSED'
  | 'E_OPTION_INVALID'
  | 'E_DEVICE_FAILED';

/** Error raised by the launcher, with a stable `code`; `path` is the YAML path of a topology error. */
export class LauncherError extends Error {
  override readonly name = 'LauncherError';
  readonly code: LauncherErrorCode;
  readonly path: string;

  constructor(code: LauncherErrorCode, message: string, options: { cause?: unknown; path?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path ?? '';
  }
}

/**
 * `link` itself when it names one of `devices` (or is null: the medium-wide stages).
 * @throws LauncherError `E_UNKNOWN_DEVICE` otherwise, listing the known ids.
 */
export function knownLink(devices: readonly { id: string }[], link: string | null): string | null {
  if (link !== null && !devices.some((d) => d.id === link))
    throw new LauncherError('E_UNKNOWN_DEVICE', `no device "${link}" (known: ${devices.map((d) => d.id).join(', ')})`);
  return link;
}

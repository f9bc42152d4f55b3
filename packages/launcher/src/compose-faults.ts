import { DEVICE_FAULT_KINDS, type FaultSpec } from '@wearnet/faults';

/**
 * Why the compose controller cannot run a fault, or undefined when it can. The controller lives
 * in its own container: it reaches the medium's stage routes and the aggregator's `/status` over
 * the network, so it runs every link and medium fault (`link-down`, `flap`, `degrade`, `noise`)
 * timed in modelled ms. It owns no device process (no kill, SIGSTOP or restart across
 * containers) and cannot hold the aggregator's issue limit (no stdin across containers), so
 * device faults and request-count starts or ends are refused.
 */
export function composeFaultProblem(spec: FaultSpec): string | undefined {
  if (DEVICE_FAULT_KINDS.includes(spec.kind))
    return `${spec.id}: kind ${spec.kind} acts on a device process, which the compose controller does not own (use \`wearnet run\`)`;
  if ('afterRequests' in spec.start) return `${spec.id}: afterRequests needs the launcher to hold the aggregator's issue limit; use atMs (modelled ms)`;
  if (spec.end !== null && 'forRequests' in spec.end)
    return `${spec.id}: forRequests needs the launcher to hold the aggregator's issue limit; use durationMs (modelled ms)`;
  return undefined;
}

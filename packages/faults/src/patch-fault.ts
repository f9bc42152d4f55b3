import { FaultError } from './errors';
import type { FaultKind, FaultSpec } from './fault-spec';
import { formatFaultPath, parseFault } from './parse-fault';

/**
 * Fields of each kind that `PATCH /faults/<id>` may change in place. Identity (`id`, `kind`,
 * `target`) and timing (`atMs`, `afterRequests`, `durationMs`, `forRequests`) are fixed: delete the
 * fault and add a new one instead. A flap's outages are drawn when it is planned, so it has none.
 */
export const PATCHABLE_FAULT_FIELDS: Readonly<Record<FaultKind, readonly string[]>> = {
  crash: [],
  pause: [],
  restart: [],
  flap: [],
  slow: ['factor'],
  'link-down': ['direction', 'toxicity'],
  degrade: ['direction', 'loss', 'burst', 'rateFactor', 'toxicity'],
  noise: ['direction', 'loss', 'burst', 'rateFactor', 'toxicity'],
  latency: ['direction', 'latencyMs', 'jitterMs', 'toxicity'],
  bandwidth: ['direction', 'rateBps', 'toxicity'],
};

/** The flat input a spec was parsed from (`{ id, kind, target, atMs | afterRequests, durationMs | forRequests, ...kind fields }`). */
export function faultInput(spec: FaultSpec): Record<string, unknown> {
  const { targets, start, end, ...fields } = spec;
  return { ...fields, ...(spec.kind === 'noise' ? {} : { target: [...targets] }), ...start, ...(end ?? {}) };
}

/**
 * Applies a partial update to a fault: `patch` holds some of the kind's changeable fields (see
 * {@link PATCHABLE_FAULT_FIELDS}); a field set to `null` goes back to its default (or is removed,
 * such as one part of a degradation). The result is validated like a new fault.
 * @throws FaultError `E_FAULT_INVALID` whose `path` names the field.
 */
export function patchFault(spec: FaultSpec, patch: unknown): FaultSpec {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw invalid([], 'a patch must be a mapping of the fields to change');
  const allowed = PATCHABLE_FAULT_FIELDS[spec.kind];
  const input = faultInput(spec);
  const entries = Object.entries(patch as Record<string, unknown>);
  if (entries.length === 0) throw invalid([], `a patch needs at least one field (changeable on a ${spec.kind} fault: ${allowed.join(', ') || 'none'})`);
  for (const [key, value] of entries) {
    if (!allowed.includes(key)) {
      const fixed = ['id', 'kind', 'target', 'atMs', 'afterRequests', 'durationMs', 'forRequests'].includes(key);
      const why = fixed ? 'is fixed once a fault is added: delete the fault and add a new one' : 'is not a field of this kind';
      throw invalid([key], `${why} (changeable on a ${spec.kind} fault: ${allowed.join(', ') || 'none'})`);
    }
    if (value === null) delete input[key];
    else input[key] = value;
  }
  return parseFault(input, { devices: spec.targets });
}

function invalid(path: string[], reason: string): FaultError {
  return new FaultError('E_FAULT_INVALID', `${formatFaultPath(path)}: ${reason}`, { path, reason });
}

/**
 * Stable codes of aggregator errors.
 * - `E_HUB_CONNECT_FAILED`: the aggregator could not open its hub connection to the medium.
 * - `E_HUB_LOST`: the medium closed the hub connection during the run.
 * - `E_NO_DEVICES`: no device authenticated before `startTimeoutMs`.
 * - `E_BUNDLE_MISMATCH`: the topology's devices do not fit the aggregator bundle.
 * - `E_RECORDS_CLOSED`: a record was written after the run's `requests.jsonl` was closed.
 */
export type AggregatorErrorCode = 'E_HUB_CONNECT_FAILED' | 'E_HUB_LOST' | 'E_NO_DEVICES' | 'E_BUNDLE_MISMATCH' | 'E_RECORDS_CLOSED';

/** Error raised by the aggregator, with a stable `code` and the original in `cause`. */
export class AggregatorError extends Error {
  override readonly name = 'AggregatorError';
  readonly code: AggregatorErrorCode;

  constructor(code: AggregatorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

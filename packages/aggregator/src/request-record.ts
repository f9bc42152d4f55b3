/** Why a device's vector is missing from a request. */
export type MissingReason =
  /** The device was not authenticated when the request started. */
  | 'not-connected'
  /** The request to the device was lost on the body (a frame exhausted its retries). */
  | 'downlink-lost'
  /** The device's result was lost on the body. */
  | 'uplink-lost'
  /** The result reached the hub while the request waited out the real-time grace, but stamped after the deadline. */
  | 'late'
  /** The device answered with an error. */
  | 'error'
  /** Nothing was heard by the deadline (late, lost without a trace, or the device disconnected). */
  | 'no-reply'
  /** The run was cut short (a process died or the run was stopped) while the request still waited for the device. */
  | 'cut';

/** Why a request was cut short: a stable code (`E_HUB_LOST`, `E_STOPPED`, `E_CHILD_FAILED`) and what happened. */
export interface CutCause {
  code: string;
  message: string;
}

/** Per-device detail of one request. */
export interface DeviceOutcome {
  /** Modelled ms from the request's start to the result's arrival at the hub (absent when missing). */
  latencyMs?: number;
  /** Modelled compute time the device reported, ms. */
  computeMs?: number;
  missing?: MissingReason;
}

/** One durable line of `requests.jsonl`. */
export interface RequestRecord {
  /** Request id (0-based, issue order). */
  id: number;
  /** Sample index in the dataset slice. */
  sample: number;
  label: number;
  /** Arg-max class of the fused vector; null when nothing was fused (no vector arrived): no prediction, not class 0. */
  prediction: number | null;
  correct: boolean;
  /** Modelled start time, ms. */
  startMs: number;
  /** Modelled time from start until fusion (last arrival, or the deadline when something is missing), ms. */
  latencyMs: number;
  /** The request was fused at its deadline because a vector was still awaited or arrived stamped too late. */
  deadlineMissed: boolean;
  /** Ids of the devices whose vectors were fused. */
  arrived: string[];
  devices: Record<string, DeviceOutcome>;
  /** Payload bytes of the request's messages hub -> devices (every device, including lost ones). */
  bytesDown: number;
  /** Payload bytes of the devices' results put on the body, delivered or lost, heard before the request was fused. */
  bytesUp: number;
  /** Link-layer retries of the request's messages, both ways. */
  retries: number;
  /** Frame attempts lost on the body, both ways. */
  lostFrames: number;
  /** Host wall time from issue to fusion, ms (diagnostic; not the modelled latency). */
  hostMs: number;
  /** Analytic lossless latency of this request's round on an idle medium, ms (only when every device answered; see `roundBound`). */
  boundMs?: number;
  /** Present when the request was cut short before its deadline: what arrived by then was fused, waiting devices are `missing: 'cut'`. */
  cut?: CutCause;
}

import './stages/index';
export type { LinkConfig, LinkOverrides, BurstConfig, BackoffConfig, EnergyConfig } from './config';
export { validateLinkConfig } from './config';
export { LINK_PRESETS, LINK_PRESET_NAMES, resolveLinkConfig } from './presets';
export type { LinkPresetName, ResolveLinkOptions } from './presets';
export { frameCount, framePayload, frameAirtimeMs, ackAirtimeMs, attemptTimeMs, idleTransfer, saturatedGoodputBps } from './airtime';
export type { IdleTransfer } from './airtime';
export { roundBound } from './bound';
export type { RoundBound, RoundBoundOptions } from './bound';
export { radioEnergyNj } from './energy';
export type { RadioBits } from './energy';
export { GilbertElliott } from './gilbert-elliott';
export type { ChannelState } from './gilbert-elliott';
export { createStream, exponential, hashString } from '@wearnet/random';
export type { RandomStream } from '@wearnet/random';
export { registerStageType, stageType, stageTypeNames, createStage, combineStages, numberAttribute } from './stage-registry';
export type { Direction, StageDirection, Stage, StageSpec, StageType, StageEffect, MessageEffect } from './stage-registry';
export { BodyTimeline } from './timeline';
export type {
  BodyTimelineOptions,
  LossChannel,
  LinkState,
  LinkTransferStats,
  TransmitRequest,
  TransmitResult,
  AttemptRecord,
  TimelineTotals,
} from './timeline';
export { LinkError } from './errors';
export type { LinkErrorCode } from './errors';
export { ModelClock, hostNowMs } from './model-clock';
export type { ModelClockOptions } from './model-clock';
export type { FadeConfig } from './config';
export { validateFade } from './config';
export { FadeProcess, fadeDistributions, fadeTimeFraction } from './fade-process';
export type { FadePeriod } from './fade-process';
export { sampleDuration, sampleResidual, durationCdf, durationQuantile, standardNormal } from './duration';
export type { DurationDistribution, DurationKind } from './duration';
export { ksDistance, ksDistanceToCdf, ksCritical } from './ks';
export { runSelftest } from './selftest';
export type { SelftestOptions, SelftestReport } from './selftest';
export type { RunLengthComparison, LengthHistogram } from './run-lengths';
export { channelMixture } from './channel-mixture';
export type { ChannelAtom } from './channel-mixture';
export { saturatedAnalytic, meanBackoffMs } from './saturated-analytic';
export type { SaturatedAnalytic } from './saturated-analytic';
export { probeLatencyAnalytic } from './probe-latency';
export type { ProbeLatencyAnalytic } from './probe-latency';
export { selftestChecks } from './selftest-checks';
export type { SelftestTolerances, SelftestCheck } from './selftest-checks';
export { parseChannelTrace, formatChannelTrace, traceChannel, traceAtoms, traceReplay, gainToLoss, resolveThreshold } from './trace';
export { synthesizeGainTrace } from './trace-synth';
export type { SynthesizeTraceOptions } from './trace-synth';
export type { ChannelTrace, TraceKind, GainThreshold, ParseTraceOptions, TraceChannelOptions } from './trace';
export type { PathLossConfig, TraceReplayConfig } from './config';
export { validatePathLoss } from './config';
export { pairLossDb, scaleLoss, linkView } from './path-loss';

import type { RandomStream } from '@wearnet/random';

/** Family of a fade or non-fade duration distribution. */
export type DurationKind = 'lognormal' | 'exponential';

/**
 * A distribution of holding times, modelled ms. `lognormal`: ln(duration) is normal with standard
 * deviation `sigma` and the given mean duration (so mu = ln(meanMs) - sigma^2 / 2); `exponential`:
 * memoryless with the given mean (`sigma` unused).
 */
export interface DurationDistribution {
  kind: DurationKind;
  /** Mean duration, modelled ms (> 0). */
  meanMs: number;
  /** Standard deviation of ln(duration) for `lognormal`; ignored for `exponential`. */
  sigma: number;
}

/** A standard normal sample (Box-Muller on two uniforms of `stream`). */
export function standardNormal(stream: RandomStream): number {
  const u = 1 - stream.next();
  const v = stream.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** mu of ln(duration) of a lognormal with the distribution's mean and sigma. */
export function lognormalMu(distribution: DurationDistribution): number {
  return Math.log(distribution.meanMs) - (distribution.sigma * distribution.sigma) / 2;
}

/** One duration drawn from `distribution`, ms. */
export function sampleDuration(distribution: DurationDistribution, stream: RandomStream): number {
  if (distribution.kind === 'exponential') return -distribution.meanMs * Math.log(1 - stream.next());
  return Math.exp(lognormalMu(distribution) + distribution.sigma * standardNormal(stream));
}

/**
 * The remaining duration of the period that covers a random instant (the stationary residual life),
 * ms: a length-biased draw times a uniform fraction. The length-biased lognormal(mu, s) is
 * lognormal(mu + s^2, s); the exponential is memoryless. Starting a process with it makes the
 * process stationary from time 0.
 */
export function sampleResidual(distribution: DurationDistribution, stream: RandomStream): number {
  if (distribution.kind === 'exponential') return sampleDuration(distribution, stream);
  const s = distribution.sigma;
  const biased = Math.exp(lognormalMu(distribution) + s * s + s * standardNormal(stream));
  return biased * (1 - stream.next());
}

/** Cumulative distribution function of `distribution` at `ms`. */
export function durationCdf(distribution: DurationDistribution, ms: number): number {
  if (ms <= 0) return 0;
  if (distribution.kind === 'exponential') return 1 - Math.exp(-ms / distribution.meanMs);
  return 0.5 * (1 + erf((Math.log(ms) - lognormalMu(distribution)) / (distribution.sigma * Math.SQRT2)));
}

/** Quantile (inverse CDF) of `distribution` at probability `p` in (0, 1), ms. */
export function durationQuantile(distribution: DurationDistribution, p: number): number {
  if (distribution.kind === 'exponential') return -distribution.meanMs * Math.log(1 - p);
  return Math.exp(lognormalMu(distribution) + distribution.sigma * Math.SQRT2 * erfInv(2 * p - 1));
}

/** Error function (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign * (1 - poly * Math.exp(-a * a));
}

/** Inverse error function (Giles' single-precision approximation refined by two Newton steps). */
export function erfInv(y: number): number {
  if (y <= -1) return -Infinity;
  if (y >= 1) return Infinity;
  const w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    const v = w - 2.5;
    x =
      ((((((((2.81022636e-8 * v + 3.43273939e-7) * v - 3.5233877e-6) * v - 4.39150654e-6) * v + 0.00021858087) * v - 0.00125372503) * v - 0.00417768164) * v +
        0.246640727) *
        v +
        1.50140941) *
      y;
  } else {
    const v = Math.sqrt(w) - 3;
    x =
      ((((((((-0.000200214257 * v + 0.000100950558) * v + 0.00134934322) * v - 0.00367342844) * v + 0.00573950773) * v - 0.0076224613) * v + 0.00943887047) *
        v +
        1.00167406) *
        v +
        2.83297682) *
      y;
  }
  for (let i = 0; i < 2; i += 1) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

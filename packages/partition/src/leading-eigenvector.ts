import type { SeededRng } from '@wearnet/random';

/** A symmetric linear operator of dimension `n`: writes `A x` into `out`. */
export type SymmetricOperator = (x: Float64Array, out: Float64Array) => void;

/** Options of {@link leadingEigenpair}. */
export interface LeadingEigenOptions {
  /** Krylov subspace size per restart; default min(n, 48). */
  readonly krylovSize?: number;
  /** Converged when the residual `||A y - theta y||` <= tolerance * spectral-scale; default 1e-7. */
  readonly tolerance?: number;
  /** Explicit restarts before returning the best Ritz pair found; default 50. */
  readonly maxRestarts?: number;
}

/** Largest (algebraic) eigenvalue and its unit eigenvector. */
export interface Eigenpair {
  readonly value: number;
  readonly vector: Float64Array;
  /** Final residual norm `||A y - value y||`. */
  readonly residual: number;
  /** False when `maxRestarts` ran out before the residual met the tolerance (the best pair is returned). */
  readonly converged: boolean;
}

/**
 * Largest algebraic eigenpair of a symmetric operator by explicitly restarted Lanczos with full
 * reorthogonalisation; the start vector is drawn from `rng`, so a seeded rng gives a reproducible
 * vector (when the leading eigenvalue is degenerate the result is one vector of its eigenspace).
 * Cost per restart: `krylovSize` operator applications plus O(n * krylovSize^2).
 */
export function leadingEigenpair(n: number, apply: SymmetricOperator, rng: SeededRng, options: LeadingEigenOptions = {}): Eigenpair {
  const size = Math.max(1, Math.min(n, options.krylovSize ?? 48));
  const tolerance = options.tolerance ?? 1e-7;
  const maxRestarts = options.maxRestarts ?? 50;
  let start: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = rng.float() - 0.5;
  if (normalise(start) === 0) start[0] = 1;
  let best: Eigenpair | undefined;
  for (let restart = 0; restart <= maxRestarts; restart++) {
    const { value, vector, residual, scale } = lanczos(n, apply, start, size);
    if (residual <= tolerance * Math.max(scale, 1e-300)) return { value, vector, residual, converged: true };
    if (best === undefined || residual < best.residual) best = { value, vector, residual, converged: false };
    start = vector;
  }
  return best as Eigenpair;
}

function lanczos(n: number, apply: SymmetricOperator, start: Float64Array, size: number): { value: number; vector: Float64Array; residual: number; scale: number } {
  const basis: Float64Array[] = [Float64Array.from(start)];
  const alpha: number[] = [];
  const beta: number[] = [];
  const w = new Float64Array(n);
  let lastBeta = 0;
  for (let j = 0; j < size; j++) {
    const q = basis[j] as Float64Array;
    apply(q, w);
    const a = dot(q, w);
    alpha.push(a);
    // Full reorthogonalisation, twice ("twice is enough"), replaces the three-term recurrence.
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) axpy(-dot(b, w), b, w);
    }
    lastBeta = Math.sqrt(dot(w, w));
    if (j === size - 1) break;
    if (lastBeta <= 1e-12 * Math.max(1, Math.abs(a))) {
      lastBeta = 0; // invariant subspace found: the Ritz pairs are exact
      break;
    }
    beta.push(lastBeta);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = (w[i] as number) / lastBeta;
    basis.push(next);
  }
  const k = alpha.length;
  const t = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    t[i * k + i] = alpha[i] as number;
    if (i + 1 < k) {
      t[i * k + i + 1] = beta[i] as number;
      t[(i + 1) * k + i] = beta[i] as number;
    }
  }
  const { values, vectors } = jacobiEigen(t, k);
  let top = 0;
  let scale = 0;
  for (let i = 0; i < k; i++) {
    if ((values[i] as number) > (values[top] as number)) top = i;
    scale = Math.max(scale, Math.abs(values[i] as number));
  }
  const vector = new Float64Array(n);
  for (let i = 0; i < k; i++) axpy(vectors[i * k + top] as number, basis[i] as Float64Array, vector);
  normalise(vector);
  const residual = Math.abs(lastBeta * (vectors[(k - 1) * k + top] as number));
  return { value: values[top] as number, vector, residual, scale };
}

/**
 * Eigen-decomposition of a small dense symmetric matrix (row-major, `k x k`) by cyclic Jacobi
 * rotations. Returns eigenvalues and eigenvectors as columns of `vectors` (`vectors[i * k + c]`).
 */
export function jacobiEigen(matrix: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const x = (a[i * k + j] as number) ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-30 * Math.max(total, 1e-300)) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q] as number;
        if (apq === 0) continue;
        const app = a[p * k + p] as number;
        const aqq = a[q * k + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p] as number;
          const arq = a[r * k + q] as number;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r] as number;
          const aqr = a[q * k + r] as number;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p] as number;
          const vrq = v[r * k + q] as number;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = a[i * k + i] as number;
  return { values, vectors: v };
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * (x[i] as number);
}

function normalise(x: Float64Array): number {
  const norm = Math.sqrt(dot(x, x));
  if (norm > 0) for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) / norm;
  return norm;
}

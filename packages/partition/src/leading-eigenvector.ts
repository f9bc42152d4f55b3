import type { SeededRng } from '@wearnet/random';

/** A symmetric linear operator of dimension `n`: writes `A x` into `out`. */
export type SymmetricOperator = (x: Float64Array, out: Float64Array) => void;

/** Options of {@link leadingEigenpair}. */
export interface LeadingEigenOptions {
  /** Krylov subspace size of the first restart (it grows while convergence is slow); default min(n, 48). */
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
 * Largest algebraic eigenpair of a symmetric operator by thick-restarted Lanczos (Rayleigh-Ritz on
 * an explicitly orthonormalised Krylov basis): each restart keeps the top three Ritz vectors and
 * grows the basis again from the residual of the best one, and a restart that does not halve the
 * residual enlarges the basis by half (at n it is exact), so close leading eigenvalues, which stall
 * a restart from a single Ritz vector, still converge. The start vector is drawn from `rng`, so a
 * seeded rng gives a reproducible vector (when the leading eigenvalue is degenerate the result is one
 * vector of its eigenspace). Cost per restart: about `krylovSize` operator applications plus
 * O(n * krylovSize^2). The returned pair says whether it met the tolerance and its residual.
 */
export function leadingEigenpair(n: number, apply: SymmetricOperator, rng: SeededRng, options: LeadingEigenOptions = {}): Eigenpair {
  let size = Math.max(1, Math.min(n, options.krylovSize ?? 48));
  const tolerance = options.tolerance ?? 1e-7;
  const maxRestarts = options.maxRestarts ?? 50;
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = rng.float() - 0.5;
  if (normalise(start) === 0) start[0] = 1;
  let basis: Float64Array[] = [start];
  let images: Float64Array[] = [];
  let best: Eigenpair | undefined;
  let previous = Infinity;
  for (let restart = 0; restart <= maxRestarts; restart++) {
    // Grow the Krylov basis from its last vector; full reorthogonalisation, twice.
    for (;;) {
      const last = basis[basis.length - 1] as Float64Array;
      const w = new Float64Array(n);
      apply(last, w);
      images.push(Float64Array.from(w));
      if (basis.length >= size) break;
      for (let pass = 0; pass < 2; pass++) for (const b of basis) axpy(-dot(b, w), b, w);
      if (normalise(w) <= 1e-12) break; // invariant subspace: the Ritz pairs are exact
      basis.push(w);
    }
    const k = basis.length;
    const h = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const v = (dot(basis[i] as Float64Array, images[j] as Float64Array) + dot(basis[j] as Float64Array, images[i] as Float64Array)) / 2;
        h[i * k + j] = v;
        h[j * k + i] = v;
      }
    }
    const { values, vectors } = jacobiEigen(h, k);
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number));
    const scale = Math.max(...Array.from(values, Math.abs), 1e-300);
    const combine = (cols: Float64Array[], c: number): Float64Array => {
      const out = new Float64Array(n);
      for (let i = 0; i < k; i++) axpy(vectors[i * k + c] as number, cols[i] as Float64Array, out);
      return out;
    };
    const top = order[0] as number;
    const value = values[top] as number;
    const vector = combine(basis, top);
    const image = combine(images, top);
    const r = Float64Array.from(image, (x, i) => x - value * (vector[i] as number));
    const residual = Math.sqrt(dot(r, r));
    const norm = normalise(vector);
    const pair = { value, vector, residual: residual / Math.max(norm, 1e-300), converged: residual <= tolerance * scale };
    if (pair.converged) return pair;
    if (best === undefined || pair.residual < best.residual) best = { ...pair, vector: Float64Array.from(vector) };
    // Thick restart: the top Ritz vectors (orthonormal, their images known) plus the residual direction.
    // A restart that did not halve the residual grows the basis by half (up to n, where it is exact).
    if (best.residual > 0.5 * previous) size = Math.min(n, Math.ceil(size * 1.5));
    previous = best.residual;
    const kept = order.slice(0, Math.max(1, Math.min(3, size - 1, k - 1)));
    const nextBasis = kept.map((c) => combine(basis, c));
    const nextImages = kept.map((c) => combine(images, c));
    for (let pass = 0; pass < 2; pass++) for (const b of nextBasis) axpy(-dot(b, r), b, r);
    if (normalise(r) <= 1e-12 || k < 2) return best;
    basis = [...nextBasis, r];
    images = nextImages;
  }
  return best as Eigenpair;
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

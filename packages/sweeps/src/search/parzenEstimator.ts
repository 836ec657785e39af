import { normalCdf, normalPpf } from './normalDistribution.js';
import type { CategoricalDimension, NumericDimension } from './searchDimension.js';
import type { SeededRandom } from './seededRandom.js';

/** Optuna's defaults for its univariate TPE. */
export const PRIOR_WEIGHT = 1;
const MAGIC_CLIP_LIMIT = 100;
const FLAT_WEIGHTS = 25;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Optuna's default_weights: the 25 newest observations weigh 1, older ones ramp down linearly (oldest 1/n), so a
 * long sweep leans on its recent trials. Observations are in trial order.
 */
export function observationWeights(n: number): number[] {
  if (n < FLAT_WEIGHTS) return Array.from({ length: n }, () => 1);
  const ramp = n - FLAT_WEIGHTS;
  const weights: number[] = [];
  for (let i = 0; i < ramp; i++) weights.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < FLAT_WEIGHTS; i++) weights.push(1);
  return weights;
}

function normalise(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

/**
 * A mixture of normals truncated to [low, high], one per observation plus the prior (Optuna's univariate Parzen
 * estimator with consider_prior, magic clip, no endpoints). Integer dimensions use bins of width 1.
 */
export class NumericParzenEstimator {
  private readonly mus: number[];
  private readonly sigmas: number[];
  private readonly weights: number[];
  /** Per component: log weight - log of its mass inside [low, high] (- log sigma sqrt(2 pi) for densities). */
  private readonly offsets: Float64Array;
  private readonly inverseSigmas: Float64Array;
  private readonly terms: Float64Array;
  private readonly low: number;
  private readonly high: number;

  constructor(
    private readonly dimension: NumericDimension,
    observations: number[],
  ) {
    const half = (dimension.step ?? 0) / 2;
    const low = dimension.low - half;
    const high = dimension.high + half;
    this.low = low;
    this.high = high;
    const range = high - low;
    const mus = [...observations, 0.5 * (low + high)];
    const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
    const sorted = order.map((i) => mus[i]);
    const withEnds = [low, ...sorted, high];
    const sortedSigmas = sorted.map((_, i) =>
      Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]),
    );
    if (withEnds.length >= 4) {
      // consider_endpoints=False: the outermost points take their inner neighbour's distance.
      sortedSigmas[0] = withEnds[2] - withEnds[1];
      sortedSigmas[sortedSigmas.length - 1] = withEnds[withEnds.length - 2] - withEnds[withEnds.length - 3];
    }
    const sigmas = new Array<number>(mus.length);
    order.forEach((original, rank) => {
      sigmas[original] = sortedSigmas[rank];
    });
    const minSigma = range / Math.min(MAGIC_CLIP_LIMIT, 1 + mus.length);
    for (let i = 0; i < sigmas.length; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]));
    sigmas[sigmas.length - 1] = range; // the prior
    this.mus = mus;
    this.sigmas = sigmas;
    this.weights = normalise([...observationWeights(observations.length), PRIOR_WEIGHT]);
    const n = mus.length;
    this.offsets = new Float64Array(n);
    this.inverseSigmas = new Float64Array(n);
    this.terms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const mass = normalCdf((high - mus[i]) / sigmas[i]) - normalCdf((low - mus[i]) / sigmas[i]);
      const density = dimension.step ? 0 : Math.log(sigmas[i]) + LOG_SQRT_2PI;
      this.offsets[i] = Math.log(this.weights[i]) - Math.log(mass) - density;
      this.inverseSigmas[i] = 1 / sigmas[i];
    }
  }

  /** n draws from the mixture, each inside [low, high] (on the lattice for integers). */
  sample(random: SeededRandom, n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      let u = random.next();
      let component = 0;
      while (component < this.weights.length - 1 && u >= this.weights[component]) u -= this.weights[component++];
      const mu = this.mus[component];
      const sigma = this.sigmas[component];
      // Inverse-CDF draw of the truncated normal.
      const a = normalCdf((this.low - mu) / sigma);
      const b = normalCdf((this.high - mu) / sigma);
      const p = a + random.next() * (b - a);
      let x = mu + sigma * normalPpf(Math.min(1 - 1e-16, Math.max(1e-16, p)));
      x = Math.min(this.high, Math.max(this.low, x));
      if (this.dimension.step) {
        const step = this.dimension.step;
        x = Math.min(
          this.dimension.high,
          Math.max(this.dimension.low, this.dimension.low + Math.round((x - this.dimension.low) / step) * step),
        );
      }
      out.push(x);
    }
    return out;
  }

  /** log density of the mixture at x (log probability of x's bin for integers). */
  logPdf(x: number): number {
    const { mus, offsets, inverseSigmas, terms } = this;
    const step = this.dimension.step;
    const n = mus.length;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      let logP: number;
      if (step) {
        const upper = Math.min(this.high, x + step / 2);
        const lower = Math.max(this.low, x - step / 2);
        const p = normalCdf((upper - mus[i]) * inverseSigmas[i]) - normalCdf((lower - mus[i]) * inverseSigmas[i]);
        logP = Math.log(Math.max(1e-300, p));
      } else {
        const z = (x - mus[i]) * inverseSigmas[i];
        logP = -0.5 * z * z;
      }
      const term = offsets[i] + logP;
      terms[i] = term;
      if (term > max) max = term;
    }
    if (max === Number.NEGATIVE_INFINITY) return max;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(terms[i] - max);
    return max + Math.log(sum);
  }
}

/** Optuna's categorical estimator: each observation a kernel on its choice, smoothed by the prior. */
export class CategoricalParzenEstimator {
  private readonly probabilities: number[];

  constructor(dimension: CategoricalDimension, observations: number[]) {
    const n = dimension.choices.length;
    const kernels = observations.length + 1;
    const componentWeights = normalise([...observationWeights(observations.length), PRIOR_WEIGHT]);
    const probabilities = new Array<number>(n).fill(0);
    // Each observed kernel puts 1 on its choice plus PRIOR_WEIGHT / kernels spread like the prior (Optuna 3.x).
    const spread = PRIOR_WEIGHT / kernels;
    const rowSum = spread * n + 1;
    observations.forEach((choice, k) => {
      for (let c = 0; c < n; c++) {
        const mass = spread * n * dimension.prior[c] + (c === choice ? 1 : 0);
        probabilities[c] += (componentWeights[k] * mass) / rowSum;
      }
    });
    const prior = componentWeights[componentWeights.length - 1];
    for (let c = 0; c < n; c++) probabilities[c] += prior * dimension.prior[c];
    this.probabilities = normalise(probabilities);
  }

  sample(random: SeededRandom, n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      let u = random.next();
      let c = 0;
      while (c < this.probabilities.length - 1 && u >= this.probabilities[c]) u -= this.probabilities[c++];
      out.push(c);
    }
    return out;
  }

  logPdf(choice: number): number {
    return Math.log(this.probabilities[choice]);
  }
}

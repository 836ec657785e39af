import type { HyperbandConfig } from '../config/sweepConfig.js';

/** Enough brackets for any run: min_iter * eta^i grows past any history length long before this. */
const MAX_BRACKETS = 100;

/**
 * The iterations at which Hyperband compares trials (wandb's brackets), ascending. With max_iter and s:
 * max_iter/eta, max_iter/eta^2, ... (s of them, while >= 1), truncated to integers; with min_iter:
 * min_iter, min_iter*eta, min_iter*eta^2, ... An iteration is one logged value of the sweep's metric.
 */
export function hyperbandBands(config: HyperbandConfig): number[] {
  const bands: number[] = [];
  if (config.maxIter !== undefined) {
    let band = config.maxIter;
    for (let i = 0; i < (config.s ?? 0); i++) {
      band /= config.eta;
      if (band < 1) break;
      bands.push(Math.trunc(band));
    }
    return bands.sort((a, b) => a - b);
  }
  let band = config.minIter ?? 1;
  for (let i = 0; i < MAX_BRACKETS && band <= Number.MAX_SAFE_INTEGER; i++) {
    bands.push(Math.trunc(band));
    band *= config.eta;
  }
  return bands;
}

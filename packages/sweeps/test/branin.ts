/** The Branin function on x1 in [-5, 10], x2 in [0, 15]: global minimum 0.397887 at three points. */
export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

export const BRANIN_MINIMUM = 0.397887;

export const braninSweep = (method: 'random' | 'bayes', seed: number) => ({
  method,
  seed,
  metric: { name: 'y', goal: 'minimize' },
  parameters: { x1: { distribution: 'uniform', min: -5, max: 10 }, x2: { distribution: 'uniform', min: 0, max: 15 } },
});

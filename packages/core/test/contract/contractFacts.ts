/** What writeContractStore.ts writes, for the contract tests to check against. */
export const CONTRACT = {
  project: 'contract',
  otherProject: 'other',
  /** A finished run with a long indexed history, special values, a nested key, output, an alert, a file. */
  main: 'main',
  /** A finished run that used the main run's artifact. */
  consumer: 'consumer',
  /** A run that finished with exit code 1. */
  failed: 'failedrun',
  /** Runs the edit tests change and delete. */
  edited: 'edited',
  deleted: 'deleted',
  rows: 1500,
  /** Step whose loss is the run's minimum (-5 + 1/(step+1)). */
  minLossStep: 777,
  specials: { 7: Number.NaN, 8: Number.POSITIVE_INFINITY, 9: Number.NEGATIVE_INFINITY, 10: -0 },
  dateStep: 12,
  date: '2026-01-02T03:04:05.000Z',
  nestedStep: 20,
  outputLine: 'contract: training done',
  alertTitle: 'loss improved',
  fileText: 'notes of the contract run\n',
  artifact: 'dataset',
} as const;

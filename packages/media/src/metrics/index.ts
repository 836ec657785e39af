// scikit-learn's binary classification metrics, exactly as it defines them (used by plot.rocCurve/prCurve).
export { auc } from './auc.js';
export { binaryClassifierCurve } from './binaryClassifierCurve.js';
export { averagePrecision, precisionRecallCurve } from './precisionRecallCurve.js';
export { rocCurve } from './rocCurve.js';

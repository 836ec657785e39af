// The `plot` namespace: wandb.plot's charts, each a Table plus a Vega-Lite spec.
export { confusionMatrix } from './confusionMatrix.js';
export { custom } from './custom.js';
export { prCurve } from './prCurveChart.js';
export { rocCurve } from './rocCurveChart.js';
export { bar, histogram, line, scatter } from './tableCharts.js';

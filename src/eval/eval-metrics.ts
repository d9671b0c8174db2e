/**
 * Evaluation metrics for early stopping, with XGBoost's names and definitions: auc (ties share
 * rank, trapezoid rule), logloss (probabilities clipped to [1e-16, 1 - 1e-16]), error (threshold
 * 0.5), rmse, and for multi:softprob mlogloss and merror. `pred` is on the objective's scale
 * (probabilities, or values for regression); multi-class predictions are row-major nRows x numClass.
 */
import { SchemaError } from "../util/errors";
import { _auc, _roc } from "./metrics";

/** Metric names accepted by `fit(..., { eval_metric })`. */
export type EvalMetric = "auc" | "logloss" | "error" | "rmse" | "mlogloss" | "merror";

/** True when a larger value of the metric is better (auc). */
export function higherIsBetter(metric: EvalMetric): boolean {
  return metric === "auc";
}

function checkLengths(y: ArrayLike<number>, pred: ArrayLike<number>, k = 1): void {
  if (pred.length !== y.length * k)
    throw new RangeError(
      `prediction length is wrong: ${pred.length} (expected ${y.length * k}, one per label${k > 1 ? " per class" : ""})`,
    );
}

/**
 * Area under the ROC curve of scores `pred` for 0/1 labels `y`; tied scores count half.
 * @example auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 */
export function auc(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred);
  const labels = Uint8Array.from(y, (v) => (v > 0.5 ? 1 : 0));
  const positives = labels.reduce((a, b) => a + b, 0);
  if (positives === 0 || positives === labels.length) {
    throw new SchemaError(
      `the label has one class only: ${positives === 0 ? 0 : 1} (expected both 0 and 1 to compute auc)`,
    );
  }
  // The same ROC construction as metrics.ts's rocAucScore, without its [0, 1] range check
  // (margins and regression outputs are valid scores here).
  return _auc(_roc(labels, Float64Array.from(pred)));
}

/**
 * Mean negative log-likelihood of 0/1 labels under probabilities `pred`.
 * @example logloss([0, 1], [0.2, 0.9])
 */
export function logloss(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred);
  const eps = 1e-16;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(Math.max(pred[i], eps), 1 - eps);
    sum -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
  }
  return sum / y.length;
}

/**
 * Share of rows misclassified at threshold 0.5 (predicted 1 when p > 0.5).
 * @example error([0, 1], [0.7, 0.9]) // 0.5
 */
export function error(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred);
  let wrong = 0;
  for (let i = 0; i < y.length; i++) if ((pred[i] > 0.5 ? 1 : 0) !== (y[i] > 0.5 ? 1 : 0)) wrong++;
  return wrong / y.length;
}

/**
 * Root mean squared error.
 * @example rmse([1, 2], [1, 4]) // 1.414...
 */
export function rmse(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (pred[i] - y[i]) ** 2;
  return Math.sqrt(sum / y.length);
}

/**
 * Multi-class log loss: mean of -log p[row, y[row]] (clipped at 1e-16).
 * @example mlogloss([0, 1], [0.9, 0.1, 0.2, 0.8], 2)
 */
export function mlogloss(y: ArrayLike<number>, pred: ArrayLike<number>, numClass: number): number {
  checkLengths(y, pred, numClass);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= Math.log(Math.max(pred[i * numClass + y[i]], 1e-16));
  return sum / y.length;
}

/**
 * Multi-class error: share of rows whose most probable class is not the label.
 * @example merror([0, 1], [0.9, 0.1, 0.6, 0.4], 2) // 0.5
 */
export function merror(y: ArrayLike<number>, pred: ArrayLike<number>, numClass: number): number {
  checkLengths(y, pred, numClass);
  let wrong = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let k = 1; k < numClass; k++) if (pred[i * numClass + k] > pred[i * numClass + best]) best = k;
    if (best !== y[i]) wrong++;
  }
  return wrong / y.length;
}

/**
 * Compute a named metric (`numClass` is used by mlogloss/merror).
 * @example evalMetric("auc", yValid, pValid)
 */
export function evalMetric(metric: EvalMetric, y: ArrayLike<number>, pred: ArrayLike<number>, numClass = 1): number {
  switch (metric) {
    case "auc":
      return auc(y, pred);
    case "logloss":
      return logloss(y, pred);
    case "error":
      return error(y, pred);
    case "rmse":
      return rmse(y, pred);
    case "mlogloss":
      return mlogloss(y, pred, numClass);
    case "merror":
      return merror(y, pred, numClass);
    default:
      throw new RangeError(
        `eval metric is unknown: ${JSON.stringify(metric)} (expected auc, logloss, error, rmse, mlogloss or merror)`,
      );
  }
}

/**
 * Binary classification metrics, named and computed like scikit-learn's (`roc_auc_score`,
 * `average_precision_score`, `matthews_corrcoef`, ...), on 0/1 labels and positive-class
 * probabilities. Glossary: tn/fp/fn/tp = true negatives, false positives, false negatives, true
 * positives for the positive label; "confusion" is sklearn's layout, rows = actual label 0, 1 and
 * columns = predicted label 0, 1.
 */

/** 0/1 labels (booleans count as 0/1). */
export type Labels = ArrayLike<number | boolean>;

/** Options shared by the binary metrics. */
export interface BinaryOptions {
  /** Which label is the positive class. `prob` arguments stay P(label = 1) either way. Default 1. */
  positiveLabel?: 0 | 1;
}

/** Counts for the positive label. */
export interface BinaryCounts {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** Every hard-label score at once, as {@link binaryScores} returns them. */
export interface BinaryScores {
  accuracy: number;
  balancedAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
  mcc: number;
  /** [[n00, n01], [n10, n11]]: rows actual 0/1, columns predicted 0/1. */
  confusion: number[][];
}

/** Points of a ROC curve, thresholds decreasing (the first is Infinity), like sklearn's roc_curve. */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** Points of a precision-recall curve, recall decreasing, like sklearn's precision_recall_curve. */
export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

// ---- validation (shared with evaluate.ts, threshold.ts) ----

/** Check an array-like argument and its length. @internal */
export function _checkLength(values: unknown, name: string, n?: number, otherName = "yTrue"): number {
  if (values === null || typeof values !== "object" || typeof (values as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${name} is not an array: ${typeof values} (expected an array or typed array)`);
  }
  const len = (values as ArrayLike<unknown>).length;
  if (n !== undefined && len !== n) {
    throw new RangeError(`${otherName} and ${name} have different lengths: ${n} vs ${len} (expected equal lengths)`);
  }
  if (len === 0) throw new RangeError(`${name} is empty (expected at least one value)`);
  return len;
}

/** 0/1 labels as a Uint8Array where 1 = the positive label. @internal */
export function _labels(y: Labels, name: string, positiveLabel: 0 | 1 = 1, n?: number): Uint8Array {
  const len = _checkLength(y, name, n);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const v = y[i];
    const b = v === true || v === 1 ? 1 : v === false || v === 0 ? 0 : -1;
    if (b < 0) throw new RangeError(`${name}[${i}] is not a 0/1 label: ${String(v)} (expected 0, 1, true or false)`);
    out[i] = positiveLabel === 1 ? b : 1 - b;
  }
  return out;
}

/** Probabilities of the positive class as a Float64Array, checked to be in [0, 1]. @internal */
export function _probabilities(p: ArrayLike<number>, name: string, n?: number, positiveLabel: 0 | 1 = 1): Float64Array {
  const len = _checkLength(p, name, n);
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const v = p[i];
    if (typeof v !== "number")
      throw new TypeError(`${name}[${i}] is not a number: ${String(v)} (expected a probability)`);
    if (Number.isNaN(v))
      throw new RangeError(
        `${name}[${i}] is NaN (expected a probability in [0, 1]; the model returned no score for row ${i})`,
      );
    if (v < 0 || v > 1) throw new RangeError(`${name}[${i}] is out of range: ${v} (expected a probability in [0, 1])`);
    out[i] = positiveLabel === 1 ? v : 1 - v;
  }
  return out;
}

/** Throw the workshop-flavoured error when y holds one class only. @internal */
export function _bothClasses(y: Uint8Array, what: string, positiveLabel: 0 | 1): void {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  if (pos > 0 && pos < y.length) return;
  const only = pos > 0 ? positiveLabel : 1 - positiveLabel;
  throw new RangeError(
    `${what} is undefined: yTrue has one class only (${only}) — the workshop's fraud notebook hit this as 'Only one class present'`,
  );
}

// ---- hard labels ----

/** Counts of (actual, predicted) pairs for the positive label (internal worker). @internal */
export function _counts(y: Uint8Array, pred: Uint8Array): BinaryCounts {
  const c = [0, 0, 0, 0];
  for (let i = 0; i < y.length; i++) c[2 * y[i] + pred[i]]++;
  return { tn: c[0], fp: c[1], fn: c[2], tp: c[3] };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b); // sklearn's zero_division=0

/** All hard-label scores from counts, in sklearn's float operation order. @internal */
export function _scores({ tn, fp, fn, tp }: BinaryCounts, positiveLabel: 0 | 1 = 1): BinaryScores {
  const n = tn + fp + fn + tp;
  // sklearn matthews_corrcoef: covariances from row/column sums of the confusion matrix, in float64.
  const t = [tn + fp, fn + tp];
  const p = [tn + fn, fp + tp];
  const cov = (tn + tp) * n - (t[0] * p[0] + t[1] * p[1]);
  const covP = n * n - (p[0] * p[0] + p[1] * p[1]);
  const covT = n * n - (t[0] * t[0] + t[1] * t[1]);
  const byLabel =
    positiveLabel === 1
      ? [
          [tn, fp],
          [fn, tp],
        ]
      : [
          [tp, fn],
          [fp, tn],
        ];
  return {
    accuracy: (tn + tp) / n,
    balancedAccuracy: (ratio(tn, tn + fp) + ratio(tp, tp + fn)) / 2,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fn + fp),
    mcc: covP * covT === 0 ? 0 : cov / Math.sqrt(covT * covP),
    confusion: byLabel,
  };
}

/**
 * All hard-label scores: accuracy, balanced accuracy, precision/recall/F1 of the positive label, MCC
 * and the confusion matrix.
 * @example binaryScores([0, 1, 1], [0, 1, 0]).f1 // 0.6666666666666666
 */
export function binaryScores(yTrue: Labels, yPred: Labels, options: BinaryOptions = {}): BinaryScores {
  const { positiveLabel = 1 } = options;
  const y = _labels(yTrue, "yTrue", positiveLabel);
  return _scores(_counts(y, _labels(yPred, "yPred", positiveLabel, y.length)), positiveLabel);
}

/** Fraction of correct predictions (sklearn accuracy_score). @example accuracyScore([0, 1], [1, 1]) // 0.5 */
export const accuracyScore = (yTrue: Labels, yPred: Labels): number => binaryScores(yTrue, yPred).accuracy;
/**
 * Mean recall of both classes (sklearn balanced_accuracy_score). @example balancedAccuracyScore([0, 0, 1], [0, 1, 1])
 * // 0.75
 */
export const balancedAccuracyScore = (yTrue: Labels, yPred: Labels): number =>
  binaryScores(yTrue, yPred).balancedAccuracy;
/** tp / (tp + fp), 0 when nothing is predicted positive. @example precisionScore([0, 1], [1, 1]) // 0.5 */
export const precisionScore = (yTrue: Labels, yPred: Labels, options?: BinaryOptions): number =>
  binaryScores(yTrue, yPred, options).precision;
/** tp / (tp + fn). @example recallScore([1, 1], [1, 0]) // 0.5 */
export const recallScore = (yTrue: Labels, yPred: Labels, options?: BinaryOptions): number =>
  binaryScores(yTrue, yPred, options).recall;
/** 2tp / (2tp + fn + fp). @example f1Score([0, 1, 1], [0, 1, 0]) // 0.6666666666666666 */
export const f1Score = (yTrue: Labels, yPred: Labels, options?: BinaryOptions): number =>
  binaryScores(yTrue, yPred, options).f1;
/** Matthews correlation coefficient (sklearn matthews_corrcoef). @example matthewsCorrcoef([0, 1], [0, 1]) // 1 */
export const matthewsCorrcoef = (yTrue: Labels, yPred: Labels): number => binaryScores(yTrue, yPred).mcc;
/**
 * [[n00, n01], [n10, n11]], rows actual, columns predicted (sklearn confusion_matrix). @example confusionMatrix([0, 1],
 * [1, 1]) // [[0, 1], [0, 1]]
 */
export const confusionMatrix = (yTrue: Labels, yPred: Labels): number[][] => binaryScores(yTrue, yPred).confusion;

/**
 * The number the workshop printed as "ROC_AUC SCORE": `roc_auc_score(y_true, y_pred)` on hard 0/1
 * predictions, which is the balanced accuracy, not the AUC of the probabilities ({@link rocAucScore}).
 * @example workshopHardLabelAuc(yTest, pred) // 0.9616381793739197; the workshop printed "-0.962"
 */
export function workshopHardLabelAuc(yTrue: Labels, yPred: Labels): number {
  const y = _labels(yTrue, "yTrue");
  const pred = _labels(yPred, "yPred", 1, y.length);
  _bothClasses(y, "ROC AUC", 1);
  return _auc(_roc(y, Float64Array.from(pred)));
}

// ---- probabilities ----

/**
 * sklearn's `_binary_clf_curve`: for each distinct score, from the highest down, the positives and
 * negatives scoring at least that much. Sorts positives and negatives apart (native typed-array sort)
 * and merges them. @internal
 */
export function _clfCurve(
  y: Uint8Array,
  score: Float64Array,
): { fps: Float64Array; tps: Float64Array; thresholds: Float64Array } {
  let nPos = 0;
  for (let i = 0; i < y.length; i++) nPos += y[i];
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(y.length - nPos);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i]) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  const fps: number[] = [],
    tps: number[] = [],
    thresholds: number[] = [];
  let i = pos.length - 1,
    j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const v = Math.max(i >= 0 ? pos[i] : -Infinity, j >= 0 ? neg[j] : -Infinity);
    while (i >= 0 && pos[i] === v) i--;
    while (j >= 0 && neg[j] === v) j--;
    tps.push(pos.length - 1 - i);
    fps.push(neg.length - 1 - j);
    thresholds.push(v);
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

/** ROC curve worker on validated inputs; drops collinear points like sklearn's drop_intermediate. @internal */
export function _roc(y: Uint8Array, score: Float64Array, dropIntermediate = true): RocCurve {
  const { fps, tps, thresholds } = _clfCurve(y, score);
  const m = fps.length;
  const keep: number[] = [];
  for (let k = 0; k < m; k++) {
    const corner =
      k === 0 || k === m - 1 || fps[k - 1] + fps[k + 1] !== 2 * fps[k] || tps[k - 1] + tps[k + 1] !== 2 * tps[k];
    if (!dropIntermediate || m <= 2 || corner) keep.push(k);
  }
  const nNeg = fps[m - 1],
    nPos = tps[m - 1];
  const out = {
    fpr: new Float64Array(keep.length + 1),
    tpr: new Float64Array(keep.length + 1),
    thresholds: new Float64Array(keep.length + 1),
  };
  out.thresholds[0] = Infinity;
  keep.forEach((k, r) => {
    out.fpr[r + 1] = nNeg > 0 ? fps[k] / nNeg : NaN;
    out.tpr[r + 1] = nPos > 0 ? tps[k] / nPos : NaN;
    out.thresholds[r + 1] = thresholds[k];
  });
  return out;
}

/** Trapezoid area under a ROC curve (sklearn auc). @internal */
export function _auc({ fpr, tpr }: { fpr: ArrayLike<number>; tpr: ArrayLike<number> }): number {
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return area;
}

/** Precision-recall curve worker on validated inputs. @internal */
export function _pr(y: Uint8Array, score: Float64Array): PrCurve {
  const { fps, tps, thresholds } = _clfCurve(y, score);
  const m = fps.length,
    nPos = tps[m - 1];
  const out = { precision: new Float64Array(m + 1), recall: new Float64Array(m + 1), thresholds: new Float64Array(m) };
  for (let k = 0; k < m; k++) {
    const r = m - 1 - k; // reversed so recall decreases
    out.precision[r] = ratio(tps[k], tps[k] + fps[k]);
    out.recall[r] = nPos > 0 ? tps[k] / nPos : 1;
    out.thresholds[r] = thresholds[k];
  }
  out.precision[m] = 1;
  return out;
}

/** Step-wise average precision from a PR curve (sklearn average_precision_score). @internal */
export function _ap({ precision, recall }: PrCurve): number {
  let s = 0;
  for (let k = 1; k < recall.length; k++) s += (recall[k] - recall[k - 1]) * precision[k - 1];
  return Math.max(0, -s);
}

/**
 * ROC curve points (sklearn roc_curve with drop_intermediate=True).
 * @example rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).tpr // [0, 0.5, 0.5, 1, 1]
 */
export function rocCurve(yTrue: Labels, prob: ArrayLike<number>, options: BinaryOptions = {}): RocCurve {
  const { positiveLabel = 1 } = options;
  const y = _labels(yTrue, "yTrue", positiveLabel);
  _bothClasses(y, "ROC curve", positiveLabel);
  return _roc(y, _probabilities(prob, "prob", y.length, positiveLabel));
}

/**
 * Area under the ROC curve of the probabilities; tied scores form one threshold (sklearn roc_auc_score).
 * @example rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 */
export function rocAucScore(yTrue: Labels, prob: ArrayLike<number>, options: BinaryOptions = {}): number {
  const { positiveLabel = 1 } = options;
  const y = _labels(yTrue, "yTrue", positiveLabel);
  _bothClasses(y, "ROC AUC", positiveLabel);
  return _auc(_roc(y, _probabilities(prob, "prob", y.length, positiveLabel)));
}

/**
 * Precision-recall curve points (sklearn precision_recall_curve).
 * @example precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).precision // [0.5, 0.667, 0.5, 1, 1]
 */
export function precisionRecallCurve(yTrue: Labels, prob: ArrayLike<number>, options: BinaryOptions = {}): PrCurve {
  const { positiveLabel = 1 } = options;
  const y = _labels(yTrue, "yTrue", positiveLabel);
  return _pr(y, _probabilities(prob, "prob", y.length, positiveLabel));
}

/**
 * PR AUC as sklearn's average_precision_score: Σ (Rₖ − Rₖ₋₁)·Pₖ, no interpolation.
 * @example averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.8333333333333333
 */
export function averagePrecisionScore(yTrue: Labels, prob: ArrayLike<number>, options: BinaryOptions = {}): number {
  const { positiveLabel = 1 } = options;
  const y = _labels(yTrue, "yTrue", positiveLabel);
  if (!y.includes(1))
    throw new RangeError(
      `average precision is undefined: yTrue has no positive label (${positiveLabel}) (expected at least one)`,
    );
  return _ap(_pr(y, _probabilities(prob, "prob", y.length, positiveLabel)));
}

/** Mean log loss (sklearn log_loss) on validated inputs; clips to [ε, 1 − ε]. @internal */
export function _logLoss(y: Uint8Array, p: Float64Array): number {
  const eps = Number.EPSILON;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = y[i] ? p[i] : 1 - p[i];
    s -= Math.log(Math.min(Math.max(q, eps), 1 - eps));
  }
  return s / y.length;
}

/**
 * Mean negative log-likelihood of the labels; probabilities are clipped to [ε, 1 − ε] like sklearn.
 * @example logLoss([0, 1], [0.2, 0.9]) // 0.164252033486018
 */
export function logLoss(yTrue: Labels, prob: ArrayLike<number>): number {
  const y = _labels(yTrue, "yTrue");
  return _logLoss(y, _probabilities(prob, "prob", y.length));
}

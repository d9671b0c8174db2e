/**
 * Multi-class classification metrics on integer labels 0..k-1, computed like scikit-learn's
 * `confusion_matrix`, `precision_recall_fscore_support(zero_division=0)`, `accuracy_score` and
 * `balanced_accuracy_score`. Glossary: support = number of true instances of a class; macro = the
 * unweighted mean over classes; weighted = the mean weighted by support. Layout as sklearn's:
 * confusion rows = actual class, columns = predicted class.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { _checkLength } from "./metrics";

/** Options of {@link multiclassScores}. */
export interface MulticlassOptions {
  /** Number of classes k (labels are 0..k-1). Default: the largest label seen plus one. */
  numClasses?: number;
  /** Class names in label order, used by the report. Default "0", "1", .... */
  classNames?: readonly string[];
}

/** Every multi-class score at once. */
export interface MulticlassScores {
  accuracy: number;
  /** Mean recall over the classes that occur in yTrue (sklearn's balanced_accuracy_score). */
  balancedAccuracy: number;
  /** k×k counts, rows actual, columns predicted. */
  confusion: number[][];
  /** Per class, in label order (0 where the class was never predicted: sklearn's zero_division=0). */
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  classNames: string[];
  /** sklearn's `classification_report` as a table: one row per class, then macro and weighted avg. */
  reportFrame(): DataFrame;
}

function intLabels(y: ArrayLike<number>, name: string, n?: number): Int32Array {
  const len = _checkLength(y, name, n);
  const out = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`${name}[${i}] is not a class label: ${String(v)} (expected an integer 0..k-1)`);
    }
    out[i] = v;
  }
  return out;
}

function maxLabel(a: Int32Array, b: Int32Array): number {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  for (const v of b) if (v > m) m = v;
  return m;
}

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * The k×k confusion matrix (rows actual, columns predicted), like `sklearn.metrics.confusion_matrix`
 * with `labels=range(k)`.
 * @throws RangeError for a label outside 0..k-1 or arrays of different lengths
 * @example multiclassConfusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], 3) // [[1,0,0],[0,0,1],[0,1,1]]
 */
export function multiclassConfusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses?: number,
): number[][] {
  const t = intLabels(yTrue, "yTrue");
  const p = intLabels(yPred, "yPred", t.length);
  return _confusion(t, p, numClasses ?? maxLabel(t, p) + 1);
}

function _confusion(t: Int32Array, p: Int32Array, k: number): number[][] {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`numClasses is out of range: ${k} (expected a positive integer)`);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= k || p[i] >= k) {
      const [name, v] = t[i] >= k ? ["yTrue", t[i]] : ["yPred", p[i]];
      throw new RangeError(`${name}[${i}] is out of range: ${v} (expected a label 0..${k - 1})`);
    }
    m[t[i]][p[i]]++;
  }
  return m;
}

/**
 * Accuracy, balanced accuracy, the confusion matrix and per-class precision, recall, F1 and support.
 * @example const s = multiclassScores(yTest, predicted, { classNames }); s.accuracy; s.reportFrame()
 */
export function multiclassScores(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: MulticlassOptions = {},
): MulticlassScores {
  const t = intLabels(yTrue, "yTrue");
  const p = intLabels(yPred, "yPred", t.length);
  const k = options.numClasses ?? options.classNames?.length ?? maxLabel(t, p) + 1;
  if (options.classNames && options.classNames.length !== k) {
    throw new RangeError(
      `classNames has ${options.classNames.length} names for ${k} classes (expected one name per class)`,
    );
  }
  const confusion = _confusion(t, p, k);
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion[0].map((_, j) => confusion.reduce((a, row) => a + row[j], 0));
  const correct = confusion.map((row, i) => row[i]);
  const precision = correct.map((c, i) => div(c, predicted[i]));
  const recall = correct.map((c, i) => div(c, support[i]));
  const f1 = precision.map((pr, i) => div(2 * pr * recall[i], pr + recall[i]));
  const n = t.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const wmean = (xs: number[]) => xs.reduce((a, x, i) => a + x * support[i], 0) / n;
  const present = recall.filter((_, i) => support[i] > 0);
  const classNames = options.classNames ? [...options.classNames] : confusion.map((_, i) => String(i));
  const scores: MulticlassScores = {
    accuracy: correct.reduce((a, b) => a + b, 0) / n,
    balancedAccuracy: mean(present),
    confusion,
    precision,
    recall,
    f1,
    support,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: wmean(precision), recall: wmean(recall), f1: wmean(f1) },
    classNames,
    reportFrame: () => _reportFrame(scores),
  };
  return scores;
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

function _reportFrame(s: MulticlassScores): DataFrame {
  const n = s.support.reduce((a, b) => a + b, 0);
  return pl.DataFrame([
    pl.Series("class", [...s.classNames, "macro avg", "weighted avg"]),
    pl.Series("precision", [...s.precision, s.macro.precision, s.weighted.precision].map(r4)),
    pl.Series("recall", [...s.recall, s.macro.recall, s.weighted.recall].map(r4)),
    pl.Series("f1-score", [...s.f1, s.macro.f1, s.weighted.f1].map(r4)),
    pl.Series("support", [...s.support, n, n], pl.Int64),
  ]);
}

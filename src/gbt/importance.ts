/**
 * Feature importance: XGBoost's split statistics (`booster.get_score`: weight, gain, cover,
 * total_gain, total_cover) and model-agnostic permutation importance (AutoGluon's
 * `feature_importance` / scikit-learn's `permutation_importance`: the drop in a score when one
 * feature's column is shuffled).
 */
import { numpyPermutation } from "../util/numpy-random-state";
import { checkMatrix, type Matrix } from "../util/matrix";
import type { GBTModel } from "./model";

/** XGBoost's importance kinds (`get_score(importance_type=...)`). */
export type ImportanceType = "weight" | "gain" | "cover" | "total_gain" | "total_cover";

const TYPES: readonly ImportanceType[] = ["weight", "gain", "cover", "total_gain", "total_cover"];

/**
 * Importance of every feature used in a split, keyed by feature name (`f0`, `f1`, ... when the
 * model has no names), exactly like `booster.get_score`: weight = number of splits on the feature,
 * total_gain / total_cover = sum of the splits' loss_change / sum_hessian, gain / cover = those
 * sums divided by weight. Features never split on are left out, as in XGBoost.
 * @example featureImportance(model, "gain") // { "Day Mins": 41.3, "CustServ Calls": 35.2, ... }
 */
export function featureImportance(model: GBTModel, importanceType: ImportanceType = "weight"): Record<string, number> {
  if (!TYPES.includes(importanceType)) {
    throw new RangeError(
      `importance type is unknown: ${JSON.stringify(importanceType)} (expected one of ${TYPES.join(", ")})`,
    );
  }
  const n = model.numFeature;
  const weight = new Float64Array(n);
  const gain = new Float64Array(n);
  const cover = new Float64Array(n);
  for (const tree of model.trees) {
    for (let node = 0; node < tree.left.length; node++) {
      if (tree.left[node] === -1) continue;
      const f = tree.splitIndex[node];
      weight[f] += 1;
      gain[f] += tree.lossChange[node];
      cover[f] += tree.sumHessian[node];
    }
  }
  const names = model.featureNames.length === n ? model.featureNames : Array.from({ length: n }, (_, i) => `f${i}`);
  const out: Record<string, number> = {};
  for (let f = 0; f < n; f++) {
    if (weight[f] === 0) continue;
    const w = weight[f];
    const value = { weight: w, gain: gain[f] / w, cover: cover[f] / w, total_gain: gain[f], total_cover: cover[f] }[
      importanceType
    ];
    out[names[f]] = value;
  }
  return out;
}

/** A score of predictions: higher is better (AUC, accuracy, −RMSE, ...). */
export type ScoreFunction = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** Score to compare, higher is better (default: ROC-AUC of a positive-class score). */
  metric?: ScoreFunction;
  /** Shuffle sets (AutoGluon's `num_shuffle_sets`; default 3). */
  repeats?: number;
  /** Seed of the row permutations: set r uses numpy's `RandomState(seed + r).permutation` (default 0). */
  seed?: number;
  /** Feature names (default: `X.columns`, else `f0`, `f1`, ...). */
  featureNames?: string[];
}

/** One feature's permutation importance. */
export interface PermutationImportanceRow {
  feature: string;
  /** Mean drop in score over the shuffle sets (baseline − shuffled score). */
  importance: number;
  /** Sample standard deviation (ddof = 1, as AutoGluon) of the drops; 0 with one shuffle set. */
  stddev: number;
  /** Number of shuffle sets. */
  n: number;
}

/** Result of {@link permutationImportance}. */
export interface PermutationImportance {
  /** Score of the unshuffled data. */
  baseline: number;
  /** One row per feature, sorted by decreasing importance (ties keep column order). */
  rows: PermutationImportanceRow[];
}

/**
 * Permutation feature importance: for each shuffle set, one seeded permutation of the rows is
 * applied to each feature's column in turn (the others untouched) and the score drop is recorded,
 * like AutoGluon's `predictor.feature_importance(data)`. Deterministic for a seed.
 * @example
 * const fi = permutationImportance((X) => booster.predict(X), Xtest, ytest, { repeats: 3, seed: 0 });
 * fi.rows[0] // { feature: "Night Calls", importance: 0.087, stddev: 0.004, n: 3 }
 */
export function permutationImportance(
  predictFn: (X: Matrix) => ArrayLike<number>,
  X: Matrix,
  y: ArrayLike<number>,
  options: PermutationImportanceOptions = {},
): PermutationImportance {
  const { metric = rocAuc, repeats = 3, seed = 0 } = options;
  if (typeof predictFn !== "function")
    throw new TypeError(`predictFn is not a function: ${typeof predictFn} (expected (X) => predictions)`);
  checkMatrix(X);
  if (y.length !== X.nRows) throw new RangeError(`y length does not match X: ${y.length} (expected ${X.nRows} rows)`);
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`repeats is invalid: ${repeats} (expected an integer ≥ 1)`);
  const names = options.featureNames ?? X.columns ?? Array.from({ length: X.nCols }, (_, i) => `f${i}`);
  if (names.length !== X.nCols)
    throw new RangeError(`featureNames count is wrong: ${names.length} (expected ${X.nCols})`);
  return _permutationImportance(predictFn, X, y, metric, repeats, seed, names);
}

/**
 * Worker of {@link permutationImportance} on validated arguments.
 * @example _permutationImportance((X) => predict(model, X), X, y, auc, 3, 0, X.columns ?? [])
 */
export function _permutationImportance(
  predictFn: (X: Matrix) => ArrayLike<number>,
  X: Matrix,
  y: ArrayLike<number>,
  metric: ScoreFunction,
  repeats: number,
  seed: number,
  names: string[],
): PermutationImportance {
  const { nRows, nCols } = X;
  // One working copy; a column is shuffled, scored and restored, so X itself is never modified.
  const work: Matrix = { data: X.data.slice(), nRows, nCols, columns: X.columns };
  const baseline = metric(y, predictFn(work));
  const drops = new Float64Array(nCols * repeats);
  for (let r = 0; r < repeats; r++) {
    const perm = numpyPermutation(nRows, seed + r);
    for (let c = 0; c < nCols; c++) {
      for (let i = 0; i < nRows; i++) work.data[i * nCols + c] = X.data[perm[i] * nCols + c];
      drops[c * repeats + r] = baseline - metric(y, predictFn(work));
      for (let i = 0; i < nRows; i++) work.data[i * nCols + c] = X.data[i * nCols + c];
    }
  }
  const rows = names.map((feature, c) => {
    const d = drops.subarray(c * repeats, (c + 1) * repeats);
    const mean = d.reduce((a, b) => a + b, 0) / repeats;
    const ss = d.reduce((a, b) => a + (b - mean) ** 2, 0);
    return { feature, importance: mean, stddev: repeats > 1 ? Math.sqrt(ss / (repeats - 1)) : 0, n: repeats };
  });
  rows.sort((a, b) => b.importance - a.importance);
  return { baseline, rows };
}

// ROC-AUC by the rank-sum (Mann–Whitney) formula, average ranks for ties; labels are 0/1. Private so
// this module needs no metrics module; pass `metric` to use another.
function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (yTrue[order[k]] === 1) {
        nPos++;
        rankSum += rank;
      }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0)
    throw new RangeError(
      `ROC-AUC is undefined: only one class present in y_true (${nPos} positives, ${nNeg} negatives)`,
    );
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

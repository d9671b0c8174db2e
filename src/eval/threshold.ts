/**
 * Turning probabilities into decisions: the workshop's 0–1000 score with a cutoff
 * (`get_prediction_set`) and the reference notebook's cost analysis, which sweeps cutoffs
 * `np.arange(0.01, 1, 0.01)` and prices each confusion matrix with a cost matrix.
 */
import pl from "nodejs-polars";
import type { DataFrame } from "nodejs-polars";
import { _checkLength, _labels, _probabilities, BinaryCounts, Labels } from "./metrics";

/** [[tnCost, fpCost], [fnCost, tpCost]]: rows actual 0/1, columns predicted 0/1. */
export type CostMatrix = readonly [readonly [number, number], readonly [number, number]];

/** The reference notebook's costs: TN $0, FP $100, FN $500, TP $100. */
export const CHURN_COSTS: CostMatrix = [
  [0, 100],
  [500, 100],
];

/** Options of {@link getPredictionSet}. */
export interface PredictionSetOptions {
  /** Score (0–1000) at or above which `pred` is 1. Default 500, i.e. p ≥ 0.5. */
  threshold?: number;
  /**
   * Row id of each probability (e.g. the test split's original row numbers, `parts.indices.test`), kept as a first
   * column `row_id` like the pandas index the workshop's table had. Default none (no row_id column).
   */
  rowIds?: ArrayLike<number>;
}

/**
 * The workshop's `get_prediction_set`: `score = int(prob × 1000)` and `pred = score >= threshold`,
 * as a DataFrame with columns score (Int32) and pred (Int32 0/1), after `row_id` when `rowIds` is given.
 * @example getPredictionSet([0.9521, 0.0237]) // score 952, 23; pred 1, 0
 * @example getPredictionSet(probTest, { rowIds: parts.indices.test }).filter(pl.col("row_id").eq(31)) // row 31 → 952
 */
export function getPredictionSet(prob: ArrayLike<number>, options: PredictionSetOptions = {}): DataFrame {
  const { threshold = 500 } = options;
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    throw new RangeError(`threshold is not a finite number: ${String(threshold)} (expected a score such as 500)`);
  }
  const p = _probabilities(prob, "prob");
  const score = new Int32Array(p.length);
  const pred = new Int32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    score[i] = Math.trunc(p[i] * 1000); // Python int() truncates toward zero
    pred[i] = score[i] >= threshold ? 1 : 0;
  }
  const columns = [pl.Series("score", score, pl.Int32), pl.Series("pred", pred, pl.Int32)];
  if (options.rowIds === undefined) return pl.DataFrame(columns);
  return pl.DataFrame([pl.Series("row_id", _rowIds(options.rowIds, p.length), pl.Int64), ...columns]);
}

/** Row ids as integers, one per probability. */
function _rowIds(ids: ArrayLike<number>, n: number): number[] {
  if (ids === null || typeof ids !== "object" || typeof ids.length !== "number")
    throw new TypeError(`rowIds is not an array: ${String(ids)} (expected one integer row id per probability)`);
  if (ids.length !== n)
    throw new RangeError(`rowIds length is wrong: ${ids.length} (expected ${n}, one per probability)`);
  const out = Array.from(ids, Number);
  const bad = out.findIndex((v) => !Number.isSafeInteger(v));
  if (bad >= 0) throw new RangeError(`rowIds[${bad}] is not an integer: ${String(ids[bad])} (expected a row number)`);
  return out;
}

/**
 * The cost of one confusion matrix: TN·c00 + FP·c01 + FN·c10 + TP·c11.
 * @example classificationCost({ tn: 231, fp: 15, fn: 4, tp: 250 }, CHURN_COSTS) // 28500
 */
export function classificationCost(counts: BinaryCounts, costs: CostMatrix): number {
  checkCosts(costs);
  return _cost(counts, costs);
}

const _cost = ({ tn, fp, fn, tp }: BinaryCounts, c: CostMatrix) =>
  tn * c[0][0] + fp * c[0][1] + fn * c[1][0] + tp * c[1][1];

function checkCosts(costs: CostMatrix): void {
  const ok =
    Array.isArray(costs) &&
    costs.length === 2 &&
    costs.every(
      (r) => Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === "number" && Number.isFinite(v)),
    );
  if (!ok)
    throw new TypeError(
      `costs is not a 2×2 matrix of finite numbers: ${JSON.stringify(costs)} (expected [[tnCost, fpCost], [fnCost, tpCost]])`,
    );
}

/**
 * The cutoffs of `np.arange(0.01, 1, 0.01)`, bit for bit (numpy fills start + i·step).
 * @example workshopCutoffs()[36] // 0.37
 */
export function workshopCutoffs(): Float64Array {
  return Float64Array.from({ length: 99 }, (_, i) => 0.01 + i * 0.01);
}

/** Options of {@link thresholdSweep}. */
export interface ThresholdSweepOptions {
  /** Cost matrix [[tnCost, fpCost], [fnCost, tpCost]]. Default {@link CHURN_COSTS}. */
  costs?: CostMatrix;
  /** Cutoffs to try. Default {@link workshopCutoffs}: 0.01, 0.02, …, 0.99. */
  thresholds?: ArrayLike<number>;
  /**
   * Predict positive when prob > cutoff (true, the reference notebook's `np.where(predictions > c, 1, 0)`)
   * or when prob ≥ cutoff (false, the workshop's `get_binary_prediction`). Default true.
   */
  strict?: boolean;
}

/** Cost per cutoff, with the confusion counts behind it and the cheapest cutoff. */
export interface ThresholdSweep {
  thresholds: Float64Array;
  costs: Float64Array;
  tn: Int32Array;
  fp: Int32Array;
  fn: Int32Array;
  tp: Int32Array;
  /** The first cutoff with the lowest cost (np.argmin). */
  best: { index: number; threshold: number; cost: number; counts: BinaryCounts };
  costMatrix: CostMatrix;
  strict: boolean;
}

// Number of sorted values strictly greater than c (strict) or ≥ c.
function countAbove(sorted: Float64Array, c: number, strict: boolean): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid] <= c : sorted[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/**
 * Cost of every cutoff and the cutoff with the minimum cost, as in the reference churn notebook
 * (costs [[0, 100], [500, 100]], cutoffs 0.01–0.99; its own data had its minimum near 0.37, $29,200).
 * @example const sweep = thresholdSweep(yTest, prob); sweep.best // { threshold: 0.37, cost: 29200, ... }
 */
export function thresholdSweep(
  yTrue: Labels,
  prob: ArrayLike<number>,
  options: ThresholdSweepOptions = {},
): ThresholdSweep {
  const { costs = CHURN_COSTS, thresholds = workshopCutoffs(), strict = true } = options;
  checkCosts(costs);
  const y = _labels(yTrue, "yTrue");
  const p = _probabilities(prob, "prob", y.length);
  const m = _checkLength(thresholds, "thresholds");
  const cut = Float64Array.from(thresholds);
  cut.forEach((c, k) => {
    if (!Number.isFinite(c))
      throw new RangeError(`thresholds[${k}] is not a finite number: ${c} (expected a cutoff in [0, 1])`);
  });
  return _thresholdSweep(y, p, cut, costs, strict, m);
}

/** Sweep worker on validated inputs. @internal */
export function _thresholdSweep(
  y: Uint8Array,
  p: Float64Array,
  cut: Float64Array,
  costs: CostMatrix,
  strict: boolean,
  m = cut.length,
): ThresholdSweep {
  let nPos = 0;
  for (let i = 0; i < y.length; i++) nPos += y[i];
  const pos = new Float64Array(nPos),
    neg = new Float64Array(y.length - nPos);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i]) pos[a++] = p[i];
    else neg[b++] = p[i];
  }
  pos.sort();
  neg.sort();
  const out = {
    tn: new Int32Array(m),
    fp: new Int32Array(m),
    fn: new Int32Array(m),
    tp: new Int32Array(m),
    costs: new Float64Array(m),
  };
  let best = 0;
  for (let k = 0; k < m; k++) {
    const tp = countAbove(pos, cut[k], strict),
      fp = countAbove(neg, cut[k], strict);
    const counts = { tn: neg.length - fp, fp, fn: pos.length - tp, tp };
    out.tn[k] = counts.tn;
    out.fp[k] = fp;
    out.fn[k] = counts.fn;
    out.tp[k] = tp;
    out.costs[k] = _cost(counts, costs);
    if (out.costs[k] < out.costs[best]) best = k;
  }
  const counts = { tn: out.tn[best], fp: out.fp[best], fn: out.fn[best], tp: out.tp[best] };
  return {
    thresholds: cut,
    ...out,
    best: { index: best, threshold: cut[best], cost: out.costs[best], counts },
    costMatrix: costs,
    strict,
  };
}

/**
 * The numeric half of `profile`, run on the helper thread while the calling thread puts the other
 * columns through polars and computes Pearson: every numeric column sorted once and summarized
 * (distinct and top values, moments), and the Spearman matrix of their ranks. Typed arrays only:
 * the helper thread loads this module, so it must not import nodejs-polars.
 */
import { startOnHelper, toShared, type Pending } from "../util/helper-thread";
import { _runs, moments, type Moments, type TopValue } from "./column-stats";
import { _spearman, type CorrelationMatrix } from "./correlation-matrix";
import { _sortColumn } from "./rank";

/** A numeric column's sorted values (NaN dropped) and what they give. */
export interface NumericSummary {
  sorted: Float64Array;
  distinct: number;
  top: TopValue[];
  /** Counts per distinct value in value order (only kept for ≤ 64 distinct values). */
  counts: number[];
  moments: Moments;
}

/** What `startNumericProfile` gives. */
export interface NumericProfile {
  summaries: NumericSummary[];
  /** Spearman over the columns asked for, in that order (null when not asked for). */
  spearman: CorrelationMatrix | null;
}

/**
 * Start summarizing numeric columns (NaN for null) on the helper thread, with the Spearman matrix
 * of the columns at `spearman` (indices, in matrix order; null for none); `result()` waits for it.
 * @example const pending = startNumericProfile(["a"], [Float64Array.of(3, 1, 3)], 10, null);
 * pending.result().summaries[0].top // [{ value: 3, count: 2 }]
 */
export function startNumericProfile(names: string[], columns: Float64Array[], topN: number, spearman: number[] | null): Pending<NumericProfile> {
  return startOnHelper<NumericProfile>(__filename, "_numericProfile", [names, columns.map(toShared), topN, spearman]);
}

/** The helper job of `startNumericProfile`. */
export function _numericProfile(names: string[], columns: Float64Array[], topN: number, spearman: number[] | null): NumericProfile {
  const sortedColumns = columns.map((c) => _sortColumn(c));
  const summaries = sortedColumns.map(({ sorted }) => ({ sorted, ..._runs(sorted, topN), moments: moments(sorted) }));
  const pick = <T>(all: T[]) => (spearman ?? []).map((k) => all[k]);
  const complete = pick(sortedColumns.map((s, k) => s.sorted.length === columns[k].length));
  return { summaries, spearman: spearman ? _spearman(pick(names), pick(sortedColumns.map((s) => s.ranks)), pick(columns), complete) : null };
}

/**
 * Statistics of one numeric column from its sorted values, as pandas and numpy compute them:
 * moments and skewness (`Series.skew`), linear-interpolated quantiles (`Series.quantile`),
 * numpy's `histogram(bins="auto")` counts, distinct values and top values. Pure functions on
 * typed arrays (profile-numeric.ts runs them on the helper thread).
 */

/** One entry of a value-count table. */
export interface TopValue {
  value: string | number | boolean;
  count: number;
}

/** Quantiles reported for numeric columns (pandas-profiling's `vars.num.quantiles`). */
export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Keep the `topN` largest counts (ties: the earlier candidate stays ahead). */
export function _pushTop(top: TopValue[], candidate: TopValue, topN: number): void {
  if (topN === 0 || (top.length === topN && candidate.count <= top[topN - 1].count)) return;
  let at = top.length;
  while (at > 0 && top[at - 1].count < candidate.count) at--;
  top.splice(at, 0, candidate);
  if (top.length > topN) top.pop();
}

/**
 * Distinct values, counts (value order; only kept for ≤ 64 distinct, all a categorical needs) and top values of a
 * sorted array.
 */
export function _runs(sorted: Float64Array, topN: number): { distinct: number; top: TopValue[]; counts: number[] } {
  const counts: number[] = [];
  const top: TopValue[] = [];
  let distinct = 0;
  for (let i = 0; i < sorted.length;) {
    const v = sorted[i];
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    if (++distinct <= 64) counts.push(j - i);
    if (j - i > 1) _pushTop(top, { value: v, count: j - i }, topN);
    i = j;
  }
  return { distinct, top, counts: distinct <= 64 ? counts : [] };
}

export interface Moments {
  mean: number | null;
  std: number | null;
  skewness: number | null;
}

/**
 * Mean, sample std (ddof 1) and pandas' `skew()` (adjusted Fisher-Pearson G1), NaN skipped, two-pass.
 * @example moments(Float64Array.of(1, 2, 3, 10)).skewness // 1.7636 (pandas: 1.763632614803888)
 */
export function moments(values: Float64Array): Moments {
  let m = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++)
    if (values[i] === values[i]) {
      sum += values[i];
      m++;
    }
  if (m === 0) return { mean: null, std: null, skewness: null };
  const mean = sum / m;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    if (d !== d) continue;
    m2 += d * d;
    m3 += d * d * d;
  }
  const std = m > 1 ? Math.sqrt(m2 / (m - 1)) : null;
  // pandas nanskew: 0 for a constant column, NaN below 3 values.
  const skewness = m < 3 ? null : m2 === 0 ? 0 : ((m * Math.sqrt(m - 1)) / (m - 2)) * (m3 / Math.pow(m2, 1.5));
  return { mean, std, skewness };
}

/**
 * Linear-interpolated quantile of sorted values, with numpy's `_lerp` rounding (pandas `quantile`).
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.25) // 1.75
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const pos = q * (m - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, m - 1);
  const t = pos - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** How many entries of a sorted array equal `x` (binary search). */
export function countEqual(sorted: Float64Array, x: number): number {
  const bound = (strict: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x || (!strict && sorted[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return bound(false) - bound(true);
}

/**
 * Bin counts of numpy's `histogram(values, bins="auto")` over the finite values of a SORTED array:
 * bin width min(Freedman-Diaconis, Sturges), equal-width edges from min to max, the last bin closed.
 * pandas-profiling runs its UNIFORM chi-squared test on these counts.
 * @example histogramAuto(Float64Array.of(1, 2, 2, 3), 1.75, 2.25)
 */
export function histogramAuto(sorted: Float64Array, q25: number, q75: number): Float64Array {
  let first = 0;
  let last = sorted.length; // finite values are sorted[first..last)
  while (first < last && sorted[first] === -Infinity) first++;
  while (last > first && sorted[last - 1] === Infinity) last--;
  const m = last - first;
  if (m === 0) return new Float64Array(0);
  let lo = sorted[first];
  let hi = sorted[last - 1];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const sturges = (hi - lo) / (Math.log2(m) + 1);
  const fd = 2 * (q75 - q25) * Math.pow(m, -1 / 3);
  const width = fd > 0 ? Math.min(fd, sturges) : sturges;
  const bins = width > 0 ? Math.max(1, Math.ceil((hi - lo) / width)) : 1;
  return sortedBinCounts(sorted, lo, hi, bins);
}

/** First index of a sorted array whose value is ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `binCounts` of a sorted array by binary search on the edges: O(bins · log n).
 * @example sortedBinCounts(Float64Array.of(1, 2, 2, 3), 1, 3, 2) // [1, 3]
 */
export function sortedBinCounts(sorted: Float64Array, lo: number, hi: number, bins: number): Float64Array {
  const counts = new Float64Array(bins);
  const step = (hi - lo) / bins;
  let prev = lowerBound(sorted, lo);
  for (let k = 0; k < bins; k++) {
    // numpy: bin k holds edge[k] ≤ v < edge[k+1]; the last bin also holds v == hi.
    const next =
      k === bins - 1 ? lowerBound(sorted, hi) + countEqual(sorted, hi) : lowerBound(sorted, (k + 1) * step + lo);
    counts[k] = next - prev;
    prev = next;
  }
  return counts;
}

/**
 * Counts in `bins` equal-width bins over [lo, hi] with numpy's edge rules (left-closed bins, the last one closed).
 * @example binCounts(Float64Array.of(3, 1, 2, 2), 1, 3, 2) // [1, 3]
 */
export function binCounts(values: Float64Array, lo: number, hi: number, bins: number): Float64Array {
  const counts = new Float64Array(bins);
  const step = (hi - lo) / bins;
  const edge = (k: number) => (k === bins ? hi : k * step + lo); // np.linspace
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    let k = Math.floor(((v - lo) / (hi - lo)) * bins);
    if (k === bins) k--;
    if (v < edge(k)) k--;
    else if (k !== bins - 1 && v >= edge(k + 1)) k++;
    counts[k]++;
  }
  return counts;
}

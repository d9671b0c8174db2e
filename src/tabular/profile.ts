/**
 * `profile(df)`: what pandas-profiling / ydata-profiling compute about a frame (per-column kind,
 * counts, moments, quantiles, skewness, top values; correlations; duplicate rows) and the alerts
 * their rules raise, returned as data. Statistics come from one polars `select` and one typed-array
 * pass per column; nothing is computed per row in JS objects.
 */
import pl from "nodejs-polars";
import type { DataFrame, Series } from "nodejs-polars";
import {
  checkAlerts,
  chiSquaredUniformity,
  imbalanceScore,
  resolvePreset,
  type Alert,
  type AlertThresholds,
  type ColumnFacts,
  type PresetName,
  type ProfilePreset,
} from "./alerts";
import { _codeArrays, _matrices, isIntegerDtype, isNumericDtype, positiveLabel, type CorrelationMatrix } from "./correlations";
import { _releaseScratch, _sortColumn } from "./rank";
import { SchemaError } from "../util/errors";

/** How a column is treated: its statistics and which rules apply. */
export type ColumnKind = ColumnFacts["kind"];

/** One entry of a value-count table. */
export interface TopValue {
  value: string | number | boolean;
  count: number;
}

/** Quantiles reported for numeric columns (pandas-profiling's `vars.num.quantiles`). */
export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Everything profiled about one column. Numeric fields are null for non-numeric dtypes. */
export interface ColumnProfile extends ColumnFacts {
  dtype: string;
  pMissing: number;
  pZeros: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** Linear-interpolated quantiles at `QUANTILES`, as pandas `Series.quantile`. */
  quantiles: number[] | null;
  /** Most frequent values, most frequent first, ties in first-seen order (numeric columns: values seen more than once). */
  topValues: TopValue[];
}

/** The result of `profile`. */
export interface Profile {
  preset: string;
  rows: number;
  columns: ColumnProfile[];
  duplicates: number;
  missingCells: number;
  /** Approximate in-memory size: fixed-width bytes plus string characters and offsets. */
  memoryBytes: number;
  kinds: Record<ColumnKind, number>;
  label?: string;
  correlations: CorrelationMatrix[];
  alerts: Alert[];
}

/** Options of `profile`. */
export interface ProfileOptions {
  /** Rules, thresholds and type inference of a profiling tool (default "ydata-profiling-4"). */
  preset?: PresetName | ProfilePreset;
  /** Overrides of the preset's thresholds (default none). */
  thresholds?: Partial<AlertThresholds>;
  /** The label column, encoded 0/1 when binary and included in every correlation matrix (default none). */
  label?: string;
  /** Number of top values kept per column (default 10). */
  topValues?: number;
  /** Compute correlation matrices (default true). */
  correlations?: boolean;
  /** Recognise integer/string columns whose values are all distinct as identifiers (default true). */
  detectIdentifiers?: boolean;
}

/** Rows whose distinct counts route a string column to the group-by (no per-row codes). */
const PROBE_ROWS = 5000;
const KINDS: ColumnKind[] = ["numeric", "categorical", "boolean", "text", "identifier"];
const BYTES: Record<string, number> = { Int8: 1, UInt8: 1, Int16: 2, UInt16: 2, Int32: 4, UInt32: 4, Float32: 4, Date: 4, Int64: 8, UInt64: 8, Float64: 8, Datetime: 8 };


/**
 * Profile a frame: per-column statistics, correlations, duplicate rows and alerts.
 * @example
 * const p = profile(pl.readCSV(fs.readFileSync("churn.txt")), { preset: "pandas-profiling-2.11", label: "Churn?" });
 * p.alerts.map((a) => `${a.code} ${a.column}`) // ["HIGH_CARDINALITY State", "HIGH_CARDINALITY Phone", ...]
 */
export function profile(df: DataFrame, options: ProfileOptions = {}): Profile {
  if (!df || typeof df !== "object" || !Array.isArray(df.columns) || typeof df.height !== "number") {
    throw new TypeError(`profile data invalid: ${typeof df} (expected a nodejs-polars DataFrame)`);
  }
  const { preset = "ydata-profiling-4", thresholds = {}, label, topValues = 10, correlations = true, detectIdentifiers = true } = options;
  if (label !== undefined && !df.columns.includes(label)) {
    throw new SchemaError(`profile label column missing: ${JSON.stringify(label)} (expected one of ${df.columns.map((c) => JSON.stringify(c)).join(", ")})`);
  }
  if (!Number.isInteger(topValues) || topValues < 0) throw new RangeError(`profile topValues invalid: ${topValues} (expected an integer ≥ 0)`);
  const p = resolvePreset(preset);
  return _profile(df, p, { ...p.thresholds, ...thresholds }, label, topValues, correlations, detectIdentifiers);
}

/** Worker of `profile` with a resolved preset and thresholds. */
export function _profile(df: DataFrame, preset: ProfilePreset, thresholds: AlertThresholds, label: string | undefined, topN: number, withCorrelations: boolean, detectIdentifiers: boolean): Profile {
  const n = df.height;
  const names = df.columns;
  const schema = df.schema;
  const isNumeric = names.map((c) => isNumericDtype(schema[c]));
  const isString = names.map((c) => ["Utf8", "String", "Categorical"].includes(schema[c].variant));

  // 1. Null counts, and string sizes in one select; moments and order statistics come from step 2.
  const nulls = (n > 0 ? df.nullCount().toRecords()[0] : {}) as Record<string, unknown>;
  const stringNames = names.filter((_, i) => isString[i]);
  const series = new Map(df.getColumns().map((s) => [s.name, s]));

  // 2. Numeric columns: one typed array and one O(n) sort each. Others: dense codes and counts.
  const numNames = names.filter((_, i) => isNumeric[i]);
  const numData = numericArrays(df, numNames, series, nulls);
  const sortedCols = numData.map((a) => _sortColumn(a));
  _releaseScratch();
  const otherNames = names.filter((_, i) => !isNumeric[i]);
  // Columns with more distinct values than Cramér's V takes (seen already in the first rows) need
  // only counts and first rows, from a group-by; the others get per-row codes.
  const probe = otherNames.length ? (df.height > PROBE_ROWS ? df.head(PROBE_ROWS) : df).select(...otherNames.map((c) => pl.col(c).dropNulls().nUnique())).row(0) : [];
  const wide = new Set(otherNames.filter((c, k) => c !== label && Number(probe[k]) > preset.maxCorrelationDistinct));
  const narrowNames = otherNames.filter((c) => !wide.has(c));
  const coded = _codeArrays(df, narrowNames);
  // String sizes: natively for wide columns; for the others, Σ count × length over their few distinct values.
  const wideStrings = stringNames.filter((c) => wide.has(c));
  const chars = (n > 0 && wideStrings.length ? df.select(...wideStrings.map((c) => pl.col(c).cast(pl.Utf8).str.lengths().cast(pl.Float64).sum())).toRecords()[0] : {}) as Record<string, unknown>;

  const columns: ColumnProfile[] = names.map((c, i) => {
    const dtype = schema[c];
    const missing = Number(nulls[c] ?? 0);
    const count = n - missing;
    let distinct: number;
    let top: TopValue[];
    let counts: ArrayLike<number>;
    let sorted: Float64Array | null = null;
    let mom: Moments | null = null;
    if (isNumeric[i]) {
      sorted = sortedCols[numNames.indexOf(c)].sorted;
      mom = moments(sorted);
      ({ distinct, top, counts } = runs(sorted, topN));
    } else {
      const k = narrowNames.indexOf(c);
      const grouped = k < 0 ? groupCounts(df, c) : { counts: codeTally(coded.codes[k], coded.cardinalities[k]), firstRows: coded.firstRows[k] };
      if (k >= 0 && isString[i]) chars[c] = stringChars(series.get(c)!, grouped.counts, grouped.firstRows);
      ({ distinct, top, counts } = topOfCounts(series.get(c)!, grouped.counts, grouped.firstRows, topN));
    }
    let kind: ColumnKind;
    if (dtype.variant === "Bool") kind = "boolean";
    else if (isString[i] && distinct >= 1 && distinct <= 2 && top.every((t) => preset.booleanStrings.includes(String(t.value).toLowerCase()))) kind = "boolean";
    else if (detectIdentifiers && (isIntegerDtype(dtype) || isString[i]) && distinct === count && count > preset.lowCategoricalThreshold) kind = "identifier";
    else if (isNumeric[i]) kind = distinct <= preset.lowCategoricalThreshold ? "categorical" : "numeric";
    else if (preset.textRatio !== null && distinct > thresholds.cardinality && count > 0 && distinct / count >= preset.textRatio) kind = "text";
    else kind = "categorical";

    const quantiles = sorted && sorted.length > 0 ? QUANTILES.map((q) => quantileSorted(sorted!, q)) : null;
    let chiSquared: ColumnProfile["chiSquared"] = null;
    if (kind === "numeric" && sorted && quantiles) chiSquared = chiSquaredUniformity(histogramAuto(sorted, quantiles[1], quantiles[3]));
    else if (kind === "categorical") chiSquared = chiSquaredUniformity(counts);
    const imbalance = kind === "categorical" || kind === "boolean" ? imbalanceScore(counts) : NaN;
    const zeros = sorted ? countEqual(sorted, 0) : null;
    return {
      name: c,
      dtype: String(dtype.variant),
      kind,
      n,
      count,
      missing,
      pMissing: n > 0 ? missing / n : 0,
      distinct,
      zeros,
      pZeros: zeros === null || n === 0 ? null : zeros / n,
      min: sorted && sorted.length ? sorted[0] : null,
      max: sorted && sorted.length ? sorted[sorted.length - 1] : null,
      mean: mom ? mom.mean : null,
      std: mom ? mom.std : null,
      quantiles,
      skewness: mom ? mom.skewness : null,
      chiSquared,
      imbalance: Number.isFinite(imbalance) ? imbalance : null,
      topValues: top,
    };
  });

  // 3. Dataset-level facts. Row hashes screen for duplicates; only a hash collision needs the exact unique().
  const hashDistinct = n > 0 && names.length > 0 ? df.hashRows().nUnique() : n;
  const duplicates = hashDistinct === n ? 0 : n - df.unique().height;
  const missingCells = columns.reduce((s, c) => s + c.missing, 0);
  const memoryBytes = names.reduce((s, c) => {
    const v = schema[c].variant;
    if (BYTES[v]) return s + BYTES[v] * n;
    if (v === "Bool") return s + Math.ceil(n / 8);
    return s + Number(chars[c] ?? 0) + 4 * n;
  }, 0);
  const kinds = Object.fromEntries(KINDS.map((k) => [k, columns.filter((c) => c.kind === k).length])) as Record<ColumnKind, number>;

  // 4. Correlations from the arrays already extracted: numeric dtypes except identifiers and the
  //    label, then the label encoded 0/1; categoricals/booleans of bounded cardinality.
  let matrices: CorrelationMatrix[] = [];
  if (withCorrelations && n > 1) {
    const numCols = columns.filter((c, i) => isNumeric[i] && c.kind !== "identifier" && c.name !== label);
    const numericNames = numCols.map((c) => c.name);
    const raw = numCols.map((c) => numData[numNames.indexOf(c.name)]);
    const ranks = numCols.map((c) => sortedCols[numNames.indexOf(c.name)].ranks);
    const complete = numCols.map((c) => sortedCols[numNames.indexOf(c.name)].sorted.length === n);
    if (label !== undefined) {
      const li = names.indexOf(label);
      const lp = columns[li];
      if (isNumeric[li]) {
        numericNames.push(label);
        raw.push(numData[numNames.indexOf(label)]);
        ranks.push(sortedCols[numNames.indexOf(label)].ranks);
        complete.push(sortedCols[numNames.indexOf(label)].sorted.length === n);
      } else if (lp.distinct === 2) {
        const k = narrowNames.indexOf(label);
        const codes = coded.codes[k];
        const values = series.get(label)!.gather(Array.from(coded.firstRows[k])).toArray() as (string | number | boolean)[];
        const positiveCode = values.indexOf(positiveLabel(values));
        const encoded = Float64Array.from(codes, (code) => (code < 0 ? NaN : code === positiveCode ? 1 : 0));
        numericNames.push(label);
        raw.push(encoded);
        const sortedLabel = _sortColumn(encoded);
        ranks.push(sortedLabel.ranks);
        complete.push(sortedLabel.sorted.length === n);
      }
    }
    const catCols = columns.filter((c) => (c.kind === "categorical" || c.kind === "boolean") && c.distinct <= preset.maxCorrelationDistinct && !wide.has(c.name));
    const catCodes = catCols.map((c) => (isNumeric[names.indexOf(c.name)] ? numericCodes(numData[numNames.indexOf(c.name)]) : coded.codes[narrowNames.indexOf(c.name)]));
    const methods = (["pearson", "spearman", "cramers"] as const).filter((m) => m !== "cramers" || catCols.length > 1);
    matrices = _matrices([...methods], numericNames, raw, ranks, catCols.map((c) => c.name), catCodes, catCodes.map(maxPlusOne), preset.cramersBiasCorrection, complete);
  }

  const alerts = checkAlerts({ rows: n, duplicates, columns, correlations: matrices, label }, thresholds);
  return { preset: preset.name, rows: n, columns, duplicates, missingCells, memoryBytes, kinds, ...(label !== undefined ? { label } : {}), correlations: matrices, alerts };
}

/**
 * Numeric columns as Float64Arrays, nulls as NaN (as correlations' `_numericArrays`), with every
 * cast in one polars `select` so that polars converts the columns in parallel.
 */
function numericArrays(df: DataFrame, names: string[], series: Map<string, Series>, nulls: Record<string, unknown>): Float64Array[] {
  const direct = (c: string) => series.get(c)!.dtype.variant === "Float64" && !(Number(nulls[c] ?? 0) > 0);
  const converted = names.filter((c) => !direct(c));
  const cast = converted.length ? df.select(...converted.map((c) => (Number(nulls[c] ?? 0) > 0 ? pl.col(c).cast(pl.Float64).fillNull(pl.lit(NaN)) : pl.col(c).cast(pl.Float64)))) : null;
  return names.map((c) => {
    const a = (direct(c) ? series.get(c)! : cast!.getColumn(c)).toTypedArray() as unknown;
    return a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number>);
  });
}

const maxPlusOne = (codes: Int32Array) => codes.reduce((m, v) => (v > m ? v : m), -1) + 1;

/** Dense codes in first-seen order of a numeric column with few values (for Cramér's V), −1 for NaN. */
function numericCodes(values: Float64Array): Int32Array {
  const seen: number[] = [];
  const codes = new Int32Array(values.length);
  let prev = NaN;
  let prevCode = -1;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v !== v) {
      codes[r] = -1;
      continue;
    }
    if (v !== prev) {
      prev = v;
      prevCode = seen.indexOf(v); // few values: a linear search beats a Map
      if (prevCode < 0) prevCode = seen.push(v) - 1;
    }
    codes[r] = prevCode;
  }
  return codes;
}

/** Keep the `topN` largest counts (ties: the earlier candidate stays ahead). */
function pushTop(top: TopValue[], candidate: TopValue, topN: number): void {
  if (topN === 0 || (top.length === topN && candidate.count <= top[topN - 1].count)) return;
  let at = top.length;
  while (at > 0 && top[at - 1].count < candidate.count) at--;
  top.splice(at, 0, candidate);
  if (top.length > topN) top.pop();
}

/** Distinct values, counts (value order; only kept for ≤ 64 distinct, all a categorical needs) and top values of a sorted array. */
function runs(sorted: Float64Array, topN: number): { distinct: number; top: TopValue[]; counts: number[] } {
  const counts: number[] = [];
  const top: TopValue[] = [];
  let distinct = 0;
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i];
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    if (++distinct <= 64) counts.push(j - i);
    if (j - i > 1) pushTop(top, { value: v, count: j - i }, topN);
    i = j;
  }
  return { distinct, top, counts: distinct <= 64 ? counts : [] };
}

/** Characters of a string column's non-null values from its distinct values' counts and first rows. */
function stringChars(series: Series, counts: Float64Array, firstRows: Int32Array): number {
  if (firstRows.length === 0) return 0;
  const lengths = series.gather(Array.from(firstRows)).cast(pl.Utf8).str.lengths().toTypedArray() as ArrayLike<number>;
  let sum = 0;
  for (let k = 0; k < lengths.length; k++) sum += counts[k] * Number(lengths[k]);
  return sum;
}

/** Occurrences of each code 0..k−1 (−1, null, not counted). */
function codeTally(codes: Int32Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (let r = 0; r < codes.length; r++) if (codes[r] >= 0) counts[codes[r]]++;
  return counts;
}

/** Counts and first rows of a column's distinct non-null values, in first-seen order (a polars group-by). */
function groupCounts(df: DataFrame, column: string): { counts: Float64Array; firstRows: Int32Array } {
  const g = df.select(pl.col(column).alias("v")).withRowIndex("r").dropNulls("v").groupBy("v").agg(pl.len().alias("n"), pl.col("r").first().alias("f"));
  const n = g.getColumn("n").toTypedArray() as ArrayLike<number>;
  const f = g.getColumn("f").toTypedArray() as ArrayLike<number>;
  const group = new Int32Array(df.height).fill(-1);
  for (let k = 0; k < f.length; k++) group[f[k]] = k;
  const counts = new Float64Array(f.length);
  const firstRows = new Int32Array(f.length);
  for (let r = 0, k = 0; r < group.length; r++) {
    if (group[r] < 0) continue;
    counts[k] = n[group[r]];
    firstRows[k++] = r;
  }
  return { counts, firstRows };
}

/** Distinct values, counts and top values from per-value counts in first-seen order; values are fetched for the top ones only. */
function topOfCounts(series: Series, counts: Float64Array, firstRows: Int32Array, topN: number): { distinct: number; top: TopValue[]; counts: Float64Array } {
  const k = counts.length;
  // Keep at least 2 so that boolean detection sees both values of a two-valued column.
  const keep = Math.max(topN, Math.min(k, 2));
  const ranked: TopValue[] = [];
  for (let code = 0; code < k; code++) {
    // Screen before allocating a candidate: most codes of a wide column never make the top.
    if (keep === 0 || (ranked.length === keep && counts[code] <= ranked[keep - 1].count)) continue;
    pushTop(ranked, { value: code, count: counts[code] }, keep);
  }
  const values = ranked.length ? (series.gather(ranked.map((t) => firstRows[t.value as number])).toArray() as (string | number | boolean)[]) : [];
  return { distinct: k, top: ranked.map((t, j) => ({ value: values[j], count: t.count })), counts };
}

interface Moments {
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
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) { sum += values[i]; m++; }
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
function countEqual(sorted: Float64Array, x: number): number {
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
    const next = k === bins - 1 ? lowerBound(sorted, hi) + countEqual(sorted, hi) : lowerBound(sorted, (k + 1) * step + lo);
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

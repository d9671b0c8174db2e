/**
 * `profile(df)`: what pandas-profiling / ydata-profiling compute about a frame (per-column kind,
 * counts, moments, quantiles, skewness, top values; correlations; duplicate rows) and the alerts
 * their rules raise, returned as data. Numeric columns are sorted once as typed arrays (on two
 * threads, see util/helper-thread.ts) and every statistic is read off the sorted values; other
 * columns go through polars (codes, group-by counts); nothing is computed per row in JS objects.
 */
import pl from "nodejs-polars";
import type { DataFrame, DataType, Series } from "nodejs-polars";
import {
  checkAlerts,
  imbalanceScore,
  resolvePreset,
  type Alert,
  type AlertThresholds,
  type ColumnFacts,
  type PresetName,
  type ProfilePreset,
} from "./alerts";
import { chiSquaredUniformity } from "./chi-squared";
import {
  _codeArrays,
  _float64Array,
  _numericFrame,
  isIntegerDtype,
  isNumericDtype,
  positiveLabel,
} from "./correlations";
import { _cramers, _hasNaN, _pearson, _subMatrix, type CorrelationMatrix } from "./correlation-matrix";
import {
  _pushTop,
  _runs,
  countEqual,
  histogramAuto,
  moments,
  QUANTILES,
  quantileSorted,
  type TopValue,
} from "./column-stats";
import { _sortColumn, type SortedColumn } from "./rank";
import { SchemaError } from "../util/errors";
import { requirePlainNames } from "./column-names";
import { helperAvailable, startOnHelper, toShared, type Pending } from "../util/helper-thread";

/** How a column is treated: its statistics and which rules apply. */
export type ColumnKind = ColumnFacts["kind"];

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
  /**
   * Most frequent values, most frequent first, ties in first-seen order (numeric columns: values seen more than once).
   */
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
const BYTES: Record<string, number> = {
  Int8: 1,
  UInt8: 1,
  Int16: 2,
  UInt16: 2,
  Int32: 4,
  UInt32: 4,
  Float32: 4,
  Date: 4,
  Int64: 8,
  UInt64: 8,
  Float64: 8,
  Datetime: 8,
};

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
  const {
    preset = "ydata-profiling-4",
    thresholds = {},
    label,
    topValues = 10,
    correlations = true,
    detectIdentifiers = true,
  } = options;
  if (label !== undefined && !df.columns.includes(label)) {
    throw new SchemaError(
      `profile label column missing: ${JSON.stringify(label)} (expected one of ${df.columns.map((c) => JSON.stringify(c)).join(", ")})`,
    );
  }
  if (!Number.isInteger(topValues) || topValues < 0)
    throw new RangeError(`profile topValues invalid: ${topValues} (expected an integer ≥ 0)`);
  requirePlainNames(df, "profile column");
  const p = resolvePreset(preset);
  return _profile(df, p, { ...p.thresholds, ...thresholds }, label, topValues, correlations, detectIdentifiers);
}

/** Worker of `profile` with a resolved preset and thresholds. */
export function _profile(
  df: DataFrame,
  preset: ProfilePreset,
  thresholds: AlertThresholds,
  label: string | undefined,
  topN: number,
  withCorrelations: boolean,
  detectIdentifiers: boolean,
): Profile {
  helperAvailable(); // start the helper thread now, while polars works below
  const n = df.height;
  const names = df.columns;
  const dtypes = df.dtypes; // (df.schema builds a wrapper per column: ~14 ms)
  const isNumeric = dtypes.map((d) => isNumericDtype(d));
  const isString = dtypes.map((d) => ["Utf8", "String", "Categorical"].includes(d.variant));
  const correlate = withCorrelations && n > 1;
  const nulls = (n > 0 ? df.nullCount().toRecords()[0] : {}) as Record<string, unknown>;
  const count = (c: string) => n - Number(nulls[c] ?? 0);
  const kindOf = (i: number, distinct: number, top: TopValue[]) =>
    columnKind(
      dtypes[i],
      isNumeric[i],
      isString[i],
      distinct,
      count(names[i]),
      top,
      preset,
      thresholds,
      detectIdentifiers,
    );

  // 1. Numeric columns (and a two-valued label encoded 0/1) as typed arrays, each sent to the helper
  //    thread to be sorted as soon as it is out of polars. Meanwhile polars goes through the other
  //    columns and the row hashes here and Pearson is computed; then this thread sorts the columns
  //    the helper has not reached, and Spearman runs on the helper while each column's statistics
  //    are read off its sorted values here. The matrices take every numeric column but the label,
  //    then the label; identifiers are dropped from them once their distinct counts are known.
  const numNames = names.filter((_, i) => isNumeric[i]);
  const numFrame = _numericFrame(df, numNames);
  const sorting: Pending<SortedColumn | null>[] = [];
  const claimed = new Int32Array(new SharedArrayBuffer(4 * (numNames.length + 1)));
  const sortShared = (values: Float64Array) => {
    const shared = toShared(values);
    sorting.push(
      startOnHelper<SortedColumn | null>(require.resolve("./rank"), "_sortUnclaimed", [
        shared,
        claimed,
        sorting.length,
      ]),
    );
    return shared;
  };
  const numData = numNames.map((c) => sortShared(_float64Array(numFrame!.getColumn(c))));
  const labelIndex = label === undefined ? -1 : names.indexOf(label);
  const encodedLabel = correlate && labelIndex >= 0 && !isNumeric[labelIndex] ? encodeLabel(df, label!) : null;
  const sortNames = encodedLabel ? [...numNames, label!] : numNames;
  const sortData = encodedLabel ? [...numData, sortShared(encodedLabel)] : numData;
  const corr: number[] = []; // indices into sortNames, in matrix order
  if (correlate) {
    numNames.forEach((c, k) => c !== label && corr.push(k));
    const labelAt = encodedLabel ? numNames.length : label !== undefined ? numNames.indexOf(label) : -1;
    if (labelAt >= 0) corr.push(labelAt);
  }
  // No NaN in the array: no nulls, and no NaN values in a float column.
  const complete = corr.map(
    (k) =>
      count(sortNames[k]) === n &&
      (k >= numNames.length || isIntegerDtype(dtypes[names.indexOf(numNames[k])]) || !_hasNaN(sortData[k])),
  );
  const other = otherColumns(
    df,
    names.filter((_, i) => !isNumeric[i]),
    isString,
    label,
    preset,
    topN,
  );
  const pick = <T>(all: T[]) => corr.map((k) => all[k]);
  const pearsonAll = correlate ? _pearson(pick(sortNames), pick(sortData), complete) : null;
  const mine: (SortedColumn | null)[] = sortData.map(() => null);
  for (let k = sortData.length - 1; k >= 0 && Atomics.compareExchange(claimed, k, 0, 2) === 0; k--)
    mine[k] = _sortColumn(sortData[k], true);
  const sortedColumns = sorting.map((job, k) => job.result() ?? mine[k]!); // every reply taken: no port left open
  const spearman = correlate
    ? startOnHelper<CorrelationMatrix>(require.resolve("./correlation-matrix"), "_spearman", [
        pick(sortNames),
        pick(sortedColumns.map((s) => s.ranks)),
        pick(sortData),
        complete,
      ])
    : null;
  const summaries = sortedColumns
    .slice(0, numNames.length)
    .map(({ sorted }) => ({ sorted, ..._runs(sorted, topN), moments: moments(sorted) }));

  // 2. Every column's profile.
  const columns: ColumnProfile[] = names.map((c, i) => {
    const numeric = isNumeric[i] ? summaries[numNames.indexOf(c)] : null;
    const { distinct, top, counts } = numeric ?? other.facts.get(c)!;
    const sorted = numeric ? numeric.sorted : null;
    const mom = numeric ? numeric.moments : null;
    const kind = kindOf(i, distinct, top);
    const quantiles = sorted && sorted.length > 0 ? QUANTILES.map((q) => quantileSorted(sorted, q)) : null;
    let chiSquared: ColumnProfile["chiSquared"] = null;
    if (kind === "numeric" && sorted && quantiles)
      chiSquared = chiSquaredUniformity(histogramAuto(sorted, quantiles[1], quantiles[3]));
    else if (kind === "categorical") chiSquared = chiSquaredUniformity(counts);
    const imbalance = kind === "categorical" || kind === "boolean" ? imbalanceScore(counts) : NaN;
    const zeros = sorted ? countEqual(sorted, 0) : null;
    const missing = n - count(c);
    return {
      name: c,
      dtype: String(dtypes[i].variant),
      kind,
      n,
      count: count(c),
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

  // 3. Dataset-level facts.
  const missingCells = columns.reduce((s, c) => s + c.missing, 0);
  const memoryBytes = names.reduce((s, c, i) => {
    const v = dtypes[i].variant;
    if (BYTES[v]) return s + BYTES[v] * n;
    if (v === "Bool") return s + Math.ceil(n / 8);
    return s + Number(other.chars.get(c) ?? 0) + 4 * n;
  }, 0);
  const kinds = Object.fromEntries(KINDS.map((k) => [k, columns.filter((c) => c.kind === k).length])) as Record<
    ColumnKind,
    number
  >;

  // 4. Pearson and Spearman without identifier columns; Cramér's V over categoricals/booleans of bounded cardinality.
  const matrices: CorrelationMatrix[] = [];
  if (correlate) {
    const identifier = new Set(columns.filter((c) => c.kind === "identifier").map((c) => c.name));
    const keep = corr
      .map((k, p) => (sortNames[k] === label || !identifier.has(sortNames[k]) ? p : -1))
      .filter((p) => p >= 0);
    matrices.push(_subMatrix(pearsonAll!, keep), _subMatrix(spearman!.result(), keep));
    const catCols = columns.filter(
      (c) =>
        (c.kind === "categorical" || c.kind === "boolean") &&
        c.distinct <= preset.maxCorrelationDistinct &&
        (isNumeric[names.indexOf(c.name)] || other.codes.has(c.name)),
    );
    const catCodes = catCols.map((c) => other.codes.get(c.name) ?? numericCodes(numData[numNames.indexOf(c.name)]));
    if (catCols.length > 1)
      matrices.push(
        _cramers(
          catCols.map((c) => c.name),
          catCodes,
          catCodes.map(maxPlusOne),
          preset.cramersBiasCorrection,
        ),
      );
  }

  const alerts = checkAlerts(
    { rows: n, duplicates: other.duplicates, columns, correlations: matrices, label },
    thresholds,
  );
  return {
    preset: preset.name,
    rows: n,
    columns,
    duplicates: other.duplicates,
    missingCells,
    memoryBytes,
    kinds,
    ...(label !== undefined ? { label } : {}),
    correlations: matrices,
    alerts,
  };
}

/** What `otherColumns` finds. */
interface OtherColumns {
  /** Distinct values, top values and counts (first-seen order) of each non-numeric column. */
  facts: Map<string, { distinct: number; top: TopValue[]; counts: Float64Array }>;
  /** Per-row codes of the non-numeric columns with few enough values for Cramér's V. */
  codes: Map<string, Int32Array>;
  /** Characters in each string column. */
  chars: Map<string, number>;
  /** Duplicate rows. */
  duplicates: number;
}

/**
 * The polars side of `profile`: non-numeric columns' counts and top values, string sizes, and
 * duplicate rows (row hashes screen; only a hash collision needs the exact unique()).
 */
function otherColumns(
  df: DataFrame,
  otherNames: string[],
  isString: boolean[],
  label: string | undefined,
  preset: ProfilePreset,
  topN: number,
): OtherColumns {
  const n = df.height;
  const out: OtherColumns = { facts: new Map(), codes: new Map(), chars: new Map(), duplicates: 0 };
  const stringNames = new Set(df.columns.filter((_, i) => isString[i]));
  // Columns with more distinct values than Cramér's V takes (seen already in the first rows) need
  // only counts and first rows, from a group-by; the others get per-row codes.
  // One expression over many columns: nodejs-polars builds a JS wrapper (~1 ms) per expression step.
  const probe = otherNames.length
    ? (n > PROBE_ROWS ? df.head(PROBE_ROWS) : df).select(pl.col(otherNames).dropNulls().nUnique()).row(0)
    : [];
  const wide = new Set(otherNames.filter((c, k) => c !== label && Number(probe[k]) > preset.maxCorrelationDistinct));
  const narrowNames = otherNames.filter((c) => !wide.has(c));
  const coded = _codeArrays(df, narrowNames);
  // String sizes: natively for wide columns; for the others, Σ count × length over their few distinct values.
  const wideStrings = otherNames.filter((c) => stringNames.has(c) && wide.has(c));
  const chars = (
    n > 0 && wideStrings.length
      ? df.select(pl.col(wideStrings).cast(pl.Utf8).str.lengths().cast(pl.Float64).sum()).row(0)
      : []
  ) as unknown[];
  wideStrings.forEach((c, k) => out.chars.set(c, Number(chars[k])));
  for (const c of otherNames) {
    const series = df.getColumn(c);
    const k = narrowNames.indexOf(c);
    const grouped =
      k < 0
        ? groupCounts(df, c)
        : { counts: codeTally(coded.codes[k], coded.cardinalities[k]), firstRows: coded.firstRows[k] };
    if (k >= 0) out.codes.set(c, coded.codes[k]);
    if (k >= 0 && stringNames.has(c)) out.chars.set(c, stringChars(series, grouped.counts, grouped.firstRows));
    out.facts.set(c, topOfCounts(series, grouped.counts, grouped.firstRows, topN));
  }
  const hashDistinct = n > 0 && df.width > 0 ? df.hashRows().nUnique() : n;
  out.duplicates = hashDistinct === n ? 0 : n - df.unique().height;
  return out;
}

/** How a column is treated (pandas-profiling's type inference with the preset's rules). */
function columnKind(
  dtype: DataType,
  isNumeric: boolean,
  isString: boolean,
  distinct: number,
  count: number,
  top: TopValue[],
  preset: ProfilePreset,
  thresholds: AlertThresholds,
  detectIdentifiers: boolean,
): ColumnKind {
  if (dtype.variant === "Bool") return "boolean";
  if (
    isString &&
    distinct >= 1 &&
    distinct <= 2 &&
    top.every((t) => preset.booleanStrings.includes(String(t.value).toLowerCase()))
  )
    return "boolean";
  if (
    detectIdentifiers &&
    (isIntegerDtype(dtype) || isString) &&
    distinct === count &&
    count > preset.lowCategoricalThreshold
  )
    return "identifier";
  if (isNumeric) return distinct <= preset.lowCategoricalThreshold ? "categorical" : "numeric";
  if (
    preset.textRatio !== null &&
    distinct > thresholds.cardinality &&
    count > 0 &&
    distinct / count >= preset.textRatio
  )
    return "text";
  return "categorical";
}

/** A label with exactly two values as 0/1 (1 for `positiveLabel`), NaN for null; null when not two-valued. */
function encodeLabel(df: DataFrame, label: string): Float64Array | null {
  const values = df.getColumn(label).dropNulls().unique().toArray() as (string | number | boolean)[];
  if (values.length !== 2) return null;
  const column = pl.col(label);
  const encoded = df.select(
    pl
      .when(column.isNull())
      .then(pl.lit(NaN))
      .otherwise(
        column
          .cast(pl.Utf8)
          .eq(pl.lit(String(positiveLabel(values))))
          .cast(pl.Float64),
      )
      .alias("y"),
  );
  return _float64Array(encoded.getColumn("y"));
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
  const g = df
    .select(pl.col(column).alias("v"))
    .withRowIndex("r")
    .dropNulls("v")
    .groupBy("v")
    .agg(pl.len().alias("n"), pl.col("r").first().alias("f"));
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

/**
 * Distinct values, counts and top values from per-value counts in first-seen order; values are fetched for the top ones
 * only.
 */
function topOfCounts(
  series: Series,
  counts: Float64Array,
  firstRows: Int32Array,
  topN: number,
): { distinct: number; top: TopValue[]; counts: Float64Array } {
  const k = counts.length;
  // Keep at least 2 so that boolean detection sees both values of a two-valued column.
  const keep = Math.max(topN, Math.min(k, 2));
  const ranked: TopValue[] = [];
  for (let code = 0; code < k; code++) {
    // Screen before allocating a candidate: most codes of a wide column never make the top.
    if (keep === 0 || (ranked.length === keep && counts[code] <= ranked[keep - 1].count)) continue;
    _pushTop(ranked, { value: code, count: counts[code] }, keep);
  }
  const values = ranked.length
    ? (series.gather(ranked.map((t) => firstRows[t.value as number])).toArray() as (string | number | boolean)[])
    : [];
  return { distinct: k, top: ranked.map((t, j) => ({ value: values[j], count: t.count })), counts };
}

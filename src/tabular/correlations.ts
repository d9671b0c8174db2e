/**
 * Correlations of a DataFrame: Pearson and Spearman (average ranks for ties) over numeric columns,
 * Cramér's V over categorical ones, with a binary label encoded 0/1 so it takes part (the
 * workshop's `change_y`). This module takes the columns out of polars as typed arrays; the
 * arithmetic is in correlation-matrix.ts. Numbers match pandas/scipy to ~1e-12 (see
 * test/tabular/correlations.test.ts).
 */
import pl from "nodejs-polars";
import type { DataFrame, DataType, Series } from "nodejs-polars";
import type { CorrelationMethod } from "./alerts";
import { SchemaError } from "../util/errors";
import { requirePlainNames } from "./column-names";
import { _sortColumn } from "./rank";
import { _cramers, _hasNaN, _pearson, _spearman, type CorrelationMatrix } from "./correlation-matrix";

/** Options of `correlations`. */
export interface CorrelationsOptions {
  /** Numeric columns for Pearson/Spearman (default: every numeric-dtype column). */
  numeric?: string[];
  /** Categorical columns for Cramér's V (default: string/boolean columns with ≤ 100 distinct values). */
  categorical?: string[];
  /** Matrices to compute (default all three). */
  methods?: CorrelationMethod[];
  /** A label column, encoded 0/1 when binary and added to every matrix (default none). */
  label?: string;
  /** Bergsma's bias correction and Yates' continuity correction in Cramér's V, as pandas-profiling (default true). */
  cramersBiasCorrection?: boolean;
}

const INTEGER = new Set(["Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"]);

/**
 * True for integer dtypes.
 * @example isIntegerDtype(df.schema["Day Calls"]) // true
 */
export function isIntegerDtype(dtype: DataType): boolean {
  return INTEGER.has(dtype.variant);
}

/**
 * True for integer and float dtypes (not Bool).
 * @example isNumericDtype(df.schema["Day Mins"]) // true
 */
export function isNumericDtype(dtype: DataType): boolean {
  return INTEGER.has(dtype.variant) || dtype.variant === "Float32" || dtype.variant === "Float64";
}

const TRUTHY = new Set(["true", "yes", "y", "t", "1"]);

/**
 * The positive value of a binary label: a truthy spelling ("True.", "yes", 1), else the larger.
 * @example positiveLabel(["False.", "True."]) // "True."
 */
export function positiveLabel(values: (string | number | boolean)[]): string | number | boolean {
  const sorted = [...values].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const truthy = sorted.find((v) => TRUTHY.has(String(v).toLowerCase().replace(/\.$/, "")));
  return truthy ?? sorted[sorted.length - 1];
}

export { rankAverage, _sortColumn, type SortedColumn } from "./rank";
export { _pearson, _spearman, cramersV, type CorrelationMatrix } from "./correlation-matrix";

/**
 * Numeric columns of `df` as Float64 with NaN for null, in one polars `select` (polars converts the
 * columns in parallel, and nodejs-polars builds one JS wrapper per expression step, not per column);
 * null when `names` is empty. Float64 columns without nulls pass through unconverted.
 */
export function _numericFrame(df: DataFrame, names: string[]): DataFrame | null {
  if (names.length === 0) return null;
  const nulls = df.nullCount().row(0);
  const dtypes = df.dtypes;
  const at = new Map(df.columns.map((c, i) => [c, i]));
  const hasNulls = (c: string) => Number(nulls[at.get(c)!]) > 0;
  const direct = names.filter((c) => dtypes[at.get(c)!].variant === "Float64" && !hasNulls(c));
  const cast = names.filter((c) => dtypes[at.get(c)!].variant !== "Float64" && !hasNulls(c));
  const withNulls = names.filter(hasNulls);
  return df.select(
    ...(direct.length ? [pl.col(direct)] : []),
    ...(cast.length ? [pl.col(cast).cast(pl.Float64)] : []),
    ...(withNulls.length ? [pl.col(withNulls).cast(pl.Float64).fillNull(pl.lit(NaN))] : []),
  );
}

/** A Float64 series' values as a Float64Array. */
export function _float64Array(series: Series): Float64Array {
  const a = series.toTypedArray() as unknown;
  return a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number>);
}

/** Columns of `df` as Float64Arrays, NaN for null. */
export function _numericArrays(df: DataFrame, names: string[]): Float64Array[] {
  const frame = _numericFrame(df, names);
  return names.map((n) => _float64Array(frame!.getColumn(n)));
}

/** Columns of `df` as dense codes 0..k−1 (−1 for null) in first-seen order, with k and each code's first row. */
export function _codeArrays(
  df: DataFrame,
  names: string[],
): { codes: Int32Array[]; cardinalities: number[]; firstRows: Int32Array[] } {
  const out = { codes: [] as Int32Array[], cardinalities: [] as number[], firstRows: [] as Int32Array[] };
  if (names.length === 0) return out;
  // Categorical physical ids come from polars' string cache (not dense): remap them in one pass.
  // One expression over every column (nodejs-polars builds a JS wrapper per expression step).
  const phys = df.select(pl.col(names).cast(pl.Utf8).cast(pl.Categorical).toPhysical().cast(pl.Int32).fillNull(-1));
  names.forEach((name) => {
    const raw = phys.getColumn(name).toTypedArray() as Int32Array;
    let max = -1;
    for (let r = 0; r < raw.length; r++) if (raw[r] > max) max = raw[r];
    const dense = new Int32Array(max + 1).fill(-1);
    const first: number[] = [];
    const codes = new Int32Array(raw.length);
    for (let r = 0; r < raw.length; r++) {
      const p = raw[r];
      if (p < 0) {
        codes[r] = -1;
        continue;
      }
      let d = dense[p];
      if (d < 0) {
        d = dense[p] = first.length;
        first.push(r);
      }
      codes[r] = d;
    }
    out.codes.push(codes);
    out.cardinalities.push(first.length);
    out.firstRows.push(Int32Array.from(first));
  });
  return out;
}

/**
 * Pearson, Spearman and Cramér's V matrices of a frame (the label included, encoded 0/1).
 * @example correlations(df, { label: "Churn?" }).find((m) => m.method === "pearson")
 */
export function correlations(df: DataFrame, options: CorrelationsOptions = {}): CorrelationMatrix[] {
  const { methods = ["pearson", "spearman", "cramers"], label, cramersBiasCorrection = true } = options;
  requirePlainNames(df, "correlation column");
  for (const c of [...(options.numeric ?? []), ...(options.categorical ?? []), ...(label ? [label] : [])]) {
    if (!df.columns.includes(c))
      throw new SchemaError(
        `correlation column missing: ${JSON.stringify(c)} (expected one of ${df.columns.length} columns)`,
      );
  }
  const dtypes = df.schema;
  const numeric = options.numeric ?? df.columns.filter((c) => c !== label && isNumericDtype(dtypes[c]));
  const categorical =
    options.categorical ??
    df.columns.filter((c) => c !== label && !isNumericDtype(dtypes[c]) && df.getColumn(c).nUnique() <= 100);
  let frame = df;
  const num = [...numeric];
  const cat = [...categorical];
  if (label !== undefined) {
    const values = df.getColumn(label).dropNulls().unique().toArray() as (string | number | boolean)[];
    if (values.length === 2 || isNumericDtype(dtypes[label])) {
      const positive = values.length === 2 ? positiveLabel(values) : undefined;
      if (positive !== undefined && !isNumericDtype(dtypes[label])) {
        frame = df.withColumn(
          pl
            .col(label)
            .cast(pl.Utf8)
            .eq(pl.lit(String(positive)))
            .cast(pl.Float64)
            .alias(label),
        );
      }
      num.push(label);
    }
    cat.push(label);
  }
  return _correlations(frame, num, cat, methods, cramersBiasCorrection);
}

/** Worker of `correlations` over already-chosen columns (the label already encoded). */
export function _correlations(
  df: DataFrame,
  numeric: string[],
  categorical: string[],
  methods: CorrelationMethod[],
  biasCorrection: boolean,
): CorrelationMatrix[] {
  const raw = methods.includes("pearson") || methods.includes("spearman") ? _numericArrays(df, numeric) : [];
  const ranks = methods.includes("spearman") ? raw.map((a) => _sortColumn(a).ranks) : [];
  const { codes, cardinalities } = methods.includes("cramers")
    ? _codeArrays(df, categorical)
    : { codes: [], cardinalities: [] };
  return _matrices(methods, numeric, raw, ranks, categorical, codes, cardinalities, biasCorrection);
}

/** The requested matrices from already-extracted arrays. */
export function _matrices(
  methods: CorrelationMethod[],
  numeric: string[],
  raw: Float64Array[],
  ranks: Float64Array[],
  categorical: string[],
  codes: Int32Array[],
  cardinalities: number[],
  biasCorrection: boolean,
  completeness?: boolean[],
): CorrelationMatrix[] {
  // `complete[i]`: column i has no NaN (known to a caller that sorted it; scanned for otherwise).
  const complete = completeness ?? raw.map((a) => !_hasNaN(a));
  const out: CorrelationMatrix[] = [];
  if (methods.includes("pearson")) out.push(_pearson(numeric, raw, complete));
  if (methods.includes("spearman")) out.push(_spearman(numeric, ranks, raw, complete));
  if (methods.includes("cramers")) out.push(_cramers(categorical, codes, cardinalities, biasCorrection));
  return out;
}

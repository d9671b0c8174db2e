/**
 * Churn cleaning steps, each a pure function from a frame to a new frame: the label to 0/1 and
 * first (the workshop's `change_y`), dropping columns, casting to a category, one-hot encoding with
 * `pandas.get_dummies` semantics, and dropping correlated columns.
 */
import pl from "nodejs-polars";
import type { DataFrame, Expr, Series } from "nodejs-polars";
import { SchemaError } from "../util/errors";
import { _numericArrays, _pearson } from "./correlations";
import { requireTwoClasses, resolvePositive } from "./label-values";

type Value = string | number | boolean;

/** Throw a SchemaError naming the first of `columns` missing from `df`. */
export function requireColumns(df: DataFrame, columns: readonly string[], what = "column"): void {
  const present = new Set(df.columns);
  for (const column of columns) {
    if (!present.has(column)) {
      throw new SchemaError(
        `${what} is missing: ${JSON.stringify(column)} (expected one of ${df.columns.map((c) => JSON.stringify(c)).join(", ")})`,
      );
    }
  }
}

export interface LabelToBinaryOptions {
  /** The label column. Required. */
  label: string;
  /** The label value that becomes 1; every other value becomes 0. Required. */
  positive: Value;
}

/**
 * Turn a two-valued label into 0/1 (Int64) and move it to column 0, like the workshop's `change_y`.
 * @example labelToBinary(churn, { label: "Churn?", positive: "True." })
 */
export function labelToBinary(df: DataFrame, options: LabelToBinaryOptions): DataFrame {
  const { label, positive } = options;
  if (typeof label !== "string")
    throw new TypeError(`label is not a string: ${String(label)} (expected a column name)`);
  requireColumns(df, [label], "label column");
  const values = df.getColumn(label).toArray() as (Value | null)[];
  const where = `column ${JSON.stringify(label)}`;
  // Distinct values by text, in first-seen order; a repeated text keeps its last raw value.
  const distinct = new Map<string, Value>();
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    if (value === null || value === undefined) {
      throw new SchemaError(
        `label is null: row ${row}, ${where} (expected ${JSON.stringify(positive)} or one other value)`,
      );
    }
    distinct.set(String(value), value);
  }
  if (distinct.size > 2) {
    throw new SchemaError(
      `label has more than two values: ${where} has ${[...distinct.keys()]
        .slice(0, 5)
        .map((v) => JSON.stringify(v))
        .join(", ")} (expected two)`,
    );
  }
  const classes = [...distinct.values()];
  requireTwoClasses(classes, where);
  const one = String(resolvePositive(classes, positive, where));
  const binary = pl.Series(
    label,
    values.map((v) => (String(v) === one ? 1 : 0)),
    pl.Int64,
  );
  return pl.DataFrame([binary]).hstack(df.drop(label));
}

/**
 * Drop columns, failing with a SchemaError on a name the frame does not have.
 * @example dropColumns(churn, ["State", "Area Code", "Phone"])
 */
export function dropColumns(df: DataFrame, columns: readonly string[]): DataFrame {
  requireColumns(df, columns);
  return columns.length === 0 ? df : df.drop([...columns]);
}

/**
 * Cast columns to a string category (pandas `astype(object)`): `Area Code` 806 becomes "806".
 * @example castCategorical(churn, ["Area Code"])
 */
export function castCategorical(df: DataFrame, columns: readonly string[]): DataFrame {
  requireColumns(df, columns);
  return df.withColumns(...columns.map((c) => pl.col(c).cast(pl.Utf8)));
}

/** The dummy-name text of a value, like pandas' `str(value)`: floats keep ".0", booleans are "True"/"False". */
export function categoryName(value: Value, float = false): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number" && float && Number.isInteger(value)) return value.toFixed(1);
  return String(value);
}

/** The sorted distinct non-null category names of a column, in pandas' order (numbers numerically). */
export function categoriesOf(series: Series): string[] {
  const float = series.isFloat();
  // Distinct values natively (first-seen order, as the JS Set over every row gave), then dedupe like a Set.
  const distinct = [
    ...new Set(
      (series.unique(true).toArray() as (Value | null)[]).filter((v): v is Value => v !== null && v !== undefined),
    ),
  ];
  distinct.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : a < b ? -1 : a > b ? 1 : 0));
  return distinct.map((v) => categoryName(v, float));
}

/** How one column is encoded: its categories in dummy order, after any dropped first one. */
export interface OneHotSpec {
  column: string;
  categories: string[];
}

/**
 * Worker: replace each spec's column by 0/1 UInt8 dummies `<column><sep><category>`, appended after
 * the remaining columns in spec order. A value outside `categories` (or a dropped first category)
 * gives all zeros; with `unseen: "error"` a value outside `known` throws, naming column, value and row.
 */
export function _oneHot(
  df: DataFrame,
  specs: readonly OneHotSpec[],
  sep: string,
  unseen: "error" | "ignore",
  known?: ReadonlyMap<string, ReadonlySet<string>>,
): DataFrame {
  const encoded = new Set(specs.map((s) => s.column));
  const rest = df.columns.filter((c) => !encoded.has(c));
  const taken = new Set(rest);
  // Work on the few distinct values, never per row in JS: each column's distinct values (first-seen
  // order) give the dummy name of every value; one native toDummies over the columns cast to text
  // makes the 0/1 columns, which are then renamed, and missing categories become zero columns.
  const D = "\u0001";
  const used = specs.filter((s) => s.categories.length > 0);
  // Floats go through Float64 + 0 so that −0 and 0 share one text, as they share one category.
  const isFloat = new Map(specs.map((s) => [s.column, df.getColumn(s.column).isFloat()]));
  const canonical = (e: Expr, column: string) => (isFloat.get(column) ? e.cast(pl.Float64).add(0) : e);
  const text = used.length
    ? df.select(...used.map((s, j) => canonical(pl.col(s.column), s.column).cast(pl.Utf8).alias(String(j))))
    : null;
  const out: { name: string; source: string | null }[] = [];
  specs.forEach(({ column, categories }) => {
    const float = isFloat.get(column)!;
    const series = float ? df.getColumn(column).cast(pl.Float64).add(0) : df.getColumn(column);
    const distinct = series.unique(true);
    const values = distinct.toArray() as (Value | null)[];
    const allowed = known?.get(column);
    if (unseen === "error" && allowed) {
      const bad = values.findIndex((v) => v !== null && v !== undefined && !allowed.has(categoryName(v, float)));
      if (bad >= 0) {
        const row = Number(series.argUnique().toArray()[bad]);
        const name = categoryName(values[bad]!, float);
        throw new SchemaError(
          `category is unseen: ${JSON.stringify(name)} at row ${row}, column ${JSON.stringify(column)} (expected one of ${[...allowed].map((c) => JSON.stringify(c)).join(", ")})`,
        );
      }
    }
    if (categories.length === 0) return;
    const j = used.findIndex((s) => s.column === column);
    // The text polars gives each value (toDummies' name suffix) → its category name.
    const texts = distinct.cast(pl.Utf8).toArray() as (string | null)[];
    const source = new Map<string, string>();
    values.forEach((v, i) => {
      if (v === null || v === undefined || texts[i] === null) return;
      const name = categoryName(v, float);
      if (source.has(name))
        throw new SchemaError(
          `category name is ambiguous: ${JSON.stringify(name)} in column ${JSON.stringify(column)} (expected distinct names)`,
        );
      source.set(name, `${j}${D}${texts[i]}`);
    });
    for (const category of categories) {
      const name = `${column}${sep}${category}`;
      if (taken.has(name))
        throw new SchemaError(`dummy column already exists: ${JSON.stringify(name)} (expected a free column name)`);
      taken.add(name);
      out.push({ name, source: source.get(category) ?? null });
    }
  });
  if (out.length === 0) return df.select(...rest);
  const present = out.filter((o) => o.source !== null);
  let dummies: DataFrame;
  if (present.length === 0 || df.height === 0) {
    dummies = pl.DataFrame(
      out.map((o) => pl.Series(o.name, new Uint8Array(df.height) as unknown as number[], pl.UInt8)),
    );
  } else {
    const all = text!.toDummies(undefined, { separator: D, dropNulls: true });
    dummies = all.select(
      ...out.map((o) =>
        o.source !== null ? pl.col(o.source).cast(pl.UInt8).alias(o.name) : pl.lit(0).cast(pl.UInt8).alias(o.name),
      ),
    );
  }
  return pl.concat([df.select(...rest), dummies], { how: "horizontal" });
}

export interface OneHotOptions {
  /**
   * Columns to encode, in this order. Default: every String and Categorical column, in frame order (pandas' default).
   */
  columns?: readonly string[];
  /** Drop the first category of each column (pandas `drop_first`). Default: false. */
  dropFirst?: boolean;
  /** Text between column name and category (pandas `prefix_sep`). Default: "_". */
  prefixSep?: string;
}

/**
 * One-hot encode like `pd.get_dummies`: `Int'l Plan` → `Int'l Plan_no`, `Int'l Plan_yes` (0/1 UInt8),
 * categories sorted, non-encoded columns first, then each encoded column's dummies.
 * @example oneHot(churn, { columns: ["Int'l Plan", "VMail Plan"] })
 */
export function oneHot(df: DataFrame, options: OneHotOptions = {}): DataFrame {
  const { dropFirst = false, prefixSep = "_" } = options;
  const columns =
    options.columns ??
    df.columns.filter((c) => ["String", "Utf8", "Categorical"].includes(df.getColumn(c).dtype.variant));
  requireColumns(df, columns);
  const specs = columns.map((column) => ({
    column,
    categories: categoriesOf(df.getColumn(column)).slice(dropFirst ? 1 : 0),
  }));
  return _oneHot(df, specs, prefixSep, "ignore");
}

export interface DropCorrelatedOptions {
  /** Drop the later column of every pair with |r| ≥ threshold. Default: 0.9. */
  threshold?: number;
  /**
   * A precomputed matrix over `columns` (e.g. a `correlations()` result). Default: Pearson r over the numeric columns.
   */
  matrix?: { columns: readonly string[]; values: readonly ArrayLike<number>[] };
  /** Columns left out of the comparison and never dropped, e.g. the label. Default: none. */
  exclude?: readonly string[];
}

/** A dropped column and the earlier column it correlates with. */
export interface CorrelatedPair {
  dropped: string;
  kept: string;
  r: number;
}

/** What `dropCorrelated` removed and why. */
export interface DropCorrelatedResult {
  frame: DataFrame;
  dropped: string[];
  pairs: CorrelatedPair[];
}

/** Pearson r of two equal-length arrays over the rows where both are finite; NaN when undefined. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return _pearson(["x", "y"], [Float64Array.from(x), Float64Array.from(y)]).values[0][1];
}

/**
 * Drop the later column of each pair whose |r| ≥ threshold (upper triangle, column order), and
 * report every pair that caused a drop.
 * @example dropCorrelated(features, { threshold: 0.9, exclude: ["Churn?"] }).dropped
 */
export function dropCorrelated(df: DataFrame, options: DropCorrelatedOptions = {}): DropCorrelatedResult {
  const { threshold = 0.9, exclude = [] } = options;
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`threshold is out of range: ${threshold} (expected a number in [0, 1])`);
  const matrix =
    options.matrix ??
    (() => {
      const numeric = df.columns.filter((c) => !exclude.includes(c) && df.getColumn(c).isNumeric());
      return _pearson(numeric, _numericArrays(df, numeric));
    })();
  requireColumns(df, matrix.columns);
  const pos = new Map(matrix.columns.map((c, i) => [c, i]));
  const columns = matrix.columns.filter((c) => !exclude.includes(c));
  const r = (i: number, j: number) => matrix.values[pos.get(columns[i])!][pos.get(columns[j])!];
  const pairs: CorrelatedPair[] = [];
  const dropped: string[] = [];
  for (let j = 1; j < columns.length; j++) {
    for (let i = 0; i < j; i++) {
      const rij = r(i, j);
      if (Math.abs(rij) >= threshold) {
        pairs.push({ dropped: columns[j], kept: columns[i], r: rij });
        if (!dropped.includes(columns[j])) dropped.push(columns[j]);
      }
    }
  }
  return { frame: dropped.length ? df.drop(dropped) : df, dropped, pairs };
}

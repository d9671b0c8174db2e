/**
 * A fitted, saveable preparation: what was learned from the training data (label mapping, dropped
 * columns, category lists, one-hot column order, dtypes) so that validation, test and inference data
 * are encoded identically. Saved as versioned JSON:
 * `{"format": "ml-dataprep-ts/preparation", "version": 1, ...}`.
 */
import * as fs from "node:fs";
import pl from "nodejs-polars";
import type { DataFrame, DataType } from "nodejs-polars";
import { writeFileAtomic } from "../io/atomic";
import { FormatError, SchemaError, location } from "../util/errors";
import { _oneHot, categoriesOf, requireColumns } from "./clean";
import { requireTwoClasses, resolvePositive } from "./label-values";

type Value = string | number | boolean;

/** The file format tag and version of a saved preparation. */
export const PREPARATION_FORMAT = "ml-dataprep-ts/preparation";
export const PREPARATION_VERSION = 1;

/** One one-hot encoded column: every category seen at fit (sorted) and the one dropped, if any. */
export interface OneHotColumn {
  column: string;
  categories: string[];
  dropped: string | null;
}

/** A fitted preparation; plain JSON data. */
export interface Preparation {
  format: typeof PREPARATION_FORMAT;
  version: typeof PREPARATION_VERSION;
  label: { column: string; positive: Value; negative: Value | null };
  inputColumns: string[];
  drop: string[];
  categorical: string[];
  oneHot: OneHotColumn[];
  unseen: "error" | "ignore";
  /** dtype name (polars variant) of every column passed through unencoded. */
  dtypes: Record<string, string>;
  /** Output columns in order, the label first. */
  columns: string[];
}

export interface FitPreparationOptions {
  /** Label column, turned into 0/1 and put first. Required. */
  label: string;
  /**
   * Label value that becomes 1. Required. On a boolean label, "True"/"true"/"1" match true (the
   * fitted preparation stores the label's own value).
   */
  positive: Value;
  /** Columns to drop. Default: none. */
  drop?: readonly string[];
  /** Columns to one-hot encode, in this order. Default: none. */
  oneHot?: readonly string[];
  /** Columns cast to a string category before encoding (e.g. "Area Code"). Default: none. */
  categorical?: readonly string[];
  /** Drop the first category of each one-hot column (pandas `drop_first`). Default: false. */
  dropFirst?: boolean;
  /**
   * A category not seen at fit: "error" throws (naming column, value, row); "ignore" gives all-zero dummies. Default:
   * "error".
   */
  unseen?: "error" | "ignore";
}

function dtypeOf(variant: string): DataType | undefined {
  const table: Record<string, DataType> = {
    Int8: pl.Int8,
    Int16: pl.Int16,
    Int32: pl.Int32,
    Int64: pl.Int64,
    UInt8: pl.UInt8,
    UInt16: pl.UInt16,
    UInt32: pl.UInt32,
    UInt64: pl.UInt64,
    Float32: pl.Float32,
    Float64: pl.Float64,
    Bool: pl.Bool,
    String: pl.Utf8,
    Utf8: pl.Utf8,
  };
  return table[variant];
}

/** Worker: apply a validated preparation. Steps run in the same order as at fit. */
function _apply(prep: Preparation, raw: DataFrame): DataFrame {
  const { label } = prep;
  // 1. Every input column except the label (optional at inference) and the dropped ones must be there.
  requireColumns(
    raw,
    prep.inputColumns.filter((c) => c !== label.column && !prep.drop.includes(c)),
    "input column",
  );
  let df = raw;
  const hasLabel = df.columns.includes(label.column);
  // 2. Label → 0/1 with the mapping learned at fit. Checked on the distinct values (first-seen
  //    order, so the first bad one is the earliest bad row), encoded natively.
  if (hasLabel) {
    const series = df.getColumn(label.column);
    const distinct = series.unique(true);
    const values = distinct.toArray() as (Value | null)[];
    const known = [label.positive, label.negative].filter((v) => v !== null).map(String);
    const bad = values.findIndex((v) => v === null || v === undefined || !known.includes(String(v)));
    if (bad >= 0) {
      const row = Number(series.argUnique().toArray()[bad]);
      const v = values[bad];
      throw new SchemaError(
        `label value is unknown: ${JSON.stringify(v)} (expected ${known.map((k) => JSON.stringify(k)).join(" or ")}) at ${location(undefined, row, label.column)}`,
      );
    }
    const ones = values.filter((v) => String(v) === String(label.positive)) as Value[];
    const col = pl.col(label.column);
    // No positive value present: every row is 0 (isNull is false on a null-free column).
    const hit = ones.length === 0 ? col.isNull() : ones.map((v) => col.eq(pl.lit(v))).reduce((a, b) => a.or(b));
    df = df.withColumns(hit.cast(pl.Int64).alias(label.column));
  }
  // 3. Drop, 4. cast categories, 5. restore passthrough dtypes (a test file may infer Int64 where train had Float64).
  df = df.drop(prep.drop.filter((c) => df.columns.includes(c)));
  if (prep.categorical.length) df = df.withColumns(...prep.categorical.map((c) => pl.col(c).cast(pl.Utf8)));
  const schema = df.schema;
  for (const [column, variant] of Object.entries(prep.dtypes)) {
    const dtype = dtypeOf(variant);
    if (!dtype || !(column in schema) || schema[column].variant === variant) continue;
    try {
      df = df.withColumn(df.getColumn(column).cast(dtype, true));
    } catch (cause) {
      throw new SchemaError(
        `column has the wrong type: ${JSON.stringify(column)} is ${df.getColumn(column).dtype.variant} (expected ${variant})`,
        { cause },
      );
    }
  }
  // 6. One-hot with the fitted categories; 7. the fitted column order.
  const specs = prep.oneHot.map((o) => ({ column: o.column, categories: o.categories.filter((c) => c !== o.dropped) }));
  const known = new Map(prep.oneHot.map((o) => [o.column, new Set(o.categories)]));
  df = _oneHot(df, specs, "_", prep.unseen, known);
  const order = prep.columns.length ? prep.columns : [label.column, ...df.columns.filter((c) => c !== label.column)];
  const wanted = order.filter((c) => hasLabel || c !== label.column);
  // A saved preparation edited by hand (or damaged) may list a column no step makes: say which.
  requireColumns(df, wanted, "preparation output column");
  return df.select(...wanted);
}

/**
 * Learn a preparation from training data: label mapping, drops, categories, one-hot order, dtypes.
 * @example const prep = fitPreparation(churn, { label: "Churn?", positive: "True.", drop: ["Phone"], oneHot: ["State"]
 * })
 */
export function fitPreparation(df: DataFrame, options: FitPreparationOptions): Preparation {
  const { label, drop = [], oneHot = [], categorical = [], dropFirst = false, unseen = "error" } = options;
  if (typeof label !== "string")
    throw new TypeError(`label is not a string: ${String(label)} (expected a column name)`);
  if (unseen !== "error" && unseen !== "ignore")
    throw new RangeError(`unseen policy is invalid: ${JSON.stringify(unseen)} (expected "error" or "ignore")`);
  requireColumns(df, [label, ...drop, ...oneHot, ...categorical]);
  const dropped = oneHot.find((c) => drop.includes(c)) ?? categorical.find((c) => drop.includes(c));
  if (dropped !== undefined)
    throw new SchemaError(`column is both dropped and encoded: ${JSON.stringify(dropped)} (expected one or the other)`);
  // The distinct values (first-seen order) stand for the rows: same checks, no 1M-element JS array.
  const values = df.getColumn(label).unique(true).toArray() as (Value | null)[];
  const hasNull = values.some((v) => v === null || v === undefined);
  const distinct = [
    ...new Map(values.filter((v): v is Value => v !== null && v !== undefined).map((v) => [String(v), v])).values(),
  ];
  if (distinct.length > 2 || hasNull) {
    throw new SchemaError(
      `label is not binary: column ${JSON.stringify(label)} has ${distinct.length} values${hasNull ? " and nulls" : ""} (expected two, no nulls)`,
    );
  }
  // One class cannot train a classifier (and its metrics are undefined): say so here, not in evaluation.
  requireTwoClasses(distinct, `column ${JSON.stringify(label)}`);
  // "True" typed for a boolean label means true: store the label's own value.
  const positive = resolvePositive(distinct, options.positive, `column ${JSON.stringify(label)}`);
  const negative = distinct.find((v) => v !== positive) ?? null;
  const cast = categorical.length ? df.withColumns(...categorical.map((c) => pl.col(c).cast(pl.Utf8))) : df;
  const schema = cast.schema;
  const passthrough = df.columns.filter((c) => c !== label && !drop.includes(c) && !oneHot.includes(c));
  const prep: Preparation = {
    format: PREPARATION_FORMAT,
    version: PREPARATION_VERSION,
    label: { column: label, positive, negative },
    inputColumns: df.columns,
    drop: [...drop],
    categorical: [...categorical],
    oneHot: oneHot.map((column) => {
      const categories = categoriesOf(cast.getColumn(column));
      return { column, categories, dropped: dropFirst ? (categories[0] ?? null) : null };
    }),
    unseen,
    dtypes: Object.fromEntries(passthrough.map((c) => [c, schema[c].variant])),
    columns: [],
  };
  // The output columns depend on names, dtypes and categories only: apply to the empty frame.
  prep.columns = _apply(prep, df.head(0)).columns;
  return prep;
}

/**
 * Re-apply a fitted preparation to new data: same columns, same order; the label may be absent.
 * @example const testX = applyPreparation(prep, rawTest)
 */
export function applyPreparation(prep: Preparation, raw: DataFrame): DataFrame {
  validatePreparation(prep);
  return _apply(prep, raw);
}

/**
 * Save a preparation as JSON, atomically.
 * @example savePreparation(prep, "out/preparation.json")
 */
export function savePreparation(prep: Preparation, file: string): void {
  validatePreparation(prep);
  writeFileAtomic(file, JSON.stringify(prep, null, 2) + "\n");
}

/**
 * Load and validate a saved preparation.
 * @example const prep = loadPreparation("out/preparation.json")
 */
export function loadPreparation(file: string): Preparation {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (cause) {
    throw new FormatError(
      `preparation file is not readable JSON: ${file} (expected a file written by savePreparation)`,
      { cause },
    );
  }
  validatePreparation(data, file);
  return data;
}

/** Throw a FormatError unless `data` has the shape of a version-1 preparation. */
export function validatePreparation(data: unknown, file?: string): asserts data is Preparation {
  const fail = (problem: string, expected: string): never => {
    throw new FormatError(`preparation ${problem} (expected ${expected})${file ? ` in ${file}` : ""}`);
  };
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
  const value = (v: unknown) => ["string", "number", "boolean"].includes(typeof v);
  if (typeof data !== "object" || data === null) return fail(`is not an object: ${String(data)}`, "a JSON object");
  const p = data as Record<string, unknown>;
  if (p.format !== PREPARATION_FORMAT)
    fail(`format is wrong: ${JSON.stringify(p.format)}`, JSON.stringify(PREPARATION_FORMAT));
  if (p.version !== PREPARATION_VERSION)
    fail(`version is unsupported: ${JSON.stringify(p.version)}`, String(PREPARATION_VERSION));
  const label = p.label as Record<string, unknown> | null;
  if (
    !label ||
    typeof label.column !== "string" ||
    !value(label.positive) ||
    !(label.negative === null || value(label.negative))
  )
    fail("label is invalid", "{column, positive, negative}");
  for (const key of ["inputColumns", "drop", "categorical", "columns"])
    if (!strings(p[key])) fail(`${key} is invalid`, "an array of strings");
  if (p.unseen !== "error" && p.unseen !== "ignore")
    fail(`unseen is invalid: ${JSON.stringify(p.unseen)}`, '"error" or "ignore"');
  if (typeof p.dtypes !== "object" || p.dtypes === null || !Object.values(p.dtypes).every((v) => typeof v === "string"))
    fail("dtypes is invalid", "an object of dtype names");
  // The columns each step names must be input columns, and names must be unique.
  const input = new Set(p.inputColumns as string[]);
  const unknown = [
    (label as Record<string, unknown>).column as string,
    ...(p.drop as string[]),
    ...(p.categorical as string[]),
    ...Object.keys(p.dtypes as object),
  ].find((c) => !input.has(c));
  if (unknown !== undefined)
    fail(`names a column that is not an input column: ${JSON.stringify(unknown)}`, "one of inputColumns");
  for (const key of ["inputColumns", "columns", "drop", "categorical"]) {
    const names = p[key] as string[];
    if (new Set(names).size !== names.length) fail(`${key} has a duplicate name`, "unique column names");
  }
  const oneHot = p.oneHot;
  if (
    !Array.isArray(oneHot) ||
    !oneHot.every(
      (o) =>
        o &&
        typeof o.column === "string" &&
        strings(o.categories) &&
        (o.dropped === null || typeof o.dropped === "string"),
    )
  ) {
    fail("oneHot is invalid", "an array of {column, categories, dropped}");
  }
  const encoded = (oneHot as OneHotColumn[]).map((o) => o.column);
  const stray = encoded.find((c, i) => !input.has(c) || encoded.indexOf(c) !== i);
  if (stray !== undefined)
    fail(`oneHot column is not an input column or repeats: ${JSON.stringify(stray)}`, "one of inputColumns, once");
}

/**
 * Column names that nodejs-polars cannot handle as such, checked when a file is read and when a
 * frame is profiled, so the user gets a message naming the column instead of wrong numbers.
 */
import type { DataFrame } from "nodejs-polars";
import { SchemaError } from "../util/errors";

/**
 * DataFrame members the pipeline calls on a user's frame. nodejs-polars frames are Proxies that
 * return a column for any property of the same name, so a column called "height" or "select" would
 * hide the member; such names are rejected up front (common data words like "count" or "max" are
 * members too, but nothing here calls them on a frame).
 */
export const RESERVED = new Set([
  "height",
  "width",
  "shape",
  "columns",
  "dtypes",
  "schema",
  "getColumn",
  "getColumns",
  "select",
  "drop",
  "filter",
  "head",
  "tail",
  "slice",
  "sample",
  "sort",
  "withColumn",
  "withColumns",
  "withColumnRenamed",
  "rename",
  "nullCount",
  "hashRows",
  "unique",
  "row",
  "rows",
  "toRecords",
  "toDummies",
  "hstack",
  "vstack",
  "clone",
  "isEmpty",
  "lazy",
  "groupBy",
  "join",
  "writeCSV",
  "writeParquet",
]);

/**
 * polars reads a column name that starts with "^" and ends with "$" as a regular expression.
 * @example isRegexLikeName("^a.*$") // true
 */
export const isRegexLikeName = (name: string): boolean => name.length > 1 && name.startsWith("^") && name.endsWith("$");

/** Throw a SchemaError for a column name that polars expressions cannot address (see `isRegexLikeName`). */
export function requirePlainNames(df: DataFrame, what = "column"): void {
  const bad = df.columns.find(isRegexLikeName);
  if (bad !== undefined) {
    throw new SchemaError(
      `${what} name is read by polars as a regular expression: ${JSON.stringify(bad)} (expected a name that does not both start with "^" and end with "$"; rename it with df.rename)`,
    );
  }
}

/**
 * Read the user's own CSV into a nodejs-polars DataFrame, with checks that name the file, line and
 * column when the input is bad. The byte scan and the polars parse are in `csv-scan.ts`: ragged
 * rows are reported, which polars would pad or cut silently, and the schema is inferred from every
 * row, so integer columns stay Int64 and a late "1.5" makes a Float64.
 * Empty and whitespace-only fields are missing values in every column (so "  " in a numeric column
 * gives a null, not a String column); blank lines of a multi-column file are skipped.
 */
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { DataPrepError, FormatError, location, SchemaError } from "../util/errors";
import { _parseFast, _parseScanned, sniffSeparator, textProblem, UTF8_BOM } from "./csv-scan";
import { requireTwoClasses, resolvePositive } from "./label-values";

/** Options for {@link readTable}. */
export interface ReadTableOptions {
  /** Label column, checked to exist with two distinct non-null values; `null` for none. Default "Churn?". */
  label?: string | null;
  /**
   * Label value that counts as the positive class. When given, it is checked to be one of the label's
   * values; on a boolean label "True"/"true"/"1" match true (`meta.positive` is then `true`). Default "True.".
   */
  positive?: string | number | boolean;
  /** Field separator, one character. Default: sniffed from the header among `,` `;` tab `|` (`,` when none). */
  separator?: string;
  /** Extra strings read as missing, besides empty and whitespace-only fields. Default []. */
  nullValues?: string[];
}

/** What {@link readTable} read. */
export interface TableMeta {
  /** The path as given. */
  file: string;
  /** Data rows (the header not counted). */
  rows: number;
  /** Column names in file order. */
  columns: string[];
  /** Label column, or null. */
  label: string | null;
  /** Positive label value. */
  positive: string | number | boolean;
  /** Separator used. */
  separator: string;
}

/** A DataFrame with where it came from. */
export interface Table {
  df: pl.DataFrame;
  meta: TableMeta;
}

/** Read a file's bytes, turning fs errors into a DataPrepError naming the file. */
function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a directory" : `cannot be read (${code ?? "error"})`;
    throw new DataPrepError(`CSV file ${problem}: ${file}`, { cause: e });
  }
}

const quoteList = (values: unknown[], max = 8) =>
  values
    .slice(0, max)
    .map((v) => JSON.stringify(v))
    .join(", ") + (values.length > max ? `, … (${values.length} in all)` : "");

/**
 * Read a CSV file with whole-file schema inference and input checks (a binary file, ragged rows, an
 * empty file, a missing label, a label with one class or more than two, a positive value the label
 * does not have, all-missing columns).
 * @example const { df, meta } = readTable("data/churn.txt", { label: "Churn?", positive: "True." });
 */
export function readTable(file: string, options: ReadTableOptions = {}): Table {
  const { label = "Churn?", positive = "True.", separator, nullValues = [] } = options;
  if (typeof file !== "string") throw new TypeError(`readTable file must be a path string, got ${typeof file}`);
  if (
    separator !== undefined &&
    (typeof separator !== "string" ||
      separator.length !== 1 ||
      separator === '"' ||
      separator === "\n" ||
      separator === "\r")
  ) {
    throw new RangeError(
      `readTable separator is invalid: ${JSON.stringify(separator)} (expected one character, not a quote or line end)`,
    );
  }
  if (label !== null && typeof label !== "string")
    throw new TypeError(`readTable label must be a string or null, got ${typeof label}`);
  return _readTable(file, label, positive, options.positive !== undefined, separator, nullValues);
}

function _readTable(
  file: string,
  label: string | null,
  positive: string | number | boolean,
  checkPositive: boolean,
  separator: string | undefined,
  nullValues: string[],
): Table {
  // 1. Bytes; a UTF-8 BOM is not part of the first column's name. The bytes are scanned as they
  //    are (no decoding to a JS string: every structural character is ASCII).
  const bytes = readBytes(file);
  if (bytes.length === 0)
    throw new SchemaError(`CSV file is empty: 0 bytes, no data rows (expected a header line and data rows): ${file}`);
  const binary = textProblem(bytes);
  if (binary) {
    throw new FormatError(
      `CSV file is not a text CSV: ${binary.what} at byte offset ${binary.offset} (expected UTF-8 text without NUL bytes; is it a binary or another encoding?): ${file}`,
    );
  }
  const begin = UTF8_BOM.every((b, k) => bytes[k] === b) ? 3 : 0;
  const sep = separator ?? sniffSeparator(bytes, begin);

  // 2. Parse: polars alone when that is provably what the checked scan would give, else scan and parse.
  const df = _parseFast(bytes, begin, sep, nullValues, file) ?? _parseScanned(bytes, begin, sep, nullValues, file);

  // 3. Columns: none may be all missing; the label must exist with at most two values.
  const nullCounts = df.nullCount().row(0);
  for (const [k, column] of df.columns.entries()) {
    if (Number(nullCounts[k]) === df.height) {
      throw new SchemaError(
        `column is all missing: ${df.height} of ${df.height} rows empty (expected some values): ${location(file, undefined, column)}`,
      );
    }
  }
  if (label !== null) {
    if (!df.columns.includes(label)) {
      throw new SchemaError(
        `label column not found: ${JSON.stringify(label)} (expected one of ${quoteList(df.columns, 30)}): ${file}`,
      );
    }
    const values = df.getColumn(label).dropNulls().unique().sort().toArray() as Array<string | number | boolean>;
    const where = location(file, undefined, label);
    if (values.length > 2) {
      throw new SchemaError(`label column has more than two values: ${quoteList(values, 5)} (expected two): ${where}`);
    }
    requireTwoClasses(values, where);
    if (checkPositive) positive = resolvePositive(values, positive, where);
  }
  return { df, meta: { file, rows: df.height, columns: df.columns, label, positive, separator: sep } };
}

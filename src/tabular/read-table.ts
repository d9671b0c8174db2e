/**
 * Read the user's own CSV into a nodejs-polars DataFrame, with checks that name the file, line and
 * column when the input is bad. A scan in JS finds the record boundaries (quotes, CRLF, BOM) to
 * report ragged rows, which polars would pad or cut silently; polars then parses the text with the
 * schema inferred from every row, so integer columns stay Int64 and a late "1.5" makes a Float64.
 * Empty and whitespace-only fields are missing values in every column (so "  " in a numeric column
 * gives a null, not a String column); blank lines of a multi-column file are skipped.
 */
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { DataPrepError, FormatError, location, SchemaError } from "../util/errors";

/** Options for {@link readTable}. */
export interface ReadTableOptions {
  /** Label column, checked to exist with at most two distinct non-null values; `null` for none. Default "Churn?". */
  label?: string | null;
  /** Label value that counts as the positive class (not checked). Default "True.". */
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

const SNIFFED = [",", ";", "\t", "|"];
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What the scan found: the header, the data row count, whitespace-only fields, blank lines to drop. */
interface Scan {
  header: string[];
  rows: number;
  blankFields: Set<string>;
  blankLines: Array<[number, number]>;
}

/** The separator occurring most often outside quotes on the header line (ties: `,` `;` tab `|`). */
function sniffSeparator(text: string): string {
  const counts = new Map<string, number>(SNIFFED.map((s) => [s, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ",";
  for (const s of SNIFFED) if (counts.get(s)! > counts.get(best)!) best = s;
  return best;
}

/** Walk the records of a CSV text (RFC 4180 quoting, LF/CRLF/CR line ends), checking field counts. */
function scanCsv(text: string, separator: string, file: string): Scan {
  const sep = separator.charCodeAt(0);
  const n = text.length;
  const header: string[] = [];
  const blankFields = new Set<string>();
  const blankLines: Array<[number, number]> = [];
  let expected = -1;
  let rows = 0;
  let line = 1;
  let i = 0;
  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    let fields = 0;
    let empty = true;
    for (;;) {
      // One field: quoted ("" escapes a quote; may span lines) or plain up to the separator/line end.
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        const open = line;
        let j = i + 1;
        let parts = "";
        for (;;) {
          const k = text.indexOf('"', j);
          if (k < 0) throw new FormatError(`CSV quoted field is not closed: opened on line ${open} (expected a closing '"'): ${file}, line ${open}`);
          parts += text.slice(j, k);
          if (text.charCodeAt(k + 1) === QUOTE) {
            parts += '"';
            j = k + 2;
          } else {
            j = k + 1;
            break;
          }
        }
        for (let p = i; p < j; p++) if (text.charCodeAt(p) === LF) line++;
        value = parts;
        i = j;
        while (i < n && text.charCodeAt(i) !== sep && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        empty = false;
      } else {
        const start = i;
        while (i < n && text.charCodeAt(i) !== sep && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        value = text.slice(start, i);
        if (value.length > 0) {
          empty = false;
          if (expected >= 0 && value.trim() === "") blankFields.add(value);
        }
      }
      fields++;
      if (expected < 0) header.push(value);
      if (i < n && text.charCodeAt(i) === sep) {
        i++;
        empty = false;
        continue;
      }
      break;
    }
    // End of the record: step over the line end.
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    if (i > recordStart && (text.charCodeAt(i - 1) === LF || text.charCodeAt(i - 1) === CR)) line++;
    if (expected < 0) {
      expected = fields;
    } else if (empty && expected > 1) {
      blankLines.push([recordStart, i]); // polars would make a row of nulls out of it
    } else if (fields !== expected) {
      throw new FormatError(
        `CSV row has the wrong number of fields: ${fields} (expected ${expected}, as in the header): ${file}, line ${recordLine} (data row ${rows + 1})`,
      );
    } else {
      rows++;
    }
  }
  return { header, rows, blankFields, blankLines };
}

/** Read a file's bytes, turning fs errors into a DataPrepError naming the file. */
function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a directory" : `cannot be read (${code ?? "error"})`;
    throw new DataPrepError(`CSV file ${problem}: ${file}`, { cause: e });
  }
}

const quoteList = (values: unknown[], max = 8) =>
  values.slice(0, max).map((v) => JSON.stringify(v)).join(", ") + (values.length > max ? `, … (${values.length} in all)` : "");

/**
 * Read a CSV file with whole-file schema inference and input checks (ragged rows, empty file,
 * missing label, a label with more than two values, all-missing columns).
 * @example const { df, meta } = readTable("data/churn.txt", { label: "Churn?", positive: "True." });
 */
export function readTable(file: string, options: ReadTableOptions = {}): Table {
  const { label = "Churn?", positive = "True.", separator, nullValues = [] } = options;
  if (typeof file !== "string") throw new TypeError(`readTable file must be a path string, got ${typeof file}`);
  if (separator !== undefined && (typeof separator !== "string" || separator.length !== 1 || separator === '"' || separator === "\n" || separator === "\r")) {
    throw new RangeError(`readTable separator is invalid: ${JSON.stringify(separator)} (expected one character, not a quote or line end)`);
  }
  if (label !== null && typeof label !== "string") throw new TypeError(`readTable label must be a string or null, got ${typeof label}`);
  return _readTable(file, label, positive, separator, nullValues);
}

function _readTable(file: string, label: string | null, positive: string | number | boolean, separator: string | undefined, nullValues: string[]): Table {
  // 1. Bytes and text; a UTF-8 BOM is not part of the first column's name.
  const bytes = readBytes(file);
  if (bytes.length === 0) throw new SchemaError(`CSV file is empty: 0 bytes, no data rows (expected a header line and data rows): ${file}`);
  const decoded = bytes.toString("utf8");
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;

  // 2. Structure: separator, header, field counts, blank fields and lines.
  const sep = separator ?? sniffSeparator(text);
  const scan = scanCsv(text, sep, file);
  if (scan.rows === 0) throw new SchemaError(`CSV file has no data rows: header only (expected at least one row after the header): ${file}`);
  const seen = new Set<string>();
  for (const name of scan.header) {
    if (seen.has(name)) throw new SchemaError(`CSV header has a duplicate column name: ${JSON.stringify(name)} (expected unique names): ${file}, line 1`);
    seen.add(name);
  }

  // 3. Parse with polars, inferring types from every row; whitespace-only fields are missing values.
  let body: string | Buffer = bytes;
  if (scan.blankLines.length > 0) {
    let kept = "";
    let from = 0;
    for (const [start, end] of scan.blankLines) {
      kept += text.slice(from, start);
      from = end;
    }
    body = Buffer.from(kept + text.slice(from));
  }
  let df: pl.DataFrame;
  try {
    df = pl.readCSV(body, {
      sep,
      hasHeader: true,
      inferSchemaLength: scan.rows + 1,
      nullValues: ["", ...scan.blankFields, ...nullValues],
      quoteChar: '"',
      tryParseDates: false,
    });
  } catch (e) {
    throw new FormatError(`CSV file could not be parsed: ${(e as Error).message} (expected ${scan.rows} rows of ${scan.header.length} fields): ${file}`, { cause: e });
  }
  if (df.height !== scan.rows || df.width !== scan.header.length) {
    throw new FormatError(`CSV file parsed to the wrong shape: ${df.height} × ${df.width} (expected ${scan.rows} × ${scan.header.length}): ${file}`);
  }

  // 4. Columns: none may be all missing; the label must exist with at most two values.
  for (const column of df.columns) {
    if (df.getColumn(column).nullCount() === df.height) {
      throw new SchemaError(`column is all missing: ${df.height} of ${df.height} rows empty (expected some values): ${location(file, undefined, column)}`);
    }
  }
  if (label !== null) {
    if (!df.columns.includes(label)) {
      throw new SchemaError(`label column not found: ${JSON.stringify(label)} (expected one of ${quoteList(df.columns, 30)}): ${file}`);
    }
    const values = df.getColumn(label).dropNulls().unique().sort().toArray();
    if (values.length > 2) {
      throw new SchemaError(`label column has more than two values: ${quoteList(values, 5)} (expected at most 2): ${location(file, undefined, label)}`);
    }
  }
  return { df, meta: { file, rows: df.height, columns: df.columns, label, positive, separator: sep } };
}

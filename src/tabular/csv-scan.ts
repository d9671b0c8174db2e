/**
 * The byte side of `readTable`: a scan in JS finds the record boundaries of CSV bytes (RFC 4180
 * quotes, LF/CRLF/CR line ends) to report ragged rows, which polars would pad or cut silently, and
 * classes every value as polars' schema inference would; polars then parses the text with the
 * schema inferred from every row. `_parseFast` skips the scan when polars alone provably gives the
 * same frame. Internal to `read-table.ts`, which holds the public API.
 */
import { isUtf8 } from "node:buffer";
import pl from "nodejs-polars";
import { FormatError, SchemaError } from "../util/errors";
import { isRegexLikeName, RESERVED } from "./column-names";

const SNIFFED = [",", ";", "\t", "|"];
const QUOTE = 34;
const LF = 10;
const CR = 13;
/** The UTF-8 byte order mark, not part of the first column's name. */
export const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Rows polars infers the schema from before the scan's whole-file type check confirms it. */
const SAMPLE_ROWS = 1000;

/**
 * What the scan found: the header, the data row count, whitespace-only fields, blank lines to drop,
 * and per column which kinds of non-missing values occur (as polars' schema inference classes them:
 * bit 1 integer, 2 float, 4 boolean, 8 other text), to check a schema inferred from the first rows.
 */
interface Scan {
  header: string[];
  rows: number;
  blankFields: Set<string>;
  blankLines: Array<[number, number]>;
  kinds: Uint8Array;
}

const K_INT = 1;
const K_FLOAT = 2;
const K_BOOL = 4;
const K_TEXT = 8;
// Byte classes of the scan: digits are 0 (the hot path), the rest are bits OR-ed over a field.
const B_DOT = 1;
const B_SIGN = 2;
const B_WS = 4;
const B_HIGH = 8;
const B_OTHER = 16;
const B_STOP = 128;
// What polars' parser reads as an integer / a float (leading blanks, a sign, "5.", ".5", "5.e3",
// nan and inf in any case), so that a column the first rows type as numeric stays numeric here too.
const INT_RE = /^[ \t]*[-+]?\d+$/;
const FLOAT_RE = /^[ \t]*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|nan|inf|infinity)$/i;
const BOOL_RE = /^(true|false)$/i;

/** The separator occurring most often outside quotes on the header line (ties: `,` `;` tab `|`). */
export function sniffSeparator(bytes: Buffer, start: number): string {
  const counts = new Map<number, number>(SNIFFED.map((s) => [s.charCodeAt(0), 0]));
  let quoted = false;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ",";
  for (const s of SNIFFED) if (counts.get(s.charCodeAt(0))! > counts.get(best.charCodeAt(0))!) best = s;
  return best;
}

/**
 * Walk the records of CSV bytes (RFC 4180 quoting, LF/CRLF/CR line ends), checking field counts,
 * in one pass over the bytes (a separator is matched on its first UTF-8 byte, as polars does).
 */
function scanCsv(u: Buffer, begin: number, separator: string, file: string, nullValues: ReadonlySet<string>): Scan {
  const sep = Buffer.from(separator)[0];
  const cls = new Uint8Array(256);
  for (let c = 0; c < 256; c++) cls[c] = c >= 48 && c <= 57 ? 0 : c >= 128 ? B_HIGH : B_OTHER;
  cls[46] = B_DOT;
  cls[43] = cls[45] = B_SIGN;
  cls[9] = cls[11] = cls[12] = cls[32] = B_WS;
  cls[LF] = cls[CR] = cls[sep] = B_STOP;
  const n = u.length;
  const header: string[] = [];
  const blankFields = new Set<string>();
  const blankLines: Array<[number, number]> = [];
  let kinds = new Uint8Array(0);
  let expected = -1;
  let rows = 0;
  let line = 1;
  let i = begin;
  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    let fields = 0;
    let empty = true;
    for (;;) {
      // One field: quoted ("" escapes a quote; may span lines) or plain up to the separator/line end.
      const from = i;
      if (u[i] === QUOTE) {
        const open = line;
        let j = i + 1;
        for (;;) {
          const k = u.indexOf(QUOTE, j);
          if (k < 0)
            throw new FormatError(
              `CSV quoted field is not closed: opened on line ${open} (expected a closing '"'): ${file}, line ${open}`,
            );
          if (u[k + 1] === QUOTE) j = k + 2;
          else {
            j = k + 1;
            break;
          }
        }
        for (let p = u.indexOf(LF, i); p >= 0 && p < j; p = u.indexOf(LF, p + 1)) line++;
        if (expected < 0) header.push(u.toString("utf8", from + 1, j - 1).replaceAll('""', '"'));
        // quoted: let polars' own inference decide
        else if (fields < expected) kinds[fields] |= K_INT | K_FLOAT | K_BOOL | K_TEXT;
        i = j;
        while (i < n && cls[u[i]] !== B_STOP) i++;
        empty = false;
      } else {
        const c0 = u[i];
        const signed = i < n && cls[c0] === B_SIGN ? c0 : 0;
        if (signed) i++;
        let mask = 0;
        for (; i < n; i++) {
          const k = cls[u[i]];
          if (k === 0) continue;
          if (k === B_STOP) break;
          mask |= k;
        }
        if (i > from) {
          empty = false;
          if (expected < 0) header.push(u.toString("utf8", from, i));
          else {
            let kind = 0;
            // Digits add nothing to the mask, so a whitespace-looking field is confirmed on its text.
            if (!signed && (mask & ~(B_WS | B_HIGH)) === 0 && mask !== 0 && u.toString("utf8", from, i).trim() === "") {
              blankFields.add(u.toString("utf8", from, i)); // whitespace only: a missing value
            } else if (fields >= expected || (kinds[fields] & K_TEXT) !== 0) {
              // ragged (reported below), or a text column: its other kinds cannot change the verdict
            } else if (mask === 0 && signed !== 43 && i > from + (signed ? 1 : 0)) kind = K_INT;
            else if (mask === B_DOT && i > from + (signed ? 1 : 0)) kind = K_FLOAT;
            else {
              const value = u.toString("utf8", from, i);
              if (!nullValues.has(value))
                kind = INT_RE.test(value)
                  ? K_INT
                  : FLOAT_RE.test(value)
                    ? K_FLOAT
                    : BOOL_RE.test(value)
                      ? K_BOOL
                      : K_TEXT;
            }
            if (kind) kinds[fields] |= kind;
          }
        } else if (expected < 0) header.push("");
      }
      fields++;
      if (i < n && u[i] === sep) {
        i++;
        empty = false;
        continue;
      }
      break;
    }
    // End of the record: step over the line end.
    if (i < n && u[i] === CR) i++;
    if (i < n && u[i] === LF) i++;
    if (i > recordStart && (u[i - 1] === LF || u[i - 1] === CR)) line++;
    if (expected < 0) {
      expected = fields;
      kinds = new Uint8Array(fields);
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
  return { header, rows, blankFields, blankLines, kinds };
}

/**
 * Where bytes stop being UTF-8 text: the offset and what is there (a NUL byte, or a byte sequence
 * that is not UTF-8), or null for text. A binary file would otherwise reach the scan and be reported
 * as a ragged row.
 * @example textProblem(Buffer.from([0x61, 0x00])) // { offset: 1, what: "a NUL byte" }
 */
export function textProblem(u: Buffer): { offset: number; what: string } | null {
  const nul = u.indexOf(0);
  const utf8 = isUtf8(u);
  if (nul < 0 && utf8) return null;
  let bad = -1;
  if (!utf8) {
    // The first invalid sequence (overlong forms, surrogates and code points above U+10FFFF included).
    for (let i = 0; i < u.length && bad < 0;) {
      const c = u[i];
      const len =
        c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      if (len === 0 || i + len > u.length) bad = i;
      else {
        const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
        const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
        if (len > 1 && (u[i + 1] < lo || u[i + 1] > hi)) bad = i;
        for (let k = 2; k < len && bad < 0; k++) if (u[i + k] < 0x80 || u[i + k] > 0xbf) bad = i;
        i += len;
      }
    }
  }
  if (nul >= 0 && (bad < 0 || nul < bad)) return { offset: nul, what: "a NUL byte" };
  const bytes = [...u.subarray(bad, Math.min(bad + 4, u.length))].map((b) => b.toString(16).padStart(2, "0"));
  return { offset: bad, what: `bytes that are not UTF-8 (${bytes.join(" ")})` };
}

/**
 * How often `byte` occurs in u[from, …): four bytes at a time (a byte-per-step loop takes ~3x longer).
 * @example countByte(Buffer.from("a,b,c"), 44, 0) // 2
 */
export function countByte(u: Uint8Array, byte: number, from: number): number {
  let n = 0;
  let i = from;
  for (; i < u.length && (u.byteOffset + i) % 4 !== 0; i++) if (u[i] === byte) n++;
  const wordCount = (u.length - i) >> 2; // 0 when the end came before an aligned address
  const words = wordCount > 0 ? new Int32Array(u.buffer, u.byteOffset + i, wordCount) : new Int32Array(0);
  const pattern = Math.imul(byte, 0x01010101);
  // Per 32-bit word: a lane is 0x80 where its byte equals `byte` (exact, no carries between lanes);
  // lane counts accumulate in `acc` for up to 255 words before they are added up.
  let acc = 0;
  let room = 255;
  for (let w = 0; w < words.length; w++) {
    const x = words[w] ^ pattern;
    acc += (~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) >>> 7) & 0x01010101;
    if (--room === 0) {
      n += (acc & 0xff) + ((acc >>> 8) & 0xff) + ((acc >>> 16) & 0xff) + (acc >>> 24);
      acc = 0;
      room = 255;
    }
  }
  n += (acc & 0xff) + ((acc >>> 8) & 0xff) + ((acc >>> 16) & 0xff) + (acc >>> 24);
  for (i += words.length * 4; i < u.length; i++) if (u[i] === byte) n++;
  return n;
}

/**
 * Whether polars' whole-file inference would give the dtypes inferred from the first rows: each
 * column's value kinds over every row must lead to the same type (text wins; ints and floats make a float).
 */
function sampleSchemaHolds(df: pl.DataFrame, kinds: Uint8Array): boolean {
  const dtypes = df.dtypes;
  return dtypes.every((dtype, c) => {
    const k = kinds[c];
    switch (dtype.variant) {
      case "Int64":
        return k === K_INT;
      case "Float64":
        return (k & K_FLOAT) !== 0 && (k & ~(K_INT | K_FLOAT)) === 0;
      case "Bool":
        return k === K_BOOL;
      case "String":
      case "Utf8":
        return (k & K_TEXT) !== 0 || ((k & K_BOOL) !== 0 && (k & (K_INT | K_FLOAT)) !== 0);
      default:
        return false;
    }
  });
}

/**
 * Header names must be unique, must not hide a DataFrame member and must not read as a regular expression to polars.
 */
function checkHeader(header: string[], file: string): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name))
      throw new SchemaError(
        `CSV header has a duplicate column name: ${JSON.stringify(name)} (expected unique names): ${file}, line 1`,
      );
    if (isRegexLikeName(name)) {
      throw new SchemaError(
        `CSV header has a column name that polars reads as a regular expression: ${JSON.stringify(name)} (expected a name that does not both start with "^" and end with "$"; rename the column in the file): ${file}, line 1`,
      );
    }
    if (RESERVED.has(name)) {
      throw new SchemaError(
        `CSV header has a column name that nodejs-polars reserves: ${JSON.stringify(name)} is a DataFrame member (expected another name; rename the column in the file): ${file}, line 1`,
      );
    }
    seen.add(name);
  }
}

/** polars' CSV reader with this module's settings (long rows are an error, not cut). */
function polarsParse(body: Buffer, sep: string, nullValues: string[], inferSchemaLength: number): pl.DataFrame {
  return pl.readCSV(body, {
    sep,
    hasHeader: true,
    inferSchemaLength,
    nullValues: ["", ...nullValues],
    quoteChar: '"',
    tryParseDates: false,
    rechunk: true,
    truncateRaggedLines: false,
  });
}

/**
 * The frame of a file without quotes, parsed by polars alone (types from the first rows), or null
 * when anything could make it differ from `_parseScanned`'s frame; that path then reads the file
 * again and reports what is wrong. The checks, each cheaper than the JS scan (~0.7 s per million rows):
 * - no quote byte (structure is then one record per line; quoted files are scanned);
 * - the header splits into the names polars read (no duplicates renamed, same count);
 * - polars raised nothing: a longer row, or a later value that does not fit the sampled type
 *   (a float in an integer column, text in a numeric one), is an error with truncateRaggedLines off;
 * - the last line has no field too many (polars takes one extra there without an error);
 * - no shorter row or blank line: either would leave the last column null, so when that column
 *   has nulls, the separators are counted instead (with no longer row possible, exactly
 *   width − 1 per line means every line is complete);
 * - no text column holds a whitespace-only value (a missing value by this module's rule) or is
 *   null in every sampled row (its type would then come from later rows).
 * Both paths read a later " 5", "+5", "nan" or "inf" in a column the first rows type as numeric
 * as a number (polars' parser does, and the scan classes values the same way).
 */
export function _parseFast(
  bytes: Buffer,
  begin: number,
  sep: string,
  nullValues: string[],
  file: string,
): pl.DataFrame | null {
  if (Buffer.byteLength(sep) !== 1 || bytes.indexOf(QUOTE, begin) >= 0) return null;
  let eol = bytes.indexOf(LF, begin);
  if (eol < 0) return null;
  if (bytes[eol - 1] === CR) eol--;
  // Every CR must end a CRLF line: a lone CR would be a line end to the scan and text to polars.
  for (let cr = bytes.indexOf(CR, begin); cr >= 0; cr = bytes.indexOf(CR, cr + 1))
    if (bytes[cr + 1] !== LF) return null;
  const header = bytes.toString("utf8", begin, eol).split(sep);
  checkHeader(header, file);
  // polars takes one field too many on a last line without a line end, silently: count that line's.
  let end = bytes.length;
  while (end > begin && (bytes[end - 1] === LF || bytes[end - 1] === CR)) end--;
  if (countByte(bytes.subarray(bytes.lastIndexOf(LF, end - 1) + 1, end), sep.charCodeAt(0), 0) > header.length - 1)
    return null;
  let df: pl.DataFrame;
  try {
    df = polarsParse(bytes, sep, nullValues, SAMPLE_ROWS);
  } catch {
    return null;
  }
  if (df.height === 0 || df.width !== header.length || df.columns.some((c, k) => c !== header[k])) return null;
  if (
    df.getColumn(header[header.length - 1]).nullCount() > 0 &&
    countByte(bytes, sep.charCodeAt(0), begin) !== (df.height + 1) * (df.width - 1)
  )
    return null;
  const dtypes = df.dtypes;
  const text = df.columns.filter((_, k) => dtypes[k].variant === "String");
  if (text.length > 0) {
    // One expression per check over every text column (nodejs-polars builds a JS wrapper per step).
    const sampled = Math.min(SAMPLE_ROWS, df.height);
    const blank = df.select(pl.col(text).str.contains("^[\\s\\x{FEFF}]+$").sum()).row(0);
    const nullsSampled = df.head(sampled).select(pl.col(text).nullCount()).row(0);
    if (text.some((_, k) => Number(blank[k]) > 0 || Number(nullsSampled[k]) === sampled)) return null;
  }
  return df;
}

/**
 * The frame of any file: the JS scan checks every record (reporting ragged rows and unclosed
 * quotes by line) and classes every value, then polars parses with the types that whole-file
 * inference gives, whitespace-only fields and blank lines taken out.
 */
export function _parseScanned(
  bytes: Buffer,
  begin: number,
  sep: string,
  nullValues: string[],
  file: string,
): pl.DataFrame {
  const scan = scanCsv(bytes, begin, sep, file, new Set(nullValues));
  if (scan.rows === 0)
    throw new SchemaError(
      `CSV file has no data rows: header only (expected at least one row after the header): ${file}`,
    );
  checkHeader(scan.header, file);

  // Parse with polars, typed as inference over every row would type it; whitespace-only fields
  // are missing values. polars' whole-file inference is slow (~4 s per million rows), so the schema
  // is inferred from the first rows and kept when the scan's value kinds of every row agree with
  // it; otherwise (or when that parse fails) polars infers from every row.
  let body: Buffer = bytes;
  if (scan.blankLines.length > 0) {
    const kept: Buffer[] = [];
    let from = begin;
    for (const [start, end] of scan.blankLines) {
      kept.push(bytes.subarray(from, start));
      from = end;
    }
    kept.push(bytes.subarray(from));
    body = Buffer.concat(kept);
  }
  if (body.indexOf(LF) < 0 && body.indexOf(CR) >= 0) {
    // CR-only line ends (classic Mac), which the scan reads but polars does not split on: make them LF.
    body = Buffer.from(body);
    for (let i = body.indexOf(CR); i >= 0; i = body.indexOf(CR, i + 1)) body[i] = LF;
  }
  const nulls = [...scan.blankFields, ...nullValues];
  let df: pl.DataFrame | null = null;
  if (scan.rows + 1 > SAMPLE_ROWS) {
    try {
      df = polarsParse(body, sep, nulls, SAMPLE_ROWS);
      if (!sampleSchemaHolds(df, scan.kinds)) df = null;
    } catch {
      df = null; // a later value does not fit the sampled type: infer from every row below
    }
  }
  if (df === null) {
    try {
      df = polarsParse(body, sep, nulls, scan.rows + 1);
    } catch (e) {
      throw new FormatError(
        `CSV file could not be parsed: ${(e as Error).message} (expected ${scan.rows} rows of ${scan.header.length} fields): ${file}`,
        { cause: e },
      );
    }
  }
  if (df.height !== scan.rows || df.width !== scan.header.length) {
    throw new FormatError(
      `CSV file parsed to the wrong shape: ${df.height} × ${df.width} (expected ${scan.rows} × ${scan.header.length}): ${file}`,
    );
  }
  return df;
}

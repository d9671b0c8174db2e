/**
 * nodejs-polars DataFrames and Series as pandas-style HTML tables: a header row with the column
 * names, a second one with dtypes, the first and last rows of long frames with a "…" row between
 * (pandas' max_rows / min_rows), the first and last columns of wide frames, and a shape footer.
 * Every value is HTML-escaped.
 */
import pl from "nodejs-polars";
import { escapeHtml, MediaBundle } from "../util/media-bundle";

/** Options for {@link frameBundle}. */
export interface FrameDisplayOptions {
  /** Frames longer than this show head and tail only. Default 60 (pandas' display.max_rows). */
  maxRows?: number;
  /** Rows shown when eliding: half from the head, half from the tail. Default 10 (pandas' display.min_rows). */
  minRows?: number;
  /** Frames wider than this show the first and last columns only. Default 20 (pandas' display.max_columns). */
  maxColumns?: number;
  /** Decimal places for floats (trailing zeros trimmed per column). Default 6 (pandas' display.precision). */
  precision?: number;
}

const DEFAULTS: Required<FrameDisplayOptions> = { maxRows: 60, minRows: 10, maxColumns: 20, precision: 6 };

type Cell = { text: string; kind: "null" | "num" | "str" };

function dtypeName(dtype: unknown): string {
  return String(dtype).replace(/^DataType\((.*)\)$/, "$1");
}

function formatColumn(values: unknown[], dtype: string, precision: number): Cell[] {
  const isFloat = /^Float/.test(dtype);
  let decimals = 0;
  if (isFloat) {
    for (const v of values) {
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      const fixed = v.toFixed(precision).replace(/0+$/, "");
      decimals = Math.max(decimals, fixed.length - fixed.indexOf(".") - 1);
    }
    decimals = Math.max(decimals, 1);
  }
  return values.map((v): Cell => {
    if (v === null || v === undefined) return { text: "null", kind: "null" };
    if (typeof v === "number") {
      if (!isFloat || !Number.isFinite(v)) return { text: String(v), kind: "num" };
      return { text: v.toFixed(decimals), kind: "num" };
    }
    if (typeof v === "bigint") return { text: v.toString(), kind: "num" };
    if (v instanceof Date) return { text: v.toISOString(), kind: "str" };
    if (typeof v === "object") return { text: JSON.stringify(v), kind: "str" };
    return { text: String(v), kind: typeof v === "boolean" ? "num" : "str" };
  });
}

function rowWindow(height: number, o: Required<FrameDisplayOptions>): { head: number; tail: number } {
  if (height <= o.maxRows) return { head: height, tail: 0 };
  const head = Math.ceil(o.minRows / 2);
  return { head, tail: o.minRows - head };
}

function columnWindow(width: number, o: Required<FrameDisplayOptions>): { left: number; right: number } {
  if (width <= o.maxColumns) return { left: width, right: 0 };
  const left = Math.ceil(o.maxColumns / 2);
  return { left, right: o.maxColumns - left };
}

/** The HTML table of a DataFrame (exported for tests). */
export function frameHtml(df: pl.DataFrame, options: FrameDisplayOptions = {}): string {
  const o = { ...DEFAULTS, ...options };
  const { head, tail } = rowWindow(df.height, o);
  const { left, right } = columnWindow(df.width, o);
  const names = df.columns;
  const colIdx = [...names.keys()].filter((i) => i < left || i >= names.length - right);
  const headFrame = df.head(head);
  const tailFrame = tail > 0 ? df.tail(tail) : undefined;
  const columns = colIdx.map((i) => {
    const name = names[i];
    const dtype = dtypeName(df.getColumn(name).dtype);
    const values = [...headFrame.getColumn(name).toArray(), ...(tailFrame ? tailFrame.getColumn(name).toArray() : [])];
    return { name, dtype, cells: formatColumn(values as unknown[], dtype, o.precision) };
  });
  const gapAt = right > 0 ? left : -1;
  const ellipsisTh = "<th>…</th>";
  const ellipsisTd = "<td>…</td>";
  const headerCells = (f: (c: (typeof columns)[number]) => string, gap: string) =>
    columns.map((c, j) => (j === gapAt ? gap : "") + f(c)).join("");
  const rows: string[] = [];
  const rowIndex = (k: number) => (k < head ? k : df.height - tail + (k - head));
  const shown = head + tail;
  for (let k = 0; k < shown; k++) {
    if (k === head && tail > 0) {
      rows.push(`<tr><th>…</th>${columns.map((_, j) => (j === gapAt ? ellipsisTd : "") + ellipsisTd).join("")}</tr>`);
    }
    const cells = columns
      .map((c, j) => {
        const cell = c.cells[k];
        const style = cell.kind === "null" ? ' style="color:#999"' : "";
        return (j === gapAt ? ellipsisTd : "") + `<td${style}>${escapeHtml(cell.text)}</td>`;
      })
      .join("");
    rows.push(`<tr><th>${rowIndex(k)}</th>${cells}</tr>`);
  }
  const thead =
    `<tr style="text-align: right;"><th></th>${headerCells((c) => `<th>${escapeHtml(c.name)}</th>`, ellipsisTh)}</tr>` +
    `<tr style="text-align: right; color: #777; font-weight: normal;"><th></th>${headerCells(
      (c) => `<th style="font-weight: normal;"><em>${escapeHtml(c.dtype)}</em></th>`,
      ellipsisTh,
    )}</tr>`;
  const shape = `${df.height.toLocaleString("en-US")} rows × ${df.width.toLocaleString("en-US")} columns`;
  return (
    `<div class="mldp-frame"><table border="1" class="dataframe"><thead>${thead}</thead>` +
    `<tbody>${rows.join("")}</tbody></table><p>${shape}</p></div>`
  );
}

/**
 * A DataFrame or Series as a media bundle: pandas-style `text/html` plus polars' text table.
 * @example publish(frameBundle(df))
 */
export function frameBundle(value: pl.DataFrame | pl.Series, options: FrameDisplayOptions = {}): MediaBundle {
  const df = pl.Series.isSeries(value) ? pl.DataFrame([value]) : value;
  return { "text/html": frameHtml(df, options), "text/plain": String(value) };
}

/** True for nodejs-polars DataFrames and Series. */
export function isFrame(value: unknown): value is pl.DataFrame | pl.Series {
  return pl.DataFrame.isDataFrame(value) || pl.Series.isSeries(value);
}

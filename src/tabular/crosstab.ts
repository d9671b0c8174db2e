/**
 * `crosstab(df, column, by)`: pandas' `pd.crosstab(index=df[column], columns=df[by], normalize=...)`,
 * the table the workshop's reference notebook shows for every categorical column against `Churn?`
 * (normalized by column: each label value's rows sum to 1, so "no" 0.500 for False. and 0.503 for
 * True. says Int'l Plan does not separate the classes). Missing values are left out, as pandas does.
 */
import type { DataFrame } from "nodejs-polars";
import { escapeHtml, JUPYTER_DISPLAY, withDisplay, type Displayable, type MediaBundle } from "../util/media-bundle";
import { SchemaError } from "../util/errors";
import { _codeArrays } from "./correlations";

/** Shares per `by` value ("columns"), per row value ("index"), over all rows ("all"), or counts ("none"). */
export type CrosstabNormalize = "columns" | "index" | "all" | "none";

/** Options of {@link crosstab}. */
export interface CrosstabOptions {
  /** Normalization, pandas' `normalize` (default "columns", the workshop's). */
  normalize?: CrosstabNormalize;
}

/** A contingency table of `column` (rows) against `by` (columns). */
export interface Crosstab extends Displayable {
  column: string;
  by: string;
  normalize: CrosstabNormalize;
  /** Values of `column`, sorted like pandas (numerically when every value is a number). */
  values: string[];
  /** Values of `by`, sorted the same way. */
  byValues: string[];
  /** Rows counted per (value, by value); rows with a missing value in either column are left out. */
  counts: number[][];
  /** `counts` normalized as asked (equal to counts for "none"). */
  table: number[][];
}

const NORMALIZE: readonly CrosstabNormalize[] = ["columns", "index", "all", "none"];

function sortOrder(values: string[]): number[] {
  const order = values.map((_, i) => i);
  const numeric = values.every((v) => v.trim() !== "" && Number.isFinite(Number(v)));
  return numeric
    ? order.sort((a, b) => Number(values[a]) - Number(values[b]))
    : order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
}

/**
 * Cross-tabulate two columns of a frame, normalized like `pd.crosstab(..., normalize="columns")` by default.
 * @example crosstab(churn, "Int'l Plan", "Churn?").table // [[0.5, 0.502802], [0.5, 0.497198]] (rows no, yes)
 */
export function crosstab(df: DataFrame, column: string, by: string, options: CrosstabOptions = {}): Crosstab {
  const { normalize = "columns" } = options;
  if (!NORMALIZE.includes(normalize))
    throw new RangeError(
      `crosstab normalize invalid: ${JSON.stringify(normalize)} (expected one of ${NORMALIZE.map((n) => JSON.stringify(n)).join(", ")})`,
    );
  for (const [what, name] of [
    ["column", column],
    ["by column", by],
  ] as const) {
    if (!df.columns.includes(name))
      throw new SchemaError(
        `crosstab ${what} missing: ${JSON.stringify(name)} (expected one of the frame's ${df.width} columns)`,
      );
  }
  if (column === by) throw new RangeError(`crosstab column and by are the same: ${JSON.stringify(column)}`);
  const { codes, cardinalities, firstRows } = _codeArrays(df, [column, by]);
  const names = [column, by].map((name, k) =>
    (df.getColumn(name).gather(Array.from(firstRows[k])).toArray() as unknown[]).map(String),
  );
  const [k1, k2] = cardinalities;
  const raw = Array.from({ length: k1 }, () => new Array<number>(k2).fill(0));
  for (let r = 0; r < codes[0].length; r++) {
    const a = codes[0][r],
      b = codes[1][r];
    if (a >= 0 && b >= 0) raw[a][b]++;
  }
  const rowOrder = sortOrder(names[0]);
  const colOrder = sortOrder(names[1]);
  const counts = rowOrder.map((i) => colOrder.map((j) => raw[i][j]));
  return _crosstab(
    column,
    by,
    normalize,
    rowOrder.map((i) => names[0][i]),
    colOrder.map((j) => names[1][j]),
    counts,
  );
}

/** Build the result from sorted counts. @internal */
export function _crosstab(
  column: string,
  by: string,
  normalize: CrosstabNormalize,
  values: string[],
  byValues: string[],
  counts: number[][],
): Crosstab {
  const colTotals = byValues.map((_, j) => counts.reduce((s, row) => s + row[j], 0));
  const rowTotals = counts.map((row) => row.reduce((s, v) => s + v, 0));
  const total = rowTotals.reduce((s, v) => s + v, 0);
  const div = (v: number, d: number) => (d > 0 ? v / d : 0);
  const table = counts.map((row, i) =>
    row.map((v, j) =>
      normalize === "columns"
        ? div(v, colTotals[j])
        : normalize === "index"
          ? div(v, rowTotals[i])
          : normalize === "all"
            ? div(v, total)
            : v,
    ),
  );
  const result: Crosstab = withDisplay({ column, by, normalize, values, byValues, counts, table }, () =>
    crosstabBundle(result),
  );
  return result;
}

const caption: Record<CrosstabNormalize, (by: string, column: string) => string> = {
  columns: (by) => `share of each ${by} value's rows`,
  index: (_, column) => `share of each ${column} value's rows`,
  all: () => "share of all rows",
  none: () => "rows",
};

/** Title, header and formatted rows (6 decimals like pandas, or counts). @internal */
export function _crosstabRows(t: Omit<Crosstab, typeof JUPYTER_DISPLAY>): {
  title: string;
  header: string[];
  rows: string[][];
} {
  const cell = (v: number) => (t.normalize === "none" ? v.toLocaleString("en-US") : v.toFixed(6));
  return {
    title: `${t.column} by ${t.by} (${caption[t.normalize](t.by, t.column)})`,
    header: [t.column, ...t.byValues],
    rows: t.values.map((v, i) => [v, ...t.table[i].map(cell)]),
  };
}

function crosstabBundle(t: Crosstab): MediaBundle {
  const { title, header, rows } = _crosstabRows(t);
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (r) =>
        `<tr><th>${escapeHtml(r[0])}</th>${r
          .slice(1)
          .map((c) => `<td>${c}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  const markup = `<div class="mldp-crosstab"><h4>${escapeHtml(title)}</h4><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  return { "text/html": markup, "text/plain": [title, line(header), ...rows.map(line)].join("\n") };
}

/** Several crosstabs shown side by side, with the columns left out and why. */
export interface Crosstabs extends Displayable {
  tables: Crosstab[];
  /** Columns not tabulated, with the reason (e.g. too many distinct values). */
  skipped: { column: string; reason: string }[];
}

/** Group crosstabs into one displayable. @internal */
export function _crosstabs(tables: Crosstab[], skipped: { column: string; reason: string }[]): Crosstabs {
  const bundle = (): MediaBundle => {
    const parts = tables.map((t) => crosstabBundle(t));
    const note = skipped.map((s) => `${s.column}: ${s.reason}`).join("; ");
    const html =
      `<div class="mldp-crosstabs" style="display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start">` +
      parts.map((p) => p["text/html"]).join("") +
      `</div>` +
      (note ? `<p>Not tabulated: ${escapeHtml(note)}</p>` : "");
    const text = [...parts.map((p) => p["text/plain"]), ...(note ? [`Not tabulated: ${note}`] : [])].join("\n\n");
    return { "text/html": html, "text/plain": text || "no categorical columns to tabulate" };
  };
  return withDisplay({ tables, skipped }, bundle);
}

/** Options of `ProfileReport.crosstab`. */
export interface ReportCrosstabOptions extends CrosstabOptions {
  /** The column whose values become the table's columns (default: the profiled label). */
  by?: string;
}

/** Options of `ProfileReport.crosstabs`. */
export interface CrosstabsOptions extends ReportCrosstabOptions {
  /** Columns to tabulate (default: every text or boolean column but `by`, as the workshop's object columns). */
  columns?: readonly string[];
  /** Columns with more distinct values are left out and named (default 60; Phone has 4,999 values). */
  maxValues?: number;
}

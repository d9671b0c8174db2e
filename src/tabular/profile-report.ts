/**
 * Rendering of a `profile()`: HTML tables (overview, alerts, per-column summary) and plotly
 * figures (histogram grids, histograms by label with the label rate per bin, correlation heatmaps).
 * Everything is aggregated before display: histogram traces carry bin counts (bar traces), never
 * raw values, so a report stays small (tens of kB) whatever the number of rows.
 */
import type { DataFrame } from "nodejs-polars";
import { escapeHtml, JUPYTER_DISPLAY, withDisplay, type Displayable, type MediaBundle } from "../util/media-bundle";
import { plotlyBundle, type PlotlyFigure } from "../util/plotly-bundle";
import { _codeArrays, _numericArrays, positiveLabel } from "./correlations";
import { suggestDrops, type CorrelationMethod, type DropSuggestion } from "./alerts";
import { profile, type ColumnProfile, type Profile, type ProfileOptions } from "./profile";
import { binCounts, QUANTILES } from "./column-stats";
import { SchemaError } from "../util/errors";
import {
  _crosstabs,
  crosstab,
  type Crosstab,
  type Crosstabs,
  type CrosstabsOptions,
  type ReportCrosstabOptions,
} from "./crosstab";

/** A plotly figure that also shows itself (`[JUPYTER_DISPLAY]` is a non-enumerable symbol key). */
export type Figure = PlotlyFigure & Displayable;

/** Options of `ProfileReport.histogramsFigure` / `histogramsByLabelFigure`. */
export interface HistogramsOptions {
  /** Equal-width bins per column (default 20). */
  bins?: number;
  /** Subplots per row (default 4). */
  columns?: number;
}

/** Options of `ProfileReport.correlationsFigure`. */
export interface CorrelationsFigureOptions {
  /** Which matrix (default "pearson"). */
  method?: CorrelationMethod;
}

const COLORS = ["#377eb8", "#e41a1c", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999"];

/** Round for display and compact JSON: 6 significant digits. */
const r6 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);
function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "";
  if (Number.isInteger(x)) return x.toLocaleString("en-US");
  return Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3 ? x.toExponential(3) : String(Number(x.toPrecision(5)));
}
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function figure(fig: PlotlyFigure): Figure {
  return withDisplay(fig, () => plotlyBundle(fig));
}

function table(title: string, header: string[], rows: string[][], note?: string): Displayable {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  const after = note === undefined ? "" : `<p>${escapeHtml(note)}</p>`;
  const markup = `<div class="mldp-profile"><h4>${escapeHtml(title)}</h4><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>${after}</div>`;
  const widths = header.map((h, j) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[j].length))));
  const line = (r: string[]) =>
    r
      .map((c, j) => (c.length > widths[j] ? c.slice(0, widths[j] - 1) + "…" : c.padEnd(widths[j])))
      .join("  ")
      .trimEnd();
  const text = [title, line(header), ...rows.map(line), ...(note === undefined ? [] : ["", note])].join("\n");
  return { [JUPYTER_DISPLAY]: (): MediaBundle => ({ "text/html": markup, "text/plain": text }) };
}

/** Subplot domains of a grid, row-major from the top. */
function grid(k: number, perRow: number): { x: [number, number]; y: [number, number] }[] {
  const rows = Math.ceil(k / perRow);
  const gx = 0.06;
  const gy = 0.35 / Math.max(rows, 1);
  const w = (1 - gx * (perRow - 1)) / perRow;
  const h = (1 - gy * (rows - 1)) / rows;
  return Array.from({ length: k }, (_, i) => {
    const c = i % perRow;
    const r = Math.floor(i / perRow);
    const top = 1 - r * (h + gy);
    return { x: [r6(c * (w + gx)), r6(c * (w + gx) + w)], y: [r6(top - h), r6(top)] };
  });
}

/**
 * A profile with its renderers; build it with `profileReport(df)`.
 * Tables are `overview()`, `alerts()`, `columns()`; plotly figures end in `Figure`.
 * @example const report = profileReport(df, { label: "Churn?" }); show(report.correlationsFigure())
 */
export class ProfileReport {
  constructor(
    readonly profile: Profile,
    private readonly df: DataFrame,
  ) {}

  /** Rows, columns, missing cells, duplicate rows, approximate size and kinds. */
  overview(): Displayable {
    const p = this.profile;
    const cells = p.rows * p.columns.length;
    const kinds = Object.entries(p.kinds)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    return table(
      "Overview",
      ["Statistic", "Value"],
      [
        ["Rows", fmt(p.rows)],
        ["Columns", fmt(p.columns.length)],
        ["Missing cells", `${fmt(p.missingCells)} (${pct(cells ? p.missingCells / cells : 0)})`],
        ["Duplicate rows", `${fmt(p.duplicates)} (${pct(p.rows ? p.duplicates / p.rows : 0)})`],
        ["Size in memory (approx.)", `${(p.memoryBytes / 2 ** 20).toFixed(1)} MiB`],
        ["Kinds", kinds],
        ["Alerts", `${p.alerts.length} (${p.preset} rules)`],
      ],
    );
  }

  /** The alerts with their hints, and the `drop` that removes the ID-like columns they flag. */
  alerts(): Displayable {
    const rows = this.profile.alerts.map((a) => [
      a.code,
      a.columns ? a.columns.join(" ~ ") : (a.column ?? "(dataset)"),
      a.message,
      a.hint,
    ]);
    const s = this.dropSuggestion();
    const note = s
      ? `ID-like columns (UNIQUE or HIGH_CARDINALITY, mostly distinct values): ${s.columns.map((c) => JSON.stringify(c)).join(", ")}. ` +
        `To drop them, run the notebook with ${s.parameter} (or set ${s.cell} in its parameters cell).`
      : undefined;
    return table(`Alerts (${rows.length})`, ["Alert", "Column", "Finding", "What to do"], rows, note);
  }

  /**
   * The ID-like columns the alerts flag, with the `-p` to drop them, or null (see `suggestDrops`).
   * @example report.dropSuggestion()?.parameter // "-p 'drop=[\"customerID\"]'"
   */
  dropSuggestion(): DropSuggestion | null {
    return suggestDrops(this.profile.columns, this.profile.alerts, this.profile.label);
  }

  /** One row per column: kind, counts, moments, quantiles and top values. */
  columns(): Displayable {
    const q = QUANTILES.map((x) => `${x * 100}%`);
    const header = [
      "Column",
      "Kind",
      "Count",
      "Missing",
      "Distinct",
      "Zeros",
      "Mean",
      "Std",
      "Min",
      ...q,
      "Max",
      "Top values",
    ];
    const rows = this.profile.columns.map((c: ColumnProfile) => [
      c.name,
      c.kind,
      fmt(c.count),
      fmt(c.missing),
      fmt(c.distinct),
      fmt(c.zeros),
      fmt(c.mean),
      fmt(c.std),
      fmt(c.min),
      ...QUANTILES.map((_, j) => fmt(c.quantiles ? c.quantiles[j] : null)),
      fmt(c.max),
      c.topValues
        .slice(0, 3)
        .map((t) => `${String(t.value)} (${fmt(t.count)})`)
        .join(", "),
    ]);
    return table("Columns", header, rows);
  }

  private numericColumns(): ColumnProfile[] {
    return this.profile.columns.filter((c) => c.kind === "numeric" && c.name !== this.profile.label);
  }

  /**
   * A grid of small histograms, one per numeric column (bar traces of bin counts).
   * @example show(report.histogramsFigure({ bins: 30 }))
   */
  histogramsFigure(options: HistogramsOptions = {}): Figure {
    const { bins = 20, columns: perRow = 4 } = options;
    checkBins(bins, perRow);
    const cols = this.numericColumns();
    const data = _numericArrays(
      this.df,
      cols.map((c) => c.name),
    );
    const domains = grid(cols.length, perRow);
    const traces: Record<string, unknown>[] = [];
    const layout: Record<string, unknown> = {
      title: { text: "Histograms" },
      height: 200 * Math.ceil(cols.length / perRow) + 80,
      showlegend: false,
      bargap: 0,
      annotations: [] as unknown[],
    };
    cols.forEach((c, i) => {
      const { lo, hi, centers, width } = edges(c, bins);
      traces.push({
        type: "bar",
        name: c.name,
        x: centers,
        y: Array.from(binCounts(data[i], lo, hi, bins)),
        width,
        xaxis: `x${i + 1}`,
        yaxis: `y${i + 1}`,
        marker: { color: COLORS[0] },
      });
      axes(layout, i, domains[i], c.name);
    });
    return figure({ data: traces, layout });
  }

  /**
   * Histograms per label value (overlaid bars) with the positive-label rate per bin on a secondary axis.
   * @example show(report.histogramsByLabelFigure("Churn?", { bins: 20 }))
   */
  histogramsByLabelFigure(label: string, options: HistogramsOptions = {}): Figure {
    const { bins = 20, columns: perRow = 4 } = options;
    checkBins(bins, perRow);
    const lp = this.profile.columns.find((c) => c.name === label);
    if (!lp)
      throw new SchemaError(`histogram label column missing: ${JSON.stringify(label)} (expected a profiled column)`);
    if (lp.distinct > COLORS.length)
      throw new RangeError(`histogram label has too many values: ${lp.distinct} (expected at most ${COLORS.length})`);
    const {
      codes: [codes],
      firstRows: [first],
    } = _codeArrays(this.df, [label]);
    const labels = this.df.getColumn(label).gather(Array.from(first)).toArray().map(String);
    const positive = labels.length === 2 ? labels.indexOf(String(positiveLabel(labels))) : -1;
    const cols = this.numericColumns().filter((c) => c.name !== label);
    const data = _numericArrays(
      this.df,
      cols.map((c) => c.name),
    );
    const domains = grid(cols.length, perRow);
    const traces: Record<string, unknown>[] = [];
    const layout: Record<string, unknown> = {
      title: {
        text: `Histograms by ${label}` + (positive >= 0 ? ` (line: share of ${labels[positive]} per bin)` : ""),
      },
      height: 200 * Math.ceil(cols.length / perRow) + 100,
      barmode: "overlay",
      bargap: 0,
      annotations: [] as unknown[],
      legend: { orientation: "h", y: -0.05 },
    };
    cols.forEach((c, i) => {
      const { lo, hi, centers, width } = edges(c, bins);
      const counts = labels.map(() => new Float64Array(bins));
      const values = data[i];
      const scale = bins / (hi - lo);
      for (let r = 0; r < values.length; r++) {
        const v = values[r];
        if (!(v >= lo && v <= hi) || codes[r] < 0) continue;
        counts[codes[r]][Math.min(bins - 1, Math.floor((v - lo) * scale))]++;
      }
      labels.forEach((name, g) => {
        traces.push({
          type: "bar",
          name,
          legendgroup: name,
          showlegend: i === 0,
          x: centers,
          y: Array.from(counts[g]),
          width,
          opacity: 0.55,
          xaxis: `x${i + 1}`,
          yaxis: `y${i + 1}`,
          marker: { color: COLORS[g] },
        });
      });
      axes(layout, i, domains[i], c.name);
      if (positive >= 0) {
        const rate = centers.map((_, b) => {
          const total = counts[0][b] + counts[1][b];
          return total > 0 ? r6(counts[positive][b] / total) : null;
        });
        const y2 = cols.length + i + 1;
        traces.push({
          type: "scatter",
          mode: "lines+markers",
          name: `share ${labels[positive]}`,
          legendgroup: "rate",
          showlegend: i === 0,
          x: centers,
          y: rate,
          xaxis: `x${i + 1}`,
          yaxis: `y${y2}`,
          line: { color: "#000000", width: 1.5 },
          marker: { size: 3 },
        });
        layout[`yaxis${y2}`] = {
          overlaying: `y${i + 1}`,
          side: "right",
          anchor: `x${i + 1}`,
          range: [0, 1],
          showgrid: false,
          tickformat: ".0%",
        };
      }
    });
    return figure({ data: traces, layout });
  }

  /**
   * A correlation heatmap with the coefficient written in each cell.
   * @example show(report.correlationsFigure({ method: "spearman" }))
   */
  correlationsFigure(options: CorrelationsFigureOptions = {}): Figure {
    const { method = "pearson" } = options;
    const m = this.profile.correlations.find((c) => c.method === method);
    if (!m) {
      const have = this.profile.correlations.map((c) => c.method).join(", ") || "none";
      throw new RangeError(`correlation method not computed: ${JSON.stringify(method)} (expected one of: ${have})`);
    }
    const z = m.values.map((row) => row.map((v) => (Number.isFinite(v) ? r6(v) : null)));
    const annotations = m.columns.flatMap((y, i) =>
      m.columns.map((x, j) => ({
        x,
        y,
        text: z[i][j] === null ? "" : z[i][j]!.toFixed(2),
        showarrow: false,
        font: { size: 9, color: Math.abs(z[i][j] ?? 0) > 0.5 ? "#ffffff" : "#000000" },
      })),
    );
    const size = Math.max(400, 32 * m.columns.length + 200);
    const names: Record<CorrelationMethod, string> = {
      pearson: "Pearson r",
      spearman: "Spearman ρ",
      cramers: "Cramér's V",
    };
    return figure({
      data: [
        {
          type: "heatmap",
          z,
          x: m.columns,
          y: m.columns,
          zmin: method === "cramers" ? 0 : -1,
          zmax: 1,
          colorscale: "RdBu",
          reversescale: true,
        },
      ],
      layout: {
        title: { text: names[method] },
        width: size,
        height: size,
        annotations,
        yaxis: { autorange: "reversed" },
        xaxis: { tickangle: -45 },
      },
    });
  }

  /**
   * The workshop's `pd.crosstab(df[column], df[label], normalize="columns")`: for each label value, the share of its
   * rows having each value of `column` (equal shares across label values: the column does not separate them).
   * @example report.crosstab("Int'l Plan") // no: False. 0.500000, True. 0.502802
   */
  crosstab(column: string, options: ReportCrosstabOptions = {}): Crosstab {
    return crosstab(this.df, column, this.crosstabBy(options.by), options);
  }

  /**
   * {@link crosstab} of every text and boolean column against the label, side by side (the reference notebook's
   * loop over `select_dtypes(include=["object"])`); columns with more than `maxValues` values are named, not shown.
   * @example show(report.crosstabs())
   */
  crosstabs(options: CrosstabsOptions = {}): Crosstabs {
    const { maxValues = 60 } = options;
    if (!Number.isInteger(maxValues) || maxValues < 1)
      throw new RangeError(`crosstabs maxValues invalid: ${maxValues} (expected an integer ≥ 1)`);
    const by = this.crosstabBy(options.by);
    const textual = (c: ColumnProfile) => ["String", "Utf8", "Categorical", "Bool"].includes(c.dtype);
    const names = options.columns ?? this.profile.columns.filter((c) => textual(c) && c.name !== by).map((c) => c.name);
    const distinct = new Map(this.profile.columns.map((c) => [c.name, c.distinct]));
    const tooMany = (n: string) => (distinct.get(n) ?? 0) > maxValues;
    const skipped = names.filter(tooMany).map((n) => ({
      column: n,
      reason: `${fmt(distinct.get(n)!)} distinct values (more than maxValues ${maxValues})`,
    }));
    const tables = names.filter((n) => !tooMany(n)).map((n) => crosstab(this.df, n, by, options));
    return _crosstabs(tables, skipped);
  }

  private crosstabBy(by: string | undefined): string {
    const column = by ?? this.profile.label;
    if (column === undefined)
      throw new SchemaError(
        `crosstab by column missing: no label was profiled (expected profileReport(df, { label }) or options.by)`,
      );
    return column;
  }
}

function checkBins(bins: number, perRow: number): void {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`histogram bins invalid: ${bins} (expected an integer ≥ 1)`);
  if (!Number.isInteger(perRow) || perRow < 1)
    throw new RangeError(`histogram columns invalid: ${perRow} (expected an integer ≥ 1)`);
}

function edges(c: ColumnProfile, bins: number): { lo: number; hi: number; centers: number[]; width: number } {
  let lo = c.min ?? 0;
  let hi = c.max ?? 1;
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  return { lo, hi, width: r6(width), centers: Array.from({ length: bins }, (_, b) => r6(lo + (b + 0.5) * width)) };
}

function axes(
  layout: Record<string, unknown>,
  i: number,
  d: { x: [number, number]; y: [number, number] },
  title: string,
): void {
  layout[`xaxis${i + 1}`] = { domain: d.x, anchor: `y${i + 1}`, tickfont: { size: 9 } };
  layout[`yaxis${i + 1}`] = { domain: d.y, anchor: `x${i + 1}`, tickfont: { size: 9 } };
  (layout.annotations as unknown[]).push({
    text: title,
    x: (d.x[0] + d.x[1]) / 2,
    y: d.y[1],
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
    font: { size: 11 },
  });
}

/**
 * Profile a frame and return its report.
 * @example const report = profileReport(df, { preset: "pandas-profiling-2.11", label: "Churn?" });
 * show(report.overview());
 */
export function profileReport(df: DataFrame, options: ProfileOptions = {}): ProfileReport {
  return new ProfileReport(profile(df, options), df);
}

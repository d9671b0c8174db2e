/**
 * Plotly figures as media bundles: `application/vnd.plotly.v1+json` (an object, which the project's
 * JupyterLab extension renders, and VS Code too), `text/plain`, and a `text/html` fallback for
 * nbconvert's HTML export. The fallback is a small placeholder `<div>` with a caption; the project's
 * HTML export (python/html_export.py) fills it with the figure from the same output, adds plotly.js
 * once per page and draws every placeholder, so a page never embeds the 4.8 MB plotly.js once per
 * chart and the notebook does not store the figure twice.
 */
import { escapeHtml, MediaBundle } from "./media-bundle";

/** The plotly MIME type; the version follows plotly's major version. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** CSS class of the HTML fallback placeholder. */
export const PLOTLY_PLACEHOLDER_CLASS = "mldp-plotly";

/** A plotly figure: traces, layout and config, as plotly.js takes them. */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: Array<Record<string, unknown>>;
}

/** True for objects shaped like a plotly figure: `{data: [trace, ...], layout?}`. */
export function isPlotlyFigure(value: unknown): value is PlotlyFigure {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { data, layout } = value as Record<string, unknown>;
  if (!Array.isArray(data) || data.length === 0) return false;
  const traces = data.every((t) => t !== null && typeof t === "object" && !Array.isArray(t));
  const keys = Object.keys(value);
  return (
    traces &&
    (layout === undefined || typeof layout === "object") &&
    keys.every((k) => ["data", "layout", "config", "frames"].includes(k))
  );
}

// Typed arrays and BigInts become plain JSON numbers; NaN becomes null (plotly's gap).
function toJsonValue(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => toJsonValue(v));
  }
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

/** A one-line description: `Plotly figure "Title": 2 traces (bar, scatter)`. */
export function describeFigure(fig: PlotlyFigure): string {
  const title = fig.layout?.title;
  const text = typeof title === "string" ? title : (title as { text?: string } | undefined)?.text;
  const types = [...new Set(fig.data.map((t) => String(t.type ?? "scatter")))];
  const n = fig.data.length;
  return `Plotly figure${text ? ` ${JSON.stringify(text)}` : ""}: ${n} trace${n === 1 ? "" : "s"} (${types.join(", ")})`;
}

/**
 * A plotly figure as a media bundle.
 * @example publish(plotlyBundle({ data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }] }))
 */
export function plotlyBundle(fig: PlotlyFigure): MediaBundle {
  const json = toJsonValue(fig) as PlotlyFigure;
  const text = describeFigure(fig);
  const placeholder =
    `<div class="${PLOTLY_PLACEHOLDER_CLASS}">` +
    `<p><em>${escapeHtml(text)}.</em> Open the notebook in JupyterLab with the ml-dataprep-ts extension to see it.</p></div>`;
  return { [PLOTLY_MIME]: json, "text/html": placeholder, "text/plain": text };
}

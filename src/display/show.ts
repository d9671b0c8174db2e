/**
 * `show(value)`: display anything in the notebook as the richest bundle it has. The kernel launcher
 * also routes a cell's last expression through {@link displayLastExpression}, so `df` or `fig` at
 * the end of a cell renders like in Python notebooks.
 */
import { inspect } from "node:util";
import { escapeHtml, isDisplayable, JUPYTER_DISPLAY, MediaBundle } from "../util/media-bundle";
import { frameBundle, isFrame } from "./frame";
import { encodedImageBundle, imageMime } from "./image";
import { isPlotlyFigure, plotlyBundle } from "../util/plotly-bundle";
import { publish } from "./kernel";

function isScalar(v: unknown): boolean {
  return v === null || ["string", "number", "boolean", "bigint", "undefined"].includes(typeof v);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A flat object of scalars (versions, results, metrics) reads best as a two-column table.
function recordBundle(value: Record<string, unknown>): MediaBundle {
  const rows = Object.entries(value)
    .map(
      ([k, v]) =>
        `<tr><th style="text-align:left">${escapeHtml(k)}</th><td style="text-align:left">${escapeHtml(String(v))}</td></tr>`,
    )
    .join("");
  return { "text/html": `<table class="mldp-record">${rows}</table>`, "text/plain": inspect(value, { depth: 4 }) };
}

function withText(bundle: Record<string, unknown> | MediaBundle, value: unknown): MediaBundle {
  return typeof bundle["text/plain"] === "string"
    ? (bundle as MediaBundle)
    : { ...bundle, "text/plain": inspect(value) };
}

/** True when {@link toBundle} has something richer than text for `value`. */
export function isRich(value: unknown): boolean {
  return (
    isFrame(value) ||
    isDisplayable(value) ||
    isPlotlyFigure(value) ||
    (value instanceof Uint8Array && imageMime(value) !== undefined)
  );
}

/**
 * The media bundle for any value: DataFrames/Series as tables, displayables via
 * `[Symbol.for("Jupyter.display")]()`, plotly figures as charts, PNG/JPEG bytes as images, flat
 * records as key/value tables, everything else as `util.inspect` text.
 * @example toBundle(df)["text/html"]
 */
export function toBundle(value: unknown): MediaBundle {
  if (isFrame(value)) return frameBundle(value); // before the protocol: polars has a thinner bundle of its own
  if (isDisplayable(value)) return withText(value[JUPYTER_DISPLAY](), value);
  if (isPlotlyFigure(value)) return plotlyBundle(value);
  if (value instanceof Uint8Array && imageMime(value)) return encodedImageBundle(value);
  if (typeof value === "string") return { "text/plain": value };
  if (isPlainRecord(value) && Object.values(value).every(isScalar)) return recordBundle(value);
  return { "text/plain": inspect(value, { depth: 4 }) };
}

/**
 * Display a value in the notebook (as text outside a kernel). Raw pixels and sharp pipelines need
 * encoding first: `show(await image(pipeline))`.
 * @example show(df); show(fig); show(pngBytes)
 */
export function show(value: unknown): void {
  publish(toBundle(value));
}

/**
 * What the kernel does with a cell's last expression: rich values are displayed as bundles, the
 * rest goes to tslab's own printer (`fallback`), so plain values look as they always did.
 */
export function displayLastExpression(value: unknown, fallback: (value: unknown) => void): void {
  if (!isRich(value)) return fallback(value);
  return show(value);
}

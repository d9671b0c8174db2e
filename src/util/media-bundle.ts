/**
 * Media bundles: what a notebook output is made of. A bundle maps MIME types to values; JSON MIME
 * types carry objects (never strings) and every bundle has `text/plain`, so any frontend can show
 * something. Objects that know how to show themselves implement Deno's display protocol,
 * `[Symbol.for("Jupyter.display")]()` returning a bundle.
 */

/** MIME type → value, always with `text/plain`. */
export type MediaBundle = { "text/plain": string } & Record<string, unknown>;

/** Deno's (and nodejs-polars') display protocol symbol. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** Anything that renders itself in a notebook. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MediaBundle;
}

/** True for values implementing `[Symbol.for("Jupyter.display")]()`. */
export function isDisplayable(value: unknown): value is Displayable {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function"
  );
}

/**
 * Give a plain object a display: `bundle` becomes its `[JUPYTER_DISPLAY]` method, a non-enumerable
 * (and read-only) property, so `JSON.stringify`, `Object.keys` and spreading see only the data.
 * Returns the same object, typed as displayable.
 * @example withDisplay({ n: 3 }, () => ({ "text/plain": "three" }))
 */
export function withDisplay<T extends object>(obj: T, bundle: () => MediaBundle): T & Displayable {
  Object.defineProperty(obj, JUPYTER_DISPLAY, { value: bundle, enumerable: false });
  return obj as T & Displayable;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A displayable HTML fragment with a text fallback.
 * @example show(html("<b>done</b>", "done"))
 */
export function html(markup: string, text = markup.replace(/<[^>]*>/g, "")): Displayable {
  return { [JUPYTER_DISPLAY]: () => ({ "text/html": markup, "text/plain": text }) };
}

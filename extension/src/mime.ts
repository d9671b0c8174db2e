/**
 * Plotly mime renderer: draws `application/vnd.plotly.v1+json` outputs with a privately bundled
 * plotly.js, and caches a static PNG in the output so GitHub and nbconvert can show the figure.
 * Modelled on plotly.py `js/src/mimeExtension.ts`, without its spec mutation and untyped escapes.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import type { Config, Data, Frame, Layout } from "plotly.js-dist-min";

/** The Plotly mime type; the `v1` follows Plotly's major version of the figure schema, not plotly.js. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The static image written back into the output for viewers without JavaScript. */
export const PNG_MIME = "image/png";

/** The kernel's HTML fallback, dropped on write-back so static viewers pick the PNG. */
export const HTML_MIME = "text/html";

/** CSS class of the renderer widget. */
const CLASS_NAME = "mldp-PlotlyRenderer";

/** CSS class of the error text shown when plotly.js fails. */
const ERROR_CLASS = "mldp-PlotlyRenderer-error";

/** A Plotly figure as it appears in the mime bundle. */
export interface IPlotlyFigure {
  data?: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
  frames?: Partial<Frame>[];
}

type PlotlyModule = typeof import("plotly.js-dist-min").default;

/** plotly.js, loaded on first use and shared by every renderer (the bundle is about 4.8 MB). */
let plotly: Promise<PlotlyModule> | null = null;

function loadPlotly(): Promise<PlotlyModule> {
  if (!plotly) {
    plotly = import("plotly.js-dist-min").then((m) => (m.default ?? m) as PlotlyModule);
    // A failed chunk load (e.g. server restarted) must not poison every later render.
    plotly.catch(() => (plotly = null));
  }
  return plotly;
}

/** Read the figure from the bundle as a private deep copy, so plotly.js never mutates the model. */
function readFigure(value: unknown): IPlotlyFigure {
  // tslab's display.raw can only send strings; accept a JSON string too rather than draw nothing.
  const figure: unknown = typeof value === "string" ? JSON.parse(value) : value;
  if (figure === null || typeof figure !== "object" || Array.isArray(figure)) {
    throw new TypeError(`Plotly figure must be an object: ${JSON.stringify(figure)?.slice(0, 80)}`);
  }
  return structuredClone(figure) as IPlotlyFigure;
}

/** A widget that draws one Plotly figure and keeps it sized to its panel. */
export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  /** Create a renderer for the given mime type. */
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.addClass(CLASS_NAME);
    this._mimeType = options.mimeType;
  }

  /** Draw the figure in `model`, then cache a PNG of it in the model. Never rejects. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    try {
      const figure = readFigure(model.data[this._mimeType]);
      const Plotly = await loadPlotly();
      if (this.isDisposed) {
        return;
      }
      this.node.querySelector(`.${ERROR_CLASS}`)?.remove();
      await Plotly.react(this.node, figure.data ?? [], figure.layout ?? {}, figure.config ?? {});
      if (figure.frames?.length) {
        await Plotly.addFrames(this.node, figure.frames);
      }
      this._drawn = true;
      await this._cachePng(Plotly, model);
    } catch (error) {
      this._showError(error);
    }
  }

  /** Free plotly.js's listeners and WebGL contexts with the widget. */
  dispose(): void {
    if (this._drawn && plotly) {
      void plotly.then((Plotly) => Plotly.purge(this.node));
    }
    super.dispose();
  }

  /** A message handler invoked on an 'after-attach' message. */
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._resize();
  }

  /** A message handler invoked on an 'after-show' message. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._resize();
  }

  /** A message handler invoked on a 'resize' message. */
  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._resize();
  }

  private _resize(): void {
    // Plots.resize rejects for a hidden or undrawn div, and a hidden panel is resized on show.
    if (!this._drawn || !this.isVisible || !plotly) {
      return;
    }
    void plotly.then((Plotly) => Plotly.Plots.resize(this.node)).catch(() => undefined);
  }

  /** Write a PNG into the output (for GitHub and nbconvert), unless the same one is there. */
  private async _cachePng(Plotly: PlotlyModule, model: IRenderMime.IMimeModel): Promise<void> {
    let png: string;
    try {
      const url = await Plotly.toImage(this.node, { format: "png" });
      png = url.slice(url.indexOf(",") + 1);
    } catch (error) {
      // The interactive figure is there; only the static copy is missing.
      console.warn("ml-dataprep-ts: could not render a PNG of the Plotly figure", error);
      return;
    }
    // setData re-renders this output, so an unchanged PNG must not be written again.
    if (this.isDisposed || model.data[PNG_MIME] === png) {
      return;
    }
    const data: Record<string, IRenderMime.IMimeModel["data"][string]> = { ...model.data, [PNG_MIME]: png };
    delete data[HTML_MIME];
    model.setData({ data });
  }

  private _showError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const pre = document.createElement("pre");
    pre.className = ERROR_CLASS;
    pre.textContent = `Plotly could not draw this figure: ${message}`;
    if (this._drawn && plotly) {
      void plotly.then((Plotly) => Plotly.purge(this.node));
      this._drawn = false;
    }
    this.node.replaceChildren(pre);
  }

  private readonly _mimeType: string;
  private _drawn = false;
}

/** Renderer factory for Plotly figures; `safe` so they render in untrusted notebooks too. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  defaultRank: 2,
  createRenderer: (options) => new PlotlyRenderer(options),
};

/** The mime extension; rank 2 puts it ahead of the `text/html` fallback (rank 50). */
const extension: IRenderMime.IExtension = {
  id: "ml-dataprep-ts-labextension:plotly",
  description: "Renders Plotly figures (application/vnd.plotly.v1+json) and caches a PNG for static viewers.",
  rendererFactory,
  rank: 2,
  dataType: "json",
};

export default extension;

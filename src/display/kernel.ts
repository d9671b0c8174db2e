/**
 * The one module that talks to the tslab kernel. Everything else in ml-dataprep-ts returns values;
 * this module sends them to the notebook as media bundles.
 *
 * How: tslab's public API (`tslab.display.raw`) sends a single string-valued MIME type, which cannot
 * carry a plotly figure (JSON MIME values must be objects) or a multi-MIME bundle. tslab's own
 * `dist/jupyter.js` module exports `lastWriteDisplayData(message, update)`, the function its public
 * API calls; it accepts whole bundles. We find the instance the running kernel loaded (in
 * require.cache) and feature-detect it. If a future tslab drops it, we warn once and fall back to
 * the public API with the bundle's best single MIME type. Outside a kernel (plain Node, mocha) the
 * bundle's text/plain is printed instead.
 */
import { MediaBundle } from "../util/media-bundle";

type WriteDisplayData = (
  message: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

interface TslabJupyterModule {
  lastWriteDisplayData: WriteDisplayData | null;
}

interface TslabPublicModule {
  display: { raw(contentType: string, data: string | Uint8Array): void };
}

/** Where bundles go: the kernel's bundle writer, the public tslab API, or stdout. */
export type DisplayChannel = "bundle" | "public" | "text";

let warned = false;

function cachedModule<T>(suffix: string): T | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (mod && file.replace(/\\/g, "/").endsWith(suffix)) return mod.exports as T;
  }
  return undefined;
}

/** Which channel a display would use right now. */
export function displayChannel(): DisplayChannel {
  const jupyter = cachedModule<TslabJupyterModule>("/tslab/dist/jupyter.js");
  if (!jupyter) return "text";
  if (typeof jupyter.lastWriteDisplayData === "function") return "bundle";
  return cachedModule<TslabPublicModule>("/tslab/dist/public.js") ? "public" : "text";
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return displayChannel() !== "text";
}

function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  process.stdout.write(`ml-dataprep-ts: ${message}\n`);
}

// Preference when only one MIME type can be sent (tslab's public API).
const SINGLE_MIME_ORDER = ["text/html", "image/png", "image/jpeg", "image/svg+xml", "text/markdown", "text/plain"];

/** Options for {@link publish}. */
export interface PublishOptions {
  /** Display id: a later publish with `update: true` and the same id replaces this output. Default: none. */
  displayId?: string;
  /** Replace the output published earlier with `displayId` (update_display_data). Default false. */
  update?: boolean;
}

/**
 * Send a media bundle to the notebook (display_data, or update_display_data with `update`).
 * @example publish({ "text/plain": "hi", "text/html": "<b>hi</b>" })
 */
export function publish(bundle: MediaBundle, options: PublishOptions = {}): void {
  const { displayId, update = false } = options;
  const jupyter = cachedModule<TslabJupyterModule>("/tslab/dist/jupyter.js");
  if (jupyter && typeof jupyter.lastWriteDisplayData === "function") {
    jupyter.lastWriteDisplayData(
      { data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} },
      update,
    );
    return;
  }
  const pub = jupyter ? cachedModule<TslabPublicModule>("/tslab/dist/public.js") : undefined;
  if (pub) {
    warnOnce(
      "this tslab has no bundle writer; rich outputs fall back to one MIME type each (charts show as HTML/text).",
    );
    const mime = SINGLE_MIME_ORDER.find((m) => typeof bundle[m] === "string") ?? "text/plain";
    pub.display.raw(mime, bundle[mime] as string);
    return;
  }
  if (!update) process.stdout.write(`${bundle["text/plain"]}\n`);
}

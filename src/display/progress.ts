/**
 * Progress bars that update in place: one output, replaced with update_display_data, like tqdm in
 * Python notebooks. Outside a kernel they draw on a terminal with `\r`, or print one line when done.
 */
import { randomUUID } from "node:crypto";
import { escapeHtml, MediaBundle } from "../util/media-bundle";
import { inKernel, publish } from "./kernel";

/** Options for {@link progressBar} and {@link progress}. */
export interface ProgressOptions {
  /** Expected number of steps; without it the bar shows a count and rate only. Default: unknown. */
  total?: number;
  /** Text before the bar. Default "". */
  label?: string;
  /** Unit shown in the rate, e.g. "rows", "B". Default "it". */
  unit?: string;
  /** Minimum milliseconds between redraws. Default 100. */
  intervalMs?: number;
}

/** A progress bar you advance by hand. */
export interface ProgressBar {
  /** Advance by `delta` steps (default 1). */
  update(delta?: number): void;
  /** Set the count of steps done. */
  set(done: number): void;
  /** Final redraw; call once when the work is done. */
  close(): void;
  readonly done: number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function amount(n: number, unit: string): string {
  if (unit === "B") {
    const units = ["B", "kB", "MB", "GB"];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
  }
  return String(n);
}

/** The progress line as text and HTML (exported for tests). */
export function renderProgress(
  done: number,
  total: number | undefined,
  elapsedSec: number,
  label: string,
  unit: string,
): MediaBundle {
  const rate = elapsedSec > 0 ? done / elapsedSec : 0;
  const rateText = unit === "B" ? `${amount(rate, "B")}/s` : `${rate.toFixed(rate < 10 ? 2 : 1)} ${unit}/s`;
  const known = total !== undefined && total > 0;
  const fraction = known ? Math.min(1, done / total) : 0;
  const eta = known && rate > 0 ? (total - done) / rate : NaN;
  const counts = known ? `${amount(done, unit)}/${amount(total, unit)}` : amount(done, unit);
  const timing = known ? `[${clock(elapsedSec)}<${clock(eta)}, ${rateText}]` : `[${clock(elapsedSec)}, ${rateText}]`;
  const width = 30;
  const filled = Math.round(fraction * width);
  const bar = known ? `|${"█".repeat(filled)}${" ".repeat(width - filled)}| ${Math.floor(fraction * 100)}%` : "";
  const prefix = label ? `${label}: ` : "";
  const text = `${prefix}${bar ? bar + " " : ""}${counts} ${timing}`;
  const pct = (fraction * 100).toFixed(1);
  const meter = known
    ? `<span style="display:inline-block;width:14em;height:0.9em;border:1px solid #999;border-radius:2px;vertical-align:middle;margin:0 0.5em">` +
      `<span style="display:block;height:100%;width:${pct}%;background:#3c8dbc"></span></span>${Math.floor(fraction * 100)}% `
    : "";
  const htmlText =
    `<div class="mldp-progress" style="font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,13px)">` +
    `${escapeHtml(prefix)}${meter}${escapeHtml(counts)} ${escapeHtml(timing)}</div>`;
  return { "text/plain": text, "text/html": htmlText };
}

/**
 * A progress bar that redraws in place.
 * @example const bar = progressBar({ total: files.length, label: "copy" }); for (const f of files) { copy(f);
 * bar.update(); } bar.close();
 */
export function progressBar(options: ProgressOptions = {}): ProgressBar {
  const { total, label = "", unit = "it", intervalMs = 100 } = options;
  const start = Date.now();
  const displayId = randomUUID();
  const kernel = inKernel();
  const tty = !kernel && Boolean(process.stderr.isTTY);
  let done = 0;
  let drawn = false;
  let lastDraw = 0;
  let closed = false;

  const draw = (final: boolean) => {
    const bundle = renderProgress(done, total, (Date.now() - start) / 1000, label, unit);
    if (kernel) {
      publish(bundle, { displayId, update: drawn });
    } else if (tty) {
      process.stderr.write(`\r${bundle["text/plain"]}${final ? "\n" : ""}`);
    } else if (final) {
      process.stdout.write(`${bundle["text/plain"]}\n`);
    }
    drawn = true;
    lastDraw = Date.now();
  };

  const maybeDraw = () => {
    if (!closed && Date.now() - lastDraw >= intervalMs) draw(false);
  };

  draw(false);
  return {
    update(delta = 1) {
      done += delta;
      maybeDraw();
    },
    set(n: number) {
      done = n;
      maybeDraw();
    },
    close() {
      if (closed) return;
      draw(true);
      closed = true;
    },
    get done() {
      return done;
    },
  };
}

/**
 * A progress callback for the engines' `onProgress` options (downloads, batch work): the bar appears on the
 * first call, takes its total from the callback when the caller does not know it, and closes itself when
 * `done` reaches the total.
 * @example const churn = await loadChurn({ onProgress: progressCallback({ label: "churn.txt", unit: "B" }) });
 */
export function progressCallback(options: ProgressOptions = {}): (done: number, total?: number) => void {
  let bar: ProgressBar | undefined;
  let total: number | undefined;
  return (done, reported) => {
    if (!bar) {
      total = reported ?? options.total;
      bar = progressBar({ ...options, total });
    }
    bar.set(done);
    if (total !== undefined && done >= total) bar.close();
  };
}

/**
 * Iterate with a progress bar, like Python's tqdm.
 * @example for await (const file of progress(files, { label: "resize" })) await resize(file);
 */
export async function* progress<T>(
  items: Iterable<T> | AsyncIterable<T>,
  options: ProgressOptions = {},
): AsyncGenerator<T> {
  const total = options.total ?? (Array.isArray(items) ? items.length : undefined);
  const bar = progressBar({ ...options, total });
  try {
    for await (const item of items as AsyncIterable<T>) {
      yield item;
      bar.update();
    }
  } finally {
    bar.close();
  }
}

/**
 * Download many files (COCO's `coco_url` images) with a fixed number of transfers at once, each retried
 * with exponential backoff on network failures, timeouts, truncation and 5xx answers, and summarised at
 * the end: what came from the network, what from the cache, and what failed with which reason.
 *
 * A failed file leaves nothing at its `dest` (each transfer goes through a temp file and is renamed only
 * once complete and verified). What happens then is the caller's choice, `onFailure`:
 * - "fail" (default): after every task has finished, throw a {@link DownloadFailuresError} listing the
 *   failures (the files that did download stay in place and count as cached next time);
 * - "skip": return the summary; `summary.failed` lists what is missing.
 */
import { DownloadFailuresError, type DownloadFailure } from "./download-errors";
import { downloadResumable } from "./resumable-download";
import { attemptsOf, type RetryOptions } from "./retry";

/** One file for {@link downloadAll}. */
export interface DownloadTask {
  /** Where to get it. */
  url: string;
  /** Where to put it. */
  dest: string;
  /** Expected sha256, hex. Default: not checked. */
  sha256?: string;
  /** Expected md5, hex. Default: not checked. */
  md5?: string;
  /** Expected size in bytes. Default: the announced length. */
  size?: number;
}

/** Options for {@link downloadAll}. */
export interface DownloadAllOptions extends RetryOptions {
  /** Transfers at the same time. Default 8 (the workshop used 20 threads). */
  concurrency?: number;
  /** "fail": throw a DownloadFailuresError after all tasks when any failed; "skip": return. Default "fail". */
  onFailure?: "fail" | "skip";
  /** Milliseconds without progress before one attempt fails. Default 30000. */
  timeoutMs?: number;
  /** No network (verified files in place or NetworkError `EOFFLINE`). Default false; `MLDP_OFFLINE=1` forces it. */
  offline?: boolean;
  /** Called with (files finished, files in all) after each file, downloaded or failed. Default: none. */
  onProgress?: (done: number, total: number) => void;
}

/** One file that {@link downloadAll} got. */
export interface DownloadedFile {
  url: string;
  dest: string;
  bytes: number;
  sha256: string;
  /** true when a verified `dest` was already there. */
  fromCache: boolean;
  /** Requests made (0 from the cache). */
  attempts: number;
}

/** What {@link downloadAll} did. */
export interface DownloadSummary {
  /** Tasks given. */
  total: number;
  /** Files fetched over the network now. */
  downloaded: number;
  /** Files already in place and verified. */
  fromCache: number;
  /** Retries used over all files (attempts beyond the first). */
  retries: number;
  /** The files that could not be had, in task order. */
  failed: DownloadFailure[];
  /** The files in place, in task order. */
  files: DownloadedFile[];
}

/**
 * Download every task's file, `concurrency` at a time, with retries; see the module comment for failures.
 * @example const summary = await downloadAll(cocoImageTasks(images, "out/image/sample"), { concurrency: 20,
 * onFailure: "skip" });
 */
export async function downloadAll(tasks: DownloadTask[], options: DownloadAllOptions = {}): Promise<DownloadSummary> {
  const { concurrency = 8, onFailure = "fail", timeoutMs = 30_000, onProgress, retries = 3, seed = 0 } = options;
  const { baseDelayMs, maxDelayMs, jitter, sleep, retryIf, offline = false } = options;
  if (!Array.isArray(tasks)) throw new TypeError(`downloadAll tasks must be an array, got ${typeof tasks}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    throw new RangeError(`downloadAll concurrency is invalid: ${concurrency} (expected an integer >= 1)`);
  if (onFailure !== "fail" && onFailure !== "skip")
    throw new RangeError(`downloadAll onFailure is invalid: ${onFailure} (expected "fail" or "skip")`);
  const seen = new Map<string, number>();
  tasks.forEach((t, i) => {
    if (typeof t?.url !== "string" || typeof t?.dest !== "string")
      throw new TypeError(`downloadAll task ${i} must have string url and dest`);
    const first = seen.get(t.dest);
    if (first !== undefined)
      throw new RangeError(`downloadAll task ${i} has the same dest as task ${first}: ${t.dest}`);
    seen.set(t.dest, i);
  });

  const outcomes: Array<DownloadedFile | DownloadFailure> = new Array(tasks.length);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const { url, dest, sha256, md5, size } = tasks[i];
      try {
        const got = await downloadResumable(url, dest, {
          sha256,
          md5,
          size,
          timeoutMs,
          retries,
          baseDelayMs,
          maxDelayMs,
          jitter,
          sleep,
          retryIf,
          seed: seed + i, // the same waits whatever order the files finish in
          resume: false,
          offline,
        });
        outcomes[i] = {
          url,
          dest,
          bytes: got.bytes,
          sha256: got.sha256,
          fromCache: got.fromCache,
          attempts: got.attempts,
        };
      } catch (e) {
        outcomes[i] = { url, dest, reason: (e as Error)?.message ?? String(e), attempts: attemptsOf(e) };
      }
      onProgress?.(++finished, tasks.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));

  const files = outcomes.filter((x): x is DownloadedFile => "sha256" in x);
  const failed = outcomes.filter((x): x is DownloadFailure => "reason" in x);
  const summary: DownloadSummary = {
    total: tasks.length,
    downloaded: files.filter((f) => !f.fromCache).length,
    fromCache: files.filter((f) => f.fromCache).length,
    retries: outcomes.reduce((n, x) => n + Math.max(0, x.attempts - 1), 0),
    failed,
    files,
  };
  if (failed.length > 0 && onFailure === "fail") throw new DownloadFailuresError(failureMessage(summary), failed);
  return summary;
}

/** "downloads failed: 2 of 12 files (a: HTTP 404 ...; b: ...)", at most 10 listed. */
function failureMessage(s: DownloadSummary): string {
  const listed = s.failed.slice(0, 10).map((f) => `${f.url}: ${f.reason}`);
  if (s.failed.length > 10) listed.push(`and ${s.failed.length - 10} more`);
  return `downloads failed: ${s.failed.length} of ${s.total} files (expected all; pass onFailure: "skip" to go on without them): ${listed.join("; ")}`;
}

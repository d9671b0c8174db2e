/**
 * Download a file over HTTP(S) into a cache: redirects are followed (at most 5), and the file is renamed
 * into place only once its byte count and sha256 are right. A failure leaves no partial file, and a file
 * already at the destination is replaced only by a verified download. The
 * transfer itself is `downloadResumable` (resumable-download.ts) with resuming turned off.
 * `MLDP_OFFLINE=1` in the environment forbids the network to every loader ({@link offlineForced}).
 */
import { NetworkError } from "./download-errors";
import { offlineForced } from "./offline";
import { downloadResumable, fileDigests, verifyFile } from "./resumable-download";

export { NetworkError, offlineForced };

/** Options for {@link download}. */
export interface DownloadOptions {
  /** Expected sha256 of the body, hex. Default: not checked. */
  sha256?: string;
  /** Expected size in bytes. Default: Content-Length when the server sends one, else not checked. */
  size?: number;
  /** Called with (bytes so far, total bytes or undefined) when the body starts and after each chunk. Default: none. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Milliseconds without progress (DNS, connect, headers or body) before giving up. Default 30000. */
  timeoutMs?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
}

/** What {@link download} did. */
export interface DownloadResult {
  /** The file, `dest`. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** sha256 of the file, hex. */
  sha256: string;
  /** true when an existing, verified `dest` was used without any network access. */
  fromCache: boolean;
}

const DEFAULTS = { timeoutMs: 30_000, maxRedirects: 5 };

/**
 * sha256 (hex) and size of a file, streamed.
 * @example const { bytes, sha256 } = await fileDigest("out/cache/churn.txt");
 */
export async function fileDigest(file: string): Promise<{ bytes: number; sha256: string }> {
  const { bytes, sha256 } = await fileDigests(file);
  return { bytes, sha256 };
}

/**
 * Whether `file` exists and matches the expected size and sha256 (each checked only when given).
 * @example if (await isCached("out/cache/churn.txt", { size: 974286 })) { ... }
 */
export async function isCached(file: string, expected: { size?: number; sha256?: string } = {}): Promise<boolean> {
  return verifyFile(file, expected);
}

/**
 * Download `url` to `dest`, verified by size and sha256; an existing `dest` that passes the checks is
 * reused without touching the network (with no checks given, any existing `dest` is reused). With
 * `MLDP_OFFLINE=1` anything else throws a {@link NetworkError} (code `EOFFLINE`) without a request.
 * @example const { path } = await download("https://example.com/data.csv", "out/cache/data.csv", { sha256: "ab12…" });
 */
export async function download(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const { sha256, size, onProgress, timeoutMs, maxRedirects } = { ...DEFAULTS, ...options };
  // The resumable implementation, without keeping a part: a failed download() leaves nothing behind.
  const got = await downloadResumable(url, dest, { sha256, size, onProgress, timeoutMs, maxRedirects, resume: false });
  return { path: got.path, bytes: got.bytes, sha256: got.sha256, fromCache: got.fromCache };
}

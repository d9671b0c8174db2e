/**
 * Download a file over HTTP(S) into a cache: redirects are followed (at most 5), and the file is renamed
 * into place only once its byte count and sha256 are right. On any failure nothing is left behind. The
 * transfer itself is `downloadResumable` (resumable-download.ts) with resuming turned off.
 * `MLDP_OFFLINE=1` in the environment forbids the network to every loader ({@link offlineForced}).
 */
import { downloadResumable, fileDigests, verifyFile } from "./resumable-download";

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

import { NetworkError } from "./download-errors";
export { NetworkError };

const DEFAULTS = { timeoutMs: 30_000, maxRedirects: 5 };

/** The environment variable that forces every loader onto its offline path. */
const OFFLINE_ENV = "MLDP_OFFLINE";

/**
 * Whether the environment forces the offline path: `MLDP_OFFLINE=1` (or `true`/`yes`, any case). Unset, empty,
 * `0`, `false` or `no` allow the network; anything else is an error rather than a silent guess. Every loader
 * asks this one function, and {@link download} itself refuses the network when it is true.
 * @example if (offlineForced()) return embeddedCopy();
 */
export function offlineForced(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env[OFFLINE_ENV] ?? "").trim().toLowerCase();
  if (value === "" || value === "0" || value === "false" || value === "no") return false;
  if (value === "1" || value === "true" || value === "yes") return true;
  throw new RangeError(`${OFFLINE_ENV} is invalid: ${JSON.stringify(env[OFFLINE_ENV])} (expected 1 or 0)`);
}

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
  if (typeof url !== "string" || typeof dest !== "string") throw new TypeError("download url and dest must be strings");
  const protocol = new URL(url).protocol;
  if (protocol !== "http:" && protocol !== "https:")
    throw new TypeError(`download url protocol is not supported: ${protocol} (expected http: or https:)`);
  if (size !== undefined && !(Number.isInteger(size) && size >= 0))
    throw new RangeError(`download size is invalid: ${size} (expected an integer >= 0)`);
  if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256))
    throw new RangeError(`download sha256 is invalid: ${sha256} (expected 64 hex digits)`);
  if (!(timeoutMs > 0)) throw new RangeError(`download timeoutMs is invalid: ${timeoutMs} (expected > 0)`);

  if (offlineForced() && !(await isCached(dest, { size, sha256 })))
    throw new NetworkError(`download skipped: ${OFFLINE_ENV}=1 forbids network access: ${url}`, "EOFFLINE");
  // The resumable implementation, without keeping a part: a failed download() leaves nothing behind.
  const got = await downloadResumable(url, dest, { sha256, size, onProgress, timeoutMs, maxRedirects, resume: false });
  return { path: got.path, bytes: got.bytes, sha256: got.sha256, fromCache: got.fromCache };
}

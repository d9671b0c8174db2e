/**
 * Download a file over HTTP(S) into a cache, with Node's own http/https (no packages): redirects are
 * followed (at most 5), the body streams into a temp file beside `dest`, and the temp file is renamed
 * into place only once its byte count and sha256 are right. On any failure nothing is left behind.
 * `MLDP_OFFLINE=1` in the environment forbids the network to every loader ({@link offlineForced}).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DataPrepError, FormatError } from "../util/errors";
import { withAtomicFile } from "./atomic";

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

/**
 * The network could not be reached or did not answer (DNS failure, refused or reset connection,
 * timeout): the usual signs of being offline, as opposed to a server that answered with bad data.
 * @example try { await download(url, dest); } catch (e) { if (e instanceof NetworkError) useOfflineCopy(); else throw
 * e; }
 */
export class NetworkError extends DataPrepError {
  /**
   * Node's error code (`ENOTFOUND`, `ECONNREFUSED`, ...), `ETIMEDOUT` for our own timeout, `EOFFLINE` when
   * `MLDP_OFFLINE=1` forbids the network.
   */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

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
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

/**
 * Whether `file` exists and matches the expected size and sha256 (each checked only when given).
 * @example if (await isCached("out/cache/churn.txt", { size: 974286 })) { ... }
 */
export async function isCached(file: string, expected: { size?: number; sha256?: string } = {}): Promise<boolean> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return false;
  }
  if (!stat.isFile() || (expected.size !== undefined && stat.size !== expected.size)) return false;
  if (expected.sha256 === undefined) return true;
  return (await fileDigest(file)).sha256 === expected.sha256.toLowerCase();
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

  if (await isCached(dest, { size, sha256 })) {
    const digest = await fileDigest(dest);
    return { path: dest, ...digest, fromCache: true };
  }
  if (offlineForced())
    throw new NetworkError(`download skipped: ${OFFLINE_ENV}=1 forbids network access: ${url}`, "EOFFLINE");
  // A cached copy that fails verification is useless: drop it so a failed download leaves nothing.
  fs.rmSync(dest, { force: true });
  const digest = await withAtomicFile(dest, (tmp) =>
    fetchTo(url, tmp, { sha256: sha256?.toLowerCase(), size, onProgress, timeoutMs, maxRedirects }),
  );
  return { path: dest, ...digest, fromCache: false };
}

interface FetchOptions {
  sha256?: string;
  size?: number;
  onProgress?: (done: number, total: number | undefined) => void;
  timeoutMs: number;
  maxRedirects: number;
}

/** One GET with redirects, streaming the body into `tmp`; verifies count and hash. */
async function fetchTo(url: string, tmp: string, options: FetchOptions): Promise<{ bytes: number; sha256: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let current = url;
  try {
    let response: http.IncomingMessage | undefined;
    for (let hops = 0; ; hops++) {
      try {
        response = await get(current, controller.signal);
      } catch (e) {
        const where = current === url ? url : `${current} (redirected from ${url})`;
        const code = (e as NodeJS.ErrnoException).code ?? "EIO";
        if (controller.signal.aborted)
          throw new NetworkError(
            `download timed out: no answer within ${options.timeoutMs} ms: ${where}`,
            "ETIMEDOUT",
            { cause: e },
          );
        throw new NetworkError(`download failed: ${code === "EIO" ? (e as Error).message : code}: ${where}`, code, {
          cause: e,
        });
      }
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (hops >= options.maxRedirects)
          throw new DataPrepError(
            `download failed: too many redirects: ${url} (expected at most ${options.maxRedirects})`,
          );
        current = new URL(response.headers.location, current).toString();
        timer.refresh();
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw new DataPrepError(
          `download failed: HTTP ${status} ${response.statusMessage ?? ""}: ${current}`.replace(" :", ":") +
            (current !== url ? ` (redirected from ${url})` : ""),
        );
      }
      break;
    }
    const header = response.headers["content-length"];
    const contentLength = header === undefined ? undefined : Number(header);
    if (options.size !== undefined && contentLength !== undefined && contentLength !== options.size) {
      response.resume();
      throw new FormatError(
        `download has the wrong size: ${contentLength} bytes announced (expected ${options.size}): ${url}`,
      );
    }
    const total = contentLength ?? options.size;
    const hash = createHash("sha256");
    let bytes = 0;
    options.onProgress?.(0, total);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        hash.update(chunk);
        timer.refresh();
        options.onProgress?.(bytes, total);
        done(null, chunk);
      },
    });
    try {
      await pipeline(response, meter, fs.createWriteStream(tmp), { signal: controller.signal });
    } catch (e) {
      if (controller.signal.aborted)
        throw new NetworkError(
          `download timed out: no data for ${options.timeoutMs} ms after ${bytes} bytes: ${url}`,
          "ETIMEDOUT",
          { cause: e },
        );
      if (total !== undefined && bytes < total)
        throw new FormatError(`download truncated: got ${bytes} bytes (expected ${total}): ${url}`, { cause: e });
      throw new NetworkError(
        `download failed: ${(e as Error).message}: ${url}`,
        (e as NodeJS.ErrnoException).code ?? "EIO",
        { cause: e },
      );
    }
    if (total !== undefined && bytes !== total)
      throw new FormatError(`download truncated: got ${bytes} bytes (expected ${total}): ${url}`);
    const digest = hash.digest("hex");
    if (options.sha256 !== undefined && digest !== options.sha256) {
      throw new FormatError(`download checksum mismatch: sha256 ${digest} (expected ${options.sha256}): ${url}`);
    }
    return { bytes, sha256: digest };
  } finally {
    clearTimeout(timer);
  }
}

/** Resolve with the response (headers received) of a GET. */
function get(url: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = new URL(url).protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    client.get(url, { signal }, resolve).on("error", reject);
  });
}

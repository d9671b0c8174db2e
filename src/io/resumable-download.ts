/**
 * Download one file over HTTP(S) with Node's own http/https, resuming a partial transfer.
 *
 * The body streams into `<dest>.part`; `<dest>.part.json` records the URL and the server's validator
 * (a strong ETag or Last-Modified). After a dropped connection or a timeout the part stays, and the next
 * attempt (a retry of this call, or a later call) asks for the rest with `Range: bytes=N-` and `If-Range`:
 * - 206 with `Content-Range: bytes N-…/total` appends to the part;
 * - 200 (the server ignores Range, or the file changed so If-Range failed) starts over from byte 0;
 * - 416 with `Content-Range: bytes *\/N` and N = the part's size means the part is complete: it is verified;
 *   any other 416 or 206 starts over.
 * A part with no validator is resumed only when a checksum will catch a changed file. Only a verified file
 * (byte count, and size, sha256, md5 when given) is renamed onto `dest`; a checksum failure deletes the part.
 * Calls for the same `dest` in one process run one after the other; two processes must not download the
 * same `dest` at once (they would append to one part).
 */
import { createHash, type Hash } from "node:crypto";
import * as fs from "node:fs";
import type * as http from "node:http";
import * as path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DataPrepError, FormatError } from "../util/errors";
import { tempPath, writeFileAtomic } from "./atomic";
import { HttpError, isRetryable, NetworkError, TruncatedDownloadError } from "./download-errors";
import { httpGet } from "./http-get";
import { OFFLINE_ENV, offlineForced } from "./offline";
import { type RetryOptions, withRetries } from "./retry";

/** Options for {@link downloadResumable}. Retry options apply to network failures, truncation and 5xx. */
export interface ResumableDownloadOptions extends RetryOptions {
  /** Expected sha256 of the file, hex. Default: not checked. */
  sha256?: string;
  /** Expected md5 of the file, hex (CIFAR-10 and COCO publish md5s). Default: not checked. */
  md5?: string;
  /** Expected size in bytes. Default: the announced length when the server sends one, else not checked. */
  size?: number;
  /** Called with (bytes of the file so far, total or undefined) when the body starts and after each chunk. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Milliseconds without progress (connect, headers or body) before the attempt fails. Default 30000. */
  timeoutMs?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Keep `<dest>.part` after a failed transfer and continue from it. false: a temp file, removed on failure. */
  resume?: boolean;
  /**
   * No network: a verified `dest` is still returned, anything else throws a NetworkError with code `EOFFLINE`
   * before any request. Default false.
   */
  offline?: boolean;
}

/** What {@link downloadResumable} did. */
export interface ResumableDownloadResult {
  /** The file, `dest`. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** sha256 of the file, hex. */
  sha256: string;
  /** md5 of the file, hex. */
  md5: string;
  /** true when an existing, verified `dest` was used without any network access. */
  fromCache: boolean;
  /** Bytes taken from an earlier partial file (0 when the whole body came in one transfer). */
  resumedFrom: number;
  /** Requests sequences made (1 + retries used); 0 from the cache. */
  attempts: number;
}

/** What one transfer gives {@link downloadResumable}. */
type Transfer = Omit<ResumableDownloadResult, "path" | "fromCache" | "attempts">;

type Options = Required<Pick<ResumableDownloadOptions, "timeoutMs" | "maxRedirects" | "resume">> &
  ResumableDownloadOptions;

interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

const DEFAULTS = { timeoutMs: 30_000, maxRedirects: 5, resume: true };
const busy = new Map<string, Promise<unknown>>();

/**
 * Size, sha256 and md5 (hex) of a file, streamed.
 * @example const { bytes, md5 } = await fileDigests("out/cache/cifar-10-binary.tar.gz");
 */
export async function fileDigests(file: string): Promise<{ bytes: number; sha256: string; md5: string }> {
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  const bytes = await hashFile(file, [sha, md5]);
  return { bytes, sha256: sha.digest("hex"), md5: md5.digest("hex") };
}

/**
 * Whether `file` is a regular file with the expected size, sha256 and md5 (each checked only when given).
 * @example if (await verifyFile(tarball, { size: 170_052_171, md5: "c32a…" })) useIt();
 */
export async function verifyFile(
  file: string,
  expected: { size?: number; sha256?: string; md5?: string } = {},
): Promise<boolean> {
  if (expected.sha256 === undefined && expected.md5 === undefined) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat !== undefined && stat.isFile() && (expected.size === undefined || stat.size === expected.size);
  }
  return (await checkedDigests(file, expected)) !== undefined;
}

/** The file's digests when it passes the checks, else undefined; one read of the file at most. */
async function checkedDigests(
  file: string,
  expected: { size?: number; sha256?: string; md5?: string },
): Promise<{ bytes: number; sha256: string; md5: string } | undefined> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || (expected.size !== undefined && stat.size !== expected.size)) return undefined;
  const d = await fileDigests(file);
  const ok =
    (expected.sha256 === undefined || d.sha256 === expected.sha256.toLowerCase()) &&
    (expected.md5 === undefined || d.md5 === expected.md5.toLowerCase());
  return ok ? d : undefined;
}

/**
 * Download `url` to `dest`, resuming an earlier partial transfer, verified before it is renamed into place;
 * an existing `dest` that passes the checks is reused without touching the network.
 * @example await downloadResumable(CIFAR10_BINARY.url, "out/cache/cifar.tar.gz", { md5: "c32a…", retries: 3 });
 */
export async function downloadResumable(
  url: string,
  dest: string,
  options: ResumableDownloadOptions = {},
): Promise<ResumableDownloadResult> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: Options = { ...DEFAULTS, ...given };
  checkArguments(url, dest, o);
  // One transfer per dest in this process (a notebook cell run twice): a second call waits for the first,
  // then finds the file in place. Other processes are not coordinated with.
  const key = path.resolve(dest);
  const run = (busy.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => _downloadResumable(url, dest, o));
  busy.set(key, run);
  try {
    return await run;
  } finally {
    if (busy.get(key) === run) busy.delete(key);
  }
}

/** {@link downloadResumable} on checked options. */
async function _downloadResumable(url: string, dest: string, o: Options): Promise<ResumableDownloadResult> {
  const sha256 = o.sha256?.toLowerCase();
  const md5 = o.md5?.toLowerCase();
  const cached = await checkedDigests(dest, { size: o.size, sha256, md5 });
  if (cached) return { path: dest, ...cached, fromCache: true, resumedFrom: 0, attempts: 0 };
  if (o.offline) throw new NetworkError(`download skipped: offline, network access is off: ${url}`, "EOFFLINE");
  if (offlineForced())
    throw new NetworkError(`download skipped: ${OFFLINE_ENV}=1 forbids network access: ${url}`, "EOFFLINE");
  // A file already at dest that fails verification is never the result, but it is only replaced by the rename
  // of a verified download: a failed download leaves it as it was.
  if (fs.statSync(dest, { throwIfNoEntry: false })?.isDirectory())
    throw new DataPrepError(`download dest is a folder: ${dest} (expected a file path)`);
  fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
  const part = o.resume ? `${dest}.part` : tempPath(dest);
  let attempts = 0;
  try {
    const got = await withRetries((k) => {
      attempts = k;
      return attempt(url, part, { ...o, sha256, md5 });
    }, o);
    fs.renameSync(part, dest);
    fs.rmSync(`${part}.json`, { force: true });
    return { path: dest, ...got, fromCache: false, attempts };
  } catch (e) {
    // Keep a part worth resuming (the transfer broke off); anything else is dropped.
    if (!o.resume || !isRetryable(e)) discard(part);
    throw e;
  }
}

function checkArguments(url: string, dest: string, o: Options): void {
  if (typeof url !== "string" || typeof dest !== "string") throw new TypeError("download url and dest must be strings");
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new RangeError(`download url is invalid: ${JSON.stringify(url)} (expected an http: or https: URL)`);
  }
  if (protocol !== "http:" && protocol !== "https:")
    throw new TypeError(`download url protocol is not supported: ${protocol} (expected http: or https:)`);
  if (o.size !== undefined && !(Number.isInteger(o.size) && o.size >= 0))
    throw new RangeError(`download size is invalid: ${o.size} (expected an integer >= 0)`);
  if (o.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.sha256))
    throw new RangeError(`download sha256 is invalid: ${o.sha256} (expected 64 hex digits)`);
  if (o.md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(o.md5))
    throw new RangeError(`download md5 is invalid: ${o.md5} (expected 32 hex digits)`);
  if (!(o.timeoutMs > 0)) throw new RangeError(`download timeoutMs is invalid: ${o.timeoutMs} (expected > 0)`);
}

function discard(part: string): void {
  fs.rmSync(part, { force: true });
  fs.rmSync(`${part}.json`, { force: true });
}

/** Where to resume `part` from, and its validator; a part that cannot be resumed safely is deleted. */
function resumePoint(part: string, url: string, o: Options): { offset: number; meta?: PartMeta } {
  if (!o.resume) return { offset: 0 };
  let size = 0;
  let meta: PartMeta | undefined;
  try {
    size = fs.statSync(part).size;
    meta = JSON.parse(fs.readFileSync(`${part}.json`, "utf8")) as PartMeta;
  } catch {
    meta = undefined;
  }
  const checked = meta?.etag !== undefined || meta?.lastModified !== undefined || o.sha256 || o.md5;
  const usable = meta?.url === url && size > 0 && (o.size === undefined || size <= o.size) && checked;
  if (!usable) {
    discard(part);
    return { offset: 0 };
  }
  return { offset: size, meta };
}

/** One transfer: request (from the resume point), stream into the part, verify. */
async function attempt(url: string, part: string, o: Options): Promise<Transfer> {
  let { offset, meta } = resumePoint(part, url, o);
  // Hash the part before asking for the rest (and before the clock starts), so nothing waits on the disk.
  const prefix = [createHash("sha256"), createHash("md5")];
  if (offset > 0) await hashFile(part, prefix);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutMs);
  try {
    for (;;) {
      const response = await httpGet(url, rangeHeaders(offset, meta), { ...o, signal: controller.signal, timer });
      const status = response.statusCode ?? 0;
      const range = parseContentRange(response.headers["content-range"]);
      if (offset > 0 && status === 416 && range?.start === undefined && range?.total === offset) {
        response.resume(); // the part already holds the whole file
        const [sha256, md5] = prefix.map((h) => h.digest("hex"));
        return finish(url, part, offset, { sha256, md5 }, offset, o);
      }
      if (offset > 0 && (status === 416 || (status === 206 && range?.start !== offset))) {
        response.resume();
        discard(part);
        offset = 0;
        meta = undefined;
        continue;
      }
      if (status !== 200 && !(status === 206 && offset > 0)) {
        response.resume();
        const where = response.url === url ? url : `${response.url} (redirected from ${url})`;
        throw new HttpError(
          `download failed: HTTP ${status} ${response.statusMessage ?? ""}: ${where}`.replace(" :", ":"),
          status,
          response.url,
        );
      }
      if (status === 200) offset = 0;
      const hashes = offset > 0 ? prefix : [createHash("sha256"), createHash("md5")];
      return await receive(url, part, response, { offset, hashes, rangeTotal: range?.total }, controller, timer, o);
    }
  } finally {
    clearTimeout(timer);
  }
}

function rangeHeaders(offset: number, meta?: PartMeta): Record<string, string> {
  if (offset === 0) return {};
  const validator = meta?.etag ?? meta?.lastModified;
  return { Range: `bytes=${offset}-`, ...(validator === undefined ? {} : { "If-Range": validator }) };
}

/** `bytes a-b/total`, `bytes a-b/*` or `bytes *\/total`. */
function parseContentRange(header: string | undefined): { start?: number; total?: number } | undefined {
  const m = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(header?.trim() ?? "");
  if (!m) return undefined;
  return { start: m[1] === undefined ? undefined : Number(m[1]), total: m[2] === "*" ? undefined : Number(m[2]) };
}

/** Stream the body after `offset` bytes into the part (appending when offset > 0). */
async function receive(
  url: string,
  part: string,
  response: http.IncomingMessage & { url: string },
  from: { offset: number; hashes: Hash[]; rangeTotal: number | undefined },
  controller: AbortController,
  timer: NodeJS.Timeout,
  o: Options,
): Promise<Transfer> {
  const { offset, hashes, rangeTotal } = from;
  const header = response.headers["content-length"];
  const announced = offset > 0 ? rangeTotal : header === undefined ? undefined : Number(header);
  if (o.size !== undefined && announced !== undefined && announced !== o.size) {
    response.resume();
    throw new FormatError(`download has the wrong size: ${announced} bytes announced (expected ${o.size}): ${url}`);
  }
  const total = announced ?? o.size;
  if (o.resume) {
    const etag = response.headers.etag;
    const meta: PartMeta = { url, lastModified: response.headers["last-modified"] };
    if (etag !== undefined && !etag.startsWith("W/")) meta.etag = etag; // If-Range takes strong ETags only
    writeFileAtomic(`${part}.json`, JSON.stringify(meta));
  }
  let bytes = offset;
  o.onProgress?.(bytes, total);
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      for (const h of hashes) h.update(chunk);
      timer.refresh();
      o.onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
  // A broken or aborted body ends the stream instead of failing the pipeline, so every byte received is
  // flushed to the part (a pipeline error would destroy the file stream with writes still pending).
  let broken: unknown;
  async function* body() {
    try {
      for await (const chunk of response) yield chunk as Buffer;
    } catch (e) {
      broken = e;
    }
  }
  try {
    await pipeline(body, meter, fs.createWriteStream(part, { flags: offset > 0 ? "a" : "w" }));
  } catch (e) {
    throw new DataPrepError(`download cannot write its part file: ${(e as Error).message}: ${part}`, { cause: e });
  }
  const cause = { cause: broken };
  if (controller.signal.aborted)
    throw new NetworkError(
      `download timed out: no data for ${o.timeoutMs} ms after ${bytes} bytes: ${url}`,
      "ETIMEDOUT",
      cause,
    );
  if (total !== undefined && bytes < total)
    throw new TruncatedDownloadError(`download truncated: got ${bytes} bytes (expected ${total}): ${url}`, cause);
  if (broken !== undefined) {
    const code = (broken as NodeJS.ErrnoException).code ?? "EIO";
    throw new NetworkError(`download failed: ${(broken as Error).message}: ${url}`, code, cause);
  }
  const [sha256, md5] = hashes.map((h) => h.digest("hex"));
  return finish(url, part, bytes, { sha256, md5 }, offset, o);
}

/** Verify a complete part; on a mismatch it is deleted (a resumed part may hold a stale beginning). */
function finish(
  url: string,
  part: string,
  bytes: number,
  digests: { sha256: string; md5: string },
  resumedFrom: number,
  o: Options,
): Transfer {
  const fail = (message: string) => {
    discard(part);
    return new FormatError(`${message}: ${url}${resumedFrom > 0 ? ` (resumed at byte ${resumedFrom})` : ""}`);
  };
  if (o.size !== undefined && bytes !== o.size)
    throw fail(`download has the wrong size: ${bytes} bytes (expected ${o.size})`);
  if (o.sha256 !== undefined && digests.sha256 !== o.sha256)
    throw fail(`download checksum mismatch: sha256 ${digests.sha256} (expected ${o.sha256})`);
  if (o.md5 !== undefined && digests.md5 !== o.md5)
    throw fail(`download checksum mismatch: md5 ${digests.md5} (expected ${o.md5})`);
  return { bytes, ...digests, resumedFrom };
}

async function hashFile(file: string, hashes: Hash[]): Promise<number> {
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    for (const h of hashes) h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

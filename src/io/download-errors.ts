/**
 * The ways a download fails, as classes a caller can tell apart: the network (offline, refused, timed
 * out), an HTTP status, a body cut short, and, for many files at once, the list of those that failed.
 * {@link isRetryable} says which of them another attempt may cure.
 */
import { DataPrepError, FormatError } from "../util/errors";

/**
 * The network could not be reached or did not answer (DNS failure, refused or reset connection,
 * timeout): the usual signs of being offline, as opposed to a server that answered with bad data.
 * @example try { await download(url, dest); } catch (e) { if (e instanceof NetworkError) useOfflineCopy(); else throw
 * e; }
 */
export class NetworkError extends DataPrepError {
  /**
   * Node's error code (`ENOTFOUND`, `ECONNREFUSED`, ...), `ETIMEDOUT` for our own timeout, `EOFFLINE` when the
   * caller (or the environment) forbids the network.
   */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The server answered with an HTTP status other than the one asked for (404, 500, ...).
 * @example catch (e) { if (e instanceof HttpError && e.status === 404) skip(); }
 */
export class HttpError extends DataPrepError {
  /** The HTTP status code. */
  readonly status: number;
  /** The URL that answered (after redirects). */
  readonly url: string;
  constructor(message: string, status: number, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.url = url;
  }
}

/** The body ended before the announced length: the connection dropped mid-transfer. */
export class TruncatedDownloadError extends FormatError {}

/** One file that {@link downloadAll} could not get. */
export interface DownloadFailure {
  /** The URL asked for. */
  url: string;
  /** Where it was to be written. */
  dest: string;
  /** The last error's message. */
  reason: string;
  /** Requests made for it (1 + retries used). */
  attempts: number;
}

/**
 * Some files of a batch could not be downloaded (the `onFailure: "fail"` choice of `downloadAll`); the
 * message lists them, `failures` holds them as data.
 * @example catch (e) { if (e instanceof DownloadFailuresError) console.table(e.failures); }
 */
export class DownloadFailuresError extends DataPrepError {
  readonly failures: DownloadFailure[];
  constructor(message: string, failures: DownloadFailure[]) {
    super(message);
    this.failures = failures;
  }
}

/** HTTP statuses that say "try again later" rather than "this will never work". */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Whether another attempt may succeed: network failures, timeouts, truncated bodies and the HTTP statuses
 * 408, 425, 429, 500, 502, 503, 504. A 404, a checksum mismatch, a bad argument or `EOFFLINE` are final.
 * @example if (isRetryable(e) && attempt < 3) retry();
 */
export function isRetryable(e: unknown): boolean {
  if (e instanceof NetworkError) return e.code !== "EOFFLINE"; // offline is a decision, not a hiccup
  if (e instanceof TruncatedDownloadError) return true;
  return e instanceof HttpError && RETRYABLE_STATUS.has(e.status);
}

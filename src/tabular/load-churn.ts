/**
 * Get the workshop's churn file (module 1.1 step 1): SageMaker's public `churn.txt`, downloaded once
 * into a cache and verified by size and sha256. Offline (`offline: true` or `MLDP_OFFLINE=1`), or when
 * the download fails (no network, an HTTP error, wrong bytes; the reason is in `reason`), it uses the same
 * file as shipped in the project, `data/churn/churn.txt`, verified the same way: the workshop's real
 * numbers either way.
 */
import * as path from "node:path";
import { download, isCached, offlineForced } from "../io/download";
import { DataPrepError, FormatError } from "../util/errors";
import { projectPath } from "../util/paths";

/** Where the workshop's notebooks fetch the churn file from (public AWS sample bucket). */
export const CHURN_URL = "https://sagemaker-sample-files.s3.amazonaws.com/datasets/tabular/synthetic/churn.txt";
/** Size in bytes of the real churn.txt. */
export const CHURN_SIZE = 974_286;
/** sha256 of the real churn.txt. */
export const CHURN_SHA256 = "182e4be2ff5716699104001a2c1a9e93a5ba9143806f626faf75dc819ccf7dde";
/** Data rows in the real churn.txt. */
export const CHURN_ROWS = 5000;

/** Options for {@link loadChurn}. */
export interface LoadChurnOptions {
  /** Folder for the downloaded file. Default `<project>/out/cache`. */
  cacheDir?: string;
  /** Where to download from. Default {@link CHURN_URL}. */
  url?: string;
  /** Skip the network and use the cache or the embedded file. Default false; `MLDP_OFFLINE=1` forces true. */
  offline?: boolean;
  /** Milliseconds without an answer (or without data) before the network counts as offline. Default 5000. */
  timeoutMs?: number;
  /**
   * Called with (bytes so far, total bytes) during a download, e.g. the display layer's `progressCallback()`. Default:
   * none.
   */
  onProgress?: (done: number, total: number | undefined) => void;
  /** The embedded copy used offline; it must be the real file. Default `<project>/data/churn/churn.txt`. */
  embeddedFile?: string;
}

/** Which churn file {@link loadChurn} gave and where it came from. */
export interface ChurnFile {
  /**
   * "download": fetched now; "cache": a verified earlier download; "embedded": offline, the copy shipped in the
   * project. All three are the same bytes.
   */
  source: "download" | "cache" | "embedded";
  /** Absolute path of the CSV file. */
  path: string;
  /** Number of data rows. */
  rows: number;
  /** Why the download was not used, when it was tried and failed (the embedded copy was used instead). */
  reason?: string;
}

/**
 * The workshop's churn CSV on disk: downloaded (or a verified earlier download), or offline the copy shipped in
 * `data/churn/churn.txt`. Every source is checked against {@link CHURN_SIZE} and {@link CHURN_SHA256}.
 * @example const churn = await loadChurn(); const { df } = readTable(churn.path);
 */
export async function loadChurn(options: LoadChurnOptions = {}): Promise<ChurnFile> {
  const {
    cacheDir = projectPath("out", "cache"),
    url = CHURN_URL,
    offline = false,
    timeoutMs = 5000,
    onProgress,
    embeddedFile = projectPath("data", "churn", "churn.txt"),
  } = options;
  if (typeof cacheDir !== "string") throw new TypeError(`loadChurn cacheDir must be a string, got ${typeof cacheDir}`);
  if (typeof embeddedFile !== "string")
    throw new TypeError(`loadChurn embeddedFile must be a string, got ${typeof embeddedFile}`);
  if (!(timeoutMs > 0)) throw new RangeError(`loadChurn timeoutMs is invalid: ${timeoutMs} (expected > 0)`);
  const real = path.resolve(cacheDir, "churn.txt");
  const expected = { size: CHURN_SIZE, sha256: CHURN_SHA256 };

  // 1. A verified earlier download wins, online or not.
  if (await isCached(real, expected)) return { source: "cache", path: real, rows: CHURN_ROWS };

  // 2. Download, reporting progress once the server answers. Any failure to get the verified file (no network,
  // an HTTP error, a proxy's page instead of the file) falls back to the same bytes shipped in the project,
  // saying why; nothing unverified is kept.
  let reason: string | undefined;
  if (!offline && !offlineForced()) {
    try {
      await download(url, real, { ...expected, timeoutMs, onProgress });
      return { source: "download", path: real, rows: CHURN_ROWS };
    } catch (e) {
      if (!(e instanceof DataPrepError)) throw e;
      reason = e.message;
    }
  }

  // 3. Offline: the same file as shipped in the project, read in place (never written to).
  const embedded = path.resolve(embeddedFile);
  if (!(await isCached(embedded, expected)))
    throw new FormatError(
      `embedded churn file is missing or altered: ${embedded} (expected ${CHURN_SIZE} bytes with sha256 ` +
        `${CHURN_SHA256.slice(0, 16)}...; restore it with \`git checkout -- data/churn/churn.txt\`, or go online)`,
    );
  return { source: "embedded", path: embedded, rows: CHURN_ROWS, ...(reason === undefined ? {} : { reason }) };
}

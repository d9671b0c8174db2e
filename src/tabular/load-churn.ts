/**
 * Get the workshop's churn file (module 1.1 step 1): SageMaker's public `churn.txt`, downloaded once
 * into a cache and verified by size and sha256. Offline (DNS failure, refused connection, timeout) it
 * falls back to the embedded default, {@link syntheticChurn}'s 5,000-row file, written into the cache.
 */
import * as path from "node:path";
import { download, isCached, NetworkError } from "../io/download";
import { writeFileAtomic } from "../io/atomic";
import { projectPath } from "../util/paths";
import { syntheticChurn } from "./synthetic-churn";

/** Where the workshop's notebooks fetch the churn file from (public AWS sample bucket). */
export const CHURN_URL = "https://sagemaker-sample-files.s3.amazonaws.com/datasets/tabular/synthetic/churn.txt";
/** Size in bytes of the real churn.txt. */
export const CHURN_SIZE = 974_286;
/** sha256 of the real churn.txt. */
export const CHURN_SHA256 = "182e4be2ff5716699104001a2c1a9e93a5ba9143806f626faf75dc819ccf7dde";
/** Data rows in the real churn.txt (and in the synthetic fallback). */
export const CHURN_ROWS = 5000;

/** Options for {@link loadChurn}. */
export interface LoadChurnOptions {
  /** Folder for the downloaded (or synthetic) file. Default `<project>/out/cache`. */
  cacheDir?: string;
  /** Where to download from. Default {@link CHURN_URL}. */
  url?: string;
  /** Skip the network and use the cache or the synthetic file. Default false. */
  offline?: boolean;
  /** Milliseconds without an answer (or without data) before the network counts as offline. Default 5000. */
  timeoutMs?: number;
  /**
   * Called with (bytes so far, total bytes) during a download, e.g. the display layer's `progressCallback()`. Default:
   * none.
   */
  onProgress?: (done: number, total: number | undefined) => void;
}

/** Which churn file {@link loadChurn} gave and where it came from. */
export interface ChurnFile {
  /** "download": fetched now; "cache": a verified earlier download; "synthetic": the offline stand-in. */
  source: "download" | "cache" | "synthetic";
  /** Absolute path of the CSV file. */
  path: string;
  /** Number of data rows. */
  rows: number;
}

/**
 * The churn CSV on disk: the real file (downloaded or cached), or the synthetic one when offline.
 * @example const churn = await loadChurn(); const { df } = readTable(churn.path);
 */
export async function loadChurn(options: LoadChurnOptions = {}): Promise<ChurnFile> {
  const {
    cacheDir = projectPath("out", "cache"),
    url = CHURN_URL,
    offline = false,
    timeoutMs = 5000,
    onProgress,
  } = options;
  if (typeof cacheDir !== "string") throw new TypeError(`loadChurn cacheDir must be a string, got ${typeof cacheDir}`);
  if (!(timeoutMs > 0)) throw new RangeError(`loadChurn timeoutMs is invalid: ${timeoutMs} (expected > 0)`);
  const real = path.resolve(cacheDir, "churn.txt");
  const expected = { size: CHURN_SIZE, sha256: CHURN_SHA256 };

  // 1. A verified earlier download wins, online or not.
  if (await isCached(real, expected)) return { source: "cache", path: real, rows: CHURN_ROWS };

  // 2. Download, reporting progress once the server answers.
  if (!offline) {
    try {
      await download(url, real, { ...expected, timeoutMs, onProgress });
      return { source: "download", path: real, rows: CHURN_ROWS };
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  // 3. Offline: the embedded default, written atomically so a reader never sees half of it.
  const synthetic = path.resolve(cacheDir, "churn-synthetic.txt");
  writeFileAtomic(synthetic, syntheticChurn({ rows: CHURN_ROWS }));
  return { source: "synthetic", path: synthetic, rows: CHURN_ROWS };
}

/**
 * Extract a zip, tar or tar.gz into a folder, all or nothing: entries go into a fresh temp folder beside
 * the target, each checked before it is written (names that escape the folder, absolute and Windows drive
 * paths, symbolic and hard links, special files are refused), the result is checked again on disk, and
 * only then is the temp folder renamed onto the target. A failure leaves the target as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataPrepError } from "../util/errors";
import { checkExtractedTree } from "./archive-entry";
import { swapIntoPlace, tempPath } from "./atomic";
import { readExact } from "./read-exact";
import { extractTar } from "./extract-tar";
import { extractZip } from "./extract-zip";

/** Options for {@link extractArchive}. */
export interface ExtractOptions {
  /** The archive's format. Default: from its first bytes (`PK` zip, gzip magic tar.gz, else tar). */
  format?: "zip" | "tar" | "tar.gz";
  /**
   * When `dest` exists: "replace" it (the old folder is swapped out after the new one is complete), "keep" it
   * and extract nothing, or throw ("error"). Default "replace".
   */
  ifExists?: "replace" | "keep" | "error";
  /** Largest total of uncompressed bytes accepted (a zip-bomb guard). Default 2^36 (64 GiB). */
  maxBytes?: number;
  /** Called with (entries done, entries in all, or undefined for tar). Default: none. */
  onProgress?: (done: number, total: number | undefined) => void;
}

/** What {@link extractArchive} did. */
export interface ExtractResult {
  /** The folder, `dest`. */
  path: string;
  /** Files inside it, relative with `/` separators, sorted. */
  files: string[];
  /** true when an existing `dest` was kept (`ifExists: "keep"`) and nothing was extracted. */
  kept: boolean;
}

/**
 * Extract `archive` into the folder `dest` (created; its parent too).
 * @example const { files } = await extractArchive("out/cache/cifar-10-binary.tar.gz", "out/cache/cifar-10-binary");
 */
export async function extractArchive(
  archive: string,
  dest: string,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const { ifExists = "replace", maxBytes = 2 ** 36, onProgress } = options;
  if (typeof archive !== "string" || typeof dest !== "string")
    throw new TypeError("extractArchive archive and dest must be strings");
  if (!["replace", "keep", "error"].includes(ifExists))
    throw new RangeError(`extractArchive ifExists is invalid: ${ifExists} (expected "replace", "keep" or "error")`);
  if (!(maxBytes > 0)) throw new RangeError(`extractArchive maxBytes is invalid: ${maxBytes} (expected > 0)`);
  if (!fs.existsSync(archive)) throw new DataPrepError(`archive not found: ${archive}`);
  const format = options.format ?? sniffFormat(archive);
  if (!["zip", "tar", "tar.gz"].includes(format))
    throw new RangeError(`extractArchive format is invalid: ${format} (expected "zip", "tar" or "tar.gz")`);

  const target = path.resolve(dest);
  if (fs.existsSync(target)) {
    if (ifExists === "keep") return { path: dest, files: checkExtractedTree(target, archive), kept: true };
    if (ifExists === "error") throw new DataPrepError(`extract target already exists: ${dest} (from ${archive})`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPath(target, "extracting");
  fs.mkdirSync(tmp);
  try {
    const worker = { maxBytes, onProgress };
    await (format === "zip"
      ? extractZip(archive, tmp, worker)
      : extractTar(archive, tmp, { ...worker, gzip: format === "tar.gz" }));
    const files = checkExtractedTree(tmp, archive);
    swapIntoPlace(tmp, target);
    return { path: dest, files, kept: false };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** The format from the first bytes: zip local header, gzip magic, else (plain) tar. */
function sniffFormat(archive: string): "zip" | "tar" | "tar.gz" {
  const fd = fs.openSync(archive, "r");
  let head: Buffer;
  try {
    head = readExact(fd, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return "zip";
  if (head[0] === 0x1f && head[1] === 0x8b) return "tar.gz";
  return "tar";
}

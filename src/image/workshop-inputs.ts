/**
 * The inputs of image notebook 1.1, online or offline, behind one call each: the COCO 2017
 * annotation files (the real zip, or the generated stand-in of `synthetic-coco.ts`), the CIFAR-10
 * batch the frogs are drawn from (`data_batch_1` downloaded, the real records shipped in
 * `data/cifar10`, or a file or folder the user names), and the `categories` parameter.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { NetworkError, offlineForced } from "../io/download";
import { CIFAR10_PYTHON, COCO_ANNOTATIONS_2017, fetchAndExtract, type FetchSourceOptions } from "../io/sources";
import { FormatError } from "../util/errors";
import { projectPath } from "../util/paths";
import { CIFAR10_OFFLINE_DIR, concatCifarBatches, readCifar, type CifarBatch } from "./cifar";
import { writeSyntheticCoco, type SyntheticCocoWritten } from "./synthetic-coco";

/** Options of {@link getCocoAnnotations}. */
export interface GetCocoAnnotationsOptions {
  /** No download: generate the stand-in. Default false; `MLDP_OFFLINE=1` forces it. */
  offline?: boolean;
  /** Where the stand-in is generated (replaced on each call). Default `out/image/data/coco-synthetic`. */
  dir?: string;
  /** Stand-in images per animal class. Default 60. */
  perClass?: number;
  /** Stand-in seed. Default 0. */
  seed?: number;
  /** Download progress (bytes) online, images generated offline. */
  onProgress?: (done: number, total?: number) => void;
  /** Options of the download (cache folder, mirror URL, retries, timeout). Default: fetchSource's. */
  download?: FetchSourceOptions;
}

/** What {@link getCocoAnnotations} gives. */
export interface CocoAnnotationFiles {
  /** "online": the real COCO 2017 annotations; "offline": the generated stand-in. */
  source: "online" | "offline";
  train: string;
  val: string;
  /** Offline: the folder holding the generated `train2017/` and `val2017/` images. */
  imagesDir?: string;
  /** Offline: what was generated. */
  generated?: SyntheticCocoWritten;
  /** Why this is offline when online was asked: the network error (no connection, DNS, timeout). */
  fallback?: string;
}

/**
 * `instances_train2017.json` and `instances_val2017.json`: online from COCO's annotations zip (about
 * 241 MB, verified, extracted once into `out/cache`), offline generated with {@link writeSyntheticCoco}. Without
 * a connection (DNS failure, refused, timeout) it falls back to offline and says why in `fallback`.
 * @example const files = await getCocoAnnotations({ offline: true, perClass: 60 }); loadCoco(files.train)
 */
export async function getCocoAnnotations(options: GetCocoAnnotationsOptions = {}): Promise<CocoAnnotationFiles> {
  const { offline = false, perClass = 60, seed = 0, onProgress } = options;
  let fallback: string | undefined;
  if (!offline && !offlineForced()) {
    try {
      const { root } = await fetchAndExtract(COCO_ANNOTATIONS_2017, { ...options.download, onProgress });
      return {
        source: "online",
        train: path.join(root, "instances_train2017.json"),
        val: path.join(root, "instances_val2017.json"),
      };
    } catch (e) {
      // Like loadChurn: no connection means offline; a wrong checksum or a bad archive is an error.
      if (!(e instanceof NetworkError)) throw e;
      fallback = e.message;
    }
  }
  const dir = path.resolve(options.dir ?? projectPath("out", "image", "data", "coco-synthetic"));
  const generated = await writeSyntheticCoco(dir, { perClass, seed, overwrite: true, onProgress });
  return {
    source: "offline",
    ...generated.annotationFiles,
    imagesDir: dir,
    generated,
    ...(fallback ? { fallback } : {}),
  };
}

/** Options of {@link getCifarBatch}. */
export interface GetCifarBatchOptions {
  /** A batch file or a folder of batches; "" = download (offline: the records shipped in data/cifar10). Default "". */
  cifar?: string;
  /** No download. Default false; `MLDP_OFFLINE=1` forces it. */
  offline?: boolean;
  /** Download progress in bytes. */
  onProgress?: (done: number, total?: number) => void;
  /** Options of the download (cache folder, mirror URL, retries, timeout). Default: fetchSource's. */
  download?: FetchSourceOptions;
}

/** What {@link getCifarBatch} gives. */
export interface CifarInput {
  /** "download": the official python tarball; "shipped": data/cifar10; "file": the path given. */
  source: "download" | "shipped" | "file";
  /** The file or folder read. */
  path: string;
  /** The batch the frogs are drawn from. */
  batch: CifarBatch;
  /** Label i's name. */
  classNames: string[];
  /** Why the shipped records are used when a download was asked: the network error. */
  fallback?: string;
}

/** Where a piece of `data_batch_1` starts in the full batch: `_first100` → 0, `_1000_1999` → 1000. */
function pieceStart(stem: string): number {
  const m = /^data_batch_1_(?:first\d+|frogs_(\d+)_\d+|(\d+)_\d+)/.exec(stem);
  return m ? Number(m[1] ?? m[2] ?? 0) : 0;
}

/**
 * The batch of a file or folder the frogs are drawn from: a file is used as it is; in a folder,
 * `data_batch_1` (its pieces joined in record order, as data/cifar10 ships it), else every batch
 * joined. @internal
 */
export function _batchToSample(fileOrDir: string): { batch: CifarBatch; classNames: string[] } {
  const { batches, classNames } = readCifar(fileOrDir);
  if (!fs.statSync(fileOrDir).isDirectory()) return { batch: batches[0], classNames };
  const ones = batches.filter((b) => b.stem === "data_batch_1" || b.stem.startsWith("data_batch_1_"));
  const chosen = ones.length > 0 ? ones.sort((a, b) => pieceStart(a.stem) - pieceStart(b.stem)) : batches;
  if (chosen.length === 1) return { batch: chosen[0], classNames };
  // Pieces that know their records' numbers (the shipped ones) join as data_batch_1 and export under their
  // true record numbers; otherwise the name does not claim data_batch_1's numbering.
  const numbered = ones.length > 0 && ones.every((b) => b.sourceIndex !== undefined);
  const name = numbered ? "data_batch_1" : ones.length > 0 ? "data_batch_1_pieces" : "cifar10_batches";
  return { batch: concatCifarBatches(chosen, path.join(fileOrDir, name)), classNames };
}

/**
 * The CIFAR-10 batch of the workshop's frogs (B.1 step 10 opened only `data_batch_1`): the path given,
 * or online `data_batch_1` of the official python tarball (the workshop's, with file names), or offline
 * the 1,307 real `data_batch_1` records shipped in data/cifar10 (314 frogs), also without a connection.
 * @example (await getCifarBatch({ cifar: "data/cifar10/data_batch_1_1000_1999.bin" })).batch.length // 1000
 */
export async function getCifarBatch(options: GetCifarBatchOptions = {}): Promise<CifarInput> {
  const { cifar = "", offline = false, onProgress } = options;
  if (cifar !== "") {
    const full = projectPath(cifar);
    return { source: "file", path: full, ..._batchToSample(full) };
  }
  let fallback: string | undefined;
  if (!offline && !offlineForced()) {
    try {
      // The python version, as the workshop used: its batches keep the file names (leptodactylid_s_000084.png ...).
      const { root } = await fetchAndExtract(CIFAR10_PYTHON, { ...options.download, onProgress });
      const file = path.join(root, "data_batch_1");
      return { source: "download", path: file, ..._batchToSample(file) };
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      fallback = e.message;
    }
  }
  const shipped = _batchToSample(CIFAR10_OFFLINE_DIR);
  return { source: "shipped", path: CIFAR10_OFFLINE_DIR, ...shipped, ...(fallback ? { fallback } : {}) };
}

/**
 * The notebooks' `categories` parameter as selection options: a supercategory (`"animal"`), or category
 * names, as a list or comma-separated (`"dog, cat"`).
 * @example parseCategories("dog, cat") // { names: ["dog", "cat"] }
 */
export function parseCategories(
  spec: string | readonly string[],
  supercategories: readonly string[],
): { supercategory?: string; names?: string[] } {
  const parts = (typeof spec === "string" ? spec.split(",") : [...spec]).map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0)
    throw new RangeError(
      `categories is empty: ${JSON.stringify(spec)} (expected a supercategory such as "animal" or category names)`,
    );
  if (typeof spec === "string" && parts.length === 1 && supercategories.includes(parts[0]))
    return { supercategory: parts[0] };
  return { supercategory: "", names: parts };
}

/** The real COCO annotations shipped in data/coco (see data/README.md): 3 val2017 images, 34 annotations. */
export const COCO_VAL2017_SUBSET = Object.freeze({
  path: projectPath("data", "coco", "instances_val2017_small.json"),
  size: 29_319,
  sha256: "75c94cbe57bca196c5c38de5d91aeedd2793932324c86d2e5dfb9f5ec808e324",
});

/**
 * The path of the real val2017 subset shipped in data/coco, after checking its size and sha256.
 * @throws FormatError naming the file when it is missing or changed
 * @example loadCoco(cocoVal2017Subset()).imgs.size // 3
 */
export function cocoVal2017Subset(): string {
  const { path: file, size, sha256 } = COCO_VAL2017_SUBSET;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new FormatError(`COCO subset cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (bytes.length !== size || digest !== sha256) {
    throw new FormatError(
      `COCO subset is not the shipped file: ${file} (${bytes.length} bytes, sha256 ${digest.slice(0, 16)}...; ` +
        `expected ${size} bytes, sha256 ${sha256.slice(0, 16)}...)`,
    );
  }
  return file;
}

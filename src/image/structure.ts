/**
 * Structuring (workshop B.2): the selected images copied into the ImageFolder layout
 * `{train,val,test}/{class}/<file>` with the alphabetical class index every framework derives from
 * it (0 bear, 1 bird, 2 cat, 3 cow, 4 dog, 5 elephant, 6 frog, 7 giraffe, 8 horse, 9 sheep,
 * 10 zebra), a manifest, and the leakage check across splits.
 *
 * The folder is built in a temp folder beside `outDir` and renamed into place when complete, so it
 * is never seen half-written; an existing `outDir` is refused unless `overwrite: true`, which
 * replaces it as a whole (the workshop deleted `data_structured` silently first). Files are copied
 * byte for byte (no re-encoding), so a manifest's sha256 is also the source file's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { forEachLimit } from "../util/for-each-limit";
import { checkLeakage, type LeakageReport } from "./leakage";
import { writeManifest, type ManifestEntry } from "./manifest";
import { abandonOutputDir, finishOutputDir, startOutputDir } from "./output-dir";
import { _hashes, readImageFile } from "./phash";
import { IMAGE_SPLITS, splitImageIds, type ImageIdSplit, type SplitImageIdsOptions } from "./split-images";
import { SYNTHETIC_COCO_URL } from "./synthetic-coco";

/** One image to structure. */
export interface StructureItem {
  id: number;
  className: string;
  /** The image file to copy. Its base name is the name in the class folder. */
  file: string;
  /**
   * Where it came from (`coco`, `cifar`, ...), copied into the manifest; a `coco` item whose `cocoUrl`
   * is a generated picture's (notebook 1.1's offline stand-in) is recorded as {@link GENERATED_COCO_SOURCE}.
   */
  source: string;
  /** The COCO image's URL, when known (a sample item's `cocoUrl`). */
  cocoUrl?: string;
}

/**
 * The manifest `source` of COCO pictures drawn offline (URL under {@link SYNTHETIC_COCO_URL}), so that
 * readers of the folder (the training notebook) can tell generated images from photographs.
 */
export const GENERATED_COCO_SOURCE = "coco-generated";

/** The manifest source of an item: its `source`, or {@link GENERATED_COCO_SOURCE} for a generated COCO picture. */
function manifestSource(it: StructureItem): string {
  return it.source === "coco" && it.cocoUrl?.startsWith(SYNTHETIC_COCO_URL) ? GENERATED_COCO_SOURCE : it.source;
}

/** Options of {@link structureDataset}. */
export interface StructureDatasetOptions extends SplitImageIdsOptions {
  /** Replace an existing output folder (otherwise it is an error). Default false. */
  overwrite?: boolean;
  /** Near-duplicate threshold of the leakage check, in bits of 64. Default NEAR_DUPLICATE_DISTANCE (8). */
  nearThreshold?: number;
  /** Called after each image is copied with (images done, images in total). */
  onProgress?: (done: number, total: number) => void;
}

/** Images per split of one class. */
export interface SplitCounts {
  train: number;
  val: number;
  test: number;
}

/** What {@link structureDataset} built. */
export interface StructuredDataset {
  dir: string;
  /** Class names in label order (sorted). */
  classes: string[];
  /** The manifest rows, in split order then class order then id order of the split. */
  entries: ManifestEntry[];
  /** Images per class and split, in label order. */
  counts: Map<string, SplitCounts>;
  /** The ids of each split, in shuffled order. */
  split: ImageIdSplit;
  leakage: LeakageReport;
  manifest: { csv: string; json: string };
}

/**
 * The class index of the ImageFolder convention: class names sorted (code point order, like
 * Python's `sorted`), index = position.
 * @example classIndex(["zebra", "bear", "frog"]) // Map { "bear" → 0, "frog" → 1, "zebra" → 2 }
 */
export function classIndex(names: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(sorted.map((name, i) => [name, i]));
}

/**
 * Images per class and split of a split of `items`, classes in label (sorted) order.
 * @example countSplits(items, splitImageIds(items, { stratify: false })).get("bear") // { train: 198, ... }
 */
export function countSplits(
  items: readonly { id: number; className: string }[],
  split: ImageIdSplit,
): Map<string, SplitCounts> {
  const classOf = new Map(items.map((it) => [it.id, it.className]));
  const counts = new Map(
    [...classIndex(classOf.values()).keys()].map((c): [string, SplitCounts] => [c, { train: 0, val: 0, test: 0 }]),
  );
  for (const s of IMAGE_SPLITS) {
    for (const id of split[s]) {
      const c = classOf.get(id);
      if (c === undefined) throw new RangeError(`split holds an id that is not among the items: ${id} (${s})`);
      (counts.get(c) as SplitCounts)[s]++;
    }
  }
  return counts;
}

/** A class, split or file name that is safe as one path component everywhere (no separators, no leading dot). */
export const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9 _.-]*$/;

function checkItems(items: readonly StructureItem[]): void {
  if (items.length === 0) throw new RangeError("no images to structure (expected at least one item)");
  const names = new Map<string, number>();
  items.forEach((it, i) => {
    if (!SAFE_NAME.test(it.className)) {
      throw new RangeError(
        `class name is not a plain folder name: ${JSON.stringify(it.className)} (item ${i}, id ${it.id})`,
      );
    }
    const base = path.basename(it.file);
    if (!SAFE_NAME.test(base))
      throw new RangeError(`image file name is not plain: ${JSON.stringify(base)} (item ${i}, id ${it.id})`);
    const key = `${it.className}/${base}`;
    const before = names.get(key);
    if (before !== undefined) {
      throw new RangeError(
        `two images would be copied to ${key}: items ${before} and ${i} (expected distinct file names per class)`,
      );
    }
    names.set(key, i);
  });
}

/**
 * Split `items` 80/10/10 (stratified by default; `stratify: false` = the workshop's numpy split),
 * copy them into `outDir/{split}/{class}/<file>` (all split × class folders exist, even when empty),
 * write `manifest.csv` and `manifest.json`, and check for leakage across splits.
 * @throws FormatError naming the file when an image cannot be read or decoded
 * @throws DataPrepError when `outDir` exists and `overwrite` is not set
 * @example const ds = await structureDataset(items, "out/image/structured", { seed: 0 }); ds.counts.get("frog")
 */
export async function structureDataset(
  items: readonly StructureItem[],
  outDir: string,
  options: StructureDatasetOptions = {},
): Promise<StructuredDataset> {
  checkItems(items);
  const { overwrite = false, nearThreshold, onProgress } = options;
  const index = classIndex(items.map((it) => it.className));
  const split = splitImageIds(items, options);
  const byId = new Map(items.map((it) => [it.id, it]));
  const target = path.resolve(outDir);
  const tmp = startOutputDir(target, { overwrite, writer: "structureDataset", sources: items.map((it) => it.file) });
  try {
    for (const s of IMAGE_SPLITS) for (const c of index.keys()) fs.mkdirSync(path.join(tmp, s, c), { recursive: true });
    // Hash and copy four images at a time: decoding runs on libvips' threads, so both cores work.
    const jobs = IMAGE_SPLITS.flatMap((s) => split[s].map((id) => ({ s, it: byId.get(id) as StructureItem })));
    const entries: ManifestEntry[] = new Array(jobs.length);
    let done = 0;
    await forEachLimit(jobs.length, 4, async (k) => {
      const { s, it } = jobs[k];
      const bytes = readImageFile(it.file);
      const h = await _hashes(bytes, `${it.file} (image id ${it.id}, class ${it.className})`);
      const rel = `${s}/${it.className}/${path.basename(it.file)}`;
      fs.writeFileSync(path.join(tmp, rel), bytes);
      entries[k] = {
        path: rel,
        id: it.id,
        label: index.get(it.className) as number,
        class: it.className,
        source: manifestSource(it),
        split: s,
        ...h,
      };
      onProgress?.(++done, jobs.length);
    });
    const leakage = checkLeakage(entries, nearThreshold === undefined ? {} : { threshold: nearThreshold });
    writeManifest(tmp, entries);
    finishOutputDir(tmp, target, overwrite);
    return {
      dir: target,
      classes: [...index.keys()],
      entries,
      counts: countSplits(items, split),
      split,
      leakage,
      manifest: { csv: path.join(target, "manifest.csv"), json: path.join(target, "manifest.json") },
    };
  } catch (e) {
    abandonOutputDir(tmp);
    throw e;
  }
}

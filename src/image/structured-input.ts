/**
 * The input of the preprocessing notebooks (2.1, 3.1, 4.1): a structured folder as notebook 1.2
 * writes it, `<dir>/{train,val,test}/{class}/<image>` plus `manifest.json`, read the way
 * torchvision's ImageFolder reads each split (sorted classes, sorted files) and checked before
 * anything is written:
 *   - the folder exists and has split folders (otherwise: run notebook 1.2 first);
 *   - every split has the same class folders (otherwise a class name would get two labels);
 *   - when `manifest.json` is there, it and the folders agree: each listed file exists, its label is
 *     its class's index (a label out of range or off by a class is named with its row and path),
 *     and no image in the folders is missing from it (a folder changed after 1.2 wrote it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataPrepError, SchemaError } from "../util/errors";
import { isDir, readImageFolderSplits } from "./imagefolder";
import { readManifest } from "./manifest";
import { IMAGE_SPLITS } from "./split-images";

/** One image of a structured folder. */
export interface StructuredImage {
  /** Absolute path of the file. */
  file: string;
  /** Path relative to the structured folder, with `/`: `train/bear/000000123456.jpg`. */
  rel: string;
  className: string;
  /** Class index: position of the class among the sorted class folders. */
  label: number;
}

/** What {@link readStructuredFolder} found. */
export interface StructuredInput {
  dir: string;
  /** Class names in label order. */
  classes: string[];
  /** The splits read, in train, val, test order. */
  splits: string[];
  /** Images of each split, in torchvision's order (class, then file name). */
  images: Map<string, StructuredImage[]>;
  /** Whether `manifest.json` was there and checked against the folders. */
  manifest: boolean;
}

/** Options of {@link readStructuredFolder}. */
export interface ReadStructuredFolderOptions {
  /** Splits to read. Default: those of train, val, test that exist. */
  splits?: readonly string[];
}

/**
 * Read and check a structured image folder (notebook 1.2's output).
 * @throws DataPrepError when the folder or its splits are missing (with the hint to run notebook 1.2);
 *   SchemaError when class folders differ between splits or the manifest disagrees with the folders
 * @example const input = readStructuredFolder("out/image/structured"); input.images.get("val")?.length
 */
export function readStructuredFolder(dir: string, options: ReadStructuredFolderOptions = {}): StructuredInput {
  const root = path.resolve(dir);
  const hint =
    "expected notebook 1.2's {train,val,test}/{class} folders: run notebooks/image/1.2-structuring-data.ipynb first, or give its structuredDir";
  if (!isDir(root)) throw new DataPrepError(`structured image folder not found: ${root} (${hint})`);
  const splits = options.splits ? [...options.splits] : IMAGE_SPLITS.filter((s) => isDir(path.join(root, s)));
  if (splits.length === 0) throw new DataPrepError(`structured image folder has no split folder: ${root} (${hint})`);
  for (const s of splits) {
    if (!isDir(path.join(root, s))) throw new DataPrepError(`split folder not found: ${path.join(root, s)} (${hint})`);
  }
  const folders = readImageFolderSplits(root, splits, { allowEmpty: true });
  const classes = folders.get(splits[0])!.classes;
  const images = new Map<string, StructuredImage[]>();
  for (const s of splits) {
    const f = folders.get(s)!;
    images.set(
      s,
      f.samples.map(([file, label]) => ({
        file,
        rel: path.relative(root, file).split(path.sep).join("/"),
        className: classes[label],
        label,
      })),
    );
  }
  const hasManifest = fs.existsSync(path.join(root, "manifest.json"));
  if (hasManifest) _checkManifest(root, classes, splits, images);
  return { dir: root, classes, splits, images, manifest: hasManifest };
}

/** Check that manifest.json and the folders agree (see the module header). */
function _checkManifest(
  root: string,
  classes: readonly string[],
  splits: readonly string[],
  images: ReadonlyMap<string, StructuredImage[]>,
): void {
  const file = path.join(root, "manifest.json");
  const onDisk = new Map([...images.values()].flat().map((im) => [im.rel, im]));
  const listed = new Set<string>();
  readManifest(root).forEach((row, i) => {
    if (!splits.includes(row.split)) return;
    const at = `${file}, row ${i}, ${row.path}`;
    if (row.label >= classes.length) {
      throw new SchemaError(
        `image label is out of range: ${row.label} (expected 0..${classes.length - 1}, one per class folder; ${at})`,
      );
    }
    const im = onDisk.get(row.path);
    if (im === undefined) throw new SchemaError(`image listed in the manifest is missing from the folders (${at})`);
    if (row.label !== im.label || row.class !== im.className) {
      throw new SchemaError(
        `image label does not match its folder: ${row.label} ${row.class} (expected ${im.label} ${im.className}, ` +
          `the index of its class folder; ${at})`,
      );
    }
    listed.add(row.path);
  });
  for (const rel of onDisk.keys()) {
    if (!listed.has(rel)) {
      throw new SchemaError(
        `image is not in the manifest: ${path.join(root, rel)} (the folder changed after it was written: ` +
          `${file}; run notebook 1.2 again or remove the file)`,
      );
    }
  }
}

/**
 * `count` images of `split` for before/after views, one per class with the classes spread evenly.
 * @example sampleImages(input, { count: 4 }) // bear, dog, giraffe, zebra (of 11 classes)
 */
export function sampleImages(
  input: StructuredInput,
  options: { split?: string; count?: number } = {},
): StructuredImage[] {
  const { split = input.splits[0], count = 4 } = options;
  const list = input.images.get(split);
  if (!list) throw new RangeError(`split not read: ${split} (expected one of ${input.splits.join(", ")})`);
  const byClass = input.classes.map((c) => list.filter((im) => im.className === c)).filter((l) => l.length > 0);
  const out: StructuredImage[] = [];
  const rounds = Math.max(0, ...byClass.map((l) => l.length));
  for (let round = 0; round < rounds && out.length < Math.min(count, list.length); round++) {
    const n = Math.min(count - out.length, byClass.length);
    for (let k = 0; k < n; k++) {
      const l = byClass[Math.floor((k * byClass.length) / n)];
      if (round < l.length) out.push(l[round]);
    }
  }
  return out;
}

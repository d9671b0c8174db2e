/**
 * PyTorch's ImageFolder layout `root/<class>/**\/<image>` (torchvision/datasets/folder.py), read the
 * way torchvision reads it and written from in-memory images (the workshop's PyTorch route, B.5,
 * writes the resized images as `<split>/<label:02>/<file>`; `structureDataset` writes the
 * `<split>/<class name>/<file>` copy of the originals).
 *
 * Reading: classes = sorted names of the sub-folders of root, `classToIdx` = position in that
 * order; for each class in that order, `sorted(os.walk(class_dir, followlinks=True))` (folders in
 * sorted path order) and each folder's files sorted, kept when the name ends (case-insensitively)
 * with one of IMG_EXTENSIONS. A class without a valid file is an error, as torchvision's default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataPrepError, FormatError, SchemaError } from "../util/errors";
import { abandonOutputDir, finishOutputDir, startOutputDir } from "./output-dir";
import { classIndex, SAFE_NAME } from "./structure";

/** torchvision's `IMG_EXTENSIONS`. */
export const IMG_EXTENSIONS = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"] as const;

/** What {@link readImageFolder} found. */
export interface ImageFolder {
  root: string;
  /** Class folder names, sorted. */
  classes: string[];
  classToIdx: Map<string, number>;
  /** [file path, class index] in torchvision's order. */
  samples: [string, number][];
  /** The class index of each sample. */
  targets: number[];
}

/** Options of {@link readImageFolder}. */
export interface ReadImageFolderOptions {
  /** File suffixes kept (compared in lower case). Default IMG_EXTENSIONS. */
  extensions?: readonly string[];
  /** Allow a class folder without images (torchvision's `allow_empty`). Default false. */
  allowEmpty?: boolean;
}

/** Compare strings by UTF-16 code unit, as the default `Array.prototype.sort` (and Python's `sorted` on BMP text). */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `p` is a folder, links followed (false when it does not exist). */
export const isDir = (p: string): boolean => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * The ImageFolder class folder of label `label`: the class name, or the workshop's two-digit label
 * (`00` ... `10`; wider when there are more than 100 classes).
 * @example classFolderName(3, classes, "label") // "03"
 */
export function classFolderName(label: number, classes: readonly string[], folderNames: "label" | "name"): string {
  const width = Math.max(2, String(classes.length - 1).length);
  return folderNames === "label" ? String(label).padStart(width, "0") : classes[label];
}

interface WalkedDir {
  dir: string;
  /** Names of the entries that are not folders, sorted. */
  files: string[];
}

/**
 * All folders under `dir` (itself included), links followed, as `os.walk` lists them, each with the
 * names of its entries that are not folders, sorted; one read and one stat per entry.
 */
function walkDirs(dir: string, out: WalkedDir[], depth = 0): WalkedDir[] {
  if (depth > 64) throw new FormatError(`image folder is nested too deep or has a link cycle: ${dir}`);
  const files: string[] = [];
  out.push({ dir, files });
  const subdirs: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (isDir(full)) subdirs.push(full);
    else files.push(name);
  }
  files.sort(byCodeUnit);
  for (const sub of subdirs) walkDirs(sub, out, depth + 1);
  return out;
}

/**
 * Read an ImageFolder root as torchvision does.
 * @throws FormatError when root has no class folder, or a class folder no image (unless allowEmpty)
 * @example const ds = readImageFolder("out/image/structured/train"); ds.classes.length // 11
 */
export function readImageFolder(root: string, options: ReadImageFolderOptions = {}): ImageFolder {
  const { extensions = IMG_EXTENSIONS, allowEmpty = false } = options;
  if (!isDir(root)) throw new FormatError(`image folder is not a folder: ${root}`);
  const classToIdx = classIndex(fs.readdirSync(root).filter((n) => isDir(path.join(root, n))));
  const classes = [...classToIdx.keys()];
  if (classes.length === 0) throw new FormatError(`image folder has no class folder: ${root}`);
  const exts = extensions.map((e) => e.toLowerCase());
  const samples: [string, number][] = [];
  const empty: string[] = [];
  classes.forEach((c, idx) => {
    const before = samples.length;
    for (const { dir, files } of walkDirs(path.join(root, c), []).sort((a, b) => byCodeUnit(a.dir, b.dir))) {
      for (const f of files) if (exts.some((e) => f.toLowerCase().endsWith(e))) samples.push([path.join(dir, f), idx]);
    }
    if (samples.length === before) empty.push(c);
  });
  if (empty.length > 0 && !allowEmpty) {
    throw new FormatError(
      `image folder class has no image: ${empty.join(", ")} (${root}; expected files ending in ${exts.join(" ")})`,
    );
  }
  return { root, classes, classToIdx, samples, targets: samples.map((s) => s[1]) };
}

/**
 * Read `root/{split}` for each split and check that every split has the same class folders (else
 * the same name would get different indices in different splits).
 * @throws SchemaError naming the split and the classes it lacks or adds
 * @example readImageFolderSplits("out/image/structured").get("val")?.samples.length
 */
export function readImageFolderSplits(
  root: string,
  splits: readonly string[] = ["train", "val", "test"],
  options: ReadImageFolderOptions = {},
): Map<string, ImageFolder> {
  const out = new Map(splits.map((s) => [s, readImageFolder(path.join(root, s), options)]));
  const first = out.get(splits[0]) as ImageFolder;
  for (const s of splits.slice(1)) {
    const other = out.get(s) as ImageFolder;
    const missing = first.classes.filter((c) => !other.classToIdx.has(c));
    const extra = other.classes.filter((c) => !first.classToIdx.has(c));
    if (missing.length + extra.length > 0) {
      throw new SchemaError(
        `class folders differ between splits: ${s} lacks [${missing.join(", ")}] and adds [${extra.join(", ")}] ` +
          `(expected the classes of ${splits[0]}; ${root})`,
      );
    }
  }
  return out;
}

/** One image to write into an ImageFolder tree. */
export interface ImageFolderItem {
  split: string;
  className: string;
  /** File name inside the class folder. */
  name: string;
  /** The encoded image. */
  data: Uint8Array;
}

/** Options of {@link writeImageFolder}. */
export interface WriteImageFolderOptions {
  /**
   * All class names in label order. Default: the sorted class names of the items. An item whose
   * class is not in the list is an error (its label would be out of range).
   */
  classes?: readonly string[];
  /** Folder names: the class name, or the workshop's two-digit label (`00` ... `10`). Default "name". */
  folderNames?: "name" | "label";
  /** Let a split lack a class (torchvision refuses to read an empty class folder). Default false. */
  allowEmpty?: boolean;
  /** Replace an existing output folder. Default false. */
  overwrite?: boolean;
  /** Called after each file with (files written, total). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link writeImageFolder} wrote. */
export interface ImageFolderWritten {
  dir: string;
  classes: string[];
  /** Images per split and class folder. */
  counts: Map<string, Map<string, number>>;
}

/**
 * Write images into `outDir/{split}/{class folder}/{name}`, every split with every class folder.
 * The tree is built in a temp folder and renamed into place, so nothing is ever half-written.
 * @throws RangeError naming the item for an empty image, an unknown class, a bad name or a clash;
 *   SchemaError when a split lacks a class (unless allowEmpty); DataPrepError when outDir exists
 * @example await writeImageFolder("out/image/pytorch", items, { folderNames: "label" })
 */
export async function writeImageFolder(
  outDir: string,
  items: readonly ImageFolderItem[],
  options: WriteImageFolderOptions = {},
): Promise<ImageFolderWritten> {
  const { folderNames = "name", allowEmpty = false, overwrite = false, onProgress } = options;
  if (items.length === 0) throw new RangeError("no images to write (expected at least one item)");
  const classes = options.classes ? [...options.classes] : [...classIndex(items.map((it) => it.className)).keys()];
  if (new Set(classes).size !== classes.length)
    throw new RangeError(`classes has a repeated name: ${classes.join(", ")}`);
  const label = new Map(classes.map((c, i) => [c, i]));
  const folderOf = (c: string) => classFolderName(label.get(c) as number, classes, folderNames);
  const counts = new Map<string, Map<string, number>>();
  const names = new Set<string>();
  items.forEach((it, i) => {
    const at = `item ${i}, ${it.split}/${it.className}/${it.name}`;
    if (!label.has(it.className)) {
      throw new RangeError(
        `image class is not among the classes: ${JSON.stringify(it.className)} (label out of range; ${at})`,
      );
    }
    if (
      !SAFE_NAME.test(it.split) ||
      !SAFE_NAME.test(it.name) ||
      (folderNames === "name" && !SAFE_NAME.test(it.className))
    ) {
      throw new RangeError(`split, class or file name is not a plain name (${at})`);
    }
    if (!(it.data instanceof Uint8Array) || it.data.length === 0)
      throw new RangeError(`image is empty: 0 bytes (${at})`);
    const key = `${it.split}/${folderOf(it.className)}/${it.name}`;
    if (names.has(key)) throw new RangeError(`two images would be written to ${key} (${at})`);
    names.add(key);
    const perSplit = counts.get(it.split) ?? new Map(classes.map((c) => [c, 0]));
    counts.set(it.split, perSplit);
    perSplit.set(it.className, (perSplit.get(it.className) as number) + 1);
  });
  if (!allowEmpty) {
    for (const [s, perClass] of counts) {
      const lacking = classes.filter((c) => perClass.get(c) === 0);
      if (lacking.length > 0) {
        throw new SchemaError(
          `split has no image of some classes: ${s} lacks [${lacking.join(", ")}] ` +
            `(torchvision's ImageFolder would refuse the empty folders; pass allowEmpty: true to write them)`,
        );
      }
    }
  }
  const target = path.resolve(outDir);
  const tmp = startOutputDir(target, { overwrite, writer: "writeImageFolder" });
  try {
    for (const s of counts.keys())
      for (const c of classes) fs.mkdirSync(path.join(tmp, s, folderOf(c)), { recursive: true });
    let done = 0;
    for (const it of items) {
      await fs.promises.writeFile(path.join(tmp, it.split, folderOf(it.className), it.name), it.data);
      done++;
      onProgress?.(done, items.length);
    }
    finishOutputDir(tmp, target, overwrite);
  } catch (e) {
    abandonOutputDir(tmp);
    if (e instanceof DataPrepError) throw e;
    throw new DataPrepError(`image folder cannot be written: ${target} (${(e as Error).message})`, { cause: e });
  }
  return { dir: target, classes, counts };
}

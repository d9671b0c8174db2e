/**
 * The classifier's data (workshop B.4/B.6/B.8 read their training images from TFRecord, JPEG folders or
 * RecordIO; here one loader for the three things a user has): a CIFAR-10 binary batch (`*.bin`), a
 * CIFAR-10 python batch (`data_batch_1`), or an ImageFolder folder (`<root>/<class>/<image>`, such as
 * notebook 1.2's `out/image/structured/train`), decoded to {@link RgbImage}s with labels and class names.
 *
 * Provenance travels with the images: `sources` counts images per origin and `generated` says whether
 * any are drawn rather than photographed. For an ImageFolder that sits in a structured folder, the
 * origin is the `source` column of the `manifest.json` beside it (`cifar`, `coco`, `coco-generated`);
 * CIFAR-10 files are real records. Accuracy on generated images says nothing about real photographs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FormatError, SchemaError } from "../util/errors";
import { mulberry32, shuffleInPlace } from "../util/prng";
import {
  CIFAR10_CLASSES,
  CIFAR_RECORD_BYTES,
  readCifar,
  readCifarBatch,
  readCifarClassNames,
  type CifarBatch,
} from "./cifar";
import { readImageFolder, type ImageFolder } from "./imagefolder";
import { readManifest, type ManifestEntry } from "./manifest";
import { decodeImage, fitLongerSide, type RgbImage } from "./transforms";

/** Images with labels, read by {@link loadImageDataset}. */
export interface ImageDataset {
  images: RgbImage[];
  /** Class index of each image, 0..classNames.length-1. */
  labels: Int32Array;
  classNames: string[];
  /** Where each image came from (file path, or `<batch file>#<record>`), for messages and captions. */
  names: string[];
  /** The paths read. */
  paths: string[];
  /** What was read, in words: "CIFAR-10 binary batch data/x.bin (1,000 records)". */
  description: string;
  /** Images per origin: `cifar10` for CIFAR-10 records, else the manifest's `source`, or `unknown`. */
  sources: Record<string, number>;
  /** True when some images are generated (drawn offline), not real photographs or CIFAR-10 records. */
  generated: boolean;
}

/** Options of {@link loadImageDataset}. */
export interface LoadImageDatasetOptions {
  /** Names the data in errors and descriptions. Default "image data". */
  role?: string;
  /**
   * Images whose longer side is above this are shrunk to it on load (aspect kept), so a folder of
   * photographs fits in memory; every backbone resizes to its own input size anyway. Default 512.
   */
  maxSide?: number;
  /** Refuse data in which a class has no image (a head cannot learn it). Default false. */
  requireEveryClass?: boolean;
  /** Called after each image folder image is decoded with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const GENERATED_SOURCE = /generated|synthetic/i;
const n = (x: number) => x.toLocaleString("en-US");

/**
 * Read one or more paths (CIFAR-10 batch files or ImageFolder folders; several paths are joined and
 * must have the same classes) into images, labels and class names.
 * @throws FormatError naming the path when it is neither format; SchemaError for a label out of range,
 *   an empty class (ImageFolder always; any with `requireEveryClass`) or paths with different classes
 * @example const train = await loadImageDataset("out/image/structured/train", { role: "trainData" })
 */
export async function loadImageDataset(
  paths: string | readonly string[],
  options: LoadImageDatasetOptions = {},
): Promise<ImageDataset> {
  const list = typeof paths === "string" ? [paths] : [...paths];
  if (list.length === 0) throw new RangeError(`${options.role ?? "image data"} has no path (expected one or more)`);
  const role = options.role ?? "image data";
  const parts: ImageDataset[] = [];
  for (const p of list) parts.push(await loadOne(p, role, options));
  const ds = parts.length === 1 ? parts[0] : joinDatasets(parts, role);
  if (options.requireEveryClass) checkEveryClass(ds, role);
  return ds;
}

async function loadOne(p: string, role: string, options: LoadImageDatasetOptions): Promise<ImageDataset> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    throw new FormatError(`${role} path cannot be read: ${p} (${(e as Error).message})`, { cause: e });
  }
  if (stat.isDirectory()) {
    const hasSubfolder = fs.readdirSync(p).some((f) => fs.statSync(path.join(p, f)).isDirectory());
    if (hasSubfolder) return loadFolder(p, role, options);
    let batches: CifarBatch[];
    let classNames: string[];
    try {
      ({ batches, classNames } = readCifar(p));
    } catch (e) {
      throw neither(p, role, (e as Error).message, e);
    }
    return fromCifar(batches, classNames, p, role);
  }
  const kind = sniffCifar(p, stat.size);
  if (typeof kind === "object") throw neither(p, role, kind.why);
  const batch = readCifarBatch(p);
  const meta = ["batches.meta.txt", "batches.meta"].map((f) => path.join(path.dirname(p), f)).find(fs.existsSync);
  return fromCifar([batch], meta ? readCifarClassNames(meta) : [...CIFAR10_CLASSES], p, role);
}

function neither(p: string, role: string, why: string, cause?: unknown): FormatError {
  return new FormatError(
    `${role} is neither a CIFAR-10 batch file (binary or python) nor an ImageFolder folder: ${p} (${why}; ` +
      `expected a *.bin of 3,073-byte records, a pickled data_batch, or a folder of class folders)`,
    { cause },
  );
}

/** "binary" or "pickle" from the first byte and the size, or why the file is neither. */
function sniffCifar(file: string, size: number): "binary" | "pickle" | { why: string } {
  if (size === 0) return { why: "0 bytes" };
  const fd = fs.openSync(file, "r");
  const first = Buffer.alloc(1);
  try {
    fs.readSync(fd, first, 0, 1, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (first[0] === 0x80) return "pickle";
  if (size % CIFAR_RECORD_BYTES !== 0)
    return { why: `${n(size)} bytes: not a pickle and not a whole number of 3,073-byte records` };
  if (first[0] > 9)
    return { why: `${n(size)} bytes of 3,073-byte records, but record 0's label byte is ${first[0]} (expected 0-9)` };
  return "binary";
}

function fromCifar(batches: CifarBatch[], classNames: string[], p: string, role: string): ImageDataset {
  const images: RgbImage[] = [];
  const labels: number[] = [];
  const names: string[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const label = b.labels[i];
      if (label >= classNames.length) {
        throw new SchemaError(
          `${role} label is out of range: ${label} (expected 0-${classNames.length - 1}; ${b.file}, record ${i})`,
        );
      }
      images.push({ data: b.hwc(i), width: 32, height: 32, channels: 3 });
      labels.push(label);
      names.push(`${path.basename(b.file)}#${b.sourceIndex ? b.sourceIndex[i] : i}`);
    }
  }
  const formats = [...new Set(batches.map((b) => b.format))].join(" and ");
  return {
    images,
    labels: Int32Array.from(labels),
    classNames,
    names,
    paths: [p],
    description: `CIFAR-10 ${formats} batch ${p} (${n(images.length)} real CIFAR-10 records)`,
    sources: { cifar10: images.length },
    generated: false,
  };
}

/** The manifest of the structured folder holding `root` (itself or its parent), by absolute image path. */
function manifestFor(root: string): Map<string, ManifestEntry> | undefined {
  for (const dir of [root, path.dirname(root)]) {
    if (!fs.existsSync(path.join(dir, "manifest.json"))) continue;
    return new Map(readManifest(dir).map((e) => [path.resolve(dir, e.path), e]));
  }
  return undefined;
}

async function loadFolder(root: string, role: string, options: LoadImageDatasetOptions): Promise<ImageDataset> {
  const { maxSide = 512, onProgress } = options;
  let folder: ImageFolder;
  try {
    folder = readImageFolder(root);
  } catch (e) {
    // An empty class is a schema problem of the data, not of the format.
    if (/class has no image/.test((e as Error).message)) {
      throw new SchemaError(`${role}: ${(e as Error).message.replace(/^image folder /, "")}`, { cause: e });
    }
    throw e;
  }
  const manifest = manifestFor(path.resolve(root));
  const sources: Record<string, number> = {};
  folder.samples.forEach(([file, idx]) => {
    const entry = manifest?.get(path.resolve(file));
    if (entry && entry.class !== folder.classes[idx]) {
      throw new SchemaError(
        `${role} label disagrees with its folder: manifest class ${JSON.stringify(entry.class)} (label ${entry.label}) ` +
          `for an image in ${folder.classes[idx]}/ (${file}; expected the folder's class)`,
      );
    }
    const source = entry?.source ?? "unknown";
    sources[source] = (sources[source] ?? 0) + 1;
  });
  const images: RgbImage[] = new Array(folder.samples.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < folder.samples.length) {
      const k = next++;
      const file = folder.samples[k][0];
      let { image } = await decodeImage(fs.readFileSync(file), file);
      if (Math.max(image.width, image.height) > maxSide) image = await fitLongerSide(image, maxSide);
      images[k] = image;
      onProgress?.(++done, folder.samples.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const generated = Object.keys(sources).some((s) => GENERATED_SOURCE.test(s));
  const bySource = Object.entries(sources)
    .map(([s, c]) => `${n(c)} ${s}`)
    .join(", ");
  return {
    images,
    labels: Int32Array.from(folder.targets),
    classNames: folder.classes,
    names: folder.samples.map(([file]) => file),
    paths: [root],
    description: `ImageFolder ${root} (${n(images.length)} images in ${folder.classes.length} classes: ${bySource}${manifest ? ", from its manifest" : ", no manifest"})`,
    sources,
    generated,
  };
}

function joinDatasets(parts: ImageDataset[], role: string): ImageDataset {
  for (const d of parts.slice(1)) checkSameClasses(parts[0], d, role, role);
  const sources: Record<string, number> = {};
  for (const d of parts) for (const [s, c] of Object.entries(d.sources)) sources[s] = (sources[s] ?? 0) + c;
  return {
    images: parts.flatMap((d) => d.images),
    labels: Int32Array.from(parts.flatMap((d) => Array.from(d.labels))),
    classNames: parts[0].classNames,
    names: parts.flatMap((d) => d.names),
    paths: parts.flatMap((d) => d.paths),
    description: parts.map((d) => d.description).join(" + "),
    sources,
    generated: parts.some((d) => d.generated),
  };
}

/**
 * Check that two datasets have the same class names in the same order (else label i would mean
 * different classes in training and test).
 * @throws SchemaError naming both paths and the classes one lacks or adds
 * @example checkSameClasses(train, test, "trainData", "testData")
 */
export function checkSameClasses(a: ImageDataset, b: ImageDataset, aRole = "trainData", bRole = "testData"): void {
  const same = a.classNames.length === b.classNames.length && a.classNames.every((c, i) => c === b.classNames[i]);
  if (same) return;
  const missing = a.classNames.filter((c) => !b.classNames.includes(c));
  const extra = b.classNames.filter((c) => !a.classNames.includes(c));
  throw new SchemaError(
    `class lists differ between ${aRole} and ${bRole}: ${b.paths.join(" + ")} lacks [${missing.join(", ")}] and adds ` +
      `[${extra.join(", ")}]${missing.length + extra.length === 0 ? " (same names, another order)" : ""} ` +
      `(expected the classes of ${a.paths.join(" + ")}: ${a.classNames.join(", ")})`,
  );
}

function checkEveryClass(ds: ImageDataset, role: string): void {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (const l of ds.labels) counts[l]++;
  const empty = ds.classNames.filter((_, i) => counts[i] === 0);
  if (empty.length > 0) {
    throw new SchemaError(
      `${role} class has no image: ${empty.join(", ")} (${ds.paths.join(" + ")}; expected at least one image per class, ` +
        `else the classifier cannot learn it)`,
    );
  }
}

/** Indices of a training and a validation part. */
export interface ValidationSplit {
  train: Int32Array;
  val: Int32Array;
}

/**
 * Split indices 0..labels.length-1 into training and validation, stratified: each class's indices are
 * shuffled (mulberry32 seeded with `seed`, Fisher-Yates) and `round(count × valFraction)` of them go to
 * validation, leaving at least one in training. Both parts are returned in ascending order.
 * @example const { train, val } = splitValidation(ds.labels, 0.2, 0)
 */
export function splitValidation(labels: ArrayLike<number>, valFraction: number, seed = 0): ValidationSplit {
  if (!(valFraction > 0 && valFraction < 1)) {
    throw new RangeError(`valFraction is out of range: ${valFraction} (expected a number between 0 and 1, exclusive)`);
  }
  const rand = mulberry32(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  }
  const train: number[] = [];
  const val: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = byClass.get(label)!;
    shuffleInPlace(idx, rand);
    const nVal = Math.min(idx.length - 1, Math.round(idx.length * valFraction));
    val.push(...idx.slice(0, nVal));
    train.push(...idx.slice(nVal));
  }
  const asc = (xs: number[]) => Int32Array.from(xs.sort((a, b) => a - b));
  return { train: asc(train), val: asc(val) };
}

/**
 * The images and labels at `indices`, with the same classes; `paths`, `description`, `sources` and
 * `generated` still describe the whole data read.
 * @example const valSet = subsetDataset(ds, split.val)
 */
export function subsetDataset(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const idx = Array.from(indices);
  return {
    ...ds,
    images: idx.map((i) => ds.images[i]),
    labels: Int32Array.from(idx, (i) => ds.labels[i]),
    names: idx.map((i) => ds.names[i]),
  };
}

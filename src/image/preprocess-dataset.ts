/**
 * The preprocessing notebooks' workflow (workshop B.3, B.5, B.7): a structured folder (notebook
 * 1.2's `{train,val,test}/{class}`) resized and re-encoded split by split with `preprocessImages`,
 * then written in one framework's format:
 *
 *   "tfrecord"    <out>/{split}.tfrecord        tf.train.Example (height, width, depth, label, image_raw)
 *   "imagefolder" <out>/{split}/{00..10}/x.jpg  PyTorch ImageFolder (class names with folderNames "name")
 *   "recordio"    <out>/{split}.lst .rec .idx   im2rec's list and records (id = list index)
 *                 <out>/workshop-lst/{split}.lst the workshop's hand-written lists of the originals
 *
 * plus `classes.txt` (class names in label order). The whole output folder is built beside `outDir`
 * and renamed into place when complete (output-dir.ts): a bad image stops the run with a FormatError
 * naming the file and nothing is published, unless `onError: "collect"` lists it and leaves it out.
 * Grayscale, CMYK and alpha images are converted to RGB and counted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataPrepError, SchemaError } from "../util/errors";
import { numpyPermutation } from "../util/numpy-random-state";
import { classFolderName } from "./imagefolder";
import { im2recList, workshopLst, writeLst } from "./lst";
import { abandonOutputDir, finishOutputDir, isInside, startOutputDir } from "./output-dir";
import {
  _jpegFrame,
  countConverted,
  preprocessImages,
  type ConvertedImage,
  type PreprocessItem,
  type PreprocessResize,
} from "./preprocess";
import { writeRecordIO } from "./recordio";
import { readStructuredFolder, type StructuredImage, type StructuredInput } from "./structured-input";
import { writeTFRecord, type ImageExample } from "./tfrecord";
import { DEFAULT_IMAGE_SIZE, DEFAULT_JPEG_QUALITY, WORKSHOP_FIT_SIZE } from "./transforms";

/** The framework format written by {@link preprocessDataset}. */
export type DatasetFormat = "tfrecord" | "imagefolder" | "recordio";

/** Options of {@link preprocessDataset}. */
export interface PreprocessDatasetOptions {
  /** Format to write. */
  format: DatasetFormat;
  /** Resize mode. Default "fit-crop-or-pad" for "tfrecord" (the TensorFlow notebook), else "shorter-side". */
  resize?: PreprocessResize;
  /** Target size in pixels. Default 224 (the workshop's TensorFlow route used 244, a typo). */
  size?: number;
  /** Longer side of the fit in "fit-crop-or-pad". Default 400, the workshop's. */
  fitSize?: number;
  /** JPEG quality. Default 90 (the workshop's `encode_jpeg` and im2rec `--quality`). */
  quality?: number;
  /** Splits to write. Default: those of train, val, test in the input folder. */
  splits?: readonly string[];
  /** "imagefolder": folder names, "label" (the workshop's 00..10) or "name". Default "label". */
  folderNames?: "label" | "name";
  /**
   * Record order: shuffled (default true). "tfrecord": a seeded numpy permutation of each split;
   * "recordio": im2rec's list shuffle (Python `random.seed(100)`). false: the folders' sorted order.
   */
  shuffle?: boolean;
  /** Seed of the "tfrecord" shuffle. Default 0. */
  seed?: number;
  /** "throw" (default): stop at the first bad image, writing nothing; "collect": list it and go on. */
  onError?: "throw" | "collect";
  /** Replace an existing output folder this project wrote. Default false. */
  overwrite?: boolean;
  /** Images processed at once (default: preprocessImages' own). */
  inFlight?: number;
  /** Called after each image with (images done, images in total). */
  onProgress?: (done: number, total: number) => void;
}

/** One file written, relative to the output folder. */
export interface WrittenFile {
  path: string;
  bytes: number;
}

/** What {@link preprocessDataset} wrote. */
export interface PreprocessedDataset {
  format: DatasetFormat;
  /** The output folder. */
  dir: string;
  /** The input (structured) folder. */
  input: string;
  classes: string[];
  splits: string[];
  settings: {
    resize: PreprocessResize;
    size: number;
    fitSize: number;
    quality: number;
    shuffle: boolean;
    seed: number;
    folderNames?: "label" | "name";
  };
  /** Images in the input, per split. */
  images: Record<string, number>;
  /** Records (TFRecord, RecordIO) or JPEG files (ImageFolder) written, per split. */
  written: Record<string, number>;
  /** Records or files written per class and split, classes in label order. */
  counts: Record<string, Record<string, number>>;
  /** Every file written (the ImageFolder's JPEGs summed per split folder), with its size. */
  files: WrittenFile[];
  /** Sizes of the re-encoded JPEGs, in bytes. */
  jpegBytes: { min: number; mean: number; max: number; total: number };
  /** Images converted to RGB (an image with alpha may count twice) and which. */
  converted: { grayscale: number; cmyk: number; alpha: number };
  convertedFiles: ConvertedImage[];
  /** Images left out with `onError: "collect"`, with the reason (paths relative to the input). */
  failures: { file: string; message: string }[];
  /** Notes on what was adjusted or left out (empty when nothing was). */
  warnings: string[];
  /** Wall-clock seconds of preprocessing and writing. */
  seconds: number;
  /** Images preprocessed and written per second. */
  imagesPerSecond: number;
}

const SCRATCH = ".jpeg";

/**
 * Preprocess a structured folder split by split and write it in `format` into `outDir`.
 * @throws DataPrepError when the input is missing (run notebook 1.2) or `outDir` exists without
 *   `overwrite`; SchemaError when class folders differ between splits or a label is out of range;
 *   FormatError naming the file for a corrupt, empty or zero-sized image (unless `onError: "collect"`)
 * @example const r = await preprocessDataset("out/image/structured", "out/image/tfrecord", { format: "tfrecord" })
 */
export async function preprocessDataset(
  structuredDir: string,
  outDir: string,
  options: PreprocessDatasetOptions,
): Promise<PreprocessedDataset> {
  const { format } = options ?? {};
  if (!["tfrecord", "imagefolder", "recordio"].includes(format)) {
    throw new RangeError(
      `dataset format is unknown: ${String(format)} (expected "tfrecord", "imagefolder" or "recordio")`,
    );
  }
  const folderNames = options.folderNames ?? "label";
  if (folderNames !== "label" && folderNames !== "name") {
    throw new RangeError(`folderNames is unknown: ${String(folderNames)} (expected "label" or "name")`);
  }
  const settings: PreprocessedDataset["settings"] = {
    resize: options.resize ?? (format === "tfrecord" ? "fit-crop-or-pad" : "shorter-side"),
    size: options.size ?? DEFAULT_IMAGE_SIZE,
    fitSize: options.fitSize ?? WORKSHOP_FIT_SIZE,
    quality: options.quality ?? DEFAULT_JPEG_QUALITY,
    shuffle: options.shuffle ?? true,
    seed: options.seed ?? 0,
    ...(format === "imagefolder" ? { folderNames } : {}),
  };
  const input = readStructuredFolder(structuredDir, options.splits ? { splits: options.splits } : {});
  const target = path.resolve(outDir);
  if (isInside(input.dir, target)) {
    throw new DataPrepError(
      `output folder is inside the input folder: ${target} (expected a folder apart from ${input.dir})`,
    );
  }
  const tmp = startOutputDir(target, { overwrite: options.overwrite ?? false, writer: `preprocessDataset ${format}` });
  try {
    const result = await _preprocessDataset(input, tmp, format, settings, options);
    finishOutputDir(tmp, target, options.overwrite ?? false);
    return { ...result, dir: target };
  } catch (e) {
    abandonOutputDir(tmp);
    throw e;
  }
}

const jpegName = (file: string) => path.basename(file, path.extname(file)) + ".jpg";

async function _preprocessDataset(
  input: StructuredInput,
  tmp: string,
  format: DatasetFormat,
  settings: PreprocessedDataset["settings"],
  options: PreprocessDatasetOptions,
): Promise<PreprocessedDataset> {
  const start = process.hrtime.bigint();
  const { classes, splits } = input;
  const total = splits.reduce((n, s) => n + input.images.get(s)!.length, 0);
  const warnings: string[] = [];
  const failures: PreprocessedDataset["failures"] = [];
  const convertedFiles: ConvertedImage[] = [];
  const images: Record<string, number> = {};
  const written: Record<string, number> = {};
  const counts: Record<string, Record<string, number>> = Object.fromEntries(
    classes.map((c) => [c, Object.fromEntries(splits.map((s) => [s, 0]))]),
  );
  const jpegSizes: number[] = [];
  const names = settings.folderNames ?? "label";
  let done = 0;

  for (const split of splits) {
    const list = input.images.get(split)!;
    images[split] = list.length;
    // 1. resize and re-encode every image of the split (into the ImageFolder tree, or a scratch folder)
    const outputOf = (im: StructuredImage) =>
      format === "imagefolder"
        ? path.join(split, classFolderName(im.label, classes, names), jpegName(im.file))
        : path.join(SCRATCH, split, im.className, jpegName(im.file));
    const items: PreprocessItem[] = list.map((im) => ({ input: im.file, output: outputOf(im) }));
    if (format === "imagefolder") {
      classes.forEach((_, label) =>
        fs.mkdirSync(path.join(tmp, split, classFolderName(label, classes, names)), { recursive: true }),
      );
    }
    const before = done;
    const r = await preprocessImages(items, tmp, {
      resize: settings.resize,
      size: settings.size,
      fitSize: settings.fitSize,
      quality: settings.quality,
      onError: options.onError ?? "throw",
      ...(options.inFlight === undefined ? {} : { inFlight: options.inFlight }),
      onProgress: (d) => {
        done = before + d;
        options.onProgress?.(done, total);
      },
    });
    const relOf = (file: string) => path.relative(input.dir, file).split(path.sep).join("/");
    for (const f of r.failures) failures.push({ file: relOf(f.file), message: f.message });
    for (const c of r.convertedFiles) convertedFiles.push({ ...c, file: relOf(c.file) });
    const failed = new Set(r.failures.map((f) => f.file));
    const kept = list.filter((im) => !failed.has(im.file));
    const jpegOf = (im: StructuredImage) => fs.readFileSync(path.join(tmp, outputOf(im)));
    for (const im of kept) jpegSizes.push(fs.statSync(path.join(tmp, outputOf(im))).size);

    // 2. write the split in the format
    let packed: StructuredImage[] = kept;
    if (format === "tfrecord") {
      if (settings.shuffle) {
        const perm = numpyPermutation(kept.length, settings.seed);
        packed = Array.from(perm, (k) => kept[k]);
      }
      const examples = function* (): Generator<ImageExample> {
        for (const im of packed) {
          const jpeg = jpegOf(im);
          const frame = _jpegFrame(jpeg);
          if (!frame) throw new DataPrepError(`re-encoded image is not a baseline JPEG: ${im.rel}`);
          yield { height: frame.height, width: frame.width, depth: 3, label: im.label, imageRaw: jpeg };
        }
      };
      await writeTFRecord(path.join(tmp, `${split}.tfrecord`), examples(), { numClasses: classes.length });
    } else if (format === "recordio") {
      packed = await _writeRecordIOSplit(input, split, kept, failed, tmp, settings.shuffle, warnings, jpegOf);
    }
    written[split] = packed.length;
    for (const im of packed) counts[im.className][split]++;
  }

  fs.rmSync(path.join(tmp, SCRATCH), { recursive: true, force: true });
  if (format === "recordio") {
    const lists = workshopLst(input.dir, { splitOrder: ["train", "test", "val"] });
    fs.mkdirSync(path.join(tmp, "workshop-lst"));
    for (const s of splits) {
      const listed = lists.get(s) ?? [];
      writeLst(path.join(tmp, "workshop-lst", `${s}.lst`), listed, { style: "workshop" });
      const all = input.images.get(s)!.length;
      if (listed.length < all) {
        warnings.push(
          `workshop-lst/${s}.lst: ${listed.length} of ${all} images listed (the workshop's rglob("*.jpg") takes only .jpg files)`,
        );
      }
    }
  }
  fs.writeFileSync(path.join(tmp, "classes.txt"), classes.join("\n") + "\n");
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const n = jpegSizes.length;
  const sum = jpegSizes.reduce((a, b) => a + b, 0);
  return {
    format,
    dir: tmp,
    input: input.dir,
    classes,
    splits,
    settings,
    images,
    written,
    counts,
    files: _listFiles(tmp, format),
    jpegBytes: {
      min: n ? Math.min(...jpegSizes) : 0,
      mean: n ? Math.round(sum / n) : 0,
      max: n ? Math.max(...jpegSizes) : 0,
      total: sum,
    },
    converted: countConverted(convertedFiles),
    convertedFiles,
    failures,
    warnings,
    seconds,
    imagesPerSecond: seconds > 0 ? (total - failures.length) / seconds : 0,
  };
}

/**
 * One split of the built-in route: im2rec's list of the split folder (labels checked against the
 * class index), written as `<split>.lst`, and the records in list order as `<split>.rec`/`.idx`.
 */
async function _writeRecordIOSplit(
  input: StructuredInput,
  split: string,
  kept: StructuredImage[],
  failed: ReadonlySet<string>,
  tmp: string,
  shuffle: boolean,
  warnings: string[],
  jpegOf: (im: StructuredImage) => Buffer,
): Promise<StructuredImage[]> {
  const root = path.join(input.dir, split);
  const list = im2recList(root, { shuffle });
  const byRel = new Map(kept.map((im) => [im.rel, im]));
  const entries = [];
  const packed: StructuredImage[] = [];
  let relabelled = 0;
  for (const e of list.entries) {
    const full = path.join(root, e.path);
    if (failed.has(full)) continue;
    const im = byRel.get(`${split}/${e.path}`);
    if (im === undefined) {
      throw new SchemaError(
        `image is outside a class folder: ${full} (im2rec would give it a label of its own; expected ${split}/<class>/<image>)`,
      );
    }
    // im2rec numbers the folders that hold images; an empty class folder would shift the labels after it.
    if (e.labels[0] !== im.label) relabelled++;
    entries.push({ ...e, labels: [im.label] });
    packed.push(im);
  }
  if (relabelled > 0) {
    warnings.push(
      `${split}: ${relabelled} im2rec labels set to the class index (a class folder without images shifts im2rec's per-folder labels)`,
    );
  }
  const left = kept.length - packed.length;
  if (left > 0) warnings.push(`${split}: ${left} images left out (im2rec lists only .jpeg, .jpg and .png files)`);
  writeLst(path.join(tmp, `${split}.lst`), entries);
  await writeRecordIO(
    path.join(tmp, `${split}.rec`),
    entries.map((e, k) => ({ label: e.labels[0], id: e.index, image: jpegOf(packed[k]) })),
    { numClasses: input.classes.length },
  );
  return packed;
}

/** The files of the output folder with their sizes; an ImageFolder's JPEGs summed per split folder. */
function _listFiles(dir: string, format: DatasetFormat): WrittenFile[] {
  const out: WrittenFile[] = [];
  const walk = (d: string): number => {
    let bytes = 0;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      bytes += e.isDirectory() ? walk(full) : fs.statSync(full).size;
    }
    return bytes;
  };
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith(".mldp-")) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory() && format === "imagefolder") out.push({ path: `${e.name}/`, bytes: walk(full) });
    else if (e.isDirectory()) {
      for (const f of fs.readdirSync(full).sort())
        out.push({ path: `${e.name}/${f}`, bytes: fs.statSync(path.join(full, f)).size });
    } else out.push({ path: e.name, bytes: fs.statSync(full).size });
  }
  return out;
}

/**
 * The `results.json` body of a preprocessing notebook: settings, counts per split and class,
 * records written, file sizes, throughput, colour conversions, failures.
 * @example writeResults("out/image/tfrecord-prep/results.json", preprocessResults(r))
 */
export function preprocessResults(r: PreprocessedDataset): Record<string, unknown> {
  return {
    format: r.format,
    input: r.input,
    outputFolder: r.dir,
    classes: r.classes,
    splits: r.splits,
    settings: r.settings,
    images: r.images,
    written: r.written,
    counts: r.counts,
    files: r.files,
    jpegBytes: r.jpegBytes,
    seconds: Number(r.seconds.toFixed(3)),
    imagesPerSecond: Number(r.imagesPerSecond.toFixed(1)),
    converted: r.converted,
    convertedFiles: r.convertedFiles,
    failures: r.failures,
    warnings: r.warnings,
  };
}

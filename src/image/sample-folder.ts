/**
 * The sample folder image notebook 1.1 hands to 1.2 (the workshop's `data_sample_2750/` plus its
 * `sample_annos.pickle` and `category_labels.pickle`, B.1 steps 12-15), as JSON:
 *
 *   <dir>/images/<file_name>         every sampled COCO image (copied byte for byte) and CIFAR record (JPEG)
 *   <dir>/sample_annos.json          { version: 1, policy, multiLabelImages, skipped,
 *                                      categories: { "<id>": name }, items: [ImageSampleItem + file] }
 *
 * The folder is built in a temp folder and renamed into place (an existing one is replaced whole,
 * as the workshop deleted `data_sample_2750` before renaming), so 1.2 never reads half of it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FormatError } from "../util/errors";
import { writeCifarImages, type CifarBatch } from "./cifar";
import { abandonOutputDir, finishOutputDir, startOutputDir } from "./output-dir";
import type { ImageSample, ImageSampleItem, LabelPolicy } from "./select";

/** A sampled image with the file it is in. */
export interface SampleFolderItem extends ImageSampleItem {
  /** Absolute path of the image in the sample folder. */
  file: string;
}

/** Options of {@link writeSampleFolder}. */
export interface WriteSampleFolderOptions {
  /** Where each COCO image of the sample is now (downloaded or generated). */
  cocoFile: (item: ImageSampleItem) => string;
  /** The batch the CIFAR items were drawn from (needed when the sample has CIFAR items). */
  cifar?: CifarBatch;
  /** JPEG quality of the CIFAR images. Default 75 (imageio's, as the workshop wrote its frogs). */
  quality?: number;
  /** Called after each image with (images done, images in total). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link readSampleFolder} reads back. */
export interface SampleFolder {
  dir: string;
  annotations: string;
  policy: LabelPolicy;
  multiLabelImages: number;
  skipped: number;
  /** Category id → class name (the workshop's `category_labels`). */
  categories: Map<number, string>;
  items: SampleFolderItem[];
}

const ANNOTATIONS = "sample_annos.json";

/**
 * Write `sample` into `dir`: COCO images copied from `cocoFile(item)`, CIFAR records written as JPEG, and
 * `sample_annos.json`. A sample folder written earlier is replaced; any other existing folder is refused.
 * @throws FormatError naming the image when a COCO file is missing
 * @example await writeSampleFolder(sample, "out/sample", { cocoFile: (it) => path.join(imgs, it.fileName), cifar })
 */
export async function writeSampleFolder(
  sample: ImageSample,
  dir: string,
  options: WriteSampleFolderOptions,
): Promise<SampleFolder> {
  const { cocoFile, cifar, quality = 75, onProgress } = options;
  const target = path.resolve(dir);
  // Replaces a sample folder built earlier (a notebook run again), never a user's folder or one holding the images.
  const sources = sample.items.filter((i) => i.source === "coco").map((it) => cocoFile(it));
  const tmp = startOutputDir(target, { overwrite: true, writer: "writeSampleFolder", sources });
  try {
    const images = path.join(tmp, "images");
    fs.mkdirSync(images, { recursive: true });
    let done = 0;
    for (const it of sample.items.filter((i) => i.source === "coco")) {
      const from = cocoFile(it);
      try {
        fs.copyFileSync(from, path.join(images, it.fileName));
      } catch (e) {
        throw new FormatError(`COCO image cannot be copied: ${from} (image id ${it.id}, ${(e as Error).message})`, {
          cause: e,
        });
      }
      onProgress?.(++done, sample.items.length);
    }
    const frogs = sample.items.filter((i) => i.source === "cifar");
    if (frogs.length > 0) {
      if (!cifar) throw new RangeError(`the sample has ${frogs.length} CIFAR items but no cifar batch was given`);
      await writeCifarImages(
        cifar,
        frogs.map((f) => f.cifarIndex as number),
        images,
        { format: "jpeg", quality },
      );
      done += frogs.length;
      onProgress?.(done, sample.items.length);
    }
    const json = {
      version: 1,
      policy: sample.policy,
      multiLabelImages: sample.multiLabelImages,
      skipped: sample.skipped,
      categories: Object.fromEntries(sample.categories),
      items: sample.items.map((it) => ({ ...it, file: `images/${it.fileName}` })),
    };
    fs.writeFileSync(path.join(tmp, ANNOTATIONS), JSON.stringify(json, null, 1) + "\n");
    finishOutputDir(tmp, target, true);
  } catch (e) {
    abandonOutputDir(tmp);
    throw e;
  }
  return readSampleFolder(target);
}

function fail(file: string, where: string, problem: string): never {
  throw new FormatError(`${problem} (${file}, ${where}; expected what notebook 1.1 writes)`);
}

/**
 * Read a sample folder written by {@link writeSampleFolder} (notebook 1.1's output), checking each item.
 * @throws FormatError naming the file and item when the folder or a field is missing or wrong
 * @example readSampleFolder("out/image/data/sample").items.length // 660
 */
export function readSampleFolder(dir: string): SampleFolder {
  const target = path.resolve(dir);
  const file = path.join(target, ANNOTATIONS);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new FormatError(
      `sample annotations cannot be read: ${file} (${(e as Error).message}; run notebook 1.1 with the same dataRoot first)`,
      { cause: e },
    );
  }
  if (data === null || typeof data !== "object" || data.version !== 1)
    fail(file, "top level", `version is not 1: ${JSON.stringify((data as { version?: unknown })?.version)}`);
  const cats = data.categories;
  if (cats === null || typeof cats !== "object") fail(file, "field categories", "categories is not an object");
  const categories = new Map(Object.entries(cats as Record<string, string>).map(([k, v]) => [Number(k), String(v)]));
  if (!Array.isArray(data.items) || data.items.length === 0)
    fail(file, "field items", "items is not a non-empty array");
  const items = (data.items as Record<string, unknown>[]).map((it, i): SampleFolderItem => {
    const where = `items[${i}]`;
    for (const key of ["id", "categoryId", "width", "height"])
      if (!Number.isSafeInteger(it?.[key]))
        fail(file, `${where}, field ${key}`, `${key} is not an integer: ${JSON.stringify(it?.[key])}`);
    for (const key of ["className", "fileName", "file", "origin"])
      if (typeof it[key] !== "string")
        fail(file, `${where}, field ${key}`, `${key} is not a string: ${JSON.stringify(it[key])}`);
    if (it.source !== "coco" && it.source !== "cifar")
      fail(file, `${where}, field source`, `source is not coco or cifar: ${JSON.stringify(it.source)}`);
    if (categories.get(it.categoryId as number) !== it.className)
      fail(
        file,
        `${where}, field className`,
        `className ${JSON.stringify(it.className)} is not category ${String(it.categoryId)}'s`,
      );
    const abs = path.resolve(target, it.file as string);
    if (!abs.startsWith(target + path.sep))
      fail(file, `${where}, field file`, `file is outside the folder: ${JSON.stringify(it.file)}`);
    return { ...(it as unknown as ImageSampleItem), file: abs };
  });
  return {
    dir: target,
    annotations: file,
    policy: data.policy as LabelPolicy,
    multiLabelImages: Number(data.multiLabelImages),
    skipped: Number(data.skipped),
    categories,
    items,
  };
}

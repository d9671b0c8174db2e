/**
 * The records of a COCO instances file (cocodataset.org "Data format"), and the one validator every
 * reader of them goes through: the COCO API's index (`coco.ts`, streaming or in memory) and the
 * plain-JSON entry points selection and structuring use (`checkCocoJson`, `readCocoJson`). Each image,
 * annotation and category is checked once (while the file is streamed, or when it is indexed), then
 * ids are checked unique and annotations checked to point at an image and a category; a bad record
 * gives a FormatError naming the file, the section, the record (`annotations[12] (id 345)`) and the
 * field. Field names stay as the JSON spells them (`image_id`, `file_name`): they are data, not API.
 * Fields nothing here reads (`license`, `flickr_url`, ...) are kept as read, unchecked.
 *
 * Glossary: ann = annotation, cat = category, img = image, bbox = [x, y, width, height] in pixels.
 */
import { FormatError } from "../util/errors";
import { readJsonFile } from "./json-stream";
import type { Rle, UncompressedRle } from "./rle";

/** An image record: `id`, `file_name`, `width` and `height` are checked; the rest is kept as read. */
export interface CocoImage {
  id: number;
  /** The image's file name (`000000391895.jpg`). */
  file_name: string;
  width: number;
  height: number;
  /** Where the image is downloaded from (`http://images.cocodataset.org/train2017/<file_name>`). */
  coco_url?: string;
  [field: string]: unknown;
}

/** Polygons `[[x1, y1, x2, y2, ...], ...]` (iscrowd 0), or RLE (crowds, results). */
export type Segmentation = number[][] | UncompressedRle | Rle;

/** An annotation record (an object instance, or a crowd of them). */
export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation?: Segmentation;
  /** Area of the segmentation in pixels (polygon area, or the RLE mask's pixel count). */
  area: number;
  /** `[x, y, width, height]`, pixels. */
  bbox: [number, number, number, number];
  iscrowd: 0 | 1;
  score?: number;
  [field: string]: unknown;
}

/** A category record. */
export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  [field: string]: unknown;
}

/** The whole file: `images` is required, `annotations` and `categories` may be absent (test sets). */
export interface CocoDataset {
  info?: Record<string, unknown>;
  licenses?: unknown[];
  images: CocoImage[];
  annotations?: CocoAnnotation[];
  categories?: CocoCategory[];
  [field: string]: unknown;
}

/** An instances file, as {@link checkCocoJson} returns it: a {@link CocoDataset} with all three lists. */
export type CocoJson = CocoDataset & { annotations: CocoAnnotation[]; categories: CocoCategory[] };

/**
 * The FormatError for `field` of record `section[index]` of `source`, e.g. `annotation image_id is not
 * an image: 999 (expected ...) in instances.json, annotations[12] (id 345), field "image_id"`.
 */
export function recordError(
  source: string,
  section: string,
  index: number,
  rec: unknown,
  field: string,
  problem: string,
  value: unknown,
  expected: string,
): FormatError {
  const recId = isObject(rec) ? rec.id : undefined;
  const id = typeof recId === "number" ? ` (id ${recId})` : "";
  const at = field === "" ? "" : `, field ${JSON.stringify(field)}`;
  return new FormatError(
    `${problem}: ${show(value)} (expected ${expected}) in ${source}, ${section}[${index}]${id}${at}`,
  );
}

/** A short rendering of a value for a message. */
export function show(value: unknown): string {
  if (value === undefined) return "missing";
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The top-level object and its arrays; `required` lists the sections that must be present. */
function checkDataset(dataset: unknown, source: string, required: readonly string[]): CocoDataset {
  if (!isObject(dataset)) {
    throw new FormatError(
      `COCO file is not an object: ${show(dataset)} (expected {"images": [...], "annotations": [...], "categories": [...]}) in ${source}`,
    );
  }
  for (const key of SECTIONS) {
    const value = dataset[key];
    if (value === undefined ? required.includes(key) : !Array.isArray(value)) {
      throw new FormatError(`COCO "${key}" is not an array: ${show(value)} (expected a list of records) in ${source}`);
    }
  }
  return dataset as CocoDataset;
}

const SECTIONS = ["images", "annotations", "categories"] as const;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Check one record of `images`, `annotations` or `categories` on its own (ids and links: {@link indexRecords}). */
function checkRecord(section: string, rec: unknown, source: string, index: number): void {
  if (section === "annotations") checkAnnotationShape(rec, source, index);
  else if (section === "images") checkImageShape(rec, source, index);
  else if (section === "categories") checkCategoryShape(rec, source, index);
}

function isInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

/** An id: a non-negative integer that a double holds exactly. */
function isId(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
}

/** An image: an id, a non-empty string file_name, positive integer width and height. */
function checkImageShape(rec: unknown, source: string, index: number): void {
  const fail = (field: string, problem: string, value: unknown, expected: string) =>
    recordError(source, "images", index, rec, field, problem, value, expected);
  if (!isObject(rec)) throw fail("", "image is not an object", rec, "{id, width, height, file_name, ...}");
  if (!isId(rec.id)) throw fail("id", "image id is not an id", rec.id, "a non-negative integer");
  if (typeof rec.file_name !== "string" || rec.file_name === "") {
    throw fail("file_name", "image file_name is not a file name", rec.file_name, "a non-empty string");
  }
  for (const field of ["width", "height"]) {
    const v = rec[field];
    if (!isInteger(v) || v <= 0) throw fail(field, `image ${field} is not a positive integer`, v, "pixels");
  }
}

/** A category: an id, a non-empty string name, a string supercategory. */
function checkCategoryShape(rec: unknown, source: string, index: number): void {
  const fail = (field: string, problem: string, value: unknown, expected: string) =>
    recordError(source, "categories", index, rec, field, problem, value, expected);
  if (!isObject(rec)) throw fail("", "category is not an object", rec, "{id, name, supercategory}");
  if (!isId(rec.id)) throw fail("id", "category id is not an id", rec.id, "a non-negative integer");
  if (typeof rec.name !== "string" || rec.name === "") {
    throw fail("name", "category name is not a name", rec.name, "a non-empty string");
  }
  if (typeof rec.supercategory !== "string") {
    throw fail("supercategory", "category supercategory is not a string", rec.supercategory, "a name");
  }
}

/** An annotation on its own: integer ids, `area`, `bbox`, `iscrowd` and `segmentation` well formed. */
function checkAnnotationShape(rec: unknown, source: string, index: number): void {
  const fail = (field: string, problem: string, value: unknown, expected: string) =>
    recordError(source, "annotations", index, rec, field, problem, value, expected);
  if (!isObject(rec)) {
    throw fail(
      "",
      "annotation is not an object",
      rec,
      "{id, image_id, category_id, segmentation, area, bbox, iscrowd}",
    );
  }
  if (!isId(rec.id)) throw fail("id", "annotation id is not an id", rec.id, "a non-negative integer");
  if (!isId(rec.image_id))
    throw fail("image_id", "annotation image_id is not an id", rec.image_id, "a non-negative integer");
  if (!isId(rec.category_id)) {
    throw fail("category_id", "annotation category_id is not an id", rec.category_id, "a non-negative integer");
  }
  if (typeof rec.area !== "number" || !Number.isFinite(rec.area) || rec.area < 0)
    throw fail("area", "annotation area is not a non-negative number", rec.area, "pixels");
  const bbox = rec.bbox;
  if (!Array.isArray(bbox) || bbox.length !== 4 || !allFinite(bbox)) {
    throw fail("bbox", "annotation bbox is not 4 numbers", bbox, "[x, y, width, height]");
  }
  if (rec.iscrowd !== 0 && rec.iscrowd !== 1)
    throw fail("iscrowd", "annotation iscrowd is not 0 or 1", rec.iscrowd, "0 or 1");
  const segm = rec.segmentation;
  if (segm === undefined) return;
  if (Array.isArray(segm)) {
    for (const poly of segm) {
      if (!Array.isArray(poly) || !allFinite(poly)) {
        throw fail("segmentation", "annotation polygon is not a list of numbers", poly, "[x1, y1, x2, y2, ...]");
      }
    }
    return;
  }
  if (!isObject(segm)) {
    throw fail(
      "segmentation",
      "annotation segmentation is neither polygons nor RLE",
      segm,
      "polygons [[x1, y1, ...]] or RLE {size: [h, w], counts}",
    );
  }
  const size = segm.size;
  if (
    !Array.isArray(size) ||
    size.length !== 2 ||
    !isInteger(size[0]) ||
    !isInteger(size[1]) ||
    size[0] < 0 ||
    size[1] < 0
  ) {
    throw fail("segmentation", "annotation RLE size is not [height, width]", size, "two integers");
  }
  const counts = segm.counts;
  if (typeof counts === "string") return;
  if (!Array.isArray(counts) || !counts.every((v) => isInteger(v) && v >= 0)) {
    throw fail(
      "segmentation",
      "annotation RLE counts are not run lengths",
      counts,
      "a string or non-negative integers",
    );
  }
}

function allFinite(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) return false;
  }
  return true;
}

/** A dataset whose records are checked, indexed as pycocotools' `createIndex` does (see `Coco`). */
export interface CocoRecordIndex {
  dataset: CocoDataset;
  imgs: Map<number, CocoImage>;
  anns: Map<number, CocoAnnotation>;
  cats: Map<number, CocoCategory>;
  /** Image id -> its annotations, in file order (images without annotations are absent). */
  imgToAnns: Map<number, CocoAnnotation[]>;
  /** Category id -> the image id of each of its annotations, in file order (repeats kept). */
  catToImgs: Map<number, number[]>;
}

/** Datasets whose records were checked one by one as they were read (indexing then checks only ids and links). */
const checkedWhileRead = new WeakSet<object>();

/**
 * The validator: check `dataset` (its lists, each record unless it was checked while read, unique
 * ids per list, and each annotation's `image_id` and `category_id` present) and index its records
 * (by id, annotations by image, image ids by category). The records are shared, not copied.
 * @param required the sections that must be present (`images` always is)
 * @throws FormatError naming `source`, the section, the record index (and id) and the field
 * @example indexRecords(JSON.parse(text), "mini.json").anns.size
 */
export function indexRecords(
  dataset: unknown,
  source: string,
  required: readonly ("annotations" | "categories")[] = [],
): CocoRecordIndex {
  const checked = checkDataset(dataset, source, ["images", ...required]);
  const { images, annotations = [], categories = [] } = checked;
  const recordsChecked = checkedWhileRead.has(checked);
  const fail = (section: string, i: number, rec: unknown, field: string, problem: string, expected: string) =>
    recordError(source, section, i, rec, field, problem, (rec as Record<string, unknown>)[field], expected);
  const imgs = new Map<number, CocoImage>();
  const cats = new Map<number, CocoCategory>();
  const anns = new Map<number, CocoAnnotation>();
  const imgToAnns = new Map<number, CocoAnnotation[]>();
  const catToImgs = new Map<number, number[]>();
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    if (!recordsChecked) checkImageShape(img, source, i);
    if (imgs.has(img.id)) throw fail("images", i, img, "id", "image id is repeated", "each image once");
    imgs.set(img.id, img);
  }
  for (let i = 0; i < categories.length; i++) {
    const cat = categories[i];
    if (!recordsChecked) checkCategoryShape(cat, source, i);
    if (cats.has(cat.id)) throw fail("categories", i, cat, "id", "category id is repeated", "each category once");
    cats.set(cat.id, cat);
  }
  for (let i = 0; i < annotations.length; i++) {
    const ann = annotations[i];
    if (!recordsChecked) checkAnnotationShape(ann, source, i);
    if (anns.has(ann.id)) throw fail("annotations", i, ann, "id", "annotation id is repeated", "each annotation once");
    if (!imgs.has(ann.image_id)) {
      throw fail(
        "annotations",
        i,
        ann,
        "image_id",
        "annotation image_id is not an image",
        `the id of one of the ${imgs.size} images`,
      );
    }
    if (!cats.has(ann.category_id)) {
      throw fail(
        "annotations",
        i,
        ann,
        "category_id",
        "annotation category_id is not a category",
        `one of the ${cats.size} category ids`,
      );
    }
    anns.set(ann.id, ann);
    const forImage = imgToAnns.get(ann.image_id);
    if (forImage) forImage.push(ann);
    else imgToAnns.set(ann.image_id, [ann]);
    const forCat = catToImgs.get(ann.category_id);
    if (forCat) forCat.push(ann.image_id);
    else catToImgs.set(ann.category_id, [ann.image_id]);
  }
  return { dataset: checked, imgs, anns, cats, imgToAnns, catToImgs };
}

/**
 * Read a COCO annotation file of any size (streamed from bytes, never one string), checking each
 * record as it is parsed; the result still goes through {@link indexRecords} (ids and links).
 * @throws FormatError for an unreadable file, malformed JSON (with the byte) or a bad record
 * @example indexRecords(readCocoFile(file), file)
 */
export function readCocoFile(file: string, onProgress?: (bytesRead: number, totalBytes: number) => void): unknown {
  const dataset = readJsonFile(file, {
    onProgress,
    onElement: (key, index, value) => checkRecord(key, value, file, index),
  });
  if (typeof dataset === "object" && dataset !== null) checkedWhileRead.add(dataset);
  return dataset;
}

/**
 * Check that `data` is a COCO instances file and return it typed (the same object, not a copy):
 * the three lists exist; every image has an id, a `file_name` and positive integer `width`/`height`;
 * every category an id, a `name` and a `supercategory`; every annotation an id, an `image_id` present
 * in `images`, a `category_id` present in `categories`, a non-negative `area`, a 4-number `bbox`,
 * `iscrowd` 0 or 1 and a well-formed `segmentation` if any; ids (non-negative integers) are unique
 * per list. The same checks as the COCO API's index ({@link indexRecords}).
 * @param file names the source in error messages
 * @throws FormatError naming the file, the section, the record index (and id) and the field
 * @example checkCocoJson(JSON.parse(text), "instances_val2017.json").images.length
 */
export function checkCocoJson(data: unknown, file: string): CocoJson {
  return indexRecords(data, file, ["annotations", "categories"]).dataset as CocoJson;
}

/**
 * Read and check a COCO instances file of any size (streamed, see {@link readCocoFile}), without
 * building the COCO API's index: what selection and structuring read.
 * @throws FormatError for an unreadable file, malformed JSON (with the byte) or a bad record
 * @example readCocoJson("out/coco/annotations/instances_val2017.json").categories.length // 80
 */
export function readCocoJson(file: string): CocoJson {
  return checkCocoJson(readCocoFile(file), file);
}

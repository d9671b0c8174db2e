/**
 * The records of a COCO instances file (cocodataset.org "Data format") and their checks: each image,
 * annotation and category is checked once, when the index is built, and a bad one gives a FormatError
 * naming the file, the record (`annotations[12] (id 345)`) and the field. Field names stay as the
 * JSON spells them (`image_id`, `file_name`): they are data, not API.
 */
import { FormatError } from "../util/errors";
import type { Rle, UncompressedRle } from "./rle";

/** An image record: `id`, `width` and `height` are checked; the rest is kept as read. */
export interface CocoImage {
  id: number;
  width: number;
  height: number;
  file_name?: string;
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
  area: number;
  /** `[x, y, width, height]`, pixels. */
  bbox: number[];
  iscrowd: number;
  score?: number;
  [field: string]: unknown;
}

/** A category record. */
export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
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

/** The top-level object and its arrays. */
export function checkDataset(dataset: unknown, source: string): CocoDataset {
  if (typeof dataset !== "object" || dataset === null || Array.isArray(dataset)) {
    throw new FormatError(
      `COCO file is not an object: ${show(dataset)} (expected {"images": [...], "annotations": [...], "categories": [...]}) in ${source}`,
    );
  }
  const d = dataset as Record<string, unknown>;
  for (const key of ["images", "annotations", "categories"]) {
    if (key === "images" ? !Array.isArray(d[key]) : d[key] !== undefined && !Array.isArray(d[key])) {
      throw new FormatError(`COCO "${key}" is not an array: ${show(d[key])} (expected a list of records) in ${source}`);
    }
  }
  return dataset as CocoDataset;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Check one record of `images`, `annotations` or `categories` on its own (links are checked by the index). */
export function checkRecord(section: string, rec: unknown, source: string, index: number): void {
  if (section === "annotations") checkAnnotationShape(rec, source, index);
  else if (section === "images") checkImageShape(rec, source, index);
  else if (section === "categories") checkCategoryShape(rec, source, index);
}

function isInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

/** An image: integer id, positive integer width and height, a string file_name if any. */
export function checkImageShape(rec: unknown, source: string, index: number): void {
  const fail = (field: string, problem: string, value: unknown, expected: string) =>
    recordError(source, "images", index, rec, field, problem, value, expected);
  if (!isObject(rec)) throw fail("", "image is not an object", rec, "{id, width, height, file_name, ...}");
  if (!isInteger(rec.id)) throw fail("id", "image id is not an integer", rec.id, "an id");
  for (const field of ["width", "height"]) {
    const v = rec[field];
    if (!isInteger(v) || v <= 0) throw fail(field, `image ${field} is not a positive integer`, v, "pixels");
  }
  if (rec.file_name !== undefined && typeof rec.file_name !== "string") {
    throw fail("file_name", "image file_name is not a string", rec.file_name, "a file name");
  }
}

/** A category: integer id, string name, a string supercategory if any. */
export function checkCategoryShape(rec: unknown, source: string, index: number): void {
  const fail = (field: string, problem: string, value: unknown, expected: string) =>
    recordError(source, "categories", index, rec, field, problem, value, expected);
  if (!isObject(rec)) throw fail("", "category is not an object", rec, "{id, name, supercategory}");
  if (!isInteger(rec.id)) throw fail("id", "category id is not an integer", rec.id, "an id");
  if (typeof rec.name !== "string") throw fail("name", "category name is not a string", rec.name, "a name");
  if (rec.supercategory !== undefined && typeof rec.supercategory !== "string") {
    throw fail("supercategory", "category supercategory is not a string", rec.supercategory, "a name");
  }
}

/** An annotation on its own: integer ids, `area`, `bbox`, `iscrowd` and `segmentation` well formed. */
export function checkAnnotationShape(rec: unknown, source: string, index: number): void {
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
  if (!isInteger(rec.id)) throw fail("id", "annotation id is not an integer", rec.id, "an id");
  if (!isInteger(rec.image_id))
    throw fail("image_id", "annotation image_id is not an integer", rec.image_id, "an image id");
  if (!isInteger(rec.category_id)) {
    throw fail("category_id", "annotation category_id is not an integer", rec.category_id, "a category id");
  }
  if (typeof rec.area !== "number" || !Number.isFinite(rec.area))
    throw fail("area", "annotation area is not a number", rec.area, "pixels");
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

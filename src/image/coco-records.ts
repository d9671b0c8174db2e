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

/** Where a record is, for messages: the file, `section[index]` and the record's id. */
export class RecordPlace {
  constructor(
    readonly source: string,
    readonly section: string,
    readonly index: number,
    readonly id?: unknown,
  ) {}

  /** The FormatError for `field` of this record. */
  error(field: string, problem: string, value: unknown, expected: string): FormatError {
    const id = typeof this.id === "number" ? ` (id ${this.id})` : "";
    const at = field === "" ? "" : `, field ${JSON.stringify(field)}`;
    return new FormatError(
      `${problem}: ${show(value)} (expected ${expected}) in ${this.source}, ${this.section}[${this.index}]${id}${at}`,
    );
  }
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

function checkId(rec: Record<string, unknown>, field: string, place: RecordPlace, what: string): number {
  const v = rec[field];
  if (typeof v !== "number" || !Number.isInteger(v)) throw place.error(field, `${what} is not an integer`, v, "an id");
  return v;
}

/** An image record; `ids` are the ids seen so far (duplicates are an error). */
export function checkImage(rec: unknown, place: RecordPlace, ids: Map<number, unknown>): CocoImage {
  if (!isObject(rec)) throw place.error("", "image is not an object", rec, "{id, width, height, file_name, ...}");
  const id = checkId(rec, "id", place, "image id");
  if (ids.has(id)) throw place.error("id", "image id is repeated", id, "each image once");
  for (const field of ["width", "height"]) {
    const v = rec[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      throw place.error(field, `image ${field} is not a positive integer`, v, "pixels");
    }
  }
  if (rec.file_name !== undefined && typeof rec.file_name !== "string") {
    throw place.error("file_name", "image file_name is not a string", rec.file_name, "a file name");
  }
  return rec as CocoImage;
}

/** A category record. */
export function checkCategory(rec: unknown, place: RecordPlace, ids: Map<number, unknown>): CocoCategory {
  if (!isObject(rec)) throw place.error("", "category is not an object", rec, "{id, name, supercategory}");
  const id = checkId(rec, "id", place, "category id");
  if (ids.has(id)) throw place.error("id", "category id is repeated", id, "each category once");
  if (typeof rec.name !== "string") throw place.error("name", "category name is not a string", rec.name, "a name");
  if (rec.supercategory !== undefined && typeof rec.supercategory !== "string") {
    throw place.error("supercategory", "category supercategory is not a string", rec.supercategory, "a name");
  }
  return rec as CocoCategory;
}

/**
 * An annotation record: ids, that its image and category exist, and the shape of `area`, `bbox`,
 * `iscrowd` and `segmentation`.
 */
export function checkAnnotation(
  rec: unknown,
  place: RecordPlace,
  ids: Map<number, unknown>,
  imgs: Map<number, unknown>,
  cats: Map<number, unknown>,
): CocoAnnotation {
  if (!isObject(rec)) {
    throw place.error(
      "",
      "annotation is not an object",
      rec,
      "{id, image_id, category_id, segmentation, area, bbox, iscrowd}",
    );
  }
  const id = checkId(rec, "id", place, "annotation id");
  if (ids.has(id)) throw place.error("id", "annotation id is repeated", id, "each annotation once");
  const imageId = checkId(rec, "image_id", place, "annotation image_id");
  if (!imgs.has(imageId)) {
    throw place.error(
      "image_id",
      "annotation image_id is not an image",
      imageId,
      `the id of one of the ${imgs.size} images`,
    );
  }
  const catId = checkId(rec, "category_id", place, "annotation category_id");
  if (!cats.has(catId)) {
    throw place.error(
      "category_id",
      "annotation category_id is not a category",
      catId,
      `one of the ${cats.size} category ids`,
    );
  }
  if (typeof rec.area !== "number" || !Number.isFinite(rec.area)) {
    throw place.error("area", "annotation area is not a number", rec.area, "pixels");
  }
  const bbox = rec.bbox;
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw place.error("bbox", "annotation bbox is not 4 numbers", bbox, "[x, y, width, height]");
  }
  if (rec.iscrowd !== 0 && rec.iscrowd !== 1)
    throw place.error("iscrowd", "annotation iscrowd is not 0 or 1", rec.iscrowd, "0 or 1");
  if (rec.segmentation !== undefined) checkSegmentation(rec.segmentation, place);
  return rec as CocoAnnotation;
}

function checkSegmentation(segm: unknown, place: RecordPlace): void {
  if (Array.isArray(segm)) {
    for (const poly of segm) {
      if (!Array.isArray(poly))
        throw place.error("segmentation", "annotation polygon is not a list", poly, "[x1, y1, x2, y2, ...]");
      for (let i = 0; i < poly.length; i++) {
        const v = poly[i];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw place.error("segmentation", `annotation polygon has a non-number at ${i}`, v, "[x1, y1, x2, y2, ...]");
        }
      }
    }
    return;
  }
  const expected = "polygons [[x1, y1, ...]] or RLE {size: [h, w], counts}";
  if (!isObject(segm))
    throw place.error("segmentation", "annotation segmentation is neither polygons nor RLE", segm, expected);
  const size = segm.size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && v >= 0)) {
    throw place.error("segmentation", "annotation RLE size is not [height, width]", size, "two integers");
  }
  const counts = segm.counts;
  if (typeof counts === "string") return;
  if (!Array.isArray(counts) || !counts.every((v) => Number.isInteger(v) && v >= 0)) {
    throw place.error(
      "segmentation",
      "annotation RLE counts are not run lengths",
      counts,
      "a string or non-negative integers",
    );
  }
}

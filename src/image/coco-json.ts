/**
 * The plain COCO annotation JSON (`instances_*.json`) as selection and structuring need it, with a
 * validator that names the file, the record and the field of the first problem. This is the shape
 * of the file itself (snake_case fields, as COCO writes them), not an index: the COCO API
 * (`coco.ts`) builds its indices on top of the same JSON. Fields selection does not read
 * (`license`, `flickr_url`, `segmentation`, ...) are kept but not checked.
 *
 * Glossary: ann = annotation, cat = category, img = image, bbox = [x, y, width, height] in pixels.
 */
import * as fs from "node:fs";
import { FormatError } from "../util/errors";

/** An entry of `images`. */
export interface CocoJsonImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  /** Where the image is downloaded from (`http://images.cocodataset.org/train2017/<file_name>`). */
  coco_url?: string;
  [field: string]: unknown;
}

/** An entry of `annotations`: one object instance. */
export interface CocoJsonAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** Area of the segmentation in pixels (polygon area, or the RLE mask's pixel count). */
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0 | 1;
  /** Polygons (`[[x1, y1, x2, y2, ...], ...]`) or RLE; not validated here. */
  segmentation?: unknown;
  [field: string]: unknown;
}

/** An entry of `categories`. */
export interface CocoJsonCategory {
  id: number;
  name: string;
  supercategory: string;
}

/** A COCO annotation file: `{images, annotations, categories}` (plus `info` and `licenses`). */
export interface CocoJson {
  info?: unknown;
  licenses?: unknown;
  images: CocoJsonImage[];
  annotations: CocoJsonAnnotation[];
  categories: CocoJsonCategory[];
}

type Rec = Record<string, unknown>;

function where(file: string, list: string, i: number, rec?: Rec): string {
  const id = rec && (typeof rec.id === "number" || typeof rec.id === "string") ? ` (id ${rec.id})` : "";
  return `${file}, ${list}[${i}]${id}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function field(
  rec: Rec,
  name: string,
  ok: (v: unknown) => boolean,
  expected: string,
  file: string,
  list: string,
  i: number,
): void {
  if (!ok(rec[name])) {
    throw new FormatError(
      `COCO ${list} field "${name}" is ${describe(rec[name])} (expected ${expected}; ${where(file, list, i, rec)})`,
    );
  }
}

const isId = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isPositive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;
const isNonNegative = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isString = (v: unknown) => typeof v === "string" && v !== "";
const isBbox = (v: unknown) =>
  Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === "number" && Number.isFinite(x));

function list(data: Rec, name: string, file: string): Rec[] {
  const value = data[name];
  if (!Array.isArray(value)) {
    throw new FormatError(`COCO file has no "${name}" list: ${describe(value)} (expected an array; ${file})`);
  }
  value.forEach((rec, i) => {
    if (rec === null || typeof rec !== "object" || Array.isArray(rec)) {
      throw new FormatError(`COCO ${name} record is ${describe(rec)} (expected an object; ${file}, ${name}[${i}])`);
    }
  });
  return value as Rec[];
}

function unique(records: Rec[], name: string, file: string): Set<number> {
  const seen = new Map<number, number>();
  records.forEach((rec, i) => {
    const id = rec.id as number;
    const before = seen.get(id);
    if (before !== undefined) {
      throw new FormatError(
        `COCO ${name} id is repeated: ${id} (expected unique ids; ${file}, ${name}[${before}] and [${i}])`,
      );
    }
    seen.set(id, i);
  });
  return new Set(seen.keys());
}

/**
 * Check that `data` is a COCO annotation file and return it typed (the same object, not a copy):
 * the three lists exist; every image has an integer `id`, a `file_name` and positive `width`/
 * `height`; every category an integer `id`, a `name` and a `supercategory`; every annotation an
 * integer `id`, an `image_id` present in `images`, a `category_id` present in `categories`, a
 * non-negative `area`, a 4-number `bbox` and `iscrowd` 0 or 1; ids are unique per list.
 * @param file names the source in error messages
 * @throws FormatError naming the file, the list, the record index (and id) and the field
 * @example checkCocoJson(JSON.parse(text), "instances_val2017.json").images.length
 */
export function checkCocoJson(data: unknown, file: string): CocoJson {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new FormatError(
      `COCO file is ${describe(data)} (expected an object with images, annotations, categories; ${file})`,
    );
  }
  const d = data as Rec;
  const images = list(d, "images", file);
  const annotations = list(d, "annotations", file);
  const categories = list(d, "categories", file);
  images.forEach((rec, i) => {
    field(rec, "id", isId, "a non-negative integer", file, "images", i);
    field(rec, "file_name", isString, "a file name", file, "images", i);
    field(rec, "width", isPositive, "a positive number of pixels", file, "images", i);
    field(rec, "height", isPositive, "a positive number of pixels", file, "images", i);
  });
  categories.forEach((rec, i) => {
    field(rec, "id", isId, "a non-negative integer", file, "categories", i);
    field(rec, "name", isString, "a name", file, "categories", i);
    field(rec, "supercategory", (v) => typeof v === "string", "a string", file, "categories", i);
  });
  const imageIds = unique(images, "images", file);
  const catIds = unique(categories, "categories", file);
  annotations.forEach((rec, i) => {
    field(rec, "id", isId, "a non-negative integer", file, "annotations", i);
    field(rec, "image_id", isId, "a non-negative integer", file, "annotations", i);
    field(rec, "category_id", isId, "a non-negative integer", file, "annotations", i);
    field(rec, "area", isNonNegative, "a non-negative number", file, "annotations", i);
    field(rec, "bbox", isBbox, "[x, y, width, height]", file, "annotations", i);
    field(rec, "iscrowd", (v) => v === 0 || v === 1, "0 or 1", file, "annotations", i);
    field(rec, "image_id", (v) => imageIds.has(v as number), "the id of an entry of images", file, "annotations", i);
    field(
      rec,
      "category_id",
      (v) => catIds.has(v as number),
      "the id of an entry of categories",
      file,
      "annotations",
      i,
    );
  });
  unique(annotations, "annotations", file);
  return d as unknown as CocoJson;
}

/**
 * Read and check a COCO annotation file that fits in one string (the val2017 file, the generated
 * ones; the 448 MB train2017 file goes through the COCO API's streaming loader).
 * @throws FormatError for unreadable files, invalid JSON (with the parser's position) or a bad record
 * @example readCocoJson("out/coco/annotations/instances_val2017.json").categories.length // 80
 */
export function readCocoJson(file: string): CocoJson {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new FormatError(`COCO file cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`COCO file is not valid JSON: ${(e as Error).message} (${file})`, { cause: e });
  }
  return checkCocoJson(data, file);
}

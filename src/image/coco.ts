/**
 * A COCO API with pycocotools' semantics (cocodataset/cocoapi `PythonAPI/pycocotools/coco.py`, as
 * released in pycocotools 2.0.11): load an instances file once, build its index, then query ids and
 * load records.
 *
 *   loadCoco   - read an annotation file (streamed, any size) and build the index.
 *   Coco       - the index over a dataset object: imgs, anns, cats, imgToAnns, catToImgs.
 *   getAnnIds  - annotation ids that pass the given filters.
 *   getCatIds  - category ids that pass the given filters.
 *   getImgIds  - image ids that pass the given filters (images holding ALL the given categories).
 *   loadAnns / loadCats / loadImgs - the records of ids.
 *   loadRes    - a Coco over a results file (detections), sharing this one's images.
 *   annToRLE / annToMask - an annotation's segmentation as compressed RLE / a binary mask.
 *
 * Glossary (as pycocotools): "ann" = annotation, "cat" = category, "img" = image, "Nms" = names,
 * "supNms" = supercategory names, "areaRng" = area range, "Res" = results, "RLE" = run-length encoding.
 *
 * | pycocotools                          | here                                              |
 * |--------------------------------------|---------------------------------------------------|
 * | `COCO(file)`                         | `loadCoco(file)` (never prints; FormatError on bad records) |
 * | `coco.dataset/imgs/anns/cats`        | `coco.dataset`, and Maps `imgs`, `anns`, `cats`   |
 * | `imgToAnns`, `catToImgs`             | Maps; catToImgs keeps one image id per annotation |
 * | `getAnnIds(imgIds, catIds, areaRng, iscrowd)` | `getAnnIds({ imgIds, catIds, areaRng, iscrowd })` |
 * | `getCatIds(catNms, supNms, catIds)`  | `getCatIds({ catNms, supNms, catIds })`           |
 * | `getImgIds(imgIds, catIds)`          | `getImgIds({ imgIds, catIds })`                   |
 * | `loadAnns(ids)` etc.                 | `loadAnns(ids)` etc. (an unknown id: RangeError)  |
 * | `loadRes(resFile)`                   | `loadRes(fileOrArray)` (the caller's records are copied, not changed) |
 * | `annToRLE(ann)`, `annToMask(ann)`    | same names; the mask is row-major (see rle.ts)    |
 *
 * Semantics kept: an empty filter (or none) is no filter, and ids may be a scalar or an array;
 * `areaRng` keeps `lo < area < hi` (strict, 2.0.11); `iscrowd: false` matches 0; getAnnIds with
 * `imgIds` lists annotations image by image in the order given; getCatIds keeps the file's category
 * order. Chosen where pycocotools has no fixed order: getImgIds returns `list(set(...))` in Python's
 * hash order, here without filters the file's image order and with filters ascending ids.
 * Not kept: duplicate ids (pycocotools keeps the last silently), dangling image or category ids and
 * malformed or missing fields (`file_name` and `supercategory` too, which pycocotools never reads)
 * are FormatErrors naming the file, record and field (coco-records.ts, the validator `checkCocoJson`
 * shares); so is an annotation whose segmentation is an empty list (pycocotools fails on it).
 * Beyond pycocotools: loadRes of an empty array gives a Coco without annotations, and polygons whose
 * first part has 4 numbers are read as boxes (pycocotools 2.0.11 fails there too).
 */
import { readJsonFile } from "./json-stream";
import { resultAnnotations } from "./coco-results";
import {
  indexRecords,
  readCocoFile,
  show,
  type CocoAnnotation,
  type CocoCategory,
  type CocoDataset,
  type CocoImage,
} from "./coco-records";
import { decodeRuns, frPyObjectsRuns, mergeRuns, toRle, toRuns, type Mask, type Rle, type Runs } from "./rle";
import { FormatError } from "../util/errors";

export type { CocoAnnotation, CocoCategory, CocoDataset, CocoImage, Segmentation } from "./coco-records";

/** Options of {@link loadCoco}. */
export interface LoadCocoOptions {
  /** Called as the file is read, with bytes read and the file size (for a progress bar). Default: none. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Filters of {@link Coco.getAnnIds}; each one left out (or empty) is skipped. */
export interface AnnIdsFilter {
  /** Annotations of these images, image by image in this order. Default: all images. */
  imgIds?: number | number[];
  /** Annotations of these categories. Default: all categories. */
  catIds?: number | number[];
  /** `[lo, hi]`: annotations with `lo < area < hi`. Default: any area. */
  areaRng?: number[];
  /** Only crowd (true or 1) or only non-crowd (false or 0) annotations. Default: both. */
  iscrowd?: boolean | number | null;
}

/** Filters of {@link Coco.getCatIds}, ANDed; each one left out (or empty) is skipped. */
export interface CatIdsFilter {
  /** Category names. Default: any. */
  catNms?: string | string[];
  /** Supercategory names. Default: any. */
  supNms?: string | string[];
  /** Category ids. Default: any. */
  catIds?: number | number[];
}

/** Filters of {@link Coco.getImgIds}; each one left out (or empty) is skipped. */
export interface ImgIdsFilter {
  /** Image ids to start from (kept as given, like pycocotools). Default: all images. */
  imgIds?: number | number[];
  /** Keep the images holding an annotation of EVERY one of these categories. Default: no filter. */
  catIds?: number | number[];
}

/** Options of {@link Coco.loadRes}. */
export interface LoadResOptions {
  /** The name used in error messages for an in-memory array. Default "results". */
  source?: string;
}

/**
 * Read a COCO annotation file of any size (streamed from bytes, never one string) and index it.
 * @example const coco = loadCoco("annotations/instances_val2017.json"); coco.getCatIds({ supNms: "animal" })
 */
export function loadCoco(file: string, options: LoadCocoOptions = {}): Coco {
  return new Coco(readCocoFile(file, options.onProgress), { source: file });
}

/**
 * The index over a COCO dataset object (pycocotools' `COCO` after `createIndex`). Building it checks
 * every record, id and link (coco-records.ts `indexRecords`, the same validator as `checkCocoJson`).
 * @example const coco = new Coco(JSON.parse(text), { source: "mini.json" }); coco.loadImgs(coco.getImgIds())
 */
export class Coco {
  /** The dataset as read (records are shared with the Maps, not copied). */
  readonly dataset: CocoDataset;
  /** Where the dataset came from, for messages. */
  readonly source: string;
  readonly imgs: Map<number, CocoImage>;
  readonly anns: Map<number, CocoAnnotation>;
  readonly cats: Map<number, CocoCategory>;
  /** Image id -> its annotations, in file order (images without annotations are absent). */
  readonly imgToAnns: Map<number, CocoAnnotation[]>;
  /** Category id -> the image id of each of its annotations, in file order (repeats kept). */
  readonly catToImgs: Map<number, number[]>;

  constructor(dataset: unknown, options: { source?: string } = {}) {
    this.source = options.source ?? "COCO dataset";
    const index = indexRecords(dataset, this.source);
    this.dataset = index.dataset;
    this.imgs = index.imgs;
    this.anns = index.anns;
    this.cats = index.cats;
    this.imgToAnns = index.imgToAnns;
    this.catToImgs = index.catToImgs;
  }

  /**
   * Ids of the annotations that pass every filter given.
   * @example coco.getAnnIds({ imgIds: 448263, iscrowd: false })
   */
  getAnnIds(filter: AnnIdsFilter = {}): number[] {
    const imgIds = list(filter.imgIds);
    const catIds = new Set(list(filter.catIds));
    const areaRng = filter.areaRng ?? [];
    let anns: CocoAnnotation[] = this.dataset.annotations ?? [];
    if (imgIds.length > 0) anns = imgIds.flatMap((id) => this.imgToAnns.get(id) ?? []);
    if (catIds.size > 0) anns = anns.filter((a) => catIds.has(a.category_id));
    if (areaRng.length > 0) {
      const [lo, hi] = areaRng;
      anns = anns.filter((a) => a.area > lo && a.area < hi);
    }
    if (filter.iscrowd != null) {
      const crowd = Number(filter.iscrowd);
      anns = anns.filter((a) => a.iscrowd === crowd);
    }
    return anns.map((a) => a.id);
  }

  /**
   * Ids of the categories that pass every filter given, in the file's order.
   * @example coco.getCatIds({ supNms: "animal" }) // [16, 17, ..., 25]
   */
  getCatIds(filter: CatIdsFilter = {}): number[] {
    const names = new Set(list(filter.catNms));
    const sups = new Set(list(filter.supNms));
    const ids = new Set(list(filter.catIds));
    return (this.dataset.categories ?? [])
      .filter((c) => names.size === 0 || names.has(c.name))
      .filter((c) => sups.size === 0 || (c.supercategory !== undefined && sups.has(c.supercategory)))
      .filter((c) => ids.size === 0 || ids.has(c.id))
      .map((c) => c.id);
  }

  /**
   * Ids of the images holding ALL the given categories (and among `imgIds`, if given). Without
   * filters, every image in file order; with filters, ascending ids.
   * @example coco.getImgIds({ catIds: coco.getCatIds({ catNms: ["person", "dog"] }) })
   */
  getImgIds(filter: ImgIdsFilter = {}): number[] {
    const imgIds = list(filter.imgIds);
    const catIds = list(filter.catIds);
    if (imgIds.length === 0 && catIds.length === 0) return [...this.imgs.keys()];
    let ids = new Set(imgIds);
    catIds.forEach((catId, i) => {
      const withCat = this.catToImgs.get(catId) ?? [];
      if (i === 0 && ids.size === 0) ids = new Set(withCat);
      else {
        const keep = new Set(withCat);
        ids = new Set([...ids].filter((id) => keep.has(id)));
      }
    });
    return [...ids].sort((a, b) => a - b);
  }

  /**
   * The annotation records of ids (a scalar gives a one-element array).
   * @example coco.loadAnns(coco.getAnnIds({ imgIds: 448263 }))
   */
  loadAnns(ids: number | number[] = []): CocoAnnotation[] {
    return list(ids).map((id) => lookup(this.anns, id, "annotation"));
  }

  /**
   * The category records of ids.
   * @example coco.loadCats(18)[0].name // "dog"
   */
  loadCats(ids: number | number[] = []): CocoCategory[] {
    return list(ids).map((id) => lookup(this.cats, id, "category"));
  }

  /**
   * The image records of ids.
   * @example coco.loadImgs(448263)[0].file_name // "000000448263.jpg"
   */
  loadImgs(ids: number | number[] = []): CocoImage[] {
    return list(ids).map((id) => lookup(this.imgs, id, "image"));
  }

  /**
   * A Coco over detection results (a file, or an array of records) sharing this one's images and a
   * copy of its categories, filled in as pycocotools does. The first record decides the kind: with a
   * non-empty `bbox`, every record gets `area = w * h`, a box polygon as `segmentation` if it has none;
   * otherwise with `segmentation` (compressed RLE), `area` = its pixel count and `bbox` = its box if it
   * has none. Every record gets `id = index + 1` and `iscrowd = 0`.
   * @example const dt = gt.loadRes("detections.json"); dt.getAnnIds({ imgIds: 42 })
   */
  loadRes(results: string | unknown[], options: LoadResOptions = {}): Coco {
    const source = typeof results === "string" ? results : (options.source ?? "results");
    const anns = typeof results === "string" ? readJsonFile(results) : results;
    const out = resultAnnotations(anns, source, this.imgs);
    const dataset: CocoDataset = {
      info: structuredClone(this.dataset.info ?? {}),
      images: [...this.dataset.images],
      categories: structuredClone(this.dataset.categories ?? []),
      annotations: out,
    };
    return new Coco(dataset, { source });
  }

  /**
   * An annotation's segmentation as compressed RLE: polygons are rasterised and merged (union),
   * uncompressed RLE is compressed, compressed RLE is returned as a copy.
   * @example coco.annToRLE(coco.loadAnns(900100448263)[0]).counts.length // 1298
   */
  annToRLE(ann: CocoAnnotation): Rle {
    return toRle(this.annRuns(ann));
  }

  /**
   * An annotation's binary mask, `height` x `width` of its image, row-major.
   * @example coco.annToMask(ann).data.reduce((a, b) => a + b, 0) // pixel count
   */
  annToMask(ann: CocoAnnotation): Mask {
    return decodeRuns(this.annRuns(ann));
  }

  private annRuns(ann: CocoAnnotation): Runs {
    const img = lookup(this.imgs, ann.image_id, "image");
    const segm = ann.segmentation;
    const place = `in ${this.source}, annotation id ${ann.id}, field "segmentation"`;
    if (segm === undefined)
      throw new FormatError(`annotation has no segmentation: missing (expected polygons or RLE) ${place}`);
    if (Array.isArray(segm)) {
      if (segm.length === 0)
        throw new FormatError(`annotation segmentation is an empty list: [] (expected polygons) ${place}`);
      try {
        return mergeRuns(frPyObjectsRuns(segm, img.height, img.width) as Runs[]);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        throw new FormatError(
          `annotation polygons are not usable: ${show(segm)} (expected polygons of 3 points or more) ${place}`,
          { cause: e },
        );
      }
    }
    return toRuns(segm);
  }
}

/** pycocotools' `ids if _isArrayLike(ids) else [ids]`, with undefined/null as []. */
function list<T>(ids: T | T[] | undefined | null): T[] {
  if (ids === undefined || ids === null) return [];
  return Array.isArray(ids) ? ids : [ids];
}

function lookup<T>(map: Map<number, T>, id: number, what: string): T {
  const rec = map.get(id);
  if (rec === undefined)
    throw new RangeError(`${what} id is not in the dataset: ${show(id)} (expected one of its ${map.size} ${what} ids)`);
  return rec;
}

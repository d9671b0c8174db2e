/**
 * Selection, as the workshop did it (B.1 steps 4–14) and as it should be done: categories by
 * supercategory, one label per image under an explicit policy, and numpy-exact seeded sampling of N
 * images per category followed by N CIFAR-10 records of one label on the same random stream.
 *
 * Works on a plain `CocoDataset` (from `readCocoJson`, `checkCocoJson` or a `Coco`'s `dataset`), so
 * it needs no index. Insertion order is Python's dict order: an image enters at its first animal
 * annotation (train before val) and keeps that place when a later annotation or the val file
 * overwrites its label, exactly as the workshop's `train_annos[image_id] = ...` and its
 * train-then-val merge did; that order is the population `np.random.choice` draws from, so it
 * decides which images are picked.
 */
import type { CifarBatch } from "./cifar";
import { cifarImageName } from "./cifar";
import type { CocoCategory, CocoDataset } from "./coco-records";
import { RandomState } from "../util/numpy-random-state";

/**
 * How an image with several animal annotations gets its one label:
 * - `"last"`: the last animal annotation in file order wins (the workshop's dict, kept for fidelity);
 * - `"largest"`: the animal annotation with the largest `area` (the first one on a tie);
 * - `"skip-multi"`: images with animals of two or more categories are dropped; the rest keep their category.
 */
export type LabelPolicy = "last" | "largest" | "skip-multi";

/** Options of {@link selectCategories}. */
export interface SelectCategoriesOptions {
  /** Keep categories of this supercategory (or these). Default "animal"; "" or [] = every supercategory. */
  supercategory?: string | readonly string[];
  /** Keep only these category names (each must exist). Default: all names. */
  names?: readonly string[];
}

/**
 * The categories of a supercategory, in id order: `"animal"` gives the workshop's 10 (16 bird ...
 * 25 giraffe).
 * @throws RangeError when a requested name does not exist or nothing is left
 * @example selectCategories(train).map((c) => c.id) // [16, 17, ..., 25]
 */
export function selectCategories(
  data: Pick<CocoDataset, "categories">,
  options: SelectCategoriesOptions = {},
): CocoCategory[] {
  const { supercategory = "animal", names } = options;
  const categories = data.categories ?? [];
  const supers = typeof supercategory === "string" ? (supercategory === "" ? [] : [supercategory]) : [...supercategory];
  for (const name of names ?? []) {
    if (!categories.some((c) => c.name === name)) {
      throw new RangeError(
        `category name is unknown: ${JSON.stringify(name)} (expected one of ${categories.map((c) => c.name).join(", ")})`,
      );
    }
  }
  const picked = categories
    .filter((c) => supers.length === 0 || supers.includes(c.supercategory))
    .filter((c) => names === undefined || names.includes(c.name))
    .map((c) => ({ id: c.id, name: c.name, supercategory: c.supercategory }))
    .sort((a, b) => a.id - b.id);
  if (picked.length === 0) {
    throw new RangeError(
      `no category matches: supercategory ${JSON.stringify(supercategory)}, names ${JSON.stringify(names ?? "all")} (expected at least one)`,
    );
  }
  return picked;
}

/** One labelled image. */
export interface ImageLabel {
  imageId: number;
  categoryId: number;
  fileName: string;
  cocoUrl?: string;
  width: number;
  height: number;
  /** Which source it came from (`"train2017"`, `"val2017"`): the last one holding it. */
  source: string;
  /** Every selected category among the image's annotations, in first-seen order. */
  categoryIds: number[];
}

/** What {@link labelImages} returns. */
export interface ImageLabels {
  /** Image id → label, in the workshop dict's insertion order. */
  labels: Map<number, ImageLabel>;
  policy: LabelPolicy;
  /** Images holding annotations of two or more selected categories (before any is dropped). */
  multiLabelImages: number;
  /** Images dropped by `"skip-multi"` (0 for the other policies). */
  skipped: number;
  /** Labelled images per category id, in category order. */
  counts: Map<number, number>;
}

/** A named annotation file, e.g. `{ name: "train2017", data }`. */
export interface CocoSource {
  name: string;
  data: CocoDataset;
}

/**
 * One label per image from the annotations of `categoryIds`, over `sources` merged in order (a later
 * source overrides an earlier one for the same image id, like the workshop's val over train).
 * @example
 * const sources = [{ name: "train2017", data: train }, { name: "val2017", data: val }];
 * labelImages(sources, [16, 17], { policy: "largest" }).multiLabelImages
 */
export function labelImages(
  sources: readonly CocoSource[],
  categoryIds: readonly number[],
  options: { policy?: LabelPolicy } = {},
): ImageLabels {
  const { policy = "last" } = options;
  if (policy !== "last" && policy !== "largest" && policy !== "skip-multi") {
    throw new RangeError(
      `label policy is unknown: ${JSON.stringify(policy)} (expected "last", "largest" or "skip-multi")`,
    );
  }
  const wanted = new Set(categoryIds);
  const merged = new Map<number, ImageLabel>();
  for (const { name, data } of sources) {
    const images = new Map(data.images.map((im) => [im.id, im]));
    const own = new Map<number, ImageLabel & { area: number }>();
    for (const ann of data.annotations ?? []) {
      if (!wanted.has(ann.category_id)) continue;
      const entry = own.get(ann.image_id);
      if (entry === undefined) {
        const im = images.get(ann.image_id);
        if (im === undefined)
          throw new RangeError(`annotation ${ann.id} refers to image ${ann.image_id}, absent from ${name}`);
        own.set(ann.image_id, {
          imageId: im.id,
          categoryId: ann.category_id,
          fileName: im.file_name,
          ...(im.coco_url === undefined ? {} : { cocoUrl: im.coco_url }),
          width: im.width,
          height: im.height,
          source: name,
          categoryIds: [ann.category_id],
          area: ann.area,
        });
        continue;
      }
      if (!entry.categoryIds.includes(ann.category_id)) entry.categoryIds.push(ann.category_id);
      if (policy !== "largest") entry.categoryId = ann.category_id;
      else if (ann.area > entry.area) [entry.categoryId, entry.area] = [ann.category_id, ann.area];
    }
    for (const [id, { area: _area, ...label }] of own) merged.set(id, label);
  }
  let multi = 0;
  let skipped = 0;
  for (const [id, label] of merged) {
    if (label.categoryIds.length < 2) continue;
    multi++;
    if (policy === "skip-multi") {
      merged.delete(id);
      skipped++;
    }
  }
  const counts = new Map([...categoryIds].sort((a, b) => a - b).map((c) => [c, 0]));
  for (const label of merged.values()) counts.set(label.categoryId, (counts.get(label.categoryId) ?? 0) + 1);
  return { labels: merged, policy, multiLabelImages: multi, skipped, counts };
}

/** Options of {@link samplePerCategory}. */
export interface SamplePerCategoryOptions {
  /** Images drawn per category, without replacement. Default 250 (the workshop's). */
  perClass?: number;
  /** Seed of `np.random.seed(seed)`. Default 0. Ignored when `rng` is given. */
  seed?: number;
  /** Continue this random stream instead of seeding a new one. */
  rng?: RandomState;
}

/**
 * The workshop's draw: `np.random.seed(seed)`, then per category in id order
 * `np.random.choice([k for k, v in labels.items() if v.category_id == cid], perClass, replace=False)`.
 * Returns the chosen ids per category (in draw order) and the stream, to continue with the frogs.
 * @throws RangeError when a category has fewer than `perClass` labelled images (naming it and the count)
 * @example samplePerCategory(labels, [16, 17], { perClass: 250 }).byCategory.get(16)?.[0] // 442968 on real COCO
 */
export function samplePerCategory(
  labels: ImageLabels,
  categoryIds: readonly number[],
  options: SamplePerCategoryOptions = {},
): { byCategory: Map<number, number[]>; rng: RandomState } {
  const { perClass = 250, seed = 0 } = options;
  const rng = options.rng ?? new RandomState(seed);
  const byCategory = new Map<number, number[]>();
  for (const cid of [...categoryIds].sort((a, b) => a - b)) {
    const subset: number[] = [];
    for (const [id, label] of labels.labels) if (label.categoryId === cid) subset.push(id);
    if (subset.length < perClass) {
      throw new RangeError(
        `category ${cid} has too few labelled images: ${subset.length} (expected at least perClass = ${perClass}; policy "${labels.policy}")`,
      );
    }
    byCategory.set(cid, rng.choice(subset, perClass, { replace: false }));
  }
  return { byCategory, rng };
}

/**
 * The workshop's frog draw (B.1 step 11): `np.random.choice(np.nonzero(labels == label)[0], n,
 * replace=False)` on `rng`, returning record indices of `batch`.
 * @example sampleCifarLabel(batch1, 6, 250, rng)
 */
export function sampleCifarLabel(batch: CifarBatch, label: number, n: number, rng: RandomState): number[] {
  const population = Array.from(batch.indicesOf(label));
  if (population.length < n) {
    throw new RangeError(
      `CIFAR-10 label ${label} has too few records: ${population.length} (expected at least ${n}; ${batch.file})`,
    );
  }
  return rng.choice(population, n, { replace: false });
}

/** One image of the sample (the workshop's `sample_annos` entry). */
export interface ImageSampleItem {
  /** COCO image id, or a new id after the largest sampled COCO id for CIFAR records. */
  id: number;
  categoryId: number;
  className: string;
  source: "coco" | "cifar";
  /** The image's file name (`000000442968.jpg`, `leptodactylid_s_000084.jpg`). */
  fileName: string;
  cocoUrl?: string;
  /** COCO: the annotation file it came from (`train2017`); CIFAR: the batch file. */
  origin: string;
  /** CIFAR record index in its batch. */
  cifarIndex?: number;
  width: number;
  height: number;
}

/** Options of {@link selectSample}. */
export interface SelectSampleOptions {
  /** Supercategory of the COCO classes. Default "animal". */
  supercategory?: string;
  /** Only these COCO category names. Default: every category of the supercategory. */
  names?: readonly string[];
  /** Images per class. Default 250. */
  perClass?: number;
  /** Seed of the one random stream. Default 0. */
  seed?: number;
  /** Labelling policy. Default "last" (the workshop's). */
  policy?: LabelPolicy;
  /** CIFAR-10 label added as a class. Default 6 (frog). */
  cifarLabel?: number;
  /** Its class name. Default "frog". */
  cifarClassName?: string;
  /** Its category id. Default 26 (the workshop's `category_labels[26] = "frog"`). */
  cifarCategoryId?: number;
}

/** What {@link selectSample} returns. */
export interface ImageSample {
  /** In the workshop's order: categories by id, each in draw order, then the CIFAR records. */
  items: ImageSampleItem[];
  /** Category id → class name, the workshop's `category_labels` (11 entries with the frogs). */
  categories: Map<number, string>;
  policy: LabelPolicy;
  multiLabelImages: number;
  skipped: number;
  /** Labelled images per COCO category before sampling. */
  available: Map<number, number>;
}

/**
 * The workshop's whole selection (B.1 steps 4–14): categories of `supercategory`, one label per
 * image under `policy` over the merged sources, `perClass` per category drawn with numpy's stream,
 * then `perClass` records of `cifarLabel` from `cifar` on the same stream, with new ids after the
 * largest sampled COCO id.
 * @example selectSample([{ name: "train2017", data: train }, { name: "val2017", data: val }], batch1).items.length
 */
export function selectSample(
  sources: readonly CocoSource[],
  cifar: CifarBatch | undefined,
  options: SelectSampleOptions = {},
): ImageSample {
  const {
    perClass = 250,
    seed = 0,
    policy = "last",
    cifarLabel = 6,
    cifarClassName = "frog",
    cifarCategoryId = 26,
  } = options;
  if (sources.length === 0) throw new RangeError("no COCO source given (expected at least one annotation file)");
  const cats = selectCategories(sources[0].data, {
    supercategory: options.supercategory ?? "animal",
    names: options.names,
  });
  const labels = labelImages(
    sources,
    cats.map((c) => c.id),
    { policy },
  );
  const { byCategory, rng } = samplePerCategory(
    labels,
    cats.map((c) => c.id),
    { perClass, seed },
  );
  const categories = new Map(cats.map((c) => [c.id, c.name]));
  const items: ImageSampleItem[] = [];
  for (const [cid, ids] of byCategory) {
    for (const id of ids) {
      const label = labels.labels.get(id) as ImageLabel;
      items.push({
        id,
        categoryId: cid,
        className: categories.get(cid) as string,
        source: "coco",
        fileName: label.fileName,
        ...(label.cocoUrl === undefined ? {} : { cocoUrl: label.cocoUrl }),
        origin: label.source,
        width: label.width,
        height: label.height,
      });
    }
  }
  if (cifar !== undefined) {
    if (categories.has(cifarCategoryId)) {
      throw new RangeError(
        `CIFAR category id is taken: ${cifarCategoryId} (expected an id not among ${[...categories.keys()]})`,
      );
    }
    categories.set(cifarCategoryId, cifarClassName);
    const next = items.reduce((m, it) => Math.max(m, it.id), 0) + 1;
    sampleCifarLabel(cifar, cifarLabel, perClass, rng).forEach((index, k) => {
      items.push({
        id: next + k,
        categoryId: cifarCategoryId,
        className: cifarClassName,
        source: "cifar",
        fileName: cifarImageName(cifar, index, "jpeg"),
        origin: cifar.file,
        cifarIndex: index,
        width: 32,
        height: 32,
      });
    });
  }
  return {
    items,
    categories,
    policy,
    multiLabelImages: labels.multiLabelImages,
    skipped: labels.skipped,
    available: labels.counts,
  };
}

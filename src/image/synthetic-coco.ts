/**
 * A generated COCO-format dataset for working offline: the real 80 categories (ids 1–90,
 * supercategories), and images drawn procedurally (`synthetic-draw.ts`), one learnable look per
 * animal class, deterministic for a seed. These are NOT COCO photographs: shapes and textures on
 * plain backgrounds, so a model trained on them learns nothing about real animals; they exist so
 * that every step (selection, labelling policy, sampling, structuring, training) runs end to end
 * without a download.
 *
 * Layout written (as COCO's own): `<dir>/annotations/instances_{train,val}2017.json`,
 * `<dir>/{train,val}2017/<12-digit id>.jpg`. `coco_url` points at {@link SYNTHETIC_COCO_URL}, a
 * `.invalid` host (RFC 2606) that never resolves: the image of `<url>/<split>/<file>` is
 * `<dir>/<split>/<file>`.
 *
 * What makes the labelling policy matter: `multiFraction` of the animal images hold one or two more
 * animals of other classes, listed before the labelled one (so the workshop's last-annotation rule
 * gives the planned class) and sometimes larger than it (so "largest area" disagrees); some hold a
 * second animal of the same class, a person or another object; `perClass` images hold no animal at
 * all (people, cars, benches, teddy bears...), so the supercategory filter matters too. A few
 * images are grayscale JPEGs, as some COCO images are.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { forEachLimit } from "../util/for-each-limit";
import { mulberry32 } from "../util/prng";
import { COCO_CATEGORIES } from "./coco-categories";
import type { CocoAnnotation, CocoImage, CocoJson } from "./coco-records";
import { abandonOutputDir, finishOutputDir, startOutputDir } from "./output-dir";
import { drawBackground, fillPolygon, type Canvas, type Shape } from "./synthetic-draw";
import { ANIMAL_SHAPES, OBJECT_SHAPES } from "./synthetic-shapes";

/** The base of the generated images' `coco_url`: a reserved `.invalid` host, never fetched. */
export const SYNTHETIC_COCO_URL = "http://images.synthetic-coco.invalid";

/** Options of {@link syntheticCocoJson} and {@link writeSyntheticCoco}. */
export interface SyntheticCocoOptions {
  /**
   * Images labelled with each of the 10 animal classes by the workshop's rule (last animal
   * annotation), train and val together; also the number of images without animals. Default 60.
   */
  perClass?: number;
  /** Seed of everything drawn (layout, sizes, textures). Default 0. */
  seed?: number;
  /** Share of the images put in val2017 rather than train2017. Default 0.1. */
  valFraction?: number;
  /** Share of the animal images that also hold animals of other classes. Default 0.2. */
  multiFraction?: number;
  /** Share of the images written as one-channel (grayscale) JPEGs. Default 0.02. */
  grayscaleFraction?: number;
  /** JPEG quality of the written images. Default 90. */
  quality?: number;
  /** Replace an existing `dir` (otherwise an existing folder is an error). Default false. */
  overwrite?: boolean;
  /** Called after each image is written with (images done, images in total). */
  onProgress?: (done: number, total: number) => void;
}

const DEFAULTS = { perClass: 60, seed: 0, valFraction: 0.1, multiFraction: 0.2, grayscaleFraction: 0.02, quality: 90 };

/** COCO-like image sizes (width, height). */
const SIZES: readonly [number, number][] = [
  [640, 480], [640, 427], [480, 640], [427, 640], [640, 640],
  [500, 375], [375, 500], [612, 612], [640, 512], [480, 480],
]; // prettier-ignore
const ANIMAL_IDS = Object.keys(ANIMAL_SHAPES).map(Number);
const OBJECT_IDS = Object.keys(OBJECT_SHAPES).map(Number);
const EXTRA_OBJECT_IDS = OBJECT_IDS.filter((id) => id !== 88);

/** One drawn object of the plan. */
interface PlannedObject {
  categoryId: number;
  shape: Shape;
  box: [number, number, number, number];
  points: number[];
  flip: boolean;
  seed: number;
}

/** One image of the plan: what to draw, where it goes. */
interface PlannedImage {
  image: CocoImage;
  split: "train2017" | "val2017";
  objects: PlannedObject[];
  /** Annotation order (indices into objects): the order the JSON lists them. */
  order: number[];
  grayscale: boolean;
  seed: number;
}

/** What {@link syntheticCocoJson} returns: the two annotation files and the drawing plan. */
export interface SyntheticCoco {
  train: CocoJson;
  val: CocoJson;
  /** Images holding animals of two or more classes. */
  multiLabelImages: number;
  /** Images holding no animal. */
  nonAnimalImages: number;
  grayscaleImages: number;
  /** @internal the drawing plan, in JSON order (train images, then val images) */
  plan: PlannedImage[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function checkOptions(options: SyntheticCocoOptions): Required<Omit<SyntheticCocoOptions, "onProgress">> {
  const o = { ...DEFAULTS, overwrite: false, ...options };
  if (!Number.isInteger(o.perClass) || o.perClass < 1 || o.perClass > 100_000) {
    throw new RangeError(`perClass is out of range: ${o.perClass} (expected an integer 1-100000)`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    throw new RangeError(`seed is out of range: ${o.seed} (expected an integer in [0, 2**32 - 1])`);
  }
  for (const key of ["valFraction", "multiFraction", "grayscaleFraction"] as const) {
    if (!(o[key] >= 0 && o[key] <= 1)) throw new RangeError(`${key} is out of range: ${o[key]} (expected 0-1)`);
  }
  if (!Number.isInteger(o.quality) || o.quality < 1 || o.quality > 100) {
    throw new RangeError(`quality is out of range: ${o.quality} (expected an integer 1-100)`);
  }
  return o;
}

/**
 * Plan the dataset: the annotation JSON of train2017 and val2017 (deterministic for the options),
 * without drawing any pixel. {@link writeSyntheticCoco} draws and writes it.
 * @example syntheticCocoJson({ perClass: 20 }).train.categories.length // 80
 */
export function syntheticCocoJson(options: SyntheticCocoOptions = {}): SyntheticCoco {
  const o = checkOptions(options);
  const rand = mulberry32(o.seed ^ 0x5eed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const int = (n: number) => Math.floor(rand() * n);
  const shuffle = <T>(a: T[]): T[] => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  // What each image is about: the labelled animal class, or 0 for an image without animals.
  const topics = shuffle([
    ...ANIMAL_IDS.flatMap((id) => Array<number>(o.perClass).fill(id)),
    ...Array<number>(o.perClass).fill(0),
  ]);
  const usedIds = new Set<number>();
  const plan: PlannedImage[] = [];
  let multi = 0;
  let gray = 0;
  for (const topic of topics) {
    let id: number;
    do id = 1 + int(581_929);
    while (usedIds.has(id));
    usedIds.add(id);
    const [width, height] = SIZES[int(SIZES.length)];
    const split = rand() < o.valFraction ? "val2017" : "train2017";
    const fileName = `${String(id).padStart(12, "0")}.jpg`;
    // Wanted objects, the labelled one first (it is placed first, so it always fits).
    const wanted: { categoryId: number; scale: number }[] = [];
    if (topic === 0) {
      const k = 1 + int(3);
      for (let i = 0; i < k; i++)
        wanted.push({ categoryId: OBJECT_IDS[int(OBJECT_IDS.length)], scale: between(0.2, 0.5) });
    } else {
      wanted.push({ categoryId: topic, scale: between(0.35, 0.75) });
      if (rand() < o.multiFraction) {
        const others = shuffle(ANIMAL_IDS.filter((c) => c !== topic)).slice(0, rand() < 0.7 ? 1 : 2);
        for (const c of others) wanted.push({ categoryId: c, scale: between(0.2, 0.6) });
      }
      if (rand() < 0.15) wanted.push({ categoryId: topic, scale: between(0.15, 0.4) });
      if (rand() < 0.25) {
        wanted.push({ categoryId: EXTRA_OBJECT_IDS[int(EXTRA_OBJECT_IDS.length)], scale: between(0.15, 0.45) });
      }
    }
    const objects = placeObjects(wanted, width, height, rand);
    if (new Set(objects.filter((ob) => ob.categoryId in ANIMAL_SHAPES).map((ob) => ob.categoryId)).size > 1) multi++;
    // JSON order: the labelled animal after every other animal; other objects anywhere.
    const rest = shuffle(objects.map((_, i) => i).slice(1));
    const lastAnimal = rest.reduce((at, i, k) => (objects[i].categoryId in ANIMAL_SHAPES ? k : at), -1);
    const order = topic === 0 ? [0, ...rest] : [...rest];
    if (topic !== 0) order.splice(lastAnimal + 1 + int(rest.length - lastAnimal), 0, 0);
    const grayscale = rand() < o.grayscaleFraction;
    if (grayscale) gray++;
    const image: CocoImage = {
      license: 4,
      file_name: fileName,
      coco_url: `${SYNTHETIC_COCO_URL}/${split}/${fileName}`,
      height,
      width,
      date_captured: "2026-01-01 00:00:00",
      id,
    };
    plan.push({ image, split, objects, order, grayscale, seed: (o.seed * 7919 + id) | 0 });
  }
  const make = (split: PlannedImage["split"], annId: { next: number }): CocoJson => {
    const images = plan.filter((p) => p.split === split);
    const annotations: CocoAnnotation[] = [];
    for (const p of images) {
      for (const i of p.order) {
        const ob = p.objects[i];
        annotations.push(annotationOf(ob, p.image.id, annId.next++));
      }
    }
    return {
      info: {
        description: "Synthetic COCO-format animals: procedurally drawn images, not COCO photographs (ml-dataprep-ts)",
        version: "1.0",
        year: 2026,
        contributor: "ml-dataprep-ts syntheticCocoJson",
        date_created: "2026/01/01",
      },
      licenses: [{ url: "http://creativecommons.org/licenses/by/2.0/", id: 4, name: "Attribution License" }],
      images: images.map((p) => p.image),
      annotations,
      categories: COCO_CATEGORIES.map((c) => ({ supercategory: c.supercategory, id: c.id, name: c.name })),
    };
  };
  const annId = { next: 1 };
  const train = make("train2017", annId);
  const val = make("val2017", annId);
  plan.sort((a, b) => (a.split === b.split ? 0 : a.split === "train2017" ? -1 : 1));
  return { train, val, multiLabelImages: multi, nonAnimalImages: o.perClass, grayscaleImages: gray, plan };
}

function overlaps(a: number[], b: number[], margin: number): boolean {
  return !(
    a[0] + a[2] + margin <= b[0] ||
    b[0] + b[2] + margin <= a[0] ||
    a[1] + a[3] + margin <= b[1] ||
    b[1] + b[3] + margin <= a[1]
  );
}

/** Put each wanted object at a random spot not overlapping those placed before; drop extras that do not fit. */
function placeObjects(
  wanted: { categoryId: number; scale: number }[],
  width: number,
  height: number,
  rand: () => number,
): PlannedObject[] {
  const placed: PlannedObject[] = [];
  for (const [k, want] of wanted.entries()) {
    const shape = ANIMAL_SHAPES[want.categoryId] ?? OBJECT_SHAPES[want.categoryId];
    // Box from the scale (of the longer side), kept inside the image with a 2 px margin.
    let bw = want.scale * Math.max(width, height) * Math.min(1, Math.sqrt(shape.aspect));
    let bh = bw / shape.aspect;
    const fit = Math.min(1, (width - 4) / bw, (height - 4) / bh);
    bw *= fit;
    bh *= fit;
    let box: [number, number, number, number] | undefined;
    for (let attempt = 0; attempt < 60 && !box; attempt++) {
      if (attempt > 0 && attempt % 15 === 0) [bw, bh] = [bw * 0.8, bh * 0.8];
      const cand: [number, number, number, number] = [
        2 + rand() * (width - 4 - bw),
        2 + rand() * (height - 4 - bh),
        bw,
        bh,
      ];
      if (placed.every((p) => !overlaps(cand, p.box, 4))) box = cand;
    }
    if (!box) {
      if (k === 0) throw new Error("internal: the first object always fits");
      continue;
    }
    const flip = rand() < 0.5;
    const points: number[] = [];
    for (const [u, v] of shape.outline) {
      const ju = Math.min(1, Math.max(0, (flip ? 1 - u : u) + (rand() - 0.5) * 0.02));
      const jv = Math.min(1, Math.max(0, v + (rand() - 0.5) * 0.02));
      points.push(round2(box[0] + ju * box[2]), round2(box[1] + jv * box[3]));
    }
    placed.push({ categoryId: want.categoryId, shape, box, points, flip, seed: Math.floor(rand() * 2 ** 31) });
  }
  return placed;
}

function annotationOf(ob: PlannedObject, imageId: number, id: number): CocoAnnotation {
  const p = ob.points;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let twice = 0;
  for (let i = 0, n = p.length / 2, j = n - 1; i < n; j = i++) {
    minX = Math.min(minX, p[2 * i]);
    maxX = Math.max(maxX, p[2 * i]);
    minY = Math.min(minY, p[2 * i + 1]);
    maxY = Math.max(maxY, p[2 * i + 1]);
    twice += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
  }
  return {
    segmentation: [p.slice()],
    area: Math.round(Math.abs(twice / 2) * 10000) / 10000,
    iscrowd: 0,
    image_id: imageId,
    bbox: [round2(minX), round2(minY), round2(maxX - minX), round2(maxY - minY)],
    category_id: ob.categoryId,
    id,
  };
}

/** Draw one planned image and encode it as JPEG. */
async function renderImage(p: PlannedImage, quality: number): Promise<Buffer> {
  const { width, height } = p.image;
  const canvas: Canvas = { width, height, data: new Uint8Array(width * height * 3) };
  drawBackground(canvas, p.seed);
  for (const ob of p.objects) fillPolygon(canvas, ob.points, ob.box, ob.shape, ob.seed, ob.flip);
  let img = sharp(canvas.data, { raw: { width, height, channels: 3 } });
  if (p.grayscale) img = img.toColourspace("b-w");
  return img.jpeg({ quality }).toBuffer();
}

/** What {@link writeSyntheticCoco} wrote. */
export interface SyntheticCocoWritten {
  dir: string;
  /** `{train: <dir>/annotations/instances_train2017.json, val: ...}` */
  annotationFiles: { train: string; val: string };
  images: { train: number; val: number };
  annotations: number;
  multiLabelImages: number;
  nonAnimalImages: number;
  grayscaleImages: number;
}

/**
 * Generate the dataset into `dir`: the JPEGs and both annotation files. Everything is written into a
 * temp folder beside `dir` and renamed into place at the end, so `dir` is either complete or
 * absent. An existing `dir` is refused unless `overwrite: true` (then it is replaced as a whole).
 * @throws DataPrepError when `dir` exists and `overwrite` is not set
 * @example await writeSyntheticCoco("out/image/synthetic-coco", { perClass: 60, onProgress: bar.update })
 */
export async function writeSyntheticCoco(
  dir: string,
  options: SyntheticCocoOptions = {},
): Promise<SyntheticCocoWritten> {
  const o = checkOptions(options);
  const target = path.resolve(dir);
  const data = syntheticCocoJson(o);
  const tmp = startOutputDir(target, { overwrite: o.overwrite, writer: "writeSyntheticCoco" });
  try {
    for (const sub of ["annotations", "train2017", "val2017"]) fs.mkdirSync(path.join(tmp, sub), { recursive: true });
    const total = data.plan.length;
    let done = 0;
    // Two in flight: one image is drawn in JS while libvips encodes the other.
    await forEachLimit(total, 2, async (k) => {
      const p = data.plan[k];
      const jpeg = await renderImage(p, o.quality);
      fs.writeFileSync(path.join(tmp, p.split, p.image.file_name), jpeg);
      options.onProgress?.(++done, total);
    });
    fs.writeFileSync(path.join(tmp, "annotations", "instances_train2017.json"), JSON.stringify(data.train));
    fs.writeFileSync(path.join(tmp, "annotations", "instances_val2017.json"), JSON.stringify(data.val));
    fs.writeFileSync(
      path.join(tmp, "README.txt"),
      "Generated by ml-dataprep-ts writeSyntheticCoco: procedurally drawn images in COCO format, not COCO photographs.\n" +
        `Options: ${JSON.stringify({ perClass: o.perClass, seed: o.seed, valFraction: o.valFraction, multiFraction: o.multiFraction })}\n`,
    );
    finishOutputDir(tmp, target, o.overwrite);
  } catch (e) {
    abandonOutputDir(tmp);
    throw e;
  }
  return {
    dir: target,
    annotationFiles: {
      train: path.join(target, "annotations", "instances_train2017.json"),
      val: path.join(target, "annotations", "instances_val2017.json"),
    },
    images: { train: data.train.images.length, val: data.val.images.length },
    annotations: data.train.annotations.length + data.val.annotations.length,
    multiLabelImages: data.multiLabelImages,
    nonAnimalImages: data.nonAnimalImages,
    grayscaleImages: data.grayscaleImages,
  };
}

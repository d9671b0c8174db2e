/**
 * "Workshop vs here" for image notebooks 1.1 and 1.2: the numbers the workshop printed (B.1, B.2)
 * next to this run's, in the tabular track's {@link WorkshopComparison} table. On the generated
 * offline stand-in, numbers that depend on which COCO images were drawn are "not comparable".
 */
import {
  WorkshopComparison,
  _n,
  type ComparisonRow,
  type ComparisonStatus,
  _row as row,
} from "../tabular/comparison-table";
import type { ImageIdSplit } from "./split-images";
import type { SplitCounts } from "./structure";

/** The workshop's image numbers (gonsoomoon-ml/ml-data-prep-workshop 4149fae, `image-classificaton/1.x`). */
export const WORKSHOP_IMAGE = Object.freeze({
  images: { train: 118_287, val: 5_000 },
  categories: 80,
  animalIds: [16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  perClass: 250,
  firstBirds: [442968, 121193, 192160],
  cifarRecords: 10_000,
  cifarFirstRow: [59, 43, 50, 140, 84, 72],
  frogNames: ["leptodactylid_s_000084.jpg", "alytes_obstetricans_s_000124.jpg", "spadefoot_s_000247.jpg"],
  split: { train: 2200, val: 275, test: 275 },
  firstIds: {
    val: [581722, 181697, 115859, 446764, 165141],
    train: [168879, 382564, 210275, 571938, 518455],
    test: [85288, 466210, 581855, 324937, 581749],
  },
  /** B.2 step 4: train / val / test per class, in label order. */
  classCounts: {
    bear: [198, 33, 19], bird: [208, 18, 24], cat: [209, 18, 23], cow: [198, 28, 24], dog: [197, 27, 26],
    elephant: [206, 18, 26], frog: [206, 20, 24], giraffe: [203, 22, 25], horse: [194, 27, 29],
    sheep: [183, 36, 31], zebra: [198, 28, 24],
  } as Record<string, [number, number, number]>, // prettier-ignore
});

const B1 = "image 1.1.download_data.ipynb (workshop.md B.1";
const B2 = "image 1.2.structuring_data.ipynb (workshop.md B.2";

/** What notebook 1.1 measured. */
export interface DownloadMeasured {
  /** "coco2017": the real annotations; "generated": the offline stand-in. */
  data: "coco2017" | "generated";
  images: { train: number; val: number };
  categories: number;
  /** Ids of 1-90 with no category. */
  missingIds: number[];
  animalIds: number[];
  perClass: number;
  policy: string;
  multiLabelImages: number;
  /** First ids drawn for the first category. */
  firstSampled: number[];
  classes: string[];
  total: number;
  fetched: { downloaded: number; fromCache: number; generated: number; failed: number };
  cifar: { source: string; records: number; frogs: number; firstRow: number[]; fileNames: string[] };
}

/** What notebook 1.2 measured. */
export interface StructureMeasured {
  data: "coco2017" | "generated";
  total: number;
  stratified: boolean;
  /** The workshop's unstratified split of these ids (seed 0). */
  workshopSplit: ImageIdSplit;
  /** Per class of that split, in label order. */
  workshopSplitCounts: ReadonlyMap<string, SplitCounts>;
  /** Per class of the dataset built. */
  counts: ReadonlyMap<string, SplitCounts>;
  folders: number;
  duplicates: { exact: number; near: number };
  /** What the leakage check found in the simulated leak. */
  planted?: { planted: number; caught: number };
}

const list = (xs: readonly (number | string)[]) => xs.join(", ");
const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const GENERATED = "the generated offline stand-in, not COCO 2017: other images, ids and counts";

/** "same" when equal; otherwise not comparable on the stand-in, else differs. */
function onData(generated: boolean, same: boolean, why: string): [ComparisonStatus, string] {
  if (same) return ["same", ""];
  return generated ? ["not comparable", GENERATED] : ["differs", why];
}

/** @internal */
export function _downloadComparison(m: DownloadMeasured): WorkshopComparison {
  const W = WORKSHOP_IMAGE;
  const gen = m.data === "generated";
  const fullDraw = !gen && m.perClass === W.perClass && m.policy === "last";
  const frogWhy =
    m.cifar.records === W.cifarRecords
      ? "another draw (perClass, policy or data)"
      : `${_n(m.cifar.records)} records, not data_batch_1's 10,000: other frogs are drawn`;
  const fetched = gen
    ? `${_n(m.fetched.generated)} generated (no download)`
    : `${_n(m.fetched.downloaded)} downloaded, ${_n(m.fetched.fromCache)} from the cache, ${_n(m.fetched.failed)} failed`;
  const rows: ComparisonRow[] = [
    row(
      "Annotations",
      "train / val images",
      `${_n(W.images.train)} / ${_n(W.images.val)}`,
      `${_n(m.images.train)} / ${_n(m.images.val)}`,
      `${B1} step 3)`,
      ...onData(gen, m.images.train === W.images.train && m.images.val === W.images.val, "another annotation file"),
    ),
    row(
      "Annotations",
      "categories",
      "80 (ids not contiguous: 12 missing, 25 then 27)",
      `${m.categories} (missing ${list(m.missingIds)})`,
      `${B1} step 3)`,
      m.categories === 80 && m.missingIds.includes(12) && m.missingIds.includes(26) ? "same" : "differs",
      "another category list",
    ),
    row(
      "Select",
      "animal category ids",
      list(W.animalIds),
      list(m.animalIds),
      `${B1} step 4)`,
      sameList(m.animalIds, W.animalIds) ? "same" : "differs",
      "the categories parameter chose others",
    ),
    row(
      "Select",
      "multi-label images",
      "not counted (the last animal annotation wins)",
      `${_n(m.multiLabelImages)}, policy "${m.policy}"`,
      `${B1} step 5)`,
      "replaced",
      "the labelling policy is a parameter and the images it decides are counted",
    ),
    row(
      "Sample",
      "images per class",
      String(W.perClass),
      String(m.perClass),
      `${B1} step 8)`,
      m.perClass === W.perClass ? "same" : "differs",
      `perClass = ${m.perClass} (a parameter; 250 is the workshop's)`,
    ),
    row(
      "Sample",
      "first birds drawn",
      list(W.firstBirds),
      list(m.firstSampled),
      `${B1} step 8)`,
      ...(fullDraw
        ? onData(gen, sameList(m.firstSampled, W.firstBirds), "another draw")
        : (["not comparable", gen ? GENERATED : "another perClass or policy draws other images"] as [
            ComparisonStatus,
            string,
          ])),
    ),
    row(
      "Download",
      "COCO images fetched",
      "2,500 downloaded (20 threads, ~2.1 min), re-encoded by imageio (q75)",
      fetched,
      `${B1} step 9)`,
      "replaced",
      gen
        ? "offline: the stand-in's images are generated locally"
        : "bytes kept as downloaded, bounded concurrency, retries, a failure summary",
    ),
    row(
      "CIFAR-10",
      "data_batch_1 records",
      "(10000, 3072) uint8",
      `${_n(m.cifar.records)} (${m.cifar.source})`,
      `${B1} step 10)`,
      m.cifar.records === W.cifarRecords ? "same" : "differs",
      m.cifar.source === "shipped"
        ? "offline: the real data_batch_1 records shipped in data/cifar10"
        : "another CIFAR-10 file",
    ),
    row(
      "CIFAR-10",
      "first row",
      "[59 43 50 … 140 84 72]",
      m.cifar.firstRow.length === 6
        ? `[${m.cifar.firstRow.slice(0, 3).join(" ")} … ${m.cifar.firstRow.slice(3).join(" ")}]`
        : "not read",
      `${B1} step 10)`,
      sameList(m.cifar.firstRow, W.cifarFirstRow) ? "same" : "differs",
      "record 0 is not data_batch_1's first",
    ),
    row(
      "CIFAR-10",
      "frogs drawn (label 6, same stream)",
      `250 of data_batch_1's frogs`,
      `${m.perClass} of ${_n(m.cifar.frogs)}`,
      `${B1} step 11)`,
      fullDraw && m.cifar.records === W.cifarRecords ? "same" : "not comparable",
      frogWhy,
    ),
    row(
      "CIFAR-10",
      "first frog files",
      list(W.frogNames),
      list(m.cifar.fileNames),
      `${B1} step 12)`,
      sameList(m.cifar.fileNames, W.frogNames) ? "same" : "not comparable",
      m.cifar.fileNames.some((f) => /_\d{5}\.jpg$/.test(f))
        ? "binary batches store no file names: <batch>_<record>.jpg"
        : frogWhy,
    ),
    row(
      "Result",
      "classes / images",
      `11 / 2,750`,
      `${m.classes.length} / ${_n(m.total)}`,
      `${B1} steps 13-15)`,
      m.classes.length === 11 && m.total === 2750 ? "same" : "differs",
      `perClass = ${m.perClass}`,
    ),
  ];
  return new WorkshopComparison("Workshop vs here: image notebook 1.1 (download data)", rows);
}

const triple = (c: SplitCounts | undefined) => (c ? `${c.train} / ${c.val} / ${c.test}` : "absent");

/** @internal */
export function _structureComparison(m: StructureMeasured): WorkshopComparison {
  const W = WORKSHOP_IMAGE;
  const gen = m.data === "generated";
  const s = m.workshopSplit;
  const n = m.total;
  const rule = s.train.length === Math.floor(0.8 * n) && s.val.length === Math.floor(0.9 * n) - Math.floor(0.8 * n);
  const sizes = `${_n(s.train.length)} / ${_n(s.val.length)} / ${_n(s.test.length)} of ${_n(n)}`;
  const sizeStatus: ComparisonStatus = n === 2750 && rule ? "same" : rule ? "not comparable" : "differs";
  const firstHere = `val ${list(s.val.slice(0, 5))}; train ${list(s.train.slice(0, 5))}; test ${list(s.test.slice(0, 5))}`;
  const firstSame = (["val", "train", "test"] as const).every((k) => sameList(s[k].slice(0, 5), W.firstIds[k]));
  const vals = [...m.counts.values()].map((c) => c.val);
  const rows: ComparisonRow[] = [
    row(
      "Split",
      "train / val / test (unstratified, seed 0)",
      "2,200 / 275 / 275 of 2,750",
      sizes,
      `${B2} step 2)`,
      sizeStatus,
      rule ? `${_n(n)} images, not 2,750; the same rule int(0.8n), int(0.9n)` : "the split rule differs",
    ),
    row(
      "Split",
      "first ids",
      `val ${list(W.firstIds.val)}; train ${list(W.firstIds.train)}; test ${list(W.firstIds.test)}`,
      firstHere,
      `${B2} step 2)`,
      ...onData(gen, firstSame, "other ids were sampled"),
    ),
    ...Object.entries(W.classCounts).map(([cls, [tr, va, te]], i) => {
      const here = m.workshopSplitCounts.get(cls);
      const same = here !== undefined && here.train === tr && here.val === va && here.test === te;
      return row(
        "Split",
        `${cls} (${i}): train / val / test, unstratified`,
        `${tr} / ${va} / ${te}`,
        triple(here),
        `${B2} step 4)`,
        ...onData(gen || n !== 2750, same, "other images were sampled"),
      );
    }),
    row(
      "Split",
      "val images per class (min-max)",
      "18-36 (not stratified)",
      `${Math.min(...vals)}-${Math.max(...vals)} (${m.stratified ? "stratified" : "not stratified"})`,
      `${B2} step 4)`,
      m.stratified ? "replaced" : "not comparable",
      m.stratified ? "stratified by default: each class split 80/10/10 on its own" : GENERATED,
    ),
    row(
      "Structure",
      "class folders",
      "33 (11 classes × 3 splits)",
      String(m.folders),
      `${B2} step 3)`,
      m.folders === 33 ? "same" : "differs",
      "another number of classes",
    ),
    row(
      "Structure",
      "class index",
      "0 bear … 10 zebra (alphabetical)",
      [...m.counts.keys()].map((c, i) => `${i} ${c}`).join(", "),
      `${B2} step 4)`,
      sameList([...m.counts.keys()], Object.keys(W.classCounts)) ? "same" : "differs",
      "other classes",
    ),
    row(
      "Leakage",
      "images in two splits",
      "275 test images also in train (stale S3 files, found in B.6)",
      `${m.duplicates.exact} exact, ${m.duplicates.near} near duplicates`,
      "image 3.2.pytorch_training (workshop.md B.6)",
      "replaced",
      `checked by sha256 and difference hash${m.planted ? `; a simulated leak of ${m.planted.planted} copies was caught ${m.planted.caught} times` : ""}`,
    ),
  ];
  return new WorkshopComparison("Workshop vs here: image notebook 1.2 (structuring data)", rows);
}

/**
 * The "workshop vs here" table of an image notebook.
 * @example imageWorkshopComparison("1.2", { data: "generated", total: 660, stratified: true, ... })
 */
export function imageWorkshopComparison(notebook: "1.1", measured: DownloadMeasured): WorkshopComparison;
export function imageWorkshopComparison(notebook: "1.2", measured: StructureMeasured): WorkshopComparison;
export function imageWorkshopComparison(
  notebook: "1.1" | "1.2",
  measured: DownloadMeasured | StructureMeasured,
): WorkshopComparison {
  if (measured === null || typeof measured !== "object")
    throw new TypeError(`measured is not an object: ${String(measured)} (expected the notebook's results)`);
  if (notebook === "1.1") return _downloadComparison(measured as DownloadMeasured);
  if (notebook === "1.2") return _structureComparison(measured as StructureMeasured);
  throw new RangeError(`image notebook unknown: ${JSON.stringify(notebook)} (expected "1.1" or "1.2")`);
}

import assert from "node:assert/strict";
import {
  imageWorkshopComparison,
  WORKSHOP_IMAGE,
  type DownloadMeasured,
  type StructureMeasured,
} from "../../src/image/image-comparison";
import type { SplitCounts } from "../../src/image/structure";

const CLASSES = Object.keys(WORKSHOP_IMAGE.classCounts);

/** 1.1 as the workshop ran it, on the real data. */
const workshopDownload = (): DownloadMeasured => ({
  data: "coco2017",
  images: { train: 118_287, val: 5_000 },
  categories: 80,
  missingIds: [12, 26, 29, 30, 45, 66, 68, 69, 71, 83],
  animalIds: [16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  perClass: 250,
  policy: "last",
  multiLabelImages: 1234,
  firstSampled: [442968, 121193, 192160],
  classes: [...CLASSES],
  total: 2750,
  fetched: { downloaded: 2500, fromCache: 0, generated: 0, failed: 0 },
  cifar: {
    source: "download",
    records: 10_000,
    frogs: 1030,
    firstRow: [59, 43, 50, 140, 84, 72],
    fileNames: [...WORKSHOP_IMAGE.frogNames],
  },
});

const counts = (table: Record<string, [number, number, number]>) =>
  new Map(Object.entries(table).map(([c, [train, val, test]]): [string, SplitCounts] => [c, { train, val, test }]));

/** 1.2 on the workshop's sample with its split. */
const workshopStructure = (): StructureMeasured => ({
  data: "coco2017",
  total: 2750,
  stratified: false,
  workshopSplit: {
    train: [...WORKSHOP_IMAGE.firstIds.train, ...new Array(2195).fill(0)],
    val: [...WORKSHOP_IMAGE.firstIds.val, ...new Array(270).fill(0)],
    test: [...WORKSHOP_IMAGE.firstIds.test, ...new Array(270).fill(0)],
  },
  workshopSplitCounts: counts(WORKSHOP_IMAGE.classCounts),
  counts: counts(WORKSHOP_IMAGE.classCounts),
  folders: 33,
  duplicates: { exact: 0, near: 0 },
  planted: { planted: 6, caught: 6 },
});

describe("imageWorkshopComparison", () => {
  it("1.1: the workshop's own run is the same everywhere but the steps that were replaced", () => {
    const rows = imageWorkshopComparison("1.1", workshopDownload()).rows;
    assert.equal(rows.length, 12);
    const notSame = rows.filter((r) => r.status !== "same").map((r) => [r.what, r.status]);
    assert.deepEqual(notSame, [
      ["multi-label images", "replaced"],
      ["COCO images fetched", "replaced"],
    ]);
  });

  it("1.1 offline: numbers of the generated images are not comparable, the categories and CIFAR row still are", () => {
    const m = workshopDownload();
    Object.assign(m, { data: "generated", images: { train: 881, val: 109 }, perClass: 60, total: 660 });
    m.firstSampled = [571761, 29699, 240060];
    m.fetched = { downloaded: 0, fromCache: 0, generated: 600, failed: 0 };
    m.cifar = {
      ...m.cifar,
      source: "shipped",
      records: 1307,
      frogs: 314,
      fileNames: ["data_batch_1_pieces_01292.jpg"],
    };
    const status = Object.fromEntries(imageWorkshopComparison("1.1", m).rows.map((r) => [r.what, r.status]));
    assert.equal(status["train / val images"], "not comparable");
    assert.equal(status["first birds drawn"], "not comparable");
    assert.equal(status["categories"], "same");
    assert.equal(status["animal category ids"], "same");
    assert.equal(status["first row"], "same");
    assert.equal(status["images per class"], "differs");
    assert.equal(status["data_batch_1 records"], "differs");
    const files = imageWorkshopComparison("1.1", m).rows.find((r) => r.what === "first frog files")!;
    assert.equal(files.status, "not comparable");
    assert.match(files.why, /store no file names/);
  });

  it("1.2: the workshop's split and per-class table are the same; a wrong class count differs", () => {
    const rows = imageWorkshopComparison("1.2", workshopStructure()).rows;
    assert.equal(rows.length, 17, "sizes, first ids, 11 classes, val range, folders, class index, leakage");
    const notSame = rows.filter((r) => r.status !== "same").map((r) => [r.what, r.status]);
    assert.deepEqual(notSame, [
      ["val images per class (min-max)", "not comparable"],
      ["images in two splits", "replaced"],
    ]);
    const m = workshopStructure();
    m.workshopSplitCounts = counts({ ...WORKSHOP_IMAGE.classCounts, bear: [199, 32, 19] });
    const bear = imageWorkshopComparison("1.2", m).rows.find((r) => r.what.startsWith("bear"))!;
    assert.deepEqual([bear.here, bear.status], ["199 / 32 / 19", "differs"]);
  });

  it("1.2 offline: another number of images follows the same split rule; per-class rows are not comparable", () => {
    const m = workshopStructure();
    Object.assign(m, { data: "generated", total: 660, stratified: true });
    m.workshopSplit = { train: new Array(528).fill(1), val: new Array(66).fill(2), test: new Array(66).fill(3) };
    m.workshopSplitCounts = new Map(CLASSES.map((c) => [c, { train: 48, val: 6, test: 6 }]));
    const rows = imageWorkshopComparison("1.2", m).rows;
    const sizes = rows[0];
    assert.deepEqual([sizes.here, sizes.status], ["528 / 66 / 66 of 660", "not comparable"]);
    assert.match(sizes.why, /the same rule/);
    assert.deepEqual(
      [...new Set(rows.filter((r) => r.what.includes("unstratified")).map((r) => r.status))],
      ["not comparable"],
    );
    assert.equal(rows.find((r) => r.what.startsWith("val images"))!.status, "replaced");
    m.workshopSplit = { train: new Array(500).fill(1), val: new Array(94).fill(2), test: new Array(66).fill(3) };
    assert.equal(imageWorkshopComparison("1.2", m).rows[0].status, "differs", "a split off the rule");
  });

  it("refuses an unknown notebook and a non-object", () => {
    assert.throws(() => imageWorkshopComparison("2.1" as "1.1", workshopDownload()), /image notebook unknown: "2.1"/);
    assert.throws(() => imageWorkshopComparison("1.1", null as never), TypeError);
  });
});

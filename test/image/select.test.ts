import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CIFAR10_OFFLINE_DIR, concatCifarBatches, readCifar } from "../../src/image/cifar";
import { COCO_CATEGORIES } from "../../src/image/coco-categories";
import type { CocoJson } from "../../src/image/coco-records";
import { labelImages, samplePerCategory, selectCategories, selectSample } from "../../src/image/select";
import { syntheticCocoJson } from "../../src/image/synthetic-coco";
import { RandomState } from "../../src/util/numpy-random-state";
import { assertThrows, pythonJson, tempDir } from "./image-helpers";

const ANIMALS = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25];

/** The shipped data_batch_1 pieces in one batch (1,307 records, 314 frogs). */
function batch1() {
  const { batches } = readCifar(CIFAR10_OFFLINE_DIR);
  const parts = batches.filter((b) => b.stem.startsWith("data_batch_1"));
  return { batch: concatCifarBatches(parts, "data_batch_1"), files: parts.map((b) => b.file) };
}

/**
 * Hand-made train and val files: image 1 a dog (900), a person, then a smaller cat (400); image 2 two
 * zebras; image 3 only a person; image 4 in train (horse) and val (sheep); image 5 a cat, then (last
 * in the file) a larger bird; image 6 only in val (cow).
 */
function twoFiles(): [CocoJson, CocoJson] {
  const cats = COCO_CATEGORIES.map((c) => ({ ...c }));
  const img = (id: number) => ({ id, file_name: `${id}.jpg`, width: 640, height: 480, coco_url: `http://h/${id}.jpg` });
  const ann = (id: number, image_id: number, category_id: number, area: number) => ({
    id,
    image_id,
    category_id,
    area,
    bbox: [0, 0, 10, 10] as [number, number, number, number],
    iscrowd: 0 as const,
  });
  const train: CocoJson = {
    images: [img(5), img(1), img(2), img(3), img(4)],
    annotations: [
      ann(1, 5, 17, 100),
      ann(2, 1, 18, 900),
      ann(3, 1, 1, 5000),
      ann(4, 1, 17, 400),
      ann(5, 2, 24, 50),
      ann(6, 2, 24, 70),
      ann(7, 3, 1, 10),
      ann(8, 4, 19, 10),
      ann(9, 5, 16, 800),
    ],
    categories: cats,
  };
  const val: CocoJson = {
    images: [img(4), img(6)],
    annotations: [ann(10, 6, 21, 5), ann(11, 4, 20, 10)],
    categories: cats,
  };
  return [train, val];
}

describe("selectCategories", () => {
  it('gives the 10 animal categories 16..25 for supercategory "animal"', () => {
    const cats = selectCategories({ categories: COCO_CATEGORIES.map((c) => ({ ...c })) });
    assert.deepEqual(
      cats.map((c) => c.id),
      ANIMALS,
      "ids",
    );
    assert.deepEqual(
      cats.map((c) => c.name),
      ["bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe"],
      "names in id order",
    );
  });

  it("filters by names and several supercategories, and rejects unknown names", () => {
    const data = { categories: COCO_CATEGORIES.map((c) => ({ ...c })) };
    assert.deepEqual(
      selectCategories(data, { names: ["zebra", "cat"] }).map((c) => c.id),
      [17, 24],
    );
    assert.equal(selectCategories(data, { supercategory: ["animal", "indoor"] }).length, 17, "10 animals + 7 indoor");
    assert.equal(selectCategories(data, { supercategory: "" }).length, 80, "no filter");
    assertThrows(() => selectCategories(data, { names: ["unicorn"] }), RangeError, ['"unicorn"', "expected one of"]);
    assertThrows(() => selectCategories(data, { supercategory: "animal", names: ["car"] }), RangeError, [
      "no category matches",
    ]);
  });
});

describe("labelImages", () => {
  const [train, val] = twoFiles();
  const sources = [
    { name: "train2017", data: train },
    { name: "val2017", data: val },
  ];

  it('"last" keeps the last animal annotation, in the workshop dict\'s insertion order, val overriding train', () => {
    const r = labelImages(sources, ANIMALS);
    assert.deepEqual(
      [...r.labels.entries()].map(([id, l]) => [id, l.categoryId, l.source]),
      [
        [5, 16, "train2017"],
        [1, 17, "train2017"],
        [2, 24, "train2017"],
        [4, 20, "val2017"],
        [6, 21, "val2017"],
      ],
      "image 5 enters first; image 4 keeps its train place with val's label; image 3 (person only) is absent",
    );
    assert.equal(r.multiLabelImages, 2, "images 1 (dog, cat) and 5 (cat, bird); two zebras are one label");
    assert.equal(r.skipped, 0, "nothing skipped");
    assert.deepEqual(
      [...r.counts],
      [
        [16, 1],
        [17, 1],
        [18, 0],
        [19, 0],
        [20, 1],
        [21, 1],
        [22, 0],
        [23, 0],
        [24, 1],
        [25, 0],
      ],
    );
    assert.equal(r.labels.get(1)?.cocoUrl, "http://h/1.jpg", "image info joined");
  });

  it('"largest" keeps the largest animal annotation and "skip-multi" drops multi-class images', () => {
    const largest = labelImages(sources, ANIMALS, { policy: "largest" });
    assert.equal(largest.labels.get(1)?.categoryId, 18, "dog 900 over cat 400 (the person's 5000 is no animal)");
    assert.equal(largest.labels.get(5)?.categoryId, 16, "bird 800 over cat 100");
    assert.equal(largest.labels.get(2)?.categoryId, 24, "zebra");
    const skip = labelImages(sources, ANIMALS, { policy: "skip-multi" });
    assert.deepEqual([...skip.labels.keys()], [2, 4, 6], "images 1 and 5 dropped");
    assert.equal(skip.skipped, 2, "2 skipped");
    assert.equal(skip.multiLabelImages, 2, "still reports 2 multi-label images");
    assertThrows(() => labelImages(sources, ANIMALS, { policy: "first" as never }), RangeError, ['"first"']);
  });
});

describe("samplePerCategory / selectSample against numpy", () => {
  // The workshop's code (B.1 steps 4-11), run by numpy in this test run on the same files.
  const WORKSHOP = `
import json, sys, numpy as np
train, val = (json.load(open(f)) for f in sys.argv[1:3])
animal = {c["id"]: c["name"] for c in train["categories"] if c["supercategory"] == "animal"}
def annos(d):
    out = {}
    for a in d["annotations"]:
        if a["category_id"] in animal:
            out[a["image_id"]] = {"category_id": a["category_id"]}
    return out
all_annos = {}
all_annos.update(annos(train))
all_annos.update(annos(val))
cats = {}
for d in (train, val):
    for a in d["annotations"]:
        if a["category_id"] in animal:
            cats.setdefault(a["image_id"], set()).add(a["category_id"])
np.random.seed(0)
out = {"sizes": {}, "samples": {}}
for cid in sorted(animal):
    subset = [k for k, v in all_annos.items() if v["category_id"] == cid]
    out["sizes"][cid] = len(subset)
    out["samples"][cid] = np.random.choice(subset, 250, replace=False).tolist()
labels = np.concatenate([np.fromfile(f, dtype=np.uint8).reshape(-1, 3073)[:, 0] for f in sys.argv[3:]])
out["frogs"] = np.random.choice(np.nonzero(labels == 6)[0], 250, replace=False).tolist()
out["multi"] = sum(len(s) > 1 for s in cats.values())
out["n"] = len(all_annos)
print(json.dumps(out))
`;

  it("draws the same 250 ids per category and the same 250 frogs as np.random.seed(0) + np.random.choice", () => {
    const data = syntheticCocoJson({ perClass: 260, seed: 0 });
    const dir = tempDir("select");
    const trainFile = path.join(dir, "instances_train2017.json");
    const valFile = path.join(dir, "instances_val2017.json");
    fs.writeFileSync(trainFile, JSON.stringify(data.train));
    fs.writeFileSync(valFile, JSON.stringify(data.val));
    const { batch, files } = batch1();
    const np = pythonJson(WORKSHOP, [trainFile, valFile, ...files]);
    fs.rmSync(dir, { recursive: true });

    const sources = [
      { name: "train2017", data: data.train },
      { name: "val2017", data: data.val },
    ];
    const labels = labelImages(sources, ANIMALS);
    assert.equal(labels.labels.size, np.n, "labelled images");
    assert.equal(labels.labels.size, 2600, "260 per class by construction");
    assert.equal(labels.multiLabelImages, np.multi, "multi-label images");
    for (const cid of ANIMALS) assert.equal(labels.counts.get(cid), np.sizes[cid], `subset size of ${cid}`);

    const { byCategory, rng } = samplePerCategory(labels, ANIMALS, { perClass: 250, seed: 0 });
    for (const cid of ANIMALS) assert.deepEqual(byCategory.get(cid), np.samples[cid], `category ${cid}`);
    assert.equal(batch.indicesOf(6).length, 314, "314 frogs in the shipped data_batch_1 records");
    const frogs = rng.choice(Array.from(batch.indicesOf(6)), 250, { replace: false });
    assert.deepEqual(frogs, np.frogs, "frogs on the same stream");

    const sample = selectSample(sources, batch, { perClass: 250, seed: 0 });
    assert.equal(sample.items.length, 2750, "2,750 images");
    assert.deepEqual(
      sample.items.filter((it) => it.source === "coco").map((it) => it.id),
      ANIMALS.flatMap((cid) => np.samples[cid]),
      "COCO ids in the workshop's order",
    );
    const frogItems = sample.items.filter((it) => it.source === "cifar");
    assert.deepEqual(
      frogItems.map((it) => it.cifarIndex),
      np.frogs,
      "frog records",
    );
    const next = Math.max(...ANIMALS.flatMap((cid) => np.samples[cid] as number[])) + 1;
    assert.deepEqual(
      frogItems.map((it) => it.id),
      Array.from({ length: 250 }, (_, k) => next + k),
      "frog ids after the largest COCO id",
    );
    assert.equal(sample.categories.get(26), "frog", "category_labels[26]");
    assert.equal(sample.categories.size, 11, "11 classes");
    const record = batch.sourceIndex![np.frogs[0]];
    assert.equal(frogItems[0].fileName, `data_batch_1_${String(record).padStart(5, "0")}.jpg`, "named by its record");
  });

  it("names the category that has too few images", () => {
    const data = syntheticCocoJson({ perClass: 5 });
    const labels = labelImages([{ name: "train2017", data: data.train }], ANIMALS);
    assertThrows(() => samplePerCategory(labels, ANIMALS, { perClass: 250 }), RangeError, [
      "category 16 has too few labelled images",
      "perClass = 250",
      'policy "last"',
    ]);
    assertThrows(() => selectSample([], undefined), RangeError, ["no COCO source"]);
  });

  it("continues a given stream", () => {
    const data = syntheticCocoJson({ perClass: 30, seed: 3 });
    const labels = labelImages([{ name: "t", data: data.train }], ANIMALS);
    const a = samplePerCategory(labels, [16], { perClass: 5, seed: 0 });
    const b = samplePerCategory(labels, [17], { perClass: 5, rng: a.rng });
    const both = samplePerCategory(labels, [16, 17], { perClass: 5, seed: 0 });
    assert.deepEqual(b.byCategory.get(17), both.byCategory.get(17), "same as drawing both in one call");
    assert.ok(b.rng instanceof RandomState, "the stream is returned");
  });
});

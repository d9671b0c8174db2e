import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CIFAR10_OFFLINE_DIR, cifarImageName } from "../../src/image/cifar";
import { loadCoco } from "../../src/image/coco";
import {
  _batchToSample,
  COCO_VAL2017_SUBSET,
  cocoVal2017Subset,
  getCifarBatch,
  getCocoAnnotations,
  parseCategories,
} from "../../src/image/workshop-inputs";
import { FormatError } from "../../src/util/errors";
import { projectPath } from "../../src/util/paths";
import { assertRejects, tempDir } from "./image-helpers";

describe("parseCategories", () => {
  const supers = ["person", "animal", "vehicle"];
  it("takes a supercategory name as a supercategory", () => {
    assert.deepEqual(parseCategories("animal", supers), { supercategory: "animal" });
  });
  it("takes comma-separated or listed names as category names over every supercategory", () => {
    assert.deepEqual(parseCategories(" dog, cat ", supers), { supercategory: "", names: ["dog", "cat"] });
    assert.deepEqual(parseCategories(["animal"], supers), { supercategory: "", names: ["animal"] }, "a list is names");
    assert.deepEqual(parseCategories("dog", supers), { supercategory: "", names: ["dog"] });
  });
  it("refuses an empty value", () => {
    assert.throws(() => parseCategories(" , ", supers), /categories is empty: " , "/);
  });
});

describe("getCifarBatch", () => {
  it("joins the shipped data_batch_1 pieces in record order: record 0 is the workshop's first row", () => {
    const { batch, classNames } = _batchToSample(CIFAR10_OFFLINE_DIR);
    assert.equal(batch.length, 1307, "100 + 1,000 + 207 records");
    assert.equal(batch.indicesOf(6).length, 314, "314 frogs");
    const row0 = batch.chw(0);
    assert.deepEqual([...row0.slice(0, 3), ...row0.slice(-3)], [59, 43, 50, 140, 84, 72]);
    assert.deepEqual([...batch.labels.slice(100, 103)], [9, 4, 3], "records 1,000-1,999 follow the first 100");
    assert.equal(batch.stem, "data_batch_1", "the shipped pieces know their record numbers");
    assert.equal(cifarImageName(batch, 1100, "jpeg"), "data_batch_1_02019.jpg", "exported under the true record");
    assert.equal(classNames[6], "frog");
  });

  it("reads a file given as it is, and the shipped records offline", async () => {
    const file = await getCifarBatch({ cifar: path.join("data", "cifar10", "data_batch_1_1000_1999.bin") });
    assert.equal(file.source, "file");
    assert.equal(file.batch.length, 1000);
    assert.equal(file.batch.indicesOf(6).length, 100, "the README's class counts: 100 frogs");
    const shipped = await getCifarBatch({ offline: true });
    assert.deepEqual([shipped.source, shipped.path, shipped.batch.length], ["shipped", CIFAR10_OFFLINE_DIR, 1307]);
  });

  it("names a path that cannot be read", async () => {
    await assertRejects(() => getCifarBatch({ cifar: "data/cifar10/nope.bin" }), FormatError, ["nope.bin"]);
  });
});

describe("getCocoAnnotations", () => {
  it("generates the stand-in offline and replaces it on the next call", async function () {
    this.timeout(120_000);
    const dir = path.join(tempDir("inputs"), "coco");
    const first = await getCocoAnnotations({ offline: true, dir, perClass: 2, seed: 1 });
    assert.equal(first.source, "offline");
    assert.equal(first.imagesDir, path.resolve(dir));
    const train = loadCoco(first.train);
    assert.equal(train.cats.size, 80);
    for (const im of train.loadImgs(train.getImgIds()))
      assert.ok(fs.existsSync(path.join(dir, "train2017", String(im.file_name))), `${im.file_name} generated`);
    const again = await getCocoAnnotations({ offline: true, dir, perClass: 2, seed: 1 });
    assert.equal(again.generated?.images.train, first.generated?.images.train, "same seed, same stand-in");
  });
});

describe("cocoVal2017Subset", () => {
  it("checks the shipped real subset and gives its path", () => {
    const file = cocoVal2017Subset();
    assert.equal(file, COCO_VAL2017_SUBSET.path);
    const coco = loadCoco(file);
    assert.deepEqual([coco.imgs.size, coco.anns.size, coco.cats.size], [3, 34, 80]);
    assert.deepEqual(
      fs.readFileSync(file),
      fs.readFileSync(projectPath("test", "fixtures", "coco", "instances_val2017_small.json")),
      "the same bytes as the test fixture",
    );
  });
});

describe("getCocoAnnotations and getCifarBatch without a connection", () => {
  // Online is asked (MLDP_OFFLINE unset here, restored after) from a port nothing listens on: refused at once.
  const saved = process.env.MLDP_OFFLINE;
  before(() => delete process.env.MLDP_OFFLINE);
  after(() => {
    if (saved === undefined) delete process.env.MLDP_OFFLINE;
    else process.env.MLDP_OFFLINE = saved;
  });
  const download = (name: string) => ({
    url: `http://127.0.0.1:1/${name}`,
    cacheDir: tempDir("no-network"),
    retries: 0,
    timeoutMs: 5000,
  });

  it("fall back to the stand-in and the shipped records, saying why", async function () {
    this.timeout(120_000);
    const coco = await getCocoAnnotations({
      dir: path.join(tempDir("fallback"), "coco"),
      perClass: 1,
      download: download("annotations_trainval2017.zip"),
    });
    assert.equal(coco.source, "offline");
    assert.match(coco.fallback ?? "", /ECONNREFUSED|refused/, coco.fallback);
    const cifar = await getCifarBatch({ download: download("cifar-10-python.tar.gz") });
    assert.deepEqual([cifar.source, cifar.batch.length], ["shipped", 1307]);
    assert.match(cifar.fallback ?? "", /127\.0\.0\.1:1/);
  });
});

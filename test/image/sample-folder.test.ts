import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { readCocoJson } from "../../src/image/coco-records";
import { readSampleFolder, writeSampleFolder } from "../../src/image/sample-folder";
import { selectSample, type ImageSample } from "../../src/image/select";
import { writeSyntheticCoco } from "../../src/image/synthetic-coco";
import { _batchToSample } from "../../src/image/workshop-inputs";
import { CIFAR10_OFFLINE_DIR, type CifarBatch } from "../../src/image/cifar";
import { FormatError } from "../../src/util/errors";
import { assertRejects, assertThrows, tempDir } from "./image-helpers";

describe("writeSampleFolder / readSampleFolder", () => {
  const root = tempDir("sample-folder");
  let sample: ImageSample;
  let batch: CifarBatch;
  let imagesDir: string;

  before(async function () {
    this.timeout(120_000);
    const coco = await writeSyntheticCoco(path.join(root, "coco"), { perClass: 4, seed: 3 });
    imagesDir = coco.dir;
    batch = _batchToSample(CIFAR10_OFFLINE_DIR).batch;
    const sources = [
      { name: "train2017", data: readCocoJson(coco.annotationFiles.train) },
      { name: "val2017", data: readCocoJson(coco.annotationFiles.val) },
    ];
    sample = selectSample(sources, batch, { perClass: 3, seed: 0 });
  });

  const write = (dir: string) =>
    writeSampleFolder(sample, dir, { cocoFile: (it) => path.join(imagesDir, it.origin, it.fileName), cifar: batch });

  it("copies COCO files byte for byte, writes frogs as JPEG, and reads back the same items", async () => {
    const dir = path.join(root, "sample");
    const folder = await write(dir);
    assert.equal(folder.items.length, 33, "11 classes × 3");
    assert.deepEqual(
      folder.items.map((it) => [it.id, it.className]),
      sample.items.map((it) => [it.id, it.className]),
      "the sample's order",
    );
    const coco = folder.items.find((it) => it.source === "coco")!;
    assert.deepEqual(fs.readFileSync(coco.file), fs.readFileSync(path.join(imagesDir, coco.origin, coco.fileName)));
    const frog = folder.items.find((it) => it.source === "cifar")!;
    const meta = await sharp(frog.file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 32, 32]);
    const back = readSampleFolder(dir);
    assert.deepEqual(back.items, folder.items);
    assert.equal(back.categories.get(26), "frog");
    assert.equal(back.policy, "last");
    assert.equal(back.multiLabelImages, sample.multiLabelImages);
  });

  it("replaces an older folder whole", async () => {
    const dir = path.join(root, "again");
    await write(dir);
    fs.writeFileSync(path.join(dir, "images", "stale.jpg"), "x");
    await write(dir);
    assert.ok(!fs.existsSync(path.join(dir, "images", "stale.jpg")), "no stale file survives");
  });

  it("names the missing COCO image and leaves no folder behind", async () => {
    const dir = path.join(root, "missing");
    const it0 = sample.items[0];
    await assertRejects(
      () => writeSampleFolder(sample, dir, { cocoFile: (it) => path.join(root, "nowhere", it.fileName), cifar: batch }),
      FormatError,
      ["COCO image cannot be copied", `image id ${it0.id}`],
    );
    assert.ok(!fs.existsSync(dir));
  });

  it("tells to run notebook 1.1 when the folder is absent, and names the item and field of a bad entry", async () => {
    assertThrows(() => readSampleFolder(path.join(root, "absent")), FormatError, ["sample_annos.json", "notebook 1.1"]);
    const dir = path.join(root, "bad");
    await write(dir);
    const file = path.join(dir, "sample_annos.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.items[4].className = "unicorn";
    fs.writeFileSync(file, JSON.stringify(json));
    assertThrows(() => readSampleFolder(dir), FormatError, ["items[4], field className", "unicorn", file]);
    json.items[4].className = sample.items[4].className;
    json.items[5].file = "../../etc/passwd";
    fs.writeFileSync(file, JSON.stringify(json));
    assertThrows(() => readSampleFolder(dir), FormatError, ["items[5], field file", "outside the folder"]);
    json.items[5].file = "images/x.jpg";
    json.items[6].id = "7";
    fs.writeFileSync(file, JSON.stringify(json));
    assertThrows(() => readSampleFolder(dir), FormatError, ["items[6], field id", "not an integer"]);
  });
});

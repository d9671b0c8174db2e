import assert from "node:assert/strict";
import * as path from "node:path";
import sharp from "sharp";
import { readCocoJson } from "../../src/image/coco-records";
import { checkLeakage } from "../../src/image/leakage";
import { plantLeak } from "../../src/image/plant-leak";
import { selectSample } from "../../src/image/select";
import { structureDataset, type StructuredDataset } from "../../src/image/structure";
import { writeSyntheticCoco } from "../../src/image/synthetic-coco";
import { thumbnail } from "../../src/image/thumbnail";
import { FormatError } from "../../src/util/errors";
import { assertRejects, tempDir } from "./image-helpers";

describe("plantLeak and thumbnail, on a structured generated sample", () => {
  const root = tempDir("plant-leak");
  let ds: StructuredDataset;

  before(async function () {
    this.timeout(120_000);
    const coco = await writeSyntheticCoco(path.join(root, "coco"), { perClass: 10, seed: 2 });
    const sources = [
      { name: "train2017", data: readCocoJson(coco.annotationFiles.train) },
      { name: "val2017", data: readCocoJson(coco.annotationFiles.val) },
    ];
    const sample = selectSample(sources, undefined, { perClass: 10, seed: 0 });
    const items = sample.items.map((it) => ({ ...it, file: path.join(coco.dir, it.origin, it.fileName) }));
    ds = await structureDataset(items, path.join(root, "structured"));
  });

  it("plants exact and resized copies of test images in train, and the leakage check reports each", async () => {
    assert.equal(ds.leakage.exact.length + ds.leakage.near.length, 0, "the dataset itself has no leak");
    const { entries, planted } = await plantLeak(ds.entries, ds.dir, { count: 2 });
    assert.equal(entries.length, ds.entries.length + 4);
    assert.deepEqual(
      planted.map((p) => [p.split, path.basename(p.path).split("-").slice(0, 2).join("-")]),
      [
        ["train", "stale-copy"],
        ["train", "stale-copy"],
        ["train", "stale-resized"],
        ["train", "stale-resized"],
      ],
    );
    assert.ok(
      planted.slice(2).every((p) => Math.min(p.width, p.height) === 224),
      "resized to a shorter side of 224",
    );
    const found = checkLeakage(entries);
    assert.equal(found.exact.length, 2, "the byte copies");
    assert.equal(found.near.length, 2, "the resized copies, by their pictures");
    assert.ok(found.near.every((p) => p.distance <= found.threshold));
    assert.equal(ds.entries.length, entries.length - 4, "the dataset's entries are not changed");
  });

  it("refuses a count the test split cannot give", async () => {
    const tests = ds.entries.filter((e) => e.split === "test").length;
    await assert.rejects(() => plantLeak(ds.entries, ds.dir, { count: tests }), /leak count is out of range/);
  });

  it("makes small JPEG thumbnails that fit the size and never enlarge", async () => {
    const big = ds.entries.find((e) => e.width >= 400)!;
    const bytes = await thumbnail(path.join(ds.dir, big.path), { size: 100 });
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, "jpeg");
    assert.equal(Math.max(meta.width!, meta.height!), 100);
    const tiny = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#0a0" } })
      .png()
      .toFile(path.join(root, "tiny.png"));
    assert.equal(tiny.width, 32);
    const t = await sharp(await thumbnail(path.join(root, "tiny.png"))).metadata();
    assert.deepEqual([t.width, t.height], [32, 32]);
    await assertRejects(() => thumbnail(path.join(root, "absent.jpg")), FormatError, ["absent.jpg"]);
  });
});

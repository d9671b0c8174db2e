import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { CIFAR_RECORD_BYTES, readCifarBatch } from "../../src/image/cifar";
import { checkSameClasses, loadImageDataset, splitValidation } from "../../src/image/image-dataset";
import { writeManifest, type ManifestEntry } from "../../src/image/manifest";
import { loadClassifierData } from "../../src/image/train-classifier";
import { FormatError, SchemaError } from "../../src/util/errors";
import { DATA_DIR } from "../helpers/data";
import { assertRejects, pythonJson, tempDir } from "./image-helpers";

const FIRST100 = path.join(DATA_DIR, "cifar10", "data_batch_1_first100.bin");
const TEST100 = path.join(DATA_DIR, "cifar10", "test_batch_first100.bin");

/** A structured folder: `<root>/{train,test}/<class>/<i>.png`, 8×6 images of one colour per class, and a manifest. */
async function structured(classes: Record<string, number>, sources: Record<string, string> = {}): Promise<string> {
  const root = tempDir("ds");
  const entries: ManifestEntry[] = [];
  let id = 0;
  for (const split of ["train", "test"] as const) {
    for (const [c, count] of Object.entries(classes)) {
      fs.mkdirSync(path.join(root, split, c), { recursive: true });
      for (let i = 0; i < count; i++) {
        const rel = `${split}/${c}/${i}.png`;
        const colour = { r: (c.charCodeAt(0) * 37) % 256, g: i * 20, b: split === "train" ? 0 : 255 };
        await sharp({ create: { width: 8, height: 6, channels: 3, background: colour } })
          .png()
          .toFile(path.join(root, rel));
        entries.push({
          path: rel,
          id: id++,
          label: Object.keys(classes).indexOf(c),
          class: c,
          source: sources[c] ?? "coco",
          split,
          sha256: "0".repeat(64),
          dhash: "0".repeat(16),
          width: 8,
          height: 6,
        });
      }
    }
  }
  writeManifest(root, entries);
  return root;
}

describe("loadImageDataset", () => {
  it("reads a CIFAR-10 binary batch: records, labels, class names, real provenance", async () => {
    const ds = await loadImageDataset(FIRST100);
    const batch = readCifarBatch(FIRST100);
    assert.equal(ds.images.length, 100);
    assert.deepEqual(Array.from(ds.labels.slice(0, 10)), [6, 9, 9, 4, 1, 1, 2, 7, 8, 3], "the README's first labels");
    assert.deepEqual(ds.images[0].data, batch.hwc(0), "interleaved RGB of record 0");
    assert.equal(ds.classNames[6], "frog");
    assert.deepEqual(ds.sources, { cifar10: 100 });
    assert.equal(ds.generated, false);
    assert.match(ds.description, /CIFAR-10 binary batch .*data_batch_1_first100\.bin \(100 real CIFAR-10 records\)/);
    assert.equal(ds.names[3], "data_batch_1_first100.bin#3");
  });

  it("reads a CIFAR-10 python batch written by Python in this run like the binary file", async () => {
    const dir = tempDir("pickle");
    const file = path.join(dir, "data_batch_1");
    pythonJson(
      `
import sys, pickle, json, numpy as np
raw = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(-1, 3073)
d = {b"batch_label": b"x", b"labels": raw[:, 0].astype(int).tolist(), b"data": raw[:, 1:].copy(), b"filenames": [b"f%d.png" % i for i in range(len(raw))]}
pickle.dump(d, open(sys.argv[2], "wb"), protocol=2)
print(json.dumps(len(raw)))`,
      [FIRST100, file],
    );
    const [py, bin] = [await loadImageDataset(file), await loadImageDataset(FIRST100)];
    assert.deepEqual(py.labels, bin.labels);
    assert.deepEqual(py.images[99].data, bin.images[99].data);
    assert.match(py.description, /CIFAR-10 pickle batch/);
  });

  it("joins several CIFAR-10 files in order", async () => {
    const ds = await loadImageDataset([FIRST100, TEST100]);
    assert.equal(ds.images.length, 200);
    assert.equal(ds.labels[100], 3, "test_batch's first label");
    assert.deepEqual(ds.paths, [FIRST100, TEST100]);
  });

  it("reads an ImageFolder with its manifest's sources and says when images are generated", async () => {
    const root = await structured({ cat: 2, dog: 3 }, { cat: "cifar", dog: "coco-generated" });
    const ds = await loadImageDataset(path.join(root, "train"));
    assert.deepEqual(ds.classNames, ["cat", "dog"]);
    assert.deepEqual(Array.from(ds.labels), [0, 0, 1, 1, 1]);
    assert.deepEqual(ds.sources, { cifar: 2, "coco-generated": 3 });
    assert.equal(ds.generated, true);
    assert.deepEqual([ds.images[0].width, ds.images[0].height, ds.images[0].data.length], [8, 6, 144]);
    const real = await loadImageDataset(path.join(await structured({ cat: 1 }, { cat: "cifar" }), "test"));
    assert.equal(real.generated, false);
    assert.match(real.description, /1 images in 1 classes: 1 cifar, from its manifest/);
  });

  it("shrinks images above maxSide on load, keeping the aspect", async () => {
    const root = await structured({ cat: 1 });
    const ds = await loadImageDataset(path.join(root, "train"), { maxSide: 4 });
    assert.deepEqual([ds.images[0].width, ds.images[0].height], [4, 3]);
  });

  describe("bad input: errors naming the path", () => {
    it("a file that is neither a CIFAR-10 batch nor a folder", async () => {
      const dir = tempDir("bad");
      const text = path.join(dir, "notes.txt");
      fs.writeFileSync(text, "hello, not images\n");
      await assertRejects(() => loadImageDataset(text, { role: "trainData" }), FormatError, [
        "trainData is neither a CIFAR-10 batch file (binary or python) nor an ImageFolder folder",
        text,
      ]);
      const odd = path.join(dir, "short.bin");
      fs.writeFileSync(odd, fs.readFileSync(FIRST100).subarray(0, CIFAR_RECORD_BYTES + 5));
      await assertRejects(() => loadImageDataset(odd), FormatError, ["neither", odd, "3,078 bytes"]);
      const empty = path.join(dir, "empty.bin");
      fs.writeFileSync(empty, "");
      await assertRejects(() => loadImageDataset(empty), FormatError, ["neither", empty, "(0 bytes;"]);
    });

    it("a label out of range in record 0: whole records, but not CIFAR-10's labels", async () => {
      const file = path.join(tempDir("label0"), "data_batch_8.bin");
      const bytes = Buffer.from(fs.readFileSync(FIRST100).subarray(0, 2 * CIFAR_RECORD_BYTES));
      bytes[0] = 10;
      fs.writeFileSync(file, bytes);
      await assertRejects(() => loadImageDataset(file, { role: "trainData" }), FormatError, [
        "trainData is neither",
        file,
        "6,146 bytes of 3,073-byte records, but record 0's label byte is 10 (expected 0-9)",
      ]);
    });

    it("a folder with neither class folders nor CIFAR-10 batches", async () => {
      const dir = tempDir("flat");
      fs.writeFileSync(path.join(dir, "README.txt"), "x");
      await assertRejects(() => loadImageDataset(dir, { role: "testData" }), FormatError, ["testData is neither", dir]);
    });

    it("a missing path", async () => {
      const gone = path.join(tempDir("gone"), "nothing.bin");
      await assertRejects(() => loadImageDataset(gone), FormatError, ["path cannot be read", gone]);
    });

    it("a CIFAR-10 label out of range, with the file and record", async () => {
      const file = path.join(tempDir("label"), "data_batch_9.bin");
      const bytes = Buffer.from(fs.readFileSync(FIRST100).subarray(0, 3 * CIFAR_RECORD_BYTES));
      bytes[CIFAR_RECORD_BYTES] = 10;
      fs.writeFileSync(file, bytes);
      await assertRejects(() => loadImageDataset(file), FormatError, [
        "label byte is out of range: 10",
        file,
        "record 1",
      ]);
    });

    it("an image whose manifest class is not its folder's", async () => {
      const root = await structured({ cat: 1, dog: 1 });
      const manifest = JSON.parse(fs.readFileSync(path.join(root, "manifest.json"), "utf8")) as ManifestEntry[];
      manifest[0].class = "dog";
      fs.writeFileSync(path.join(root, "manifest.json"), JSON.stringify(manifest));
      await assertRejects(() => loadImageDataset(path.join(root, "train")), SchemaError, [
        'manifest class "dog"',
        path.join(root, "train", "cat", "0.png"),
      ]);
    });

    it("an empty class folder, and a class without images when every class is required", async () => {
      const root = await structured({ cat: 1, dog: 1 });
      fs.mkdirSync(path.join(root, "train", "emu"));
      await assertRejects(() => loadImageDataset(path.join(root, "train"), { role: "trainData" }), SchemaError, [
        "trainData: class has no image: emu",
        path.join(root, "train"),
      ]);
      const frogs = path.join(DATA_DIR, "cifar10", "data_batch_1_frogs_2000_3999.bin");
      await assertRejects(() => loadImageDataset(frogs, { role: "trainData", requireEveryClass: true }), SchemaError, [
        "trainData class has no image: airplane, automobile, bird, cat, deer, dog, horse, ship, truck",
        frogs,
      ]);
    });

    it("class lists that differ between training and test data", async () => {
      const a = await structured({ cat: 1, dog: 1, emu: 1 });
      const b = await structured({ cat: 1, dog: 1 });
      const [train, test] = [
        await loadImageDataset(path.join(a, "train")),
        await loadImageDataset(path.join(b, "test")),
      ];
      assert.throws(
        () => checkSameClasses(train, test),
        (e: Error) =>
          e instanceof SchemaError &&
          e.message.includes("class lists differ between trainData and testData") &&
          e.message.includes(path.join(b, "test")) &&
          e.message.includes("lacks [emu]"),
      );
      await assertRejects(
        () => loadClassifierData({ trainData: path.join(a, "train"), testData: FIRST100 }),
        SchemaError,
        ["class lists differ", FIRST100, "lacks [emu] and adds [airplane, automobile, bird, deer, frog"],
      );
    });
  });
});

describe("splitValidation", () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));

  it("holds out round(count × valFraction) of each class, disjoint and complete, in ascending order", () => {
    const { train, val } = splitValidation(labels, 0.2, 0);
    const count = (idx: Int32Array, c: number) => Array.from(idx).filter((i) => labels[i] === c).length;
    assert.deepEqual(
      [0, 1, 2].map((c) => count(val, c)),
      [12, 6, 2],
    );
    assert.deepEqual(
      [...train, ...val].sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.deepEqual(
      Array.from(val),
      [...val].sort((a, b) => a - b),
    );
  });

  it("is seeded: the same seed gives the same split, another seed another", () => {
    assert.deepEqual(splitValidation(labels, 0.2, 7), splitValidation(labels, 0.2, 7));
    assert.notDeepEqual(splitValidation(labels, 0.2, 7).val, splitValidation(labels, 0.2, 8).val);
  });

  it("keeps at least one image of a class in training and refuses fractions outside (0, 1)", () => {
    const { train, val } = splitValidation([0, 1, 1], 0.9, 0);
    assert.deepEqual([train.length, val.length], [2, 1]);
    assert.ok(Array.from(train).includes(0), "the single image of class 0 stays in training");
    assert.throws(() => splitValidation(labels, 0), /valFraction is out of range: 0/);
    assert.throws(() => splitValidation(labels, 1), /valFraction is out of range: 1/);
  });
});

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { checkCocoJson, readCocoJson } from "../../src/image/coco-records";
import { labelImages } from "../../src/image/select";
import { SYNTHETIC_COCO_URL, syntheticCocoJson, writeSyntheticCoco } from "../../src/image/synthetic-coco";
import { DataPrepError } from "../../src/util/errors";
import { assertRejects, tempDir } from "./image-helpers";

const ANIMALS = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25];
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("syntheticCocoJson", () => {
  const data = syntheticCocoJson({ perClass: 40, seed: 0 });
  const sources = [
    { name: "train2017", data: data.train },
    { name: "val2017", data: data.val },
  ];

  it("is a valid COCO file with the real 80 categories, unique ids across train and val", () => {
    checkCocoJson(data.train, "train");
    checkCocoJson(data.val, "val");
    assert.equal(data.train.categories.length, 80, "80 categories");
    assert.deepEqual(Object.keys(data.train.categories[0]), ["supercategory", "id", "name"], "COCO's key order");
    const images = [...data.train.images, ...data.val.images];
    assert.equal(images.length, 440, "40 per animal class + 40 without animals");
    assert.equal(new Set(images.map((im) => im.id)).size, 440, "unique image ids");
    const anns = [...data.train.annotations, ...data.val.annotations];
    assert.deepEqual(
      anns.map((a) => a.id),
      Array.from({ length: anns.length }, (_, i) => i + 1),
      "annotation ids 1..n",
    );
    assert.ok(
      data.val.images.length > 20 && data.val.images.length < 80,
      `about 10% in val: ${data.val.images.length}`,
    );
    const im = data.train.images[0];
    assert.equal(im.coco_url, `${SYNTHETIC_COCO_URL}/train2017/${im.file_name}`, "coco_url");
    assert.match(im.file_name, /^\d{12}\.jpg$/, "12-digit file name");
    for (const x of images) {
      assert.ok(
        x.width >= 375 && x.width <= 640 && x.height >= 375 && x.height <= 640,
        `COCO-like size ${x.width}x${x.height}`,
      );
    }
  });

  it("gives every animal class exactly perClass images under the workshop's last-annotation rule", () => {
    const last = labelImages(sources, ANIMALS);
    assert.deepEqual([...last.counts.values()], Array(10).fill(40), "40 each");
    assert.equal(last.multiLabelImages, data.multiLabelImages, "multi-label count agrees with the generator");
    assert.ok(
      data.multiLabelImages >= 40 && data.multiLabelImages <= 120,
      `about 20% multi-label: ${data.multiLabelImages}`,
    );
    const largest = labelImages(sources, ANIMALS, { policy: "largest" });
    const differ = [...last.labels].filter(([id, l]) => largest.labels.get(id)?.categoryId !== l.categoryId).length;
    assert.ok(differ > 10, `"largest" relabels some multi-label images: ${differ}`);
    const skip = labelImages(sources, ANIMALS, { policy: "skip-multi" });
    assert.equal(skip.labels.size, 400 - data.multiLabelImages, "skip-multi drops them");
    const nonAnimal = [...data.train.images, ...data.val.images].filter((im) => !last.labels.has(im.id)).length;
    assert.equal(nonAnimal, 40, "40 images without animals");
    const people = [...data.train.annotations, ...data.val.annotations].filter((a) => a.category_id === 1).length;
    assert.ok(people > 10, `non-animal annotations: ${people} people`);
  });

  it("has boxes, areas and polygons that agree and lie inside the image", () => {
    const sizes = new Map([...data.train.images, ...data.val.images].map((im) => [im.id, im]));
    for (const a of [...data.train.annotations, ...data.val.annotations]) {
      const im = sizes.get(a.image_id)!;
      const poly = (a.segmentation as number[][])[0];
      assert.equal(poly.length % 2, 0, "x, y pairs");
      const xs = poly.filter((_, i) => i % 2 === 0);
      const ys = poly.filter((_, i) => i % 2 === 1);
      const [x, y, w, h] = a.bbox;
      assert.ok(Math.abs(x - Math.min(...xs)) < 0.011 && Math.abs(x + w - Math.max(...xs)) < 0.02, `bbox x of ${a.id}`);
      assert.ok(Math.abs(y - Math.min(...ys)) < 0.011 && Math.abs(y + h - Math.max(...ys)) < 0.02, `bbox y of ${a.id}`);
      assert.ok(x >= 0 && y >= 0 && x + w <= im.width && y + h <= im.height, `inside the image: ${a.id}`);
      let twice = 0;
      for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) twice += xs[j] * ys[i] - xs[i] * ys[j];
      assert.ok(Math.abs(a.area - Math.abs(twice) / 2) < 1e-3, `area is the polygon's: ${a.id}`);
      assert.ok(a.area > 0.2 * w * h && a.area <= w * h, `area within the box: ${a.id}`);
      assert.equal(a.iscrowd, 0, "iscrowd 0");
    }
  });

  it("is deterministic for a seed and changes with it", () => {
    const again = syntheticCocoJson({ perClass: 40, seed: 0 });
    assert.equal(JSON.stringify(again.train), JSON.stringify(data.train), "same seed, same JSON");
    // Pinned: the plan is plain JS (mulberry32, no native code), so these hold on every machine; a
    // change to the generator shows here and must say why in its commit.
    assert.equal(
      sha(Buffer.from(JSON.stringify(data.train))),
      "22105f89b9f0d6b353ff40495de6b10e0b133359a37489c85107673d815979a0",
    );
    assert.equal(
      sha(Buffer.from(JSON.stringify(data.val))),
      "bbf513cc1669b6c74dd4829ae5bdf5f46b13bdd6fefc5f4f804a0adf447e83a3",
    );
    assert.deepEqual(
      [data.train.images.length, data.val.images.length, data.multiLabelImages],
      [392, 48, 70],
      "counts",
    );
    const other = syntheticCocoJson({ perClass: 40, seed: 1 });
    assert.notEqual(other.train.images[0].id, data.train.images[0].id, "another seed, other ids");
  });

  it("rejects bad options", () => {
    assert.throws(() => syntheticCocoJson({ perClass: 0 }), /perClass is out of range: 0/);
    assert.throws(() => syntheticCocoJson({ multiFraction: 2 }), /multiFraction is out of range: 2/);
    assert.throws(() => syntheticCocoJson({ seed: -1 }), /seed is out of range/);
  });
});

describe("writeSyntheticCoco", () => {
  const root = tempDir("synthetic-coco");
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("writes the JPEGs and both annotation files, byte-identical for the same seed", async () => {
    const progress: [number, number][] = [];
    const a = await writeSyntheticCoco(path.join(root, "a"), {
      perClass: 3,
      grayscaleFraction: 0.2,
      onProgress: (d, t) => progress.push([d, t]),
    });
    assert.equal(a.images.train + a.images.val, 33, "33 images");
    assert.equal(progress.length, 33, "one progress call per image");
    assert.deepEqual(progress.at(-1), [33, 33], "last progress call");
    const train = readCocoJson(a.annotationFiles.train);
    const val = readCocoJson(a.annotationFiles.val);
    assert.equal(train.images.length + val.images.length, 33, "images listed");
    assert.equal(a.annotations, train.annotations.length + val.annotations.length, "annotations counted");
    let gray = 0;
    for (const [split, d] of [
      ["train2017", train],
      ["val2017", val],
    ] as const) {
      for (const im of d.images) {
        const meta = await sharp(path.join(a.dir, split, im.file_name)).metadata();
        assert.equal(meta.format, "jpeg", `${im.file_name} is a JPEG`);
        assert.deepEqual([meta.width, meta.height], [im.width, im.height], `${im.file_name} size`);
        if (meta.channels === 1) gray++;
      }
    }
    assert.equal(gray, a.grayscaleImages, "grayscale images as reported");
    assert.ok(gray > 0, `some grayscale images: ${gray}`);
    const b = await writeSyntheticCoco(path.join(root, "b"), { perClass: 3, grayscaleFraction: 0.2 });
    for (const split of ["train2017", "val2017", "annotations"]) {
      const files = fs.readdirSync(path.join(a.dir, split)).sort();
      assert.deepEqual(fs.readdirSync(path.join(b.dir, split)).sort(), files, `${split} file names`);
      for (const f of files) {
        assert.equal(
          sha(fs.readFileSync(path.join(b.dir, split, f))),
          sha(fs.readFileSync(path.join(a.dir, split, f))),
          f,
        );
      }
    }
  });

  it("refuses an existing folder unless overwrite is set, and leaves no temp folder", async () => {
    const dir = path.join(root, "c");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keep.txt"), "x");
    await assertRejects(() => writeSyntheticCoco(dir, { perClass: 1 }), DataPrepError, [
      "output folder exists",
      dir,
      "overwrite: true",
    ]);
    assert.ok(fs.existsSync(path.join(dir, "keep.txt")), "left as it was");
    // overwrite replaces only a folder this project built: a user's folder stays untouched.
    await assertRejects(() => writeSyntheticCoco(dir, { perClass: 1, overwrite: true }), DataPrepError, [
      "was not built here",
      dir,
    ]);
    assert.ok(fs.existsSync(path.join(dir, "keep.txt")), "still as it was");
    const built = path.join(root, "c2");
    await writeSyntheticCoco(built, { perClass: 1 });
    fs.writeFileSync(path.join(built, "stale.txt"), "x");
    const r = await writeSyntheticCoco(built, { perClass: 1, overwrite: true });
    assert.equal(r.images.train + r.images.val, 11, "11 images");
    assert.ok(!fs.existsSync(path.join(built, "stale.txt")), "replaced as a whole");
    assert.deepEqual(
      fs.readdirSync(root).filter((f) => f.includes(".tmp-") || f.includes(".old-")),
      [],
      "no temp folder left",
    );
  });

  it("draws classes a nearest-centroid rule tells apart from 8×8 colour thumbnails", async () => {
    // Learnable per class: crop each labelled animal's box, shrink it to 8×8 RGB, classify by the
    // nearest class mean of the other images (leave-one-out).
    const w = await writeSyntheticCoco(path.join(root, "d"), { perClass: 8, multiFraction: 0, grayscaleFraction: 0 });
    const vectors: { c: number; v: Float64Array }[] = [];
    for (const [split, file] of [
      ["train2017", w.annotationFiles.train],
      ["val2017", w.annotationFiles.val],
    ] as const) {
      const d = readCocoJson(file);
      const labels = labelImages([{ name: split, data: d }], ANIMALS).labels;
      for (const [id, l] of labels) {
        const a = d.annotations
          .filter((x) => x.image_id === id && x.category_id === l.categoryId)
          .sort((p, q) => q.area - p.area)[0];
        const [x, y, bw, bh] = a.bbox.map(Math.round);
        const px = await sharp(path.join(w.dir, split, l.fileName))
          .extract({ left: x, top: y, width: Math.max(1, bw - 1), height: Math.max(1, bh - 1) })
          .resize(8, 8, { fit: "fill" })
          .removeAlpha()
          .raw()
          .toBuffer();
        vectors.push({ c: l.categoryId, v: Float64Array.from(px) });
      }
    }
    assert.equal(vectors.length, 80, "80 labelled animals");
    let correct = 0;
    for (const [i, q] of vectors.entries()) {
      let best = -1;
      let bestD = Infinity;
      for (const c of ANIMALS) {
        const others = vectors.filter((r, j) => j !== i && r.c === c);
        const mean = new Float64Array(192);
        for (const r of others) r.v.forEach((x, k) => (mean[k] += x / others.length));
        const dist = q.v.reduce((s, x, k) => s + (x - mean[k]) ** 2, 0);
        if (dist < bestD) [best, bestD] = [c, dist];
      }
      if (best === q.c) correct++;
    }
    // 47/80 with sharp 0.35.5: well above chance although colours vary within a class (palettes)
    // and the crop includes background; a convolutional model sees shapes and stripes besides.
    assert.ok(correct / vectors.length >= 0.5, `leave-one-out accuracy ${correct}/80 (chance is 8/80)`);
  });
});

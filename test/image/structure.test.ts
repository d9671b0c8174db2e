import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { CIFAR10_OFFLINE_DIR, concatCifarBatches, readCifar, writeCifarImages } from "../../src/image/cifar";
import { readCocoJson } from "../../src/image/coco-records";
import { checkLeakage } from "../../src/image/leakage";
import { manifestCsv, readManifest, type ManifestEntry } from "../../src/image/manifest";
import { differenceHash, hammingDistance, imageHashes, NEAR_DUPLICATE_DISTANCE } from "../../src/image/phash";
import { selectSample } from "../../src/image/select";
import { classIndex, GENERATED_COCO_SOURCE, structureDataset, type StructureItem } from "../../src/image/structure";
import { SYNTHETIC_COCO_URL, writeSyntheticCoco } from "../../src/image/synthetic-coco";
import { DataPrepError, FormatError } from "../../src/util/errors";
import { assertRejects, tempDir } from "./image-helpers";

const CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "frog", "giraffe", "horse", "sheep", "zebra"];
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("image structuring", () => {
  const root = tempDir("structure");
  let items: StructureItem[] = [];
  /** COCO URLs of the sampled items, by id (the generated pictures' are under SYNTHETIC_COCO_URL). */
  const urls = new Map<number, string | undefined>();
  const build = path.join(root, "structured");
  let ds: Awaited<ReturnType<typeof structureDataset>>;

  before(async function () {
    this.timeout(300_000);
    // 12 generated images per animal class (10 sampled), 10 real CIFAR frogs: 110 images.
    const coco = await writeSyntheticCoco(path.join(root, "coco"), { perClass: 12, seed: 5 });
    const sources = [
      { name: "train2017", data: readCocoJson(coco.annotationFiles.train) },
      { name: "val2017", data: readCocoJson(coco.annotationFiles.val) },
    ];
    const { batches } = readCifar(CIFAR10_OFFLINE_DIR);
    const batch1 = concatCifarBatches(
      batches.filter((b) => b.stem.startsWith("data_batch_1")),
      "data_batch_1",
    );
    const sample = selectSample(sources, batch1, { perClass: 10, seed: 0 });
    const frogs = sample.items.filter((it) => it.source === "cifar");
    const frogDir = path.join(root, "frogs");
    await writeCifarImages(
      batch1,
      frogs.map((f) => f.cifarIndex!),
      frogDir,
      { format: "jpeg" },
    );
    for (const it of sample.items) urls.set(it.id, it.cocoUrl);
    items = sample.items.map((it) => ({
      id: it.id,
      className: it.className,
      source: it.source,
      file: it.source === "coco" ? path.join(coco.dir, it.origin, it.fileName) : path.join(frogDir, it.fileName),
    }));
    ds = await structureDataset(items, build);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("uses the alphabetical class index 0 bear ... 10 zebra", () => {
    assert.deepEqual(ds.classes, CLASSES, "classes in label order");
    assert.deepEqual(
      [...classIndex(["zebra", "bear", "frog", "bear"])],
      [
        ["bear", 0],
        ["frog", 1],
        ["zebra", 2],
      ],
    );
  });

  it("copies every image into {train,val,test}/{class}/ with all 33 folders, 8/1/1 per class", () => {
    for (const s of ["train", "val", "test"]) {
      assert.deepEqual(fs.readdirSync(path.join(build, s)).sort(), CLASSES, `${s} has the 11 class folders`);
    }
    for (const c of CLASSES) assert.deepEqual(ds.counts.get(c), { train: 8, val: 1, test: 1 }, c);
    assert.equal(ds.entries.length, 110, "110 images");
    for (const e of ds.entries) {
      const bytes = fs.readFileSync(path.join(build, e.path));
      assert.equal(sha(bytes), e.sha256, `${e.path} sha256`);
      assert.equal(e.path.split("/")[0], e.split, "split folder");
      assert.equal(e.path.split("/")[1], e.class, "class folder");
      assert.equal(e.label, CLASSES.indexOf(e.class), "label = class index");
    }
    const frog = ds.entries.find((e) => e.class === "frog")!;
    assert.deepEqual([frog.width, frog.height, frog.source], [32, 32, "cifar"], "a frog is a 32×32 CIFAR image");
    const counts = ds.entries.reduce((m, e) => m.set(e.split, (m.get(e.split) ?? 0) + 1), new Map<string, number>());
    assert.deepEqual(
      [...counts],
      [
        ["train", 88],
        ["val", 11],
        ["test", 11],
      ],
      "88 / 11 / 11",
    );
    assert.deepEqual(
      fs.readdirSync(root).filter((f) => f.includes(".tmp-")),
      [],
      "no temp folder left",
    );
  });

  it("writes the manifest as CSV and JSON, read back field by field", () => {
    const rows = readManifest(build);
    assert.deepEqual(rows, ds.entries, "manifest.json round trip");
    const csv = fs.readFileSync(path.join(build, "manifest.csv"), "utf8");
    assert.equal(csv, manifestCsv(ds.entries), "manifest.csv");
    const lines = csv.trimEnd().split("\n");
    assert.equal(lines[0], "path,id,label,class,source,split,sha256,dhash,width,height", "header");
    assert.equal(lines.length, 111, "header + 110 rows");
  });

  it("records generated COCO pictures (the offline stand-in's URL) as coco-generated, others as given", async () => {
    const two = items.filter((it) => it.className === "bear" || it.className === "frog");
    const withUrls = two.map((it) => ({ ...it, cocoUrl: urls.get(it.id) }));
    assert.ok(
      withUrls.some((it) => it.cocoUrl?.startsWith(SYNTHETIC_COCO_URL)),
      "the bears' URLs are generated ones",
    );
    const r = await structureDataset(withUrls, path.join(root, "sources"));
    const sources = r.entries.reduce(
      (m, e) => m.set(`${e.class} ${e.source}`, (m.get(`${e.class} ${e.source}`) ?? 0) + 1),
      new Map(),
    );
    assert.deepEqual([...sources].sort(), [
      [`bear ${GENERATED_COCO_SOURCE}`, 10],
      ["frog cifar", 10],
    ]);
    assert.equal(GENERATED_COCO_SOURCE, "coco-generated");
    assert.deepEqual(readManifest(path.join(root, "sources")), r.entries, "the manifest says so too");
    const real = await structureDataset(
      two.map((it) => ({
        ...it,
        cocoUrl: it.source === "coco" ? "http://images.cocodataset.org/train2017/x.jpg" : undefined,
      })),
      path.join(root, "sources-real"),
    );
    assert.deepEqual(
      [...new Set(real.entries.map((e) => e.source))].sort(),
      ["cifar", "coco"],
      "a real COCO URL stays coco",
    );
  });

  it("finds no leak in a clean build", () => {
    assert.deepEqual([ds.leakage.exact.length, ds.leakage.near.length, ds.leakage.checked], [0, 0, 110]);
    assert.equal(ds.leakage.threshold, NEAR_DUPLICATE_DISTANCE, "default threshold");
  });

  it("catches a planted leak: the same file and a resized, re-encoded copy of a train image in test", async () => {
    const victim = ds.entries.find((e) => e.split === "train" && e.source === "coco")!;
    const bytes = fs.readFileSync(path.join(build, victim.path));
    const meta = await sharp(bytes).metadata();
    const copy = await sharp(bytes)
      .resize({ width: Math.round(meta.width! * 0.5) })
      .jpeg({ quality: 75 })
      .toBuffer();
    const planted = async (id: number, b: Buffer): Promise<ManifestEntry> => {
      const h = await imageHashes(b, `planted ${id}`);
      return { ...victim, id, split: "test", path: `test/${victim.class}/planted-${id}.jpg`, ...h };
    };
    const same = await planted(1, bytes);
    const resized = await planted(2, copy);
    const report = checkLeakage([...ds.entries, same, resized]);
    assert.deepEqual(
      report.exact.map((p) => [p.a.id, p.b.id, p.distance]),
      [[victim.id, 1, 0]],
      "the same bytes",
    );
    assert.equal(report.near.length, 1, "one near copy");
    assert.deepEqual([report.near[0].a.id, report.near[0].b.id], [victim.id, 2], "the resized copy");
    assert.ok(report.near[0].distance <= NEAR_DUPLICATE_DISTANCE, `distance ${report.near[0].distance}`);
    assert.deepEqual([resized.width, resized.height], [Math.round(meta.width! * 0.5), Math.round(meta.height! * 0.5)]);
    const within = checkLeakage([{ ...same, split: "train" }, victim]);
    assert.equal(within.exact.length + within.near.length, 0, "a copy within one split is not a leak");
  });

  it("reports duplicates the split put in different splits when structuring", async () => {
    // The same frog file twice under two ids, like the workshop's stale files: structureDataset copies both.
    const frog = items.find((it) => it.source === "cifar")!;
    const twin = path.join(root, "twin");
    fs.mkdirSync(twin);
    fs.copyFileSync(frog.file, path.join(twin, "twin.jpg"));
    const withTwin = [...items, { ...frog, id: 999_999, file: path.join(twin, "twin.jpg") }];
    const out = path.join(root, "with-twin");
    const r = await structureDataset(withTwin, out, { stratify: false });
    const splitOf = (id: number) => r.entries.find((e) => e.id === id)!.split;
    const apart = splitOf(frog.id) !== splitOf(999_999);
    assert.ok(apart, `the twins land in ${splitOf(frog.id)} and ${splitOf(999_999)}`);
    assert.equal(r.leakage.exact.length, 1, "one exact pair across splits");
    assert.deepEqual(
      [r.split.train.length, r.split.val.length, r.split.test.length],
      [88, 11, 12],
      "int(.8n), int(.9n) of 111",
    );
  });

  it("refuses an existing output folder unless overwrite is set", async () => {
    await assertRejects(() => structureDataset(items, build), DataPrepError, [
      "output folder exists",
      build,
      "overwrite: true",
    ]);
    fs.writeFileSync(path.join(build, "stale.jpg"), "x");
    const progress: number[] = [];
    const again = await structureDataset(items, build, {
      overwrite: true,
      onProgress: (d, t) => progress.push(d * 1000 + t),
    });
    assert.deepEqual(again.entries, ds.entries, "same build");
    assert.deepEqual(
      progress,
      Array.from({ length: 110 }, (_, i) => (i + 1) * 1000 + 110),
      "progress 1..110 of 110",
    );
    assert.ok(!fs.existsSync(path.join(build, "stale.jpg")), "the old folder is replaced as a whole");
    // Never a folder that holds the inputs, nor one this project did not build.
    const sourceDir = path.dirname(items[0].file);
    await assertRejects(() => structureDataset(items, sourceDir, { overwrite: true }), DataPrepError, [
      "holds an input",
    ]);
    const mine = path.join(root, "mine");
    fs.mkdirSync(mine);
    await assertRejects(() => structureDataset(items, mine, { overwrite: true }), DataPrepError, ["not built here"]);
    assert.deepEqual(fs.readdirSync(mine), [], "a user's folder is left alone");
  });

  it("names an unreadable or missing image and leaves nothing behind", async () => {
    const bad = path.join(root, "bad");
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, "broken.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
    const out = path.join(root, "bad-out");
    const broken = [
      ...items.slice(0, 20),
      { id: 5, className: "cat", source: "coco", file: path.join(bad, "broken.jpg") },
    ];
    await assertRejects(() => structureDataset(broken, out), FormatError, [
      "cannot be decoded",
      "broken.jpg",
      "image id 5",
    ]);
    const missing = [
      ...items.slice(0, 20),
      { id: 6, className: "cat", source: "coco", file: path.join(bad, "nope.jpg") },
    ];
    await assertRejects(() => structureDataset(missing, out), FormatError, ["cannot be read", "nope.jpg"]);
    assert.ok(!fs.existsSync(out), "no output folder");
    assert.deepEqual(
      fs.readdirSync(root).filter((f) => f.includes(".tmp-")),
      [],
      "no temp folder",
    );
  });

  it("rejects two images with the same file name in one class and unsafe names", async () => {
    const dup = [items[0], { ...items[0], id: 123 }];
    await assertRejects(() => structureDataset(dup, path.join(root, "dup")), RangeError, [
      "two images would be copied to",
    ]);
    const unsafe = [{ ...items[0], className: "../x" }];
    await assertRejects(() => structureDataset(unsafe, path.join(root, "unsafe")), RangeError, ['"../x"']);
  });
});

describe("differenceHash / hammingDistance", () => {
  it("counts differing bits", () => {
    assert.equal(hammingDistance("ffffffffffffffff", "fffffffffffffffe"), 1);
    assert.equal(hammingDistance("0000000000000000", "ffffffffffffffff"), 64);
    assert.equal(hammingDistance("8000000000000001", "0000000000000000"), 2);
    assert.throws(() => hammingDistance("xyz", "0000000000000000"), /perceptual hash is malformed/);
  });

  it("hashes the same pixels the same in PNG and JPEG-decoded form, and a gradient as expected", async () => {
    // A horizontal ramp getting darker to the right: every cell brighter than its right neighbour.
    const w = 90;
    const h = 40;
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.fill(255 - x * 2, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const png = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer();
    assert.equal(await differenceHash(png), "ffffffffffffffff", "all bits set");
    const flipped = await sharp(png).flop().png().toBuffer();
    assert.equal(await differenceHash(flipped), "0000000000000000", "mirrored: no bit set");
    const jpeg = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const decoded = await sharp(jpeg).png().toBuffer();
    assert.equal(await differenceHash(decoded), await differenceHash(jpeg), "format does not matter");
    await assert.rejects(
      () => differenceHash(Buffer.from("not an image"), "junk.jpg"),
      (e: Error) => {
        return e instanceof FormatError && e.message.includes("junk.jpg");
      },
    );
  });
});

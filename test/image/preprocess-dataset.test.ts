import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { readImageFolderSplits } from "../../src/image/imagefolder";
import { formatLst, im2recList, readLst } from "../../src/image/lst";
import { readManifest } from "../../src/image/manifest";
import { isInside, OUTPUT_MARKER } from "../../src/image/output-dir";
import { preprocessDataset, preprocessResults } from "../../src/image/preprocess-dataset";
import { preprocessWorkshopComparison } from "../../src/image/preprocess-comparison";
import { beforeAfter, tensorStats } from "../../src/image/preprocess-views";
import { writeBadInputFolder } from "../../src/image/bad-input";
import { readRecordIO } from "../../src/image/recordio";
import { structureDataset } from "../../src/image/structure";
import { readStructuredFolder, sampleImages } from "../../src/image/structured-input";
import { readTFRecord } from "../../src/image/tfrecord";
import { toTensor } from "../../src/image/to-tensor";
import { centerCrop } from "../../src/image/transforms";
import { DataPrepError, FormatError, SchemaError } from "../../src/util/errors";
import { mxnetRecordIO, readFormats, smallJpegs } from "./formats-helpers";
import { assertRejects, assertThrows, tempDir } from "./image-helpers";

const CLASSES = ["bear", "cat", "zebra"];

/** A gradient picture of `width`×`height` as a sharp pipeline. */
function picture(width: number, height: number) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([(x * 255) / width, (y * 255) / height, 90], (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/**
 * A structured folder of 3 classes × 10 images (8/1/1 per class, stratified) by structureDataset, with
 * a manifest; bear holds a grayscale JPEG, cat a CMYK JPEG, zebra a PNG with alpha (among its 10).
 */
async function makeStructured(root: string): Promise<string> {
  const src = path.join(root, "src");
  fs.mkdirSync(src, { recursive: true });
  const jpegs = await smallJpegs(27, 5, 300);
  const items = jpegs.map((j, i) => {
    const file = path.join(src, `${1000 + i}.jpg`);
    fs.writeFileSync(file, j.data);
    return { id: 1000 + i, className: CLASSES[i % 3], file, source: "test" };
  });
  const special: [string, string, Promise<unknown>][] = [
    ["bear", "2000.jpg", picture(320, 240).toColourspace("b-w").jpeg().toFile(path.join(src, "2000.jpg"))],
    ["cat", "2001.jpg", picture(240, 320).toColourspace("cmyk").jpeg().toFile(path.join(src, "2001.jpg"))],
    ["zebra", "2002.png", picture(300, 300).ensureAlpha(0.5).png().toFile(path.join(src, "2002.png"))],
  ];
  await Promise.all(special.map((s) => s[2]));
  special.forEach(([className, name], k) =>
    items.push({ id: 2000 + k, className, file: path.join(src, name), source: "test" }),
  );
  const dir = path.join(root, "structured");
  await structureDataset(items, dir);
  return dir;
}

/** Images per split and class from the manifest. */
function manifestCounts(dir: string): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const e of readManifest(dir)) {
    counts[e.class] ??= { train: 0, val: 0, test: 0 };
    counts[e.class][e.split]++;
  }
  return counts;
}

describe("preprocessDataset", () => {
  const root = tempDir("prep-dataset");
  let structured: string;
  before(async function () {
    this.timeout(120_000);
    structured = await makeStructured(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("writes one TFRecord per split: fit + crop/pad to 224, labels and counts of the manifest, conversions counted", async () => {
    const out = path.join(root, "tf");
    const progress: number[] = [];
    const r = await preprocessDataset(structured, out, { format: "tfrecord", onProgress: (d) => progress.push(d) });
    assert.deepEqual(r.counts, manifestCounts(structured), "records per class and split = manifest");
    assert.deepEqual(r.written, { train: 24, val: 3, test: 3 });
    assert.deepEqual(r.images, r.written, "every image written");
    assert.deepEqual(
      progress,
      Array.from({ length: 30 }, (_, i) => i + 1),
      "one progress call per image",
    );
    assert.deepEqual(r.converted, { grayscale: 1, cmyk: 1, alpha: 1 }, "the three colour modes counted");
    assert.deepEqual(r.convertedFiles.map((c) => path.basename(c.file)).sort(), ["2000.jpg", "2001.jpg", "2002.png"]);
    assert.deepEqual(tree(out), [OUTPUT_MARKER, "classes.txt", "test.tfrecord", "train.tfrecord", "val.tfrecord"]);
    assert.equal(fs.readFileSync(path.join(out, "classes.txt"), "utf8"), "bear\ncat\nzebra\n");
    const labels = new Map(readManifest(structured).map((e) => [e.split + "/" + e.label, 0]));
    for (const s of ["train", "val", "test"]) {
      const file = path.join(out, `${s}.tfrecord`);
      const ours = readTFRecord(file);
      assert.ok(
        ours.every((e) => e.width === 224 && e.height === 224 && e.depth === 3),
        `${s}: 224×224×3`,
      );
      const py = readFormats(["tfrecord", file]);
      assert.equal(py.length, (r.written as Record<string, number>)[s], `${s}: the Python reader reads every record`);
      assert.ok(
        py.every((x: any) => x.lengthCrcOk && x.dataCrcOk),
        `${s}: CRCs`,
      );
      for (const e of ours) assert.ok(labels.has(`${s}/${e.label}`), `${s} label ${e.label}`);
      assert.equal(r.files.find((f) => f.path === `${s}.tfrecord`)!.bytes, fs.statSync(file).size, "size reported");
    }
    const again = await preprocessDataset(structured, out, { format: "tfrecord", overwrite: true });
    assert.deepEqual(again.written, r.written);
    assert.ok(
      fs.readFileSync(path.join(out, "train.tfrecord")).length > 0 && again.seconds > 0 && again.imagesPerSecond > 0,
      "timed",
    );
    const json = preprocessResults(r);
    assert.deepEqual(Object.keys(json).slice(0, 4), ["format", "input", "outputFolder", "classes"]);
    const rows = preprocessWorkshopComparison("2.1", r).rows;
    assert.equal(rows.find((x) => x.what === "stored geometry")!.status, "replaced", "224 replaces the 244 typo");
    assert.match(rows.find((x) => x.what === "file sizes")!.why, /not the workshop's 2,750.*; 224² instead of 244²$/);
    const at244 = preprocessWorkshopComparison("2.1", { ...r, settings: { ...r.settings, size: 244 } }).rows;
    assert.doesNotMatch(at244.find((x) => x.what === "file sizes")!.why, /244² instead/, "no size note at 244");
  });

  it("shuffles TFRecord order with the seed and keeps the sorted order with shuffle: false", async () => {
    const a = await preprocessDataset(structured, path.join(root, "tf-a"), { format: "tfrecord", seed: 3 });
    const b = await preprocessDataset(structured, path.join(root, "tf-b"), { format: "tfrecord", shuffle: false });
    const labelsOf = (dir: string) => readTFRecord(path.join(dir, "train.tfrecord")).map((e) => e.label);
    const sorted = labelsOf(b.dir);
    assert.deepEqual(
      sorted,
      [...sorted].sort((x, y) => x - y),
      "unshuffled: class order",
    );
    assert.notDeepEqual(labelsOf(a.dir), sorted, "shuffled");
    assert.deepEqual(
      [...labelsOf(a.dir)].sort((x, y) => x - y),
      sorted,
      "same records",
    );
  });

  it("writes the PyTorch ImageFolder (00..02 or names), shorter side 224, read back by torchvision's walk", async () => {
    const out = path.join(root, "pt");
    const r = await preprocessDataset(structured, out, { format: "imagefolder" });
    assert.deepEqual(r.counts, manifestCounts(structured));
    const upload = preprocessWorkshopComparison("3.1", r).rows.find((x) => x.what.startsWith("train and val folders"))!;
    const uploadBytes = [
      ...tree(path.join(out, "train")).map((f) => path.join(out, "train", f)),
      ...tree(path.join(out, "val")).map((f) => path.join(out, "val", f)),
    ].reduce((n, f) => n + fs.statSync(f).size, 0);
    assert.equal(upload.workshop, "2,475 JPEGs, 35,190,637 B", "workshop.md B.5 step 6");
    assert.equal(upload.here, `27 JPEGs, ${uploadBytes.toLocaleString("en-US")} B`, "train + val as written");
    const py = readFormats(["imagefolder", path.join(out, "val")]);
    assert.deepEqual(py.classes, ["00", "01", "02"]);
    const val = readManifest(structured)
      .filter((e) => e.split === "val")
      .map((e) => [e.label, path.basename(e.path).replace(/\.png$/, ".jpg")]);
    assert.deepEqual(
      py.samples.map(([p, l]: [string, number]) => [l, path.basename(p)]).sort(),
      val.sort(),
      "labels and names kept",
    );
    for (const f of tree(path.join(out, "train")).slice(0, 5)) {
      const m = await sharp(path.join(out, "train", f)).metadata();
      assert.equal(Math.min(m.width!, m.height!), 224, f);
      assert.equal(m.channels, 3, f);
    }
    const named = await preprocessDataset(structured, path.join(root, "pt-names"), {
      format: "imagefolder",
      folderNames: "name",
      resize: "center-crop",
    });
    const back = readImageFolderSplits(named.dir);
    assert.deepEqual(back.get("train")!.classes, CLASSES);
    const m = await sharp(back.get("test")!.samples[0][0]).metadata();
    assert.deepEqual([m.width, m.height], [224, 224], "centre-cropped");
  });

  it("writes im2rec's lists and the .rec/.idx in list order, plus the workshop's lists", async () => {
    const out = path.join(root, "rec");
    const r = await preprocessDataset(structured, out, { format: "recordio" });
    assert.deepEqual(r.counts, manifestCounts(structured));
    const splits = ["train", "val", "test"];
    const mx = mxnetRecordIO(["read", ...splits.map((s) => path.join(out, `${s}.rec`))]);
    for (const s of splits) {
      const lst = fs.readFileSync(path.join(out, `${s}.lst`), "utf8");
      assert.equal(lst, formatLst(im2recList(path.join(structured, s)).entries), `${s}.lst is im2rec's`);
      const { records, idx } = mx[path.join(out, `${s}.rec`)];
      assert.deepEqual(
        records.map((x: any) => [x.id, x.label, x.flag]),
        readLst(path.join(out, `${s}.lst`)).map((e) => [e.index, e.labels[0], 0]),
        `${s}.rec follows the list (read by MXNet)`,
      );
      assert.deepEqual(
        idx.map((x: any) => [x.key, x.offset, x.id]),
        records.map((x: any) => [x.id, x.offset, x.id]),
        `${s}.idx keys and offsets`,
      );
      assert.ok(
        records.every((x: any) => x.format === "JPEG" && Math.min(x.width, x.height) === 224),
        `${s}: JPEGs with shorter side 224`,
      );
    }
    const ws = readLst(path.join(out, "workshop-lst", "test.lst"));
    assert.equal(ws[0].index, 24, "test follows train in the running index");
    assert.ok(ws[0].path.startsWith("structured/test/bear/"), ws[0].path);
    const png = readManifest(structured).find((e) => e.path.endsWith(".png"))!;
    const all = readManifest(structured).filter((e) => e.split === png.split).length;
    assert.deepEqual(r.warnings, [
      `workshop-lst/${png.split}.lst: ${all - 1} of ${all} images listed (the workshop's rglob("*.jpg") takes only .jpg files)`,
    ]);
    assert.equal(readLst(path.join(out, "workshop-lst", `${png.split}.lst`)).length, all - 1);
  });

  it("relabels im2rec's per-folder labels when a split lacks a class, and names an image outside a class folder", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(root, "empty-")), "structured");
    const jpeg = (await smallJpegs(1, 9, 40))[0].data;
    for (const [s, c] of [
      ["train", "bear"],
      ["train", "cat"],
      ["val", "cat"],
    ]) {
      fs.mkdirSync(path.join(dir, s, c), { recursive: true });
      fs.writeFileSync(path.join(dir, s, c, `${s}-${c}.jpg`), jpeg);
    }
    fs.mkdirSync(path.join(dir, "val", "bear"));
    const r = await preprocessDataset(dir, path.join(dir, "..", "rec"), { format: "recordio" });
    assert.deepEqual(readLst(path.join(r.dir, "val.lst"))[0].labels, [1], "cat keeps label 1 (im2rec would give 0)");
    assert.deepEqual(
      readRecordIO(path.join(r.dir, "val.rec")).map((x) => x.label),
      [1],
    );
    assert.match(r.warnings.join("\n"), /val: 1 im2rec labels set to the class index/);
    fs.writeFileSync(path.join(dir, "val", "stray.jpg"), jpeg);
    await assertRejects(
      () => preprocessDataset(dir, path.join(dir, "..", "rec2"), { format: "recordio" }),
      SchemaError,
      ["image is outside a class folder", path.join(dir, "val", "stray.jpg")],
    );
    assert.ok(!fs.existsSync(path.join(dir, "..", "rec2")), "nothing written");
  });

  it("stops on a corrupt image naming it, publishes nothing, and keeps the previous output folder", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(root, "corrupt-")), "structured");
    fs.cpSync(structured, dir, { recursive: true });
    const out = path.join(dir, "..", "tf");
    await preprocessDataset(dir, out, { format: "tfrecord" });
    const before = tree(out).map((f) => [f, fs.readFileSync(path.join(out, f)).length]);
    const victim = readManifest(dir).find((e) => e.split === "val")!.path;
    const bytes = fs.readFileSync(path.join(dir, victim));
    fs.writeFileSync(path.join(dir, victim), bytes.subarray(0, bytes.length >> 1));
    await assertRejects(() => preprocessDataset(dir, out, { format: "tfrecord", overwrite: true }), FormatError, [
      path.join(dir, victim),
    ]);
    assert.deepEqual(
      tree(out).map((f) => [f, fs.readFileSync(path.join(out, f)).length]),
      before,
      "old folder intact",
    );
    assert.deepEqual(
      fs.readdirSync(path.dirname(out)).filter((f) => f.includes(".tmp-")),
      [],
      "no temp folder left",
    );
    // collect: the corrupt image and a zero-byte one are listed and left out of the list and the records
    const empty = readManifest(dir).find((e) => e.split === "val" && e.path !== victim)!.path;
    fs.writeFileSync(path.join(dir, empty), "");
    const r = await preprocessDataset(dir, path.join(dir, "..", "rec"), { format: "recordio", onError: "collect" });
    assert.deepEqual(r.failures.map((f) => f.file).sort(), [victim, empty].sort());
    assert.match(r.failures.find((f) => f.file === empty)!.message, /image is empty/);
    assert.equal(r.written.val, 1);
    assert.equal(readLst(path.join(r.dir, "val.lst")).length, 1, "left out of the list");
    assert.equal(readRecordIO(path.join(r.dir, "val.rec")).length, 1, "and of the records");
    assert.equal(preprocessWorkshopComparison("4.1", r).rows.at(-1)!.here, '2 left out (onError "collect")');
  });

  it("refuses class folders that differ between splits, a label out of range and an unlisted file", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(root, "schema-")), "structured");
    fs.cpSync(structured, dir, { recursive: true });
    const out = path.join(dir, "..", "out");
    fs.renameSync(path.join(dir, "test", "zebra"), path.join(dir, "test", "zebras"));
    await assertRejects(() => preprocessDataset(dir, out, { format: "imagefolder" }), SchemaError, [
      "class folders differ between splits",
      "test lacks [zebra] and adds [zebras]",
    ]);
    assert.ok(!fs.existsSync(out), "nothing written");
    fs.renameSync(path.join(dir, "test", "zebras"), path.join(dir, "test", "zebra"));

    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    const row = manifest.findIndex((e: { split: string }) => e.split === "val");
    manifest[row].label = 7;
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await assertRejects(() => preprocessDataset(dir, out, { format: "tfrecord" }), SchemaError, [
      "image label is out of range: 7 (expected 0..2",
      `row ${row}, ${manifest[row].path}`,
    ]);
    manifest[row].label = CLASSES.indexOf(manifest[row].class) === 0 ? 1 : 0;
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    assertThrows(() => readStructuredFolder(dir), SchemaError, ["image label does not match its folder"]);
    manifest[row].label = CLASSES.indexOf(manifest[row].class);
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    fs.copyFileSync(path.join(dir, manifest[row].path), path.join(dir, "val", "cat", "extra.jpg"));
    await assertRejects(() => preprocessDataset(dir, out, { format: "tfrecord" }), SchemaError, [
      "image is not in the manifest",
      path.join(dir, "val", "cat", "extra.jpg"),
    ]);
    assert.ok(!fs.existsSync(out), "nothing written");
  });

  it("says to run notebook 1.2 when the input is missing, and guards the output folder", async () => {
    const missing = path.join(root, "no-such");
    await assertRejects(() => preprocessDataset(missing, path.join(root, "x"), { format: "tfrecord" }), DataPrepError, [
      "structured image folder not found",
      missing,
      "1.2-structuring-data.ipynb",
    ]);
    const foreign = path.join(root, "foreign");
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, "keep.txt"), "mine");
    await assertRejects(() => preprocessDataset(structured, foreign, { format: "tfrecord" }), DataPrepError, [
      "output folder exists",
      "overwrite: true",
    ]);
    await assertRejects(
      () => preprocessDataset(structured, foreign, { format: "tfrecord", overwrite: true }),
      DataPrepError,
      ["was not built here"],
    );
    assert.deepEqual(fs.readdirSync(foreign), ["keep.txt"], "a folder this project did not write is untouched");
    await assertRejects(
      () => preprocessDataset(structured, path.join(structured, "train", "out"), { format: "imagefolder" }),
      DataPrepError,
      ["output folder is inside the input folder"],
    );
    await assert.rejects(
      preprocessDataset(structured, path.join(root, "y"), { format: "parquet" as never }),
      /dataset format is unknown: parquet/,
    );
  });
});

describe("writeBadInputFolder", () => {
  const root = tempDir("prep-bad");
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("writes one image of each bad kind that the workflow converts or leaves out, naming each", async () => {
    const bad = await writeBadInputFolder(path.join(root, "bad"));
    const r = await preprocessDataset(bad.dir, path.join(root, "out"), { format: "imagefolder", onError: "collect" });
    assert.deepEqual(
      r.convertedFiles.map((c) => [c.file, c.mode, c.alpha]),
      [
        [bad.converted.grayscale, "grayscale", false],
        [bad.converted.cmyk, "cmyk", false],
        [bad.converted.alpha, "rgb", true],
      ],
    );
    assert.deepEqual(r.failures.map((f) => f.file).sort(), Object.values(bad.bad).sort());
    for (const f of r.failures) assert.ok(f.message.includes(path.join(bad.dir, f.file)), f.message);
    assert.match(
      r.failures.find((f) => f.file === bad.bad.zeroSizeJpeg)!.message,
      /^image has zero size: .*zero-size\.jpg \(0×0, expected at least 1×1\)$/,
    );
    assert.equal(r.written.train + r.written.val, bad.good.length + 3, "the good and the converted images");
    await assertRejects(() => writeBadInputFolder(path.join(root, "bad")), DataPrepError, ["output folder exists"]);
  });
});

describe("sampleImages, beforeAfter, tensorStats", () => {
  const root = tempDir("prep-views");
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("picks one image per class spread over the classes, shows each step's size, and summarises a tensor", async () => {
    const dir = path.join(root, "s");
    const jpeg = await picture(64, 48).jpeg().toBuffer();
    for (const c of ["a", "b", "c", "d", "e"]) {
      fs.mkdirSync(path.join(dir, "train", c), { recursive: true });
      for (const k of [1, 2]) fs.writeFileSync(path.join(dir, "train", c, `${c}${k}.jpg`), jpeg);
    }
    const input = readStructuredFolder(dir);
    assert.equal(input.manifest, false);
    assert.deepEqual(
      sampleImages(input, { count: 3 }).map((im) => path.basename(im.file)),
      ["a1.jpg", "b1.jpg", "d1.jpg"],
    );
    assert.equal(sampleImages(input, { count: 7 }).length, 7, "a second round when count > classes");
    const views = await beforeAfter([path.join(dir, "train", "a", "a1.jpg")], {
      crop: (im) => centerCrop(im, 32),
    });
    assert.deepEqual(
      views.map((v) => v.caption),
      ["a1.jpg 64×48", "crop 32×32"],
    );
    const stats = tensorStats(
      toTensor({ data: new Uint8Array([0, 255, 51, 255, 255, 51]), width: 2, height: 1, channels: 3 }),
    );
    assert.equal(stats.layout, "CHW");
    assert.deepEqual(
      stats.channels.map((c) => [c.channel, c.mean, c.std, c.min, c.max]),
      [
        ["R", 0.5, 0.5, 0, 1],
        ["G", 1, 0, 1, 1],
        ["B", 0.2, 0, 0.2, 0.2],
      ],
    );
  });
});

describe("isInside", () => {
  it("is true for the folder itself and paths under it, false for siblings and parents", () => {
    assert.equal(isInside("out/image", "out/image"), true);
    assert.equal(isInside("out/image", "out/image/train/x.jpg"), true);
    assert.equal(isInside("out/image/", path.resolve("out/image/train")), true);
    assert.equal(isInside("out/image", "out/image-2"), false);
    assert.equal(isInside("out/image", "out"), false);
    assert.equal(isInside("out/image", "out/other/../image/a"), true);
  });
});

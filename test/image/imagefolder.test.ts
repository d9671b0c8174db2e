import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  classFolderName,
  readImageFolder,
  readImageFolderSplits,
  writeImageFolder,
  type ImageFolderItem,
} from "../../src/image/imagefolder";
import { DataPrepError, FormatError, SchemaError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { readFormats, sha256, smallJpegs } from "./formats-helpers";
import { assertRejects, assertThrows, tempDir } from "./image-helpers";

function touch(root: string, rel: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), "x");
}

describe("readImageFolder", () => {
  let dir: string;
  before(() => (dir = tempDir("imagefolder")));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("lists classes and samples in torchvision's order (sorted os.walk, case-insensitive extensions)", () => {
    const root = path.join(dir, "train");
    for (const rel of [
      "zebra/b.jpg",
      "zebra/A.JPEG",
      "bear/c.png",
      "bear/notes.txt",
      "bear/b/x.webp",
      "bear/b-c/y.tif",
      "bear/b/z/w.bmp",
      "Cat/d.PPM",
      "loose.jpg",
    ]) {
      touch(root, rel);
    }
    const ours = readImageFolder(root);
    const py = readFormats(["imagefolder", root]);
    assert.deepEqual(ours.classes, py.classes, "classes");
    assert.deepEqual(ours.classes, ["Cat", "bear", "zebra"], "sorted by code point, like Python");
    assert.deepEqual(ours.samples, py.samples, "samples and their order");
    assert.deepEqual(ours.targets, [0, 1, 1, 1, 1, 2, 2], "targets");
    assert.equal(ours.classToIdx.get("zebra"), 2, "class_to_idx");
  });

  it("agrees with the torchvision walk on 20 seeded random trees", () => {
    const rand = mulberry32(3);
    const names = ["a", "b", "a-b", "a.b", "B", "_", "a b", "ab"];
    const exts = [".jpg", ".JPG", ".png", ".txt", ".jpeg", ".Webp", ""];
    for (let t = 0; t < 20; t++) {
      const root = path.join(dir, `tree${t}`);
      const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)];
      for (let f = 0; f < 25; f++) {
        const depth = 1 + Math.floor(rand() * 3);
        const parts = Array.from({ length: depth }, () => pick(names));
        try {
          touch(root, path.join(...parts, `${pick(names)}${pick(exts)}`));
        } catch {
          // a file and a folder of the same name: skip this one
        }
      }
      for (const c of names) touch(root, path.join(c, "keep.jpg")); // no empty class
      const ours = readImageFolder(root);
      const py = readFormats(["imagefolder", root]);
      assert.deepEqual([ours.classes, ours.samples], [py.classes, py.samples], `tree ${t}`);
    }
  });

  it("refuses a root without class folders and a class without images (unless allowEmpty)", () => {
    const root = path.join(dir, "empty-class");
    touch(root, "bear/a.jpg");
    touch(root, "cow/readme.txt");
    assertThrows(() => readImageFolder(root), FormatError, ["class has no image: cow", root]);
    assert.equal(readImageFolder(root, { allowEmpty: true }).samples.length, 1, "allowEmpty");
    const flat = path.join(dir, "flat");
    touch(flat, "a.jpg");
    assertThrows(() => readImageFolder(flat), FormatError, ["no class folder", flat]);
  });

  it("refuses splits whose class folders differ", () => {
    const root = path.join(dir, "splits");
    for (const rel of ["train/bear/1.jpg", "train/cow/2.jpg", "val/bear/3.jpg", "val/dog/4.jpg", "test/bear/5.jpg"]) {
      touch(root, rel);
    }
    assertThrows(() => readImageFolderSplits(root), SchemaError, [
      "differ between splits",
      "val lacks [cow]",
      "adds [dog]",
    ]);
  });
});

describe("writeImageFolder", () => {
  let dir: string;
  let items: ImageFolderItem[];
  const classes = ["bear", "bird", "cat"];
  before(async () => {
    dir = tempDir("write-imagefolder");
    const jpegs = await smallJpegs(12, 9);
    items = jpegs.map((j, i) => ({
      split: i < 6 ? "train" : i < 9 ? "val" : "test",
      className: classes[i % 3],
      name: `${1000 + i}.jpg`,
      data: j.data,
    }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes a tree that readImageFolderSplits reads back, with counts and progress", async () => {
    const out = path.join(dir, "named");
    const progress: number[] = [];
    const written = await writeImageFolder(out, items, { onProgress: (d, t) => progress.push(d / t) });
    assert.deepEqual(written.classes, classes, "classes");
    assert.deepEqual(
      [...(written.counts.get("val") as Map<string, number>)],
      [
        ["bear", 1],
        ["bird", 1],
        ["cat", 1],
      ],
    );
    assert.equal(progress.at(-1), 1, "progress ends at total");
    const read = readImageFolderSplits(out);
    const train = read.get("train")!;
    assert.deepEqual(
      train.samples.map(([p, l]) => [path.relative(out, p), l, sha256(fs.readFileSync(p))]),
      items
        .slice(0, 6)
        .map((it): [string, number, string] => [
          path.join("train", it.className, it.name),
          classes.indexOf(it.className),
          sha256(it.data),
        ])
        .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)),
      "train samples",
    );
  });

  it("names folders by two-digit label as the workshop's PyTorch route did", async () => {
    const out = path.join(dir, "labels");
    await writeImageFolder(out, items, { folderNames: "label", classes: [...classes, "cow", "dog"], allowEmpty: true });
    assert.deepEqual(fs.readdirSync(path.join(out, "test")).sort(), ["00", "01", "02", "03", "04"], "00..04");
    assert.deepEqual(fs.readdirSync(path.join(out, "test", "01")), ["1010.jpg"], "bird = 01");
  });

  it("refuses an unknown class, an empty image, a split lacking a class and an existing folder; writes nothing", async () => {
    const out = path.join(dir, "refused");
    await assertRejects(
      () => writeImageFolder(out, [...items, { ...items[0], name: "x.jpg", className: "cow" }], { classes }),
      RangeError,
      ['class is not among the classes: "cow"', "label out of range", "item 12"],
    );
    await assertRejects(() => writeImageFolder(out, [{ ...items[0], data: new Uint8Array(0) }]), RangeError, [
      "image is empty",
      "item 0",
    ]);
    await assertRejects(() => writeImageFolder(out, items.slice(0, 10)), SchemaError, ["test lacks [bird, cat]"]);
    assert.ok(!fs.existsSync(out), "nothing written");
    await writeImageFolder(out, items);
    await assertRejects(() => writeImageFolder(out, items), DataPrepError, ["output folder exists"]);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes(".tmp-")),
      [],
      "no temp folder left",
    );
  });
});

describe("classFolderName", () => {
  it("gives the two-digit label, wider past 100 classes, or the class name", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}`);
    assert.deepEqual(
      [0, 3, 10].map((l) => classFolderName(l, eleven, "label")),
      ["00", "03", "10"],
    );
    const many = Array.from({ length: 101 }, (_, i) => `c${i}`);
    assert.deepEqual(
      [0, 7, 100].map((l) => classFolderName(l, many, "label")),
      ["000", "007", "100"],
    );
    assert.equal(classFolderName(3, eleven, "name"), "c3");
  });
});

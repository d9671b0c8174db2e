import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatLst, im2recList, parseLst, readLst, workshopLst, writeLst } from "../../src/image/lst";
import { PythonRandom } from "../../src/image/python-random";
import { FormatError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { readFormats } from "./formats-helpers";
import { assertThrows, tempDir } from "./image-helpers";

function touch(root: string, rel: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), rel);
}

describe("formatLst / parseLst", () => {
  it("writes im2rec's %d\\t%f\\t%s and the workshop's %010d\\t%d\\t%s lines", () => {
    const entries = [
      { index: 1999, labels: [9], path: "sheep/000000574928.jpg" },
      { index: 2200, labels: [1], path: "data_structured/test/bird/000000443749.jpg" },
    ];
    assert.equal(
      formatLst(entries),
      "1999\t9.000000\tsheep/000000574928.jpg\n2200\t1.000000\tdata_structured/test/bird/000000443749.jpg\n",
    );
    assert.equal(
      formatLst(entries, { style: "workshop" }),
      "0000001999\t9\tsheep/000000574928.jpg\n0000002200\t1\tdata_structured/test/bird/000000443749.jpg\n",
    );
    assert.equal(formatLst([{ index: 0, labels: [1, 0.5], path: "a.jpg" }]), "0\t1.000000\t0.500000\ta.jpg\n", "multi");
  });

  it("reads both spellings back to the same entries, through a file", () => {
    const dir = tempDir("lst");
    try {
      const entries = [
        { index: 0, labels: [0], path: "bear/1.jpg" },
        { index: 2475, labels: [10], path: "data_structured/val/zebra/2.jpg" },
      ];
      for (const style of ["im2rec", "workshop"] as const) {
        const file = path.join(dir, `${style}.lst`);
        writeLst(file, entries, { style });
        assert.deepEqual(readLst(file), entries, style);
      }
      assert.deepEqual(parseLst(" 7 \t 3.000000 \t x y.jpg \r\n\n"), [{ index: 7, labels: [3], path: "x y.jpg" }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the file and line of a bad line, and refuses bad entries when writing", () => {
    assertThrows(() => parseLst("0\t1\ta.jpg\n1\tb.jpg\n", "train.lst"), FormatError, [
      "2 columns",
      "train.lst, line 2",
    ]);
    assertThrows(() => parseLst("x\t1\ta.jpg\n", "t.lst"), FormatError, ["index is not an integer", "line 1"]);
    assertThrows(() => parseLst("0\tcat\ta.jpg\n", "t.lst"), FormatError, ['label is not a number: "cat"', "line 1"]);
    assertThrows(() => formatLst([{ index: 0, labels: [1.5], path: "a" }], { style: "workshop" }), RangeError, [
      "label is out of range: 1.5",
    ]);
    assertThrows(() => formatLst([{ index: 0, labels: [1], path: "a\tb" }]), RangeError, ["tab"]);
  });

  it("survives 3000 seeded mutations of a list with entries or a FormatError", () => {
    const text = formatLst(
      Array.from({ length: 6 }, (_, i) => ({ index: i, labels: [i % 3], path: `c${i % 3}/${i}.jpg` })),
    );
    const rand = mulberry32(5);
    const alphabet = "0123456789\t\n .-+eE/abc";
    let rejected = 0;
    for (let k = 0; k < 3000; k++) {
      const chars = [...text];
      for (let m = 0; m < 1 + Math.floor(rand() * 4); m++) {
        const at = Math.floor(rand() * chars.length);
        const c = alphabet[Math.floor(rand() * alphabet.length)];
        if (rand() < 0.5) chars[at] = c;
        else chars.splice(at, rand() < 0.5 ? 1 : 0, ...(rand() < 0.5 ? [c] : []));
      }
      try {
        for (const e of parseLst(chars.join(""), "fuzz.lst")) {
          assert.ok(Number.isSafeInteger(e.index) && e.labels.every(Number.isFinite) && e.path !== "", "valid entry");
        }
      } catch (e) {
        assert.ok(e instanceof FormatError, `mutation ${k}: ${(e as Error).name}: ${(e as Error).message}`);
        rejected++;
      }
    }
    assert.ok(rejected > 300, `some mutations are rejected (${rejected})`);
  });
});

describe("PythonRandom", () => {
  it("shuffles exactly as Python's random.seed(n); random.shuffle(list)", () => {
    for (const [n, seed] of [
      [10, 100],
      [2200, 100],
      [275, 100],
      [1000, 0],
      [50, 2 ** 40 + 5],
      [2, 100],
      [1, 100],
    ]) {
      const ours = new PythonRandom(seed).shuffle(Array.from({ length: n }, (_, i) => i));
      assert.deepEqual(ours, readFormats(["shuffle", String(n), String(seed)]), `n ${n}, seed ${seed}`);
    }
  });
});

describe("im2recList", () => {
  it("lists, labels and shuffles as im2rec.py --list --recursive (Python's os.walk and random)", () => {
    const root = tempDir("im2rec");
    try {
      for (const rel of [
        "zebra/b.jpg",
        "zebra/a.JPG",
        "bear/c.png",
        "bear/notes.txt",
        "bear/inner/d.jpeg",
        "bear-cub/e.jpg",
        "cat/f.gif",
        "root.jpg",
        ...Array.from({ length: 30 }, (_, i) => `dog/${String(i).padStart(3, "0")}.jpg`),
      ]) {
        touch(root, rel);
      }
      const ours = im2recList(root);
      const py = readFormats(["im2rec-list", root]);
      assert.equal(formatLst(ours.entries), py.lst, "the .lst text");
      assert.deepEqual(
        ours.folders.map((f) => [f.folder, f.label]),
        py.folders,
        "label per folder (root first: it holds root.jpg; cat has no image)",
      );
      assert.deepEqual(
        im2recList(root, { shuffle: false })
          .entries.slice(0, 3)
          .map((e) => e.path),
        ["root.jpg", "bear/c.png", "bear/inner/d.jpeg"],
        "walk order without the shuffle",
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("workshopLst", () => {
  it("numbers all splits in one run (train, test, val) with sorted class labels", () => {
    const root = path.join(tempDir("wslst"), "data_structured");
    try {
      for (const rel of [
        "train/bird/1.jpg",
        "train/bear/2.jpg",
        "train/bear/3.jpg",
        "val/bird/4.jpg",
        "test/zebra/5.jpg",
        "test/bird/6.jpg",
        "test/bird/7.png",
      ]) {
        touch(root, rel);
      }
      const lists = workshopLst(root);
      assert.deepEqual([...lists.keys()], ["train", "test", "val"], "split order");
      const text = [...lists].map(([s, l]) => `${s}:` + formatLst(l, { style: "workshop" })).join("");
      assert.equal(
        text,
        "train:0000000000\t0\tdata_structured/train/bear/2.jpg\n" +
          "0000000001\t0\tdata_structured/train/bear/3.jpg\n" +
          "0000000002\t1\tdata_structured/train/bird/1.jpg\n" +
          "test:0000000003\t1\tdata_structured/test/bird/6.jpg\n" +
          "0000000004\t2\tdata_structured/test/zebra/5.jpg\n" +
          "val:0000000005\t1\tdata_structured/val/bird/4.jpg\n",
      );
    } finally {
      fs.rmSync(path.dirname(root), { recursive: true, force: true });
    }
  });
});

import assert from "node:assert/strict";
import { countSplits, imageSizesFigure, splitCountsFigure } from "../../src/image/dataset-charts";
import type { ManifestEntry } from "../../src/image/manifest";

const items = [
  { id: 1, className: "zebra" },
  { id: 2, className: "bear" },
  { id: 3, className: "bear" },
  { id: 4, className: "frog" },
];

describe("countSplits", () => {
  it("counts images per class and split, classes in label order", () => {
    const counts = countSplits(items, { train: [1, 2], val: [4], test: [3] });
    assert.deepEqual([...counts.keys()], ["bear", "frog", "zebra"]);
    assert.deepEqual(counts.get("bear"), { train: 1, val: 0, test: 1 });
    assert.deepEqual(counts.get("frog"), { train: 0, val: 1, test: 0 });
  });
  it("refuses an id that is not among the items", () => {
    assert.throws(() => countSplits(items, { train: [9], val: [], test: [] }), /not among the items: 9 \(train\)/);
  });
});

describe("splitCountsFigure", () => {
  it("draws one bar trace per split over the classes", () => {
    const fig = splitCountsFigure(countSplits(items, { train: [1, 2], val: [4], test: [3] }), { title: "t" });
    assert.deepEqual(
      fig.data.map((t) => [t.name, t.x, t.y]),
      [
        ["train", ["bear", "frog", "zebra"], [1, 0, 1]],
        ["val", ["bear", "frog", "zebra"], [0, 1, 0]],
        ["test", ["bear", "frog", "zebra"], [1, 0, 0]],
      ],
    );
    assert.equal((fig.layout?.title as { text: string }).text, "t");
  });
});

describe("imageSizesFigure", () => {
  it("draws each size once per source, with its count", () => {
    const e = (source: string, width: number, height: number) => ({ source, width, height }) as ManifestEntry;
    const fig = imageSizesFigure([e("coco", 640, 480), e("coco", 640, 480), e("coco", 480, 640), e("cifar", 32, 32)]);
    assert.deepEqual(
      fig.data.map((t) => [t.name, t.x, t.y, t.text]),
      [
        ["coco", [640, 480], [480, 640], ["640×480: 2 images", "480×640: 1 image"]],
        ["cifar", [32], [32], ["32×32: 1 image"]],
      ],
    );
  });
});

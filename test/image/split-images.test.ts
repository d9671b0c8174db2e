import assert from "node:assert/strict";
import { splitImageIds } from "../../src/image/split-images";
import { mulberry32 } from "../../src/util/prng";
import { pythonJson } from "./image-helpers";

const CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "frog", "giraffe", "horse", "sheep", "zebra"];

/** 2,750 distinct COCO-like ids (250 per class), in a scrambled order. */
function workshopLikeItems(): { id: number; className: string }[] {
  const rand = mulberry32(11);
  const ids = new Set<number>();
  while (ids.size < 2750) ids.add(1 + Math.floor(rand() * 581929));
  return [...ids].map((id, i) => ({ id, className: CLASSES[i % 11] }));
}

describe("splitImageIds", () => {
  it("stratify: false reproduces the workshop's np.random.shuffle + np.split (2,200 / 275 / 275)", () => {
    const items = workshopLikeItems();
    const np = pythonJson(
      `
import json, sys, numpy as np
keys = json.loads(sys.argv[1])
np.random.seed(0)
image_ids = sorted(keys)
image_ids = np.array(image_ids)
np.random.shuffle(image_ids)
n = len(image_ids)
train, val, test = np.split(image_ids, [int(.8 * n), int(.9 * n)])
print(json.dumps({"train": train.tolist(), "val": val.tolist(), "test": test.tolist()}))
`,
      [JSON.stringify(items.map((it) => it.id))],
    );
    const got = splitImageIds(items, { stratify: false, seed: 0 });
    assert.deepEqual([got.train.length, got.val.length, got.test.length], [2200, 275, 275], "sizes");
    assert.deepEqual(got.train, np.train, "train ids in numpy's order");
    assert.deepEqual(got.val, np.val, "val ids");
    assert.deepEqual(got.test, np.test, "test ids");
  });

  it("stratifies by default: 200 / 25 / 25 of each class of 250, disjoint, covering every id", () => {
    const items = workshopLikeItems();
    const split = splitImageIds(items);
    const classOf = new Map(items.map((it) => [it.id, it.className]));
    for (const name of CLASSES) {
      const count = (ids: number[]) => ids.filter((id) => classOf.get(id) === name).length;
      assert.deepEqual([count(split.train), count(split.val), count(split.test)], [200, 25, 25], name);
    }
    const all = [...split.train, ...split.val, ...split.test];
    assert.equal(new Set(all).size, 2750, "disjoint");
    assert.deepEqual([...all].sort(), items.map((it) => it.id).sort(), "every id once");
    assert.deepEqual(splitImageIds(items), split, "deterministic for the seed");
    assert.notDeepEqual(splitImageIds(items, { seed: 1 }).test, split.test, "another seed, another split");
  });

  it("rounds per class for uneven classes and honours other fractions", () => {
    const items = [
      ...Array.from({ length: 13 }, (_, i) => ({ id: 100 + i, className: "a" })),
      ...Array.from({ length: 7 }, (_, i) => ({ id: 200 + i, className: "b" })),
    ];
    const s = splitImageIds(items);
    const inA = (ids: number[]) => ids.filter((id) => id < 200).length;
    assert.deepEqual([inA(s.train), inA(s.val), inA(s.test)], [10, 2, 1], "a: round(10.4), round(11.7) - 10, rest");
    assert.deepEqual(
      [s.train.length - 10, s.val.length - 2, s.test.length - 1],
      [6, 0, 1],
      "b: round(5.6), round(6.3) - 6, rest",
    );
    const half = splitImageIds(items, { fractions: [0.5, 0.5], stratify: false });
    assert.deepEqual([half.train.length, half.val.length, half.test.length], [10, 10, 0], "50/50/0");
  });

  it("rejects repeated ids and bad fractions", () => {
    assert.throws(
      () =>
        splitImageIds([
          { id: 1, className: "a" },
          { id: 1, className: "b" },
        ]),
      /image id is repeated: 1/,
    );
    assert.throws(
      () => splitImageIds([{ id: 1, className: "a" }], { fractions: [0.8, 0.3] }),
      /split fractions are out of range/,
    );
  });
});

import assert from "node:assert/strict";
import {
  area,
  decode,
  encode,
  frPyObjects,
  merge,
  rleFrString,
  rleToString,
  toBbox,
  type Mask,
  type Rle,
  type UncompressedRle,
} from "../../src/image/rle";
import { polygonCounts } from "../../src/image/polygon";
import { FormatError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { maskRequest, pycocotools, randomMasks, randomUncompressed } from "./pycocotools";

const sum = (m: Mask) => m.data.reduce((a, b) => a + b, 0);

describe("rle (against pycocotools 2.0.11)", () => {
  const masks = randomMasks(11, 60);
  const rand = mulberry32(5);
  // Pairs and triples of masks of one size for merge.
  const groups: Mask[][] = [];
  for (let g = 0; g < 20; g++) {
    const [h, w] = [1 + Math.floor(rand() * 30), 1 + Math.floor(rand() * 30)];
    groups.push(randomMasks(100 + g, 3).map((m, k) => ({ height: h, width: w, data: resize(m, h, w, k) })));
  }
  const bigCounts: UncompressedRle[] = [
    randomUncompressed(rand, 20000, 20000, 40), // counts up to ~4e8: 6-group numbers, big negative deltas
    { size: [3, 4], counts: [0, 12] }, // all foreground, leading empty run
    { size: [3, 4], counts: [12] }, // empty
    { size: [3, 4], counts: [2, 0, 3, 7] }, // a zero-length foreground run
  ];
  const polygons = [
    [[10, 10, 20, 10, 20, 20]],
    [[0, 0, 5, 0, 5, 5, 0, 5]],
    [
      [1.5, 1.5, 30.2, 2.1, 14.9, 22.7],
      [3, 3, 4, 3, 4, 4],
    ],
  ];
  let py: any[];
  const requests = [
    ...masks.map((m) => maskRequest("encode", m)),
    ...groups.flatMap((g) => [
      { op: "merge", rles: encode(g), intersect: 0 },
      { op: "merge", rles: encode(g), intersect: 1 },
    ]),
    { op: "frPyObjects", obj: bigCounts, h: 0, w: 0 },
    ...polygons.map((obj) => ({ op: "frPyObjects", obj, h: 25, w: 35 })),
    // boxes: pycocotools 2.0.11 takes them as a numpy array only
    { op: "frPyObjects", obj: [[10.2, 3.3, 7.5, 9.9]], h: 25, w: 35, ndarray: true },
    {
      op: "frPyObjects",
      obj: [
        [10.2, 3.3, 7.5, 9.9],
        [0, 0, 35, 25],
      ],
      h: 25,
      w: 35,
      ndarray: true,
    },
    { op: "frPyObjects", obj: [1, 1, 20, 3, 9, 17.5], h: 25, w: 35 }, // a flat list: pycocotools 2.0.11 fails
    { op: "frPyObjects", obj: bigCounts[1], h: 0, w: 0 }, // one uncompressed RLE
    { op: "toBbox", rles: frPyObjects(bigCounts, 0, 0) },
    { op: "area", rles: frPyObjects(bigCounts, 0, 0) },
  ];

  before(function () {
    this.timeout(120_000);
    py = pycocotools("", requests);
  });

  it("encodes masks to the same compressed strings", () => {
    masks.forEach((m, k) => {
      assert.deepEqual(encode(m), py[k], `mask ${k} (${m.height}x${m.width})`);
    });
    assert.deepEqual(encode(masks), py.slice(0, masks.length), "an array of masks");
  });

  it("decodes back to the same masks, and gives pycocotools' area and box", () => {
    const rles = py.slice(0, masks.length) as Rle[];
    const decoded = decode(rles);
    const areas = area(rles);
    const boxes = toBbox(rles);
    masks.forEach((m, k) => {
      assert.deepEqual(decoded[k].data, m.data, `mask ${k} round trip`);
      assert.equal(areas[k], sum(m), `area of mask ${k}`);
      assert.deepEqual(boxes[k], tightBox(m), `box of mask ${k}`);
    });
    assert.equal(area(rles[1]), masks[1].height * masks[1].width, "a full mask's area, single RLE form");
    assert.deepEqual(toBbox(rles[0]), [0, 0, 0, 0], "an empty mask's box");
  });

  it("merges (union and intersection) as pycocotools does", () => {
    const base = masks.length;
    groups.forEach((g, k) => {
      const rles = encode(g);
      const union = merge(rles);
      const inter = merge(rles, true);
      assert.deepEqual(union, py[base + 2 * k], `union ${k}`);
      assert.deepEqual(inter, py[base + 2 * k + 1], `intersection ${k}`);
      assert.equal(area(union), sum(orMasks(g)), `union ${k} pixel count`);
    });
  });

  it("compresses uncompressed RLE byte for byte, including counts near 2^29 and zero runs", () => {
    const ours = frPyObjects(bigCounts, 0, 0);
    const theirs = py[masks.length + 2 * groups.length];
    assert.deepEqual(ours, theirs, "compressed strings");
    ours.forEach((rle, k) =>
      assert.deepEqual(Array.from(rleFrString(rle.counts)), bigCounts[k].counts, `round trip ${k}`),
    );
    assert.deepEqual(frPyObjects(bigCounts[1], 0, 0), py.at(-3), "a single uncompressed RLE");
    assert.deepEqual(toBbox(ours), py.at(-2), "boxes (a zero-length foreground run is skipped)");
    assert.deepEqual(area(ours), py.at(-1), "areas");
  });

  it("rasterises polygons and boxes bit for bit (frPyObjects dispatch included)", () => {
    const base = masks.length + 2 * groups.length + 1;
    polygons.forEach((p, k) => assert.deepEqual(frPyObjects(p, 25, 35), py[base + k], `polygons ${k}`));
    assert.deepEqual(frPyObjects([[10.2, 3.3, 7.5, 9.9]], 25, 35), py[base + 3], "one box in a list");
    assert.deepEqual(frPyObjects([10.2, 3.3, 7.5, 9.9], 25, 35), py[base + 3][0], "one flat box: the same RLE");
    assert.deepEqual(
      frPyObjects(
        [
          [10.2, 3.3, 7.5, 9.9],
          [0, 0, 35, 25],
        ],
        25,
        35,
      ),
      py[base + 4],
      "boxes",
    );
    // pycocotools 2.0.11 takes a flat list's first number for a list (len() of an int); here it is one polygon.
    assert.match(py[base + 5].error, /has no len\(\)/, "pycocotools fails on a flat list");
    assert.deepEqual(frPyObjects([1, 1, 20, 3, 9, 17.5], 25, 35), frPyObjects([[1, 1, 20, 3, 9, 17.5]], 25, 35)[0]);
  });
});

describe("rleToString / rleFrString", () => {
  it("round-trip random counts, with negative differences and 1- to 6-group numbers", () => {
    const rand = mulberry32(3);
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 30);
      const counts = Array.from({ length: n }, () => Math.floor(rand() ** 4 * 2 ** (1 + Math.floor(rand() * 29))));
      const s = rleToString(counts);
      assert.match(s, /^[0-o]*$/, "only characters 0..o");
      assert.deepEqual(Array.from(rleFrString(s)), counts, `counts ${counts.join(",")}`);
    }
  });

  it("match maskApi's documented form on a small case", () => {
    // 5 -> "5"; 3 -> "3"; 2 -> "2"; then 4 - 3 = 1 -> "1"; 40 - 2 = 38 = 0b100110: groups 6 (more) then 1
    assert.equal(rleToString([5, 3, 2, 4, 40]), "5321" + String.fromCharCode(48 + 6 + 0x20) + "1");
    assert.deepEqual(Array.from(rleFrString("5321V1")), [5, 3, 2, 4, 40]);
  });

  it("reject a character outside 0..o and a string that ends inside a number", () => {
    assert.throws(() => rleFrString("12p"), FormatError);
    assert.throws(() => rleFrString("1V"), /ends inside a number/);
  });
});

describe("polygonCounts", () => {
  it("fills the 10 x 10 pixels of the square (10,10)-(20,20), as pycocotools (area 100, box [10, 10, 10, 10])", () => {
    const counts = Array.from(polygonCounts([10, 10, 20, 10, 20, 20, 10, 20], 30, 30));
    assert.equal(area({ size: [30, 30], counts }), 100, "area");
    assert.deepEqual(toBbox({ size: [30, 30], counts }), [10, 10, 10, 10], "box");
    assert.equal(decode({ size: [30, 30], counts }).data[10 * 30 + 10], 1, "pixel (10, 10) is in");
    assert.equal(decode({ size: [30, 30], counts }).data[20 * 30 + 20], 0, "pixel (20, 20) is out");
  });
});

describe("decode", () => {
  it("rejects counts that do not cover height x width", () => {
    assert.throws(() => decode({ size: [2, 2], counts: [1, 2] }), /sum to 3 \(expected 2 x 2 = 4\)/);
  });
});

describe("merge", () => {
  it("rejects RLEs of different sizes and an empty list", () => {
    assert.throws(
      () =>
        merge([
          { size: [2, 2], counts: [4] },
          { size: [2, 3], counts: [6] },
        ]),
      RangeError,
    );
    assert.throws(() => merge([]), RangeError);
  });
});

describe("frPyObjects", () => {
  it("rejects what pycocotools does not support, with the value", () => {
    assert.throws(() => frPyObjects([[1, 2]] as number[][], 5, 5), /frPyObjects input is not supported: \[\[1,2\]\]/);
  });
});

/** The tight box of a mask, as pycocotools' toBbox reports it ([0,0,0,0] when empty). */
function tightBox(m: Mask): number[] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      if (m.data[y * m.width + x])
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return x1 < 0 ? [0, 0, 0, 0] : [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

function orMasks(g: Mask[]): Mask {
  const data = new Uint8Array(g[0].data.length);
  for (const m of g) m.data.forEach((v, i) => (data[i] |= v));
  return { ...g[0], data };
}

/** A mask of size h x w from another (tiled), so a group shares one size. */
function resize(m: Mask, h: number, w: number, shift: number): Uint8Array {
  const data = new Uint8Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      data[y * w + x] = m.data[((y + shift) % m.height) * m.width + ((x + 2 * shift) % m.width)];
  return data;
}

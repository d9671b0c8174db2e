import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Coco, loadCoco, type CocoAnnotation } from "../../src/image/coco";
import { area, toBbox, type Rle } from "../../src/image/rle";
import { parseJsonBytes } from "../../src/image/json-stream";
import { FormatError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { projectPath } from "../../src/util/paths";
import { itWithShared } from "../helpers/data";
import { generatedDataset, ONE_IMAGE, pycocotools, SMALL, tempDir } from "./pycocotools";

const CROWD_ID = 900100448263;
const JSON_CHARS = '{}[],:"0123456789-.eE tfn\\';

/** The queries compared with pycocotools on every dataset. */
function queries(coco: Coco): { op: string; kw?: Record<string, unknown> }[] {
  const catIds = coco.getCatIds();
  const imgIds = coco.getImgIds();
  const areas = [...coco.anns.values()].map((a) => a.area).sort((a, b) => a - b);
  const mid = areas[Math.floor(areas.length / 2)];
  const cats = coco.loadCats(catIds);
  const withAnns = [...coco.imgToAnns.keys()];
  return [
    { op: "getCatIds" },
    { op: "getCatIds", kw: { catNms: cats.slice(0, 3).map((c) => c.name) } },
    { op: "getCatIds", kw: { catNms: cats[0].name } },
    { op: "getCatIds", kw: { supNms: ["animal", "kitchen"] } },
    { op: "getCatIds", kw: { supNms: "food", catIds: catIds.slice(0, 60) } },
    { op: "getCatIds", kw: { catNms: ["no such name"] } },
    { op: "getImgIds" },
    ...catIds.map((c) => ({ op: "getImgIds", kw: { catIds: c } })),
    ...catIds
      .slice(0, 12)
      .map((c, k) => ({ op: "getImgIds", kw: { catIds: [c, catIds[(k * 7 + 3) % catIds.length]] } })),
    { op: "getImgIds", kw: { catIds: [...new Set([...coco.anns.values()].map((a) => a.category_id))].slice(0, 2) } },
    { op: "getImgIds", kw: { imgIds: imgIds.slice(0, 2), catIds: catIds.slice(0, 1) } },
    { op: "getImgIds", kw: { imgIds: [imgIds[0], 424242] } },
    { op: "getAnnIds" },
    { op: "getAnnIds", kw: { imgIds: withAnns } },
    { op: "getAnnIds", kw: { imgIds: [withAnns.at(-1), withAnns[0], withAnns[0], 424242] } },
    { op: "getAnnIds", kw: { imgIds: withAnns[0] } },
    { op: "getAnnIds", kw: { catIds: catIds.slice(0, 50) } },
    { op: "getAnnIds", kw: { areaRng: [0, mid] } },
    { op: "getAnnIds", kw: { areaRng: [mid, 1e10] } }, // strict: the annotation of area `mid` is in neither
    { op: "getAnnIds", kw: { iscrowd: true } },
    { op: "getAnnIds", kw: { iscrowd: false } },
    { op: "getAnnIds", kw: { iscrowd: 0, imgIds: withAnns.slice(0, 2), catIds: catIds, areaRng: [10, 1e5] } },
    { op: "index" },
    { op: "anns" },
  ];
}

/** Our answer to a query, in the form the reference script prints. */
function answer(coco: Coco, q: { op: string; kw?: Record<string, any> }): unknown {
  const kw = q.kw ?? {};
  if (q.op === "getCatIds") return coco.getCatIds(kw);
  if (q.op === "getImgIds") return coco.getImgIds(kw).sort((a, b) => a - b);
  if (q.op === "getAnnIds") return coco.getAnnIds(kw);
  if (q.op === "index") {
    return {
      imgToAnns: Object.fromEntries([...coco.imgToAnns].map(([k, v]) => [String(k), v.map((a) => a.id)])),
      catToImgs: Object.fromEntries([...coco.catToImgs].map(([k, v]) => [String(k), v])),
    };
  }
  return coco.dataset.annotations!.map((ann) => facts(coco, ann));
}

function facts(coco: Coco, ann: CocoAnnotation) {
  const rle = coco.annToRLE(ann);
  return {
    id: ann.id,
    size: rle.size,
    counts: rle.counts,
    area: area(rle),
    bbox: toBbox(rle),
    maskSum: coco.annToMask(ann).data.reduce((a, b) => a + b, 0),
    storedArea: ann.area,
    storedBbox: ann.bbox,
  };
}

/** Compare every query on `file` with pycocotools, one assertion per query. */
function compareWithPycocotools(file: string) {
  const coco = loadCoco(file);
  const qs = queries(coco);
  const py = pycocotools(file, qs);
  qs.forEach((q, k) => {
    if (q.op === "anns") {
      const ours = answer(coco, q) as ReturnType<typeof facts>[];
      assert.equal(ours.length, py[k].length, "annotation count");
      ours.forEach((f, i) =>
        assert.deepEqual(f, py[k][i], `annotation id ${f.id}: RLE string, area, box, mask pixels`),
      );
    } else {
      assert.deepEqual(answer(coco, q), py[k], `${q.op}(${JSON.stringify(q.kw ?? {})})`);
    }
  });
  return { coco, py };
}

describe("Coco (against pycocotools 2.0.11)", function () {
  this.timeout(120_000);

  for (const file of [SMALL, ONE_IMAGE]) {
    it(`answers every query as pycocotools on the real ${path.basename(file)}`, () => {
      compareWithPycocotools(file);
    });
  }

  it("answers every query as pycocotools on generated annotations (rasteriser edge cases, crowds)", () => {
    const dir = tempDir();
    const file = path.join(dir, "generated.json");
    fs.writeFileSync(file, JSON.stringify(generatedDataset()));
    const { coco, py } = compareWithPycocotools(file);
    const anns = py.at(-1) as { maskSum: number }[];
    assert.equal(anns.length, 90, "90 annotations compared");
    assert.ok(
      anns.filter((a) => a.maskSum > 0).length > 60,
      "most generated annotations have pixels (the comparison is not all-empty masks)",
    );
    assert.deepEqual(coco.getAnnIds({ imgIds: 999 }), [], "an image without annotations");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("compares detection results (boxes, and compressed RLE with and without bbox) loaded by loadRes", () => {
    const gt = loadCoco(SMALL);
    const anns = gt.loadAnns(gt.getAnnIds());
    const boxes = anns
      .slice(0, 8)
      .map((a, k) => ({ image_id: a.image_id, category_id: a.category_id, bbox: a.bbox, score: k / 10 }));
    const segms = anns.slice(0, 8).map((a, k) => ({
      image_id: a.image_id,
      category_id: a.category_id,
      segmentation: gt.annToRLE(a),
      score: 0.5,
      ...(k % 2 ? { bbox: [1, 2, 3, 4] } : {}),
    }));
    const dir = tempDir();
    for (const [name, results] of Object.entries({ boxes, segms })) {
      const file = path.join(dir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(results));
      const [py] = pycocotools(SMALL, [{ op: "loadRes", results: file }]);
      const res = gt.loadRes(file);
      const fields = ["id", "image_id", "category_id", "area", "bbox", "iscrowd", "segmentation"] as const;
      const ours = res.dataset.annotations!.map((a) => Object.fromEntries(fields.map((f) => [f, a[f]])));
      assert.deepEqual(ours, py.anns, `${name}: ids, areas, boxes, segmentations as pycocotools fills them`);
      assert.deepEqual(
        res.getImgIds().sort((a, b) => a - b),
        py.imgIds,
        `${name}: images shared with the ground truth`,
      );
      assert.deepEqual(res.getCatIds(), py.catIds, `${name}: categories copied`);
      assert.deepEqual(res.getAnnIds({ imgIds: ours[0].image_id as number }), py.annIdsOfFirstImage, `${name}: index`);
      assert.deepEqual(
        res.dataset.annotations!.map((a) => facts(res, a)),
        py.masks,
        `${name}: masks`,
      );
    }
    assert.equal("id" in boxes[0], false, "the caller's records are not changed");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("Coco on the real val2017 subsets", () => {
  it("keeps the crowd annotation's stored area and bbox, which differ from its mask's", () => {
    const coco = loadCoco(SMALL);
    const [crowd] = coco.loadAnns(CROWD_ID);
    assert.equal(crowd.iscrowd, 1);
    assert.equal(crowd.area, 18419, "stored area");
    assert.deepEqual(crowd.bbox, [1, 0, 276, 122], "stored bbox");
    const rle = coco.annToRLE(crowd);
    assert.equal(area(rle), 12852, "mask pixels");
    assert.deepEqual(toBbox(rle), [1, 0, 277, 123], "mask box");
    assert.equal(rle.counts.length, 1298, "compressed string of its 869 counts");
    const mask = coco.annToMask(crowd);
    assert.deepEqual([mask.height, mask.width], [240, 320]);
  });

  it("indexes the small subset: 3 images, 34 annotations, 80 categories", () => {
    const coco = loadCoco(SMALL);
    assert.deepEqual([coco.imgs.size, coco.anns.size, coco.cats.size], [3, 34, 80]);
    assert.deepEqual(coco.getImgIds(), [397133, 37777, 448263], "file order without filters");
    assert.deepEqual(coco.getCatIds({ supNms: "animal" }), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    const orange = coco.getCatIds({ catNms: "orange" });
    assert.equal(coco.getAnnIds({ catIds: orange }).length, 5, "5 oranges");
    assert.deepEqual(coco.loadImgs(448263)[0].file_name, "000000448263.jpg");
    assert.equal(coco.loadCats(18)[0].name, "dog");
    assert.deepEqual(coco.getImgIds({ catIds: [1, 51] }), [397133], "person AND bowl");
  });

  for (const name of ["instances_val2017_small.json", "instances_val2017_1img-sample.json"]) {
    itWithShared(`coco/${name}`, `test/fixtures/coco/${name} is byte for byte the shared copy`, (shared) => {
      assert.deepEqual(fs.readFileSync(projectPath("test", "fixtures", "coco", name)), fs.readFileSync(shared));
    });
  }
});

describe("Coco queries", () => {
  const coco = new Coco(generatedDataset(), { source: "generated" });

  it("take scalars or arrays, and an empty filter is no filter", () => {
    assert.deepEqual(coco.getAnnIds({ imgIds: 100 }), coco.getAnnIds({ imgIds: [100] }));
    assert.deepEqual(coco.getAnnIds({ imgIds: [], catIds: [], areaRng: [] }), coco.getAnnIds());
    assert.deepEqual(coco.getCatIds({ catNms: [] }), [1, 16, 18, 90]);
    assert.deepEqual(coco.getImgIds({ imgIds: [], catIds: [] }).length, 7);
    assert.deepEqual(coco.loadAnns(), []);
  });

  it("loadRes of no results gives a Coco with the images and categories and no annotations", () => {
    const res = coco.loadRes([]);
    assert.deepEqual([res.imgs.size, res.cats.size, res.anns.size], [7, 4, 0]);
  });

  it("throw a RangeError naming an unknown id", () => {
    assert.throws(() => coco.loadImgs(5), /image id is not in the dataset: 5 \(expected one of its 7 image ids\)/);
  });
});

describe("Coco bad input", () => {
  const base = () => JSON.parse(fs.readFileSync(SMALL, "utf8"));
  const cases: [string, (d: any) => void, RegExp][] = [
    ["a missing image_id", (d) => delete d.annotations[3].image_id, /annotations\[3\] \(id \d+\), field "image_id"/],
    [
      "a dangling image id",
      (d) => (d.annotations[5].image_id = 999),
      /image_id is not an image: 999 .*annotations\[5\] \(id \d+\), field "image_id"/,
    ],
    [
      "an unknown category id",
      (d) => (d.annotations[7].category_id = 12),
      /category_id is not a category: 12 .*annotations\[7\].*field "category_id"/,
    ],
    [
      "a bbox of 3 numbers",
      (d) => (d.annotations[0].bbox = [1, 2, 3]),
      /bbox is not 4 numbers: \[1,2,3\].*annotations\[0\] \(id 82445\), field "bbox"/,
    ],
    ["iscrowd 2", (d) => (d.annotations[1].iscrowd = 2), /iscrowd is not 0 or 1: 2 .*annotations\[1\]/],
    [
      "a string in a polygon",
      (d) => (d.annotations[2].segmentation[0][4] = "x"),
      /polygon is not a list of numbers.*annotations\[2\].*field "segmentation"/,
    ],
    [
      "an image without width",
      (d) => delete d.images[1].width,
      /image width is not a positive integer: missing .*images\[1\] \(id 37777\), field "width"/,
    ],
    [
      "a repeated annotation id",
      (d) => (d.annotations[4].id = d.annotations[0].id),
      /annotation id is repeated: 82445 .*annotations\[4\]/,
    ],
    [
      "a category without name",
      (d) => delete d.categories[2].name,
      /category name is not a name: missing .*categories\[2\] \(id 3\), field "name"/,
    ],
    ["annotations that are not an array", (d) => (d.annotations = {}), /"annotations" is not an array/],
  ];
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [what, mutate, message] of cases) {
    it(`names the file, record and field for ${what} (file and in-memory)`, () => {
      const d = base();
      mutate(d);
      const file = path.join(dir, "bad.json");
      fs.writeFileSync(file, JSON.stringify(d));
      assert.throws(
        () => loadCoco(file),
        (e: Error) => e instanceof FormatError && message.test(e.message) && e.message.includes(file),
      );
      assert.throws(
        () => new Coco(d, { source: "mem.json" }),
        (e: Error) => e instanceof FormatError && message.test(e.message),
      );
    });
  }

  it("loads, or raises a FormatError for, each of 600 seeded mutations of the real small subset", () => {
    const source = fs.readFileSync(SMALL);
    const rand = mulberry32(1);
    const outcomes = { loaded: 0, formatError: 0 };
    for (let t = 0; t < 600; t++) {
      let b = Buffer.from(source);
      const at = Math.floor(rand() * b.length);
      if (t % 4 === 0) b[at] = Math.floor(rand() * 256);
      else if (t % 4 === 1) b = b.subarray(0, at);
      else if (t % 4 === 2) b = Buffer.concat([b.subarray(0, at), b.subarray(at + Math.floor(rand() * 50))]);
      else b[at] = JSON_CHARS.charCodeAt(Math.floor(rand() * JSON_CHARS.length));
      try {
        const coco = new Coco(parseJsonBytes(b, { chunkSize: 4096 }));
        for (const ann of coco.anns.values()) coco.annToMask(ann);
        outcomes.loaded++;
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`mutation ${t} at byte ${at}`, { cause: e });
        outcomes.formatError++;
      }
    }
    assert.ok(outcomes.loaded > 20 && outcomes.formatError > 400, `both outcomes occur: ${JSON.stringify(outcomes)}`);
  });

  it("names the file and byte of a truncated file", () => {
    const file = path.join(dir, "truncated.json");
    fs.writeFileSync(file, fs.readFileSync(SMALL).subarray(0, 20000));
    assert.throws(
      () => loadCoco(file),
      /JSON is malformed: the file ends early .*truncated\.json, byte 20000, in annotations\[\d+\]/,
    );
  });

  it("rejects results for images the ground truth does not have, and malformed RLE results", () => {
    const gt = loadCoco(SMALL);
    assert.throws(
      () => gt.loadRes([{ image_id: 1, category_id: 1, bbox: [1, 1, 2, 2] }]),
      /image_id is not an image of the ground truth: 1 .*results\[0\]/,
    );
    assert.throws(
      () => gt.loadRes([{ image_id: 448263, category_id: 1, segmentation: { size: [240, 320], counts: [1, 2] } }]),
      /segmentation is not compressed RLE: .*results\[0\], field "segmentation"/,
    );
    const rle: Rle = { size: [240, 320], counts: "0~" };
    assert.throws(() => gt.loadRes([{ image_id: 448263, category_id: 1, segmentation: rle }]), /RLE is malformed/);
  });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Coco, loadCoco } from "../../src/image/coco";
import { COCO_CATEGORIES } from "../../src/image/coco-categories";
import { checkCocoJson, readCocoJson, type CocoJson } from "../../src/image/coco-records";
import { syntheticCocoJson } from "../../src/image/synthetic-coco";
import { FormatError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { SMALL } from "./pycocotools";
import { assertThrows, tempDir } from "./image-helpers";

/** A small valid file: two images, three annotations, the real categories. */
function fixture(): any {
  return {
    images: [
      { id: 10, file_name: "000000000010.jpg", width: 640, height: 480, coco_url: "http://x/10.jpg" },
      { id: 11, file_name: "000000000011.jpg", width: 427, height: 640 },
    ],
    annotations: [
      {
        id: 1,
        image_id: 10,
        category_id: 18,
        area: 1200.5,
        bbox: [1, 2, 30, 40],
        iscrowd: 0,
        segmentation: [[1, 2, 31, 2, 31, 42]],
      },
      { id: 2, image_id: 10, category_id: 17, area: 300, bbox: [100, 2, 10, 30], iscrowd: 0 },
      { id: 3, image_id: 11, category_id: 1, area: 50, bbox: [5, 5, 5, 10], iscrowd: 1 },
    ],
    categories: COCO_CATEGORIES.map((c) => ({ ...c })),
  };
}

describe("COCO_CATEGORIES", () => {
  it("lists the 80 official categories, ids 1-90 with the 10 gaps, animals 16-25", () => {
    assert.equal(COCO_CATEGORIES.length, 80, "80 categories");
    const ids = COCO_CATEGORIES.map((c) => c.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      "id order",
    );
    const missing = Array.from({ length: 90 }, (_, i) => i + 1).filter((id) => !ids.includes(id));
    assert.deepEqual(missing, [12, 26, 29, 30, 45, 66, 68, 69, 71, 83], "unused ids");
    const animals = COCO_CATEGORIES.filter((c) => c.supercategory === "animal");
    assert.deepEqual(
      Object.fromEntries(animals.map((c) => [c.id, c.name])),
      {
        16: "bird",
        17: "cat",
        18: "dog",
        19: "horse",
        20: "sheep",
        21: "cow",
        22: "elephant",
        23: "bear",
        24: "zebra",
        25: "giraffe",
      },
      "the workshop's animal dict (B.1 step 4)",
    );
    assert.equal(new Set(COCO_CATEGORIES.map((c) => c.supercategory)).size, 12, "12 supercategories");
  });

  describe("against the real val2017 subset (test/fixtures/coco, CC BY 4.0)", () => {
    const file = SMALL;
    it("equals the categories of instances_val2017_small.json, field by field", () => {
      const real = JSON.parse(fs.readFileSync(file, "utf8")).categories;
      assert.deepEqual(
        COCO_CATEGORIES.map((c) => ({ ...c })),
        real.map((c: any) => ({ id: c.id, name: c.name, supercategory: c.supercategory })),
      );
    });
    it("accepts the real file in checkCocoJson", () => {
      const data = readCocoJson(file);
      assert.equal(data.images.length, 3, "3 images");
      assert.equal(data.annotations.length, 34, "34 annotations");
    });
  });
});

describe("checkCocoJson", () => {
  const F = "instances_bad.json";
  const bad = (mutate: (d: any) => void): (() => CocoJson) => {
    const d = fixture();
    mutate(d);
    return () => checkCocoJson(d, F);
  };

  it("returns a valid file as is", () => {
    const d = fixture();
    assert.equal(checkCocoJson(d, F), d, "the same object");
  });

  it("names the missing list", () => {
    assertThrows(
      bad((d) => delete d.annotations),
      FormatError,
      ['COCO "annotations" is not an array: missing', F],
    );
    assertThrows(() => checkCocoJson([], F), FormatError, ["COCO file is not an object: []", F]);
    assertThrows(
      bad((d) => (d.images[1] = 7)),
      FormatError,
      ["image is not an object: 7", `${F}, images[1]`],
    );
  });

  it("names the record and the field of a missing or mistyped field", () => {
    assertThrows(
      bad((d) => delete d.images[1].file_name),
      FormatError,
      ["image file_name is not a file name: missing", `${F}, images[1] (id 11), field "file_name"`],
    );
    assertThrows(
      bad((d) => (d.images[0].width = "640")),
      FormatError,
      ['image width is not a positive integer: "640"', 'images[0] (id 10), field "width"'],
    );
    assertThrows(
      bad((d) => delete d.annotations[2].area),
      FormatError,
      ["annotation area is not a non-negative number: missing", 'annotations[2] (id 3), field "area"'],
    );
    assertThrows(
      bad((d) => (d.annotations[0].bbox = [1, 2, 3])),
      FormatError,
      ["annotation bbox is not 4 numbers: [1,2,3]", "[x, y, width, height]", 'field "bbox"'],
    );
    assertThrows(
      bad((d) => (d.annotations[1].iscrowd = 2)),
      FormatError,
      ["annotation iscrowd is not 0 or 1: 2", 'annotations[1] (id 2), field "iscrowd"'],
    );
    assertThrows(
      bad((d) => delete d.categories[5].supercategory),
      FormatError,
      ["category supercategory is not a string: missing", 'categories[5] (id 6), field "supercategory"'],
    );
  });

  it("rejects a dangling image id and an unknown category id", () => {
    assertThrows(
      bad((d) => (d.annotations[1].image_id = 99)),
      FormatError,
      [
        "annotation image_id is not an image: 99",
        "the id of one of the 2 images",
        `${F}, annotations[1] (id 2), field "image_id"`,
      ],
    );
    assertThrows(
      bad((d) => (d.annotations[0].category_id = 26)),
      FormatError,
      [
        "annotation category_id is not a category: 26",
        "one of the 80 category ids",
        'annotations[0] (id 1), field "category_id"',
      ],
    );
  });

  it("rejects repeated ids", () => {
    assertThrows(
      bad((d) => (d.images[1].id = 10)),
      FormatError,
      ["image id is repeated: 10", `${F}, images[1] (id 10), field "id"`],
    );
    assertThrows(
      bad((d) => (d.annotations[2].id = 1)),
      FormatError,
      ["annotation id is repeated: 1", "annotations[2] (id 1)"],
    );
  });
});

describe("one validator for checkCocoJson and the COCO API's index", () => {
  const F = "instances_bad.json";
  const cases: [string, (d: any) => void, string][] = [
    [
      "a negative image id",
      (d) => (d.images[0].id = -1),
      "image id is not an id: -1 (expected a non-negative integer)",
    ],
    ["a fractional width", (d) => (d.images[1].width = 427.5), "image width is not a positive integer: 427.5"],
    ["an empty file_name", (d) => (d.images[0].file_name = ""), 'image file_name is not a file name: ""'],
    ["a negative area", (d) => (d.annotations[1].area = -3), "annotation area is not a non-negative number: -3"],
    [
      "a string in a polygon",
      (d) => (d.annotations[0].segmentation[0][2] = "x"),
      "annotation polygon is not a list of numbers",
    ],
    ["an id beyond 2**53", (d) => (d.annotations[2].id = 2 ** 53), "annotation id is not an id: 9007199254740992"],
    ["a category without name", (d) => delete d.categories[0].name, "category name is not a name: missing"],
  ];
  for (const [what, mutate, message] of cases) {
    it(`rejects ${what} with the same message in checkCocoJson, new Coco and loadCoco`, () => {
      const d = fixture();
      mutate(d);
      const dir = tempDir("coco-records");
      const file = path.join(dir, F);
      fs.writeFileSync(file, JSON.stringify(d));
      const messages: string[] = [];
      const keep = (fn: () => unknown) =>
        assert.throws(fn, (e: Error) => {
          assert.ok(e instanceof FormatError, `${e.name}: ${e.message}`);
          messages.push(e.message.split(file).join("<file>").split(F).join("<file>"));
          return true;
        });
      keep(() => checkCocoJson(d, F));
      keep(() => new Coco(d, { source: F }));
      keep(() => loadCoco(file));
      keep(() => readCocoJson(file));
      fs.rmSync(dir, { recursive: true });
      assert.ok(messages[0].includes(message), `${messages[0]} names ${message}`);
      assert.ok(messages[0].includes("<file>, "), `${messages[0]} names the file`);
      assert.deepEqual(messages.slice(1), [messages[0], messages[0], messages[0]], "the same message");
    });
  }

  it("lets the COCO API index a file without annotations (a test set), which checkCocoJson refuses", () => {
    const d = fixture();
    delete d.annotations;
    assert.equal(new Coco(d, { source: F }).imgs.size, 2, "indexed");
    assertThrows(() => checkCocoJson(d, F), FormatError, ['COCO "annotations" is not an array: missing', F]);
  });

  it("accepts a dataset the COCO API loaded, as the same object", () => {
    const coco = loadCoco(SMALL);
    assert.equal(checkCocoJson(coco.dataset, SMALL), coco.dataset);
    assert.deepEqual(readCocoJson(SMALL), JSON.parse(fs.readFileSync(SMALL, "utf8")), "readCocoJson reads it as is");
  });
});

describe("readCocoJson", () => {
  it("names the file when it is missing or not JSON", () => {
    const dir = tempDir("coco-records");
    const missing = path.join(dir, "nope.json");
    assertThrows(() => readCocoJson(missing), FormatError, ["cannot be read (ENOENT)", missing]);
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, '{"images": [');
    assertThrows(() => readCocoJson(broken), FormatError, ["JSON is malformed", broken, "byte 12"]);
    const good = path.join(dir, "good.json");
    fs.writeFileSync(good, JSON.stringify(fixture()));
    assert.equal(readCocoJson(good).annotations.length, 3, "reads a valid file");
    fs.rmSync(dir, { recursive: true });
  });
});

describe("checkCocoJson fuzz", () => {
  it("either accepts a mutated file or raises a FormatError, for 2,000 seeded mutations", () => {
    const rand = mulberry32(2026);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
    const values: unknown[] = [null, -1, 1.5, "", "x", [], {}, [1, 2, 3, 4], NaN, 1e300, true, 0, 10, 18];
    let accepted = 0;
    let rejected = 0;
    for (let round = 0; round < 2000; round++) {
      const d = syntheticCocoJson({ perClass: 1, seed: round % 7 }).train as any;
      for (let m = 0; m < 1 + Math.floor(rand() * 3); m++) {
        const list = pick(["images", "annotations", "categories"]);
        const kind = rand();
        if (kind < 0.05) d[list] = pick(values);
        else if (!Array.isArray(d[list]) || d[list].length === 0) continue;
        else if (kind < 0.15) d[list].splice(Math.floor(rand() * d[list].length), 1);
        else if (kind < 0.2) d[list][Math.floor(rand() * d[list].length)] = pick(values);
        else {
          const rec = d[list][Math.floor(rand() * d[list].length)];
          if (rec === null || typeof rec !== "object") continue;
          const key = pick(Object.keys(rec));
          if (rand() < 0.3) delete rec[key];
          else rec[key] = pick(values);
        }
      }
      try {
        checkCocoJson(d, "fuzz.json");
        accepted++;
      } catch (e) {
        assert.ok(e instanceof FormatError, `round ${round}: ${(e as Error).name}: ${(e as Error).message}`);
        assert.ok((e as Error).message.includes("fuzz.json"), `round ${round} names the file`);
        rejected++;
      }
    }
    assert.equal(accepted + rejected, 2000, "every round ends");
    assert.ok(rejected > 1000 && accepted > 50, `both outcomes occur: ${accepted} accepted, ${rejected} rejected`);
  });
});

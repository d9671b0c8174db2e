import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, stdoutOf, text } from "../../helpers/notebooks";
import { pythonJson } from "../../image/image-helpers";
import { projectPath } from "../../../src/util/paths";

const NOTEBOOK = projectPath("notebooks", "image", "1.1-download-data.ipynb");
const CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "frog", "giraffe", "horse", "sheep", "zebra"];

interface Results {
  source: string;
  data: string;
  classes: string[];
  counts: Record<string, number>;
  total: number;
  perClass: number;
  policy: string;
  multiLabelImages: number;
  images: { downloaded: number; fromCache: number; generated: number; failed: number; cifar: number };
  cifar: { source: string; path: string; records: number; frogs: number };
  firstSampled: number[];
  outputFolder: string;
  annotations: string;
  workshopComparison: Array<{ what: string; status: string; why: string }>;
}

interface SampleAnnos {
  items: Array<{ id: number; className: string; source: string; fileName: string; cifarIndex?: number }>;
}

/** The workshop's own selection code (B.1 steps 4-11), run by numpy on the notebook's inputs. */
const WORKSHOP_DRAW = `
import json, sys, numpy as np
coco, per, pieces = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
annos = {}
for split in ["train2017", "val2017"]:
    j = json.load(open(f"{coco}/annotations/instances_{split}.json"))
    animal = sorted(c["id"] for c in j["categories"] if c["supercategory"] == "animal")
    for a in j["annotations"]:
        if a["category_id"] in animal:
            annos[a["image_id"]] = {"category_id": a["category_id"]}
np.random.seed(0)
ids = []
for cid in animal:
    subset = [k for k, v in annos.items() if v["category_id"] == cid]
    ids += [int(x) for x in np.random.choice(subset, per, replace=False)]
labels = np.concatenate([np.fromfile(p, dtype=np.uint8).reshape(-1, 3073)[:, 0] for p in pieces])
frogs = np.random.choice(np.nonzero(labels == 6)[0], per, replace=False)
print(json.dumps({"ids": ids, "frogs": [int(x) for x in frogs]}))
`;

function run(extra: string[]) {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img11-out-"));
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img11-data-"));
  const r = runNotebooks([NOTEBOOK, "-p", `outputDir=${outputDir}`, "-p", `dataRoot=${dataRoot}`, ...extra]);
  assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
  assert.match(r.stdout, /^image\/1\.1-download-data\s+(\d+)\/\1\s+cells\s+[\d.]+ s\s+ok$/m);
  const results = JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")) as Results;
  const nb = readNotebook(path.join(r.outDir, "image", "1.1-download-data.ipynb"));
  return { results, nb, dataRoot };
}

describe("notebook image/1.1-download-data", () => {
  describe("offline (MLDP_OFFLINE=1): the generated COCO stand-in and the shipped CIFAR-10 records", () => {
    let res: ReturnType<typeof run>;
    before(() => {
      res = run([]);
    });

    it("writes results.json: 11 classes in index order, perClass images each, how they were had", () => {
      const { results } = res;
      assert.deepEqual([results.source, results.data], ["offline", "generated"]);
      assert.deepEqual(results.classes, CLASSES, "alphabetical: 0 bear ... 6 frog ... 10 zebra");
      assert.equal(results.perClass, 60);
      assert.deepEqual(results.counts, Object.fromEntries(CLASSES.map((c) => [c, 60])));
      assert.equal(results.total, 660);
      assert.deepEqual(results.images, { downloaded: 0, fromCache: 0, generated: 600, failed: 0, cifar: 60 });
      assert.equal(results.policy, "last");
      assert.ok(results.multiLabelImages > 0, `multi-label images counted: ${results.multiLabelImages}`);
      assert.deepEqual([results.cifar.source, results.cifar.records, results.cifar.frogs], ["shipped", 1307, 314]);
    });

    it("draws exactly what the workshop's numpy code draws from the same annotations and records", () => {
      const { results, dataRoot } = res;
      const sample = JSON.parse(fs.readFileSync(results.annotations, "utf8")) as SampleAnnos;
      const pieces = ["data_batch_1_first100.bin", "data_batch_1_1000_1999.bin", "data_batch_1_frogs_2000_3999.bin"];
      const expected = pythonJson(WORKSHOP_DRAW, [
        path.join(dataRoot, "coco-synthetic"),
        "60",
        JSON.stringify(pieces.map((p) => projectPath("data", "cifar10", p))),
      ]) as { ids: number[]; frogs: number[] };
      const coco = sample.items.filter((it) => it.source === "coco");
      assert.deepEqual(
        coco.map((it) => it.id),
        expected.ids,
        "COCO ids, category by category",
      );
      assert.deepEqual(results.firstSampled, expected.ids.slice(0, 3));
      const frogs = sample.items.filter((it) => it.source === "cifar");
      assert.deepEqual(
        frogs.map((it) => it.cifarIndex),
        expected.frogs,
        "the frogs continue the same stream",
      );
      assert.ok(frogs.every((f) => f.className === "frog" && f.id > Math.max(...expected.ids)));
    });

    it("leaves every image of the sample in its folder", () => {
      const { results } = res;
      const sample = JSON.parse(fs.readFileSync(results.annotations, "utf8")) as SampleAnnos;
      const files = fs.readdirSync(path.join(results.outputFolder, "images"));
      assert.equal(files.length, 660);
      assert.deepEqual(new Set(files), new Set(sample.items.map((it) => it.fileName)));
    });

    it("shows the counts, the workshop's first CIFAR row, two image grids and the comparison, with no stderr", () => {
      const cells = codeCells(res.nb);
      const outputs = cells.flatMap((c) => c.outputs ?? []);
      assert.equal(outputs.filter((o) => o.name === "stderr").length, 0);
      const printed = cells.map(stdoutOf).join("");
      assert.match(printed, /generated \(not COCO photographs\)/, "says the images are generated");
      assert.match(printed, /80 categories; ids with no category: 12, 26, 29, 30, 45, 66, 68, 69, 71, 83/);
      assert.match(
        printed,
        /16 bird, 17 cat, 18 dog, 19 horse, 20 sheep, 21 cow, 22 elephant, 23 bear, 24 zebra, 25 giraffe/,
      );
      assert.match(
        printed,
        /3 images, 34 annotations; annotation 82445 \(bottle\): area 1481\.38\d*, mask 1482 pixels/,
      );
      assert.match(printed, /\[59 43 50 \.\.\. 140 84 72\] \(3072 bytes\), label 6 \(frog\)/);
      const html = outputs
        .filter((o) => o.data && "text/html" in o.data)
        .map((o) => text(o.data!["text/html"] as string[]));
      assert.equal(html.filter((h) => h.includes("mldp-image-grid")).length, 2, "COCO classes and frogs");
      assert.ok(html.some((h) => h.includes("CIFAR-10 frogs (60 drawn)")));
      const last = cells[cells.length - 1].outputs ?? [];
      assert.ok(last.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-workshop-comparison")));
      const total = outputs.reduce((n, o) => n + JSON.stringify(o).length, 0);
      assert.ok(total < 400_000, `all outputs together are ${total} bytes (thumbnails, not full images)`);
    });

    it("ends with the workshop-vs-here rows: the real categories equal, the generated draws not comparable", () => {
      const status = Object.fromEntries(res.results.workshopComparison.map((r) => [r.what, r.status]));
      assert.equal(status["categories"], "same");
      assert.equal(status["animal category ids"], "same");
      assert.equal(status["first row"], "same");
      assert.equal(status["first birds drawn"], "not comparable");
      assert.equal(status["train / val images"], "not comparable");
    });
  });

  it("runs on other real CIFAR-10 records with -p cifar=<a binary batch file>", () => {
    const { results } = run(["-p", "cifar=data/cifar10/data_batch_1_1000_1999.bin"]);
    assert.equal(results.cifar.source, "file");
    assert.equal(results.cifar.path, projectPath("data", "cifar10", "data_batch_1_1000_1999.bin"));
    assert.deepEqual([results.cifar.records, results.cifar.frogs], [1000, 100]);
    assert.equal(results.counts.frog, 60);
    const sample = JSON.parse(fs.readFileSync(results.annotations, "utf8")) as SampleAnnos;
    const frogs = sample.items.filter((it) => it.source === "cifar");
    // Named by their record number in data_batch_1, which this piece's name gives (1000-1999).
    const records = frogs.map((f) => Number(/^data_batch_1_(\d{5})\.jpg$/.exec(f.fileName)?.[1] ?? NaN));
    assert.ok(
      records.every((r) => r >= 1000 && r <= 1999),
      frogs[0].fileName,
    );
  });

  it("fails with a message naming a CIFAR-10 path that does not exist", () => {
    // perClass 5: the stand-in is generated before the CIFAR-10 cell fails
    const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img11-data-"));
    const args = ["-p", "cifar=data/cifar10/absent.bin", "-p", "perClass=5", "-p", `dataRoot=${dataRoot}`];
    const r = runNotebooks([NOTEBOOK, ...args]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /image\/1\.1-download-data: cell \d+: .*absent\.bin/);
  });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, stdoutOf, text } from "../../helpers/notebooks";
import { pythonJson } from "../../image/image-helpers";
import { readManifest } from "../../../src/image/manifest";
import { projectPath } from "../../../src/util/paths";
import { PLOTLY_MIME } from "../../../src/util/plotly-bundle";

const NB11 = projectPath("notebooks", "image", "1.1-download-data.ipynb");
const NB12 = projectPath("notebooks", "image", "1.2-structuring-data.ipynb");
const CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "frog", "giraffe", "horse", "sheep", "zebra"];
const SPLITS = ["train", "val", "test"] as const;

interface Results {
  data: string;
  classes: string[];
  counts: Record<string, { train: number; val: number; test: number }>;
  splits: { train: number; val: number; test: number };
  total: number;
  stratified: boolean;
  duplicates: { exact: number; near: number };
  simulatedLeak: { planted: number; caught: number };
  workshopSplit: { train: number; val: number; test: number };
  outputFolder: string;
  manifest: string;
  workshopComparison: Array<{ what: string; here: string; status: string }>;
}

/** The workshop's split (B.2 step 2), run by numpy on the ids given. */
const WORKSHOP_SPLIT = `
import json, sys, numpy as np
ids = sorted(json.loads(sys.argv[1]))
np.random.seed(0)
np.random.shuffle(ids)
n = len(ids)
train, val, test = np.split(np.array(ids), [int(.8 * n), int(.9 * n)])
print(json.dumps({"train": train.tolist(), "val": val.tolist(), "test": test.tolist()}))
`;

// Notebook 1.2 reads notebook 1.1's sample folder: the tests run 1.1 once, offline, into a temp dataRoot first
// (1.2 does not generate what it needs: without 1.1's output it stops and says so, tested last).
describe("notebook image/1.2-structuring-data", () => {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img12-data-"));

  function run(extra: string[]) {
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img12-out-"));
    const structuredDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img12-ds-")), "structured");
    const r = runNotebooks([
      NB12,
      "-p",
      `dataRoot=${dataRoot}`,
      "-p",
      `structuredDir=${structuredDir}`,
      "-p",
      `outputDir=${outputDir}`,
      ...extra,
    ]);
    assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
    assert.match(r.stdout, /^image\/1\.2-structuring-data\s+(\d+)\/\1\s+cells\s+[\d.]+ s\s+ok$/m);
    const results = JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")) as Results;
    return { results, nb: readNotebook(path.join(r.outDir, "image", "1.2-structuring-data.ipynb")), structuredDir };
  }

  before(() => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img12-11-"));
    const r = runNotebooks([NB11, "-p", `dataRoot=${dataRoot}`, "-p", `outputDir=${out}`]);
    assert.equal(r.status, 0, `notebook 1.1 failed: ${r.stderr}`);
  });

  describe("stratified (the default), on 1.1's offline sample", () => {
    let res: ReturnType<typeof run>;
    before(() => {
      res = run([]);
    });

    it("writes results.json: 11 classes in index order, 48/6/6 per class, split counts that add up", () => {
      const { results } = res;
      assert.equal(results.data, "generated");
      assert.deepEqual(results.classes, CLASSES);
      assert.equal(results.stratified, true);
      assert.equal(results.total, 660);
      for (const c of CLASSES) assert.deepEqual(results.counts[c], { train: 48, val: 6, test: 6 }, c);
      for (const s of SPLITS)
        assert.equal(
          CLASSES.reduce((n, c) => n + results.counts[c][s], 0),
          results.splits[s],
          `${s}: the classes add up to the split`,
        );
      assert.equal(results.splits.train + results.splits.val + results.splits.test, results.total);
      assert.deepEqual(results.workshopSplit, { train: 528, val: 66, test: 66 }, "int(0.8n), int(0.9n) of 660");
    });

    it("builds the 33 folders and a manifest that agree with results.json, with no image in two splits", () => {
      const { results } = res;
      for (const s of SPLITS) assert.deepEqual(fs.readdirSync(path.join(results.outputFolder, s)).sort(), CLASSES, s);
      const entries = readManifest(results.outputFolder);
      assert.equal(entries.length, 660);
      for (const e of entries) assert.ok(fs.existsSync(path.join(results.outputFolder, e.path)), e.path);
      assert.equal(new Set(entries.map((e) => e.sha256)).size, 660, "660 distinct files");
      assert.deepEqual(results.duplicates, { exact: 0, near: 0 }, "zero cross-split duplicates");
      assert.deepEqual(results.simulatedLeak, { planted: 6, caught: 6 }, "the planted leak is caught whole");
      assert.deepEqual(
        entries.filter((e) => e.class === "frog").map((e) => [e.source, e.label, e.width, e.height])[0],
        ["cifar", 6, 32, 32],
      );
      const sources = entries.reduce((m, e) => m.set(e.source, (m.get(e.source) ?? 0) + 1), new Map<string, number>());
      assert.deepEqual(
        [...sources].sort(),
        [
          ["cifar", 60],
          ["coco-generated", 600],
        ],
        "offline: generated COCO marked",
      );
    });

    it("shows the split charts, the size scatter, a captioned grid, the leak report and the comparison", () => {
      const cells = codeCells(res.nb);
      const outputs = cells.flatMap((c) => c.outputs ?? []);
      assert.equal(outputs.filter((o) => o.name === "stderr").length, 0);
      const titles = outputs
        .filter((o) => o.data && PLOTLY_MIME in o.data)
        .map((o) => text(o.data!["text/plain"] as string[]).replace(/^Plotly figure "([^"]*)".*$/, "$1"));
      assert.deepEqual(titles, [
        "The workshop's split (not stratified): images per class",
        "Images per class and split (stratified)",
        "Image sizes (width × height, pixels)",
      ]);
      const html = outputs
        .filter((o) => o.data && "text/html" in o.data)
        .map((o) => text(o.data!["text/html"] as string[]));
      const grid = html.find((h) => h.includes("mldp-image-grid"))!;
      assert.equal(grid.match(/<figure/g)?.length, 33, "three images per class");
      assert.ok(grid.includes("frog (6) 32×32"), "captions give class, label and size");
      const printed = cells.map(stdoutOf).join("");
      assert.equal(printed.match(/exact \(0 bits\): test\//g)?.length, 3, printed);
      assert.equal(printed.match(/near \(\d bits\): test\//g)?.length, 3, printed);
      const last = cells[cells.length - 1].outputs ?? [];
      assert.ok(last.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-workshop-comparison")));
      const total = outputs.reduce((n, o) => n + JSON.stringify(o).length, 0);
      assert.ok(total < 600_000, `all outputs together are ${total} bytes`);
    });

    it("marks the per-class numbers of the generated sample not comparable with the workshop's table", () => {
      const rows = res.results.workshopComparison;
      const perClass = rows.filter((r) => r.what.endsWith("unstratified"));
      assert.equal(perClass.length, 11);
      assert.ok(perClass.every((r) => r.status === "not comparable"));
      assert.equal(rows.find((r) => r.what === "class folders")!.status, "same");
      assert.equal(rows.find((r) => r.what === "class index")!.status, "same");
    });
  });

  it("with stratify=false builds the workshop's split, numpy-exact", () => {
    const { results } = run(["-p", "stratify=false"]);
    assert.equal(results.stratified, false);
    assert.deepEqual(results.splits, { train: 528, val: 66, test: 66 });
    const entries = readManifest(results.outputFolder);
    const expected = pythonJson(WORKSHOP_SPLIT, [JSON.stringify(entries.map((e) => e.id))]) as Record<string, number[]>;
    for (const s of SPLITS)
      assert.deepEqual(
        entries
          .filter((e) => e.split === s)
          .map((e) => e.id)
          .sort((a, b) => a - b),
        [...expected[s]].sort((a, b) => a - b),
        `${s} holds numpy's ids`,
      );
    assert.deepEqual(results.duplicates, { exact: 0, near: 0 });
  });

  it("stops with a message to run notebook 1.1 when its sample is absent", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img12-empty-"));
    const r = runNotebooks([NB12, "-p", `dataRoot=${empty}`, "-p", `outputDir=${empty}/out`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /image\/1\.2-structuring-data: cell \d+: .*sample_annos\.json.*notebook 1\.1/);
  });
});

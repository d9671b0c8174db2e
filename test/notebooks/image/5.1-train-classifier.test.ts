import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { itWithShared } from "../../helpers/data";
import { codeCells, readNotebook, runNotebooks, stdoutOf, text } from "../../helpers/notebooks";
import { projectPath } from "../../../src/util/paths";
import { PLOTLY_MIME } from "../../../src/util/plotly-bundle";
import { CLASSES, structuredFolder } from "./structured-folder";

const NB51 = projectPath("notebooks", "image", "5.1-train-classifier.ipynb");

interface RunSummary {
  backbone: string;
  testAccuracy: number;
  valAccuracy: number;
  bestEpoch: number;
  epochsRun: number;
  counts: { train: number; val: number; test: number; classes: number };
  classNames: string[];
  confusion: number[][];
  embeddingsPerSecond: number | null;
  trainingSeconds: number;
  baseline: { backbone: string; testAccuracy: number; valAccuracy: number; bestEpoch: number };
}
interface Results extends RunSummary {
  dataReal: boolean;
  realNumbers: string;
  testOverlap: number;
  data: { trainSources: Record<string, number>; testSources: Record<string, number> };
  real: (RunSummary & { data: string }) | null;
  reload: { samePredictions: boolean; sameProba: boolean };
  workshopComparison: Array<{ what: string; here: string; status: string }>;
}

function run51(extra: string[]) {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img51-out-"));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img51-cache-"));
  const r = runNotebooks([NB51, "-p", `outputDir=${outputDir}`, "-p", `cacheDir=${cacheDir}`, ...extra]);
  return { r, outputDir };
}

function results(outputDir: string): Results {
  return JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")) as Results;
}

// Notebook 5.1 trains on notebook 1.2's folder: structuredFolder() runs 1.1 and 1.2 offline into temp folders
// once per mocha process (shared with the 2.1, 3.1 and 4.1 tests). 5.1 does not build what it needs: without
// 1.2's folder it stops and says so, tested last.
describe("notebook image/5.1-train-classifier", () => {
  let structured: string;
  before(() => {
    structured = structuredFolder();
  });

  describe("offline, on 1.2's generated folder, with the real CIFAR-10 records beside it", () => {
    let res: Results;
    let nb: ReturnType<typeof readNotebook>;
    before(() => {
      const { r, outputDir } = run51(["-p", `trainData=${structured}/train`, "-p", `testData=${structured}/test`]);
      assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
      assert.match(r.stdout, /^image\/5\.1-train-classifier\s+(\d+)\/\1\s+cells\s+[\d.]+ s\s+ok$/m);
      res = results(outputDir);
      nb = readNotebook(path.join(r.outDir, "image", "5.1-train-classifier.ipynb"));
    });

    it("says the folder's images are generated and trains on 418/110/66 of its 11 classes", () => {
      assert.equal(res.dataReal, false);
      assert.equal(res.realNumbers, "real");
      assert.deepEqual(res.data.trainSources, { "coco-generated": 480, cifar: 48 });
      assert.deepEqual(res.counts, { train: 418, val: 110, test: 66, classes: 11 }, "10 of 48 per class held out");
      assert.deepEqual(res.classNames, CLASSES);
      assert.equal(res.testOverlap, 0);
      assert.equal(
        res.confusion.flat().reduce((a, b) => a + b, 0),
        66,
      );
      assert.equal(res.testAccuracy, res.confusion.reduce((a, row, i) => a + row[i], 0) / 66);
    });

    it("also trains and tests both backbones on the real CIFAR-10 records, and the pretrained one wins", () => {
      const real = res.real!;
      assert.ok(real, "a real run beside the generated one");
      assert.match(real.data, /real CIFAR-10/);
      assert.deepEqual(real.counts, { train: 881, val: 219, test: 100, classes: 10 });
      assert.equal(real.backbone, res.backbone);
      assert.equal(real.baseline.backbone, "random-conv");
      assert.ok(
        real.baseline.testAccuracy > 0.2 && real.baseline.testAccuracy < 0.6,
        `baseline ${real.baseline.testAccuracy}`,
      );
      if (res.backbone === "efficientnet-lite0") {
        assert.ok(real.testAccuracy >= 0.75, `pretrained on 881 real records: ${real.testAccuracy}`);
        assert.ok(real.testAccuracy > real.baseline.testAccuracy + 0.25, "pretraining buys a lot");
      }
    });

    it("reloads the saved head and predicts exactly the same", () => {
      assert.deepEqual(res.reload, { ...res.reload, samePredictions: true, sameProba: true });
    });

    it("records throughput, training time and the baseline", () => {
      assert.ok(res.embeddingsPerSecond! > 0, "a fresh cache: every embedding computed");
      assert.ok(res.trainingSeconds > 0);
      assert.ok(res.epochsRun >= res.bestEpoch && res.bestEpoch >= 1);
      assert.equal(res.baseline.backbone, "random-conv");
      assert.equal(res.workshopComparison.find((r) => r.what === "test accuracy")!.status, "replaced");
    });

    it("shows live curves, the confusion matrices, per-class scores, a marked prediction grid and the comparison", () => {
      const cells = codeCells(nb);
      const outputs = cells.flatMap((c) => c.outputs ?? []);
      assert.equal(outputs.filter((o) => o.name === "stderr").length, 0);
      const titles = outputs
        .filter((o) => o.data && PLOTLY_MIME in o.data)
        .map((o) => text(o.data!["text/plain"] as string[]).replace(/^Plotly figure "([^"]*)".*$/s, "$1"));
      const b = res.backbone;
      assert.deepEqual(titles, [
        `${b}: training and validation (kept epoch ${res.bestEpoch})`,
        `Test confusion matrix, ${b} (generated images)`,
        `Per-class precision and recall (accuracy ${(res.testAccuracy * 100).toFixed(1)}%)`,
        `random-conv (baseline): training and validation (kept epoch ${res.baseline.bestEpoch})`,
        `Test confusion matrix on real CIFAR-10, ${b}`,
        `Per-class precision and recall on real CIFAR-10 (accuracy ${(res.real!.testAccuracy * 100).toFixed(1)}%)`,
      ]);
      const html = outputs
        .filter((o) => o.data && "text/html" in o.data)
        .map((o) => text(o.data!["text/html"] as string[]));
      // Two grids, wrong predictions first: the generated test images', then the real CIFAR-10 run's.
      const grids = html.filter((h) => h.includes("mldp-image-grid"));
      assert.equal(grids.length, 2, "the generated run's grid and the real run's");
      const wrongOf = (r: RunSummary) => r.counts.test - r.confusion.reduce((a, row, i) => a + row[i], 0);
      [wrongOf(res), wrongOf(res.real!)].forEach((wrong, g) => {
        // The captions in order (each also stands in its image's alt text).
        const captions = [...grids[g].matchAll(/<figcaption[^>]*>([^<]*)<\/figcaption>/g)].map((m) => m[1]);
        const shown = Math.min(24, wrong);
        assert.equal(captions.length, 24);
        assert.deepEqual(
          captions.map((c) => c.startsWith("✗ ")),
          Array.from({ length: 24 }, (_, i) => i < shown),
          `grid ${g}: every wrong one shown, first (${wrong} wrong)`,
        );
        assert.ok(
          captions.slice(0, shown).every((c) => /\(true: [a-z]+\)$/.test(c)),
          "wrong ones name the true class",
        );
        assert.ok(
          captions.slice(shown).every((c) => c.startsWith("✓ ")),
          "then right ones",
        );
      });
      assert.ok(wrongOf(res.real!) > 0, "the real run's grid shows mistakes");
      assert.ok(
        html.some((h) => h.includes("macro avg")),
        "the classification report",
      );
      const printed = cells.map(stdoutOf).join("");
      assert.match(printed, /GENERATED images/);
      assert.match(printed, /REAL CIFAR-10 \(881 train, 219 validation, 100 test records\)/);
      assert.match(printed, /predictions identical: true, probabilities identical: true/);
      const last = cells[cells.length - 1].outputs ?? [];
      assert.ok(last.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-workshop-comparison")));
    });
  });

  it("stops with a message naming notebooks 1.1 and 1.2 when the training folder is absent", () => {
    const gone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mldp-img51-none-")), "structured");
    const { r } = run51(["-p", `trainData=${gone}/train`, "-p", `testData=${gone}/test`]);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /image\/5\.1-train-classifier: cell \d+: .*data path is missing: .*structured\/train.*image\/1\.2-structuring-data first/,
    );
  });

  itWithShared(
    "cifar10/data_batch_1_1000_3999.bin",
    "trains on 3,000 real CIFAR-10 records given as ../shared paths: pretrained test accuracy >= 85%",
    (file) => {
      assert.ok(
        fs.existsSync(path.join(path.dirname(file), "test_batch_first100.bin")),
        "test_batch_first100.bin beside it",
      );
      const { r, outputDir } = run51([
        "-p",
        "trainData=../shared/datasets/cifar10/data_batch_1_1000_3999.bin",
        "-p",
        "testData=../shared/datasets/cifar10/test_batch_first100.bin",
      ]);
      assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
      const res = results(outputDir);
      assert.equal(res.dataReal, true);
      assert.equal(res.real, null, "real data: no second run");
      assert.deepEqual(res.counts, { ...res.counts, test: 100, classes: 10 });
      assert.equal(res.counts.train + res.counts.val, 3000);
      assert.equal(res.backbone, "efficientnet-lite0");
      assert.ok(res.testAccuracy >= 0.85, `pretrained test accuracy ${res.testAccuracy}`);
      // The baseline (random-conv) on the same records scores far lower (see README).
      assert.ok(res.baseline.testAccuracy < res.testAccuracy - 0.3, `baseline ${res.baseline.testAccuracy}`);
    },
  );
});

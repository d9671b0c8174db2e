import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, text } from "../../helpers/notebooks";
import { projectPath } from "../../../src/util/paths";
import { PLOTLY_MIME } from "../../../src/util/plotly-bundle";
import { readTable } from "../../../src/tabular/read-table";
import { loadChurnPredictor } from "../../../src/gbt/inference";
import { loadXGBoostJSON } from "../../../src/gbt/xgboost-json";

const NOTEBOOK = projectPath("notebooks", "tabular", "1.1-churn-data-prep.ipynb");
const REAL_CHURN = path.resolve(projectPath(), "..", "shared", "datasets", "churn", "churn.txt");

interface Results {
  source: string;
  rows: number;
  columns: number;
  classBalance: { positive: number; negative: number };
  alerts: Record<string, number>;
  splits: { train: number; validation: number; test: number };
  positives: { train: number; validation: number; test: number };
  features: string[];
  outputs: string[];
  model: {
    file: string;
    trees: number;
    bestIteration: number | null;
    auc: number;
    accuracy: number;
    f1: number;
    confusion: number[][];
    bestCutoff: number;
    bestCutoffCost: number;
  };
}

function run(extra: string[]): { outputDir: string; nbFile: string; results: Results } {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-churn-"));
  const r = runNotebooks([NOTEBOOK, "-p", `outputDir=${outputDir}`, ...extra]);
  assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
  assert.match(r.stdout, /^tabular\/1\.1-churn-data-prep\s+(\d+)\/\1\s+cells\s+[\d.]+ s\s+ok$/m);
  const results = JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")) as Results;
  return { outputDir, nbFile: path.join(r.outDir, "tabular", "1.1-churn-data-prep.ipynb"), results };
}

describe("notebook tabular/1.1-churn-data-prep", () => {
  describe("offline, on the embedded synthetic data", () => {
    let res: ReturnType<typeof run>;
    before(() => {
      res = run(["-p", `csv=`]);
    });

    it("writes results.json and every training file", () => {
      const { results, outputDir } = res;
      assert.equal(results.source === "synthetic" || results.source === "cache" || results.source === "download", true);
      assert.equal(results.rows, 5000);
      assert.equal(results.columns, 21);
      assert.deepEqual(results.splits, { train: 4000, validation: 500, test: 500 });
      assert.equal(results.features.length, 19, "17 features with two plans one-hot encoded into 4");
      for (const f of results.outputs) assert.ok(fs.statSync(path.join(outputDir, f)).size > 0, `${f} written`);
      assert.ok(results.outputs.includes("xgboost/train.csv") && results.outputs.includes("train.parquet"));
      const xgbFirst = fs.readFileSync(path.join(outputDir, "xgboost", "train.csv"), "utf8").split("\n")[0];
      assert.match(xgbFirst, /^[01],/, "XGBoost CSV: label first, no header");
    });

    it("shows tables, plotly charts and reports, with no stderr", () => {
      const cells = codeCells(readNotebook(res.nbFile));
      const outputs = cells.flatMap((c) => c.outputs ?? []);
      assert.equal(outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").length, 0);
      const plotly = outputs.filter((o) => o.data && PLOTLY_MIME in o.data);
      const titles = plotly.map((o) =>
        text(o.data!["text/plain"] as string[]).replace(/^Plotly figure "([^"]*)".*$/, "$1"),
      );
      assert.deepEqual(titles, [
        "Histograms",
        "Histograms by Churn? (line: share of True. per bin)",
        "Pearson r",
        "Validation AUC per round",
        "Confusion matrix",
        "ROC curve",
        "Precision-recall curve",
        "Predicted probability by actual class",
        "Cost by cutoff",
        "Feature importance (average gain)",
        "Permutation importance (test AUC drop)",
        "SHAP summary",
        "SHAP waterfall, row 0",
      ]);
      for (const o of plotly) assert.equal(typeof o.data![PLOTLY_MIME], "object");
      const html = outputs
        .filter((o) => o.data && "text/html" in o.data)
        .map((o) => text(o.data!["text/html"] as string[]));
      assert.ok(
        html.some((h) => h.includes("Alerts (15)")),
        "the alerts table",
      );
      assert.ok(
        html.some((h) => h.includes("mldp-compare-splits")),
        "the split comparison",
      );
      assert.ok(
        html.some((h) => h.includes("Evaluation of 500 rows")),
        "the evaluation table",
      );
      const total = outputs.reduce((n, o) => n + JSON.stringify(o).length, 0);
      assert.ok(total < 2_000_000, `all outputs together are ${total} bytes`);
    });
  });

  describe("on the workshop's real churn.txt", () => {
    let res: ReturnType<typeof run>;
    before(() => {
      res = run(["-p", `csv=${REAL_CHURN}`]);
    });

    it("trains, evaluates and saves a model that scores like xgboost on this split", () => {
      const { model } = res.results;
      assert.ok(
        model.auc > 0.98 && model.auc < 1,
        `test ROC AUC ${model.auc} (Python xgboost 3.2.0: 0.9876 with all 100 rounds)`,
      );
      assert.equal(
        model.confusion.flat().reduce((a, b) => a + b, 0),
        500,
      );
      assert.ok(model.bestCutoff > 0 && model.bestCutoff < 1);
      const booster = loadXGBoostJSON(path.join(res.outputDir, "model.json"));
      // Early stopping kept more trees than it uses; model.json holds those it uses (booster[: best + 1]).
      assert.ok(model.bestIteration !== null && model.trees > model.bestIteration + 1, "stopped early");
      assert.equal(booster.trees.length, model.bestIteration! + 1, "model.json holds the trees up to the best round");
      assert.equal(booster.featureNames.length, 19);
    });

    it("predicts the same probabilities from raw CSV rows through the saved preparation and model", () => {
      // The raw test rows of churn.txt, as a user would feed them: the original CSV lines, label removed.
      const predicted = readTable(path.join(res.outputDir, "test-predictions.csv"), { label: null }).df;
      const rows = predicted.getColumn("row_id").toArray() as number[];
      const lines = fs.readFileSync(REAL_CHURN, "utf8").split(/\r?\n/);
      const header = lines[0].split(",");
      const raw = [lines[0], ...rows.map((r) => lines[r + 1])]
        .map((l) =>
          l
            .split(",")
            .filter((_, j) => header[j] !== "Churn?")
            .join(","),
        )
        .join("\n");
      const rawFile = path.join(res.outputDir, "new-customers.csv");
      fs.writeFileSync(rawFile, raw);
      const predictor = loadChurnPredictor(
        path.join(res.outputDir, "preparation.json"),
        path.join(res.outputDir, "model.json"),
      );
      const proba = predictor.predictProba(readTable(rawFile, { label: null }).df);
      const expected = predicted.getColumn("probability").toArray() as number[];
      assert.equal(proba.length, 500);
      const maxDiff = Math.max(...expected.map((p, i) => Math.abs(p - proba[i])));
      assert.ok(maxDiff <= 1e-6, `max |difference| ${maxDiff}`);
    });

    it("reproduces the workshop's 15 pandas-profiling warnings and its numpy split", () => {
      const { results } = res;
      assert.equal(results.source, "file");
      assert.deepEqual(results.classBalance, { positive: 2498, negative: 2502, positiveRate: 0.4996 } as never);
      assert.deepEqual(results.alerts, { HIGH_CARDINALITY: 2, UNIFORM: 1, UNIQUE: 8, ZEROS: 4 });
      assert.deepEqual(results.positives.test, 254, "test split: 254 ones / 246 zeros, as the workshop printed");
      const shown = codeCells(readNotebook(res.nbFile))
        .flatMap((c) => c.outputs ?? [])
        .map((o) => text((o.data?.["text/plain"] as string[]) ?? ""))
        .join("\n");
      assert.match(shown, /firstRows: '340, 3961, 561, 3623, 2427'/);
      assert.match(
        shown,
        /Day Mins\s+┆ Eve Charge\s+┆ 0\.766/,
        "the strongest pair is Day Mins ~ Eve Charge, r = 0.766",
      );
    });

    it("writes its outputs apart from the input file", () => {
      assert.ok(!res.results.outputs.some((f) => path.resolve(res.outputDir, f) === REAL_CHURN));
    });
  });

  it("fails with a clear message when the label column is absent", () => {
    const r = runNotebooks([
      NOTEBOOK,
      "-p",
      `csv=${REAL_CHURN}`,
      "-p",
      "label=Churned",
      "-p",
      `outputDir=${fs.mkdtempSync(path.join(os.tmpdir(), "mldp-churn-"))}`,
    ]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /tabular\/1\.1-churn-data-prep: cell \d+: .*Churned/);
  });
});

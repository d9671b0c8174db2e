import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, stdoutOf, text } from "../../helpers/notebooks";
import { projectPath } from "../../../src/util/paths";
import { PLOTLY_MIME } from "../../../src/util/plotly-bundle";
import { readTable } from "../../../src/tabular/read-table";
import { loadChurnPredictor } from "../../../src/gbt/inference";
import { loadXGBoostJSON } from "../../../src/gbt/xgboost-json";
import { CHURN } from "../../helpers/data";

const NOTEBOOK = projectPath("notebooks", "tabular", "1.1-churn-data-prep.ipynb");

interface Results {
  source: string;
  input: string;
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

/** What the last cell adds to results.json. */
interface WithComparison {
  model: { preset: string };
  presets: Array<{ preset: string; earlyStopping: string; treesUsed: number; testAuc: number; running: boolean }>;
  workshopComparison: Array<{ what: string; workshop: string; here: string; status: string; why: string }>;
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
  describe("offline (MLDP_OFFLINE=1), on the shipped churn.txt: the workshop's numbers", () => {
    let res: ReturnType<typeof run>;
    before(() => {
      res = run(["-p", `csv=`]);
    });

    it("writes results.json and every training file", () => {
      const { results, outputDir } = res;
      assert.ok(
        ["embedded", "cache"].includes(results.source),
        `source ${results.source} (the shipped file, or a verified download)`,
      );
      assert.equal(results.rows, 5000);
      assert.equal(results.columns, 21);
      assert.deepEqual(results.splits, { train: 4000, validation: 500, test: 500 });
      assert.equal(results.features.length, 19, "17 features with two plans one-hot encoded into 4");
      for (const f of results.outputs) assert.ok(fs.statSync(path.join(outputDir, f)).size > 0, `${f} written`);
      assert.ok(results.outputs.includes("xgboost/train.csv") && results.outputs.includes("train.parquet"));
      const xgbFirst = fs.readFileSync(path.join(outputDir, "xgboost", "train.csv"), "utf8").split("\n")[0];
      assert.match(xgbFirst, /^[01],/, "XGBoost CSV: label first, no header");
    });

    it("reproduces the workshop's 15 pandas-profiling warnings and its numpy split", () => {
      const { results } = res;
      assert.deepEqual(results.classBalance, { positive: 2498, negative: 2502, positiveRate: 0.4996 } as never);
      assert.deepEqual(results.alerts, { HIGH_CARDINALITY: 2, UNIFORM: 1, UNIQUE: 8, ZEROS: 4 });
      assert.equal(results.positives.test, 254, "test split: 254 ones / 246 zeros, as the workshop printed");
      assert.equal(results.splits.test - results.positives.test, 246);
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

    it("ends with the workshop-vs-here table, also saved in results.json", () => {
      const cells = codeCells(readNotebook(res.nbFile));
      const last = cells[cells.length - 1].outputs ?? [];
      assert.ok(
        last.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-workshop-comparison")),
        "the last code cell shows the comparison",
      );
      const { workshopComparison: rows, model } = res.results as unknown as WithComparison;
      assert.equal(rows.length, 15);
      assert.equal(model.preset, "aws-builtin-xgboost", "the default preset runs");
      for (const r of rows) assert.ok(r.status === "same" || r.why !== "" || r.status === "not comparable", r.what);
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
      const lines = fs.readFileSync(CHURN, "utf8").split(/\r?\n/);
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

    it("says which file it read, and writes its outputs apart from it", () => {
      const { results } = res;
      if (results.source === "embedded") assert.equal(results.input, CHURN, "the shipped data/churn/churn.txt");
      const printed = codeCells(readNotebook(res.nbFile)).map(stdoutOf).join("");
      assert.ok(
        printed.includes(`${results.source}: ${results.input}\n`),
        `the load cell prints its source: ${printed}`,
      );
      assert.ok(!results.outputs.some((f) => path.resolve(res.outputDir, f) === results.input));
    });

    it("trains both hyperparameter presets and says which one runs", () => {
      const { presets } = res.results as unknown as WithComparison;
      assert.deepEqual(
        presets.map((p) => [p.preset, p.earlyStopping, p.treesUsed, p.testAuc.toFixed(5), p.running]),
        [
          ["workshop-train-xgb", "none", 100, "0.99089", false],
          ["workshop-train-xgb", "10 rounds", 78, "0.99003", false],
          ["aws-builtin-xgboost", "none", 100, "0.98742", true],
          ["aws-builtin-xgboost", "10 rounds", 30, "0.98689", true],
        ],
        "test ROC AUC of each preset on the workshop split (AutoGluon's XGBoost: 0.99334)",
      );
      assert.equal(res.results.model.auc.toFixed(5), "0.98689", "the notebook's model is the running preset's");
    });

    it("ends with the workshop-vs-here table: the data steps equal the workshop's, the model's gaps explained", () => {
      const rows = (res.results as unknown as WithComparison).workshopComparison;
      const status = Object.fromEntries(rows.map((r) => [r.what, r.status]));
      for (const what of [
        "rows × columns",
        "label: positive / negative",
        "alerts (pandas-profiling 2.11 rules)",
        "strongest correlation",
        "crosstab Int'l Plan = no, share of False. / True.",
        "train / validation / test rows",
        "first shuffled rows",
        "test labels: 0 / 1",
        "features after one-hot",
      ])
        assert.equal(status[what], "same", what);
      const auc = rows.find((r) => r.what === "test ROC AUC")!;
      assert.equal(auc.status, "close");
      assert.match(auc.why, /^−0\.0064, 1\.8 standard errors/);
      const row31 = rows.find((r) => r.what === "row 31: score, pred")!;
      assert.deepEqual(
        [row31.workshop, row31.here, row31.status],
        ["952, 1 (AutoGluon's ensemble)", "628, 1", "close"],
      );
    });

    it("shows the crosstabs, the by-label histograms in 30 bins and the prediction set's row ids", () => {
      const outputs = codeCells(readNotebook(res.nbFile)).flatMap((c) => c.outputs ?? []);
      const html = outputs
        .filter((o) => o.data && "text/html" in o.data)
        .map((o) => text(o.data!["text/html"] as string[]));
      assert.ok(
        html.some(
          (h) => h.includes("mldp-crosstabs") && h.includes("<tr><th>no</th><td>0.500000</td><td>0.502802</td></tr>"),
        ),
        "Int'l Plan by Churn?: no is 0.5 of False. and 0.5028 of True. (workshop A.5)",
      );
      assert.ok(
        html.some((h) => h.includes("Not tabulated: Phone: 4,999 distinct values")),
        "Phone is named, not tabulated",
      );
      const byLabel = outputs.find(
        (o) =>
          o.data && PLOTLY_MIME in o.data && text(o.data["text/plain"] as string[]).includes("Histograms by Churn?"),
      )!;
      const fig = byLabel.data![PLOTLY_MIME] as { data: Array<{ x: number[] }> };
      assert.equal(fig.data[0].x.length, 30, "the workshop's 30 bins");
      const shown = outputs.map((o) => text((o.data?.["text/plain"] as string[]) ?? "")).join("\n");
      assert.match(
        shown,
        /row_id ┆ score ┆ pred[\s\S]*│ 31\s+┆ 628\s+┆ 1\s+│/,
        "row 31 of churn.txt heads the prediction set",
      );
    });
  });

  it("fails with a clear message when the label column is absent", () => {
    const r = runNotebooks([
      NOTEBOOK,
      "-p",
      `csv=${CHURN}`,
      "-p",
      "label=Churned",
      "-p",
      `outputDir=${fs.mkdtempSync(path.join(os.tmpdir(), "mldp-churn-"))}`,
    ]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /tabular\/1\.1-churn-data-prep: cell \d+: .*Churned/);
  });
});

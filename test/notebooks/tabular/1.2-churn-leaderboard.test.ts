import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, text } from "../../helpers/notebooks";
import { projectPath } from "../../../src/util/paths";
import { PLOTLY_MIME } from "../../../src/util/plotly-bundle";

const NOTEBOOK = projectPath("notebooks", "tabular", "1.2-churn-leaderboard.ipynb");

interface Results {
  source: string;
  best: string;
  test: { auc: number; accuracy: number; f1: number; confusion: number[][] };
  leaderboard: Array<{
    model: string;
    score_val: number;
    score_test: number;
    fit_time: number;
    weights: Record<string, number> | null;
  }>;
}

function run(extra: string[]): { results: Results; nbFile: string } {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-board-"));
  const r = runNotebooks([NOTEBOOK, "-p", `outputDir=${outputDir}`, ...extra]);
  assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
  assert.match(r.stdout, /^tabular\/1\.2-churn-leaderboard\s+(\d+)\/\1\s+cells\s+[\d.]+ s\s+ok$/m);
  return {
    results: JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")),
    nbFile: path.join(r.outDir, "tabular", "1.2-churn-leaderboard.ipynb"),
  };
}

describe("notebook tabular/1.2-churn-leaderboard", () => {
  describe("offline (MLDP_OFFLINE=1), on the shipped churn.txt", () => {
    let run1: ReturnType<typeof run>;
    before(() => {
      run1 = run(["-p", "csv="]);
    });

    it("ranks the model families with a table and charts", () => {
      const { results, nbFile } = run1;
      assert.ok(["embedded", "cache"].includes(results.source), `source ${results.source}`);
      const names = results.leaderboard.map((r) => r.model).sort();
      assert.deepEqual(names, ["LogisticRegression", "Prior", "RandomForest", "WeightedEnsemble_L2", "XGBoost"]);
      const vals = results.leaderboard.map((r) => r.score_val);
      assert.deepEqual(
        vals,
        [...vals].sort((a, b) => b - a),
        "sorted by validation score",
      );
      const outputs = codeCells(readNotebook(nbFile)).flatMap((c) => c.outputs ?? []);
      assert.ok(
        outputs.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-leaderboard")),
        "leaderboard table",
      );
      assert.equal(
        outputs.filter((o) => o.data && PLOTLY_MIME in o.data).length,
        3,
        "leaderboard chart, confusion matrix, importance",
      );
      assert.equal(outputs.filter((o) => o.name === "stderr").length, 0);
      const last = codeCells(readNotebook(nbFile)).pop()!.outputs ?? [];
      assert.ok(
        last.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-workshop-comparison")),
        "ends with the workshop-vs-here table",
      );
    });

    it("scores close to AutoGluon on the workshop's split (246 stay / 254 churn in test)", () => {
      const { results } = run1;
      const byName = Object.fromEntries(results.leaderboard.map((r) => [r.model, r]));
      // AutoGluon (workshop.md A.6): XGBoost test 0.993342, ExtraTrees 0.9909, WeightedEnsemble 0.993790.
      assert.ok(byName.XGBoost.score_test > 0.99, `XGBoost test AUC ${byName.XGBoost.score_test}`);
      assert.ok(byName.RandomForest.score_test > 0.985, `RandomForest test AUC ${byName.RandomForest.score_test}`);
      assert.ok(
        byName.WeightedEnsemble_L2.score_val >=
          Math.max(...results.leaderboard.filter((r) => r.model !== "WeightedEnsemble_L2").map((r) => r.score_val)) -
            1e-12,
      );
      assert.equal(byName.Prior.score_test, 0.5);
      assert.ok(results.test.auc > 0.99 && results.test.accuracy > 0.95, JSON.stringify(results.test));
      assert.deepEqual(
        results.test.confusion.map((row) => row[0] + row[1]),
        [246, 254],
        "246 stayers and 254 churners in the workshop's test split",
      );
    });

    it("says from the weights why the ensemble is XGBoost alone, and ends with the workshop-vs-here table", () => {
      const { results, nbFile } = run1;
      const extra = results as unknown as {
        ensemble: { singleModel: boolean; text: string };
        workshopComparison: Array<{ what: string; workshop: string; here: string; status: string; why: string }>;
      };
      const ensemble = results.leaderboard.find((r) => r.model === "WeightedEnsemble_L2")!;
      assert.equal(extra.ensemble.singleModel, Object.values(ensemble.weights!).filter((w) => w > 0).length === 1);
      assert.match(
        extra.ensemble.text,
        /^WeightedEnsemble_L2 is XGBoost alone \(weight 1\): .*in 25 rounds no addition did/,
      );
      const shown = codeCells(readNotebook(nbFile))
        .flatMap((c) => c.outputs ?? [])
        .map((o) => text((o.data?.["text/plain"] as string[]) ?? ""))
        .join("\n");
      assert.ok(shown.includes(extra.ensemble.text), "the notebook shows the explanation");
      assert.match(
        shown,
        /row_id ┆ score ┆ pred[\s\S]*│ 31\s+┆ \d+\s+┆ 1\s+│/,
        "row 31 of churn.txt heads the prediction set",
      );
      const rows = Object.fromEntries(extra.workshopComparison.map((r) => [r.what, r]));
      assert.equal(rows["test labels: 0 / 1"].status, "same");
      assert.equal(rows["XGBoost test ROC AUC"].status, "close", rows["XGBoost test ROC AUC"].why);
      assert.equal(rows["WeightedEnsemble_L2 weights"].why, extra.ensemble.text);
      assert.equal(rows["row 31: score, pred"].workshop, "952, 1 (AutoGluon's ensemble)");
      assert.match(rows["row 31: score, pred"].here, /^\d+, 1$/, "churn predicted for row 31, as AutoGluon did");
      assert.equal(rows["most important feature (permutation, test AUC drop)"].here.split(" 0.")[0], "Night Calls");
    });
  });
});

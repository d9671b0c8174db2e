import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { workshopComparison } from "../../src/tabular/workshop-comparison";
import type { ChurnPrepMeasured } from "../../src/tabular/churn-prep-comparison";
import type { LeaderboardMeasured } from "../../src/tabular/leaderboard-comparison";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";

/**
 * Notebook 1.1's data numbers on the real churn.txt (results.json of a run, 2026-12-05), with the model of the
 * workshop-train-xgb preset, all 100 rounds (test AUC 0.99089 and rows 31/2327 measured; accuracy and cutoff made up).
 */
function prepOnChurn(): ChurnPrepMeasured {
  return {
    source: "file",
    rows: 5000,
    columns: 21,
    classBalance: { positive: 2498, negative: 2502 },
    alerts: { HIGH_CARDINALITY: 2, UNIFORM: 1, UNIQUE: 8, ZEROS: 4 },
    splits: { train: 4000, validation: 500, test: 500 },
    positives: { train: 1999, validation: 245, test: 254 },
    features: Array.from({ length: 19 }, (_, i) => `f${i}`),
    model: {
      preset: "workshop-train-xgb",
      trees: 100,
      auc: 0.99089,
      accuracy: 0.958,
      bestCutoff: 0.3,
      bestCutoffCost: 27000,
    },
    strongest: { a: "Day Mins", b: "Eve Charge", r: 0.76602 },
    firstRows: [340, 3961, 561, 3623, 2427, 99],
    crosstabs: {
      tables: [
        {
          column: "Int'l Plan",
          values: ["no", "yes"],
          byValues: ["False.", "True."],
          table: [
            [0.5, 0.50280224],
            [0.5, 0.49719776],
          ],
        },
      ],
    },
    predictionSet: [
      { row_id: 31, score: 889, pred: 1 },
      { row_id: 2327, score: 27, pred: 0 },
    ],
  };
}

const row = (c: ReturnType<typeof workshopComparison>, what: string) => {
  const r = c.rows.find((x) => x.what === what);
  assert.ok(r, `row ${what}`);
  return r;
};

describe("workshopComparison", () => {
  it("finds notebook 1.1's data numbers on churn.txt the same as the workshop's", () => {
    const c = workshopComparison("1.1", prepOnChurn());
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
      "hyperparameters",
    ])
      assert.equal(row(c, what).status, "same", what);
    assert.equal(
      row(c, "alerts (pandas-profiling 2.11 rules)").here,
      "15 (HIGH_CARDINALITY 2, UNIFORM 1, UNIQUE 8, ZEROS 4)",
    );
    assert.equal(
      row(c, "hyperparameters").here,
      "workshop-train-xgb: max_depth 4, eta 0.3, num_round 100; 100 trees used",
    );
  });

  it("explains the test AUC against AutoGluon's XGBoost in standard errors", () => {
    const auc = row(workshopComparison("1.1", prepOnChurn()), "test ROC AUC");
    assert.equal(auc.status, "close");
    assert.equal(auc.here, "0.99089");
    // 0.99089 − 0.993342 = −0.00245; SE at 0.993342 on 254/246 rows = 0.00363.
    assert.match(
      auc.why,
      /^−0\.0025, 0\.7 standard errors of an AUC on 254\/246 test rows \(±0\.0036, Hanley–McNeil\)\. /,
    );
    const far = row(
      workshopComparison("1.1", { ...prepOnChurn(), model: { ...prepOnChurn().model!, auc: 0.97 } }),
      "test ROC AUC",
    );
    assert.equal(far.status, "differs", "6 standard errors away");
  });

  it("names the preset and the early stopping that make the hyperparameters differ from train_xgb.py", () => {
    const m = prepOnChurn();
    m.model = { ...m.model!, preset: "aws-builtin-xgboost", trees: 40, bestIteration: 29 };
    const hp = row(workshopComparison("1.1", m), "hyperparameters");
    assert.equal(hp.status, "differs");
    assert.equal(
      hp.here,
      "aws-builtin-xgboost: max_depth 5, eta 0.2, gamma 4, min_child_weight 6, subsample 0.8, num_round 100; 30 trees used",
    );
    assert.match(
      hp.why,
      /AWS's built-in-algorithm churn sample .*not train_xgb.py's settings; early stopping on validation AUC kept the best 30 rounds/,
    );
  });

  it("says a run on another file is not the workshop's, and marks what it did not measure", () => {
    const m = prepOnChurn();
    const c = workshopComparison("1.1", {
      ...m,
      source: "/data/other-churn.csv",
      classBalance: { positive: 2400, negative: 2600 },
      strongest: undefined,
      crosstabs: { tables: [] },
    });
    const balance = row(c, "label: positive / negative");
    assert.equal(balance.status, "differs");
    assert.match(balance.why, /another file than the workshop's churn\.txt/);
    assert.equal(row(c, "strongest correlation").status, "not comparable");
    const auc = row(c, "test ROC AUC");
    assert.deepEqual(
      [auc.status, auc.why],
      ["not comparable", "this run used another file than the workshop's churn.txt: another test set"],
      "an AUC on another test set is not compared",
    );
    assert.equal(row(c, "crosstab Int'l Plan = no, share of False. / True.").here, "not measured");
  });

  it("compares row 31 of the prediction set by score and decision", () => {
    const c = workshopComparison("1.1", prepOnChurn());
    const r31 = row(c, "row 31: score, pred");
    assert.equal(r31.workshop, "952, 1 (AutoGluon's ensemble)");
    assert.equal(r31.here, "889, 1");
    assert.equal(r31.status, "close", "the same decision");
    assert.match(r31.why, /scores this row 889; the same decision at 500\./);
    const frame = pl.DataFrame({ row_id: [2327, 31], score: [27, 889], pred: [0, 1] });
    assert.deepEqual(
      workshopComparison("1.1", { ...prepOnChurn(), predictionSet: frame }).rows.filter((r) =>
        r.what.startsWith("row "),
      ),
      c.rows.filter((r) => r.what.startsWith("row ")),
      "getPredictionSet's DataFrame gives the same rows as its records",
    );
    const absent = workshopComparison("1.1", { ...prepOnChurn(), predictionSet: [] });
    assert.equal(row(absent, "row 31: score, pred").status, "not comparable");
  });

  it("builds notebook 1.2's table from its leaderboard and the ensemble's explanation", () => {
    const m: LeaderboardMeasured = {
      source: "file",
      best: "XGBoost",
      test: {
        auc: 0.99285,
        accuracy: 0.966,
        f1: 0.96712,
        confusion: [
          [233, 13],
          [4, 250],
        ],
      },
      leaderboard: [
        { model: "XGBoost", score_val: 0.99288, score_test: 0.99285, fit_time: 0.6, weights: null },
        {
          model: "WeightedEnsemble_L2",
          score_val: 0.99288,
          score_test: 0.99285,
          fit_time: 0.7,
          weights: { XGBoost: 1, Prior: 0 },
        },
        { model: "Prior", score_val: 0.5, score_test: 0.5, fit_time: 0.0, weights: null },
      ],
      ensemble: { singleModel: true, text: "WeightedEnsemble_L2 is XGBoost alone (weight 1): ..." },
      predictionSet: [{ row_id: 31, score: 952, pred: 1 }],
      importance: { rows: [{ feature: "Night Calls", importance: 0.09 }] },
    };
    const c = workshopComparison("1.2", m);
    assert.equal(row(c, "test labels: 0 / 1").status, "same");
    assert.equal(row(c, "XGBoost test ROC AUC").status, "close");
    const weights = row(c, "WeightedEnsemble_L2 weights");
    assert.equal(weights.here, "XGBoost: 1");
    assert.equal(weights.why, m.ensemble!.text);
    const confusion = row(c, "confusion matrix at 0.5 [[TN, FP], [FN, TP]]");
    assert.equal(confusion.status, "differs");
    assert.match(confusion.why, /^17 errors here against 19/);
    assert.equal(
      row(c, "compute_f1's 'ROC_AUC' (hard labels = balanced accuracy)").here,
      "0.9657",
      "(233/246 + 250/254)/2",
    );
    assert.equal(row(c, "row 31: score, pred").status, "same");
    assert.equal(row(c, "row 2327: score, pred").status, "not comparable");
    assert.equal(row(c, "most important feature (permutation, test AUC drop)").status, "same");
    assert.match(c[JUPYTER_DISPLAY]()["text/html"] as string, /class="mldp-workshop-comparison"/);
    const other = workshopComparison("1.2", {
      ...m,
      test: {
        ...m.test,
        confusion: [
          [140, 10],
          [5, 145],
        ],
      },
    });
    assert.equal(row(other, "XGBoost test ROC AUC").status, "not comparable", "another test set");
    assert.equal(row(other, "confusion matrix at 0.5 [[TN, FP], [FN, TP]]").status, "not comparable");
    assert.equal(row(other, "WeightedEnsemble_L2 weights").why, m.ensemble!.text, "the ensemble's reason stays");
  });

  it("maps the workshop's environment to this one", () => {
    const c = workshopComparison("0", {
      node: "20.20.2",
      tslab: "1.0.22",
      tslabTypeScript: "5.0.4",
      nodejsPolars: "0.25.2",
      jupyterlab: "4.4.0",
    });
    assert.equal(row(c, "data frames").here, "nodejs-polars 0.25.2");
    assert.ok(c.rows.every((r) => r.status === "replaced"));
    assert.match(c.toString(), /^Workshop vs here: the environment/);
  });

  it("rejects an unknown notebook", () => {
    assert.throws(() => workshopComparison("2.1" as never, {} as never), /notebook unknown: "2\.1"/);
  });
});

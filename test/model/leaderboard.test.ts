import assert from "node:assert/strict";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { isPlotlyFigure } from "../../src/util/plotly-bundle";
import type { Matrix } from "../../src/util/matrix";
import type { BinaryClassifier } from "../../src/model/estimator";
import { fitLeaderboard, type LeaderboardData } from "../../src/model/leaderboard";
import { LogisticRegression } from "../../src/model/logistic-regression";
import { PriorClassifier } from "../../src/model/prior";
import { DataPrepError } from "../../src/util/errors";
import { churnSplit, referenceAuc } from "./churn-split";
import { reference } from "../helpers/reference";

// Validation/test AUC of scikit-learn's LogisticRegression(C=1.0) on the standardised split
// (test/fixtures/reference/logistic_regression.json, made by make_logistic_regression.py).
const { validationAuc: SK_VAL_AUC, testAuc: SK_TEST_AUC } = reference("logistic_regression");

/** A model that records the options fit received and predicts a fixed feature, named as asked. */
class FeatureModel implements BinaryClassifier {
  evalRows_?: number;
  constructor(
    readonly name: string,
    readonly column: number,
  ) {}
  fit(_X: Matrix, _y: ArrayLike<number>, options?: { evalSet?: [Matrix, ArrayLike<number>] }): this {
    this.evalRows_ = options?.evalSet?.[0].nRows;
    return this;
  }
  predictProba(X: Matrix): Float64Array {
    const v = Float64Array.from({ length: X.nRows }, (_, r) => X.data[r * X.nCols + this.column]);
    const max = Math.max(...v);
    return v.map((x) => x / max);
  }
}

describe("fitLeaderboard", () => {
  const data: LeaderboardData = churnSplit();
  const board = fitLeaderboard(data, [new PriorClassifier(), new LogisticRegression()], { metric: "roc_auc" });
  const row = (name: string) => board.rows.find((r) => r.model === name)!;

  it("ranks the models and the weighted ensemble by score_val", () => {
    // The ensemble is all LR here, so the score_val tie goes to the faster validation prediction (AutoGluon's rule).
    assert.deepEqual(
      board.rows.map((r) => r.model),
      ["LogisticRegression", "WeightedEnsemble_L2", "Prior"],
      "order",
    );
    for (let i = 1; i < board.rows.length; i++)
      assert.ok(board.rows[i - 1].score_val >= board.rows[i].score_val, `row ${i} sorted`);
  });

  it("scores validation and test with ROC AUC, matching scikit-learn for the logistic regression", () => {
    assert.ok(
      Math.abs(row("LogisticRegression").score_val - SK_VAL_AUC) < 1e-6,
      `LR val ${row("LogisticRegression").score_val}`,
    );
    assert.ok(
      Math.abs(row("LogisticRegression").score_test - SK_TEST_AUC) < 1e-6,
      `LR test ${row("LogisticRegression").score_test}`,
    );
    assert.equal(row("Prior").score_val, 0.5, "a constant scores 0.5");
    const lrTest = board.models.LogisticRegression.predictProba(data.test.X);
    assert.ok(
      Math.abs(row("LogisticRegression").score_test - referenceAuc(data.test.y, lrTest)) < 1e-12,
      "independent rank AUC",
    );
  });

  it("gives the ensemble a validation score at least the best single model's", () => {
    const ens = row("WeightedEnsemble_L2");
    const best = Math.max(row("LogisticRegression").score_val, row("Prior").score_val);
    assert.ok(ens.score_val >= best, `ensemble ${ens.score_val} vs ${best}`);
    assert.deepEqual(ens.weights, { Prior: 0, LogisticRegression: 1 }, "weights");
    assert.equal(board.ensemble?.name, "WeightedEnsemble_L2", "the fitted ensemble is kept");
  });

  it("puts the ensemble first when its mix beats every single model on validation", () => {
    const lrs = [1, 0.001, 1000].map((C) => new LogisticRegression({ C, name: `LR_C${C}` }));
    const b = fitLeaderboard(data, lrs);
    const ens = b.rows[0];
    assert.equal(ens.model, "WeightedEnsemble_L2", "first row");
    assert.ok(ens.score_val > b.rows[1].score_val, `ensemble ${ens.score_val} > best single ${b.rows[1].score_val}`);
    // AutoGluon's selection on sklearn's LRs (test/fixtures/reference/ensemble.json, make_ensemble.py): val 0.945650
    // vs LR_C1 0.944818; weights 10/22, 3/22, 9/22 of 22 kept rounds.
    const AG = reference("ensemble");
    assert.ok(Math.abs(ens.score_val - AG.validationAuc) < 5e-6, `ensemble val ${ens.score_val}`);
    const w = Object.values(ens.weights!);
    assert.ok(
      Math.abs(w.reduce((s, v) => s + v, 0) - 1) < 1e-12 && w.every((v) => v > 0),
      `weights ${JSON.stringify(ens.weights)}`,
    );
  });

  it("times fit and prediction in seconds, the ensemble's including the models it uses", () => {
    for (const r of board.rows) {
      for (const key of [
        "fit_time",
        "pred_time_test",
        "pred_time_val",
        "fit_time_marginal",
        "pred_time_test_marginal",
      ] as const) {
        assert.ok(typeof r[key] === "number" && r[key] > 0 && r[key] < 60, `${r.model} ${key} = ${r[key]}`);
      }
    }
    const ens = row("WeightedEnsemble_L2"),
      lr = row("LogisticRegression");
    assert.ok(
      Math.abs(ens.fit_time - (ens.fit_time_marginal + lr.fit_time)) < 1e-12,
      "cumulative fit time counts the LR only",
    );
    assert.deepEqual([lr.stack_level, ens.stack_level, ens.fit_order], [1, 2, 3], "levels and order");
  });

  it("passes the validation set to fit for early stopping and sorts by score_test on request", () => {
    const models = [new FeatureModel("Day Mins", 2), new FeatureModel("CustServ Calls", 14)];
    const b = fitLeaderboard(data, models, { sortBy: "score_test", ensemble: false });
    assert.equal(models[0].evalRows_, 500, "evalSet is the validation part");
    assert.equal(b.rows.length, 2, "no ensemble row");
    assert.ok(b.rows[0].score_test >= b.rows[1].score_test, "sorted by score_test");
  });

  it("shows an HTML table with escaped names and a text table", () => {
    const evil = new PriorClassifier({ name: `<img src=x onerror="alert(1)">&` });
    const b = fitLeaderboard(data, [evil], { metric: "log_loss" });
    const bundle = b[JUPYTER_DISPLAY]();
    const markup = bundle["text/html"] as string;
    assert.ok(!markup.includes("<img"), "no raw tag");
    assert.ok(
      markup.includes("<td>&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#38;</td>"),
      `escaped name cell: ${markup}`,
    );
    assert.ok(
      b.rows.every((r) => r.score_val < 0),
      "log loss is reported negated (higher is better)",
    );
    const text = board[JUPYTER_DISPLAY]()["text/plain"];
    assert.match(
      text,
      /^leaderboard \(roc_auc, higher is better; times in seconds\)\nmodel +score_test +score_val/,
      text,
    );
    assert.match(text, /WeightedEnsemble_L2 weights: LogisticRegression: 1$/, "weights line");
  });

  it("charts score_val and score_test per model as a plotly bar figure", () => {
    const fig = board.scoreFigure();
    assert.ok(isPlotlyFigure(fig), "a plotly figure");
    assert.deepEqual(
      fig.data.map((t) => [t.type, t.name]),
      [
        ["bar", "score_val"],
        ["bar", "score_test"],
      ],
      "two bar traces",
    );
    assert.deepEqual(
      fig.data[0].x,
      board.rows.map((r) => r.model),
      "leaderboard order",
    );
    assert.deepEqual(
      fig.data[1].y,
      board.rows.map((r) => r.score_test),
      "test scores",
    );
  });

  it("rejects bad input with clear errors", () => {
    assert.throws(() => fitLeaderboard(data, []), /models is empty/, "no models");
    assert.throws(
      () => fitLeaderboard(data, [new PriorClassifier(), new PriorClassifier()]),
      /model name is repeated: "Prior"/,
      "duplicate",
    );
    assert.throws(
      () => fitLeaderboard(data, [new PriorClassifier()], { metric: "f2" as never }),
      /metric is unknown: "f2"/,
      "metric",
    );
    const bad = churnSplit();
    bad.validation.y[4] = 3;
    assert.throws(
      () => fitLeaderboard(bad, [new PriorClassifier()]),
      /validation.y\[4\] is not a binary label: 3/,
      "labels",
    );
    const short = churnSplit();
    short.test.y = short.test.y.subarray(0, 499);
    assert.throws(
      () => fitLeaderboard(short, [new PriorClassifier()]),
      /test.y and X have different lengths: 499 vs 500 rows/,
      "lengths",
    );
    const nan = churnSplit();
    nan.train.X.data[17 * 19 + 2] = NaN;
    assert.throws(
      () => fitLeaderboard(nan, [new LogisticRegression()]),
      (e: Error) =>
        e instanceof DataPrepError &&
        e.message ===
          'model "LogisticRegression" failed to fit: feature 2 ("Day Mins") has NaN at row 17 (expected no missing values; impute first)',
      "NaN names the model, feature and row",
    );
  });
});

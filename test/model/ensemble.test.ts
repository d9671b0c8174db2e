import assert from "node:assert/strict";
import { ensembleSelection, WeightedEnsemble } from "../../src/model/ensemble";
import { LogisticRegression } from "../../src/model/logistic-regression";
import { PriorClassifier } from "../../src/model/prior";
import { NotFittedError } from "../../src/util/errors";
import { churnSplit, referenceAuc } from "./churn-split";
import { reference } from "../helpers/reference";

/** Fresh validation predictions: labels, a perfect model, a noisy one and a constant one. */
function constructed() {
  const y = [0, 0, 0, 1, 1, 1, 0, 1, 0, 1];
  const perfect = y.map((v, i) => (v ? 0.6 + i / 100 : 0.4 - i / 100));
  const noisy = [0.3, 0.7, 0.2, 0.6, 0.4, 0.9, 0.5, 0.35, 0.1, 0.8];
  const constant = y.map(() => 0.5);
  return { y, perfect, noisy, constant };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe("ensembleSelection", () => {
  it("puts all the weight on a perfect model", () => {
    const { y, perfect, noisy, constant } = constructed();
    const result = ensembleSelection([noisy, perfect, constant], y);
    assert.deepEqual(Array.from(result.weights), [0, 1, 0], "weights");
    assert.equal(result.score, 1, "validation AUC");
    assert.deepEqual(result.indices, [1], "cut back to the first best round");
  });

  it("gives weights that sum to 1 and is deterministic", () => {
    const { train, validation } = churnSplit();
    const lr = new LogisticRegression().fit(train.X, train.y);
    const strong = new LogisticRegression({ C: 0.001 }).fit(train.X, train.y);
    const preds = [lr.predictProba(validation.X), strong.predictProba(validation.X)];
    const a = ensembleSelection(preds, validation.y);
    const b = ensembleSelection(
      preds.map((p) => Float64Array.from(p)),
      Float64Array.from(validation.y),
    );
    assert.ok(Math.abs(sum(a.weights) - 1) < 1e-12, `weights sum ${sum(a.weights)}`);
    assert.deepEqual(a, b, "same inputs, same selection");
    assert.ok(a.indices.length >= 1 && a.indices.length <= 25, `kept rounds ${a.indices.length}`);
  });

  it("scores at least as well on validation as the best single model", () => {
    const { train, validation } = churnSplit();
    const models = [0.001, 0.03, 1].map((C) => new LogisticRegression({ C }).fit(train.X, train.y));
    const preds = models.map((m) => m.predictProba(validation.X));
    const single = Math.max(...preds.map((p) => referenceAuc(validation.y, p)));
    const result = ensembleSelection(preds, validation.y);
    assert.ok(result.score >= single - 1e-12, `ensemble ${result.score} vs best single ${single}`);
    assert.equal(result.trajectory.at(-1), Math.max(...result.trajectory), "cut at the best round");
  });

  it("picks the same rounds as AutoGluon's EnsembleSelection on three churn models", () => {
    // Reference: test/fixtures/reference/ensemble.json, made by make_ensemble.py: AutoGluon's
    // EnsembleSelection._fit written out with numpy, sklearn roc_auc_score and RandomState(0) tie-breaks, on
    // the validation probabilities of sklearn's logistic regressions with the same C values (ours agree to 1e-6).
    // Picks [0, 0, 1, 2, 0, 2, 2, 0, 2, 2, 0, 1, 2, 2, 0, 0, 0, 2, 0, 1, 2, 0], weights 10/22, 3/22, 9/22.
    const AG = reference("ensemble");
    const { train, validation } = churnSplit();
    const preds = (AG.C as number[]).map((C) =>
      new LogisticRegression({ C }).fit(train.X, train.y).predictProba(validation.X),
    );
    const result = ensembleSelection(preds, validation.y);
    assert.deepEqual(result.indices, AG.indices, `picks, cut at round ${AG.indices.length} of ${AG.rounds}`);
    assert.deepEqual(Array.from(result.weights), AG.weights, "weights");
    assert.deepEqual(Array.from(result.weights), [10 / 22, 3 / 22, 9 / 22], "weights as fractions");
    assert.ok(
      Math.abs(result.score - AG.validationAuc) < 5e-7,
      `validation AUC ${result.score} (AutoGluon's, on sklearn's probabilities: ${AG.validationAuc})`,
    );
  });

  it("mixes two complementary models", () => {
    // Each model ranks one half of the rows right and is flat on the other half.
    const y = [0, 1, 0, 1, 0, 1, 0, 1];
    const a = [0.1, 0.9, 0.2, 0.8, 0.5, 0.5, 0.5, 0.5];
    const b = [0.5, 0.5, 0.5, 0.5, 0.3, 0.7, 0.2, 0.6];
    const result = ensembleSelection([a, b], y);
    assert.ok(result.weights[0] > 0 && result.weights[1] > 0, `both used: ${Array.from(result.weights)}`);
    assert.equal(result.score, 1, "the mix ranks every pair");
  });

  it("rejects empty, mismatched and non-probability inputs", () => {
    const { y, perfect } = constructed();
    assert.throws(() => ensembleSelection([], y), /predictions is empty/, "no models");
    assert.throws(
      () => ensembleSelection([perfect.slice(1)], y),
      /yTrue and predictions\[0\] have different lengths: 10 vs 9/,
      "length",
    );
    assert.throws(
      () => ensembleSelection([perfect.map((v) => v * 3)], y),
      /predictions\[0\]\[0\] is out of range: 1.2/,
      "range",
    );
    assert.throws(
      () =>
        ensembleSelection(
          [perfect],
          y.map((v) => v * 2),
        ),
      /y\[3\] is not a binary label: 2/,
      "labels",
    );
    assert.throws(() => ensembleSelection([perfect], y, { ensembleSize: 0 }), /ensembleSize is invalid: 0/, "size");
    assert.throws(
      () => ensembleSelection([perfect], y, { metric: "gini" as never }),
      /metric is unknown: "gini"/,
      "metric",
    );
  });
});

describe("WeightedEnsemble", () => {
  it("predicts the weighted average of its models' probabilities", () => {
    const { train, validation, test } = churnSplit();
    const lr = new LogisticRegression().fit(train.X, train.y);
    const prior = new PriorClassifier().fit(train.X, train.y);
    const ens = new WeightedEnsemble([prior, lr]).fit(validation.X, validation.y);
    const w = ens.weightsByModel();
    assert.deepEqual(w, { Prior: 0, LogisticRegression: 1 }, "the constant prior adds nothing to AUC");
    assert.deepEqual(ens.predictProba(test.X), lr.predictProba(test.X), "all weight on the LR");
  });

  it("throws NotFittedError before fit and checks the prediction count", () => {
    const ens = new WeightedEnsemble([new PriorClassifier()]);
    assert.throws(
      () => ens.predictProba({ data: new Float64Array(2), nRows: 1, nCols: 2 }),
      NotFittedError,
      "predict before fit",
    );
    assert.throws(
      () => ens.fitPredictions([[0.5], [0.5]], [1]),
      /predictions count is wrong: 2 \(expected one per model, 1\)/,
      "count",
    );
  });
});

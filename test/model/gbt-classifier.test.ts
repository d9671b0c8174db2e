import assert from "node:assert/strict";
import { GbtClassifier } from "../../src/model/gbt-classifier";
import { NotFittedError } from "../../src/util/errors";
import { churnSplit, referenceAuc } from "./churn-split";

describe("GbtClassifier", () => {
  it("stops early on the eval set and ranks churn test rows like the workshop's XGBoost", () => {
    const { train, validation, test } = churnSplit();
    const gbt = new GbtClassifier({ eta: 0.1, num_round: 1000, early_stopping_rounds: 50 });
    assert.equal(gbt.fit(train.X, train.y, { evalSet: [validation.X, validation.y] }), gbt, "fit returns this");
    const best = gbt.booster_!.bestIteration_!;
    assert.ok(best < 950, `stopped early at best round ${best}`);
    const p = gbt.predictProba(test.X);
    assert.ok(p instanceof Float64Array && p.length === 500, "500 probabilities");
    // Workshop (AutoGluon XGBoost on the same split): test AUC 0.99334; measured here 0.99291.
    const auc = referenceAuc(test.y, p);
    assert.ok(auc > 0.99, `test AUC ${auc}`);
  });

  it("asks for an eval set when early stopping is on, and for fit before predictProba", () => {
    const { train, test } = churnSplit();
    assert.throws(
      () => new GbtClassifier({ early_stopping_rounds: 10 }).fit(train.X, train.y),
      /evalSet is missing: early_stopping_rounds = 10/,
      "no eval set",
    );
    assert.throws(() => new GbtClassifier().predictProba(test.X), NotFittedError, "not fitted");
  });
});

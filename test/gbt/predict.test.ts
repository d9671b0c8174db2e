import assert from "node:assert/strict";
import type { GBTModel, RegTree } from "../../src/gbt/model";
import { matrix } from "../../src/util/matrix";
import { predict, predictMargin } from "../../src/gbt/predict";
import { SchemaError } from "../../src/util/errors";

/** One split on feature 0 at `threshold`: left leaf -1, right leaf +1; NaN goes left. */
function stump(threshold: number): RegTree {
  return {
    left: Int32Array.from([1, -1, -1]),
    right: Int32Array.from([2, -1, -1]),
    parent: Int32Array.from([-1, 0, 0]),
    splitIndex: Int32Array.from([0, 0, 0]),
    splitCondition: Float32Array.from([threshold, -1, 1]),
    defaultLeft: Uint8Array.from([1, 0, 0]),
    baseWeight: new Float32Array(3),
    lossChange: new Float32Array(3),
    sumHessian: new Float32Array(3),
  };
}

function model(trees: RegTree[], extra: Partial<GBTModel> = {}): GBTModel {
  return {
    objective: "binary:logistic",
    numFeature: 2,
    numGroup: 1,
    baseMargin: 0.5,
    trees,
    treeGroup: new Int32Array(trees.length),
    featureNames: [],
    ...extra,
  };
}

describe("predictMargin", () => {
  it("goes left when x < threshold, follows the default direction for NaN and adds leaves to the base margin", () => {
    const m = predictMargin(model([stump(2), stump(5)]), matrix([1, 0, 3, 0, NaN, 0, 9, 0], 4, 2));
    assert.deepEqual(Array.from(m), [-1.5, 0.5, -1.5, 2.5], "x=1: -1-1; x=3: +1-1; NaN: left twice; x=9: +1+1");
  });

  it("compares feature values as float32 like XGBoost", () => {
    // 0.1 < fround(0.1) in float64, but equal in float32: XGBoost sends it right.
    const m = predictMargin(model([stump(0.1)]), matrix([0.1, 0], 1, 2));
    assert.equal(m[0], 1.5, "0.1 is not < float32(0.1)");
  });

  it("uses the best iteration when early stopping ran, or the iteration range asked for", () => {
    const mdl = model([stump(2), stump(2), stump(2)], { bestIteration: 0 });
    const X = matrix([9, 0], 1, 2);
    assert.equal(predictMargin(mdl, X)[0], 1.5, "rounds 0..bestIteration");
    assert.equal(predictMargin(mdl, X, { iterationRange: [0, 3] })[0], 3.5, "all three rounds");
    assert.throws(() => predictMargin(mdl, X, { iterationRange: [0, 4] }), /iteration range is invalid: \[0, 4\)/);
  });

  it("throws on a feature-count mismatch, naming expected and got", () => {
    assert.throws(
      () => predictMargin(model([stump(2)]), matrix([1, 2, 3], 1, 3)),
      (e: Error) =>
        e instanceof SchemaError &&
        e.message === "feature count is wrong: got 3 columns (expected 2, as in the training data)",
    );
  });
});

describe("predict", () => {
  it("applies the sigmoid for binary:logistic and softmax for multi:softprob", () => {
    const p = predict(model([stump(2)]), matrix([9, 0], 1, 2));
    assert.equal(p[0], Math.fround(1 / (1 + Math.exp(-1.5))), "sigmoid(0.5 + 1)");
    const multi = model([stump(2), stump(5)], {
      objective: "multi:softprob",
      numGroup: 2,
      treeGroup: Int32Array.from([0, 1]),
      groupBaseMargin: [0, 0],
    });
    const q = predict(multi, matrix([3, 0], 1, 2));
    assert.ok(Math.abs(q[0] - 1 / (1 + Math.exp(-2))) < 1e-7, `softmax(1, -1)[0] = ${q[0]}`);
    assert.ok(Math.abs(q[0] + q[1] - 1) < 1e-7, "probabilities sum to 1");
  });
});

import assert from "node:assert/strict";
import type { GBTModel } from "../../src/gbt/model";
import { treeShap } from "../../src/gbt/tree-shap";
import { churnTest, expectedMatrix, readExpected, readFixtureModel, walkMargins } from "./fixture-model";

/**
 * Depth-2 tree: f0 < 0.5 at the root (cover 10), then f1 < 0.5 on both sides.
 * Leaves (value, cover): node3 (1, 2), node4 (3, 4), node5 (4, 1), node6 (8, 3); NaN f0 goes right.
 */
function handTree(): GBTModel {
  const leaf = -1;
  return {
    objective: "reg:squarederror",
    numFeature: 2,
    numGroup: 1,
    baseMargin: 0.5,
    featureNames: ["a", "b"],
    treeGroup: Int32Array.of(0),
    trees: [
      {
        left: Int32Array.of(1, 3, 5, leaf, leaf, leaf, leaf),
        right: Int32Array.of(2, 4, 6, leaf, leaf, leaf, leaf),
        parent: Int32Array.of(-1, 0, 0, 1, 1, 2, 2),
        splitIndex: Int32Array.of(0, 1, 1, 0, 0, 0, 0),
        splitCondition: Float32Array.of(0.5, 0.5, 0.5, 1, 3, 4, 8),
        defaultLeft: Uint8Array.of(0, 1, 1, 0, 0, 0, 0),
        baseWeight: new Float32Array(7),
        lossChange: Float32Array.of(9, 5, 2, 0, 0, 0, 0),
        sumHessian: Float32Array.of(10, 6, 4, 2, 4, 1, 3),
      },
    ],
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "same length");
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Per row and group: sum of contributions (bias included). */
function rowSums(values: ArrayLike<number>, stride: number): Float64Array {
  const out = new Float64Array(values.length / stride);
  for (let i = 0; i < out.length; i++) for (let j = 0; j < stride; j++) out[i] += values[i * stride + j];
  return out;
}

describe("treeShap", () => {
  it("gives the hand-computed Shapley values of a depth-2 tree", () => {
    // v(∅) = E f = (2·1 + 4·3 + 1·4 + 3·8) / 10 = 4.2. Row (0, 1): v({a}) = 14/6, v({b}) = .6·3 + .4·8 = 5, f = 3,
    // so phi_a = ½[(14/6 − 4.2) + (3 − 5)] = −1.93333, phi_b = ½[(5 − 4.2) + (3 − 14/6)] = 0.73333.
    // Row (NaN, 0) goes right then left: v({a}) = 7, v({b}) = .6·1 + .4·4 = 2.2, f = 4: phi_a = 2.3, phi_b = −2.5.
    const X = { data: Float64Array.of(0, 1, NaN, 0), nRows: 2, nCols: 2 };
    const shap = treeShap(handTree(), X);
    const want = [-29 / 15, 11 / 15, 4.7, 2.3, -2.5, 4.7];
    assert.ok(maxAbsDiff(shap.values, want) < 1e-6, `values ${Array.from(shap.values)} vs ${want}`);
    assert.deepEqual(Array.from(shap.expectedValue), [4.7], "expected value = base 0.5 + 4.2");
    assert.deepEqual(shap.featureNames, ["a", "b"], "names from the model");
  });

  it("matches xgboost pred_contribs on the workshop churn model (500 test rows) and adds up to the margin", () => {
    const { model } = readFixtureModel("churn-binary.json");
    const e = readExpected("churn-binary.expected.json");
    const { X } = churnTest();
    assert.deepEqual(X.columns, e.feature_names, "TS pipeline gives the fixture's 19 columns");
    const sums = rowSums(X.data, X.nCols);
    assert.ok(
      maxAbsDiff(sums, e.x_row_sums ?? []) < 1e-9,
      "TS test split equals the Python-built test split (row sums)",
    );

    const shap = treeShap(model, X);
    assert.equal(shap.values.length, 500 * 20, "500 rows × (19 + bias)");
    const margin = walkMargins(model, X, new Float64Array([model.baseMargin]));
    const dSum = maxAbsDiff(rowSums(shap.values, 20), margin);
    const dMargin = maxAbsDiff(margin, e.margin);
    const dShap = maxAbsDiff(shap.values, e.contribs);
    assert.ok(dSum < 1e-6, `sum of contributions − margin: ${dSum}`);
    assert.ok(dMargin < 1e-4, `walked margin − xgboost margin: ${dMargin}`);
    assert.ok(dShap < 1e-4, `contributions − xgboost pred_contribs: ${dShap}`);
  });

  for (const name of ["multi-nan", "reg-nan"]) {
    it(`matches xgboost pred_contribs with missing values (${name})`, () => {
      const { model, intercepts } = readFixtureModel(`${name}.json`);
      const e = readExpected(`${name}.expected.json`);
      const X = expectedMatrix(e);
      let missing = 0;
      for (const v of X.data) if (Number.isNaN(v)) missing++;
      assert.ok(missing > 100, `the rows have missing values: ${missing}`);
      const shap = treeShap(model, X);
      assert.equal(shap.nGroups, model.numGroup, "one block per output group");
      assert.deepEqual(
        Array.from(treeShap(model, X, { baseMargin: intercepts }).values),
        Array.from(shap.values),
        "intercepts default to the model's",
      );
      const margin = walkMargins(model, X, intercepts);
      assert.ok(maxAbsDiff(rowSums(shap.values, 20), margin) < 1e-6, "contributions add up to the margin");
      assert.ok(
        maxAbsDiff(margin, e.margin) < 1e-3 * Math.max(1, Math.abs(intercepts[0])),
        "walked margin = xgboost margin",
      );
      const d = maxAbsDiff(shap.values, e.contribs);
      assert.ok(d < 1e-4 * Math.max(1, Math.abs(intercepts[0])), `contributions − xgboost: ${d}`);
    });
  }

  it("rejects a matrix whose width is not the model's", () => {
    const X = { data: new Float64Array(3), nRows: 1, nCols: 3 };
    assert.throws(
      () => treeShap(handTree(), X),
      (err: Error) =>
        err instanceof RangeError &&
        /X column count does not match the model: 3 \(expected numFeature = 2\)/.test(err.message),
      "width",
    );
    assert.throws(
      () => treeShap(handTree(), { data: new Float64Array(2), nRows: 1, nCols: 2 }, { baseMargin: [1, 2] }),
      /baseMargin length/,
      "intercepts",
    );
  });
});

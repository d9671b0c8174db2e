import assert from "node:assert/strict";
import { Booster } from "../../src/gbt/train";
import { matrix } from "../../src/util/matrix";
import { auc } from "../../src/eval/eval-metrics";
import { xgboostJSONText } from "../../src/gbt/xgboost-json";
import { NotFittedError, SchemaError } from "../../src/util/errors";
import { churnSplit, readF64, runPython, tempDir, WORKSHOP_PARAMS, writeF64 } from "./helpers";

describe("Booster", () => {
  it("scores a test AUC within 0.005 of Python xgboost 3.2.0 on the workshop churn split", () => {
    const { train, test } = churnSplit();
    const ours = auc(test.y, new Booster({ ...WORKSHOP_PARAMS, seed: 0 }).fit(train.X, train.y).predict(test.X));
    const dir = tempDir();
    writeF64(dir, "X.bin", train.X.data);
    writeF64(dir, "y.bin", train.y);
    writeF64(dir, "Xt.bin", test.X.data);
    runPython(
      dir,
      `
p = dict(objective='binary:logistic', max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=0.8, tree_method='hist', nthread=1, seed=0)
b = xgb.train(p, xgb.DMatrix(ld('X.bin', 19), label=ld('y.bin', 0)), 100)
b.predict(xgb.DMatrix(ld('Xt.bin', 19))).astype(np.float64).tofile('p.bin')`,
    );
    const python = auc(test.y, readF64(dir, "p.bin"));
    // Measured: ours 0.98934, Python 0.98758 (seed 0); AutoGluon's XGBoost scored 0.9933 on this split.
    assert.ok(
      Math.abs(ours - python) <= 0.005,
      `test AUC ours ${ours.toFixed(5)} vs Python xgboost ${python.toFixed(5)} (expected within 0.005)`,
    );
    assert.ok(ours > 0.98, `test AUC ${ours} (expected > 0.98)`);
  });

  it("gives an identical model JSON for the same seed and a different one for another seed", () => {
    const { train } = churnSplit();
    const params = { ...WORKSHOP_PARAMS, num_round: 20, colsample_bytree: 0.7 };
    const a = xgboostJSONText(new Booster({ ...params, seed: 3 }).fit(train.X, train.y).getModel());
    const b = xgboostJSONText(new Booster({ ...params, seed: 3 }).fit(train.X, train.y).getModel());
    const c = xgboostJSONText(new Booster({ ...params, seed: 4 }).fit(train.X, train.y).getModel());
    assert.equal(a, b, "same seed, same model JSON");
    assert.notEqual(a, c, "another seed samples other rows and columns");
  });

  it("stops early on the eval set, records the history and predicts with the best iteration", () => {
    const { train, validation, test } = churnSplit();
    const bst = new Booster({ ...WORKSHOP_PARAMS, num_round: 500, eta: 0.3 }).fit(train.X, train.y, {
      evalSet: [validation.X, validation.y],
      early_stopping_rounds: 10,
      eval_metric: "auc",
    });
    const best = bst.bestIteration_ as number;
    const rounds = bst.getModel().trees.length;
    assert.ok(rounds < 500, `stopped after ${rounds} rounds (expected early stop before 500)`);
    assert.equal(rounds, best + 11, "training runs 10 rounds past the best one");
    assert.equal(bst.evalHistory_.length, rounds, "one eval score per round");
    assert.equal(bst.bestScore_, Math.max(...bst.evalHistory_), "best score is the highest validation AUC");
    assert.deepEqual(
      bst.predict(test.X),
      bst.predict(test.X, { iterationRange: [0, best + 1] }),
      "predict uses rounds 0..best",
    );
    assert.notDeepEqual(
      bst.predict(test.X),
      bst.predict(test.X, { iterationRange: [0, rounds] }),
      "all rounds predict differently",
    );
  });

  it("computes XGBoost's leaf weight -G/(H+lambda) with alpha soft-thresholding, times eta", () => {
    // reg:squarederror from base_score 0: g = -y, h = 1; one leaf over 4 rows: G = -10, H = 4.
    const X = matrix([0, 0, 0, 0], 4, 1);
    const y = [1, 2, 3, 4];
    const leaf = (params: object) =>
      new Booster({ objective: "reg:squarederror", num_round: 1, base_score: 0, ...params }).fit(X, y).getModel()
        .trees[0].splitCondition[0];
    assert.equal(leaf({ eta: 0.5, lambda: 1 }), Math.fround((0.5 * 10) / 5), "eta * -G / (H + lambda)");
    assert.equal(leaf({ eta: 0.5, lambda: 1, alpha: 2 }), Math.fround((0.5 * 8) / 5), "alpha shrinks |G| by 2");
  });

  it("keeps a split only when its gain exceeds gamma and both children meet min_child_weight", () => {
    const X = matrix([1, 2, 3, 4, 5, 6], 6, 1);
    const y = [0, 0, 0, 10, 10, 10];
    const nodes = (params: object) =>
      new Booster({ objective: "reg:squarederror", num_round: 1, max_depth: 1, ...params }).fit(X, y).getModel()
        .trees[0].left.length;
    const tree = new Booster({ objective: "reg:squarederror", num_round: 1, max_depth: 1 }).fit(X, y).getModel()
      .trees[0];
    // Split x < 4: G = -15 | +15, H = 3 | 3, gain = 225/4 + 225/4 - 0/7 = 112.5.
    assert.equal(tree.lossChange[0], 112.5, "XGBoost gain GL^2/(HL+l) + GR^2/(HR+l) - G^2/(H+l)");
    assert.equal(tree.splitCondition[0], 4, "threshold is the cut above the left values");
    assert.equal(nodes({ gamma: 112 }), 3, "gain 112.5 > gamma 112 splits");
    assert.equal(nodes({ gamma: 113 }), 1, "gain 112.5 < gamma 113 keeps one leaf");
    assert.equal(nodes({ min_child_weight: 4 }), 1, "no split leaves 4 rows on each side");
  });

  it("learns a default direction for missing values", () => {
    const X = matrix([1, 2, NaN, NaN, 8, 9], 6, 1);
    const y = [0, 0, 10, 10, 10, 10];
    const tree = new Booster({ objective: "reg:squarederror", num_round: 1, max_depth: 1, min_child_weight: 0 })
      .fit(X, y)
      .getModel().trees[0];
    assert.equal(tree.defaultLeft[0], 0, "NaN rows look like the large values, so missing goes right");
    assert.equal(tree.splitCondition[0], 8, "split between 2 and 8");
  });

  it("fits multi:softprob with one tree per class per round", () => {
    const X = matrix([0, 1, 2, 10, 11, 12, 20, 21, 22], 9, 1);
    const y = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const bst = new Booster({ objective: "multi:softprob", num_class: 3, num_round: 5, min_child_weight: 0 }).fit(X, y);
    const p = bst.predict(X);
    assert.equal(bst.getModel().trees.length, 15, "3 classes x 5 rounds");
    for (let r = 0; r < 9; r++) {
      const row = Array.from(p.subarray(r * 3, r * 3 + 3));
      assert.ok(Math.abs(row[0] + row[1] + row[2] - 1) < 1e-6, `row ${r} probabilities sum to 1`);
      assert.equal(row.indexOf(Math.max(...row)), y[r], `row ${r} predicts its class`);
    }
  });

  it("rejects a single-class label, a NaN label and a wrong label length with clear errors", () => {
    const X = matrix([1, 2, 3], 3, 1);
    assert.throws(
      () => new Booster().fit(X, [0, 0, 0]),
      (e: Error) => e instanceof SchemaError && e.message === "the label has one class only: 0 (expected both 0 and 1)",
    );
    assert.throws(
      () => new Booster().fit(X, [0, NaN, 1]),
      (e: Error) => e instanceof SchemaError && /row 1/.test(e.message),
      "names the NaN row",
    );
    assert.throws(
      () => new Booster().fit(X, [0, 1]),
      (e: Error) => e instanceof RangeError && /expected 3/.test(e.message),
    );
    assert.throws(() => new Booster({ objective: "multi:softprob" }).fit(X, [0, 1, 2]), /num_class is invalid/);
    assert.throws(() => new Booster({ subsample: 0 }).fit(X, [0, 1, 1]), /subsample is invalid: 0/);
  });

  it("throws NotFittedError from predict before fit", () => {
    assert.throws(
      () => new Booster().predict(matrix([1], 1, 1)),
      (e: Error) => e instanceof NotFittedError && /before predict\(\)/.test(e.message),
    );
  });
});

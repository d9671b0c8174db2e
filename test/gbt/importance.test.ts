import assert from "node:assert/strict";
import type { Matrix } from "../../src/util/matrix";
import { featureImportance, permutationImportance, type ImportanceType } from "../../src/gbt/importance";
import { RandomState } from "../../src/util/numpy-random-state";
import { readExpected, readFixtureModel } from "./fixture-model";

const KINDS: ImportanceType[] = ["weight", "gain", "cover", "total_gain", "total_cover"];

/** 400 rows: y = [x0 + noise > 0.5]; x1 and x2 are pure noise. */
function dataset(): { X: Matrix; y: Float64Array } {
  const rng = new RandomState(3);
  const n = 400;
  const data = new Float64Array(n * 3).map(() => rng.random());
  const y = new Float64Array(n).map((_, i) => (data[i * 3] + 0.2 * (rng.random() - 0.5) > 0.5 ? 1 : 0));
  return { X: { data, nRows: n, nCols: 3, columns: ["signal", "noise", "unused"] }, y };
}

// A "model" that mostly follows x0 and slightly the noise column; x2 is ignored.
const predict = (X: Matrix): Float64Array => {
  const out = new Float64Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) out[i] = X.data[i * 3] + 0.02 * X.data[i * 3 + 1];
  return out;
};

describe("featureImportance", () => {
  for (const fixture of ["churn-binary", "multi-nan"]) {
    it(`equals xgboost get_score for every importance type (${fixture})`, () => {
      const { model } = readFixtureModel(`${fixture}.json`);
      const scores = readExpected(`${fixture}.expected.json`).scores;
      for (const kind of KINDS) {
        const ours = featureImportance(model, kind);
        const theirs = scores[kind];
        assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), `${kind}: same features`);
        for (const [f, v] of Object.entries(theirs)) {
          const rel = Math.abs(ours[f] - v) / Math.max(1, Math.abs(v));
          assert.ok(rel < 1e-6, `${kind} of ${f}: ${ours[f]} vs xgboost ${v}`);
        }
      }
    });
  }

  it("counts splits on the workshop model (weight) and rejects an unknown type", () => {
    const { model } = readFixtureModel("churn-binary.json");
    const weight = featureImportance(model);
    const splits = model.trees.reduce((s, t) => s + t.left.filter((l) => l !== -1).length, 0);
    assert.equal(
      Object.values(weight).reduce((a, b) => a + b, 0),
      splits,
      "weights add up to the number of split nodes",
    );
    assert.throws(
      () => featureImportance(model, "split" as ImportanceType),
      /importance type is unknown: "split"/,
      "unknown kind",
    );
  });
});

describe("permutationImportance", () => {
  it("ranks the signal feature first and gives a pure-noise feature ≈ 0", () => {
    const { X, y } = dataset();
    const before = X.data.slice();
    const fi = permutationImportance(predict, X, y, { seed: 0 });
    assert.ok(fi.baseline > 0.95, `baseline AUC ${fi.baseline}`);
    assert.equal(fi.rows[0].feature, "signal", "signal first");
    assert.ok(fi.rows[0].importance > 0.3, `signal importance ${fi.rows[0].importance}`);
    const noise = fi.rows.find((r) => r.feature === "noise")!;
    const unused = fi.rows.find((r) => r.feature === "unused")!;
    assert.ok(Math.abs(noise.importance) < 0.01, `noise importance ${noise.importance}`);
    assert.equal(unused.importance, 0, "a column the model ignores has exactly 0");
    assert.equal(fi.rows[0].n, 3, "3 shuffle sets by default");
    assert.ok(fi.rows[0].stddev > 0 && fi.rows[0].stddev < 0.05, `stddev ${fi.rows[0].stddev}`);
    assert.deepEqual(X.data, before, "X is not modified");
  });

  it("is deterministic for a seed and takes any metric", () => {
    const { X, y } = dataset();
    const a = permutationImportance(predict, X, y, { seed: 5, repeats: 2 });
    const b = permutationImportance(predict, X, y, { seed: 5, repeats: 2 });
    const c = permutationImportance(predict, X, y, { seed: 6, repeats: 2 });
    assert.deepEqual(a, b, "same seed, same result");
    assert.notEqual(a.rows[0].importance, c.rows[0].importance, "another seed shuffles differently");
    const accuracy = (t: ArrayLike<number>, p: ArrayLike<number>) => {
      let ok = 0;
      for (let i = 0; i < t.length; i++) ok += Number((p[i] > 0.5 ? 1 : 0) === t[i]);
      return ok / t.length;
    };
    const acc = permutationImportance(predict, X, y, { metric: accuracy, repeats: 1 });
    assert.ok(acc.baseline > 0.9 && acc.rows[0].feature === "signal", `accuracy baseline ${acc.baseline}`);
    assert.equal(acc.rows[0].stddev, 0, "one shuffle set has no spread");
  });

  it("rejects mismatched labels and bad repeats", () => {
    const { X, y } = dataset();
    assert.throws(
      () => permutationImportance(predict, X, y.subarray(1)),
      /y length does not match X: 399 \(expected 400 rows\)/,
      "length",
    );
    assert.throws(() => permutationImportance(predict, X, y, { repeats: 0 }), RangeError, "repeats");
    assert.throws(
      () => permutationImportance(predict, X, new Float64Array(400)),
      /only one class present/,
      "AUC of one class",
    );
  });
});

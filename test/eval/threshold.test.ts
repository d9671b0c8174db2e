import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  CHURN_COSTS,
  classificationCost,
  getPredictionSet,
  thresholdSweep,
  workshopCutoffs,
} from "../../src/eval/threshold";
import { reference } from "../helpers/reference";

// Four negatives and four positives; every cutoff's confusion matrix can be read off by hand.
const y = () => [0, 0, 0, 0, 1, 1, 1, 1];
const p = () => [0.1, 0.2, 0.3, 0.6, 0.4, 0.7, 0.8, 0.9];

describe("getPredictionSet", () => {
  it("scores int(prob × 1000) and predicts score >= 500 like the workshop", () => {
    const df = getPredictionSet([0.9521, 0.0237, 0.5, 0.4999, 1, 0]);
    assert.deepEqual(df.columns, ["score", "pred"], "columns");
    assert.equal(String(df.getColumn("score").dtype), String(pl.Int32), "score dtype");
    assert.deepEqual(
      Array.from(df.getColumn("score").toArray() as number[]),
      [952, 23, 500, 499, 1000, 0],
      "scores (A.6: 0.952x → 952)",
    );
    assert.deepEqual(Array.from(df.getColumn("pred").toArray() as number[]), [1, 0, 1, 0, 1, 0], "pred at 500");
  });

  it("uses the threshold given and validates the probabilities", () => {
    const df = getPredictionSet([0.9521, 0.55], { threshold: 600 });
    assert.deepEqual(Array.from(df.getColumn("pred").toArray() as number[]), [1, 0], "pred at 600");
    assert.throws(() => getPredictionSet([0.2, NaN]), /prob\[1\] is NaN/);
    assert.throws(() => getPredictionSet([0.2], { threshold: NaN }), RangeError);
  });

  it("keeps the row ids first when given, so a workshop row such as 31 can be looked up", () => {
    // The workshop's table was indexed by the original row (A.6: index 31 → 952/1, 2327 → 23/0).
    const df = getPredictionSet([0.0237, 0.9521], { rowIds: Int32Array.from([2327, 31]) });
    assert.deepEqual(df.columns, ["row_id", "score", "pred"], "row_id first");
    assert.deepEqual(df.filter(pl.col("row_id").eq(31)).toRecords(), [{ row_id: 31, score: 952, pred: 1 }], "row 31");
    assert.deepEqual(df.filter(pl.col("row_id").eq(2327)).toRecords(), [{ row_id: 2327, score: 23, pred: 0 }]);
    assert.throws(() => getPredictionSet([0.1, 0.2], { rowIds: [7] }), /rowIds length is wrong: 1 \(expected 2/);
    assert.throws(() => getPredictionSet([0.1], { rowIds: [1.5] }), /rowIds\[0\] is not an integer: 1\.5/);
  });
});

describe("classificationCost", () => {
  it("is TN·c00 + FP·c01 + FN·c10 + TP·c11", () => {
    assert.equal(
      classificationCost({ tn: 1, fp: 2, fn: 3, tp: 4 }, [
        [1000, 100],
        [10, 1],
      ]),
      1000 + 200 + 30 + 4,
      "distinct weights",
    );
    assert.equal(
      classificationCost({ tn: 231, fp: 15, fn: 4, tp: 250 }, CHURN_COSTS),
      28500,
      "the AutoGluon test matrix",
    );
    // The reference notebook's own matrices (A.5): cutoff 0.5 and cutoff 0.3, both above its $29,200 minimum.
    assert.equal(classificationCost({ tn: 235, fp: 18, fn: 9, tp: 238 }, CHURN_COSTS), 30100, "reference, cutoff 0.5");
    assert.equal(classificationCost({ tn: 215, fp: 38, fn: 3, tp: 244 }, CHURN_COSTS), 29700, "reference, cutoff 0.3");
  });

  it("rejects a cost matrix that is not 2×2", () => {
    assert.throws(
      () => classificationCost({ tn: 1, fp: 0, fn: 0, tp: 0 }, [[0, 1]] as never),
      /costs is not a 2×2 matrix/,
    );
  });
});

describe("workshopCutoffs", () => {
  it("equals np.arange(0.01, 1, 0.01) bit for bit", () => {
    const c = workshopCutoffs();
    // test/fixtures/reference/metrics.json "cutoffs", made by make_metrics.py (numpy 2.4.6):
    // length 99; [0.01, 0.29000000000000004, 0.3, 0.37, 0.99] at indices [0, 28, 29, 36, 98]
    const { length, indices, values } = reference("metrics").cutoffs;
    assert.equal(c.length, length, "count");
    assert.deepEqual(
      indices.map((i: number) => c[i]),
      values,
      "selected values",
    );
  });
});

describe("thresholdSweep", () => {
  it("prices every cutoff and finds the hand-computed minimum (prob > cutoff)", () => {
    const sweep = thresholdSweep(y(), p(), { costs: CHURN_COSTS });
    // the cutoff nearest c (0.15 is 0.15000000000000002)
    const at = (c: number) => sweep.costs[Math.round(c * 100) - 1];
    // All predicted positive: FP 4, TP 4 → 800. Above 0.3 only the negative 0.6 is a false positive → 500.
    assert.deepEqual(
      [at(0.05), at(0.15), at(0.25), at(0.35), at(0.5), at(0.65), at(0.75), at(0.99)],
      [800, 700, 600, 500, 900, 800, 1200, 2000],
      "costs",
    );
    assert.equal(sweep.best.threshold, 0.3, "first cheapest cutoff (np.argmin)");
    assert.equal(sweep.best.cost, 500, "minimum cost");
    assert.deepEqual(sweep.best.counts, { tn: 3, fp: 1, fn: 0, tp: 4 }, "counts at the minimum");
    assert.equal(sweep.thresholds.length, 99, "default cutoffs");
  });

  it("counts a score equal to the cutoff as positive when strict is false", () => {
    const sweep = thresholdSweep(y(), p(), { strict: false });
    assert.equal(sweep.best.threshold, 0.31, "0.3 itself is now predicted positive at cutoff 0.3");
    assert.equal(sweep.costs[29], 600, "cost at cutoff 0.3 with >=");
  });

  it("agrees with pricing each cutoff one by one on seeded data", () => {
    const n = 2000;
    const yy: number[] = [],
      pp: number[] = [];
    for (let i = 0, x = 12345; i < n; i++) {
      x = (48271 * x) % 2147483647;
      pp.push((x % 1000) / 1000);
      yy.push((x >> 10) % 100 < 20 + pp[i] * 60 ? 1 : 0);
    }
    const thresholds = [0, 0.2, 0.37, 0.5, 0.999, 1];
    const sweep = thresholdSweep(yy, pp, {
      thresholds,
      costs: [
        [1, 100],
        [500, 50],
      ],
    });
    thresholds.forEach((c, k) => {
      const counts = { tn: 0, fp: 0, fn: 0, tp: 0 };
      yy.forEach((v, i) => (pp[i] > c ? (v ? counts.tp++ : counts.fp++) : v ? counts.fn++ : counts.tn++));
      assert.equal(
        sweep.costs[k],
        classificationCost(counts, [
          [1, 100],
          [500, 50],
        ]),
        `cost at ${c}`,
      );
      assert.equal(sweep.tp[k], counts.tp, `tp at ${c}`);
    });
  });

  it("validates its inputs", () => {
    assert.throws(() => thresholdSweep([0, 1], [0.1]), /yTrue and prob have different lengths: 2 vs 1/);
    assert.throws(
      () => thresholdSweep([0, 1], [0.1, 0.2], { thresholds: [0.5, NaN] }),
      /thresholds\[1\] is not a finite number/,
    );
  });
});

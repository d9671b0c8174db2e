import assert from "node:assert/strict";
import {
  accuracyScore,
  averagePrecisionScore,
  balancedAccuracyScore,
  binaryScores,
  confusionMatrix,
  f1Score,
  logLoss,
  matthewsCorrcoef,
  precisionRecallCurve,
  precisionScore,
  recallScore,
  rocAucScore,
  rocCurve,
  workshopHardLabelAuc,
} from "../../src/eval/metrics";

// Expected values were computed once with scikit-learn 1.9.1 on the same generated data (see
// seeded()); the tests never call Python.

/** MINSTD LCG data: `ties` scores are k/100 (many ties), otherwise k/1000003; P(y=1) grows with the score. */
function seeded(n: number, seed: number, ties: boolean): { y: number[]; p: number[] } {
  const mod = ties ? 101 : 1000003;
  const next = (x: number) => (48271 * x) % 2147483647;
  const y: number[] = [],
    p: number[] = [];
  for (let i = 0, x = seed; i < n; i++) {
    x = next(x);
    const k = x % mod;
    x = next(x);
    p.push(k / (ties ? 100 : mod));
    y.push(x % 100 < 25 + Math.floor((50 * k) / (ties ? 100 : mod)) ? 1 : 0);
  }
  return { y, p };
}
const hard = (p: number[]) => p.map((v) => (v >= 0.5 ? 1 : 0));
const close = (actual: number, expected: number, what: string, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs sklearn ${expected}`);

// The workshop's AutoGluon test confusion matrix [[231, 15], [4, 250]] (A.6) as label/prediction arrays.
function workshopTest(): { y: number[]; pred: number[] } {
  const y = [...Array(246).fill(0), ...Array(254).fill(1)];
  const pred = [...Array(231).fill(0), ...Array(15).fill(1), ...Array(4).fill(0), ...Array(250).fill(1)];
  return { y, pred };
}

describe("binaryScores", () => {
  it("reproduces the workshop's AutoGluon test metrics exactly from its confusion matrix", () => {
    const { y, pred } = workshopTest();
    const s = binaryScores(y, pred);
    assert.deepEqual(
      s.confusion,
      [
        [231, 15],
        [4, 250],
      ],
      "confusion matrix",
    );
    assert.equal(s.accuracy, 0.962, "accuracy");
    assert.equal(s.precision, 0.9433962264150944, "precision");
    assert.equal(s.recall, 0.984251968503937, "recall");
    assert.equal(s.f1, 0.9633911368015414, "f1");
    assert.equal(s.balancedAccuracy, 0.9616381793739197, "balanced accuracy");
    assert.equal(s.mcc, 0.9248243565696255, "mcc");
  });

  it("matches sklearn on seeded data with ties, for either positive label", () => {
    const { y, p } = seeded(300, 20240607, true);
    const pred = hard(p);
    assert.deepEqual(
      confusionMatrix(y, pred),
      [
        [100, 58],
        [47, 95],
      ],
      "confusion_matrix",
    );
    close(accuracyScore(y, pred), 0.65, "accuracy_score");
    close(balancedAccuracyScore(y, pred), 0.6509627384560528, "balanced_accuracy_score");
    close(precisionScore(y, pred), 0.6209150326797386, "precision_score");
    close(recallScore(y, pred), 0.6690140845070423, "recall_score");
    close(f1Score(y, pred), 0.6440677966101694, "f1_score");
    close(matthewsCorrcoef(y, pred), 0.30155608324855415, "matthews_corrcoef");
    close(precisionScore(y, pred, { positiveLabel: 0 }), 0.6802721088435374, "precision_score pos_label=0");
    close(recallScore(y, pred, { positiveLabel: 0 }), 0.6329113924050633, "recall_score pos_label=0");
    close(f1Score(y, pred, { positiveLabel: 0 }), 0.6557377049180327, "f1_score pos_label=0");
    assert.deepEqual(
      binaryScores(y, pred, { positiveLabel: 0 }).confusion,
      [
        [100, 58],
        [47, 95],
      ],
      "confusion stays in label order",
    );
  });

  it("treats booleans as labels and returns 0 where sklearn's zero_division gives 0", () => {
    assert.equal(precisionScore([true, false], [false, false]), 0, "nothing predicted positive");
    assert.equal(f1Score([false, false], [false, false]), 0, "no positives at all");
    assert.equal(matthewsCorrcoef([0, 1, 1], [1, 1, 1]), 0, "constant prediction");
  });

  it("rejects mismatched lengths, non-0/1 labels and non-arrays", () => {
    assert.throws(
      () => accuracyScore([0, 1, 1], [0, 1]),
      /yTrue and yPred have different lengths: 3 vs 2 \(expected equal lengths\)/,
    );
    assert.throws(() => accuracyScore([0, 2], [0, 1]), /yTrue\[1\] is not a 0\/1 label: 2/);
    assert.throws(() => accuracyScore([], []), /yTrue is empty/);
    assert.throws(() => accuracyScore(5 as never, [0]), TypeError);
  });
});

describe("workshopHardLabelAuc", () => {
  it("reproduces the workshop's printed 'ROC_AUC SCORE -0.962', which is the balanced accuracy", () => {
    const { y, pred } = workshopTest();
    const auc = workshopHardLabelAuc(y, pred);
    assert.equal(auc, 0.9616381793739197, "roc_auc_score on hard labels");
    assert.equal(auc, binaryScores(y, pred).balancedAccuracy, "equals balanced accuracy");
    assert.equal(`-${Math.round(auc * 1000) / 1000}`, "-0.962", "compute_f1's bullet + round(x, 3)");
  });

  it("matches sklearn roc_auc_score(y, pred) on seeded data", () => {
    const { y, p } = seeded(200, 7, false);
    close(workshopHardLabelAuc(y, hard(p)), 0.5917467948717949, "hard-label AUC");
  });
});

describe("rocAucScore", () => {
  it("matches sklearn's docstring example", () => {
    assert.equal(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75, "auc");
  });

  it("matches sklearn on seeded scores with ties and without", () => {
    const t = seeded(300, 20240607, true);
    assert.deepEqual(t.p.slice(0, 5), [0.32, 0.43, 0.17, 0.88, 0.48], "same generated scores as the Python run");
    close(rocAucScore(t.y, t.p), 0.6778391870208593, "ties");
    const d = seeded(200, 7, false);
    assert.equal(d.p[0], 0.33789598631204104, "same generated scores as the Python run");
    close(rocAucScore(d.y, d.p), 0.6547475961538463, "distinct");
    close(rocAucScore(d.y, d.p, { positiveLabel: 0 }), 0.6547475961538463, "AUC does not depend on the positive label");
  });

  it("refuses a single-class yTrue with the fraud notebook's lesson", () => {
    assert.throws(
      () => rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          "ROC AUC is undefined: yTrue has one class only (1) — the workshop's fraud notebook hit this as 'Only one class present'",
    );
    assert.throws(() => workshopHardLabelAuc([0, 0], [0, 1]), /one class only \(0\)/);
  });

  it("names the index of a NaN probability and rejects values outside [0, 1]", () => {
    assert.throws(
      () => rocAucScore([0, 1, 0], [0.1, NaN, 0.3]),
      /prob\[1\] is NaN \(expected a probability in \[0, 1\]/,
    );
    assert.throws(
      () => rocAucScore([0, 1], [0.1, 1.5]),
      /prob\[1\] is out of range: 1.5 \(expected a probability in \[0, 1\]\)/,
    );
    assert.throws(() => rocAucScore([0, 1], [-0.1, 0.5]), RangeError);
    assert.throws(() => rocAucScore([0, 1], [0.5]), /yTrue and prob have different lengths: 2 vs 1/);
  });
});

describe("rocCurve", () => {
  it("matches sklearn roc_curve (drop_intermediate) point for point", () => {
    const doc = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    assert.deepEqual(Array.from(doc.fpr), [0, 0, 0.5, 0.5, 1], "fpr");
    assert.deepEqual(Array.from(doc.tpr), [0, 0.5, 0.5, 1, 1], "tpr");
    assert.deepEqual(Array.from(doc.thresholds), [Infinity, 0.8, 0.4, 0.35, 0.1], "thresholds");
    const t = seeded(300, 20240607, true);
    const c = rocCurve(t.y, t.p);
    assert.equal(c.fpr.length, 86, "points after dropping collinear ones");
    assert.deepEqual(
      Array.from(c.tpr.slice(0, 6)),
      [0, 0.02112676056338028, 0.056338028169014086, 0.06338028169014084, 0.07746478873239436, 0.09154929577464789],
      "tpr head",
    );
    assert.deepEqual(Array.from(c.thresholds.slice(1, 6)), [1, 0.99, 0.98, 0.96, 0.95], "thresholds head");
    close(
      c.fpr.reduce((a, b) => a + b, 0),
      34.550632911392405,
      "sum of fpr",
      1e-9,
    );
    close(
      c.tpr.reduce((a, b) => a + b, 0),
      50.06338028169014,
      "sum of tpr",
      1e-9,
    );
  });
});

describe("averagePrecisionScore", () => {
  it("matches sklearn average_precision_score and precision_recall_curve", () => {
    assert.equal(averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.8333333333333333, "docstring example");
    const doc = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    assert.deepEqual(Array.from(doc.precision), [0.5, 0.6666666666666666, 0.5, 1, 1], "precision");
    assert.deepEqual(Array.from(doc.recall), [1, 1, 0.5, 0.5, 0], "recall");
    assert.deepEqual(Array.from(doc.thresholds), [0.1, 0.35, 0.4, 0.8], "thresholds");
    const t = seeded(300, 20240607, true);
    close(averagePrecisionScore(t.y, t.p), 0.6536675745531734, "ties");
    // prob stays P(label 1); sklearn got 1 - prob as the score of label 0.
    close(averagePrecisionScore(t.y, t.p, { positiveLabel: 0 }), 0.6689610980871605, "ties, pos_label=0");
    const curve = precisionRecallCurve(t.y, t.p);
    assert.equal(curve.precision.length, 94, "one point per distinct score plus the end point");
    close(
      curve.precision.reduce((a, b) => a + b, 0),
      58.60474808676075,
      "sum of precision",
      1e-9,
    );
    const d = seeded(200, 7, false);
    close(averagePrecisionScore(d.y, d.p), 0.6403320868321822, "distinct");
  });

  it("refuses yTrue without positives", () => {
    assert.throws(
      () => averagePrecisionScore([0, 0], [0.1, 0.2]),
      /average precision is undefined: yTrue has no positive label \(1\)/,
    );
  });
});

describe("logLoss", () => {
  it("matches sklearn log_loss, including its clipping of 0 and 1", () => {
    const t = seeded(300, 20240607, true);
    close(logLoss(t.y, t.p), 0.7218425827038762, "ties (contains p = 0 and 1)");
    const d = seeded(200, 7, false);
    close(logLoss(d.y, d.p), 0.7531615101210477, "distinct");
    close(logLoss([1, 0, 1], [0, 1, 0.5]), 24.260151319598084, "clipped to [eps, 1 - eps]");
  });
});

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
import { reference } from "../helpers/reference";

// Expected values: test/fixtures/reference/metrics.json, made by make_metrics.py (scikit-learn 1.9.1) on
// the same generated data (its seeded() is this file's); the tests never call Python.
const SK = reference("metrics");

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
    assert.deepEqual(SK.workshop.confusion, s.confusion, "sklearn confusion_matrix");
    // make_metrics.py: sklearn on the same labels and predictions
    assert.equal(s.accuracy, SK.workshop.accuracy, "accuracy");
    assert.equal(s.precision, SK.workshop.precision, "precision");
    assert.equal(s.recall, SK.workshop.recall, "recall");
    assert.equal(s.f1, SK.workshop.f1, "f1");
    assert.equal(s.balancedAccuracy, SK.workshop.balancedAccuracy, "balanced accuracy");
    assert.equal(s.mcc, SK.workshop.mcc, "mcc");
    assert.equal(s.accuracy, 0.962, "the workshop's printed accuracy");
  });

  it("matches sklearn on seeded data with ties, for either positive label", () => {
    const { y, p } = seeded(300, 20240607, true);
    const pred = hard(p);
    const t = SK.ties; // make_metrics.py
    assert.deepEqual(confusionMatrix(y, pred), t.confusion, "confusion_matrix");
    close(accuracyScore(y, pred), t.accuracy, "accuracy_score");
    close(balancedAccuracyScore(y, pred), t.balancedAccuracy, "balanced_accuracy_score");
    close(precisionScore(y, pred), t.precision, "precision_score");
    close(recallScore(y, pred), t.recall, "recall_score");
    close(f1Score(y, pred), t.f1, "f1_score");
    close(matthewsCorrcoef(y, pred), t.mcc, "matthews_corrcoef");
    close(precisionScore(y, pred, { positiveLabel: 0 }), t.posLabel0.precision, "precision_score pos_label=0");
    close(recallScore(y, pred, { positiveLabel: 0 }), t.posLabel0.recall, "recall_score pos_label=0");
    close(f1Score(y, pred, { positiveLabel: 0 }), t.posLabel0.f1, "f1_score pos_label=0");
    assert.deepEqual(
      binaryScores(y, pred, { positiveLabel: 0 }).confusion,
      t.confusion,
      "confusion stays in label order",
    );
  });

  it("treats booleans as labels and returns 0 where sklearn's zero_division gives 0", () => {
    // make_metrics.py (zero_division=0)
    assert.equal(precisionScore([true, false], [false, false]), SK.edge.precisionNothingPredicted, "nothing predicted");
    assert.equal(f1Score([false, false], [false, false]), SK.edge.f1NoPositives, "no positives at all");
    assert.equal(matthewsCorrcoef([0, 1, 1], [1, 1, 1]), SK.edge.mccConstantPrediction, "constant prediction");
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
    assert.equal(auc, SK.workshop.hardLabelAuc, "roc_auc_score on hard labels (make_metrics.py)");
    assert.equal(auc, binaryScores(y, pred).balancedAccuracy, "equals balanced accuracy");
    assert.equal(`-${Math.round(auc * 1000) / 1000}`, "-0.962", "compute_f1's bullet + round(x, 3)");
  });

  it("matches sklearn roc_auc_score(y, pred) on seeded data", () => {
    const { y, p } = seeded(200, 7, false);
    close(workshopHardLabelAuc(y, hard(p)), SK.distinct.hardLabelAuc, "hard-label AUC (make_metrics.py)");
  });
});

describe("rocAucScore", () => {
  it("matches sklearn's docstring example", () => {
    assert.equal(rocAucScore(SK.docstring.y, SK.docstring.p), SK.docstring.auc, "auc (make_metrics.py)");
    assert.equal(SK.docstring.auc, 0.75, "the docstring's value");
  });

  it("matches sklearn on seeded scores with ties and without", () => {
    // make_metrics.py
    const t = seeded(300, 20240607, true);
    assert.deepEqual(t.p.slice(0, 5), SK.ties.p0to5, "same generated scores as the Python run");
    close(rocAucScore(t.y, t.p), SK.ties.auc, "ties");
    const d = seeded(200, 7, false);
    assert.equal(d.p[0], SK.distinct.p0, "same generated scores as the Python run");
    close(rocAucScore(d.y, d.p), SK.distinct.auc, "distinct");
    close(
      rocAucScore(d.y, d.p, { positiveLabel: 0 }),
      SK.distinct.aucPosLabel0,
      "AUC does not depend on the positive label",
    );
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
    // make_metrics.py (sklearn writes the first threshold, inf, as "Infinity")
    const ref = SK.docstring.rocCurve;
    const doc = rocCurve(SK.docstring.y, SK.docstring.p);
    assert.deepEqual(Array.from(doc.fpr), ref.fpr, "fpr");
    assert.deepEqual(Array.from(doc.tpr), ref.tpr, "tpr");
    assert.deepEqual(Array.from(doc.thresholds), ref.thresholds.map(Number), "thresholds");
    assert.equal(doc.thresholds[0], Infinity, "first threshold");
    const t = seeded(300, 20240607, true);
    const c = rocCurve(t.y, t.p);
    const tc = SK.ties.rocCurve;
    assert.equal(c.fpr.length, tc.points, "points after dropping collinear ones");
    assert.deepEqual(Array.from(c.tpr.slice(0, 6)), tc.tprHead, "tpr head");
    assert.deepEqual(Array.from(c.thresholds.slice(1, 6)), tc.thresholds1to6, "thresholds head");
    close(
      c.fpr.reduce((a, b) => a + b, 0),
      tc.fprSum,
      "sum of fpr",
      1e-9,
    );
    close(
      c.tpr.reduce((a, b) => a + b, 0),
      tc.tprSum,
      "sum of tpr",
      1e-9,
    );
  });
});

describe("averagePrecisionScore", () => {
  it("matches sklearn average_precision_score and precision_recall_curve", () => {
    // make_metrics.py
    const { y, p, averagePrecision, prCurve } = SK.docstring;
    assert.equal(averagePrecisionScore(y, p), averagePrecision, "docstring example");
    const doc = precisionRecallCurve(y, p);
    assert.deepEqual(Array.from(doc.precision), prCurve.precision, "precision");
    assert.deepEqual(Array.from(doc.recall), prCurve.recall, "recall");
    assert.deepEqual(Array.from(doc.thresholds), prCurve.thresholds, "thresholds");
    const t = seeded(300, 20240607, true);
    close(averagePrecisionScore(t.y, t.p), SK.ties.averagePrecision, "ties");
    // prob stays P(label 1); sklearn got 1 - prob as the score of label 0.
    close(
      averagePrecisionScore(t.y, t.p, { positiveLabel: 0 }),
      SK.ties.averagePrecisionPosLabel0,
      "ties, pos_label=0",
    );
    const curve = precisionRecallCurve(t.y, t.p);
    assert.equal(curve.precision.length, SK.ties.prCurve.points, "one point per distinct score plus the end point");
    close(
      curve.precision.reduce((a, b) => a + b, 0),
      SK.ties.prCurve.precisionSum,
      "sum of precision",
      1e-9,
    );
    const d = seeded(200, 7, false);
    close(averagePrecisionScore(d.y, d.p), SK.distinct.averagePrecision, "distinct");
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
    // make_metrics.py
    const t = seeded(300, 20240607, true);
    close(logLoss(t.y, t.p), SK.ties.logLoss, "ties (contains p = 0 and 1)");
    const d = seeded(200, 7, false);
    close(logLoss(d.y, d.p), SK.distinct.logLoss, "distinct");
    close(logLoss([1, 0, 1], [0, 1, 0.5]), SK.edge.logLossClipped, "clipped to [eps, 1 - eps]");
  });
});

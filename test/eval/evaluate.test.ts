import assert from "node:assert/strict";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { _pyFixed, _reportText, evaluate, Evaluation } from "../../src/eval/evaluate";
import { reference } from "../helpers/reference";

// Expected values: test/fixtures/reference/metrics.json, made by make_metrics.py (scikit-learn 1.9.1) on
// the same generated data (its seeded(300, 20240607, True) is seededTies() here); no Python here.
const SK = reference("metrics");

/** MINSTD LCG scores k/100 with ties; P(y=1) grows with the score (same generator as metrics.test.ts). */
function seededTies(): { y: number[]; p: number[] } {
  const next = (x: number) => (48271 * x) % 2147483647;
  const y: number[] = [],
    p: number[] = [];
  for (let i = 0, x = 20240607; i < 300; i++) {
    x = next(x);
    const k = x % 101;
    x = next(x);
    p.push(k / 100);
    y.push(x % 100 < 25 + Math.floor((50 * k) / 100) ? 1 : 0);
  }
  return { y, p };
}

/** Probabilities that give the workshop's AutoGluon test matrix [[231, 15], [4, 250]] at 0.5. */
function workshopLike(): { y: number[]; p: number[] } {
  const rows: Array<[number, number, number]> = [
    [0, 0.1, 231],
    [0, 0.7, 15],
    [1, 0.3, 4],
    [1, 0.9, 250],
  ];
  const y: number[] = [],
    p: number[] = [];
  for (const [label, prob, count] of rows)
    for (let i = 0; i < count; i++) {
      y.push(label);
      p.push(prob);
    }
  return { y, p };
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: ${actual} vs sklearn ${expected}`);

describe("evaluate", () => {
  it("returns every metric equal to sklearn's on seeded data with ties", () => {
    const { y, p } = seededTies();
    const ev = evaluate(y, p);
    assert.ok(ev instanceof Evaluation, "an Evaluation");
    const t = SK.ties; // make_metrics.py
    close(ev.auc, t.auc, "roc_auc_score");
    close(ev.prAuc, t.averagePrecision, "average_precision_score");
    close(ev.logLoss, t.logLoss, "log_loss");
    close(ev.accuracy, t.accuracy, "accuracy_score");
    close(ev.balancedAccuracy, t.balancedAccuracy, "balanced_accuracy_score");
    close(ev.precision, t.precision, "precision_score");
    close(ev.recall, t.recall, "recall_score");
    close(ev.f1, t.f1, "f1_score");
    close(ev.mcc, t.mcc, "matthews_corrcoef");
    close(ev.hardLabelAuc, t.hardLabelAuc, "roc_auc_score on hard labels");
    assert.deepEqual(ev.confusion, t.confusion, "confusion_matrix");
  });

  it("builds the classification report like sklearn's output_dict and text", () => {
    const { y, p } = seededTies();
    const ev = evaluate(y, p, { names: ["stays", "churns"] });
    // make_metrics.py: classification_report(output_dict=True) rows (precision/recall null for accuracy) and text
    const expected: Array<{
      label: string;
      precision: number | null;
      recall: number | null;
      f1: number;
      support: number;
    }> = SK.ties.report.rows;
    assert.equal(ev.report.length, expected.length, "rows");
    expected.forEach(({ label, precision, recall, f1, support }, i) => {
      const row = ev.report[i];
      assert.equal(row.label, label, `row ${i} label`);
      if (precision !== null) close(row.precision, precision, `${label} precision`);
      if (recall !== null) close(row.recall, recall, `${label} recall`);
      close(row.f1, f1, `${label} f1-score`);
      assert.equal(row.support, support, `${label} support`);
    });
    assert.equal(_reportText(ev.report), SK.ties.report.text, "classification_report text");
  });

  it("reproduces the workshop's AutoGluon test numbers and report from probabilities giving its matrix", () => {
    const { y, p } = workshopLike();
    const ev = evaluate(y, p, { threshold: 0.5 });
    assert.deepEqual(
      ev.confusion,
      [
        [231, 15],
        [4, 250],
      ],
      "confusion",
    );
    // make_metrics.py: sklearn on the workshop's matrix (AutoGluon evaluate_predictions, A.6)
    const w = SK.workshop;
    assert.deepEqual(
      [ev.accuracy, ev.precision, ev.recall, ev.f1, ev.balancedAccuracy, ev.mcc],
      [w.accuracy, w.precision, w.recall, w.f1, w.balancedAccuracy, w.mcc],
      "AutoGluon evaluate_predictions (A.6)",
    );
    assert.equal(ev.hardLabelAuc, w.hardLabelAuc, "compute_f1's 'ROC_AUC' = balanced accuracy");
    assert.equal(_reportText(ev.report), w.reportText, "compute_f1's classification report");
  });

  it("switches precision, recall, F1 and PR AUC to label 0 with positiveLabel 0", () => {
    const { y, p } = seededTies();
    const ev = evaluate(y, p, { positiveLabel: 0 });
    const t = SK.ties; // make_metrics.py
    close(ev.precision, t.posLabel0.precision, "precision_score pos_label=0");
    close(ev.recall, t.posLabel0.recall, "recall_score pos_label=0");
    close(ev.f1, t.posLabel0.f1, "f1_score pos_label=0");
    close(ev.prAuc, t.averagePrecisionPosLabel0, "average_precision_score(y, 1 - p, pos_label=0)");
    close(ev.auc, t.auc, "AUC unchanged");
    assert.deepEqual(ev.confusion, t.confusion, "confusion stays in label order");
  });

  it("shows itself as an escaped HTML table with a text fallback", () => {
    const { y, p } = workshopLike();
    const bundle = evaluate(y, p, { names: ["<stays>", "churns & co"] })[JUPYTER_DISPLAY]();
    const html = bundle["text/html"] as string;
    assert.ok(
      html.includes("<table>") && html.includes("ROC AUC") && html.includes("0.9620"),
      "metrics table with accuracy",
    );
    assert.ok(html.includes("&#60;stays&#62;") && !html.includes("<stays>"), "class names escaped");
    assert.ok(html.includes("churns &#38; co"), "ampersand escaped");
    assert.ok(html.includes("workshop &#34;ROC_AUC&#34;"), "quotes escaped");
    const text = bundle["text/plain"];
    assert.match(text, /^Evaluation of 500 rows at threshold 0.5\nROC AUC/, "text summary");
    assert.ok(text.includes("weighted avg       0.96      0.96      0.96       500"), "text has the report");
    assert.ok(text.includes("[[231,15],[4,250]]"), "text has the confusion matrix");
  });

  it("draws its charts", () => {
    const { y, p } = seededTies();
    const ev = evaluate(y, p, { names: ["stays", "churns"] });
    assert.deepEqual(
      ev.confusionMatrixFigure().data.map((t) => t.type),
      ["heatmap"],
      "confusion heatmap",
    );
    assert.deepEqual(
      ev.rocCurveFigure().data.map((t) => t.type),
      ["scatter", "scatter"],
      "ROC + diagonal",
    );
    assert.match(
      String(ev.rocCurveFigure({ name: "test" }).data[0].name),
      /^test \(AUC = 0.6778\)$/,
      "AUC in the legend",
    );
    assert.match(
      String(ev.prCurveFigure().data[1].name),
      /no skill \(0.473\)/,
      "no-skill line at the positive share 142/300",
    );
    const hist = ev.scoreHistogramFigure();
    assert.deepEqual(
      hist.data.map((t) => t.name),
      ["actual stays", "actual churns"],
      "one bar trace per class",
    );
    assert.equal(JSON.stringify(ev.toJSON()).includes("fpr"), false, "toJSON keeps numbers only");
  });

  it("rejects bad input with clear errors", () => {
    assert.throws(
      () => evaluate([1, 1], [0.4, 0.9]),
      /^RangeError: ROC AUC is undefined: yTrue has one class only \(1\) — the workshop's fraud notebook hit this as 'Only one class present'$/,
    );
    assert.throws(() => evaluate([0, 1, 1], [0.4, 0.9]), /yTrue and prob have different lengths: 3 vs 2/);
    assert.throws(() => evaluate([0, 1, 1], [0.4, 0.9, NaN]), /prob\[2\] is NaN/);
    assert.throws(() => evaluate([0, 1], [0.4, 1.01]), /prob\[1\] is out of range: 1.01/);
    assert.throws(() => evaluate([0, 1], [0.4, 0.9], { threshold: 5 }), /threshold is out of range: 5/);
    assert.throws(() => evaluate([0, 1], [0.4, 0.9], { names: ["a"] as never }), TypeError);
  });
});

describe("_pyFixed", () => {
  it("rounds exact ties half to even like Python's %-format", () => {
    assert.deepEqual(
      [0.125, 0.375, -0.125, 0.1, 2 / 3].map((v) => _pyFixed(v, 2)),
      ["0.12", "0.38", "-0.12", "0.10", "0.67"],
      "two digits",
    );
    assert.deepEqual(
      [2.5, 3.5].map((v) => _pyFixed(v, 0)),
      ["2", "4"],
      "no digits",
    );
  });
});

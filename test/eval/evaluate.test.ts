import assert from "node:assert/strict";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { _pyFixed, _reportText, evaluate, Evaluation } from "../../src/eval/evaluate";

// Expected values come from one scikit-learn 1.9.1 run on the same generated data; no Python here.

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
    close(ev.auc, 0.6778391870208593, "roc_auc_score");
    close(ev.prAuc, 0.6536675745531734, "average_precision_score");
    close(ev.logLoss, 0.7218425827038762, "log_loss");
    close(ev.accuracy, 0.65, "accuracy_score");
    close(ev.balancedAccuracy, 0.6509627384560528, "balanced_accuracy_score");
    close(ev.precision, 0.6209150326797386, "precision_score");
    close(ev.recall, 0.6690140845070423, "recall_score");
    close(ev.f1, 0.6440677966101694, "f1_score");
    close(ev.mcc, 0.30155608324855415, "matthews_corrcoef");
    close(ev.hardLabelAuc, 0.6509627384560528, "roc_auc_score on hard labels");
    assert.deepEqual(
      ev.confusion,
      [
        [100, 58],
        [47, 95],
      ],
      "confusion_matrix",
    );
  });

  it("builds the classification report like sklearn's output_dict and text", () => {
    const { y, p } = seededTies();
    const ev = evaluate(y, p, { names: ["stays", "churns"] });
    const expected: Array<[string, number, number, number, number]> = [
      ["stays", 0.6802721088435374, 0.6329113924050633, 0.6557377049180327, 158],
      ["churns", 0.6209150326797386, 0.6690140845070423, 0.6440677966101694, 142],
      ["accuracy", NaN, NaN, 0.65, 300],
      ["macro avg", 0.6505935707616379, 0.6509627384560528, 0.6499027507641011, 300],
      ["weighted avg", 0.6521764261260059, 0.65, 0.6502139483189774, 300],
    ];
    expected.forEach(([label, precision, recall, f1, support], i) => {
      const row = ev.report[i];
      assert.equal(row.label, label, `row ${i} label`);
      if (!Number.isNaN(precision)) close(row.precision, precision, `${label} precision`);
      if (!Number.isNaN(recall)) close(row.recall, recall, `${label} recall`);
      close(row.f1, f1, `${label} f1-score`);
      assert.equal(row.support, support, `${label} support`);
    });
    const sklearnText =
      "              precision    recall  f1-score   support\n\n       stays       0.68      0.63      0.66       158\n      churns       0.62      0.67      0.64       142\n\n" +
      "    accuracy                           0.65       300\n   macro avg       0.65      0.65      0.65       300\nweighted avg       0.65      0.65      0.65       300\n";
    assert.equal(_reportText(ev.report), sklearnText, "classification_report text");
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
    assert.deepEqual(
      [ev.accuracy, ev.precision, ev.recall, ev.f1, ev.balancedAccuracy, ev.mcc],
      [0.962, 0.9433962264150944, 0.984251968503937, 0.9633911368015414, 0.9616381793739197, 0.9248243565696255],
      "AutoGluon evaluate_predictions (A.6)",
    );
    assert.equal(ev.hardLabelAuc, 0.9616381793739197, "compute_f1's 'ROC_AUC' = balanced accuracy");
    const workshopReport =
      "              precision    recall  f1-score   support\n\n           0       0.98      0.94      0.96       246\n           1       0.94      0.98      0.96       254\n\n" +
      "    accuracy                           0.96       500\n   macro avg       0.96      0.96      0.96       500\nweighted avg       0.96      0.96      0.96       500\n";
    assert.equal(_reportText(ev.report), workshopReport, "compute_f1's classification report");
  });

  it("switches precision, recall, F1 and PR AUC to label 0 with positiveLabel 0", () => {
    const { y, p } = seededTies();
    const ev = evaluate(y, p, { positiveLabel: 0 });
    close(ev.precision, 0.6802721088435374, "precision_score pos_label=0");
    close(ev.recall, 0.6329113924050633, "recall_score pos_label=0");
    close(ev.f1, 0.6557377049180327, "f1_score pos_label=0");
    close(ev.prAuc, 0.6689610980871605, "average_precision_score(y, 1 - p, pos_label=0)");
    close(ev.auc, 0.6778391870208593, "AUC unchanged");
    assert.deepEqual(
      ev.confusion,
      [
        [100, 58],
        [47, 95],
      ],
      "confusion stays in label order",
    );
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

import assert from "node:assert/strict";
import { multiclassConfusionMatrix, multiclassScores } from "../../src/eval/multiclass";
import {
  multiclassConfusionFigure,
  perClassScoresFigure,
  trainingCurvesFigure,
} from "../../src/eval/multiclass-charts";
import { mulberry32 } from "../../src/util/prng";
import { pythonJson } from "../image/image-helpers";

// scikit-learn computes the reference in this test run, on the labels generated below.
const SKLEARN = `
import json, sys, warnings
warnings.simplefilter("ignore")  # y_pred holds a class y_true lacks, on purpose
from sklearn.metrics import accuracy_score, balanced_accuracy_score, confusion_matrix, precision_recall_fscore_support
d = json.loads(sys.argv[1])
t, p, k = d["t"], d["p"], d["k"]
labels = list(range(k))
pr, rc, f1, sup = precision_recall_fscore_support(t, p, labels=labels, zero_division=0)
avg = lambda a: [float(x) for x in precision_recall_fscore_support(t, p, labels=labels, average=a, zero_division=0)[:3]]
print(json.dumps({"accuracy": accuracy_score(t, p), "balanced": balanced_accuracy_score(t, p),
  "confusion": confusion_matrix(t, p, labels=labels).tolist(), "precision": pr.tolist(), "recall": rc.tolist(),
  "f1": f1.tolist(), "support": sup.tolist(), "macro": avg("macro"), "weighted": avg("weighted")}))
`;

/** k classes, n rows; class k-1 never predicted, class k-2 never true; 70% right. */
function labels(n: number, k: number, seed: number): { t: number[]; p: number[] } {
  const rand = mulberry32(seed);
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < n; i++) {
    let ti = Math.floor(rand() * k);
    if (ti === k - 2) ti = 0;
    let pi = rand() < 0.7 ? ti : Math.floor(rand() * k);
    if (pi === k - 1) pi = 1;
    t.push(ti);
    p.push(pi);
  }
  return { t, p };
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

describe("multiclassScores", () => {
  for (const [n, k, seed] of [
    [300, 6, 1],
    [57, 11, 2],
  ]) {
    it(`matches scikit-learn on ${n} rows of ${k} classes (a class never predicted, one never true)`, () => {
      const { t, p } = labels(n, k, seed);
      const ref = pythonJson(SKLEARN, [JSON.stringify({ t, p, k })]);
      const s = multiclassScores(t, p, { numClasses: k });
      assert.deepEqual(s.confusion, ref.confusion, "confusion_matrix");
      assert.deepEqual(multiclassConfusionMatrix(t, p, k), ref.confusion, "multiclassConfusionMatrix");
      close(s.accuracy, ref.accuracy, "accuracy_score");
      close(s.balancedAccuracy, ref.balanced, "balanced_accuracy_score");
      assert.deepEqual(s.support, ref.support, "support");
      for (const key of ["precision", "recall", "f1"] as const)
        s[key].forEach((v, i) => close(v, ref[key][i], `${key}[${i}]`));
      ["precision", "recall", "f1"].forEach((key, j) => {
        close(s.macro[key as "f1"], ref.macro[j], `macro ${key}`);
        close(s.weighted[key as "f1"], ref.weighted[j], `weighted ${key}`);
      });
      assert.equal(s.precision[k - 1], 0, "never predicted: precision 0 (zero_division=0)");
      assert.equal(s.support[k - 2], 0, "never true: support 0");
    });
  }

  it("gives a classification report table with class names and integer supports", () => {
    const s = multiclassScores([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], { classNames: ["cat", "dog", "frog"] });
    const df = s.reportFrame();
    assert.deepEqual(df.getColumn("class").toArray(), ["cat", "dog", "frog", "macro avg", "weighted avg"]);
    assert.deepEqual(df.getColumn("support").toArray().map(Number), [2, 1, 3, 6, 6]);
    assert.equal(df.getColumn("support").dtype.toString(), "DataType(Int64)");
    assert.deepEqual(df.getColumn("recall").toArray().slice(0, 3), [0.5, 1, 0.6667]);
  });

  it("refuses labels outside 0..k-1, unequal lengths and a wrong number of class names", () => {
    assert.throws(() => multiclassScores([0, 3], [0, 1], { numClasses: 3 }), /yTrue\[1\] is out of range: 3/);
    assert.throws(() => multiclassScores([0, 1], [0, -1]), /yPred\[1\] is not a class label: -1/);
    assert.throws(() => multiclassScores([0, 1], [0]), /different lengths: 2 vs 1/);
    assert.throws(
      () => multiclassScores([0, 1], [0, 1], { numClasses: 2, classNames: ["a"] }),
      /classNames has 1 names for 2 classes/,
    );
  });
});

describe("trainingCurvesFigure and perClassScoresFigure", () => {
  it("draws loss and accuracy per epoch for train and validation, marking the kept epoch", () => {
    const history = [1, 2, 3].map((epoch) => ({
      epoch,
      loss: 1 / epoch,
      accuracy: 0.5 + epoch / 10,
      valLoss: NaN,
      valAccuracy: 0.6,
    }));
    const fig = trainingCurvesFigure(history, { bestEpoch: 2, maxEpoch: 10 });
    assert.deepEqual(
      fig.data.map((t) => t.name),
      ["train loss", "validation loss", "train accuracy", "validation accuracy"],
    );
    assert.deepEqual(fig.data[2].y, [0.6, 0.7, 0.8]);
    assert.deepEqual(fig.data[1].y, [null, null, null], "NaN drawn as gaps");
    assert.equal((fig.layout!.shapes as Array<{ x0: number }>)[0].x0, 2);
    assert.deepEqual((fig.layout!.xaxis as { range: number[] }).range, [0.5, 10.5]);
    assert.match(JSON.stringify(fig.layout!.title), /kept epoch 2/);
  });

  it("draws precision and recall bars per class", () => {
    const s = multiclassScores([0, 0, 1, 1], [0, 1, 1, 1], { classNames: ["a", "b"] });
    const fig = perClassScoresFigure(s);
    assert.deepEqual(fig.data[0].x, ["a", "b"]);
    assert.deepEqual(fig.data[0].y, [1, 0.666667]);
    assert.deepEqual(fig.data[1].y, [0.5, 1]);
  });

  it("draws the k-class confusion matrix annotated, sized for its classes", () => {
    const names = Array.from({ length: 11 }, (_, i) => `c${i}`);
    const s = multiclassScores([0, 0, 1, 10], [0, 1, 1, 10], { classNames: names });
    const fig = multiclassConfusionFigure(s);
    assert.deepEqual(fig.data[0].z, s.confusion);
    assert.deepEqual(fig.data[0].x, names);
    assert.equal(fig.layout!.height, 120 + 42 * 11);
    assert.match(JSON.stringify(fig.layout!.title), /accuracy 75\.0%/);
    const texts = (fig.layout!.annotations as Array<{ text: string }>).map((a) => a.text);
    assert.ok(texts.includes("50.0%<br>1/2") && texts.includes("100.0%<br>1/1"), texts.filter((t) => t).join(" | "));
  });
});

import assert from "node:assert/strict";
import {
  _dollars,
  _sig6,
  confusionMatrixFigure,
  costCurveFigure,
  prCurveFigure,
  rocCurveFigure,
  scoreHistogramFigure,
  YLGNBU,
} from "../../src/eval/eval-charts";
import { evaluate } from "../../src/eval/evaluate";
import { _auc, averagePrecisionScore, precisionRecallCurve, rocAucScore, rocCurve } from "../../src/eval/metrics";
import { thresholdSweep } from "../../src/eval/threshold";

type Annotation = { text: string; xref: string; x: unknown; y: unknown };
const axisTitle = (layout: Record<string, unknown> | undefined, axis: string) =>
  (layout?.[axis] as { title?: { text?: string } } | undefined)?.title?.text;

/** n scores from a MINSTD LCG (distinct to 1e-9), labels more often 1 for high scores. */
function big(n: number): { y: Uint8Array; p: Float64Array } {
  const y = new Uint8Array(n),
    p = new Float64Array(n);
  for (let i = 0, x = 99991; i < n; i++) {
    x = (48271 * x) % 2147483647;
    p[i] = (x % 1000000007) / 1000000007;
    x = (48271 * x) % 2147483647;
    y[i] = x % 1000 < 200 + p[i] * 600 ? 1 : 0;
  }
  return { y, p };
}

// Numbers in a figure's JSON with more than 6 significant digits.
const longNumbers = (json: string) =>
  (json.match(/-?\d+\.\d+(e-?\d+)?/g) ?? []).filter((s) => s.replace(/^-?0*\.?0*|\.|e.*$/g, "").length > 6);

describe("confusionMatrixFigure", () => {
  it("annotates cells like the workshop's plot_cm2", () => {
    const fig = confusionMatrixFigure({
      matrix: [
        [231, 15],
        [4, 250],
      ],
    });
    const texts = (fig.layout!.annotations as Annotation[]).map((a) => a.text);
    assert.deepEqual(
      texts,
      ["93.9%<br>231/246", "6.1%<br>15", "1.6%<br>4", "98.4%<br>250/254"],
      "row %, count/row-sum on the diagonal",
    );
    assert.deepEqual(
      fig.data.map((t) => t.type),
      ["heatmap"],
      "one heatmap",
    );
    assert.deepEqual(
      fig.data[0].z,
      [
        [231, 15],
        [4, 250],
      ],
      "colour by count",
    );
    assert.deepEqual(fig.data[0].colorscale, YLGNBU, "YlGnBu");
    assert.deepEqual(YLGNBU[0], [0, "#ffffd9"], "light yellow for low counts, as seaborn");
    assert.equal(axisTitle(fig.layout, "xaxis"), "Predicted", "x axis");
    assert.equal(axisTitle(fig.layout, "yaxis"), "Actual", "y axis");
    assert.equal((fig.layout!.yaxis as { autorange: string }).autorange, "reversed", "actual 0 on top");
  });

  it("leaves zero off-diagonal cells empty and draws titled panels side by side", () => {
    const fig = confusionMatrixFigure(
      [
        {
          title: "for training data",
          matrix: [
            [10, 0],
            [2, 8],
          ],
          names: ["stays", "churns"],
        },
        {
          title: "for test data",
          matrix: [
            [231, 15],
            [4, 250],
          ],
        },
      ],
      { title: "XGBoost" },
    );
    const anns = fig.layout!.annotations as Annotation[];
    assert.deepEqual(
      anns.filter((a) => a.xref === "x").map((a) => a.text),
      ["100.0%<br>10/10", "", "20.0%<br>2", "80.0%<br>8/10"],
      "training panel",
    );
    assert.deepEqual(
      anns.filter((a) => a.xref === "paper").map((a) => a.text),
      ["for training data", "for test data"],
      "panel titles",
    );
    assert.equal(anns.filter((a) => a.xref === "x2").length, 4, "test panel annotated on x2");
    assert.deepEqual(
      fig.data.map((t) => [t.xaxis, t.yaxis]),
      [
        ["x", "y"],
        ["x2", "y2"],
      ],
      "two panels",
    );
    assert.deepEqual(fig.data[0].x, ["stays", "churns"], "class names");
    assert.equal(axisTitle(fig.layout, "xaxis2"), "Predicted", "second x axis");
    assert.deepEqual(fig.layout!.title, { text: "XGBoost" }, "suptitle");
  });

  it("rejects a matrix that is not square", () => {
    assert.throws(() => confusionMatrixFigure({ matrix: [[1, 2, 3]] }), /panels\[0\]\.matrix is not a square matrix/);
  });
});

describe("rocCurveFigure", () => {
  it("draws the curve, the diagonal and the AUC in the legend", () => {
    const y = [0, 0, 1, 1],
      p = [0.1, 0.4, 0.35, 0.8];
    const fig = rocCurveFigure({ name: "test", ...rocCurve(y, p), auc: rocAucScore(y, p) });
    assert.deepEqual(
      fig.data.map((t) => t.type),
      ["scatter", "scatter"],
      "trace types",
    );
    assert.equal(fig.data[0].name, "test (AUC = 0.7500)", "legend");
    assert.deepEqual(
      [fig.data[0].x, fig.data[0].y],
      [
        [0, 0, 0.5, 0.5, 1],
        [0, 0.5, 0.5, 1, 1],
      ],
      "points",
    );
    assert.deepEqual(
      [fig.data[1].x, fig.data[1].y],
      [
        [0, 1],
        [0, 1],
      ],
      "diagonal reference",
    );
    assert.equal(axisTitle(fig.layout, "xaxis"), "False positive rate", "x axis");
    assert.equal(axisTitle(fig.layout, "yaxis"), "True positive rate", "y axis");
  });

  it("downsamples a 1,000,000-point ROC below 200 kB without changing the AUC shown", () => {
    const { y, p } = big(1_000_000);
    const ev = evaluate(y, p);
    assert.ok(ev.roc.fpr.length > 100_000, `full curve has ${ev.roc.fpr.length} points`);
    const fig = ev.rocCurveFigure({ name: "big" });
    const json = JSON.stringify(fig);
    assert.ok(json.length < 200_000, `figure JSON is ${json.length} bytes`);
    assert.equal(fig.data[0].name, `big (AUC = ${ev.auc.toFixed(4)})`, "legend AUC from the full curve");
    const shown = { fpr: fig.data[0].x as number[], tpr: fig.data[0].y as number[] };
    assert.ok(shown.fpr.length <= 2100, `${shown.fpr.length} points drawn`);
    assert.ok(Math.abs(_auc(shown) - ev.auc) < 1e-3, `drawn curve's area ${_auc(shown)} vs ${ev.auc}`);
    assert.deepEqual(longNumbers(json), [], "coordinates rounded to 6 significant digits");
  });
});

describe("prCurveFigure", () => {
  it("draws steps with the average precision in the legend", () => {
    const y = [0, 0, 1, 1],
      p = [0.1, 0.4, 0.35, 0.8];
    const fig = prCurveFigure({
      name: "test",
      ...precisionRecallCurve(y, p),
      ap: averagePrecisionScore(y, p),
      prevalence: 0.5,
    });
    assert.equal(fig.data[0].name, "test (AP = 0.8333)", "legend");
    assert.deepEqual(fig.data[0].line, { shape: "hv" }, "step shape");
    assert.deepEqual(fig.data[0].y, [0.5, 0.666667, 0.5, 1, 1], "precision rounded to 6 significant digits");
    assert.deepEqual(fig.data[1].y, [0.5, 0.5], "no-skill line");
    assert.equal(axisTitle(fig.layout, "xaxis"), "Recall", "x axis");
    assert.equal(axisTitle(fig.layout, "yaxis"), "Precision", "y axis");
  });
});

describe("scoreHistogramFigure", () => {
  it("bins the probabilities per actual class", () => {
    const fig = scoreHistogramFigure([0, 0, 1, 1, 1], [0, 0.05, 0.5, 0.99, 1], {
      bins: 10,
      names: ["stays", "churns"],
      threshold: 0.5,
    });
    assert.deepEqual(
      fig.data.map((t) => t.type),
      ["bar", "bar"],
      "bar traces",
    );
    assert.deepEqual(fig.data[0].y, [2, 0, 0, 0, 0, 0, 0, 0, 0, 0], "stays counts");
    assert.deepEqual(fig.data[1].y, [0, 0, 0, 0, 0, 1, 0, 0, 0, 2], "churns counts (1.0 goes in the last bin)");
    assert.deepEqual((fig.data[0].x as number[]).slice(0, 3), [0.05, 0.15, 0.25], "bin centres");
    assert.equal(axisTitle(fig.layout, "xaxis"), "Predicted probability", "x axis");
    assert.equal(axisTitle(fig.layout, "yaxis"), "Rows", "y axis");
    assert.equal((fig.layout!.shapes as Array<{ x0: number }>)[0].x0, 0.5, "threshold line");
  });
});

describe("costCurveFigure", () => {
  it("draws cost by cutoff and marks the minimum", () => {
    const sweep = thresholdSweep([0, 0, 0, 0, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.4, 0.7, 0.8, 0.9]);
    const fig = costCurveFigure(sweep);
    assert.deepEqual(
      fig.data.map((t) => t.mode),
      ["lines", "markers+text"],
      "line + marker",
    );
    assert.equal((fig.data[0].x as number[]).length, 99, "one point per cutoff");
    assert.deepEqual([fig.data[1].x, fig.data[1].y], [[0.3], [500]], "minimum marked");
    assert.equal(fig.data[1].name, "minimum $500 at 0.3", "label");
    assert.equal(axisTitle(fig.layout, "xaxis"), "Cutoff", "x axis");
    assert.equal(axisTitle(fig.layout, "yaxis"), "Cost ($)", "y axis");
  });
});

describe("_dollars and _sig6", () => {
  it("formats the reference notebook's minimum and rounds to 6 significant digits", () => {
    assert.equal(_dollars(29200), "$29,200", "dollars");
    assert.equal(_dollars(1234567.4), "$1,234,567", "millions");
    assert.deepEqual([_sig6(0.29000000000000004), _sig6(2 / 3), _sig6(123456789)], [0.29, 0.666667, 123457000], "sig6");
  });
});

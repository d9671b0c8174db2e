import assert from "node:assert/strict";
import { featureImportance, permutationImportance } from "../../src/gbt/importance";
import { importanceBarFigure, shapBarFigure, shapSummaryFigure, shapWaterfallFigure } from "../../src/gbt/shap-charts";
import { treeShap, type ShapValues } from "../../src/gbt/tree-shap";
import { churnTest, readFixtureModel } from "./fixture-model";

const ONE_HOT = {
  "Int'l Plan": ["Int'l Plan_no", "Int'l Plan_yes"],
  "VMail Plan": ["VMail Plan_no", "VMail Plan_yes"],
};

let cache: { shap: ShapValues; X: ReturnType<typeof churnTest>["X"] } | undefined;
function churnShap() {
  if (!cache) cache = { shap: treeShap(readFixtureModel("churn-binary.json").model, churnTest().X), X: churnTest().X };
  return cache;
}

/** Mean |SHAP| of a column of the churn model's contributions. */
function meanAbs(shap: ShapValues, cols: number[]): number {
  let s = 0;
  for (let r = 0; r < shap.nRows; r++) {
    let v = 0;
    for (const c of cols) v += shap.values[r * (shap.nFeatures + 1) + c];
    s += Math.abs(v);
  }
  return s / shap.nRows;
}

describe("shapSummaryFigure", () => {
  it("draws one strip per feature, sorted by mean |SHAP|, coloured by feature value", () => {
    const { shap, X } = churnShap();
    const fig = shapSummaryFigure(shap, X, { maxDisplay: 8 });
    assert.equal(fig.data.length, 8, "8 features, no missing values so no grey traces");
    const names = fig.data.map((t) => t.name as string);
    const means = names.map((n) => meanAbs(shap, [shap.featureNames.indexOf(n)]));
    for (let i = 1; i < means.length; i++)
      assert.ok(means[i - 1] >= means[i], `order by mean |SHAP|: ${names.join(", ")}`);
    const all = shap.featureNames.map((_, c) => meanAbs(shap, [c])).sort((a, b) => b - a);
    assert.equal(means[0], all[0], `${names[0]} has the largest mean |SHAP| (${means[0].toFixed(4)})`);
    const top = fig.data[0];
    assert.equal(top.type, "scatter", "scatter strips");
    assert.equal((top.x as number[]).length, 500, "one point per row");
    const y = top.y as number[];
    assert.ok(
      Math.min(...y) > 6.6 && Math.max(...y) < 7.4,
      "top feature's strip is the highest, jittered within ±0.35",
    );
    const colors = (top.marker as { color: number[] }).color;
    assert.ok(Math.min(...colors) === 0 && Math.max(...colors) === 1, "colours span low → high");
    const yaxis = fig.layout!.yaxis as { ticktext: string[] };
    assert.deepEqual(yaxis.ticktext, names, "tick labels in the same order");
    assert.deepEqual(shapSummaryFigure(shap, X, { maxDisplay: 8 }), fig, "seeded jitter: same figure twice");
  });

  it("groups one-hot columns by a prefix rule and draws missing values in grey", () => {
    const { shap, X } = churnShap();
    const fig = shapSummaryFigure(shap, X, { groupPrefixes: ["Int'l Plan", "VMail Plan"] });
    const names = fig.data.map((t) => t.name as string);
    assert.equal(names.length, 17, "15 numeric + 2 grouped features");
    assert.ok(
      names.includes("Int'l Plan") && !names.some((n) => n.includes("_yes")),
      `grouped names: ${names.join(", ")}`,
    );
    const intl = fig.data.find((t) => t.name === "Int'l Plan")!;
    assert.ok(
      (intl.text as string[]).every((s) => s === "yes" || s === "no"),
      "hover shows the category",
    );
    assert.match(intl.hovertemplate as string, /^Int'l Plan = %\{text\}/, "hover names the feature");
    const X2 = { ...X, data: X.data.slice() };
    X2.data[0] = NaN;
    const withNaN = shapSummaryFigure(shap, X2, {});
    const grey = withNaN.data.find((t) => t.name === "Account Length (missing)");
    assert.equal((grey?.x as number[] | undefined)?.length, 1, "one grey point for the missing Account Length");
  });
});

describe("shapBarFigure", () => {
  it("shows mean |SHAP|, largest on top, and sums grouped columns per row", () => {
    const { shap } = churnShap();
    const fig = shapBarFigure(shap, { groups: ONE_HOT });
    const [bar] = fig.data;
    const y = bar.y as string[];
    const x = bar.x as number[];
    assert.equal(bar.type, "bar", "bar trace");
    assert.equal(y.length, 17, "17 features after grouping");
    for (let i = 1; i < x.length; i++) assert.ok(x[i - 1] >= x[i], "descending");
    const cols = ONE_HOT["Int'l Plan"].map((c) => shap.featureNames.indexOf(c));
    const want = meanAbs(shap, cols);
    assert.ok(
      Math.abs(x[y.indexOf("Int'l Plan")] - want) < 1e-12,
      `group = mean |sum of its columns| (${want.toFixed(4)})`,
    );
    assert.throws(
      () => shapBarFigure(shap, { groups: { a: ["nope"] } }),
      /group column is unknown: "nope"/,
      "unknown column",
    );
    assert.throws(
      () => shapBarFigure(shap, { group: 1 }),
      /group is out of range: 1 \(expected 0..0\)/,
      "binary has one group",
    );
  });
});

describe("shapWaterfallFigure", () => {
  it("starts at E[f(X)], lists the top features with their values and adds up to f(x)", () => {
    const { shap, X } = churnShap();
    for (const row of [0, 137, 499]) {
      const fig = shapWaterfallFigure(shap, X, row, { maxDisplay: 6, groups: ONE_HOT });
      const [w] = fig.data;
      const labels = w.y as string[];
      const values = w.x as number[];
      const measure = w.measure as string[];
      assert.equal(w.type, "waterfall", "waterfall trace");
      assert.equal(labels.length, 9, "base + 6 features + others + f(x)");
      assert.equal(labels[7], "11 other features", "17 − 6 features summed");
      assert.deepEqual([measure[0], measure[8]], ["absolute", "total"], "base absolute, f(x) total");
      let fx = shap.values[row * 20 + 19];
      for (let c = 0; c < 19; c++) fx += shap.values[row * 20 + c];
      const bars = values.slice(0, 8).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(bars - fx) < 1e-9 && Math.abs(values[8] - fx) < 1e-9, `row ${row}: bars ${bars} = f(x) ${fx}`);
      const abs = values.slice(1, 7).map(Math.abs);
      for (let i = 1; i < abs.length; i++) assert.ok(abs[i - 1] >= abs[i], "sorted by |value|");
      assert.ok(labels[0].startsWith("E[f(X)] = ") && labels[8].startsWith("f(x) = "), "end labels");
    }
    const fig = shapWaterfallFigure(shap, X, 0, { maxDisplay: 19 });
    const cs = X.data[14]; // CustServ Calls is column 14; row 0 starts at 0
    assert.ok(
      (fig.data[0].y as string[]).includes(`CustServ Calls = ${cs}`),
      `label with the value: CustServ Calls = ${cs}`,
    );
    assert.throws(() => shapWaterfallFigure(shap, X, 500), /row is out of range: 500 \(expected 0..499\)/, "row range");
  });
});

describe("importanceBarFigure", () => {
  it("draws xgboost importance and permutation importance with error bars, largest first", () => {
    const { model } = readFixtureModel("churn-binary.json");
    const gain = featureImportance(model, "gain");
    const fig = importanceBarFigure(gain, { maxDisplay: 5 });
    const x = fig.data[0].x as string[];
    const y = fig.data[0].y as number[];
    assert.equal(x.length, 5, "top 5");
    assert.equal(y[0], Math.max(...Object.values(gain)), `${x[0]} has the largest gain`);
    assert.equal((fig.layout!.xaxis as { tickangle: number }).tickangle, -90, "vertical labels as in the workshop");
    const X = { data: Float64Array.of(0.1, 5, 0.9, 3, 0.2, 1, 0.8, 2), nRows: 4, nCols: 2, columns: ["s", "n"] };
    const perm = permutationImportance(
      (m) => Float64Array.from({ length: m.nRows }, (_, i) => m.data[i * 2]),
      X,
      [0, 1, 0, 1],
      { repeats: 3 },
    );
    const pfig = importanceBarFigure(perm);
    assert.deepEqual(pfig.data[0].x, ["s", "n"], "permutation rows in order");
    assert.equal((pfig.data[0].error_y as { array: number[] }).array.length, 2, "error bars from stddev");
  });
});

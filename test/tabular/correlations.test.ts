import assert from "node:assert/strict";
import fs from "node:fs";
import pl from "nodejs-polars";
import {
  correlations,
  cramersV,
  positiveLabel,
  rankAverage,
  type CorrelationMatrix,
} from "../../src/tabular/correlations";
import { CHURN } from "../helpers/data";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, received ${actual}`);
const cell = (m: CorrelationMatrix, a: string, b: string) => m.values[m.columns.indexOf(a)][m.columns.indexOf(b)];

describe("correlations", () => {
  const df = pl.readCSV(fs.readFileSync(CHURN));
  const ms = correlations(df, { label: "Churn?" });
  const [pearson, spearman, cramers] = ["pearson", "spearman", "cramers"].map((k) => ms.find((m) => m.method === k)!);

  it("computes Pearson as pandas DataFrame.corr on churn.txt", () => {
    // pandas 3.1.1: df["Day Mins"].corr(df["Eve Charge"]); workshop.md A.0 lists it as 0.766
    close(cell(pearson, "Day Mins", "Eve Charge"), 0.7664886047302122, 1e-12, "Day Mins~Eve Charge");
    close(cell(pearson, "Day Mins", "Churn?"), 0.5818555145236933, 1e-12, "Day Mins~label (True.=1)");
    assert.equal(pearson.columns.length, 17, "16 numeric columns + the label");
    assert.equal(cell(pearson, "Eve Charge", "Day Mins"), cell(pearson, "Day Mins", "Eve Charge"), "symmetric");
  });

  it("computes Spearman with average ranks as pandas", () => {
    close(cell(spearman, "Day Mins", "Eve Charge"), 0.772482802547312, 1e-12, "Day Mins~Eve Charge");
    close(cell(spearman, "CustServ Calls", "Intl Charge"), -0.6561104434415777, 1e-12, "ties in CustServ Calls");
    close(cell(spearman, "Night Calls", "Churn?"), -0.5208807356475659, 1e-12, "ties on both sides");
  });

  it("computes Cramér's V as pandas-profiling (bias-corrected) and plain", () => {
    close(cell(cramers, "State", "Int'l Plan"), 0.0216583607011863, 1e-12, "State~Int'l Plan corrected");
    assert.equal(cell(cramers, "State", "Churn?"), 0, "corrected V clipped at 0");
    const plain = correlations(df, { methods: ["cramers"], label: "Churn?", cramersBiasCorrection: false })[0];
    close(cell(plain, "State", "Churn?"), 0.08883455143457283, 1e-12, "State~Churn? plain");
    close(cell(plain, "Int'l Plan", "VMail Plan"), 0.002813483440265655, 1e-12, "2x2 plain");
  });

  it("uses pairwise-complete rows when there are nulls", () => {
    const small = pl.DataFrame({ x: [1, 2, null, 4, 5, 6, 7, 7], y: [2, 1, 4, null, 7, 9, 3, 3.5] });
    const [p, s] = correlations(small, { methods: ["pearson", "spearman"] });
    close(p.values[0][1], 0.4881360080982439, 1e-12, "pearson");
    close(s.values[0][1], 0.4638168285219587, 1e-12, "spearman");
  });
});

describe("rankAverage", () => {
  it("averages ties like scipy rankdata", () => {
    assert.deepEqual(
      Array.from(rankAverage([3, 1, 4, 1, 5, 9, 2, 6, 5])),
      [4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5],
      "ranks",
    );
    assert.deepEqual(
      Array.from(rankAverage([0.5, -0.0, 0, -2.25])),
      [4, 2.5, 2.5, 1],
      "negative values and signed zeros",
    );
  });
});

describe("cramersV", () => {
  it("is 1 for identical columns without correction", () => {
    const a = Int32Array.of(0, 0, 1, 1, 2, 2);
    assert.equal(cramersV(a, 3, a, 3, false), 1, "V");
  });
});

describe("positiveLabel", () => {
  it("picks the truthy spelling", () => {
    assert.equal(positiveLabel(["True.", "False."]), "True.", "churn label");
    assert.equal(positiveLabel(["no", "yes"]), "yes", "yes/no");
    assert.equal(positiveLabel(["b", "a"]), "b", "otherwise the larger");
  });
});

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
import { reference } from "../helpers/reference";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, received ${actual}`);
// pandas/scipy numbers: test/fixtures/reference/correlations.json, made by make_correlations.py (pandas 3.1.1,
// scipy 1.17.1); each key is "column~column".
const PD = reference("correlations");
const cell = (m: CorrelationMatrix, a: string, b: string) => m.values[m.columns.indexOf(a)][m.columns.indexOf(b)];

describe("correlations", () => {
  const df = pl.readCSV(fs.readFileSync(CHURN));
  const ms = correlations(df, { label: "Churn?" });
  const [pearson, spearman, cramers] = ["pearson", "spearman", "cramers"].map((k) => ms.find((m) => m.method === k)!);

  it("computes Pearson as pandas DataFrame.corr on churn.txt", () => {
    // pandas 3.1.1 DataFrame.corr (Series.corr, also in the JSON, differs by < 3e-15); workshop.md A.0: 0.766
    close(cell(pearson, "Day Mins", "Eve Charge"), PD.pearson["Day Mins~Eve Charge"], 1e-12, "Day Mins~Eve Charge");
    assert.equal(PD.pearson["Day Mins~Eve Charge"].toFixed(3), "0.766", "the workshop's rounded value");
    close(cell(pearson, "Day Mins", "Churn?"), PD.pearson["Day Mins~Churn?"], 1e-12, "Day Mins~label (True.=1)");
    assert.equal(pearson.columns.length, PD.numericColumns, "16 numeric columns + the label");
    assert.equal(cell(pearson, "Eve Charge", "Day Mins"), cell(pearson, "Day Mins", "Eve Charge"), "symmetric");
  });

  it("computes Spearman with average ranks as pandas", () => {
    const ref = PD.spearman; // DataFrame.corr(method="spearman")
    close(cell(spearman, "Day Mins", "Eve Charge"), ref["Day Mins~Eve Charge"], 1e-12, "Day Mins~Eve Charge");
    close(cell(spearman, "CustServ Calls", "Intl Charge"), ref["CustServ Calls~Intl Charge"], 1e-12, "ties in one");
    close(cell(spearman, "Night Calls", "Churn?"), ref["Night Calls~Churn?"], 1e-12, "ties on both sides");
  });

  it("computes Cramér's V as pandas-profiling (bias-corrected) and plain", () => {
    // pd.crosstab + scipy chi2_contingency + pandas-profiling's formula (make_correlations.py)
    const corrected = PD.cramersCorrected,
      plainRef = PD.cramersPlain;
    close(cell(cramers, "State", "Int'l Plan"), corrected["State~Int'l Plan"], 1e-12, "State~Int'l Plan corrected");
    assert.equal(corrected["State~Churn?"], 0, "pandas-profiling clips State~Churn? at 0");
    assert.equal(cell(cramers, "State", "Churn?"), 0, "corrected V clipped at 0");
    const plain = correlations(df, { methods: ["cramers"], label: "Churn?", cramersBiasCorrection: false })[0];
    close(cell(plain, "State", "Churn?"), plainRef["State~Churn?"], 1e-12, "State~Churn? plain");
    close(cell(plain, "Int'l Plan", "VMail Plan"), plainRef["Int'l Plan~VMail Plan"], 1e-12, "2x2 plain");
  });

  it("uses pairwise-complete rows when there are nulls", () => {
    const small = pl.DataFrame({ x: [1, 2, null, 4, 5, 6, 7, 7], y: [2, 1, 4, null, 7, 9, 3, 3.5] });
    const [p, s] = correlations(small, { methods: ["pearson", "spearman"] });
    // pandas corr on the same frame (make_correlations.py)
    close(p.values[0][1], PD.pairwiseComplete.pearson, 1e-12, "pearson");
    close(s.values[0][1], PD.pairwiseComplete.spearman, 1e-12, "spearman");
  });
});

describe("rankAverage", () => {
  it("averages ties like scipy rankdata", () => {
    // scipy.stats.rankdata (make_correlations.py): [3, 1, 4, 1, 5, 9, 2, 6, 5] and [0.5, -0.0, 0, -2.25]
    const [ties, signed] = PD.rankdata;
    assert.deepEqual(Array.from(rankAverage(ties.values)), ties.ranks, "ranks");
    assert.deepEqual(Array.from(rankAverage(signed.values)), signed.ranks, "negative values and signed zeros");
    assert.ok(Object.is(signed.values[1], -0), "the JSON keeps -0.0");
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

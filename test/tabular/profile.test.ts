import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pl from "nodejs-polars";
import { profile } from "../../src/tabular/profile";
import { correlations } from "../../src/tabular/correlations";
import { reference } from "../helpers/reference";
import { histogramAuto, quantileSorted } from "../../src/tabular/column-stats";
import { SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";

const close = (actual: number | null | undefined, expected: number, tol: number, what: string) =>
  assert.ok(
    typeof actual === "number" && Math.abs(actual - expected) <= tol,
    `${what}: expected ${expected}, received ${actual}`,
  );

/** 1,000 rows with planted problems: an ID, a constant, a skewed column, 5% nulls, a 95/5 yes/no column. */
function planted(): pl.DataFrame {
  const n = 1000;
  const i = Array.from({ length: n }, (_, k) => k);
  return pl.DataFrame({
    id: i.map((k) => `C${String(k).padStart(4, "0")}`),
    constant: i.map(() => "x"),
    skewed: i.map((k) => (k === 0 ? 100000 : (k % 7) + 1)),
    withNulls: i.map((k) => (k % 20 === 0 ? null : (((k * 7919) % 1000) / 1000) ** 2 * 100)),
    category: i.map((k) => (k % 10 < 6 ? "a" : k % 10 < 9 ? "b" : "c")),
    flag: i.map((k) => k < 500),
    rare: i.map((k) => (k < 50 ? "no" : "yes")),
  });
}
// pandas/scipy/numpy numbers: test/fixtures/reference/profile.json, made by make_profile.py (pandas 3.1.1,
// scipy 1.17.1, numpy 2.4.6) from churn.txt and from planted()'s columns.
const PD = reference("profile");
const list = (p: ReturnType<typeof profile>) => p.alerts.map((a) => `${a.code} ${a.column ?? ""} ${a.value}`.trim());

describe("profile", () => {
  const churn = pl.readCSV(fs.readFileSync(CHURN));

  it("gives the very same profile of churn.txt on one thread (MLDP_THREADS=1) as on two", () => {
    const script = `
      const pl = require("nodejs-polars");
      const { profile } = require(${JSON.stringify(require.resolve("../../src/tabular/profile"))});
      const df = pl.readCSV(require("fs").readFileSync(${JSON.stringify(CHURN)}));
      process.stdout.write(JSON.stringify(profile(df, { preset: "pandas-profiling-2.11", label: "Churn?" })));`;
    const run = (threads: string) =>
      execFileSync(process.execPath, ["-e", script], {
        env: { ...process.env, MLDP_THREADS: threads },
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
    const one = run("1");
    assert.ok(one.includes('"HIGH_CARDINALITY"'), "a real profile");
    assert.equal(run("2"), one);
  });

  it("raises exactly pandas-profiling 2.11's 15 warnings on churn.txt", () => {
    const p = profile(churn, { preset: "pandas-profiling-2.11", label: "Churn?" });
    // workshop.md A.0 (screenshot chun_profile_warning.png), in column order
    assert.deepEqual(
      list(p),
      [
        "HIGH_CARDINALITY State 51",
        "HIGH_CARDINALITY Phone 4999",
        "UNIFORM Phone 1",
        "ZEROS VMail Message 2549",
        "UNIQUE Day Mins 5000",
        "ZEROS Day Calls 170",
        "UNIQUE Day Charge 5000",
        "UNIQUE Eve Mins 5000",
        "ZEROS Eve Calls 800",
        "UNIQUE Eve Charge 5000",
        "UNIQUE Night Mins 5000",
        "ZEROS Night Calls 73",
        "UNIQUE Night Charge 5000",
        "UNIQUE Intl Mins 5000",
        "UNIQUE Intl Charge 5000",
      ],
      "alerts",
    );
    const zeros = p.alerts.filter((a) => a.code === "ZEROS").map((a) => a.message.match(/\(([\d.]+%)\)/)![1]);
    assert.deepEqual(zeros, ["51.0%", "3.4%", "16.0%", "1.5%"], "zero shares");
    assert.ok(
      p.alerts.every((a) => a.hint.length > 0),
      "every alert has a hint",
    );
  });

  it("infers kinds as pandas-profiling 2.11", () => {
    const p = profile(churn, { preset: "pandas-profiling-2.11" });
    const kind = (c: string) => p.columns.find((x) => x.name === c)!.kind;
    assert.deepEqual(p.kinds, { numeric: 16, categorical: 3, boolean: 2, text: 0, identifier: 0 }, "kinds");
    assert.equal(kind("Int'l Plan"), "boolean", "yes/no is boolean");
    assert.equal(kind("Churn?"), "categorical", "True./False. (with the period) is not a boolean spelling");
    assert.equal(kind("Phone"), "categorical", "4,999 of 5,000 distinct: not an identifier");
    assert.equal(p.duplicates, 0, "no duplicate rows");
  });

  it("computes the chi-squared p-values behind UNIFORM as scipy", () => {
    const p = profile(churn, { preset: "pandas-profiling-2.11" });
    const chi = (c: string) => p.columns.find((x) => x.name === c)!.chiSquared!.pValue;
    // scipy chisquare(value_counts) and chisquare(np.histogram(x, bins="auto")[0]) (make_profile.py)
    const ref = PD.chiSquaredPValue;
    close(chi("State"), ref.State, 1e-10, "State (not uniform: p ≤ 0.999)");
    assert.ok(ref.State <= 0.999 && ref.Phone > 0.999, "scipy puts State below and Phone above the 0.999 cut");
    close(chi("Phone"), ref.Phone, 1e-12, "Phone (uniform)");
    close(chi("Churn?"), ref["Churn?"], 1e-10, "Churn?");
    assert.equal(PD.accountLengthAutoBins, 18, "numpy's auto bins for Account Length");
    close(chi("Account Length"), ref["Account Length"], 1e-10, "Account Length over numpy's 18 auto bins");
  });

  it("computes moments and quantiles as pandas", () => {
    const p = profile(churn);
    const col = (c: string) => p.columns.find((x) => x.name === c)!;
    // pandas mean, std, skew(), quantile() and value_counts() (make_profile.py)
    close(col("Day Mins").mean, PD.dayMins.mean, 1e-12, "mean");
    close(col("Day Mins").std, PD.dayMins.std, 1e-12, "std");
    const skew: Record<string, number> = PD.skew;
    assert.equal(Object.keys(skew).length, 5, "five skewness references");
    for (const [c, s] of Object.entries(skew)) close(col(c).skewness, s, 1e-10, `skew ${c}`);
    assert.equal(PD.dayMins.quantiles.length, 5, "quantiles 5/25/50/75/95%");
    PD.dayMins.quantiles.forEach((q: number, j: number) =>
      close(col("Day Mins").quantiles![j], q, 1e-12, `Day Mins q${j}`),
    );
    assert.deepEqual(col("Night Calls").quantiles, PD.nightCallsQuantiles, "Night Calls quantiles");
    assert.deepEqual(col("Churn?").topValues, PD.labelCounts, "label counts");
    assert.deepEqual(col("VMail Message").topValues[0], PD.vmailMessageTop, "most frequent VMail Message");
  });

  it("raises ydata-profiling 4's alerts, each correlated pair once", () => {
    const p = profile(churn, { label: "Churn?" });
    assert.equal(p.columns.find((x) => x.name === "Phone")!.kind, "text", "Phone is text (distinct/count ≥ 0.5)");
    const corr = p.alerts.filter((a) => a.code === "HIGH_CORRELATION").map((a) => a.columns!.join("~"));
    assert.deepEqual(
      corr,
      [
        "Day Mins~Day Charge",
        "Day Mins~Eve Charge",
        "Day Mins~Night Charge",
        "Day Charge~Eve Mins",
        "Eve Charge~Night Charge",
        "Intl Charge~CustServ Calls",
      ],
      "Spearman ≥ 0.5 pairs, label pairs left out",
    );
    assert.equal(p.alerts.filter((a) => a.code === "HIGH_CARDINALITY").length, 1, "State only");
  });

  it("finds each planted problem exactly once", () => {
    const p = profile(planted());
    assert.deepEqual(
      p.alerts.map((a) => `${a.code} ${a.column}`),
      ["UNIQUE id", "CONSTANT constant", "SKEWED skewed", "MISSING withNulls", "IMBALANCE rare"],
      "ydata-profiling-4 alerts",
    );
    const col = (c: string) => p.columns.find((x) => x.name === c)!;
    // pandas skew(), mean() and std() of the same columns (make_profile.py)
    close(col("skewed").skewness, PD.planted.skewedSkew, 1e-9, "planted skew (pandas)");
    close(col("withNulls").mean, PD.planted.withNullsMean, 1e-9, "mean without nulls");
    close(col("withNulls").std, PD.planted.withNullsStd, 1e-9, "std without nulls");
    close(col("rare").imbalance, 1 + 0.05 * Math.log2(0.05) + 0.95 * Math.log2(0.95), 1e-12, "imbalance");
    assert.equal(col("id").kind, "identifier", "id kind");
    assert.equal(col("withNulls").missing, 50, "50 nulls");
    const pp = profile(planted(), { preset: "pandas-profiling-2.11" });
    assert.deepEqual(
      pp.alerts.map((a) => a.code),
      ["UNIQUE", "CONSTANT", "SKEWED", "MISSING"],
      "2.11 has no IMBALANCE rule",
    );
  });

  it("treats NaN values in a float column as missing in Pearson and Spearman, as pandas corr does", () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => (i % 10 === 3 ? NaN : Math.sin(i)));
    const df = pl.DataFrame({
      x: pl.Series("x", x),
      y: pl.Series(
        "y",
        Float64Array.from({ length: 200 }, (_, i) => Math.sin(i) + ((i * 37) % 11) / 20),
      ),
    });
    assert.equal(df.getColumn("x").nullCount(), 0, "NaN, not null");
    const p = profile(df);
    const expected = correlations(df, { methods: ["pearson", "spearman"] });
    for (const k of [0, 1]) {
      const r = p.correlations[k].values[0][1];
      assert.ok(Number.isFinite(r) && r > 0.9, `${p.correlations[k].method} over the complete rows: ${r}`);
      assert.equal(r, expected[k].values[0][1], p.correlations[k].method);
    }
  });

  it("flags a duplicate row", () => {
    const df = planted();
    const p = profile(pl.concat([df, df.slice(3, 1)]));
    assert.equal(p.duplicates, 1, "one duplicate");
    assert.deepEqual(
      p.alerts.map((a) => `${a.code} ${a.column ?? "(dataset)"}`),
      ["DUPLICATES (dataset)", "CONSTANT constant", "SKEWED skewed", "MISSING withNulls", "IMBALANCE rare"],
      "id is no longer unique",
    );
  });

  it("applies threshold overrides", () => {
    const p = profile(planted(), { thresholds: { missing: 0.1, imbalance: 0.9 } });
    assert.deepEqual(
      p.alerts.map((a) => a.code),
      ["UNIQUE", "CONSTANT", "SKEWED"],
      "MISSING and IMBALANCE raised above the data",
    );
  });

  it("names a column that polars would read as a regular expression instead of profiling another", () => {
    const df = pl.DataFrame({ "^a.*$": [1.5, 2.5, 3.5], ab: [1, 2, 3] });
    assert.throws(
      () => profile(df),
      (e: Error) =>
        e instanceof SchemaError && e.message.includes('"^a.*$"') && e.message.includes("regular expression"),
    );
  });

  it("rejects bad arguments", () => {
    assert.throws(() => profile({} as never), TypeError, "not a frame");
    assert.throws(() => profile(planted(), { label: "nope" }), SchemaError, "unknown label");
    assert.throws(() => profile(planted(), { topValues: -1 }), RangeError, "negative topValues");
    assert.throws(() => profile(planted(), { preset: "x" as never }), RangeError, "unknown preset");
  });
});

describe("histogramAuto", () => {
  it("bins like numpy histogram(bins='auto')", () => {
    // np.histogram([1,2,2,3,3,3,4,4,4,4,10], bins="auto") -> 7 bins: [3, 3, 4, 0, 0, 0, 1] (make_profile.py)
    const { values, counts } = PD.histogramAuto;
    const v = Float64Array.from(values as number[]);
    const sorted = Float64Array.from(v).sort();
    assert.deepEqual(
      Array.from(histogramAuto(sorted, quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75))),
      counts,
      "counts",
    );
  });
});

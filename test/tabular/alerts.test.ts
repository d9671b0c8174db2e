import assert from "node:assert/strict";
import {
  checkAlerts,
  imbalanceScore,
  pandasProfiling211,
  resolvePreset,
  suggestDrops,
  ydataProfiling4,
  type ColumnFacts,
} from "../../src/tabular/alerts";
import { reference } from "../helpers/reference";
import pl from "nodejs-polars";
import { profileReport } from "../../src/tabular/profile-report";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { chiSquaredSurvival, chiSquaredUniformity, gammaQ } from "../../src/tabular/chi-squared";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, received ${actual}`);

/** A column that raises nothing under either preset; tests change one field. */
const quiet = (over: Partial<ColumnFacts> = {}): ColumnFacts => ({
  name: "x",
  kind: "numeric",
  n: 100,
  count: 100,
  missing: 0,
  distinct: 40,
  zeros: 0,
  skewness: 0.1,
  chiSquared: { statistic: 500, pValue: 1e-9 },
  imbalance: null,
  ...over,
});

describe("chiSquaredSurvival", () => {
  it("matches scipy.stats.chi2.sf", () => {
    // scipy 1.17.1 chi2.sf values: test/fixtures/reference/alerts.json, made by make_alerts.py
    const points: Array<{ x: number; dof: number; sf: number }> = reference("alerts").chi2sf;
    assert.equal(points.length, 6, "points");
    for (const { x, dof, sf } of points) {
      // sf(5000, 4800) is held to 1e-10, the rest to 1e-12 (the tolerances of the former literals)
      close(chiSquaredSurvival(x, dof), sf, dof === 4800 ? 1e-10 : 1e-12, `sf(${x}, ${dof})`);
    }
  });
});

describe("gammaQ", () => {
  it("equals e^-x for a = 1", () => {
    close(gammaQ(1, 2), Math.exp(-2), 1e-14, "Q(1, 2)");
    close(gammaQ(1, 0.3), Math.exp(-0.3), 1e-14, "Q(1, 0.3)");
  });
});

describe("chiSquaredUniformity", () => {
  it("tests counts against equal frequencies like scipy chisquare", () => {
    // scipy.stats.chisquare: test/fixtures/reference/alerts.json, made by make_alerts.py
    const ref = reference("alerts").chisquareChurnLabel;
    const r = chiSquaredUniformity(ref.counts); // churn.txt "Churn?" counts
    close(r.statistic, ref.statistic, 1e-12, "statistic");
    close(r.pValue, ref.pValue, 1e-12, "p-value");
  });
});

describe("imbalanceScore", () => {
  it("is 1 − H/log2(k)", () => {
    close(imbalanceScore([95, 5]), 0.7136030428840439, 1e-12, "95/5");
    close(imbalanceScore([2502, 2498]), 4.6166246236989394e-7, 1e-12, "churn label");
    assert.ok(Number.isNaN(imbalanceScore([10])), "one class has no score");
  });
});

describe("resolvePreset", () => {
  it("resolves names and rejects unknown ones", () => {
    assert.equal(resolvePreset("pandas-profiling-2.11"), pandasProfiling211, "pandas-profiling 2.11");
    assert.equal(resolvePreset("ydata-profiling-4"), ydataProfiling4, "ydata-profiling 4");
    assert.deepEqual(
      pandasProfiling211.thresholds.correlationMethods,
      ["pearson", "cramers"],
      "2.11 warns on pearson and cramers only",
    );
    assert.throws(() => resolvePreset("pandas" as never), RangeError, "unknown preset");
  });
});

describe("checkAlerts", () => {
  const t = ydataProfiling4.thresholds;
  const codes = (columns: ColumnFacts[], extra: Partial<Parameters<typeof checkAlerts>[0]> = {}) =>
    checkAlerts({ rows: 100, duplicates: 0, columns, correlations: [], ...extra }, t).map((a) =>
      `${a.code} ${a.column ?? ""}`.trim(),
    );

  it("raises nothing for a quiet column", () => {
    assert.deepEqual(codes([quiet()]), [], "no alerts");
  });

  it("applies each rule at its threshold", () => {
    assert.deepEqual(codes([quiet({ missing: 2, count: 98 })]), ["MISSING x"], "2% missing");
    assert.deepEqual(codes([quiet({ missing: 1, count: 99 })]), [], "1% missing is not > 1%");
    assert.deepEqual(codes([quiet({ zeros: 2 })]), ["ZEROS x"], "2% zeros");
    assert.deepEqual(codes([quiet({ skewness: -20.5 })]), ["SKEWED x"], "negative skew");
    assert.deepEqual(codes([quiet({ chiSquared: { statistic: 1, pValue: 0.9995 } })]), ["UNIFORM x"], "uniform");
    assert.deepEqual(codes([quiet({ distinct: 100 })]), ["UNIQUE x"], "unique");
    assert.deepEqual(codes([quiet({ distinct: 1 })]), ["CONSTANT x"], "constant");
    assert.deepEqual(
      codes([quiet({ kind: "categorical", distinct: 51, zeros: null, skewness: null })]),
      ["HIGH_CARDINALITY x"],
      "51 categories",
    );
    assert.deepEqual(
      codes([quiet({ kind: "boolean", distinct: 2, chiSquared: null, imbalance: 0.71 })]),
      ["IMBALANCE x"],
      "95/5 boolean",
    );
    assert.deepEqual(codes([quiet()], { duplicates: 3 }), ["DUPLICATES"], "duplicate rows");
  });

  it("reports a correlated pair once, whatever the number of matrices", () => {
    const m = (method: "pearson" | "spearman", r: number) => ({
      method,
      columns: ["a", "b", "y"],
      values: [
        [1, r, 0.95],
        [r, 1, 0],
        [0.95, 0, 1],
      ],
    });
    const alerts = checkAlerts(
      {
        rows: 100,
        duplicates: 0,
        columns: [quiet({ name: "a" }), quiet({ name: "b" }), quiet({ name: "y" })],
        correlations: [m("pearson", 0.91), m("spearman", -0.93)],
        label: "y",
      },
      { ...t, correlation: 0.9, correlationMethods: ["pearson", "spearman"] },
    );
    assert.equal(alerts.length, 1, "one alert for the pair a~b, none for the label");
    assert.deepEqual(alerts[0].columns, ["a", "b"], "pair");
    assert.equal(alerts[0].value, -0.93, "strongest coefficient");
    assert.match(alerts[0].message, /pearson, spearman/, "both methods named");
  });
});

describe("suggestDrops", () => {
  const t = pandasProfiling211.thresholds;
  const facts = (columns: ColumnFacts[], label?: string) => ({
    rows: 100,
    duplicates: 0,
    columns,
    correlations: [],
    label,
  });

  it("suggests the ID-like columns the alerts flag, with the -p and the cell line to drop them", () => {
    const columns = [
      quiet({ name: "customerID", kind: "identifier", distinct: 100 }), // UNIQUE
      quiet({ name: "Phone", kind: "categorical", distinct: 99, chiSquared: null }), // HIGH_CARDINALITY, 99% distinct
      quiet({ name: "State", kind: "categorical", distinct: 51, chiSquared: null }), // HIGH_CARDINALITY, 51% distinct
      quiet({ name: "Day Mins", kind: "numeric", distinct: 100 }), // UNIQUE, but a measurement
      quiet({ name: "Int'l Plan", kind: "categorical", distinct: 2, chiSquared: null }),
    ];
    const alerts = checkAlerts(facts(columns), t);
    const s = suggestDrops(columns, alerts);
    assert.deepEqual(s?.columns, ["customerID", "Phone", "State"], "identifier, then mostly distinct categoricals");
    assert.equal(s?.parameter, `-p 'drop=["customerID","Phone","State"]'`, "shell-quoted -p");
    assert.equal(s?.cell, `const drop = ["customerID","Phone","State"];`, "parameters-cell line");
  });

  it("quotes a name with a single quote for the shell, leaves out the label, and gives null when nothing is ID-like", () => {
    const odd = [
      quiet({ name: "cust'id", kind: "identifier", distinct: 100 }),
      quiet({ name: "y", kind: "identifier", distinct: 100 }),
    ];
    const s = suggestDrops(odd, checkAlerts(facts(odd, "y"), t), "y");
    assert.equal(s?.parameter, `-p 'drop=["cust'\\''id"]'`, "quote closed, escaped, reopened");
    assert.equal(suggestDrops([quiet()], checkAlerts(facts([quiet()]), t)), null, "nothing to drop");
  });

  it("is shown under the profile report's alerts table", () => {
    const n = 60;
    const df = pl.DataFrame({
      customerID: Array.from({ length: n }, (_, i) => `C-${1000 + i}`),
      tenure: Array.from({ length: n }, (_, i) => (i * 7) % 13),
      Churn: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "Yes" : "No")),
    });
    const report = profileReport(df, { preset: "pandas-profiling-2.11", label: "Churn" });
    assert.deepEqual(report.dropSuggestion()?.columns, ["customerID"]);
    const bundle = report.alerts()[JUPYTER_DISPLAY]() as Record<string, string>;
    assert.match(bundle["text/plain"], /ID-like columns .*"customerID".*-p 'drop=\["customerID"\]'/, "text note");
    assert.ok(bundle["text/html"].includes("<p>ID-like columns"), "html note");
  });
});

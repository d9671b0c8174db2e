import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { crosstab } from "../../src/tabular/crosstab";
import { profileReport } from "../../src/tabular/profile-report";
import { readTable } from "../../src/tabular/read-table";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";

// Eight customers: the plan is "yes" for 1 of 4 stayers and 3 of 4 churners; one missing plan.
const frame = () =>
  pl.DataFrame({
    plan: ["no", "no", "yes", "no", "yes", "yes", "yes", null, "no"],
    code: [415, 408, 415, 510, 408, 415, 510, 415, 408],
    churn: ["False.", "False.", "False.", "False.", "True.", "True.", "True.", "True.", "True."],
  });

describe("crosstab", () => {
  it("shares each label value's rows out over the column's values (pandas normalize='columns')", () => {
    const t = crosstab(frame(), "plan", "churn");
    assert.deepEqual(t.values, ["no", "yes"], "row values sorted");
    assert.deepEqual(t.byValues, ["False.", "True."], "label values sorted");
    assert.deepEqual(t.counts, [
      [3, 1],
      [1, 3],
    ]);
    assert.deepEqual(t.table, [
      [0.75, 0.25],
      [0.25, 0.75],
    ]);
  });

  it("normalizes per row, over all rows, or not at all", () => {
    assert.deepEqual(crosstab(frame(), "plan", "churn", { normalize: "index" }).table, [
      [0.75, 0.25],
      [0.25, 0.75],
    ]);
    assert.deepEqual(crosstab(frame(), "plan", "churn", { normalize: "all" }).table, [
      [3 / 8, 1 / 8],
      [1 / 8, 3 / 8],
    ]);
    assert.deepEqual(crosstab(frame(), "plan", "churn", { normalize: "none" }).table, [
      [3, 1],
      [1, 3],
    ]);
  });

  it("sorts numeric values as numbers and counts every row", () => {
    const t = crosstab(frame(), "code", "churn", { normalize: "none" });
    assert.deepEqual(t.values, ["408", "415", "510"]);
    assert.deepEqual(t.counts, [
      [1, 2],
      [2, 2],
      [1, 1],
    ]);
  });

  it("shows itself as a table with 6 decimals, like pandas", () => {
    const bundle = crosstab(frame(), "plan", "churn")[JUPYTER_DISPLAY]();
    assert.equal(
      bundle["text/plain"],
      [
        "plan by churn (share of each churn value's rows)",
        "plan    False.     True.",
        "no    0.750000  0.250000",
        "yes   0.250000  0.750000",
      ].join("\n"),
    );
    assert.match(bundle["text/html"] as string, /<tr><th>no<\/th><td>0\.750000<\/td><td>0\.250000<\/td><\/tr>/);
  });

  it("names a missing column and a bad normalization", () => {
    assert.throws(() => crosstab(frame(), "Plan", "churn"), SchemaError);
    assert.throws(() => crosstab(frame(), "plan", "Churn?"), /crosstab by column missing: "Churn\?"/);
    assert.throws(() => crosstab(frame(), "plan", "churn", { normalize: "rows" as never }), RangeError);
  });
});

describe("ProfileReport.crosstab / crosstabs", () => {
  it("tabulates against the profiled label, every text column, and names the ones with too many values", () => {
    const report = profileReport(frame(), { label: "churn" });
    assert.deepEqual(report.crosstab("plan").table[1], [0.25, 0.75]);
    const all = report.crosstabs();
    assert.deepEqual(
      all.tables.map((t) => t.column),
      ["plan"],
      "text columns only: code is numeric",
    );
    const few = report.crosstabs({ columns: ["plan", "code"], maxValues: 2 });
    assert.deepEqual(
      few.tables.map((t) => t.column),
      ["plan"],
    );
    assert.deepEqual(few.skipped, [{ column: "code", reason: "3 distinct values (more than maxValues 2)" }]);
    assert.match(few[JUPYTER_DISPLAY]()["text/plain"], /Not tabulated: code: 3 distinct values/);
  });

  it("needs a label or a by column", () => {
    assert.throws(() => profileReport(frame()).crosstab("plan"), /no label was profiled/);
    assert.deepEqual(profileReport(frame()).crosstab("plan", { by: "churn" }).counts[0], [3, 1]);
  });

  it("gives the workshop's Int'l Plan shares on churn.txt (no: 0.5 of False., 0.5028 of True.)", function () {
    const { df } = readTable(CHURN, { label: "Churn?", positive: "True." });
    const report = profileReport(df, { preset: "pandas-profiling-2.11", label: "Churn?", correlations: false });
    const plan = report.crosstab("Int'l Plan");
    assert.deepEqual(plan.counts, [
      [1251, 1256],
      [1251, 1242],
    ]);
    assert.equal(plan.table[0][1].toFixed(4), "0.5028", "reference notebook A.5: Int'l Plan no, True. 0.5028");
    const all = report.crosstabs();
    assert.deepEqual(
      all.tables.map((t) => t.column),
      ["State", "Int'l Plan", "VMail Plan"],
    );
    assert.deepEqual(all.skipped, [{ column: "Phone", reason: "4,999 distinct values (more than maxValues 60)" }]);
    assert.equal(all.tables[0].values.length, 51, "50 states and DC");
  });
});

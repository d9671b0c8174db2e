import assert from "node:assert/strict";
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { labelToBinary } from "../../src/tabular/clean";
import { compareSplits, ksStatistic, psi } from "../../src/tabular/compare-splits";
import { RandomState } from "../../src/tabular/random";
import { split } from "../../src/tabular/split";
import { SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";

// readCSV treats a string path without a .csv/.tsv extension as CSV text, so pass the bytes.
const readChurn = () => labelToBinary(pl.readCSV(fs.readFileSync(CHURN)), { label: "Churn?", positive: "True." });

function uniform(n: number, seed: number, shift = 0): number[] {
  const rs = new RandomState(seed);
  return Array.from({ length: n }, () => rs.random() + shift);
}

describe("psi", () => {
  it("is 0 for equal shares and grows with the shift", () => {
    assert.equal(psi([10, 20, 30], [1, 2, 3]), 0, "same proportions");
    const expected = (0.5 - 0.25) * Math.log(0.5 / 0.25) + (0.5 - 0.75) * Math.log(0.5 / 0.75);
    assert.ok(Math.abs(psi([25, 75], [50, 50]) - expected) < 1e-15, "hand-computed two-bin PSI");
  });
});

describe("ksStatistic", () => {
  it("is the largest CDF gap", () => {
    assert.equal(ksStatistic(Float64Array.from([1, 2, 3, 4]), Float64Array.from([3, 4, 5, 6])), 0.5, "half shifted");
    assert.equal(ksStatistic(Float64Array.from([1, 2]), Float64Array.from([1, 2])), 0, "identical");
  });
});

describe("compareSplits", () => {
  it("flags a planted mean shift as a major PSI shift and leaves an unshifted split alone", () => {
    const train = pl.DataFrame({ x: uniform(2000, 1) });
    const validation = pl.DataFrame({ x: uniform(500, 2, 0.5) });
    const test = pl.DataFrame({ x: uniform(500, 3) });
    const result = compareSplits(train, validation, test);
    const x = result.columns[0];
    assert.ok(x.psi.validation > 0.25, `shifted PSI ${x.psi.validation}`);
    assert.ok(x.psi.test < 0.1, `unshifted PSI ${x.psi.test}`);
    assert.ok(x.ks!.validation > 0.4 && x.ks!.test < 0.1, `KS ${x.ks!.validation} / ${x.ks!.test}`);
    assert.equal(x.level, "major", "level");
    assert.deepEqual(
      result.alerts.map((a) => [a.code, a.split]),
      [["PSI_MAJOR", "validation"]],
      "exactly one alert",
    );
  });

  it("counts shared rows and unseen categories exactly", () => {
    const frame = (a: number[], c: string[]) => pl.DataFrame([pl.Series("a", a, pl.Int64), pl.Series("c", c)]);
    const train = frame([1, 2, 3, 4], ["x", "y", "x", "y"]);
    const validation = frame([1, 5, 6], ["x", "z", "w"]);
    const test = frame([5, 2, 7, 8], ["z", "y", "q", "x"]);
    const result = compareSplits(train, validation, test);
    assert.deepEqual(result.overlap, { trainValidation: 1, trainTest: 1, validationTest: 1 }, "overlap");
    const c = result.columns.find((d) => d.column === "c")!;
    assert.deepEqual(c.unseen, { validation: ["w", "z"], test: ["q", "z"] }, "unseen categories");
    assert.equal(result.alerts.filter((a) => a.code === "UNSEEN_CATEGORY").length, 2, "one unseen alert per split");
    assert.equal(result.alerts.filter((a) => a.code === "ROW_OVERLAP").length, 3, "one overlap alert per pair");
  });

  it("aligns dtypes before hashing, so 1 (Int64) and 1.0 (Float64) rows count as shared", () => {
    const train = pl.DataFrame([pl.Series("x", [1, 2], pl.Float64)]);
    const other = pl.DataFrame([pl.Series("x", [1, 3], pl.Int64)]);
    assert.deepEqual(
      compareSplits(train, other, other).overlap,
      { trainValidation: 1, trainTest: 1, validationTest: 2 },
      "overlap after alignment",
    );
  });

  it("finds no numeric drift above 0.1 on the workshop's 80/10/10 churn split (PSI/KS as numpy computes them)", () => {
    const s = split(readChurn(), { seed: 1024 });
    const result = compareSplits(s.train, s.validation, s.test, { label: "Churn?" });
    const numeric = result.columns.filter((c) => c.kind === "numeric");
    assert.equal(numeric.length, 16, "16 numeric columns besides the label");
    const maxPsi = Math.max(...numeric.flatMap((c) => [c.psi.validation, c.psi.test]));
    // numpy reference (np.quantile deciles, searchsorted, floor 1e-4): max 0.04155915940002116, Night Charge /
    // validation
    assert.ok(Math.abs(maxPsi - 0.04155915940002116) < 1e-12, `max numeric PSI ${maxPsi}`);
    const day = result.columns.find((c) => c.column === "Day Mins")!;
    assert.ok(Math.abs(day.psi.test - 0.022231846792388914) < 1e-12, `Day Mins test PSI ${day.psi.test}`);
    assert.ok(Math.abs(day.ks!.test - 0.0475) < 1e-12, `Day Mins test KS ${day.ks!.test}`);
    assert.deepEqual(result.labelRate, { train: 0.4995, validation: 0.492, test: 0.508 }, "label rate per split");
    assert.deepEqual(result.overlap, { trainValidation: 0, trainTest: 0, validationTest: 0 }, "no row in two splits");
    const phone = result.columns.find((c) => c.column === "Phone")!;
    assert.deepEqual(
      [phone.unseen.validation.length, phone.unseen.test.length],
      [499, 500],
      "Phone is an identifier: 614-5668 repeats once",
    );
    const state = result.columns.find((c) => c.column === "State")!;
    assert.ok(
      Math.abs(state.psi.test - 0.10314803545839825) < 1e-12 && state.level === "moderate",
      `State test PSI ${state.psi.test}`,
    );
    assert.deepEqual(
      result.alerts.filter((a) => a.code.startsWith("PSI")).map((a) => `${a.code} ${a.column} ${a.split}`),
      ["PSI_MODERATE State test", "PSI_MAJOR Phone validation", "PSI_MAJOR Phone test"],
      "PSI alerts",
    );
  });

  it("shows itself as an HTML table with highlighted rows and a text fallback", () => {
    const train = pl.DataFrame({ "x<y": uniform(200, 1) });
    const result = compareSplits(
      train,
      pl.DataFrame({ "x<y": uniform(50, 2, 0.5) }),
      pl.DataFrame({ "x<y": uniform(50, 3) }),
    );
    const bundle = result[JUPYTER_DISPLAY]();
    assert.match(
      bundle["text/html"] as string,
      /<tr style="background:#f8d7da"><td>x&#60;y<\/td>/,
      "escaped, highlighted major row",
    );
    assert.match(bundle["text/plain"], /x<y .*MAJOR/, "plain text names the shift");
  });

  it("names a column missing from a split", () => {
    const df = pl.DataFrame({ a: [1], b: [2] });
    assert.throws(
      () => compareSplits(df, df.drop("b"), df),
      (e: Error) => e instanceof SchemaError && /validation split: "b"/.test(e.message),
      "missing b",
    );
  });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { labelToBinary } from "../../src/tabular/clean";
import { compareSplits, ksStatistic, psi } from "../../src/tabular/compare-splits";
import { RandomState } from "../../src/util/numpy-random-state";
import { split } from "../../src/tabular/split";
import { reference } from "../helpers/reference";
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
    // numpy/scipy reference (np.quantile deciles, searchsorted, floor 1e-4; ks_2samp): test/fixtures/reference/
    // split.json, made by make_split.py. Max numeric PSI 0.04155915940002116 (Night Charge / validation).
    const NP = reference("split");
    const numeric = result.columns.filter((c) => c.kind === "numeric");
    assert.equal(numeric.length, NP.numericColumns, "16 numeric columns besides the label");
    for (const c of result.columns) {
      const ref = NP.drift[c.column];
      assert.equal(c.kind, ref.kind, `${c.column} kind`);
      for (const part of ["validation", "test"] as const) {
        const what = `${c.column} ${part}`;
        assert.ok(
          Math.abs(c.psi[part] - ref[`psi_${part}`]) < 1e-12,
          `${what} PSI ${c.psi[part]} vs ${ref[`psi_${part}`]}`,
        );
        if (c.kind === "numeric")
          assert.ok(Math.abs(c.ks![part] - ref[`ks_${part}`]) < 1e-12, `${what} KS ${c.ks![part]}`);
        else assert.equal(c.unseen[part].length, ref[`unseen_${part}`], `${what} unseen categories`);
      }
    }
    const maxPsi = Math.max(...numeric.flatMap((c) => [c.psi.validation, c.psi.test]));
    assert.ok(Math.abs(maxPsi - NP.maxNumericPsi.value) < 1e-12 && maxPsi < 0.1, `max numeric PSI ${maxPsi}`);
    assert.deepEqual(result.labelRate, NP.labelRate, "label rate per split");
    assert.deepEqual(result.overlap, { trainValidation: 0, trainTest: 0, validationTest: 0 }, "no row in two splits");
    const phone = result.columns.find((c) => c.column === "Phone")!;
    assert.deepEqual(
      [phone.unseen.validation.length, phone.unseen.test.length],
      [499, 500],
      "Phone is an identifier: 614-5668 repeats once",
    );
    const state = result.columns.find((c) => c.column === "State")!;
    assert.equal(state.level, "moderate", `State test PSI ${state.psi.test}`);
    assert.deepEqual(
      result.alerts.filter((a) => a.code.startsWith("PSI")).map((a) => `${a.code} ${a.column} ${a.split}`),
      NP.psiAlerts,
      "PSI alerts (thresholds 0.1 and 0.25)",
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

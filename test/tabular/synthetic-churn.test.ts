import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTable } from "../../src/tabular/read-table";
import { CHURN_COLUMNS, syntheticChurn } from "../../src/tabular/synthetic-churn";
import { CHURN } from "../helpers/data";

/** Means of the real churn.txt (workshop.md A.0 describe()); the synthetic ones must be within 10%. */
const REAL_MEANS: Record<string, number> = {
  "Account Length": 101.676,
  "Area Code": 773.791,
  "VMail Message": 226.68,
  "Day Mins": 5.5188,
  "Day Calls": 3.5046,
  "Day Charge": 5.0189,
  "Eve Mins": 5.0262,
  "Eve Calls": 3.1404,
  "Eve Charge": 5.0176,
  "Night Mins": 4.0009,
  "Night Calls": 224.79,
  "Night Charge": 5.0235,
  "Intl Mins": 5.0259,
  "Intl Calls": 5.4754,
  "Intl Charge": 4.3282,
  "CustServ Calls": 5.5258,
};

/** The text split into rows of fields (the synthetic file has no quoting). */
const parse = (text: string) =>
  text
    .split("\n")
    .slice(1)
    .map((line) => line.split(","));
const column = (rows: string[][], name: string) => rows.map((r) => r[CHURN_COLUMNS.indexOf(name)]);
const numbers = (rows: string[][], name: string) => column(rows, name).map(Number);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Area under the ROC curve of `score` for `positive` (Mann-Whitney, ties counted half). */
function auc(score: number[], positive: boolean[]): number {
  const order = score.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(score.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const nPos = positive.filter(Boolean).length;
  const rankSum = ranks.reduce((acc, r, i) => acc + (positive[i] ? r : 0), 0);
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * (positive.length - nPos));
}

describe("syntheticChurn", () => {
  const text = syntheticChurn();
  const rows = parse(text);
  const churned = column(rows, "Churn?").map((v) => v === "True.");

  it("has the real file's header, 5,000 rows, LF line ends and no trailing newline", () => {
    // The real file's lines all end in CRLF (the synthetic file's in LF); the names are what must match.
    const realLine = fs.readFileSync(CHURN, "utf8").split("\n")[0];
    assert.ok(realLine.endsWith("\r"), "the real header line ends with CR");
    const realHeader = realLine.slice(0, -1);
    assert.equal(text.split("\n")[0], realHeader, "header");
    assert.deepEqual([...CHURN_COLUMNS], realHeader.split(","), "CHURN_COLUMNS");
    assert.equal(rows.length, 5000, "rows");
    assert.ok(
      rows.every((r) => r.length === 21),
      "21 fields in every row",
    );
    assert.ok(!text.includes("\r") && !text.endsWith("\n"), "LF only, no trailing newline");
  });

  it("reads back with the real file's dtype for every column", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synthetic-churn-"));
    try {
      const file = path.join(dir, "churn.txt");
      fs.writeFileSync(file, text);
      const synthetic = readTable(file).df;
      const real = readTable(CHURN).df;
      assert.deepEqual(
        synthetic.dtypes.map((d) => d.variant),
        real.dtypes.map((d) => d.variant),
        "dtypes column by column",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a near-balanced label: 2,513 True. (50.3%)", () => {
    const values = new Set(column(rows, "Churn?"));
    assert.deepEqual([...values].sort(), ["False.", "True."], "label values");
    const share = churned.filter(Boolean).length / rows.length;
    assert.equal(churned.filter(Boolean).length, 2513, "True. count for seed 1024");
    assert.ok(share >= 0.45 && share <= 0.55, `True. share ${share} within 45-55%`);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    assert.equal(syntheticChurn({ seed: 1024 }), text, "default seed is 1024");
    assert.equal(syntheticChurn({ rows: 50, seed: 7 }), syntheticChurn({ rows: 50, seed: 7 }), "same seed, same text");
    assert.notEqual(
      syntheticChurn({ rows: 50, seed: 7 }),
      syntheticChurn({ rows: 50, seed: 8 }),
      "another seed, another text",
    );
    assert.equal(syntheticChurn({ rows: 0 }), CHURN_COLUMNS.join(","), "0 rows is the header alone");
    assert.throws(() => syntheticChurn({ rows: 1.5 }), RangeError, "fractional rows");
  });

  it("keeps every numeric mean within 10% of the real file's", () => {
    for (const [name, real] of Object.entries(REAL_MEANS)) {
      const got = mean(numbers(rows, name));
      assert.ok(Math.abs(got / real - 1) <= 0.1, `${name}: mean ${got.toFixed(4)} vs real ${real} (within 10%)`);
    }
  });

  it("draws categorical and count columns from the real file's value sets", () => {
    const states = new Set(column(rows, "State"));
    assert.equal(states.size, 51, "51 states incl. DC");
    assert.ok(
      [...states].every((s) => /^[A-Z]{2}$/.test(s)),
      "2-letter codes",
    );
    const areas = new Set(numbers(rows, "Area Code"));
    assert.equal(areas.size, 33, "33 area codes");
    assert.ok(
      [...areas].every((a) => a >= 657 && a <= 878),
      "area codes in 657-878",
    );
    const phones = column(rows, "Phone");
    assert.ok(
      phones.every((p) => /^\d{3}-\d{4}$/.test(p)),
      "ddd-dddd phones",
    );
    assert.ok(new Set(phones).size >= 4990, `phones nearly unique (${new Set(phones).size} distinct)`);
    for (const plan of ["Int'l Plan", "VMail Plan"]) {
      const yes = column(rows, plan).filter((v) => v === "yes").length / rows.length;
      assert.ok(
        column(rows, plan).every((v) => v === "yes" || v === "no") && yes > 0.47 && yes < 0.53,
        `${plan} yes/no ~50/50 (${yes})`,
      );
    }
    const vmail = numbers(rows, "VMail Message");
    const zeros = vmail.filter((v) => v === 0).length / rows.length;
    assert.ok(
      vmail.every((v) => v % 100 === 0 && v <= 1300) && zeros > 0.47 && zeros < 0.55,
      `VMail Message: multiples of 100, ~51% zeros (${zeros})`,
    );
    assert.ok(
      numbers(rows, "Night Calls").every((v) => v % 50 === 0 && v >= 0 && v <= 550),
      "Night Calls: multiples of 50 in 0-550",
    );
    const ranges: Array<[string, number]> = [
      ["Day Calls", 10],
      ["Eve Calls", 14],
      ["Intl Calls", 12],
      ["CustServ Calls", 13],
    ];
    for (const [name, max] of ranges)
      assert.ok(
        numbers(rows, name).every((v) => Number.isInteger(v) && v >= 0 && v <= max),
        `${name} in 0-${max}`,
      );
    const dayMins = column(rows, "Day Mins");
    assert.ok(
      dayMins.every((v) => Number(v) > 0) && mean(dayMins.map((v) => v.length)) > 15,
      "Day Mins positive, written with many digits",
    );
  });

  it("makes the label learnable from the same features as the real file", () => {
    // Single-feature AUCs of the real file: Day Mins 0.843, Night Charge 0.838, Night Calls 0.203, CustServ 0.509.
    const check: Array<[string, number, number]> = [
      ["Day Mins", 0.8, 0.9],
      ["Night Charge", 0.8, 0.9],
      ["Night Calls", 0.15, 0.25],
      ["Eve Mins", 0.7, 0.8],
      ["CustServ Calls", 0.45, 0.55],
    ];
    for (const [name, lo, hi] of check) {
      const a = auc(numbers(rows, name), churned);
      assert.ok(a >= lo && a <= hi, `${name} AUC ${a.toFixed(3)} in [${lo}, ${hi}]`);
    }
  });
});

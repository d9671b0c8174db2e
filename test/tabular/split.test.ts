import assert from "node:assert/strict";
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { labelToBinary } from "../../src/tabular/clean";
import { split, splitBoundaries } from "../../src/tabular/split";
import { CHURN } from "../helpers/data";
import { reference } from "../helpers/reference";

// readCSV treats a string path without a .csv/.tsv extension as CSV text, so pass the bytes.
const readChurn = () => labelToBinary(pl.readCSV(fs.readFileSync(CHURN)), { label: "Churn?", positive: "True." });
const ones = (df: pl.DataFrame) => df.getColumn("Churn?").sum() as number;

describe("splitBoundaries", () => {
  it("cuts like np.split at int(c·n)", () => {
    assert.deepEqual(splitBoundaries(5000, [0.8, 0.1, 0.1]), [4000, 4500], "80/10/10");
    assert.deepEqual(splitBoundaries(5000, [0.7, 0.2, 0.1]), [3500, 4500], "70/20/10 (0.7+0.2 is 0.8999… in floats)");
    assert.deepEqual(splitBoundaries(7, [0.8, 0.1, 0.1]), [5, 6], "int(5.6), int(6.3)");
  });

  it("rejects ratios that do not sum to 1", () => {
    assert.throws(() => splitBoundaries(10, [0.8, 0.1, 0.2]), RangeError, "sum 1.1");
    assert.throws(() => splitBoundaries(10, [1.1, -0.1, 0]), RangeError, "negative ratio");
  });
});

describe("split", () => {
  it("reproduces the workshop's numpy split of churn.txt (4,000/500/500, test 246 zeros / 254 ones)", () => {
    const churn = readChurn();
    const s = split(churn, { ratios: [0.8, 0.1, 0.1], seed: 1024 });
    // numpy 2.4.6: RandomState(1024).permutation, y[perm] split at [4000, 4500] (test/fixtures/reference/split.json,
    // made by make_split.py)
    const NP = reference("split");
    assert.deepEqual([s.train.height, s.validation.height, s.test.height], NP.sizes, "sizes");
    assert.deepEqual(Array.from(s.indices.train.subarray(0, 5)), NP.trainHead, "first shuffled rows");
    assert.deepEqual(NP.trainHead, [340, 3961, 561, 3623, 2427], "the workshop's first rows (A.6)");
    assert.deepEqual(s.train.row(0), churn.row(340), "frame rows follow the indices");
    assert.deepEqual([ones(s.train), ones(s.validation), ones(s.test)], NP.ones, "ones per split");
    assert.equal(s.test.height - ones(s.test), 246, "test zeros (workshop A.6 support 246/254)");
    assert.deepEqual(Array.from(s.indices.test.subarray(495)), NP.testTail, "last rows of the test split");
  });

  it("keeps the label rate in every split when stratified", () => {
    const churn = readChurn();
    const s = split(churn, { stratify: "Churn?", seed: 1024 });
    assert.deepEqual([s.train.height, s.validation.height, s.test.height], [4000, 500, 500], "sizes unchanged");
    const rate = 2498 / 5000;
    for (const [name, df] of [
      ["train", s.train],
      ["validation", s.validation],
      ["test", s.test],
    ] as const) {
      assert.ok(Math.abs(ones(df) - rate * df.height) <= 1, `${name}: ${ones(df)} ones of ${df.height}`);
    }
    const all = new Set([...s.indices.train, ...s.indices.validation, ...s.indices.test]);
    assert.equal(all.size, 5000, "every row exactly once");
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const df = pl.DataFrame({ x: Array.from({ length: 100 }, (_, i) => i) });
    assert.deepEqual(
      Array.from(split(df, { seed: 5 }).indices.test),
      Array.from(split(df, { seed: 5 }).indices.test),
      "same seed",
    );
    assert.notDeepEqual(
      Array.from(split(df, { seed: 5 }).indices.test),
      Array.from(split(df, { seed: 6 }).indices.test),
      "other seed",
    );
  });

  it("names a missing stratify column", () => {
    assert.throws(
      () => split(pl.DataFrame({ x: [1] }), { stratify: "y" }),
      /stratify column is missing: "y"/,
      "missing column",
    );
  });
});

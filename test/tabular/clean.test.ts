import assert from "node:assert/strict";
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { castCategorical, dropColumns, dropCorrelated, labelToBinary, oneHot, pearson } from "../../src/tabular/clean";
import { SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";
import { reference } from "../helpers/reference";

// readCSV treats a string path without a .csv/.tsv extension as CSV text, so pass the bytes.
const readChurn = () => pl.readCSV(fs.readFileSync(CHURN));
const small = () =>
  pl.DataFrame([
    pl.Series("b", ["y", "x", null, "x"]),
    pl.Series("a", [1, 2, 3, 4], pl.Int64),
    pl.Series("c", [20, 3, 3, 100], pl.Int64),
    pl.Series("d", ["B", "a", "b", "A"]),
    pl.Series("y", ["True.", "False.", "True.", "True."]),
  ]);

// pandas numbers and names: test/fixtures/reference/clean.json, made by make_clean.py (pandas 3.1.1) from
// small()'s values and churn.txt.
const PD = reference("clean");

describe("labelToBinary", () => {
  it("maps the positive value to 1 and moves the label first", () => {
    const out = labelToBinary(small(), { label: "y", positive: "True." });
    assert.deepEqual(out.columns, ["y", "b", "a", "c", "d"], "label first, the rest in order");
    assert.deepEqual(out.getColumn("y").toArray(), [1, 0, 1, 1], "0/1 values");
  });

  it("gives the workshop's 2,498 ones on churn.txt", () => {
    const out = labelToBinary(readChurn(), { label: "Churn?", positive: "True." });
    assert.equal(out.columns[0], "Churn?", "label is column 0");
    assert.equal(out.getColumn("Churn?").sum(), PD.churn.labelOnes, "True. count (pandas: 2498)");
    assert.equal(out.width, PD.churn.width, "still 21 columns");
  });

  it("rejects an absent label, a third value and a null, naming the column", () => {
    assert.throws(
      () => labelToBinary(small(), { label: "nope", positive: "x" }),
      (e: Error) => e instanceof SchemaError && e.message.includes('"nope"'),
      "absent",
    );
    assert.throws(
      () => labelToBinary(small(), { label: "d", positive: "a" }),
      (e: Error) => e instanceof SchemaError && /more than two values: column "d"/.test(e.message),
      "four values",
    );
    assert.throws(
      () => labelToBinary(small(), { label: "b", positive: "x" }),
      (e: Error) => e instanceof SchemaError && /null: row 2, column "b"/.test(e.message),
      "null label",
    );
    assert.throws(
      () => labelToBinary(small(), { label: "y", positive: "yes" }),
      SchemaError,
      "positive value not among two values",
    );
  });
});

describe("dropColumns", () => {
  it("drops the named columns and rejects unknown ones", () => {
    assert.deepEqual(dropColumns(small(), ["a", "d"]).columns, ["b", "c", "y"], "remaining");
    assert.throws(() => dropColumns(small(), ["zzz"]), /column is missing: "zzz"/, "unknown column");
  });
});

describe("castCategorical", () => {
  it("turns integers into strings", () => {
    const out = castCategorical(small(), ["c"]);
    assert.deepEqual(out.getColumn("c").toArray(), ["20", "3", "3", "100"], "string values");
    assert.deepEqual(out.columns, small().columns, "column order kept");
  });
});

describe("oneHot", () => {
  it("matches pd.get_dummies column names and order (make_clean.py, pandas 3.1.1)", () => {
    const gd = PD.getDummies;
    assert.deepEqual(oneHot(small().drop("y")).columns, gd.default, "default: string columns");
    assert.deepEqual(
      oneHot(small(), { columns: ["d", "b", "c"] }).columns,
      gd.columns_d_b_c,
      "explicit list order; numbers sorted numerically",
    );
    assert.deepEqual(
      oneHot(small(), { columns: ["d", "b", "c"], dropFirst: true }).columns,
      gd.columns_d_b_c_dropFirst,
      "drop_first",
    );
    assert.deepEqual(oneHot(pl.DataFrame({ f: [1.0, 2.5] }), { columns: ["f"] }).columns, gd.floats, "floats keep .0");
  });

  it("writes 0/1 and all zeros for a null", () => {
    const out = oneHot(small(), { columns: ["b"] });
    // pd.get_dummies(small(), columns=["b"]) (make_clean.py): [0, 1, 0, 1] and [1, 0, 0, 0]
    assert.deepEqual(out.getColumn("b_x").toArray(), PD.getDummies.b_x, "b_x");
    assert.deepEqual(out.getColumn("b_y").toArray(), PD.getDummies.b_y, "b_y");
    assert.equal(out.getColumn("b_x").dtype.variant, "UInt8", "uint8 dummies");
  });

  it("encodes the workshop's churn features like pandas", () => {
    const labelled = labelToBinary(readChurn(), { label: "Churn?", positive: "True." });
    const out = oneHot(dropColumns(labelled, ["State", "Area Code", "Phone"]), {
      columns: ["Int'l Plan", "VMail Plan"],
    });
    const ref = PD.churn.prepared; // make_clean.py
    assert.equal(out.width, ref.width, "label + 15 numeric + 4 dummies");
    assert.deepEqual(out.columns.slice(-4), ref.last4, "dummies last");
    assert.equal(out.getColumn("Int'l Plan_yes").sum(), ref["Int'l Plan_yes"], "Int'l Plan yes count");
    assert.equal(out.getColumn("VMail Plan_yes").sum(), ref["VMail Plan_yes"], "VMail Plan yes count");
  });

  it("reproduces the AWS recipe's 101 get_dummies columns", () => {
    let df = castCategorical(dropColumns(readChurn(), ["Phone"]), ["Area Code"]);
    df = oneHot(dropColumns(df, ["Day Charge", "Eve Charge", "Night Charge", "Intl Charge"]));
    const ref = PD.churn.awsRecipe; // make_clean.py
    assert.equal(df.width, ref.width, "11 numeric + 51 State + 33 Area Code + 2 + 2 + 2 Churn?");
    assert.deepEqual(df.columns.slice(60, 66), ref.columns60to66, "pandas order");
  });
});

describe("dropCorrelated", () => {
  const numeric = () => castCategorical(dropColumns(readChurn(), ["State", "Phone", "Churn?"]), ["Area Code"]);

  it("drops the later column of each pair at or above the threshold, like the pandas upper-triangle recipe", () => {
    // the pandas recipe on the same columns (make_clean.py)
    const ref = PD.dropCorrelated;
    const six = dropCorrelated(numeric(), { threshold: 0.6 });
    assert.deepEqual(six.dropped, ref["0.6"].dropped, "threshold 0.6");
    const seven = dropCorrelated(numeric(), { threshold: 0.7 });
    assert.deepEqual(seven.dropped, ref["0.7"].dropped, "threshold 0.7");
    assert.equal(seven.pairs.length, ref["0.7"].pairs.length, "pairs at 0.7");
    assert.equal(seven.pairs[0].kept, ref["0.7"].pairs[0].kept, "kept column");
    assert.ok(Math.abs(seven.pairs[0].r - ref["0.7"].pairs[0].r) < 1e-12, `r ${seven.pairs[0].r}`);
    assert.deepEqual(ref["0.9"].dropped, [], "pandas drops nothing at 0.9");
    assert.equal(dropCorrelated(numeric(), { threshold: 0.9 }).dropped.length, 0, "no pair reaches 0.9 (workshop A.0)");
    assert.ok(!seven.frame.columns.includes("Eve Charge"), "dropped from the frame");
  });

  it("uses a given matrix and leaves excluded columns alone", () => {
    const df = pl.DataFrame({ y: [0, 1], a: [1, 2], b: [2, 3] });
    const matrix = {
      columns: ["y", "a", "b"],
      values: [
        [1, 0.95, 0.2],
        [0.95, 1, -0.97],
        [0.2, -0.97, 1],
      ],
    };
    assert.deepEqual(dropCorrelated(df, { threshold: 0.9, matrix }).dropped, ["a", "b"], "with y");
    assert.deepEqual(dropCorrelated(df, { threshold: 0.9, matrix, exclude: ["y"] }).dropped, ["b"], "without y");
  });

  it("computes Pearson r", () => {
    assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1, "perfect");
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), "constant gives NaN");
  });
});

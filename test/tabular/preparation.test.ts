import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pl from "nodejs-polars";
import { applyPreparation, fitPreparation, loadPreparation, savePreparation } from "../../src/tabular/preparation";
import { split } from "../../src/tabular/split";
import { FormatError, SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";

// readCSV treats a string path without a .csv/.tsv extension as CSV text, so pass the bytes.
const readChurn = () => pl.readCSV(fs.readFileSync(CHURN));
const churnOptions = {
  label: "Churn?",
  positive: "True.",
  drop: ["Phone"],
  categorical: ["Area Code"],
  oneHot: ["State", "Area Code", "Int'l Plan", "VMail Plan"],
};
const small = () =>
  pl.DataFrame([pl.Series("plan", ["no", "yes", "no"]), pl.Series("x", [1.5, 2, 3]), pl.Series("y", ["a", "b", "a"])]);

describe("fitPreparation", () => {
  it("records the label mapping, categories and the one-hot column order", () => {
    const prep = fitPreparation(small(), { label: "y", positive: "b", oneHot: ["plan"], dropFirst: false });
    assert.deepEqual(prep.label, { column: "y", positive: "b", negative: "a" }, "label mapping");
    assert.deepEqual(prep.oneHot, [{ column: "plan", categories: ["no", "yes"], dropped: null }], "categories");
    assert.deepEqual(prep.columns, ["y", "x", "plan_no", "plan_yes"], "label first, passthrough, dummies");
    assert.deepEqual(prep.dtypes, { x: "Float64" }, "passthrough dtypes");
  });

  it("encodes churn train and test separately into identical column lists", () => {
    const s = split(readChurn(), { seed: 1024 });
    const prep = fitPreparation(s.train, churnOptions);
    const train = applyPreparation(prep, s.train);
    const test = applyPreparation(prep, s.test);
    assert.deepEqual(test.columns, train.columns, "same columns, same order");
    assert.equal(train.width, 104, "label + 15 numeric + 51 State + 33 Area Code + 2 + 2");
    assert.deepEqual(train.columns.slice(0, 2), ["Churn?", "Account Length"], "label first");
    assert.deepEqual(
      train.columns.slice(67, 69),
      ["Area Code_657", "Area Code_658"],
      "Area Code dummies after the 51 State dummies",
    );
    assert.equal(test.getColumn("Churn?").sum(), 254, "test ones (workshop A.6)");
    assert.equal(
      test.getColumn("Int'l Plan_yes").sum() + test.getColumn("Int'l Plan_no").sum(),
      500,
      "one dummy per row",
    );
  });

  it("rejects a non-binary label and a column both dropped and encoded", () => {
    assert.throws(
      () => fitPreparation(small(), { label: "x", positive: 2 }),
      (e: Error) => e instanceof SchemaError && /column "x" has 3 values/.test(e.message),
      "three values",
    );
    assert.throws(
      () => fitPreparation(small(), { label: "y", positive: "b", drop: ["plan"], oneHot: ["plan"] }),
      /both dropped and encoded: "plan"/,
      "conflict",
    );
  });
});

describe("applyPreparation", () => {
  it("follows the unseen policy: error names column, value and row; ignore gives all zeros", () => {
    const raw = pl.DataFrame([pl.Series("plan", ["yes", "maybe"]), pl.Series("x", [1, 2]), pl.Series("y", ["a", "a"])]);
    const strict = fitPreparation(small(), { label: "y", positive: "b", oneHot: ["plan"] });
    assert.throws(
      () => applyPreparation(strict, raw),
      (e: Error) => e instanceof SchemaError && e.message.includes('"maybe" at row 1, column "plan"'),
      "unseen error",
    );
    const lenient = fitPreparation(small(), { label: "y", positive: "b", oneHot: ["plan"], unseen: "ignore" });
    const out = applyPreparation(lenient, raw);
    assert.deepEqual(
      out.rows(),
      [
        [0, 1, 0, 1],
        [0, 2, 0, 0],
      ],
      "maybe → all zeros; x cast back to Float64",
    );
    assert.equal(out.getColumn("x").dtype.variant, "Float64", "dtype restored");
  });

  it("accepts data without the label and rejects a missing feature", () => {
    const prep = fitPreparation(small(), { label: "y", positive: "b", oneHot: ["plan"], dropFirst: true });
    const out = applyPreparation(prep, small().drop("y"));
    assert.deepEqual(out.columns, ["x", "plan_yes"], "no label at inference; first category dropped");
    assert.throws(() => applyPreparation(prep, small().drop("x")), /input column is missing: "x"/, "missing feature");
    assert.throws(
      () => applyPreparation(prep, small().withColumn(pl.Series("y", ["a", "c", "a"]))),
      /label value is unknown: "c".*row 1/,
      "unknown label",
    );
  });
});

describe("savePreparation", () => {
  it("round-trips through versioned JSON and re-applies identically", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prep-"));
    const file = path.join(dir, "preparation.json");
    const s = split(readChurn(), { seed: 1024 });
    const prep = fitPreparation(s.train, churnOptions);
    savePreparation(prep, file);
    const text = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(text.format, "ml-dataprep-ts/preparation", "format tag");
    assert.equal(text.version, 1, "version");
    const loaded = loadPreparation(file);
    assert.deepEqual(loaded, prep, "same object");
    assert.ok(applyPreparation(loaded, s.validation).frameEqual(applyPreparation(prep, s.validation)), "same frame");
    assert.deepEqual(fs.readdirSync(dir), ["preparation.json"], "no temp file left");
    fs.rmSync(dir, { recursive: true });
  });
});

describe("loadPreparation", () => {
  it("rejects a wrong version or broken JSON, naming the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prep-"));
    const file = path.join(dir, "p.json");
    const prep = fitPreparation(small(), { label: "y", positive: "b" });
    fs.writeFileSync(file, JSON.stringify({ ...prep, version: 2 }));
    assert.throws(
      () => loadPreparation(file),
      (e: Error) =>
        e instanceof FormatError && e.message.includes("version is unsupported: 2") && e.message.includes(file),
      "version 2",
    );
    fs.writeFileSync(file, "{");
    assert.throws(
      () => loadPreparation(file),
      (e: Error) => e instanceof FormatError && e.message.includes(file),
      "broken JSON",
    );
    fs.rmSync(dir, { recursive: true });
  });
});

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { matrix, matrixFromFrame } from "../../src/util/matrix";
import { SchemaError } from "../../src/util/errors";
import { churnSplit } from "../gbt/helpers";

describe("matrixFromFrame", () => {
  it("builds a row-major 4000 x 19 matrix and the label from the prepared churn split", () => {
    const { train } = churnSplit();
    assert.equal(train.X.nRows, 4000, "rows");
    assert.equal(train.X.nCols, 19, "features");
    assert.equal(train.X.columns?.[0], "Account Length", "label-first frame: features start after the label");
    assert.equal(train.X.columns?.[18], "VMail Plan_yes", "one-hot columns last");
    assert.equal(train.y.length, 4000, "labels");
    assert.equal(train.y.reduce((a, b) => a + b, 0) + train.y.filter((v) => v === 0).length, 4000, "labels are 0/1");
  });

  it("puts element (r, c) at r * nCols + c and turns nulls into NaN", () => {
    const df = pl.DataFrame({ y: [0, 1, 0], a: [1.5, null, 3], b: [10, 20, 30], c: [true, false, true] });
    const { X, y } = matrixFromFrame(df, { label: "y" });
    assert.deepEqual(
      Array.from(X.data),
      [1.5, 10, 1, NaN, 20, 0, 3, 30, 1],
      "row-major with null as NaN, booleans as 0/1",
    );
    assert.deepEqual(Array.from(y as Float64Array), [0, 1, 0], "label");
    assert.deepEqual(X.columns, ["a", "b", "c"], "feature names");
  });

  it("names a non-numeric feature column", () => {
    const df = pl.DataFrame({ y: [0, 1], State: ["KS", "OH"], a: [1, 2] });
    assert.throws(
      () => matrixFromFrame(df, { label: "y" }),
      (e: Error) =>
        e instanceof SchemaError && e.message.startsWith('feature column is not numeric: "State" is String'),
    );
  });

  it("names the row of a null or NaN label", () => {
    const df = pl.DataFrame({ y: [0, 1, null, 1], a: [1, 2, 3, 4] });
    assert.throws(
      () => matrixFromFrame(df, { label: "y" }),
      (e: Error) => e instanceof SchemaError && /column "y", row 2/.test(e.message),
    );
    const nan = pl.DataFrame({ y: [0, NaN], a: [1, 2] });
    assert.throws(() => matrixFromFrame(nan, { label: "y" }), /label is missing: NaN in column "y", row 1/);
  });

  it("names a missing label column", () => {
    assert.throws(
      () => matrixFromFrame(pl.DataFrame({ a: [1] }), { label: "Churn?" }),
      /label column is missing: "Churn\?"/,
    );
  });
});

describe("matrix", () => {
  it("checks that the data length is nRows * nCols", () => {
    assert.equal(matrix([1, 2, 3, 4], 2, 2).data[3], 4, "element (1, 1)");
    assert.throws(() => matrix([1, 2, 3], 2, 2), /matrix data length is wrong: 3 \(expected nRows \* nCols = 4\)/);
  });
});

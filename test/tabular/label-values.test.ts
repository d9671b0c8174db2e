import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { labelToBinary } from "../../src/tabular/clean";
import { requireTwoClasses, resolvePositive } from "../../src/tabular/label-values";
import { applyPreparation, fitPreparation } from "../../src/tabular/preparation";
import { prepareSplits } from "../../src/tabular/prepare-splits";
import { SchemaError } from "../../src/util/errors";

/** Assert that `fn` throws a SchemaError whose message contains every one of `parts`. */
function assertSchemaError(fn: () => unknown, parts: string[], what: string): void {
  assert.throws(
    fn,
    (e: Error) => {
      assert.ok(e instanceof SchemaError, `${what}: expected a SchemaError, got ${e.name}: ${e.message}`);
      for (const part of parts)
        assert.ok(e.message.includes(part), `${what}: ${JSON.stringify(e.message)} names ${part}`);
      return true;
    },
    what,
  );
}

const oneClass = () =>
  pl.DataFrame({ a: Array.from({ length: 40 }, (_, i) => i), "Churn?": Array.from({ length: 40 }, () => "True.") });
const booleans = () =>
  pl.DataFrame({
    a: [1, 2, 3, 4, 5, 6],
    "Churn?": [true, false, false, true, false, true],
    plan: ["x", "y", "x", "y", "x", "y"],
  });

describe("resolvePositive", () => {
  it("returns the label's own value: exact, same text, or a boolean typed as text", () => {
    assert.equal(resolvePositive(["False.", "True."], "True.", "c"), "True.");
    assert.equal(resolvePositive([0, 1], "1", "c"), 1);
    for (const typed of ["True", "true", "TRUE", " true ", "1", 1, true])
      assert.equal(resolvePositive([false, true], typed, "c"), true, `${JSON.stringify(typed)} → true`);
    for (const typed of ["False", "false", "0", 0])
      assert.equal(resolvePositive([false, true], typed, "c"), false, `${JSON.stringify(typed)} → false`);
  });

  it("keeps the clear error for a value that matches nothing, and does not fold case on text labels", () => {
    assertSchemaError(
      () => resolvePositive([false, true], "yes", 'column "y"'),
      ['"yes"', "false, true", 'column "y"'],
      "yes",
    );
    assertSchemaError(
      () => resolvePositive(["False.", "True."], "true.", "c"),
      ['"true."', '"False.", "True."'],
      "case",
    );
    assertSchemaError(() => resolvePositive([false, true], "2", "c"), ['"2"'], "two");
  });
});

describe("requireTwoClasses", () => {
  it("passes two classes and names the only value of one", () => {
    requireTwoClasses(["a", "b"], "c");
    assertSchemaError(
      () => requireTwoClasses(["True."], 'column "Churn?"'),
      ["single class", '"True."', "two classes", 'column "Churn?"'],
      "one",
    );
    assertSchemaError(() => requireTwoClasses([], "c"), ["no values"], "none");
  });
});

describe("single-class and boolean labels where the label is first read", () => {
  it("fitPreparation, labelToBinary and prepareSplits reject a single class with the column and its value", () => {
    const parts = ["single class", '"True."', "two classes", '"Churn?"'];
    assertSchemaError(
      () => fitPreparation(oneClass(), { label: "Churn?", positive: "True." }),
      parts,
      "fitPreparation",
    );
    assertSchemaError(() => labelToBinary(oneClass(), { label: "Churn?", positive: "True." }), parts, "labelToBinary");
    assertSchemaError(() => prepareSplits(oneClass(), { label: "Churn?", positive: "True." }), parts, "prepareSplits");
  });

  it('fitPreparation stores true for positive "True" on a boolean label and encodes it as 1', () => {
    const prep = fitPreparation(booleans(), { label: "Churn?", positive: "True" });
    assert.deepEqual(prep.label, { column: "Churn?", positive: true, negative: false });
    assert.deepEqual(applyPreparation(prep, booleans()).getColumn("Churn?").toArray(), [1, 0, 0, 1, 0, 1]);
    assert.deepEqual(
      labelToBinary(booleans(), { label: "Churn?", positive: "true" }).getColumn("Churn?").toArray(),
      [1, 0, 0, 1, 0, 1],
    );
    assertSchemaError(
      () => fitPreparation(booleans(), { label: "Churn?", positive: "yes" }),
      ['"yes"', "false, true"],
      "yes",
    );
  });
});

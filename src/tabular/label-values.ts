/**
 * The checks every reader of a binary label shares: two classes, and which of them is the positive
 * one. A user types the positive value as the file shows it (`-p positive=True` on a label polars
 * read as booleans), so a string matches a boolean label case-insensitively, and "1"/"0" match
 * true/false.
 */
import { SchemaError } from "../util/errors";

/** A label value as polars gives it. */
export type LabelValue = string | number | boolean;

const show = (v: unknown) => JSON.stringify(v);

/**
 * Throw a SchemaError unless the label's distinct non-null `values` hold two classes.
 * `where` names the column and file, e.g. `churn.csv, column "Churn?"`.
 * @example requireTwoClasses(["True."], "column \"Churn?\"") // throws: single class "True."
 */
export function requireTwoClasses(values: readonly LabelValue[], where: string): void {
  if (values.length === 1) {
    throw new SchemaError(
      `label has a single class: every row is ${show(values[0])} (expected two classes, e.g. churned and stayed; a classifier needs both): ${where}`,
    );
  }
  if (values.length === 0)
    throw new SchemaError(`label has no values: every row is missing (expected two classes): ${where}`);
}

/** The boolean a string or number stands for ("True", "true", "1" → true), or undefined. */
function asBoolean(v: LabelValue): boolean | undefined {
  if (typeof v === "boolean") return v;
  const s = String(v).trim().toLowerCase();
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  return undefined;
}

/**
 * The label value `positive` stands for among the label's distinct `values`: the value itself, the
 * same text of another type (`"1"` for 1), or, on a boolean label, `"True"`/`"true"`/`"1"` for true.
 * Throws a SchemaError naming the values when nothing matches.
 * @example resolvePositive([false, true], "True", "column \"Churn?\"") // true
 */
export function resolvePositive(values: readonly LabelValue[], positive: LabelValue, where: string): LabelValue {
  const exact = values.find((v) => v === positive) ?? values.find((v) => String(v) === String(positive));
  if (exact !== undefined) return exact;
  if (values.every((v) => typeof v === "boolean")) {
    const b = asBoolean(positive);
    const hit = values.find((v) => v === b);
    if (hit !== undefined) return hit;
  }
  throw new SchemaError(
    `label positive value is absent: ${show(positive)} (expected one of ${values.map(show).sort().join(", ")}): ${where}`,
  );
}

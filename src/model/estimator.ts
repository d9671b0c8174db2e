/**
 * The common binary-classifier contract of the leaderboard's models (scikit-learn's estimator
 * conventions): the constructor stores hyperparameters, `fit(X, y, options?)` validates, learns
 * fields ending in `_` and returns `this`, `predictProba(X)` gives P(y = 1) per row and throws
 * NotFittedError before `fit`. Also the shared input checks, so every model words errors alike.
 */
import type { Matrix } from "../util/matrix";
import { NotFittedError } from "../util/errors";

/** Options of {@link BinaryClassifier.fit}. */
export interface ClassifierFitOptions {
  /**
   * Held-out features and 0/1 labels a model may use for early stopping (default: none; models without early stopping
   * ignore it).
   */
  evalSet?: [Matrix, ArrayLike<number>];
}

/**
 * A binary classifier the leaderboard can fit, time and score.
 * @example const p = new LogisticRegression().fit(X, y).predictProba(Xtest) // Float64Array of P(y = 1)
 */
export interface BinaryClassifier {
  /** Display name, the leaderboard's `model` column (unique within one leaderboard). */
  readonly name: string;
  /** Learn from X (row-major, nRows × nCols) and 0/1 labels y; returns this. */
  fit(X: Matrix, y: ArrayLike<number>, options?: ClassifierFitOptions): this;
  /** Probability of class 1 for every row of X. */
  predictProba(X: Matrix): Float64Array;
}

/**
 * Return a learned field, or throw NotFittedError naming the model and method when it is unset.
 * @example const coef = checkFitted(this.coef_, this.name, "predictProba")
 */
export function checkFitted<T>(value: T | undefined, what: string, method: string): T {
  if (value === undefined) throw new NotFittedError(what, method);
  return value;
}

/**
 * Check 0/1 labels (booleans count) and their count against X's rows; returns them as a Float64Array.
 * @example const y01 = checkBinaryLabels(y, X.nRows) // throws on 2, NaN or a length mismatch
 */
export function checkBinaryLabels(y: ArrayLike<number | boolean>, nRows: number, name = "y"): Float64Array {
  if (y === null || typeof y !== "object" || typeof y.length !== "number") {
    throw new TypeError(`${name} is not an array: ${y === null ? "null" : typeof y} (expected 0/1 labels)`);
  }
  if (y.length !== nRows)
    throw new RangeError(
      `${name} and X have different lengths: ${y.length} vs ${nRows} rows (expected one label per row)`,
    );
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const b = v === 1 || v === true ? 1 : v === 0 || v === false ? 0 : -1;
    if (b < 0)
      throw new RangeError(
        `${name}[${i}] is not a binary label: ${String(v)} (expected 0 or 1; use labelToBinary first)`,
      );
    out[i] = b;
  }
  return out;
}

/**
 * A dense, row-major feature matrix (missing values are NaN), its construction from a nodejs-polars
 * DataFrame and the one shape check every consumer uses: the input type of gbt/, model/ and eval/.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { SchemaError } from "./errors";

/** A dense row-major matrix: element (r, c) is `data[r * nCols + c]`; NaN means missing. */
export interface Matrix {
  data: Float64Array | Float32Array;
  nRows: number;
  nCols: number;
  /** Column names, in order, when known. */
  columns?: string[];
}

/** Options of {@link matrixFromFrame}. */
export interface MatrixFromFrameOptions {
  /** Label column, taken out of the features and returned as `y` (default: none, `y` is undefined). */
  label?: string;
}

/** Features and (when a label was named) the label vector. */
export interface MatrixAndLabel {
  X: Matrix;
  y?: Float64Array;
}

const NUMERIC = new Set([
  "Int8",
  "Int16",
  "Int32",
  "Int64",
  "UInt8",
  "UInt16",
  "UInt32",
  "UInt64",
  "Float32",
  "Float64",
  "Bool",
]);

/**
 * Wrap row-major numbers as a {@link Matrix}, checking that the size fits.
 * @example const X = matrix(new Float64Array([1, 2, 3, 4]), 2, 2) // [[1, 2], [3, 4]]
 */
export function matrix(
  data: Float64Array | Float32Array | ArrayLike<number>,
  nRows: number,
  nCols: number,
  columns?: string[],
): Matrix {
  const typed = data instanceof Float64Array || data instanceof Float32Array ? data : Float64Array.from(data);
  if (!Number.isInteger(nRows) || !Number.isInteger(nCols) || nRows < 0 || nCols < 0) {
    throw new RangeError(`matrix shape is invalid: ${nRows} x ${nCols} (expected non-negative integers)`);
  }
  if (typed.length !== nRows * nCols) {
    throw new RangeError(`matrix data length is wrong: ${typed.length} (expected nRows * nCols = ${nRows * nCols})`);
  }
  if (columns && columns.length !== nCols)
    throw new RangeError(`matrix column names count is wrong: ${columns.length} (expected ${nCols})`);
  return { data: typed, nRows, nCols, columns };
}

/** Column values as float64 with nulls as NaN. */
function columnValues(df: DataFrame, name: string): Float64Array {
  const s = df.getColumn(name);
  const f = s.dtype.variant === "Float64" ? s : s.cast(pl.Float64);
  if (s.nullCount() === 0) return f.toTypedArray() as Float64Array;
  // toTypedArray refuses nulls: go through plain values and mark nulls missing.
  return Float64Array.from(f.toArray() as (number | null)[], (v) => (v === null ? NaN : v));
}

/**
 * Build a row-major feature matrix (and the label vector) from a DataFrame. Every feature column
 * must be numeric or boolean; nulls become NaN (missing). The label must have no null or NaN.
 * @example const { X, y } = matrixFromFrame(train, { label: "Churn?" })
 */
export function matrixFromFrame(df: DataFrame, options: MatrixFromFrameOptions = {}): MatrixAndLabel {
  const { label } = options;
  if (label !== undefined && !df.columns.includes(label)) {
    throw new SchemaError(
      `label column is missing: ${JSON.stringify(label)} (expected one of ${df.columns.map((c) => JSON.stringify(c)).join(", ")})`,
    );
  }
  const features = df.columns.filter((c) => c !== label);
  for (const c of features) {
    const variant = df.getColumn(c).dtype.variant;
    if (!NUMERIC.has(variant)) {
      throw new SchemaError(
        `feature column is not numeric: ${JSON.stringify(c)} is ${variant} (expected a number or boolean column; one-hot encode it or drop it)`,
      );
    }
  }
  const nRows = df.height;
  const nCols = features.length;
  const data = new Float64Array(nRows * nCols);
  features.forEach((c, j) => {
    const v = columnValues(df, c);
    for (let r = 0; r < nRows; r++) data[r * nCols + j] = v[r];
  });
  const X: Matrix = { data, nRows, nCols, columns: features };
  if (label === undefined) return { X };
  const variant = df.getColumn(label).dtype.variant;
  if (!NUMERIC.has(variant))
    throw new SchemaError(
      `label column is not numeric: ${JSON.stringify(label)} is ${variant} (expected numbers; use labelToBinary first)`,
    );
  const y = columnValues(df, label);
  checkLabel(y, label);
  return { X, y };
}

/**
 * Throw a SchemaError naming the first row whose label is NaN or null.
 * @example checkLabel(new Float64Array([0, 1]), "Churn?")
 */
export function checkLabel(y: ArrayLike<number>, name = "label"): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      throw new SchemaError(
        `label is missing: ${y[i]} in column ${JSON.stringify(name)}, row ${i} (expected a finite number in every row)`,
      );
    }
  }
}

/** What {@link checkMatrix} should enforce besides the shape. */
export interface CheckMatrixOptions {
  /** Name used in messages (default "X"). */
  name?: string;
  /** Required column count, e.g. the count seen at fit (default: any). */
  nCols?: number;
  /** Whether NaN (missing) is allowed (default true). */
  allowNaN?: boolean;
  /** Fewest rows accepted (default 1; prediction accepts 0). */
  minRows?: number;
}

/**
 * Check that X is a well-formed {@link Matrix}; optionally its column count and that it has no NaN.
 * The NaN error names the feature (index and column name) and row, and says to impute first.
 * @example checkMatrix(X, { allowNaN: false, name: "X" })
 */
export function checkMatrix(X: Matrix, options: CheckMatrixOptions = {}): void {
  const { name = "X", nCols, allowNaN = true, minRows = 1 } = options;
  if (X === null || typeof X !== "object" || !(X.data instanceof Float64Array || X.data instanceof Float32Array)) {
    throw new TypeError(
      `${name} is not a matrix: ${X === null ? "null" : typeof X} (expected {data: Float64Array | Float32Array, nRows, nCols})`,
    );
  }
  if (!Number.isInteger(X.nRows) || !Number.isInteger(X.nCols) || X.nRows < minRows || X.nCols < 0) {
    throw new RangeError(
      `${name} shape is invalid: ${X.nRows} x ${X.nCols} (expected at least ${minRows === 1 ? "one row" : `${minRows} rows`})`,
    );
  }
  if (X.data.length !== X.nRows * X.nCols) {
    throw new RangeError(
      `${name} data length is wrong: ${X.data.length} (expected nRows * nCols = ${X.nRows * X.nCols})`,
    );
  }
  if (nCols !== undefined && X.nCols !== nCols) {
    throw new RangeError(`${name} has the wrong number of features: ${X.nCols} (expected ${nCols}, as at fit)`);
  }
  if (allowNaN) return;
  const { data } = X;
  for (let i = 0; i < data.length; i++) {
    if (Number.isNaN(data[i])) {
      const row = Math.floor(i / X.nCols);
      const col = i - row * X.nCols;
      const label = X.columns?.[col] !== undefined ? ` (${JSON.stringify(X.columns[col])})` : "";
      throw new RangeError(
        `feature ${col}${label} has NaN at row ${row}${name === "X" ? "" : ` of ${name}`} (expected no missing values; impute first)`,
      );
    }
  }
}

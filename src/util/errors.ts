/**
 * Errors raised by ml-dataprep-ts. Messages follow `<thing> <problem>: <value> (expected ...)` and
 * name where it happened (file, row, column). TypeError and RangeError are used as-is for a wrong
 * kind of argument and a bad value.
 */
export class DataPrepError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The data does not have the shape asked for: a missing column, a label with three values, ... */
export class SchemaError extends DataPrepError {}

/** A file is not in the format it claims: a ragged CSV row, a corrupt record, a bad checksum. */
export class FormatError extends DataPrepError {}

/** `predict`/`transform` was called on an estimator before `fit`. */
export class NotFittedError extends DataPrepError {
  constructor(what: string, method: string) {
    super(`${what} is not fitted yet: call fit() before ${method}()`);
  }
}

/** Where in a file a problem is: `file.csv, row 12, column "Churn?"`. */
export function location(file?: string, row?: number, column?: string): string {
  return [
    file,
    row === undefined ? undefined : `row ${row}`,
    column === undefined ? undefined : `column ${JSON.stringify(column)}`,
  ]
    .filter((part) => part !== undefined)
    .join(", ");
}

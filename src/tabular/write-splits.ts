/**
 * Write train/validation/test splits to a folder, atomically (temp file + rename):
 *
 * - "csv":     `<dir>/<split>.csv`, with a header (what train_xgb.py and AutoGluon read).
 * - "xgboost": `<dir>/xgboost/<split>.csv`, the SageMaker built-in XGBoost CSV: label in the first
 *              column, no header, numbers only (booleans as 0/1).
 *              Spec: https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost.html#InputOutput-XGBoost
 * - "parquet": `<dir>/<split>.parquet` (nodejs-polars writeParquet).
 *
 * Floats are written by polars with the shortest text that parses back to the same double, so they
 * round-trip exactly. A target that resolves to the input file is refused before anything is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import pl from "nodejs-polars";
import type { DataFrame } from "nodejs-polars";
import { writeAtomicSync } from "../io/atomic";
import { DataPrepError, SchemaError } from "../util/errors";
import { requireColumns } from "./clean";

export type SplitFormat = "csv" | "xgboost" | "parquet";
const FORMATS: readonly SplitFormat[] = ["csv", "xgboost", "parquet"];
const SPLITS = ["train", "validation", "test"] as const;

export interface WriteSplitsOptions {
  /** Formats to write. Default: ["csv"]. */
  formats?: readonly SplitFormat[];
  /** The file the data was read from; an output resolving to it is refused. Default: none. */
  inputFile?: string;
  /** Label column, first in the xgboost files. Default: the first column. */
  label?: string;
}

/** The real path a file has or would have (symlinked folders resolved). */
function realTarget(file: string): string {
  const abs = path.resolve(file);
  if (fs.existsSync(abs)) return fs.realpathSync(abs);
  const dir = path.dirname(abs);
  return fs.existsSync(dir) ? path.join(fs.realpathSync(dir), path.basename(abs)) : abs;
}

/** The SageMaker built-in XGBoost layout: label first, every column numeric, booleans as 0/1. */
function xgboostFrame(df: DataFrame, label: string, split: string): DataFrame {
  requireColumns(df, [label], "label column");
  const columns = [label, ...df.columns.filter((c) => c !== label)];
  for (const c of columns) {
    const s = df.getColumn(c);
    if (!s.isNumeric() && !s.isBoolean()) {
      throw new SchemaError(
        `column is not numeric: ${JSON.stringify(c)} is ${s.dtype.variant} in the ${split} split (expected numbers for built-in XGBoost; one-hot encode or drop it)`,
      );
    }
  }
  return df.select(...columns.map((c) => (df.getColumn(c).isBoolean() ? pl.col(c).cast(pl.UInt8) : pl.col(c))));
}

/**
 * Write the splits in each format and return the files written, in order.
 * @example writeSplits({ train, validation, test }, "out", { formats: ["csv", "xgboost"], inputFile: "churn.txt" })
 */
export function writeSplits(
  splits: Partial<Record<(typeof SPLITS)[number], DataFrame>>,
  dir: string,
  options: WriteSplitsOptions = {},
): string[] {
  const { formats = ["csv"], inputFile, label } = options;
  if (typeof dir !== "string") throw new TypeError(`dir is not a string: ${String(dir)} (expected a folder path)`);
  for (const f of formats)
    if (!FORMATS.includes(f))
      throw new RangeError(`format is unknown: ${JSON.stringify(f)} (expected one of ${FORMATS.join(", ")})`);
  const present = SPLITS.filter((s) => splits[s] !== undefined);
  if (present.length === 0)
    throw new TypeError("splits has no train, validation or test frame (expected at least one)");
  // Plan every file first, so a refused target leaves the folder untouched.
  // polars writes each file itself (to a temp path, renamed once complete): no copy through JS.
  const plan: { file: string; write: (tmp: string) => void }[] = [];
  for (const format of formats) {
    for (const split of present) {
      const df = splits[split]!;
      if (format === "csv")
        plan.push({ file: path.join(dir, `${split}.csv`), write: (tmp) => df.writeCSV(tmp, { includeHeader: true }) });
      if (format === "xgboost") {
        const xgb = xgboostFrame(df, label ?? df.columns[0], split);
        plan.push({
          file: path.join(dir, "xgboost", `${split}.csv`),
          write: (tmp) => xgb.writeCSV(tmp, { includeHeader: false }),
        });
      }
      if (format === "parquet")
        plan.push({ file: path.join(dir, `${split}.parquet`), write: (tmp) => df.writeParquet(tmp) });
    }
  }
  if (inputFile !== undefined) {
    const input = realTarget(inputFile);
    const clash = plan.find((p) => realTarget(p.file) === input);
    if (clash)
      throw new DataPrepError(
        `output file is the input file: ${clash.file} (expected an output folder that does not contain ${inputFile})`,
      );
  }
  for (const p of plan) writeAtomicSync(p.file, p.write);
  return plan.map((p) => p.file);
}

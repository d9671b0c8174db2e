/**
 * The churn data-prep notebook's `results.json`: what was read, found, split and written, in one
 * small JSON file that tests and later notebooks read.
 */
import * as path from "node:path";
import { DataFrame } from "nodejs-polars";
import { writeFileAtomic } from "../io/atomic";
import { Profile } from "./profile";

/** Contents of results.json. */
export interface PrepResults {
  /** Where the data came from: "download", "cache", "embedded" or "file". */
  source: string;
  input: string;
  rows: number;
  columns: number;
  label: string;
  classBalance: { positive: number; negative: number; positiveRate: number };
  /** Alert counts by code, e.g. { UNIQUE: 8, ZEROS: 4 }. */
  alerts: Record<string, number>;
  splits: { train: number; validation: number; test: number };
  /** Positive labels (1s) per split. */
  positives: { train: number; validation: number; test: number };
  /** Features after preparation (label excluded). */
  features: string[];
  /** Files written, relative to the output folder. */
  outputs: string[];
}

/** What {@link prepResults} summarises. */
export interface PrepResultsInput {
  source: string;
  input: string;
  raw: DataFrame;
  profile: Profile;
  /** Prepared splits, label first and 0/1. */
  splits: { train: DataFrame; validation: DataFrame; test: DataFrame };
  outputDir: string;
  files: string[];
}

/**
 * Summarise a data-prep run.
 * @example writeResults("out/tabular/churn/results.json", prepResults({ ... }))
 */
export function prepResults(input: PrepResultsInput): PrepResults {
  const { splits, profile } = input;
  const label = splits.train.columns[0];
  const labels = [splits.train, splits.validation, splits.test].map((s) => s.getColumn(label));
  const ones = labels.map((s) => Number(s.sum()));
  const positive = ones[0] + ones[1] + ones[2];
  const total = labels.reduce((sum, s) => sum + s.length, 0);
  const alerts: Record<string, number> = {};
  for (const a of profile.alerts) alerts[a.code] = (alerts[a.code] ?? 0) + 1;
  return {
    source: input.source,
    input: input.input,
    rows: input.raw.height,
    columns: input.raw.width,
    label,
    classBalance: { positive, negative: total - positive, positiveRate: total ? positive / total : 0 },
    alerts,
    splits: { train: splits.train.height, validation: splits.validation.height, test: splits.test.height },
    positives: { train: ones[0], validation: ones[1], test: ones[2] },
    features: splits.train.columns.slice(1),
    outputs: input.files.map((f) => path.relative(input.outputDir, f)),
  };
}

/** Write results as pretty JSON, atomically. */
export function writeResults(file: string, results: object): void {
  writeFileAtomic(file, JSON.stringify(results, null, 2) + "\n");
}

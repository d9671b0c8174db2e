/**
 * Test fixtures for the GBT tests: the workshop churn split as matrices, and a runner for short
 * Python (xgboost 3.2.0) scripts exchanging float64 binary files through a temp dir.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { readTable } from "../../src/tabular/read-table";
import { prepareSplits } from "../../src/tabular/prepare-splits";
import { type Matrix } from "../../src/util/matrix";
import { projectPath } from "../../src/util/paths";
import { CHURN } from "../helpers/data";
import { gbtPreset } from "../../src/gbt/presets";

export { CHURN };
export const PYTHON = projectPath(".venv", "bin", "python");

/** AWS's built-in-algorithm churn sample (reference notebook, A.5), XGBoost names, without the objective. */
export const WORKSHOP_PARAMS = (({ objective: _objective, ...rest }) => rest)(
  gbtPreset("aws-builtin-xgboost").hyperparameters,
);

/** The workshop's split and preparation (notebook 1.1): seed 1024, 80/10/10, three drops, two one-hots. */
export const WORKSHOP_PREPARATION = {
  label: "Churn?",
  positive: "True.",
  drop: ["State", "Area Code", "Phone"],
  oneHot: ["Int'l Plan", "VMail Plan"],
  unseen: "error",
} as const;

export interface Part {
  X: Matrix;
  y: Float64Array;
}

let cached: { train: Part; validation: Part; test: Part } | undefined;

/** readTable(churn.txt) -> split(seed 1024) -> preparation: 4000/500/500 rows, 19 features. */
export function churnSplit(): { train: Part; validation: Part; test: Part } {
  if (cached) return cached;
  cached = prepareSplits(readTable(CHURN).df, WORKSHOP_PREPARATION).data;
  return cached;
}

/** A fresh temp dir. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "gbt-test-"));
}

/** Write numbers as float64 little-endian (np.fromfile(name)). */
export function writeF64(dir: string, name: string, values: ArrayLike<number>): void {
  fs.writeFileSync(path.join(dir, name), Buffer.from(Float64Array.from(values).buffer));
}

/** Read a float64 file written by numpy's tofile. */
export function readF64(dir: string, name: string): Float64Array {
  const b = fs.readFileSync(path.join(dir, name));
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

/**
 * Run a Python script in `dir` with the project env; fails (never skips) with install advice when
 * python or xgboost is missing.
 */
export function runPython(dir: string, script: string): string {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(
      `python is missing: ${PYTHON} (expected the project env with xgboost 3.2.0; run \`npm test\` once, or \`python3 -m venv .venv && .venv/bin/pip install -r python/requirements-test.txt\`)`,
    );
  }
  const prelude = [
    "import sys, json, numpy as np",
    "try:\n    import xgboost as xgb\nexcept ImportError:\n    sys.exit('xgboost is missing: install it with .venv/bin/pip install -r python/requirements-test.txt')",
    "assert xgb.__version__ == '3.2.0', 'xgboost ' + xgb.__version__ + ' (expected 3.2.0)'",
    "def ld(name, cols):\n    a = np.fromfile(name)\n    return a.reshape(-1, cols) if cols else a",
  ].join("\n");
  return execFileSync(PYTHON, ["-c", `${prelude}\n${script}`], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

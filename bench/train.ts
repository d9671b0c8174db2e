/**
 * Benchmark: Booster.fit against Python xgboost 3.2.0 (`tree_method="hist"`, nthread 1 and 2) with
 * the workshop's parameters, on the workshop churn split (4,000 x 19) and on a generated
 * 1,000,000-row churn-like frame prepared the same way (split seed 1024, one-hot, 800,000 train rows).
 *
 *   node dist/bench/train.js [--rows 1000000] [--repeat 3]
 *
 * Prints seconds per dataset (best of --repeat runs each side), the test AUC of both (computed with
 * our auc), and the time ratio ours / xgboost (<= 2 is the goal).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import type { DataFrame } from "nodejs-polars";
import { syntheticChurn } from "../src/tabular/synthetic-churn";
import { readTable } from "../src/tabular/read-table";
import { prepareSplits } from "../src/tabular/prepare-splits";
import { type Matrix } from "../src/util/matrix";
import { Booster } from "../src/gbt/train";
import { gbtPreset } from "../src/gbt/presets";
import { auc } from "../src/eval/eval-metrics";
import { projectPath } from "../src/util/paths";

const arg = (name: string, fallback: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const rows = arg("--rows", 1_000_000);
const repeat = arg("--repeat", 3);
const python = projectPath(".venv", "bin", "python");
// AWS's churn sample settings (notebook 1.1's default preset), one seed for both sides.
const { num_round: ROUNDS, ...presetParams } = gbtPreset("aws-builtin-xgboost").hyperparameters;
const PARAMS = { ...presetParams, seed: 0 };

interface Data {
  X: Matrix;
  y: Float64Array;
  Xt: Matrix;
  yt: Float64Array;
}

function prepare(df: DataFrame): Data {
  const { train, test } = prepareSplits(df, {
    label: "Churn?",
    positive: "True.",
    drop: ["State", "Area Code", "Phone"],
    oneHot: ["Int'l Plan", "VMail Plan"],
    unseen: "error",
  }).data;
  return { X: train.X, y: train.y, Xt: test.X, yt: test.y };
}

function syntheticFile(): string {
  const shared = projectPath("out", "bench", `churn-${rows}.csv`);
  if (fs.existsSync(shared)) return shared;
  const file = path.join(os.tmpdir(), `gbt-bench-churn-${rows}.csv`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, syntheticChurn({ rows, seed: 7 }));
  return file;
}

function ours(d: Data): { seconds: number; auc: number } {
  let best = Infinity;
  let bst = new Booster();
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    bst = new Booster({ ...PARAMS, num_round: ROUNDS }).fit(d.X, d.y);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, auc: auc(d.yt, bst.predict(d.Xt)) };
}

function xgboost(d: Data, nthread: number): { seconds: number; auc: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gbt-bench-"));
  fs.writeFileSync(path.join(dir, "X.bin"), Buffer.from(Float64Array.from(d.X.data).buffer));
  fs.writeFileSync(path.join(dir, "y.bin"), Buffer.from(d.y.buffer));
  fs.writeFileSync(path.join(dir, "Xt.bin"), Buffer.from(Float64Array.from(d.Xt.data).buffer));
  fs.writeFileSync(path.join(dir, "cols.txt"), String(d.X.nCols));
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const out = execFileSync(
      python,
      [projectPath("bench", "train_xgboost.py"), dir, String(nthread), JSON.stringify(PARAMS), String(ROUNDS)],
      { encoding: "utf8" },
    );
    best = Math.min(best, (JSON.parse(out) as { seconds: number }).seconds);
  }
  const b = fs.readFileSync(path.join(dir, `p-${nthread}.bin`));
  const p = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds: best, auc: auc(d.yt, p) };
}

function main(): void {
  const churn = projectPath("data", "churn", "churn.txt");
  const datasets: [string, () => Data][] = [
    ["workshop churn 4,000 x 19", () => prepare(readTable(churn).df)],
    [`synthetic churn ${(rows * 0.8).toLocaleString("en-US")} x 19`, () => prepare(readTable(syntheticFile()).df)],
  ];
  console.log(
    `Booster.fit vs xgboost hist, ${ROUNDS} rounds, ${JSON.stringify(PARAMS)}; node ${process.versions.node}, ${os.cpus().length} cores, best of ${repeat}`,
  );
  console.log(
    `${"dataset".padEnd(34)}${"ours s".padStart(9)}${"xgb-1 s".padStart(9)}${"xgb-2 s".padStart(9)}${"ratio-1".padStart(9)}${"ratio-2".padStart(9)}${"AUC ours".padStart(10)}${"AUC xgb".padStart(9)}`,
  );
  for (const [name, load] of datasets) {
    const d = load();
    const a = ours(d);
    const x1 = xgboost(d, 1);
    const x2 = xgboost(d, 2);
    console.log(
      `${name.padEnd(34)}${a.seconds.toFixed(3).padStart(9)}${x1.seconds.toFixed(3).padStart(9)}${x2.seconds.toFixed(3).padStart(9)}${(a.seconds / x1.seconds).toFixed(2).padStart(8)}x${(a.seconds / x2.seconds).toFixed(2).padStart(8)}x${a.auc.toFixed(5).padStart(10)}${x1.auc.toFixed(5).padStart(9)}`,
    );
  }
}

main();

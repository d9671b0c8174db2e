/**
 * Benchmark: the whole churn prepare path (read, profile, encode, split, write) on a generated
 * 1,000,000-row churn-like file, ml-dataprep-ts against pandas doing the same work (read_csv,
 * describe, Pearson and Spearman correlations, value counts, get_dummies, sample, to_csv).
 *
 *   npm run bench:prepare [-- --rows 1000000]
 *
 * pandas runs in out/bench/venv (created on first use with pip). Prints per-step seconds and the
 * ratio pandas / ml-dataprep-ts (higher is better for us).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { syntheticChurn } from "../src/tabular/synthetic-churn";
import { readTable } from "../src/tabular/read-table";
import { profile } from "../src/tabular/profile";
import { fitPreparation, applyPreparation } from "../src/tabular/preparation";
import { split } from "../src/tabular/split";
import { writeSplits } from "../src/tabular/write-splits";
import { writeFileAtomic } from "../src/io/atomic";
import { projectPath } from "../src/util/paths";

const argRows = process.argv.indexOf("--rows");
const rows = argRows >= 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
const benchDir = projectPath("out", "bench");
const csv = path.join(benchDir, `churn-${rows}.csv`);
const venv = path.join(benchDir, "venv");
const python = path.join(venv, "bin", "python");

function ensureData(): void {
  if (fs.existsSync(csv)) return;
  console.log(`generating ${csv} (${rows.toLocaleString("en-US")} rows, seed 7)`);
  writeFileAtomic(csv, syntheticChurn({ rows, seed: 7 }));
}

function ensurePandas(): void {
  if (fs.existsSync(python)) return;
  console.log(`creating ${venv} with pandas`);
  execFileSync(process.env.PYTHON ?? "python3", ["-m", "venv", venv], { stdio: "inherit" });
  execFileSync(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "pandas", "numpy"], { stdio: "inherit" });
}

function ours(out: string): Record<string, number> {
  const t: Record<string, number> = {};
  let start = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    t[name] = (now - start) / 1000;
    start = now;
  };
  const { df } = readTable(csv);
  lap("read");
  profile(df, { label: "Churn?" });
  lap("profile");
  const encode = ["Int'l Plan", "VMail Plan"];
  const prep = fitPreparation(df, { label: "Churn?", positive: "True.", drop: ["State", "Area Code", "Phone"], oneHot: encode });
  const prepared = applyPreparation(prep, df);
  lap("encode");
  const parts = split(prepared, { ratios: [0.8, 0.1, 0.1], seed: 1024 });
  lap("split");
  writeSplits({ train: parts.train, validation: parts.validation, test: parts.test }, out, { formats: ["csv"] });
  lap("write");
  t.total = Object.values(t).reduce((a, b) => a + b, 0);
  return t;
}

function main(): void {
  fs.mkdirSync(benchDir, { recursive: true });
  ensureData();
  ensurePandas();
  const outOurs = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-bench-ts-"));
  const outPandas = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-bench-pd-"));
  const pandasVersion = execFileSync(python, ["-c", "import pandas, numpy; print(pandas.__version__, numpy.__version__)"], { encoding: "utf8" }).trim();
  const pd = JSON.parse(execFileSync(python, [projectPath("bench", "prepare_pandas.py"), csv, outPandas], { encoding: "utf8" })) as Record<string, number>;
  const ts = ours(outOurs);
  console.log(`prepare path, ${rows.toLocaleString("en-US")} rows x 21 columns (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB CSV); node ${process.versions.node}, pandas/numpy ${pandasVersion}, ${os.cpus().length} cores`);
  console.log(`${"step".padEnd(10)}${"ml-dataprep-ts s".padStart(18)}${"pandas s".padStart(12)}${"ratio".padStart(9)}`);
  for (const step of ["read", "profile", "encode", "split", "write", "total"]) {
    console.log(`${step.padEnd(10)}${ts[step].toFixed(2).padStart(18)}${pd[step].toFixed(2).padStart(12)}${(pd[step] / ts[step]).toFixed(1).padStart(8)}x`);
  }
  fs.rmSync(outOurs, { recursive: true, force: true });
  fs.rmSync(outPandas, { recursive: true, force: true });
}

main();

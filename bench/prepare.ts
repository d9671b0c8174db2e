/**
 * Benchmark: the whole churn prepare path (read, profile, encode, split, write) on a generated
 * 1,000,000-row churn-like file, ml-dataprep-ts against pandas doing the same work (read_csv,
 * describe, Pearson and Spearman correlations, value counts, get_dummies, sample, to_csv).
 *
 *   npm run bench:prepare [-- --rows 1000000] [--runs 3]
 *
 * pandas runs in out/bench/venv (created on first use with pip). Each run starts a fresh process
 * per side (pandas, then ours, alternating, so both see the same machine), timed from after the
 * imports. Prints every run's totals and ratio, then per-step medians and the median ratio
 * pandas / ml-dataprep-ts (higher is better for us).
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

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const rows = arg("--rows", 1_000_000);
const runs = arg("--runs", 3);
const STEPS = ["read", "profile", "encode", "split", "write", "total"];
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
  execFileSync(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "pandas", "numpy"], {
    stdio: "inherit",
  });
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
  const prep = fitPreparation(df, {
    label: "Churn?",
    positive: "True.",
    drop: ["State", "Area Code", "Phone"],
    oneHot: encode,
  });
  const prepared = applyPreparation(prep, df);
  lap("encode");
  const parts = split(prepared, { ratios: [0.8, 0.1, 0.1], seed: 1024 });
  lap("split");
  writeSplits({ train: parts.train, validation: parts.validation, test: parts.test }, out, { formats: ["csv"] });
  lap("write");
  t.total = Object.values(t).reduce((a, b) => a + b, 0);
  return t;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/** One measured run of one side, in a fresh process, as per-step seconds. */
function measure(side: "pandas" | "ours"): Record<string, number> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `mldp-bench-${side}-`));
  try {
    const [cmd, args] =
      side === "pandas"
        ? [python, [projectPath("bench", "prepare_pandas.py"), csv, out]]
        : [process.execPath, [__filename, "--rows", String(rows), "--ours", out]];
    return JSON.parse(execFileSync(cmd, args, { encoding: "utf8" })) as Record<string, number>;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function main(): void {
  const oursAt = process.argv.indexOf("--ours");
  if (oursAt >= 0) {
    process.stdout.write(JSON.stringify(ours(process.argv[oursAt + 1])));
    return;
  }
  fs.mkdirSync(benchDir, { recursive: true });
  ensureData();
  ensurePandas();
  const pandasVersion = execFileSync(
    python,
    ["-c", "import pandas, numpy; print(pandas.__version__, numpy.__version__)"],
    { encoding: "utf8" },
  ).trim();
  console.log(
    `prepare path, ${rows.toLocaleString("en-US")} rows x 21 columns (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB CSV); node ${process.versions.node}, pandas/numpy ${pandasVersion}, ${os.cpus().length} cores, ${runs} runs`,
  );
  const pd: Record<string, number>[] = [];
  const ts: Record<string, number>[] = [];
  for (let r = 0; r < runs; r++) {
    pd.push(measure("pandas"));
    ts.push(measure("ours"));
    console.log(
      `run ${r + 1}: ml-dataprep-ts ${ts[r].total.toFixed(2)} s, pandas ${pd[r].total.toFixed(2)} s, ratio ${(pd[r].total / ts[r].total).toFixed(1)}x`,
    );
  }
  console.log(`medians of ${runs} runs:`);
  console.log(`${"step".padEnd(10)}${"ml-dataprep-ts s".padStart(18)}${"pandas s".padStart(12)}${"ratio".padStart(9)}`);
  for (const step of STEPS) {
    const [a, b] = [median(ts.map((t) => t[step])), median(pd.map((t) => t[step]))];
    console.log(
      `${step.padEnd(10)}${a.toFixed(2).padStart(18)}${b.toFixed(2).padStart(12)}${(b / a).toFixed(1).padStart(8)}x`,
    );
  }
  console.log(`median ratio of the runs: ${median(ts.map((t, r) => pd[r].total / t.total)).toFixed(1)}x`);
}

main();

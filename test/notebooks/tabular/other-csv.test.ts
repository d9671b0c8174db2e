/**
 * The tabular notebooks on a user's own CSV, given only `csv`, `label` and `positive`: a Telco-like
 * file without the workshop's columns (no drops by default, the ID-like column suggested), and the
 * workshop's columns with a True/False label (`-p positive=True`, as the file shows it).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, stdoutOf } from "../../helpers/notebooks";
import { projectPath } from "../../../src/util/paths";
import { syntheticChurn } from "../../../src/tabular/synthetic-churn";

/**
 * A Telco-churn-like CSV (customerID, contract, tenure, charges, Churn = Yes/No), seeded: churn is
 * likelier on month-to-month contracts with short tenure; TotalCharges is blank at tenure 0, as in the
 * Telco file.
 */
function telcoLike(rows: number, seed: number): string {
  let state = seed >>> 0;
  const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const contracts = ["Month-to-month", "One year", "Two year"] as const;
  const payments = ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"];
  const lines = [
    "customerID,gender,SeniorCitizen,Partner,tenure,Contract,PaymentMethod,MonthlyCharges,TotalCharges,Churn",
  ];
  for (let i = 0; i < rows; i++) {
    const id = `${String(1000 + i * 7).padStart(4, "0")}-${Array.from({ length: 5 }, () => String.fromCharCode(65 + Math.floor(rand() * 26))).join("")}`;
    const contract = pick(contracts);
    const tenure = Math.floor(rand() * 73);
    const monthly = Math.round((18 + rand() * 100) * 100) / 100;
    const total = tenure === 0 ? " " : (tenure * monthly).toFixed(2);
    const risk =
      (contract === "Month-to-month" ? 0.45 : contract === "One year" ? 0.12 : 0.04) * (tenure < 12 ? 1.6 : 0.7);
    const churn = rand() < Math.min(0.95, risk + (monthly > 90 ? 0.15 : 0)) ? "Yes" : "No";
    lines.push(
      [
        id,
        pick(["Female", "Male"]),
        rand() < 0.16 ? 1 : 0,
        pick(["Yes", "No"]),
        tenure,
        contract,
        `"${pick(payments)}"`,
        monthly,
        total,
        churn,
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

function run(notebook: string, params: string[]): { stdout: string[]; results: Record<string, unknown> } {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-own-csv-"));
  const r = runNotebooks([projectPath("notebooks", "tabular", notebook), ...params, "-p", `outputDir=${outputDir}`]);
  assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
  const nb = readNotebook(path.join(r.outDir, "tabular", notebook));
  return {
    stdout: codeCells(nb).map(stdoutOf),
    results: JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")),
  };
}

describe("tabular notebooks on your own CSV (csv, label and positive only)", function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-own-csv-data-"));
  const telco = path.join(dir, "telco-like.csv");
  const boolChurn = path.join(dir, "churn-bool-label.csv");
  before(() => {
    fs.writeFileSync(telco, telcoLike(600, 7));
    // The workshop's columns with the label as the original 3,333-row file writes it: True/False.
    fs.writeFileSync(boolChurn, syntheticChurn({ rows: 2000, seed: 3 }).replace(/,(True|False)\.(\r?\n|$)/g, ",$1$2"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const telcoParams = ["-p", `csv=${telco}`, "-p", "label=Churn", "-p", "positive=Yes"];

  it("1.1 runs on a Telco-like file: drops nothing and suggests the ID-like column to drop", () => {
    const { stdout, results } = run("1.1-churn-data-prep.ipynb", telcoParams);
    const line = stdout.find((s) => s.startsWith("dropping:"));
    assert.equal(line?.trim(), `dropping: nothing (ID-like columns? rerun with -p 'drop=["customerID"]')`);
    assert.equal(results.source, "file");
    const model = results.model as { auc: number; trees: number };
    assert.ok(model.auc > 0.6 && model.auc <= 1, `test AUC ${model.auc}`);
  });

  it("1.2 runs on a Telco-like file and ranks the models", () => {
    const { stdout, results } = run("1.2-churn-leaderboard.ipynb", telcoParams);
    const line = stdout.find((s) => s.startsWith("dropping:"))?.trim() ?? "";
    const blanks = telcoLike(600, 7)
      .split("\n")
      .filter((l) => l.includes(", ,")).length;
    assert.ok(blanks > 0, "the file has blank TotalCharges");
    assert.equal(line, `dropping: nothing; ${blanks} rows with missing values left out`, "no drops on another file");
    assert.equal((results.leaderboard as unknown[]).length, 5, "five leaderboard rows");
  });

  it("1.1 takes -p positive=True on a True/False label and applies the workshop's drops to its columns", () => {
    const { stdout, results } = run("1.1-churn-data-prep.ipynb", ["-p", `csv=${boolChurn}`, "-p", "positive=True"]);
    assert.ok(
      stdout.some((s) => s.trim() === "dropping: State, Area Code, Phone"),
      "the workshop's drops",
    );
    const model = results.model as { auc: number };
    assert.ok(model.auc > 0.8, `test AUC ${model.auc}`);
  });
});

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectPath } from "../../src/util/paths";
import { CHURN } from "../helpers/data";
import { REFERENCE_DIR } from "../helpers/reference";

// The reference numbers the tests compare with (test/fixtures/reference/*.json) are what the committed
// scripts make with the pinned Python test environment: make_all.py writes them into a temp folder and
// every file must equal the committed one byte for byte (CONTRIBUTING, Fixtures).
const PYTHON = projectPath(".venv", "bin", "python");
const WITHOUT_CHURN = ["metrics.json", "random.json", "alerts.json"];

function regenerate(args: string[]): string {
  if (!fs.existsSync(PYTHON))
    throw new Error(`python is missing: ${PYTHON} (expected the project env; run \`npm test\` once)`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "reference-"));
  execFileSync(PYTHON, [path.join(REFERENCE_DIR, "make_all.py"), "--out", out, ...args], {
    cwd: projectPath(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out;
}

function assertSame(out: string, names: string[]): void {
  try {
    for (const name of names) {
      const made = fs.readFileSync(path.join(out, name), "utf8");
      assert.equal(made, fs.readFileSync(path.join(REFERENCE_DIR, name), "utf8"), `${name} as make_all.py makes it`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe("reference fixtures", () => {
  it("are remade byte for byte by their scripts (metrics, random, alerts)", () => {
    assertSame(regenerate(["--only-without-churn"]), WITHOUT_CHURN);
  });

  it("are remade byte for byte from data/churn/churn.txt (profile, correlations, split, clean, LR, ensemble)", () => {
    const out = regenerate(["--churn", CHURN]);
    const all = fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith(".json"));
    assert.equal(all.length, 9, `one JSON per script: ${all.join(", ")}`);
    assertSame(out, all);
  });
});

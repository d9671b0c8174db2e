import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../src/util/paths";
import { CHURN, sharedDataset } from "./data";

interface MochaJson {
  stats: { tests: number; passes: number; pending: number; failures: number };
  pending: Array<{ fullTitle: string }>;
  passes: Array<{ fullTitle: string }>;
}

describe("test data helper", () => {
  it("points at the repository's own churn.txt, not ../shared", () => {
    assert.equal(path.relative(PROJECT_ROOT, CHURN), path.join("data", "churn", "churn.txt"));
    assert.equal(fs.statSync(CHURN).size, 974_286, "the shipped file, byte-exact");
  });

  it("runs a test whose shared file exists and marks the one whose file is absent pending, naming it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-helper-"));
    try {
      const root = path.join(dir, "datasets");
      fs.mkdirSync(path.join(root, "coco"), { recursive: true });
      fs.writeFileSync(path.join(root, "coco", "present.json"), "{}");
      const helper = path.join(__dirname, "data.js");
      const spec = path.join(dir, "spec.js");
      fs.writeFileSync(
        spec,
        [
          `const { itWithShared, describeWithShared } = require(${JSON.stringify(helper)});`,
          `const fs = require("fs");`,
          `const root = ${JSON.stringify(root)};`,
          `itWithShared("coco/present.json", "reads the present file", (f) => { if (fs.readFileSync(f, "utf8") !== "{}") throw new Error("content"); }, root);`,
          `itWithShared("cifar10/absent.bin", "reads the absent file", () => { throw new Error("must not run"); }, root);`,
          `describeWithShared("coco/absent.json", "a group", (f) => { fs.readFileSync(f); it("one", () => {}); it("two", () => {}); }, root);`,
        ].join("\n"),
      );
      const mocha = path.join(PROJECT_ROOT, "node_modules", "mocha", "bin", "mocha.js");
      const r = spawnSync(process.execPath, [mocha, "--no-config", "--reporter", "json", spec], { encoding: "utf8" });
      assert.equal(r.status, 0, `mocha failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as MochaJson;
      assert.deepEqual(
        { tests: out.stats.tests, passes: out.stats.passes, pending: out.stats.pending, failures: out.stats.failures },
        { tests: 3, passes: 1, pending: 2, failures: 0 },
      );
      assert.deepEqual(
        out.passes.map((t) => t.fullTitle),
        ["reads the present file"],
      );
      assert.deepEqual(
        out.pending.map((t) => t.fullTitle),
        [
          "reads the absent file (pending: needs ../shared/datasets/cifar10/absent.bin, absent)",
          "a group a group (pending: needs ../shared/datasets/coco/absent.json, absent)",
        ],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds a shared file only where it is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-helper-"));
    try {
      fs.writeFileSync(path.join(dir, "x.bin"), "x");
      assert.equal(sharedDataset("x.bin", dir), path.join(dir, "x.bin"));
      assert.equal(sharedDataset("y.bin", dir), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

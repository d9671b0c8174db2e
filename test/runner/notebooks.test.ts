import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { codeCells, fixture, readNotebook, runNotebooks, stdoutOf } from "../helpers/notebooks";
import { projectPath } from "../../src/util/paths";

describe("npm run notebooks", () => {
  it("exits non-zero on a failing cell, names the cell, and runs nothing after it", () => {
    const r = runNotebooks([fixture("notebooks", "failing.ipynb")]);
    assert.equal(r.status, 1, `exit status (stderr: ${r.stderr})`);
    assert.match(r.stdout, /^failing\s+2\/4\s+cells\s+[\d.]+ s\s+failed$/m, "one summary line with cells run / total");
    assert.match(r.stderr, /failing: cell 3: Error: planted failure in cell 3/, "names the notebook, cell and message");
    const cells = codeCells(readNotebook(path.join(r.outDir, "failing.ipynb")));
    assert.equal(stdoutOf(cells[0]), "first cell ran\n", "the first cell ran");
    assert.equal(cells[2].execution_count ?? null, null, "the cell after the failure was not run");
    assert.equal(cells[3].execution_count ?? null, null, "the last cell was not run");
    assert.deepEqual(cells[2].outputs, [], "no outputs after the failure");
    assert.ok(fs.existsSync(path.join(r.outDir, "failing.html")), "writes the HTML even for a failed run");
  });

  it("treats a type error and any stderr output as failures", () => {
    const r = runNotebooks([fixture("notebooks", "type-error.ipynb"), fixture("notebooks", "stderr.ipynb")]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /type-error: cell 1: 1:7 - Type 'string' is not assignable to type 'number'\./);
    assert.match(r.stderr, /stderr: cell 1: a warning on stderr/);
    assert.match(r.stdout, /^stderr\s+1\/2\s+cells.*failed$/m);
  });

  it("injects -p values after the parameters cell, typed like the defaults", () => {
    const r = runNotebooks([
      fixture("notebooks", "params.ipynb"),
      "-p",
      "positive=True",
      "-p",
      "seed=7",
      "-p",
      "ratios=[0.7,0.2,0.1]",
      "-p",
      "verbose=true",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^params\s+3\/3\s+cells\s+[\d.]+ s\s+ok$/m);
    const nb = readNotebook(path.join(r.outDir, "params.ipynb"));
    const cells = codeCells(nb);
    assert.deepEqual(cells[1].metadata?.tags, ["injected-parameters"], "the injected cell follows the parameters cell");
    const printed = JSON.parse(stdoutOf(cells[2]));
    assert.deepEqual(printed, {
      label: "Churn?",
      positive: "True", // a string default keeps the string "True"
      seed: 7,
      ratios: [0.7, 0.2, 0.1],
      verbose: true,
      types: ["string", "string", "number", "boolean"],
    });
  });

  it("rejects an unknown parameter, listing the notebook's parameters", () => {
    const r = runNotebooks([fixture("notebooks", "params.ipynb"), "-p", "nope=1"]);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr.trim(),
      "npm run notebooks: params has no parameter 'nope'; its parameters are: label, positive, seed, ratios, verbose",
    );
  });

  it("gives one clear line for a malformed -p, a mistyped value and a missing path", () => {
    const cases: Array<[string[], RegExp]> = [
      [
        [fixture("notebooks", "params.ipynb"), "-p", "seed"],
        /^npm run notebooks: malformed -p 'seed' \(expected -p NAME=VALUE/,
      ],
      [
        [fixture("notebooks", "params.ipynb"), "-p", "seed=abc"],
        /^npm run notebooks: params: -p seed=abc is not a number \(its default is 1024\)$/,
      ],
      [[fixture("notebooks", "params.ipynb"), "-p", "verbose=maybe"], /is not a boolean/],
      [["no/such/notebook.ipynb"], /^npm run notebooks: notebook path does not exist: no\/such\/notebook\.ipynb/],
      [[fixture("notebooks", "no-params.ipynb"), "-p", "seed=1"], /no-params has no cell tagged 'parameters'/],
    ];
    for (const [args, expected] of cases) {
      const r = runNotebooks(args);
      assert.equal(r.status, 2, `exit status for ${args.join(" ")}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, `one line for ${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr.trim(), expected);
    }
  });

  it("runs all of notebooks/ in workshop order: top level, then tabular/, then image/", () => {
    const script =
      "import json, sys; sys.path.insert(0, 'python'); import run_notebooks as r; " +
      "print(json.dumps([p.relative_to(r.NOTEBOOKS).as_posix() for p in r.collect([])]))";
    const listed = JSON.parse(
      execFileSync(projectPath(".venv", "bin", "python"), ["-c", script], { cwd: projectPath(), encoding: "utf8" }),
    ) as string[];
    const tracks = listed.map((p) => (p.includes("/") ? p.split("/")[0] : ""));
    assert.deepEqual([...new Set(tracks)], ["", "tabular", "image"], listed.join(", "));
    assert.deepEqual(
      listed.filter((p) => p.startsWith("image/")),
      [
        "image/1.1-download-data.ipynb",
        "image/1.2-structuring-data.ipynb",
        "image/2.1-tensorflow-preprocessing.ipynb",
        "image/3.1-pytorch-preprocessing.ipynb",
        "image/4.1-builtin-preprocessing.ipynb",
        "image/5.1-train-classifier.ipynb",
      ],
      "the preprocessing and training notebooks after 1.2, whose folder they read",
    );
  });
});

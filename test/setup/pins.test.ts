import assert from "node:assert/strict";
import * as fs from "node:fs";
import { projectPath } from "../../src/util/paths";

function pipPins(): Map<string, string> {
  const pins = new Map<string, string>();
  for (const line of fs.readFileSync(projectPath("python", "requirements.txt"), "utf8").split("\n")) {
    const m = /^([A-Za-z0-9_.-]+)==([^\s#]+)/.exec(line.trim());
    if (m) pins.set(m[1].toLowerCase(), m[2]);
  }
  return pins;
}

function condaPins(): Map<string, string> {
  const pins = new Map<string, string>();
  for (const line of fs.readFileSync(projectPath("environment.yml"), "utf8").split("\n")) {
    const m = /^\s*-\s*([A-Za-z0-9_.-]+)==([^\s#]+)/.exec(line);
    if (m) pins.set(m[1].toLowerCase(), m[2]);
  }
  return pins;
}

describe("Python pins", () => {
  it("are the same in python/requirements.txt and environment.yml", () => {
    const pip = pipPins();
    assert.deepEqual([...pip.keys()].sort(), ["jupyterlab", "nbclient", "nbconvert"], "the pinned packages");
    assert.deepEqual(condaPins(), pip, "environment.yml pins == requirements.txt pins");
  });

  it("ask conda for Python >= 3.10, Node 20 and pip", () => {
    const yml = fs.readFileSync(projectPath("environment.yml"), "utf8");
    assert.match(yml, /^name: ml-dataprep-ts$/m);
    assert.match(yml, /^\s*- conda-forge$/m);
    assert.match(yml, /^\s*- python>=3\.10/m);
    assert.match(yml, /^\s*- nodejs=20$/m);
    assert.match(yml, /^\s*- pip$/m);
  });

  it("pin nodejs-polars, tslab and TypeScript as the project requires", () => {
    const pkg = JSON.parse(fs.readFileSync(projectPath("package.json"), "utf8"));
    assert.equal(pkg.dependencies["nodejs-polars"], "0.25.2");
    assert.equal(pkg.dependencies.tslab, "1.0.22");
    assert.match(pkg.devDependencies.typescript, /^~5\./);
  });
});

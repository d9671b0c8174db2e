import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { projectPath } from "../../src/util/paths";

const python = process.env.CONDA_PREFIX?.endsWith("ml-dataprep-ts")
  ? path.join(process.env.CONDA_PREFIX, "bin", "python")
  : projectPath(".venv", "bin", "python");

describe("kernelspec ml-dataprep-ts", () => {
  it("is listed by the project environment's jupyter, from its own prefix", () => {
    const out = execFileSync(python, ["-m", "jupyter", "kernelspec", "list", "--json"], { encoding: "utf8" });
    const specs = JSON.parse(out).kernelspecs as Record<
      string,
      { resource_dir: string; spec: { argv: string[]; display_name: string } }
    >;
    const spec = specs["ml-dataprep-ts"];
    assert.ok(spec, `listed (got ${Object.keys(specs).join(", ")})`);
    const prefix = execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
    assert.equal(spec.resource_dir, path.join(prefix, "share", "jupyter", "kernels", "ml-dataprep-ts"));
    assert.equal(spec.spec.display_name, "TypeScript (ML Data Prep)");
    assert.equal(
      spec.spec.argv[1],
      projectPath("kernel", "launch.js"),
      "runs the project's launcher, not a global tslab",
    );
    assert.ok(path.isAbsolute(spec.spec.argv[0]), "node is an absolute path (no tslab on PATH needed)");
  });

  it("is not installed in the user's or the system's Jupyter dirs", () => {
    const places = [
      path.join(os.homedir(), ".local", "share", "jupyter", "kernels", "ml-dataprep-ts"),
      "/usr/local/share/jupyter/kernels/ml-dataprep-ts",
      "/usr/share/jupyter/kernels/ml-dataprep-ts",
    ];
    for (const place of places) assert.ok(!fs.existsSync(place), `${place} must not exist`);
  });

  it("re-running setup reinstalls nothing", () => {
    const spec = projectPath(".venv", "share", "jupyter", "kernels", "ml-dataprep-ts", "kernel.json");
    const before = fs.statSync(spec).mtimeMs;
    const r = spawnSync(process.execPath, [projectPath("scripts", "setup.js")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").pop()?.startsWith("setup: ready"), true, r.stdout);
    assert.doesNotMatch(r.stdout, /installing|registered|creating|fetching/, "nothing was (re)installed");
    assert.equal(fs.statSync(spec).mtimeMs, before, "kernel.json untouched");
  });
});

// The JupyterLab extension, checked against the real build: extension/install.js builds it with
// Node only, installs it into a prefix idempotently, and JupyterLab lists it as enabled and OK.
import assert from "node:assert/strict";
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PLOTLY_MIME } from "../../src/util/plotly-bundle";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const INSTALL = path.join(ROOT, "extension", "install.js");
const NAME = "ml-dataprep-ts-labextension";
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;

function install(prefix: string, ...flags: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [INSTALL, prefix, ...flags], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: BUILD_TIMEOUT_MS,
  });
}

function assertInstalled(r: SpawnSyncReturns<string>, prefix: string): void {
  assert.equal(r.status, 0, `install.js ${prefix} exits 0; stderr:\n${r.stderr}`);
}

function readJSON(file: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The ESM output of extension/src/notebooks.ts, loaded as-is (it imports nothing). */
async function importBuilt(file: string): Promise<Record<string, any>> {
  const url = `data:text/javascript;base64,${fs.readFileSync(file).toString("base64")}`;
  // tsc would turn import() into require() under CommonJS; this keeps a real ESM import.
  const dynamicImport = new Function("url", "return import(url)") as (url: string) => Promise<Record<string, any>>;
  return dynamicImport(url);
}

describe("extension/install.js", function () {
  this.timeout(BUILD_TIMEOUT_MS);
  let prefix = "";
  let dest = "";

  before(function () {
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-labext-"));
    dest = path.join(prefix, "share", "jupyter", "labextensions", NAME);
    assertInstalled(install(prefix, "--quiet"), prefix);
  });

  after(function () {
    if (prefix) fs.rmSync(prefix, { recursive: true, force: true });
  });

  it("installs package.json whose _build.load entry exists", function () {
    const pkg = readJSON(path.join(dest, "package.json"));
    assert.equal(pkg.name, NAME, "installed package name");
    const build = pkg.jupyterlab?._build;
    assert.equal(typeof build?.load, "string", "jupyterlab._build.load is set");
    assert.ok(fs.existsSync(path.join(dest, build.load)), `remote entry ${build.load} exists`);
    assert.equal(build.extension, "./extension", "exposes the launcher plugin");
    assert.equal(build.mimeExtension, "./mimeExtension", "exposes the Plotly mime renderer");
  });

  it("bundles plotly.js as a separate lazy chunk, not in the remote entry", function () {
    const pkg = readJSON(path.join(dest, "package.json"));
    const entryBytes = fs.statSync(path.join(dest, pkg.jupyterlab._build.load)).size;
    const chunks = fs.readdirSync(path.join(dest, "static")).map((f) => fs.statSync(path.join(dest, "static", f)).size);
    assert.ok(entryBytes < 100_000, `remote entry is small (${entryBytes} bytes)`);
    assert.ok(Math.max(...chunks) > 4_000_000, `one chunk holds plotly.js (largest ${Math.max(...chunks)} bytes)`);
  });

  it("does nothing on a second run: no output, same mtime, same stamp", function () {
    const stampFile = path.join(dest, "build-stamp.json");
    const stamp = fs.readFileSync(stampFile, "utf8");
    const mtime = fs.statSync(dest).mtimeMs;
    const r = install(prefix, "--quiet");
    assertInstalled(r, prefix);
    assert.equal(r.stdout + r.stderr, "", "prints nothing with --quiet");
    assert.equal(fs.statSync(dest).mtimeMs, mtime, "folder mtime unchanged");
    assert.equal(fs.readFileSync(stampFile, "utf8"), stamp, "stamp unchanged");
  });

  it("reinstalls by swapping the whole folder when the recorded stamp differs", function () {
    const stampFile = path.join(dest, "build-stamp.json");
    const stamp = fs.readFileSync(stampFile, "utf8");
    fs.writeFileSync(stampFile, JSON.stringify({ sha256: "stale" }));
    fs.writeFileSync(path.join(dest, "leftover.txt"), "from an older install");
    assertInstalled(install(prefix, "--quiet"), prefix);
    assert.equal(fs.readFileSync(stampFile, "utf8"), stamp, "stamp restored");
    assert.ok(!fs.existsSync(path.join(dest, "leftover.txt")), "old folder replaced, not merged");
    const siblings = fs.readdirSync(path.dirname(dest));
    assert.deepEqual(siblings, [NAME], "no temporary folders left behind");
  });

  it("fails with one clear line for a missing prefix", function () {
    const r = install(path.join(prefix, "does-not-exist"), "--quiet");
    assert.notEqual(r.status, 0, "exits non-zero");
    assert.match(
      r.stderr,
      /^ml-dataprep-ts-labextension: .*does-not-exist does not exist\.\n$/,
      "one line naming the problem",
    );
  });
});

describe("extension notebook ordering (built lib/notebooks.js)", function () {
  it("lists top-level notebooks, then tabular/, then image/, then others, each naturally sorted", async function () {
    const { sortNotebooks } = await importBuilt(path.join(ROOT, "extension", "lib", "notebooks.js"));
    const paths = [
      "image/1.2-structure-data.ipynb",
      "extra/a.ipynb",
      "tabular/1.10-late.ipynb",
      "tabular/1.2-feature-engineering.ipynb",
      "00_environment_check.ipynb",
      "tabular/1.1-churn-data-prep.ipynb",
      "image/1.1-explore.ipynb",
    ];
    assert.deepEqual(sortNotebooks(paths), [
      "00_environment_check.ipynb",
      "tabular/1.1-churn-data-prep.ipynb",
      "tabular/1.2-feature-engineering.ipynb",
      "tabular/1.10-late.ipynb",
      "image/1.1-explore.ipynb",
      "image/1.2-structure-data.ipynb",
      "extra/a.ipynb",
    ]);
  });

  it("makes readable labels from file names", async function () {
    const { notebookLabel } = await importBuilt(path.join(ROOT, "extension", "lib", "notebooks.js"));
    assert.equal(notebookLabel("tabular/1.1-churn_data-prep.ipynb"), "1.1 churn data prep");
    assert.equal(notebookLabel("00_environment_check.ipynb"), "00 environment check");
  });
});

describe("jupyter labextension list (project .venv)", function () {
  this.timeout(BUILD_TIMEOUT_MS);

  it("shows ml-dataprep-ts-labextension enabled and OK", function () {
    const prefix = path.join(ROOT, ".venv");
    const jupyter = path.join(prefix, "bin", "jupyter");
    if (!fs.existsSync(jupyter)) this.skip();
    assertInstalled(install(prefix, "--quiet"), prefix);
    const env = { ...process.env };
    delete env.JUPYTER_PATH;
    const r = spawnSync(jupyter, ["labextension", "list"], { encoding: "utf8", env, timeout: 120_000 });
    assert.equal(r.status, 0, `jupyter labextension list exits 0; stderr:\n${r.stderr}`);
    // eslint-disable-next-line no-control-regex
    const text = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, "");
    assert.match(text, /ml-dataprep-ts-labextension v\S+ enabled OK/, `listed as enabled OK:\n${text}`);
  });
});

describe("plotly MIME type", function () {
  it("is the same string in the extension's renderer and the kernel side's bundles", function () {
    // The extension is browser code and cannot import src/, so the constant is written twice: read both.
    const source = fs.readFileSync(path.join(ROOT, "extension", "src", "mime.ts"), "utf8");
    const match = /export const PLOTLY_MIME = "([^"]+)";/.exec(source);
    assert.ok(match, "extension/src/mime.ts exports PLOTLY_MIME as a string literal");
    assert.equal(match[1], PLOTLY_MIME, "extension/src/mime.ts and src/util/plotly-bundle.ts agree");
  });
});

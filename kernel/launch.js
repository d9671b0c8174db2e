#!/usr/bin/env node
"use strict";
// The ml-dataprep-ts kernel: the project's own pinned tslab (node_modules/tslab, never a global
// install), started directly so no `tslab` binary has to be on PATH. scripts/setup.js writes a
// kernelspec whose argv is `<node> <project>/kernel/launch.js --config-path {connection_file}`.
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const configPath = argValue("--config-path");
if (!configPath) {
  console.error("kernel/launch.js: missing --config-path {connection_file}; start it through Jupyter.");
  process.exit(2);
}

// The kernel extension (src/display/tslab-hook.ts): a cell's last expression is displayed as a
// rich bundle when it is a DataFrame, a plotly figure, an image or implements
// Symbol.for("Jupyter.display"). Messages here go to the Jupyter server log, not to a cell.
try {
  const { installTslabHook } = require(path.join(ROOT, "dist", "src", "display", "tslab-hook.js"));
  const tslabDir = path.join(ROOT, "node_modules", "tslab");
  const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] }));
  const status = installTslabHook(require(path.join(tslabDir, "dist", "executor.js")), ts);
  if (!status.ok) console.error(`ml-dataprep-ts kernel: ${status.reason}`);
} catch (e) {
  console.error(`ml-dataprep-ts kernel: rich display hook not installed (${e.message}); run \`npm run setup\`.`);
}

const tslab = require(path.join(ROOT, "node_modules", "tslab", "dist", "main.js"));
const { version } = require(path.join(ROOT, "node_modules", "tslab", "package.json"));
// enableFindLocal: false, because this already is the project's local tslab.
tslab.startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: version });

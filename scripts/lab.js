#!/usr/bin/env node
"use strict";
// `npm start`: JupyterLab 4 from the project's Python environment, bound to 127.0.0.1 with a fresh
// token, with the ml-dataprep-ts kernel. Port: PORT or --port (default 8888).
// JupyterLab's root is the project root, so out/ (every notebook's outputs) is browsable and a path
// from the file browser's "Copy Path" is the path the notebooks' `csv` parameter and projectPath()
// take; the browser opens on notebooks/ (LabApp.default_url), with the launcher.
const net = require("node:net");
const crypto = require("node:crypto");
const { spawn } = require("node:child_process");
const env = require("./lib/env");

function option(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Where the browser opens: the file browser on notebooks/, the launcher in the main area. */
const OPEN_URL = "/lab/tree/notebooks";

const port = Number(option("--port") ?? process.env.PORT ?? 8888);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  env.die(`invalid port ${option("--port") ?? process.env.PORT} (expected 1-65535)`);

function checkPortFree() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function main() {
  if (!(await checkPortFree())) {
    env.die(
      `port ${port} on 127.0.0.1 is in use; stop the other server or choose another port: PORT=${port + 1} npm start`,
    );
  }
  const pyenv = env.pythonEnv();
  const token = process.env.JUPYTER_TOKEN || crypto.randomBytes(24).toString("hex");
  const args = [
    "-m",
    "jupyter",
    "lab",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
    `--ServerApp.root_dir=${env.ROOT}`,
    `--LabApp.default_url=${OPEN_URL}`,
    `--IdentityProvider.token=${token}`,
    "--MappingKernelManager.default_kernel_name=ml-dataprep-ts",
  ];
  if (process.getuid && process.getuid() === 0) args.push("--allow-root");
  if (process.env.CI || !process.env.DISPLAY) args.push("--no-browser");
  console.log(`JupyterLab: http://127.0.0.1:${port}${OPEN_URL}?token=${token}`);
  const child = spawn(
    pyenv.python,
    [...args, ...process.argv.slice(2).filter((a, i, all) => a !== "--port" && all[i - 1] !== "--port")],
    {
      stdio: "inherit",
      cwd: env.ROOT,
    },
  );
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code) => process.exit(code ?? 1));
}

main();

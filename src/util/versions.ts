import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { PROJECT_ROOT } from "./paths";

/** Versions of the pieces a notebook runs on. */
export interface EnvironmentVersions {
  node: string;
  tslab: string;
  /** The TypeScript that tslab compiles cells with (its bundled fork, not the project's build TS). */
  tslabTypeScript: string;
  nodejsPolars: string;
  jupyterlab: string;
}

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [PROJECT_ROOT] });
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

function jupyterlabVersion(): string {
  // The kernelspec passes the environment's Python; outside a kernel, fall back to .venv.
  const python = process.env.ML_DATAPREP_PYTHON ?? path.join(PROJECT_ROOT, ".venv", "bin", "python");
  try {
    return execFileSync(python, ["-c", "import importlib.metadata as m; print(m.version('jupyterlab'))"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "not found";
  }
}

/**
 * Versions of Node, tslab, tslab's TypeScript, nodejs-polars and JupyterLab.
 * @example environmentVersions().nodejsPolars // "0.25.2"
 */
export function environmentVersions(): EnvironmentVersions {
  return {
    node: process.versions.node,
    tslab: packageVersion("tslab"),
    tslabTypeScript: packageVersion("@tslab/typescript-for-tslab"),
    nodejsPolars: packageVersion("nodejs-polars"),
    jupyterlab: jupyterlabVersion(),
  };
}

import * as path from "node:path";

/** The project root: the folder holding package.json, two levels above dist/src/util. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * A path inside the project, whatever the notebook's working directory (absolute parts pass through).
 * @example projectPath("out", "tabular") // "/home/me/ml-dataprep-ts/out/tabular"
 */
export function projectPath(...parts: string[]): string {
  return path.resolve(PROJECT_ROOT, ...parts);
}

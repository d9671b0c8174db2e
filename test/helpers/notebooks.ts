import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../../src/util/paths";

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outDir: string;
}

/**
 * Run `npm run notebooks` (scripts/notebooks.js) with `args`, writing into a fresh temp folder. `MLDP_OFFLINE=1`
 * forces every loader offline, so a notebook takes the same path whether or not this machine reaches the internet.
 */
export function runNotebooks(args: string[], outDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-nb-"))): RunResult {
  const r = spawnSync(
    process.execPath,
    [path.join(PROJECT_ROOT, "scripts", "notebooks.js"), ...args, "--out", outDir],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, MLDP_OFFLINE: "1" },
      encoding: "utf8",
      timeout: 600_000,
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outDir };
}

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: NotebookOutput[];
  metadata?: { tags?: string[] };
}

export function readNotebook(file: string): { cells: NotebookCell[] } {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

export const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join("") : (v ?? ""));

/** Code cells with their outputs, in order. */
export function codeCells(nb: { cells: NotebookCell[] }): NotebookCell[] {
  return nb.cells.filter((c) => c.cell_type === "code");
}

/** All stdout text of a cell. */
export function stdoutOf(cell: NotebookCell): string {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === "stream" && o.name === "stdout")
    .map((o) => text(o.text))
    .join("");
}

/** MIME keys of every display output of a notebook. */
export function displayMimes(nb: { cells: NotebookCell[] }): string[][] {
  return codeCells(nb).flatMap((c) => (c.outputs ?? []).filter((o) => o.data).map((o) => Object.keys(o.data!).sort()));
}

export const fixture = (...parts: string[]) => path.join(PROJECT_ROOT, "test", "fixtures", ...parts);

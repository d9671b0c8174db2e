/**
 * Helpers of the image selection/structuring tests: temp folders, numpy in the project env, and an
 * assertion on an error's class and message parts.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectPath } from "../../src/util/paths";

const PYTHON = projectPath(".venv", "bin", "python");

/** Run a Python script (numpy in the project env) with `args` and parse its JSON output. */
export function pythonJson(script: string, args: string[] = []): any {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`python is missing: ${PYTHON} (expected the project env with numpy; run \`npm test\` once)`);
  }
  return JSON.parse(execFileSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 1 << 28 }));
}

/** A new empty temp folder, removed after the current describe. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mldp-${prefix}-`));
}

/** Assert that `fn` throws an error of class `kind` whose message contains every one of `parts`. */
export function assertThrows(fn: () => unknown, kind: new (...args: never[]) => Error, parts: string[]): void {
  assert.throws(fn, (e: Error) => checkError(e, kind, parts));
}

/** The async {@link assertThrows}. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  kind: new (...args: never[]) => Error,
  parts: string[],
): Promise<void> {
  await assert.rejects(fn, (e: Error) => checkError(e, kind, parts));
}

function checkError(e: Error, kind: new (...args: never[]) => Error, parts: string[]): true {
  assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e.name}: ${e.message}`);
  for (const part of parts) {
    assert.ok(e.message.includes(part), `message ${JSON.stringify(e.message)} names ${JSON.stringify(part)}`);
  }
  return true;
}

/**
 * Output folders built whole: a temp folder beside the target is filled, then renamed into place,
 * so a reader (or a crash) sees the old folder or the complete new one, never half of it. Files
 * inside the temp folder need no temp-and-rename of their own: the folder rename publishes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataPrepError } from "../util/errors";

let counter = 0;

/**
 * A fresh empty temp folder beside `target` (`<target>.tmp-<pid>-<n>`), after checking that
 * `target` may be written: an existing `target` is refused unless `overwrite` is true.
 * @throws DataPrepError when `target` exists and `overwrite` is false
 * @example const tmp = startOutputDir("out/image/structured", false); ...; finishOutputDir(tmp, "out/image/structured")
 */
export function startOutputDir(target: string, overwrite: boolean): string {
  const full = path.resolve(target);
  if (fs.existsSync(full) && !overwrite) {
    throw new DataPrepError(`output folder exists: ${full} (pass overwrite: true to replace it)`);
  }
  const tmp = `${full}.tmp-${process.pid}-${counter++}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  return tmp;
}

/**
 * Publish the complete folder `tmp` as `target`: an existing `target` is renamed aside first and
 * deleted after the new one is in place.
 */
export function finishOutputDir(tmp: string, target: string): void {
  const full = path.resolve(target);
  if (fs.existsSync(full)) {
    const old = `${full}.old-${process.pid}-${counter++}`;
    fs.renameSync(full, old);
    fs.renameSync(tmp, full);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(tmp, full);
  }
}

/** Remove a temp folder after a failure (never throws). */
export function abandonOutputDir(tmp: string): void {
  fs.rmSync(tmp, { recursive: true, force: true });
}

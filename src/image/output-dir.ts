/**
 * Output folders built whole: a temp folder beside the target is filled, then renamed into place,
 * so a reader (or a crash) sees the old folder or the complete new one, never half of it. Files
 * inside the temp folder need no temp-and-rename of their own: the folder rename publishes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { swapIntoPlace } from "../io/atomic";
import { DataPrepError } from "../util/errors";

let counter = 0;

/** The file that marks a folder as built here, so `overwrite` only ever replaces such a folder. */
export const OUTPUT_MARKER = ".mldp-output.json";

/**
 * Whether `child` is `parent` itself or a path inside it (both resolved against the working folder).
 * @example isInside("out/image", "out/image/train") // true
 */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Options of {@link startOutputDir}. */
export interface OutputDirOptions {
  /** Replace an existing `target` (only one this project built: it holds {@link OUTPUT_MARKER}). Default false. */
  overwrite?: boolean;
  /** Who writes the folder, recorded in the marker. Default "ml-dataprep-ts". */
  writer?: string;
  /** Input files the folder is built from: `target` must not contain any of them. Default none. */
  sources?: Iterable<string>;
}

/**
 * A fresh empty temp folder beside `target` (`<target>.tmp-<pid>-<n>`), after checking that `target` may be
 * written: an existing `target` is refused unless `overwrite` is true and it is a folder this project built
 * (it holds {@link OUTPUT_MARKER}); a `target` holding one of `sources` is always refused.
 * @throws DataPrepError when `target` may not be written
 * @example
 * const tmp = startOutputDir("out/image/structured", { overwrite: false });
 * finishOutputDir(tmp, "out/image/structured");
 */
export function startOutputDir(target: string, options: OutputDirOptions = {}): string {
  const { overwrite = false, writer = "ml-dataprep-ts", sources = [] } = options;
  const full = path.resolve(target);
  for (const source of sources) {
    if (isInside(full, source)) {
      throw new DataPrepError(
        `output folder holds an input: ${full} contains ${path.resolve(source)} (expected an output folder apart from the inputs)`,
      );
    }
  }
  if (fs.existsSync(full)) {
    if (!overwrite) throw new DataPrepError(`output folder exists: ${full} (pass overwrite: true to replace it)`);
    if (!fs.existsSync(path.join(full, OUTPUT_MARKER))) {
      throw new DataPrepError(
        `output folder exists and was not built here: ${full} (no ${OUTPUT_MARKER}; overwrite only replaces ` +
          `folders this project wrote: choose another folder or remove it yourself)`,
      );
    }
  }
  const tmp = `${full}.tmp-${process.pid}-${counter++}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, OUTPUT_MARKER), `${JSON.stringify({ writer })}\n`);
  return tmp;
}

/**
 * Publish the complete folder `tmp` as `target`: an existing `target` is renamed aside first (to
 * `<tmp>.old`) and deleted after the new one is in place, or renamed back if that fails. Without
 * `overwrite`, a `target` that appeared meanwhile is refused.
 */
export function finishOutputDir(tmp: string, target: string, overwrite = false): void {
  const full = path.resolve(target);
  if (fs.existsSync(full) && (!overwrite || !fs.existsSync(path.join(full, OUTPUT_MARKER)))) {
    throw new DataPrepError(`output folder appeared while it was being built: ${full} (left as it was)`);
  }
  swapIntoPlace(tmp, full);
}

/** Remove a temp folder after a failure (never throws). */
export function abandonOutputDir(tmp: string): void {
  fs.rmSync(tmp, { recursive: true, force: true });
}

import * as fs from "node:fs";
import * as path from "node:path";

let counter = 0;

/**
 * A fresh hidden temp name beside `file`, unique in this process: `<dir>/.<name>.<pid>.<n>.<suffix>`.
 * Nothing is created.
 * @example tempPath("out/a.csv") // "out/.a.csv.4242.0.tmp"; tempPath("out/cifar", "extracting")
 */
export function tempPath(file: string, suffix = "tmp"): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter++}.${suffix}`);
}

/**
 * Rename the complete folder (or file) `tmp` onto `target`. An existing `target` is renamed aside first
 * (to `<tmp>.old`) and deleted once `tmp` is in place; if that second rename fails, the old `target` is
 * renamed back, so `target` is never left missing.
 * @example swapIntoPlace(tempDir, "out/cache/cifar-10-binary")
 */
export function swapIntoPlace(tmp: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(tmp, target);
    return;
  }
  const old = `${tmp}.old`;
  fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.renameSync(old, target);
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Write a whole file through a temp file in the same folder and a rename, so a reader (or a crash)
 * never sees half a file and an existing file is replaced only by a complete one.
 * @example writeFileAtomic("out/train.csv", csvText)
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeAtomicSync(file, (tmp) => fs.writeFileSync(tmp, data));
}

/**
 * Let `write` create a temp file in the target's folder, then rename it into place; on any error the
 * temp file is removed and `file` is left as it was (the synchronous `withAtomicFile`, for writers
 * that take a path, such as polars' `writeCSV(path)`).
 * @example writeAtomicSync("out/train.csv", (tmp) => df.writeCSV(tmp))
 */
export function writeAtomicSync<T>(file: string, write: (tmpPath: string) => T): T {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempPath(file);
  try {
    const result = write(tmp);
    fs.renameSync(tmp, file);
    return result;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Stream into a temp file and rename it into place once `write` resolves; on any error the temp
 * file is removed and `file` is left as it was.
 * @example await withAtomicFile("out/big.csv", async (tmp) => { await pipeline(src, fs.createWriteStream(tmp)); })
 */
export async function withAtomicFile<T>(file: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempPath(file);
  try {
    const result = await write(tmp);
    fs.renameSync(tmp, file);
    return result;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

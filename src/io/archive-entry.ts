/**
 * The checks every archive entry passes before anything is written for it (zip-slip and friends): the
 * name must be a relative path that stays inside the target folder, in any operating system's reading.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FormatError } from "../util/errors";

/**
 * Why an entry name is unsafe, or undefined when it is a plain relative path: refused are empty names,
 * NUL bytes, backslashes (Windows separators), absolute paths, Windows drive paths and `..` segments.
 * @example unsafeEntryName("../etc/passwd") // "a '..' segment leaves the target folder"
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return "empty name";
  if (name.includes("\0")) return "a NUL byte in the name";
  if (name.includes("\\")) return "a backslash, a Windows path separator";
  if (name.startsWith("/")) return "an absolute path";
  if (/^[a-zA-Z]:/.test(name)) return "a Windows drive path";
  if (name.split("/").includes("..")) return "a '..' segment leaves the target folder";
  return undefined;
}

/**
 * The absolute path an entry will be written to inside `root`, after {@link unsafeEntryName} and a check that
 * the resolved path is inside `root`; "" for the root itself (a `./` entry). Throws a FormatError naming the
 * archive and the entry otherwise.
 * @example const target = entryTarget("/tmp/x", "cifar-10-batches-bin/data_batch_1.bin", "cifar.tar.gz");
 */
export function entryTarget(root: string, name: string, archive: string): string {
  const problem = unsafeEntryName(name);
  if (problem !== undefined) throw unsafeEntry(archive, name, problem);
  const target = path.resolve(root, name);
  const relative = path.relative(root, target);
  if (relative === "") return "";
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw unsafeEntry(archive, name, "resolves outside the target folder");
  return target;
}

/** The FormatError for a refused entry. */
export function unsafeEntry(archive: string, name: string, problem: string): FormatError {
  return new FormatError(
    `archive entry refused: ${JSON.stringify(name)}: ${problem} (expected a relative path to a file or folder inside the archive's folder): ${archive}`,
  );
}

/**
 * After extraction, a second look at what is on disk: only regular files and folders, all inside `root`.
 * Returns the files' paths relative to `root`, with `/` separators, sorted.
 * @example const files = checkExtractedTree(tmp, "annotations_trainval2017.zip");
 */
export function checkExtractedTree(root: string, archive: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix + d.name;
      if (d.isDirectory()) walk(path.join(dir, d.name), `${rel}/`);
      else if (d.isFile()) files.push(rel);
      else throw unsafeEntry(archive, rel, "extracted as something other than a file or folder");
    }
  };
  walk(root, "");
  return files.sort();
}

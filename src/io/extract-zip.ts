/**
 * Extract a zip with yauzl (central directory, entry by entry), names decoded with yauzl's own decoder
 * but checked by ours: only files and folders with safe names; Unix symbolic links and special files,
 * encrypted entries and unknown compression methods are refused, duplicate names too; each file's CRC-32
 * is checked (yauzl checks sizes only). Internal: {@link extractArchive} calls it on a fresh temp folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";
import * as yauzl from "yauzl";
import { DataPrepError, FormatError } from "../util/errors";
import { entryTarget, unsafeEntry } from "./archive-entry";
import type { WorkerOptions } from "./extract-tar";

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;

/**
 * Extract `archive` into the existing empty folder `root`.
 * @example await extractZip("annotations_trainval2017.zip", tmpDir, { maxBytes: 2 ** 34 });
 */
export async function extractZip(archive: string, root: string, o: WorkerOptions): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (e) {
    throw wrap(e, archive);
  }
  let bytes = 0;
  let done = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      const isDir = name.endsWith("/");
      check(archive, name, entry, isDir);
      const target = entryTarget(root, name, archive);
      if (target === "") continue;
      bytes += entry.uncompressedSize;
      if (bytes > o.maxBytes)
        throw new FormatError(
          `archive is too large: more than ${o.maxBytes} bytes uncompressed at entry ${JSON.stringify(name)} (expected at most ${o.maxBytes}): ${archive}`,
        );
      if (isDir) {
        fs.mkdirSync(target, { recursive: true });
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (fs.existsSync(target)) throw unsafeEntry(archive, name, "a duplicate name (the archive holds it twice)");
        await writeEntry(zip, entry, target, name, archive);
      }
      o.onProgress?.(++done, zip.entryCount);
    }
  } catch (e) {
    throw wrap(e, archive);
  } finally {
    zip.close();
  }
}

/** Refuse links, special files, encryption and unknown compression before reading the data. */
function check(archive: string, name: string, entry: yauzl.Entry, isDir: boolean): void {
  if (entry.versionMadeBy >> 8 === MADE_BY_UNIX) {
    const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK) throw unsafeEntry(archive, name, "a symbolic link (links and special files are refused)");
    if (type !== 0 && type !== (isDir ? S_IFDIR : S_IFREG))
      throw unsafeEntry(
        archive,
        name,
        `a special file of mode ${type.toString(8)} (links and special files are refused)`,
      );
  }
  if (entry.isEncrypted()) throw unsafeEntry(archive, name, "an encrypted entry");
  if (!entry.canDecodeFileData())
    throw unsafeEntry(archive, name, `compression method ${entry.compressionMethod} (expected 0 stored or 8 deflate)`);
}

/** Stream one entry into `target` (created, never overwritten), checking its CRC-32 on the way. */
async function writeEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, target: string, name: string, archive: string) {
  const crc32 = (zlib as unknown as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  let crc = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      if (crc32) crc = crc32(chunk, crc);
      next(null, chunk);
    },
  });
  // The file is created before the pipeline starts, so a failing entry cannot create it after clean-up.
  const file = await fs.promises.open(target, "wx");
  try {
    await pipeline(await zip.openReadStreamPromise(entry), meter, file.createWriteStream());
  } finally {
    await file.close().catch(() => undefined);
  }
  if (crc32 && crc >>> 0 !== entry.crc32 >>> 0)
    throw new FormatError(
      `archive entry is corrupt: ${JSON.stringify(name)}: CRC-32 ${crc >>> 0} (expected ${entry.crc32 >>> 0}): ${archive}`,
    );
}

/** Our errors as they are; yauzl's and zlib's wrapped into a FormatError naming the archive. */
function wrap(e: unknown, archive: string): Error {
  if (e instanceof DataPrepError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT") return new DataPrepError(`archive not found: ${archive}`, { cause: e });
  return new FormatError(`archive is not a readable zip: ${err?.message ?? String(e)}: ${archive}`, { cause: e });
}

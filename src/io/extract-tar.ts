/**
 * Extract a tar or tar.gz (`gzip` as the caller sniffed it) with node-tar's streaming `Unpack`, every
 * entry checked first by our own filter: only files and folders with safe names; symbolic links, hard
 * links, devices and FIFOs stop the extraction. A name given twice is written twice (tar's rule: the later
 * entry wins). Internal: {@link extractArchive} calls it on a fresh temp
 * folder and renames that into place only when everything passed.
 */
import * as fs from "node:fs";
import { PassThrough, Transform } from "node:stream";
import * as zlib from "node:zlib";
import { Unpack, type ReadEntry } from "tar";
import { FormatError } from "../util/errors";
import { entryTarget, unsafeEntry } from "./archive-entry";

/** What the workers share with {@link extractArchive}. */
export interface WorkerOptions {
  /** Largest total of uncompressed bytes accepted. */
  maxBytes: number;
  /** Called with (entries done, entries in all or undefined). */
  onProgress?: (done: number, total: number | undefined) => void;
}

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);
const DIR_TYPES = new Set(["Directory", "GNUDumpDir"]);
const TYPE_NAMES: Record<string, string> = {
  SymbolicLink: "a symbolic link",
  Link: "a hard link",
  CharacterDevice: "a character device",
  BlockDevice: "a block device",
  FIFO: "a FIFO",
};

/**
 * Extract `archive` into the existing empty folder `root`.
 * @example await extractTar("cifar-10-binary.tar.gz", tmpDir, { maxBytes: 2 ** 32, gzip: true });
 */
export function extractTar(archive: string, root: string, o: WorkerOptions & { gzip: boolean }): Promise<void> {
  let bytes = 0;
  let entries = 0;
  return new Promise<void>((resolve, reject) => {
    // Errors are only recorded: the promise settles on "close", once node-tar has finished every pending
    // write, so the caller's clean-up of the temp folder cannot race with files still being created.
    let failure: Error | undefined;
    let stopped = false;
    const stop = (err: Error) => {
      failure ??= err;
      if (stopped) return;
      stopped = true;
      // Stop reading (no need to decompress the rest) and let node-tar drain what it has.
      setImmediate(() => {
        read.destroy();
        end.stream.unpipe(unpack);
        unpack.end();
      });
    };
    // Not node-tar's strict mode (it can stop without ever emitting "close" after a bad header): its warnings
    // are turned into our failure here instead, every one of them.
    const unpack: Unpack = new Unpack({
      cwd: root,
      strict: false,
      onwarn: (code: string, message: string | Error) =>
        stop(new FormatError(`archive is not a readable tar/tar.gz: ${code}: ${String(message)}: ${archive}`)),
      preserveOwner: false,
      filter: (name: string, entry: unknown) => {
        if (failure) return false;
        const e = entry as ReadEntry;
        try {
          check(archive, root, name, e);
          bytes += e.size ?? 0;
          if (bytes > o.maxBytes)
            throw new FormatError(
              `archive is too large: more than ${o.maxBytes} bytes uncompressed at entry ${JSON.stringify(name)} (expected at most ${o.maxBytes}): ${archive}`,
            );
          // Plain permissions: no setuid/setgid/sticky bits or odd modes from the archive.
          e.mode = DIR_TYPES.has(e.type) ? 0o755 : 0o644;
          o.onProgress?.(++entries, undefined);
          return true;
        } catch (err) {
          stop(err as Error);
          return false;
        }
      },
    });
    unpack.on("error", (err: Error) => stop(wrap(err, archive)));
    const end = endMarker();
    unpack.on("close", () => {
      if (failure) reject(failure);
      else if (!end.seen())
        reject(
          new FormatError(
            `archive is truncated: no end-of-archive marker after ${end.bytes()} bytes (expected two zero blocks of 512 bytes at the end): ${archive}`,
          ),
        );
      else resolve();
    });
    // We gunzip ourselves (node-tar would) to see the end of the tar stream: node-tar silently accepts a
    // stream cut inside a header, so a truncated archive is caught by its missing end marker instead.
    const read = fs.createReadStream(archive);
    const gunzip = o.gzip ? zlib.createGunzip() : new PassThrough();
    const fail = (err: Error) => stop(wrap(err, archive));
    read.on("error", fail).pipe(gunzip).on("error", fail).pipe(end.stream).pipe(unpack);
  });
}

/** A pass-through that remembers the byte count and last 1,024 bytes of the tar stream. */
function endMarker(): { stream: Transform; seen: () => boolean; bytes: () => number } {
  let total = 0;
  let tail = Buffer.alloc(0);
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      total += chunk.length;
      tail = Buffer.concat([tail, chunk]).subarray(-1024);
      next(null, chunk);
    },
  });
  return {
    stream,
    seen: () => total % 512 === 0 && tail.length === 1024 && tail.every((b) => b === 0),
    bytes: () => total,
  };
}

/** Our own checks for one tar entry, before node-tar writes anything for it. */
function check(archive: string, root: string, name: string, e: ReadEntry): void {
  if (!FILE_TYPES.has(e.type) && !DIR_TYPES.has(e.type)) {
    const what = TYPE_NAMES[e.type] ?? `an entry of type ${e.type}`;
    const link = e.linkpath ? ` to ${JSON.stringify(e.linkpath)}` : "";
    throw unsafeEntry(archive, name, `${what}${link} (links and special files are refused)`);
  }
  const target = entryTarget(root, name, archive);
  if (target === "" && !DIR_TYPES.has(e.type)) throw unsafeEntry(archive, name, "a file named like the target folder");
}

/** Our FormatError as is; node-tar's and zlib's errors wrapped into one naming the archive. */
function wrap(err: Error, archive: string): Error {
  if (err instanceof FormatError) return err;
  return new FormatError(`archive is not a readable tar/tar.gz: ${err.message}: ${archive}`, { cause: err });
}

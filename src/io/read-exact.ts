/**
 * Positional reads of record files (TFRecord, RecordIO): `length` bytes at `position`, or fewer at the end of
 * the file, so the caller can say that a record is truncated and where.
 */
import * as fs from "node:fs";

/**
 * Up to `length` bytes of `fd` from `position`: exactly `length` unless the file ends first.
 * @example const head = readExact(fd, 12, offset); if (head.length < 12) throw truncated(offset);
 */
export function readExact(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/**
 * MXNet RecordIO (`.rec` + `.idx`) as `im2rec.py` writes it for the SageMaker built-in image
 * classifier (workshop B.7). Spec: dmlc-core include/dmlc/recordio.h and src/recordio.cc, mxnet
 * python/mxnet/recordio.py (`pack`, `unpack`, `MXIndexedRecordIO`). Each record is
 *
 *   uint32 magic 0xCED7230A (LE) | uint32 lrec = cflag << 29 | length | length bytes
 *   | 0-3 zero bytes to a 4-byte boundary
 *
 * A payload that holds the magic number at a 4-byte-aligned position is split there (the magic is
 * dropped from the data and restored by the reader): cflag 0 = whole record, 1 = first part,
 * 2 = middle part, 3 = last part. An image payload (`pack_img`) is the IRHeader, struct 'IfQQ'
 * (uint32 flag, float32 label, uint64 id, uint64 id2: 24 bytes little-endian), then `flag` float32
 * labels when flag > 0 (multi-label), then the encoded image. `.idx` has one `key\toffset` line per
 * record (the byte offset of its first magic).
 */
import * as fs from "node:fs";
import { withAtomicFile, writeFileAtomic } from "../io/atomic";
import { FormatError } from "../util/errors";
import { readExact } from "../io/read-exact";

/** The RecordIO magic number. */
export const RECORDIO_MAGIC = 0xced7230a;
const MAX_LENGTH = (1 << 29) - 1;
const IR_SIZE = 24;

/** One image record: IRHeader fields and the encoded image. */
export interface ImageRecord {
  /** One class index (im2rec's single-label form, flag 0) or several labels (flag = their count). */
  label: number | number[];
  /** IRHeader id: im2rec writes the .lst index. */
  id: number;
  /** IRHeader id2 (0 in im2rec). Default 0. */
  id2?: number;
  /** The encoded image (JPEG). */
  image: Uint8Array;
}

/** Options of {@link writeRecordIO}. */
export interface WriteRecordIOOptions {
  /** The index file. Default: the .rec path with `.idx` in place of `.rec`. */
  idxFile?: string;
  /** When set, a (single) label outside [0, numClasses) is an error. */
  numClasses?: number;
  /** The number of records, for `onProgress` when `records` is not an array. */
  total?: number;
  /** Called after each record with (records written, total; total = records written when unknown). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link writeRecordIO} wrote. */
export interface RecordIOWritten {
  recFile: string;
  idxFile: string;
  records: number;
  bytes: number;
}

/** One record of a .rec file. */
export interface RecordIOEntry {
  index: number;
  /** Byte offset of the record's first magic. */
  offset: number;
  payload: Uint8Array;
}

function where(file: string, index: number | undefined, offset: number): string {
  return index === undefined ? `${file}, byte offset ${offset}` : `${file}, record ${index}, byte offset ${offset}`;
}

/** `path.rec` → `path.idx` (im2rec's naming). */
export function idxPathOf(recFile: string): string {
  return recFile.endsWith(".rec") ? recFile.slice(0, -4) + ".idx" : recFile + ".idx";
}

/**
 * Frame one payload as dmlc-core's `RecordIOWriter::WriteRecord` does, splitting it at every
 * 4-byte-aligned copy of the magic number.
 * @example encodeRecordIO(packImageRecord({ label: 3, id: 0, image: jpeg }))
 */
export function encodeRecordIO(payload: Uint8Array): Buffer {
  if (payload.length > MAX_LENGTH) {
    throw new RangeError(`RecordIO record is too long: ${payload.length} bytes (expected < 2^29)`);
  }
  const parts: Buffer[] = [];
  const head = (cflag: number, length: number) => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(RECORDIO_MAGIC, 0);
    h.writeUInt32LE(((cflag << 29) | length) >>> 0, 4);
    parts.push(h);
  };
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const lowerAlign = payload.length & ~3;
  let dptr = 0;
  for (let i = 0; i < lowerAlign; i += 4) {
    if (data.readUInt32LE(i) === RECORDIO_MAGIC) {
      head(dptr === 0 ? 1 : 2, i - dptr);
      parts.push(data.subarray(dptr, i));
      dptr = i + 4;
    }
  }
  head(dptr !== 0 ? 3 : 0, payload.length - dptr);
  parts.push(data.subarray(dptr));
  const pad = (4 - (payload.length % 4)) % 4;
  if (pad) parts.push(Buffer.alloc(pad));
  return Buffer.concat(parts);
}

function checkRecord(r: ImageRecord, i: number, numClasses: number | undefined): void {
  const labels = Array.isArray(r.label) ? r.label : [r.label];
  if (Array.isArray(r.label) && r.label.length === 0) throw new RangeError(`record label list is empty (record ${i})`);
  for (const l of labels) {
    if (typeof l !== "number" || !Number.isFinite(l)) {
      throw new RangeError(`record label is not a finite number: ${String(l)} (record ${i})`);
    }
  }
  if (
    !Array.isArray(r.label) &&
    numClasses !== undefined &&
    !(Number.isInteger(r.label) && r.label >= 0 && r.label < numClasses)
  ) {
    throw new RangeError(
      `record label is out of range: ${r.label} (expected an integer in [0, ${numClasses}); record ${i})`,
    );
  }
  for (const key of ["id", "id2"] as const) {
    const v = r[key] ?? 0;
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`record ${key} is not a non-negative integer: ${v} (record ${i})`);
  }
  if (!(r.image instanceof Uint8Array) || r.image.length === 0) {
    throw new RangeError(`record image is empty (expected the encoded image bytes; record ${i}, id ${r.id})`);
  }
}

/**
 * The payload of one image record, as mxnet's `recordio.pack` builds it: IRHeader, the labels when
 * there are several, then the image.
 * @example packImageRecord({ label: 9, id: 1999, image: jpeg }).subarray(0, 24) // the IRHeader
 */
export function packImageRecord(r: ImageRecord): Buffer {
  checkRecord(r, 0, undefined);
  return _pack(r);
}

function _pack(r: ImageRecord): Buffer {
  const multi = Array.isArray(r.label);
  const labels = multi ? (r.label as number[]) : [];
  const out = Buffer.alloc(IR_SIZE + 4 * labels.length + r.image.length);
  out.writeUInt32LE(labels.length, 0);
  out.writeFloatLE(multi ? 0 : (r.label as number), 4);
  out.writeBigUInt64LE(BigInt(r.id), 8);
  out.writeBigUInt64LE(BigInt(r.id2 ?? 0), 16);
  labels.forEach((l, k) => out.writeFloatLE(l, IR_SIZE + 4 * k));
  out.set(r.image, IR_SIZE + 4 * labels.length);
  return out;
}

/**
 * The IRHeader and image of one payload (mxnet's `recordio.unpack`; labels are float32 values).
 * @throws FormatError naming `at` when the payload is shorter than its header says
 */
export function unpackImageRecord(payload: Uint8Array, at = "record"): Required<ImageRecord> & { flag: number } {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (b.length < IR_SIZE) {
    throw new FormatError(
      `RecordIO image record is shorter than its IRHeader: ${b.length} bytes (expected >= 24; ${at})`,
    );
  }
  const flag = b.readUInt32LE(0);
  if (flag > (b.length - IR_SIZE) / 4) {
    throw new FormatError(`RecordIO IRHeader flag (label count) runs past the record: ${flag} (${at})`);
  }
  const big = (o: number) => {
    const v = b.readBigUInt64LE(o);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError(`RecordIO IRHeader id is beyond JavaScript's safe integers: ${v} (${at})`);
    }
    return Number(v);
  };
  const label = flag > 0 ? Array.from({ length: flag }, (_, k) => b.readFloatLE(IR_SIZE + 4 * k)) : b.readFloatLE(4);
  return { flag, label, id: big(8), id2: big(16), image: b.subarray(IR_SIZE + 4 * flag) };
}

/**
 * Write image records as `.rec` plus `.idx` (key = IRHeader id, as im2rec does with the .lst index),
 * both atomically: on any error (a bad record half-way included) neither file is touched.
 * @throws RangeError naming the record when a label, id or image is invalid, or two records share an id
 * @example await writeRecordIO("out/image/recordio/train.rec", records, { numClasses: 11 })
 */
export async function writeRecordIO(
  recFile: string,
  records: Iterable<ImageRecord> | AsyncIterable<ImageRecord>,
  options: WriteRecordIOOptions = {},
): Promise<RecordIOWritten> {
  const { numClasses, onProgress } = options;
  const idxFile = options.idxFile ?? idxPathOf(recFile);
  const total = options.total ?? (Array.isArray(records) ? records.length : undefined);
  let count = 0;
  let offset = 0;
  const seen = new Set<number>();
  const lines: string[] = [];
  await withAtomicFile(recFile, async (tmpRec) => {
    const fd = fs.openSync(tmpRec, "w");
    try {
      for await (const r of records) {
        checkRecord(r, count, numClasses);
        if (seen.has(r.id))
          throw new RangeError(`record id is repeated: ${r.id} (record ${count}; .idx keys must be unique)`);
        seen.add(r.id);
        const framed = encodeRecordIO(_pack(r));
        fs.writeSync(fd, framed);
        lines.push(`${r.id}\t${offset}\n`);
        offset += framed.length;
        count++; // not inside onProgress?.(): an absent callback skips its argument expressions
        onProgress?.(count, total ?? count);
      }
    } finally {
      fs.closeSync(fd);
    }
    // The .idx goes into place before the .rec; if the .rec rename then failed, the .idx would
    // describe a file that is not there, and readers check offsets against the .rec anyway.
    writeFileAtomic(idxFile, lines.join(""));
  });
  return { recFile, idxFile, records: count, bytes: offset };
}

/** Read one (possibly split) record at `offset`; returns it and the offset after it. */
function readRecordAt(fd: number, size: number, file: string, offset: number, index?: number): [Buffer, number] {
  const parts: Buffer[] = [];
  let pos = offset;
  for (let part = 0; ; part++) {
    const at = where(file, index, offset) + (part > 0 ? `, part ${part} at byte ${pos}` : "");
    const head = readExact(fd, 8, pos);
    if (head.length < 8) {
      throw new FormatError(`RecordIO header is truncated: ${head.length} bytes (expected 8; ${at})`);
    }
    const magic = head.readUInt32LE(0);
    if (magic !== RECORDIO_MAGIC) {
      throw new FormatError(`RecordIO magic number is wrong: 0x${magic.toString(16)} (expected 0xced7230a; ${at})`);
    }
    const lrec = head.readUInt32LE(4);
    const cflag = lrec >>> 29;
    const length = lrec & MAX_LENGTH;
    const padded = (length + 3) & ~3;
    if (pos + 8 + padded > size) {
      throw new FormatError(
        `RecordIO length runs past the end of the file: ${length} bytes (expected at most ${size - pos - 8}; ${at})`,
      );
    }
    const expected = part === 0 ? "0 or 1" : "2 or 3";
    if (part === 0 ? cflag > 1 : cflag !== 2 && cflag !== 3) {
      throw new FormatError(`RecordIO continuation flag is wrong: ${cflag} (expected ${expected}; ${at})`);
    }
    if (cflag !== 0 && cflag !== 3 && length % 4 !== 0) {
      throw new FormatError(`RecordIO split part is not 4-byte aligned: ${length} bytes (${at})`);
    }
    if (part > 0) parts.push(head.subarray(0, 4)); // the magic the writer dropped at the split
    parts.push(readExact(fd, length, pos + 8));
    pos += 8 + padded;
    if (cflag === 0 || cflag === 3) return [Buffer.concat(parts), pos];
  }
}

/**
 * A .rec file with random access by key through its .idx and a sequential scan.
 * @example const rec = RecordIOReader.open("train.rec"); unpackImageRecord(rec.read(rec.keys[0])).label
 */
export class RecordIOReader {
  private constructor(
    readonly recFile: string,
    /** Keys in .idx order (empty when opened without an index). */
    readonly keys: number[],
    private readonly offsets: Map<number, number>,
    private readonly size: number,
  ) {}

  /**
   * Open `recFile`, reading its index (default `idxPathOf(recFile)`; `idxFile: null` for none).
   * @throws FormatError naming the .idx line when it is malformed or points past the .rec
   */
  static open(recFile: string, idxFile: string | null = idxPathOf(recFile)): RecordIOReader {
    const size = fs.statSync(recFile).size;
    const keys: number[] = [];
    const offsets = new Map<number, number>();
    if (idxFile !== null) {
      const lines = fs.readFileSync(idxFile, "utf8").split("\n");
      lines.forEach((line, i) => {
        if (line.trim() === "") return;
        const m = /^\s*(-?\d+)\t(\d+)\s*$/.exec(line);
        const offset = m ? Number(m[2]) : NaN;
        if (!m || !Number.isSafeInteger(Number(m[1])) || !(offset >= 0 && offset < size && offset % 4 === 0)) {
          throw new FormatError(
            `RecordIO index line is malformed: ${JSON.stringify(line.slice(0, 80))} ` +
              `(expected "key<TAB>offset" with a 4-aligned offset below ${size}; ${idxFile}, line ${i + 1})`,
          );
        }
        const key = Number(m[1]);
        if (!offsets.has(key)) keys.push(key);
        offsets.set(key, offset);
      });
    }
    return new RecordIOReader(recFile, keys, offsets, size);
  }

  /**
   * The payload of the record with `key`.
   * @throws RangeError for a key not in the index; FormatError for a bad record there
   */
  read(key: number): Buffer {
    const offset = this.offsets.get(key);
    if (offset === undefined) throw new RangeError(`RecordIO key is not in the index: ${key} (${this.recFile})`);
    const fd = fs.openSync(this.recFile, "r");
    try {
      return readRecordAt(fd, this.size, `${this.recFile} (key ${key})`, offset)[0];
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Every record in file order (the index is not needed).
   * @throws FormatError naming the file, record index and byte offset
   */
  *scan(): Generator<RecordIOEntry> {
    const fd = fs.openSync(this.recFile, "r");
    try {
      let offset = 0;
      for (let index = 0; offset < this.size; index++) {
        const [payload, next] = readRecordAt(fd, this.size, this.recFile, offset, index);
        yield { index, offset, payload };
        offset = next;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Every image record of a .rec file, in file order (sequential scan).
 * @throws FormatError naming the file, record index and byte offset
 * @example readRecordIO("out/image/recordio/val.rec").map((r) => r.label)
 */
export function readRecordIO(recFile: string): (Required<ImageRecord> & { flag: number })[] {
  const reader = RecordIOReader.open(recFile, null);
  return [...reader.scan()].map((r) => unpackImageRecord(r.payload, where(recFile, r.index, r.offset)));
}

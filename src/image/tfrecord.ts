/**
 * TFRecord files of `tf.train.Example` records, as the workshop's TensorFlow route writes them
 * (B.3: features `height`, `width`, `depth`, `label` as int64_list and `image_raw` as bytes_list
 * holding a JPEG). Each record is framed as
 *
 *   uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes
 *   | length bytes of data        | uint32 masked CRC-32C of the data
 *
 * with mask(crc) = ((crc >>> 15) | (crc << 17)) + 0xa282ead8 (tensorflow/core/lib/io/record_writer.cc,
 * record_reader.cc; https://www.tensorflow.org/tutorials/load_data/tfrecord#tfrecords_format_details).
 * Uncompressed, one file per split, as the workshop wrote them.
 */
import * as fs from "node:fs";
import { withAtomicFile } from "../io/atomic";
import { FormatError } from "../util/errors";
import { maskedCrc32c } from "./crc32c";
import { decodeExample, encodeExample, ProtoError, type Feature } from "./example-proto";
import { readExact } from "../io/read-exact";

/** One image record with the workshop's five features. */
export interface ImageExample {
  height: number;
  width: number;
  /** Channels: 3 for RGB. */
  depth: number;
  /** Class index (0 bear ... 10 zebra in the workshop). */
  label: number;
  /** The encoded image (JPEG in the workshop), stored as `image_raw`. */
  imageRaw: Uint8Array;
}

/** Options of {@link writeTFRecord}. */
export interface WriteTFRecordOptions {
  /** When set, a label outside [0, numClasses) is an error. Default: any non-negative integer. */
  numClasses?: number;
  /** The number of examples, for `onProgress` when `examples` is not an array. */
  total?: number;
  /** Called after each record with (records written, total; total = records written when unknown). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link writeTFRecord} wrote. */
export interface TFRecordWritten {
  file: string;
  records: number;
  bytes: number;
}

/** One framed record of a TFRecord file. */
export interface TFRecordEntry {
  /** Record number, from 0. */
  index: number;
  /** Byte offset of the record's length field in the file. */
  offset: number;
  data: Uint8Array;
}

function where(file: string, index: number, offset: number): string {
  return `${file}, record ${index}, byte offset ${offset}`;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/**
 * Frame one record's data (length, masked CRCs).
 * @example encodeTFRecord(imageExample(ex)).length // data length + 16
 */
export function encodeTFRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length + 16);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

function checkExample(ex: ImageExample, i: number, numClasses: number | undefined): void {
  for (const key of ["height", "width", "depth"] as const) {
    if (!Number.isSafeInteger(ex[key]) || ex[key] <= 0) {
      throw new RangeError(`example ${key} is not a positive integer: ${ex[key]} (example ${i})`);
    }
  }
  const bound = numClasses === undefined ? "" : `, below numClasses ${numClasses}`;
  if (!Number.isSafeInteger(ex.label) || ex.label < 0 || (numClasses !== undefined && ex.label >= numClasses)) {
    throw new RangeError(`example label is out of range: ${ex.label} (expected an integer >= 0${bound}; example ${i})`);
  }
  if (!(ex.imageRaw instanceof Uint8Array) || ex.imageRaw.length === 0) {
    throw new RangeError(`example image_raw is empty (expected the encoded image bytes; example ${i})`);
  }
}

/**
 * The serialized `tf.train.Example` of one image, as the workshop's `image_example` builds it.
 * @example imageExample({ height: 244, width: 244, depth: 3, label: 9, imageRaw: jpeg })
 */
export function imageExample(ex: ImageExample): Uint8Array {
  checkExample(ex, 0, undefined);
  return _imageExample(ex);
}

function _imageExample(ex: ImageExample): Uint8Array {
  const int64 = (v: number): Feature => ({ kind: "int64", values: [v] });
  return encodeExample(
    new Map<string, Feature>([
      ["height", int64(ex.height)],
      ["width", int64(ex.width)],
      ["depth", int64(ex.depth)],
      ["label", int64(ex.label)],
      ["image_raw", { kind: "bytes", values: [ex.imageRaw] }],
    ]),
  );
}

/**
 * Write `examples` as one TFRecord file, atomically (temp file + rename: on any error, including
 * a bad example half-way, the target is left as it was).
 * @throws RangeError naming the example when a size, the label or the image is invalid
 * @example await writeTFRecord("out/image/tfrecord/train.tfrecord", examples, { numClasses: 11 })
 */
export async function writeTFRecord(
  file: string,
  examples: Iterable<ImageExample> | AsyncIterable<ImageExample>,
  options: WriteTFRecordOptions = {},
): Promise<TFRecordWritten> {
  const { numClasses, onProgress } = options;
  if (numClasses !== undefined && !(Number.isSafeInteger(numClasses) && numClasses > 0)) {
    throw new RangeError(`numClasses is not a positive integer: ${numClasses}`);
  }
  const total = options.total ?? (Array.isArray(examples) ? examples.length : undefined);
  let records = 0;
  let bytes = 0;
  await withAtomicFile(file, async (tmp) => {
    const fd = fs.openSync(tmp, "w");
    try {
      for await (const ex of examples) {
        checkExample(ex, records, numClasses);
        const framed = encodeTFRecord(_imageExample(ex));
        fs.writeSync(fd, framed);
        bytes += framed.length;
        records++;
        onProgress?.(records, total ?? records);
      }
    } finally {
      fs.closeSync(fd);
    }
  });
  return { file, records, bytes };
}

/**
 * The records of a TFRecord file in order, each checked against both CRCs.
 * @throws FormatError naming the file, the record index and its byte offset on a bad CRC, a
 *   truncated record or a length beyond the end of the file
 * @example for (const r of scanTFRecord("train.tfrecord")) console.log(r.index, r.data.length)
 */
export function* scanTFRecord(file: string): Generator<TFRecordEntry> {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    let offset = 0;
    for (let index = 0; offset < size; index++) {
      const head = readExact(fd, 12, offset);
      if (head.length < 12) {
        throw new FormatError(
          `TFRecord header is truncated: ${head.length} bytes (expected 12; ${where(file, index, offset)})`,
        );
      }
      const lengthCrc = maskedCrc32c(head.subarray(0, 8));
      if (head.readUInt32LE(8) !== lengthCrc) {
        throw new FormatError(
          `TFRecord length checksum does not match: ${hex(head.readUInt32LE(8))} ` +
            `(expected ${hex(lengthCrc)}; ${where(file, index, offset)})`,
        );
      }
      const length = head.readBigUInt64LE(0);
      const left = size - offset - 12;
      if (length + 4n > BigInt(left)) {
        throw new FormatError(
          `TFRecord length runs past the end of the file: ${length} bytes + 4 of CRC ` +
            `(expected at most ${left} left; ${where(file, index, offset)})`,
        );
      }
      const n = Number(length);
      const body = readExact(fd, n + 4, offset + 12);
      const data = body.subarray(0, n);
      const dataCrc = maskedCrc32c(data);
      if (body.readUInt32LE(n) !== dataCrc) {
        throw new FormatError(
          `TFRecord data checksum does not match: ${hex(body.readUInt32LE(n))} ` +
            `(expected ${hex(dataCrc)}; ${where(file, index, offset)})`,
        );
      }
      yield { index, offset, data };
      offset += n + 16;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The features of one serialized Example.
 * @throws FormatError naming `at` (file, record) and the byte inside the record
 */
export function parseExample(data: Uint8Array, at = "record"): Map<string, Feature> {
  try {
    return decodeExample(data);
  } catch (e) {
    if (e instanceof ProtoError) {
      throw new FormatError(`tf.train.Example is malformed: ${e.message} (${at}, byte ${e.pos} of the record)`, {
        cause: e,
      });
    }
    throw e;
  }
}

function int64Feature(features: Map<string, Feature>, key: string, at: string): number {
  const f = features.get(key);
  if (f === undefined) throw new FormatError(`Example feature "${key}" is missing (${at})`);
  if (f.kind !== "int64" || f.values.length !== 1) {
    const got = f.kind === "none" ? "none" : `${f.kind} x ${f.values.length}`;
    throw new FormatError(`Example feature "${key}" is ${got} (expected one int64; ${at})`);
  }
  return f.values[0];
}

/**
 * The workshop's five features of one Example.
 * @throws FormatError naming the missing or mistyped feature and `at`
 */
export function toImageExample(features: Map<string, Feature>, at = "record"): ImageExample {
  const raw = features.get("image_raw");
  if (raw === undefined) throw new FormatError(`Example feature "image_raw" is missing (${at})`);
  if (raw.kind !== "bytes" || raw.values.length !== 1) {
    const got = raw.kind === "none" ? "none" : `${raw.kind} x ${raw.values.length}`;
    throw new FormatError(`Example feature "image_raw" is ${got} (expected one bytes value; ${at})`);
  }
  return {
    height: int64Feature(features, "height", at),
    width: int64Feature(features, "width", at),
    depth: int64Feature(features, "depth", at),
    label: int64Feature(features, "label", at),
    imageRaw: raw.values[0],
  };
}

/**
 * Every image example of a TFRecord file written by {@link writeTFRecord} or by TensorFlow with the
 * workshop's features (in file order).
 * @throws FormatError naming the file, record index and byte offset (framing, CRC, protobuf, features)
 * @example const test = readTFRecord("out/image/tfrecord/test.tfrecord"); test[0].label
 */
export function readTFRecord(file: string): ImageExample[] {
  const out: ImageExample[] = [];
  for (const r of scanTFRecord(file)) {
    const at = where(file, r.index, r.offset);
    out.push(toImageExample(parseExample(r.data, at), at));
  }
  return out;
}

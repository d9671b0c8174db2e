/**
 * CIFAR-10 batches: the official binary files and the python pickle batches, class names, record
 * access (HWC for sharp, CHW as stored) and export of chosen records as PNG or JPEG.
 *
 * Binary layout (cs.toronto.edu/~kriz/cifar.html): `data_batch_1.bin` … `data_batch_5.bin`,
 * `test_batch.bin`, 10,000 records each of
 *   [1 byte label 0–9][1024 bytes R][1024 bytes G][1024 bytes B]   (each plane 32×32 row-major)
 * and `batches.meta.txt` with the 10 class names, one per line. The python version pickles a dict
 * {b"batch_label", b"labels" (list of ints), b"data" (10000×3072 uint8 ndarray, same planes),
 * b"filenames"}; `batches.meta` holds b"label_names". Glossary: HWC = height, width, channel
 * (interleaved RGB, what sharp and PIL take); CHW = channel planes, as CIFAR stores them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { writeFileAtomic } from "../io/atomic";
import { DataPrepError, FormatError } from "../util/errors";
import { projectPath } from "../util/paths";
import { NdArray, parsePickle, PyDict, PyTuple, pyTypeName, type PyValue } from "./pickle";

/** The CIFAR-10 class names in label order (`batches.meta.txt`). */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
]);

/**
 * The real CIFAR-10 subset the project ships (data/cifar10, see its README): `data_batch_1`
 * records 0-99 and 1,000-1,999 plus the 207 frogs of 2,000-3,999 (314 frogs), `test_batch` 0-99.
 */
export const CIFAR10_OFFLINE_DIR = projectPath("data", "cifar10");

/** Side of a CIFAR image in pixels. */
export const CIFAR_SIDE = 32;
/** Pixel bytes per record: 3 planes of 32×32. */
export const CIFAR_IMAGE_BYTES = 3 * CIFAR_SIDE * CIFAR_SIDE;
/** Bytes per record in the binary version: the label byte and the pixels. */
export const CIFAR_RECORD_BYTES = 1 + CIFAR_IMAGE_BYTES;

const PLANE = CIFAR_SIDE * CIFAR_SIDE;

/** One record: its label and pixels, shaped like the display layer's RawImage. */
export interface CifarRecord {
  /** Position of the record in its batch (0-based). */
  index: number;
  label: number;
  /** File name stored in a python batch (`b"filenames"`), undefined for binary batches. */
  filename?: string;
  /** Interleaved RGB, row-major: `data[(y*32 + x)*3 + c]` (a copy). */
  data: Uint8Array;
  width: 32;
  height: 32;
  channels: 3;
  /** The planes as stored: `chw[c*1024 + y*32 + x]` (a view into the batch, not a copy). */
  chw: Uint8Array;
}

/**
 * A CIFAR-10 batch read from a binary or python file. Pixels stay in the file's bytes; records are
 * made on demand.
 * @example const b = readCifarBatch("data/cifar10/data_batch_1_first100.bin"); b.record(0).label // 6
 */
export class CifarBatch {
  /**
   * @param file where the batch came from (used in names and messages)
   * @param format "binary" (records of 3,073 bytes) or "pickle" (one 3,072-byte row per record)
   * @param labels one label per record, 0–9
   * @param bytes the buffer holding the pixels
   * @param offset byte offset of record 0's pixels in `bytes`
   * @param stride bytes from one record's pixels to the next
   */
  constructor(
    readonly file: string,
    readonly format: "binary" | "pickle",
    readonly labels: Uint8Array,
    private readonly bytes: Uint8Array,
    private readonly offset: number,
    private readonly stride: number,
    readonly filenames?: readonly string[],
    readonly batchLabel?: string,
    /**
     * Record i's number in the original batch when this file is a piece of one (the shipped
     * `data_batch_1_first100.bin`, `data_batch_1_1000_1999.bin`, `..._frogs_2000_3999.bin` with its
     * `.indices.txt`); undefined for a whole batch, where it is i.
     */
    readonly sourceIndex?: Uint32Array,
  ) {}

  /** The original batch's name (`data_batch_1` for its pieces), used for exported file names. */
  get sourceName(): string {
    return this.sourceIndex ? this.stem.replace(PIECE_SUFFIX, "") : this.stem;
  }

  /** Number of records. */
  get length(): number {
    return this.labels.length;
  }

  /** The file name without folder and extension (`data_batch_1`), used for exported file names. */
  get stem(): string {
    return path.basename(this.file).replace(/\.bin$/, "");
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(
        `record index out of range: ${i} (expected an integer in [0, ${this.length - 1}], ${this.file})`,
      );
    }
  }

  /** Record `i`'s pixels as stored (3 planes), a view without copying. */
  chw(i: number): Uint8Array {
    this.check(i);
    const at = this.offset + i * this.stride;
    return this.bytes.subarray(at, at + CIFAR_IMAGE_BYTES);
  }

  /** Record `i`'s pixels interleaved (HWC), a new array. */
  hwc(i: number): Uint8Array {
    const planes = this.chw(i);
    const out = new Uint8Array(CIFAR_IMAGE_BYTES);
    for (let p = 0; p < PLANE; p++) {
      out[p * 3] = planes[p];
      out[p * 3 + 1] = planes[PLANE + p];
      out[p * 3 + 2] = planes[2 * PLANE + p];
    }
    return out;
  }

  /** Record `i`: label, HWC pixels (sharp raw input) and the CHW view. */
  record(i: number): CifarRecord {
    const data = this.hwc(i);
    return {
      index: i,
      label: this.labels[i],
      filename: this.filenames?.[i],
      data,
      width: CIFAR_SIDE,
      height: CIFAR_SIDE,
      channels: 3,
      chw: this.chw(i),
    };
  }

  /**
   * Indices of the records with `label`, ascending, like `np.nonzero(np.array(labels) == label)[0]`.
   * @example batch.indicesOf(6) // the frogs
   */
  indicesOf(label: number): Int32Array {
    const out: number[] = [];
    for (let i = 0; i < this.labels.length; i++) if (this.labels[i] === label) out.push(i);
    return Int32Array.from(out);
  }

  /** Number of records per label 0–9. */
  classCounts(): number[] {
    const counts = new Array<number>(10).fill(0);
    for (const l of this.labels) counts[l]++;
    return counts;
  }
}

/**
 * Read a CIFAR-10 batch file, binary (`*.bin`) or python pickle (`data_batch_1`); the format is
 * told by the content (a pickle starts with byte 0x80, a binary record with a label 0–9).
 * @example readCifarBatch("cifar-10-batches-bin/data_batch_1.bin").length // 10000
 */
export function readCifarBatch(file: string): CifarBatch {
  return parseCifarBatch(readBytes(file), file);
}

/**
 * Parse the bytes of a CIFAR-10 batch (binary or pickle); `file` names it in errors.
 * @example parseCifarBatch(bytes, "test_batch.bin")
 */
export function parseCifarBatch(bytes: Uint8Array, file: string): CifarBatch {
  if (bytes.length > 0 && bytes[0] === 0x80) return _parsePickleBatch(bytes, file);
  if (bytes.length > 0 && bytes[0] > 9) {
    throw new FormatError(
      `CIFAR-10 batch has first byte 0x${bytes[0].toString(16).padStart(2, "0")}: neither a binary batch ` +
        `(a label 0-9) nor a pickle of protocol 2-5 (0x80) (${file}, byte offset 0)`,
    );
  }
  return _parseBinaryBatch(bytes, file);
}

function readBytes(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new FormatError(`CIFAR-10 file cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
}

/** Check a binary batch and index its labels; pixels stay in `bytes`. */
function _parseBinaryBatch(bytes: Uint8Array, file: string): CifarBatch {
  if (bytes.length === 0)
    throw new FormatError(`CIFAR-10 binary batch is empty: ${file} (expected records of 3,073 bytes)`);
  const n = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
  if (bytes.length % CIFAR_RECORD_BYTES !== 0) {
    const at = n * CIFAR_RECORD_BYTES;
    throw new FormatError(
      `CIFAR-10 binary batch is truncated: ${bytes.length} bytes is not a multiple of 3,073 ` +
        `(${file}, record ${n} starts at byte offset ${at} and has ${bytes.length - at} of 3,073 bytes)`,
    );
  }
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = bytes[i * CIFAR_RECORD_BYTES];
    if (label > 9) {
      throw new FormatError(
        `CIFAR-10 label byte is out of range: ${label} (expected 0-9; ${file}, record ${i}, byte offset ${i * CIFAR_RECORD_BYTES})`,
      );
    }
    labels[i] = label;
  }
  return new CifarBatch(
    file,
    "binary",
    labels,
    bytes,
    1,
    CIFAR_RECORD_BYTES,
    undefined,
    undefined,
    pieceIndex(file, n),
  );
}

function pickleError(file: string, what: string): FormatError {
  return new FormatError(
    `CIFAR-10 python batch ${what} (${file}; expected a dict with b"data" (N×3072 uint8), b"labels", b"filenames")`,
  );
}

function textOf(v: PyValue): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8");
  return undefined;
}

function itemsOf(v: PyValue | undefined): PyValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  return undefined;
}

/** Check a python batch: exactly the CIFAR dict, data uint8 N×3072 in C order, N labels 0–9. */
function _parsePickleBatch(bytes: Uint8Array, file: string): CifarBatch {
  const root = parsePickle(bytes, file);
  if (!(root instanceof PyDict)) throw pickleError(file, `holds a ${pyTypeName(root)}, not a dict`);
  const data = root.get("data");
  if (data === undefined) throw pickleError(file, `has no b"data" key (keys: ${root.keyNames().join(", ")})`);
  if (!(data instanceof NdArray) || !data.built) throw pickleError(file, `b"data" is a ${pyTypeName(data)}`);
  if (data.dtype.name !== "u1") throw pickleError(file, `b"data" has dtype ${data.dtype.name} (expected uint8)`);
  if (data.shape.length !== 2 || data.shape[1] !== CIFAR_IMAGE_BYTES) {
    throw pickleError(file, `b"data" has shape (${data.shape.join(", ")}) (expected (N, 3072))`);
  }
  if (data.fortran && data.shape[0] > 1) throw pickleError(file, `b"data" is in Fortran order (expected C order)`);
  const n = data.shape[0];

  const labelValues = root.get("labels");
  if (labelValues === undefined) throw pickleError(file, `has no b"labels" key (keys: ${root.keyNames().join(", ")})`);
  const labelItems = itemsOf(labelValues);
  if (!labelItems) throw pickleError(file, `b"labels" is a ${pyTypeName(labelValues)} (expected a list of ints)`);
  if (labelItems.length !== n) throw pickleError(file, `has ${labelItems.length} labels for ${n} rows of b"data"`);
  const labels = new Uint8Array(n);
  labelItems.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 9) {
      throw new FormatError(
        `CIFAR-10 label is out of range: ${typeof v === "number" ? v : pyTypeName(v)} (expected an int 0-9; ${file}, record ${i}, b"labels"[${i}])`,
      );
    }
    labels[i] = v;
  });

  let filenames: string[] | undefined;
  const nameValues = root.get("filenames");
  if (nameValues !== undefined) {
    const items = itemsOf(nameValues);
    if (!items || items.length !== n) {
      throw pickleError(
        file,
        `b"filenames" is a ${pyTypeName(nameValues)} of ${items?.length ?? 0} (expected ${n} names)`,
      );
    }
    filenames = items.map((v, i) => {
      const name = textOf(v);
      if (name === undefined)
        throw pickleError(file, `b"filenames"[${i}] is a ${pyTypeName(v)} (expected bytes or str)`);
      return name;
    });
  }
  const batchLabelValue = root.get("batch_label");
  const batchLabel = batchLabelValue === undefined ? undefined : textOf(batchLabelValue);
  if (batchLabelValue !== undefined && batchLabel === undefined) {
    throw pickleError(file, `b"batch_label" is a ${pyTypeName(batchLabelValue)} (expected bytes or str)`);
  }
  return new CifarBatch(file, "pickle", labels, data.data, 0, CIFAR_IMAGE_BYTES, filenames, batchLabel);
}

/**
 * The class names of a CIFAR-10 meta file: `batches.meta.txt` (one per line) or the pickled
 * `batches.meta` (b"label_names").
 * @example readCifarClassNames("cifar-10-batches-bin/batches.meta.txt")[6] // "frog"
 */
export function readCifarClassNames(file: string): string[] {
  const bytes = readBytes(file);
  let names: string[];
  if (bytes.length > 0 && bytes[0] === 0x80) {
    const root = parsePickle(bytes, file);
    const values = root instanceof PyDict ? itemsOf(root.get("label_names")) : undefined;
    if (!values) {
      throw new FormatError(
        `CIFAR-10 meta file has no b"label_names" list (${file}; expected the pickled batches.meta)`,
      );
    }
    names = values.map((v, i) => {
      const name = textOf(v);
      if (name === undefined) {
        throw new FormatError(
          `CIFAR-10 class name is a ${pyTypeName(v)} (expected bytes or str; ${file}, label_names[${i}])`,
        );
      }
      return name;
    });
  } else {
    names = Buffer.from(bytes)
      .toString("utf8")
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }
  if (names.length !== 10) {
    throw new FormatError(`CIFAR-10 meta file has ${names.length} class names (expected 10; ${file})`);
  }
  return names;
}

const BINARY_NAME = /^(data_batch_[1-5]|test_batch).*\.bin$/;
/** A piece of a batch: `_first<N>`, `_<from>_<to>` or `_<word>_<from>_<to>` after the batch's name. */
const PIECE_SUFFIX = /_(first\d+|(?:[a-z]+_)?\d+_\d+)$/;

/**
 * The original record numbers of a piece of a batch, from its name (`_first100` → 0..99, `_1000_1999` →
 * 1000..1999) or from a `<stem>.indices.txt` beside it (one number per line); undefined for a whole batch.
 */
function pieceIndex(file: string, n: number): Uint32Array | undefined {
  const stem = path.basename(file).replace(/\.bin$/, "");
  const m = PIECE_SUFFIX.exec(stem);
  if (!m) return undefined;
  const sidecar = path.join(path.dirname(file), `${stem}.indices.txt`);
  if (fs.existsSync(sidecar)) {
    const lines = fs.readFileSync(sidecar, "utf8").trim().split(/\r?\n/);
    const values = lines.map(Number);
    if (values.length !== n || values.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new FormatError(
        `CIFAR-10 indices file does not match its batch: ${values.length} lines for ${n} records ` +
          `(expected one record number per line; ${sidecar})`,
      );
    }
    return Uint32Array.from(values);
  }
  const from = m[1].startsWith("first") ? 0 : Number(/(\d+)_\d+$/.exec(m[1])![1]);
  return Uint32Array.from({ length: n }, (_, i) => from + i);
}

/** Sort key of a batch file: its batch's name, then the first original record number of a piece. */
function batchOrder(name: string): [string, number] {
  const stem = name.replace(/\.bin$/, "");
  const m = PIECE_SUFFIX.exec(stem);
  if (!m) return [stem, -1];
  const start = m[1].startsWith("first") ? 0 : Number(/(\d+)_\d+$/.exec(m[1])![1]);
  return [stem.slice(0, m.index), start];
}
const PICKLE_NAME = /^(data_batch_[1-5]|test_batch)$/;

/** What {@link readCifar} found: the batches and the class names. */
export interface CifarFiles {
  batches: CifarBatch[];
  /** Label i's name; from the folder's meta file, else {@link CIFAR10_CLASSES}. */
  classNames: string[];
}

/**
 * A CIFAR-10 file or folder: the batch itself, or every batch in the folder (`data_batch_*.bin`,
 * `test_batch*.bin`, or the python `data_batch_N`/`test_batch`, in name order; a folder holding the
 * extracted `cifar-10-batches-bin/` or `cifar-10-batches-py/` is looked into), with the class names
 * of the folder's `batches.meta.txt` / `batches.meta` (default {@link CIFAR10_CLASSES}).
 * @example readCifar("data/cifar10").batches.map((b) => b.stem)
 */
export function readCifar(fileOrDir: string): CifarFiles {
  let isDir: boolean;
  try {
    isDir = fs.statSync(fileOrDir).isDirectory();
  } catch (e) {
    throw new FormatError(`CIFAR-10 path cannot be read: ${fileOrDir} (${(e as Error).message})`, { cause: e });
  }
  let dir = isDir ? fileOrDir : path.dirname(fileOrDir);
  let files = isDir ? batchFiles(dir) : [fileOrDir];
  if (files.length === 0) {
    const inner = ["cifar-10-batches-bin", "cifar-10-batches-py"].map((d) => path.join(dir, d)).find(fs.existsSync);
    if (inner) [dir, files] = [inner, batchFiles(inner)];
  }
  if (files.length === 0) {
    throw new FormatError(
      `CIFAR-10 folder has no batch files: ${dir} (expected data_batch_N[.bin] or test_batch[.bin])`,
    );
  }
  const meta = ["batches.meta.txt", "batches.meta"].map((name) => path.join(dir, name)).find((f) => fs.existsSync(f));
  return {
    batches: files.map(readCifarBatch),
    classNames: meta ? readCifarClassNames(meta) : [...CIFAR10_CLASSES],
  };
}

function batchFiles(dir: string): string[] {
  return (
    fs
      .readdirSync(dir)
      .filter((name) => BINARY_NAME.test(name) || PICKLE_NAME.test(name))
      .map((name) => ({ name, key: batchOrder(name) }))
      // By batch, then pieces in original record order, so concatenated pieces keep the batch's order.
      .sort((a, b) => (a.key[0] < b.key[0] ? -1 : a.key[0] > b.key[0] ? 1 : a.key[1] - b.key[1]))
      .map(({ name }) => path.join(dir, name))
  );
}

/** Options of {@link writeCifarImages}. */
export interface WriteCifarImagesOptions {
  /** "png" (lossless, default) or "jpeg". */
  format?: "png" | "jpeg";
  /** JPEG quality 1–100; default 75, the quality imageio/Pillow used for the workshop's frogs. */
  quality?: number;
  /**
   * Replace files of the same name that hold other bytes (default false: such a file is an error, raised before
   * anything is written). A file that already holds exactly the bytes to write is left as it is either way.
   */
  overwrite?: boolean;
}

/** One written image. */
export interface WrittenCifarImage {
  index: number;
  label: number;
  /** The file written (inside `dir`). */
  file: string;
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The file name of record `i` when exported: the python batch's stored name with the format's
 * extension (`leptodactylid_s_000084.png` → `.jpg` for JPEG, as the workshop did), else
 * `<batch name>_<record number in that batch, 5 digits>.<ext>` (`data_batch_1_00029.png`; a piece of a batch
 * such as `data_batch_1_1000_1999.bin` names its records by their number in `data_batch_1`).
 */
export function cifarImageName(batch: CifarBatch, i: number, format: "png" | "jpeg" = "png"): string {
  const ext = format === "jpeg" ? ".jpg" : ".png";
  const stored = batch.filenames?.[i];
  if (stored === undefined) {
    const record = batch.sourceIndex ? batch.sourceIndex[i] : i;
    return `${batch.sourceName}_${String(record).padStart(5, "0")}${ext}`;
  }
  if (!SAFE_NAME.test(stored)) {
    throw new FormatError(
      `CIFAR-10 file name is not a plain file name: ${JSON.stringify(stored)} (expected letters, digits, _ . -; ${batch.file}, record ${i})`,
    );
  }
  return stored.replace(/\.(png|jpe?g)$/i, "") + ext;
}

/**
 * Write records `indices` of `batch` as PNG or JPEG files into `dir` (created if needed), each
 * through a temp file and a rename. Returns what was written, in `indices` order. A file already
 * there with other bytes is refused (before anything is written) unless `overwrite` is set.
 * @example await writeCifarImages(batch, [0, 29], "out/frogs", { format: "jpeg" })
 */
export async function writeCifarImages(
  batch: CifarBatch,
  indices: ArrayLike<number>,
  dir: string,
  options: WriteCifarImagesOptions = {},
): Promise<WrittenCifarImage[]> {
  const { format = "png", quality = 75, overwrite = false } = options;
  if (format !== "png" && format !== "jpeg")
    throw new RangeError(`image format is not supported: ${String(format)} (expected "png" or "jpeg")`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`JPEG quality is out of range: ${quality} (expected an integer 1-100)`);
  }
  const names = new Map<string, number>();
  const jobs = Array.from(indices, (i) => {
    batch.chw(i); // throws a RangeError for an index outside the batch
    const name = cifarImageName(batch, i, format);
    const previous = names.get(name);
    if (previous !== undefined) {
      throw new RangeError(
        `two records would be written to the same file ${name}: ${previous} and ${i} (${batch.file})`,
      );
    }
    names.set(name, i);
    return { index: i, label: batch.labels[i], file: path.join(dir, name) };
  });
  const encoded: Buffer[] = [];
  for (const job of jobs) {
    const raw = sharp(batch.hwc(job.index), { raw: { width: CIFAR_SIDE, height: CIFAR_SIDE, channels: 3 } });
    encoded.push(await (format === "png" ? raw.png() : raw.jpeg({ quality })).toBuffer());
  }
  const same = jobs.map((job, k) => {
    let existing: Buffer;
    try {
      existing = fs.readFileSync(job.file);
    } catch {
      return false; // nothing there yet
    }
    if (existing.equals(encoded[k])) return true;
    if (!overwrite) {
      throw new DataPrepError(
        `file exists with other content: ${job.file} (record ${job.index} of ${batch.file}; nothing was written; ` +
          `pass overwrite: true to replace it)`,
      );
    }
    return false;
  });
  fs.mkdirSync(dir, { recursive: true });
  jobs.forEach((job, k) => {
    if (!same[k]) writeFileAtomic(job.file, encoded[k]);
  });
  return jobs;
}

/**
 * One batch holding the records of `batches` in order (labels, pixels and, when every batch has
 * them, file names), e.g. the pieces of `data_batch_1` the repo ships; `file` names the result.
 * @example
 * const { batches } = readCifar("data/cifar10");
 * const batch1 = concatCifarBatches(batches.filter((b) => b.stem.startsWith("data_batch_1")), "data_batch_1");
 * batch1.indicesOf(6).length // 314
 */
export function concatCifarBatches(batches: readonly CifarBatch[], file: string): CifarBatch {
  const n = batches.reduce((sum, b) => sum + b.length, 0);
  const bytes = new Uint8Array(n * CIFAR_RECORD_BYTES);
  const labels = new Uint8Array(n);
  let k = 0;
  for (const b of batches) {
    for (let i = 0; i < b.length; i++, k++) {
      labels[k] = b.labels[i];
      bytes[k * CIFAR_RECORD_BYTES] = b.labels[i];
      bytes.set(b.chw(i), k * CIFAR_RECORD_BYTES + 1);
    }
  }
  const named = batches.every((b) => b.filenames !== undefined);
  const filenames = named ? batches.flatMap((b) => b.filenames as readonly string[]) : undefined;
  // The pieces' original record numbers travel with them, so exported names stay true.
  const pieces = batches.every((b) => b.sourceIndex !== undefined);
  const sourceIndex = pieces ? Uint32Array.from(batches.flatMap((b) => Array.from(b.sourceIndex!))) : undefined;
  return new CifarBatch(file, "binary", labels, bytes, 1, CIFAR_RECORD_BYTES, filenames, undefined, sourceIndex);
}

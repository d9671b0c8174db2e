/**
 * A JSON reader over bytes read in chunks, for files too big to be one JS string: COCO's
 * instances_train2017.json is 448 MB, close to V8's string limit, and `JSON.parse` of it needs
 * several GB. Values are built straight from the bytes; only the pieces of the file that are still
 * being parsed stay in memory.
 *
 * How it streams: the elements of the top-level array, or of the arrays that are members of the
 * top-level object (COCO's `images`, `annotations`, `categories`), are parsed one at a time by a
 * synchronous recursive parser over the current buffer. When an element runs past the bytes read so
 * far, the parser gives up on that element, the buffer is refilled (keeping the element's bytes, and
 * growing when one element does not fit), and the element is parsed again from its start.
 *
 * Numbers take a fast path that is still exact: up to 15 significant digits the decimal mantissa is an
 * exact integer and 10^k an exact double, so one division is correctly rounded (the same double as
 * `JSON.parse` or Python's `float`); longer numbers and exponents go through `Number()`. Arrays of
 * numbers are built at their exact length as unboxed double arrays (8 bytes a number).
 */
import * as fs from "node:fs";
import { FormatError } from "../util/errors";

/** Options of {@link readJsonFile}. */
export interface ReadJsonOptions {
  /** Bytes read from the file at a time. Default 8 MiB. */
  chunkSize?: number;
  /** Called after each chunk with the bytes read so far and the file's size. Default: none. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** The name used in error messages. Default: the path given. */
  name?: string;
  /**
   * Called with each element of a streamed array as soon as it is parsed (while its bytes are still
   * in the CPU cache): the member's key (`""` for a top-level array), the index and the value. A
   * checker can throw here to stop at the first bad record. Default: none.
   */
  onElement?: (key: string, index: number, value: unknown) => void;
}

/**
 * Parse a JSON file without holding it as one string (see the module header).
 * @example const dataset = readJsonFile("annotations/instances_val2017.json") as CocoDataset;
 */
export function readJsonFile(file: string, options: ReadJsonOptions = {}): unknown {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "EIO";
    throw new FormatError(`JSON file cannot be read (${code}): ${file}`, { cause: e });
  }
  try {
    const total = fs.fstatSync(fd).size;
    let position = 0;
    const read = (into: Buffer, offset: number, length: number): number => {
      const n = fs.readSync(fd, into, offset, length, position);
      position += n;
      options.onProgress?.(position, total);
      return n;
    };
    return new ChunkedJsonParser(read, options.name ?? file, options).parseDocument();
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Parse JSON bytes already in memory with the same parser (and the same chunking, which tests use to
 * put chunk boundaries everywhere).
 * @example parseJsonBytes(Buffer.from('{"a": [1, 2]}')) // { a: [1, 2] }
 */
export function parseJsonBytes(bytes: Uint8Array, options: ReadJsonOptions = {}): unknown {
  let position = 0;
  const read = (into: Buffer, offset: number, length: number): number => {
    const n = Math.min(length, bytes.length - position);
    into.set(bytes.subarray(position, position + n), offset);
    position += n;
    options.onProgress?.(position, bytes.length);
    return n;
  };
  return new ChunkedJsonParser(read, options.name ?? "JSON bytes", options).parseDocument();
}

/** Thrown (never escapes) when a value runs past the bytes read so far. */
const NEED_MORE = Symbol("need more bytes");
const MAX_DEPTH = 1000;
const MAX_FAST_ARRAY = 50_000;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Node's Buffer has these, undocumented but stable since Node 0.x: faster than toString(enc, a, b). */
interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

type Reader = (into: Buffer, offset: number, length: number) => number;

class ChunkedJsonParser {
  private buf: SliceableBuffer;
  private pos = 0;
  private end = 0;
  private eof = false;
  /** File offset of buf[0]. */
  private base = 0;
  private depth = 0;
  /** Where the streaming driver is, for error messages: `annotations[12]` (index -1: the key's value). */
  private whereKey = "";
  private whereIndex = -1;
  private nums = new Float64Array(1024);
  /** Elements of the generic arrays being parsed (nested ones above their parents). */
  private readonly stack: unknown[] = [];
  private top = 0;
  private readonly onElement?: (key: string, index: number, value: unknown) => void;
  private readonly keys: (string | undefined)[] = new Array(1024).fill(undefined);

  constructor(
    private readonly read: Reader,
    private readonly name: string,
    options: ReadJsonOptions,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, options.chunkSize ?? 8 << 20)) as SliceableBuffer;
    this.onElement = options.onElement;
  }

  parseDocument(): unknown {
    this.refill();
    if (this.end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.pos = 3;
    const c = this.retryPeek();
    let value: unknown;
    if (c === 0x7b) value = this.streamObject();
    else if (c === 0x5b) value = this.streamArray("");
    else value = this.retryValue();
    if (this.retryPeekOrEnd() !== -1) this.fail("unexpected data after the JSON value", "the end of the file");
    return value;
  }

  // ---- streaming driver (top level) --------------------------------------------------------------

  private streamObject(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.pos++;
    let c = this.retryPeek();
    if (c === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (c !== 0x22) this.fail(`unexpected ${this.show(c)}`, 'a key string or "}"');
      this.whereKey = "";
      this.whereIndex = -1;
      const key = this.retryKey();
      this.whereKey = key;
      c = this.retryPeek();
      const value = c === 0x5b ? this.streamArray(key) : this.retryValue();
      setMember(obj, key, value);
      this.whereKey = "";
      c = this.retryPeek();
      this.pos++;
      if (c === 0x7d) return obj;
      if (c !== 0x2c) this.fail(`unexpected ${this.show(c)}`, '"," or "}"', -1);
      c = this.retryPeek();
    }
  }

  private streamArray(key: string): unknown[] {
    const arr: unknown[] = [];
    this.pos++;
    let c = this.retryPeek();
    if (c === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.whereKey = key;
      this.whereIndex = arr.length;
      const value = this.retryValue();
      this.onElement?.(key, arr.length, value);
      arr.push(value);
      c = this.retryPeek();
      this.pos++;
      if (c === 0x5d) {
        this.whereIndex = -1;
        return arr;
      }
      if (c !== 0x2c) this.fail(`unexpected ${this.show(c)}`, '"," or "]"', -1);
    }
  }

  private retryValue(): unknown {
    for (;;) {
      const start = this.pos;
      try {
        return this.parseValue();
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        this.depth = 0;
        this.top = 0;
        this.pos = start;
        this.refill();
      }
    }
  }

  private retryKey(): string {
    for (;;) {
      const start = this.pos;
      try {
        const key = this.parseKey();
        if (this.peek() !== 0x3a) this.fail(`unexpected ${this.show(this.buf[this.pos])}`, '":"');
        this.pos++;
        return key;
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        this.pos = start;
        this.refill();
      }
    }
  }

  /** The next non-blank byte (not consumed), reading more as needed. */
  private retryPeek(): number {
    const c = this.retryPeekOrEnd();
    if (c === -1) this.fail("the file ends early", "more JSON");
    return c;
  }

  /** The next non-blank byte, or -1 at the end of the file. */
  private retryPeekOrEnd(): number {
    for (;;) {
      while (this.pos < this.end && isBlank(this.buf[this.pos])) this.pos++;
      if (this.pos < this.end) return this.buf[this.pos];
      if (this.eof) return -1;
      this.refill();
    }
  }

  /** Keep buf[pos..end), read more after it (growing the buffer when the kept part fills half of it). */
  private refill(): void {
    const kept = this.end - this.pos;
    if (kept > this.buf.length / 2) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2) as SliceableBuffer;
      this.buf.copy(bigger, 0, this.pos, this.end);
      this.buf = bigger;
    } else if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = kept;
    const n = this.read(this.buf, kept, this.buf.length - kept);
    this.end += n;
    if (n === 0) this.eof = true;
  }

  // ---- recursive parser over the buffer -----------------------------------------------------------

  /** The byte at pos after blanks (not consumed); NEED_MORE at the end of the buffer. */
  private peek(): number {
    const buf = this.buf;
    let p = this.pos;
    while (p < this.end && isBlank(buf[p])) p++;
    this.pos = p;
    if (p >= this.end) this.starve();
    return buf[p];
  }

  private starve(): never {
    if (!this.eof) throw NEED_MORE;
    return this.fail("the file ends early", "more JSON");
  }

  private parseValue(): unknown {
    const c = this.peek();
    if (c === 0x22) return this.parseString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (c === 0x7b) return this.parseObject();
    if (c === 0x5b) return this.parseArray();
    if (c === 0x74) return this.literal("true", true);
    if (c === 0x66) return this.literal("false", false);
    if (c === 0x6e) return this.literal("null", null);
    return this.fail(`unexpected ${this.show(c)}`, "a value");
  }

  private parseObject(): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`, "a shallower document");
    this.pos++;
    const obj: Record<string, unknown> = {};
    let c = this.peek();
    if (c === 0x7d) {
      this.pos++;
      this.depth--;
      return obj;
    }
    for (;;) {
      if (c !== 0x22) this.fail(`unexpected ${this.show(c)}`, "a key string");
      const key = this.parseKey();
      if (this.peek() !== 0x3a) this.fail(`unexpected ${this.show(this.buf[this.pos])}`, '":"');
      this.pos++;
      setMember(obj, key, this.parseValue());
      c = this.peek();
      this.pos++;
      if (c === 0x7d) break;
      if (c !== 0x2c) this.fail(`unexpected ${this.show(c)}`, '"," or "}"', -1);
      c = this.peek();
    }
    this.depth--;
    return obj;
  }

  private parseArray(): unknown[] {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`, "a shallower document");
    this.pos++;
    let c = this.peek();
    if (c === 0x5d) {
      this.pos++;
      this.depth--;
      return [];
    }
    const stack = this.stack;
    const base = this.top;
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // Numbers collect in a scratch array and come out as an exact-length double array.
      let n = 0;
      for (;;) {
        const x = this.parseNumber();
        if (n === this.nums.length) {
          const bigger = new Float64Array(n * 2);
          bigger.set(this.nums);
          this.nums = bigger;
        }
        this.nums[n++] = x;
        c = this.peek();
        this.pos++;
        if (c === 0x5d) {
          this.depth--;
          return numberArray(this.nums, n);
        }
        if (c !== 0x2c) this.fail(`unexpected ${this.show(c)}`, '"," or "]"', -1);
        c = this.peek();
        if (!(c === 0x2d || (c >= 0x30 && c <= 0x39))) break;
      }
      for (let i = 0; i < n; i++) stack[this.top++] = this.nums[i];
    }
    // Other arrays: elements wait on the stack, then leave it as one exact-length array.
    for (;;) {
      const value = this.parseValue();
      stack[this.top++] = value;
      c = this.peek();
      this.pos++;
      if (c === 0x5d) break;
      if (c !== 0x2c) this.fail(`unexpected ${this.show(c)}`, '"," or "]"', -1);
    }
    const arr = stack.slice(base, this.top);
    this.top = base;
    this.depth--;
    return arr;
  }

  private parseNumber(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let p = start;
    const negative = buf[p] === 0x2d;
    if (negative) p++;
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    let c = p < end ? buf[p] : -1;
    if (c === 0x30) {
      p++;
    } else if (c >= 0x31 && c <= 0x39) {
      do {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        c = ++p < end ? buf[p] : -1;
      } while (c >= 0x30 && c <= 0x39);
    } else {
      if (p >= end) this.starveAt(p);
      this.pos = p;
      this.fail(`unexpected ${this.show(c)}`, "a digit");
    }
    c = p < end ? buf[p] : -1;
    if (c === 0x2e) {
      c = ++p < end ? buf[p] : -1;
      if (!(c >= 0x30 && c <= 0x39)) {
        if (p >= end) this.starveAt(p);
        this.pos = p;
        this.fail(`unexpected ${this.show(c)}`, 'a digit after "."');
      }
      do {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        scale++;
        c = ++p < end ? buf[p] : -1;
      } while (c >= 0x30 && c <= 0x39);
    }
    let slow = digits > 15;
    if (c === 0x65 || c === 0x45) {
      slow = true;
      c = ++p < end ? buf[p] : -1;
      if (c === 0x2b || c === 0x2d) c = ++p < end ? buf[p] : -1;
      if (!(c >= 0x30 && c <= 0x39)) {
        if (p >= end) this.starveAt(p);
        this.pos = p;
        this.fail(`unexpected ${this.show(c)}`, "a digit in the exponent");
      }
      do c = ++p < end ? buf[p] : -1;
      while (c >= 0x30 && c <= 0x39);
    }
    // A number that touches the end of the buffer may go on in the next chunk.
    if (p >= end) this.starveAt(p);
    this.pos = p;
    if (slow) return Number(buf.latin1Slice(start, p));
    const x = scale === 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -x : x;
  }

  /** At the end of the buffer: NEED_MORE, or, at the end of the file, fine (returns). */
  private starveAt(p: number): void {
    if (!this.eof) throw NEED_MORE;
    this.pos = p;
  }

  private parseString(): string {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos + 1;
    let p = start;
    let ascii = true;
    for (;;) {
      if (p >= end) this.starve();
      const c = buf[p];
      if (c === 0x22) break;
      if (c === 0x5c) return this.parseEscapedString();
      if (c < 0x20) {
        this.pos = p;
        this.fail(`control character ${this.show(c)} in a string`, "it escaped");
      }
      if (c >= 0x80) ascii = false;
      p++;
    }
    this.pos = p + 1;
    return ascii ? buf.latin1Slice(start, p) : buf.utf8Slice(start, p);
  }

  /** A string with backslash escapes: find its end, then let JSON.parse decode it. */
  private parseEscapedString(): string {
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      if (p >= this.end) this.starve();
      const c = this.buf[p];
      if (c === 0x22) break;
      p += c === 0x5c ? 2 : 1;
    }
    this.pos = p + 1;
    try {
      return JSON.parse(this.buf.utf8Slice(start, p + 1)) as string;
    } catch (e) {
      this.pos = start;
      return this.fail(
        `bad escape in the string ${this.buf.utf8Slice(start, Math.min(p + 1, start + 40))}`,
        "valid JSON escapes",
      );
    }
  }

  /** A key: plain ASCII keys come from a small cache (COCO repeats the same few keys millions of times). */
  private parseKey(): string {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos + 1;
    let p = start;
    let hash = 0;
    for (;;) {
      if (p >= end) this.starve();
      const c = buf[p];
      if (c === 0x22) break;
      if (c === 0x5c || c >= 0x80 || c < 0x20) return this.parseString();
      hash = (hash * 31 + c) | 0;
      p++;
    }
    this.pos = p + 1;
    const length = p - start;
    const slot = (hash ^ (length << 7)) & 1023;
    const cached = this.keys[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const key = buf.latin1Slice(start, p);
    this.keys[slot] = key;
    return key;
  }

  private literal<T>(text: string, value: T): T {
    if (this.pos + text.length > this.end) this.starve();
    for (let i = 0; i < text.length; i++) {
      if (this.buf[this.pos + i] !== text.charCodeAt(i)) {
        this.pos += i;
        this.fail(`unexpected ${this.show(this.buf[this.pos])}`, `"${text}"`);
      }
    }
    this.pos += text.length;
    return value;
  }

  private show(c: number): string {
    if (c === -1 || c === undefined) return "end of data";
    return c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, "0")}`;
  }

  /** Throw the FormatError for the byte at pos (+ shift). */
  private fail(problem: string, expected: string, shift = 0): never {
    const index = this.whereIndex < 0 ? "" : `[${this.whereIndex}]`;
    const where = this.whereKey === "" && index === "" ? "" : `, in ${this.whereKey}${index}`;
    throw new FormatError(
      `JSON is malformed: ${problem} (expected ${expected}) in ${this.name}, byte ${this.base + this.pos + shift}${where}`,
    );
  }
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** obj[key] = value, but "__proto__" becomes an own property as JSON.parse makes it. */
function setMember(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** An exact-length JS array of the first n numbers (unboxed doubles, or small ints). */
function numberArray(nums: Float64Array, n: number): number[] {
  if (n > MAX_FAST_ARRAY) return Array.from(nums.subarray(0, n));
  const arr = new Array<number>(n);
  for (let i = 0; i < n; i++) arr[i] = nums[i];
  return arr;
}

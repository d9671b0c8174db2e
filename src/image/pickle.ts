/**
 * A restricted Python pickle reader: exactly what the CIFAR-10 python batches need (dicts, lists,
 * tuples, ints, bytes, strings and numpy's array reconstruction), protocols 2 to 5. It never runs
 * code: `GLOBAL` accepts only a fixed list of callables, each re-implemented here; anything else is
 * a FormatError naming the global and the byte offset.
 *
 * Python 2 `str` (opcodes `U`/`T`) load as bytes, as `pickle.load(f, encoding="bytes")` does.
 * A numpy array arrives either as `_reconstruct(ndarray, (0,), b"b")` + BUILD(state) (protocol ≤ 4;
 * state = (version, shape, dtype, is_fortran, raw bytes)) or as `_frombuffer(buffer, dtype, shape,
 * order)` (protocol 5, buffer in band). Python 3 bytes under protocol 2 arrive as
 * `_codecs.encode(text, "latin1")`. Spec: CPython Lib/pickletools.py (opcode table), numpy
 * `array_reduce`/`array_setstate` (numpy/_core/src/multiarray/methods.c), `dtype.__reduce__`.
 *
 * Other formats built on pickle (the legacy torch `.pth`, see torch-pth.ts) pass {@link PickleOptions}:
 * extra callables they re-implement, a persistent-id loader (`BINPERSID`) and a `BUILD` hook; they read
 * several pickles in a row from one buffer with {@link parsePickleAt}.
 */
import { FormatError } from "../util/errors";

/** A Python tuple (kept apart from lists so a reader can tell them apart). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A Python dict as its entries in insertion order (CIFAR's keys are bytes: b"data", b"labels", ...). */
export class PyDict {
  readonly entries: [PyValue, PyValue][] = [];

  /** The value under the str key `name` or the bytes key `b"name"` (latin-1), else undefined. */
  get(name: string): PyValue | undefined {
    for (const [k, v] of this.entries) if (keyName(k) === name) return v;
    return undefined;
  }

  /** The keys as text (bytes keys decoded as latin-1), for messages. */
  keyNames(): string[] {
    return this.entries.map(([k]) => (k instanceof Uint8Array ? `b"${keyName(k)}"` : JSON.stringify(k)));
  }
}

/** A numpy dtype as pickled: its `str` without byte order (e.g. "u1", "i8") and the byte order char. */
export class PyDType {
  byteorder = "|";
  constructor(readonly name: string) {}
}

/**
 * A numpy ndarray: raw bytes in C (or Fortran) order, never converted. `_reconstruct` makes an
 * empty one (`built` false) that the following BUILD fills in place.
 */
export class NdArray {
  built = false;
  dtype = new PyDType("u1");
  shape: number[] = [0];
  fortran = false;
  data = new Uint8Array(0);

  /** Fill this array; checks that `data` holds exactly shape × item size bytes. */
  set(dtype: PyValue, shape: PyValue, fortran: boolean, data: PyValue, fail: (what: string) => never): this {
    if (this.built) fail("builds a numpy array twice");
    if (!(dtype instanceof PyDType)) return fail(`array dtype is a ${pyTypeName(dtype)} (expected numpy.dtype)`);
    const dims = shapeOf(shape, fail);
    const raw = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    if (!(raw instanceof Uint8Array)) return fail(`array data is a ${pyTypeName(data)} (expected bytes)`);
    const expected = dims.reduce((a, b) => a * b, 1) * itemSize(dtype, fail);
    if (raw.length !== expected) {
      fail(
        `array data has ${raw.length} bytes (expected ${expected} for shape (${dims.join(", ")}), dtype ${dtype.name})`,
      );
    }
    Object.assign(this, { built: true, dtype, shape: dims, fortran, data: raw });
    return this;
  }
}

/**
 * A long str (over 1 MiB) kept as its UTF-8 bytes: Python 3 pickles bytes under protocol 2 as
 * `_codecs.encode(text, "latin1")`, and decoding a 45 MB text to a JS string only to encode it
 * again costs seconds; {@link latin1FromUtf8} goes straight from the UTF-8 to the bytes.
 */
export class PyLongStr {
  constructor(readonly utf8: Uint8Array) {}
  toString(): string {
    return Buffer.from(this.utf8.buffer, this.utf8.byteOffset, this.utf8.byteLength).toString("utf8");
  }
}

/** A reference to an allowed Python callable (`module.name`). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualname(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A value made by a caller's extension (a tensor reference, a storage): `type` names it in messages. */
export class PyOpaque {
  constructor(
    readonly type: string,
    readonly value: unknown,
  ) {}
}

/** How a caller widens the reader for a format built on pickle; none of it runs Python code. */
export interface PickleOptions {
  /** Extra callables by qualified name (`"torch._utils._rebuild_tensor_v2"`), each re-implemented by the caller. */
  globals?: Readonly<Record<string, (args: PyValue[], fail: (what: string) => never) => PyValue>>;
  /** Resolves `BINPERSID` ids; without it a persistent id is an error. */
  persistentLoad?: (pid: PyValue, fail: (what: string) => never) => PyValue;
  /** Handles `BUILD` on values the built-in rules do not (returns true when it did). */
  build?: (target: PyValue, state: PyValue, fail: (what: string) => never) => boolean;
}

/** Values the reader produces. Python 2 str and bytes are Uint8Array, Python 3 str is string. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyLongStr
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PyDType
  | NdArray
  | PyGlobal
  | PyOpaque;

const RECONSTRUCT = new Set(["numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"]);
const FROMBUFFER = new Set(["numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer"]);
const ALLOWED = new Set([
  ...RECONSTRUCT,
  ...FROMBUFFER,
  "numpy.ndarray",
  "numpy.dtype",
  "_codecs.encode",
  "__builtin__.bytes",
  "builtins.bytes",
]);

/** A str, or Python 2 str (bytes) read as latin-1; undefined for anything else. */
function asText(v: PyValue | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof PyLongStr) return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("latin1");
  return undefined;
}

const keyName = asText;

const MARK = Symbol("mark");
type Slot = PyValue | typeof MARK;

/**
 * Parse pickle bytes into {@link PyValue}s; `file` names the source in errors.
 * @example parsePickle(fs.readFileSync("data_batch_1"), "data_batch_1") // PyDict with b"data", b"labels", ...
 */
export function parsePickle(bytes: Uint8Array, file: string): PyValue {
  return parsePickleAt(bytes, 0, file).value;
}

/**
 * Parse one pickle that starts at byte `start` of `bytes`; `end` is the offset just after its STOP, where
 * a next pickle or raw data may follow (the legacy torch format is five pickles and then raw storages).
 * @example const magic = parsePickleAt(buf, 0, "m.pth"); const version = parsePickleAt(buf, magic.end, "m.pth");
 */
export function parsePickleAt(
  bytes: Uint8Array,
  start: number,
  file: string,
  options: PickleOptions = {},
): { value: PyValue; end: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  let pos = start;
  let opAt = start;
  const extra = options.globals ?? {};

  const fail = (what: string): never => {
    throw new FormatError(`pickle ${what} (${file}, byte offset ${opAt})`);
  };
  const need = (n: number): number => {
    if (n < 0 || pos + n > buf.length) fail(`is truncated: ${n} more bytes needed, ${buf.length - pos} left`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => buf[need(1)];
  const u32 = () => buf.readUInt32LE(need(4));
  const u64 = (): number => {
    const v = buf.readBigUInt64LE(need(8));
    if (v > BigInt(buf.length)) fail(`length is larger than the file: ${v}`);
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    const at = need(n);
    return new Uint8Array(buf.buffer, buf.byteOffset + at, n);
  };
  const text = (n: number): string | PyLongStr =>
    n > 1 << 20 ? new PyLongStr(take(n)) : buf.toString("utf8", need(n), pos);
  const line = (): string => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) fail("is truncated: a GLOBAL line has no newline");
    const s = buf.toString("latin1", pos, end);
    pos = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) fail("stack underflow (malformed pickle)");
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail("stack underflow (malformed pickle)");
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail("has no MARK for a MARK-terminated opcode");
    const items = stack.splice(at) as PyValue[];
    items.shift();
    return items;
  };
  const put = (id: number) => memo.set(id, top());
  const get = (id: number): PyValue => {
    const v = memo.get(id);
    if (v === undefined) fail(`refers to memo entry ${id}, which was never stored`);
    return v as PyValue;
  };
  const global = (module: string, name: string): PyGlobal => {
    const g = new PyGlobal(module, name);
    if (!ALLOWED.has(g.qualname) && !Object.hasOwn(extra, g.qualname)) {
      fail(
        `refers to ${g.qualname}: not allowed (expected only numpy's array reconstruction; this reader never runs code)`,
      );
    }
    return g;
  };
  const listOf = (v: PyValue, op: string): PyValue[] => {
    if (!Array.isArray(v)) fail(`${op} on a ${pyTypeName(v)} (expected a list)`);
    return v as PyValue[];
  };
  const dictOf = (v: PyValue, op: string): PyDict => {
    if (!(v instanceof PyDict)) fail(`${op} on a ${pyTypeName(v)} (expected a dict)`);
    return v as PyDict;
  };

  if (buf.length < start + 2 || buf[start] !== 0x80)
    fail("has no PROTO header (expected protocol 2 to 5, as CIFAR-10 ships)");
  for (;;) {
    opAt = pos;
    const op = u8();
    switch (op) {
      case 0x80: {
        const proto = u8();
        if (proto < 2 || proto > 5) fail(`protocol ${proto} is not supported (expected 2 to 5)`);
        break;
      }
      case 0x95: // FRAME: a length hint only
        need(8);
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || stack[0] === MARK) fail(`ends with ${stack.length} values on the stack (expected 1)`);
        return { value: stack[0] as PyValue, end: pos };
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x74: // TUPLE
        stack.push(new PyTuple(popMark()));
        break;
      case 0x85:
      case 0x86:
      case 0x87: {
        const n = op - 0x84;
        const items: PyValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push(new PyTuple(items));
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        listOf(top(), "APPEND").push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = listOf(top(), "APPENDS");
        for (const v of items) list.push(v);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        dictOf(top(), "SETITEM").entries.push([k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const d = dictOf(top(), "SETITEMS");
        if (items.length % 2) fail("SETITEMS has an odd number of items");
        for (let i = 0; i < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        break;
      }
      case 0x71: // BINPUT
        put(u8());
        break;
      case 0x72: // LONG_BINPUT
        put(u32());
        break;
      case 0x94: // MEMOIZE
        put(memo.size);
        break;
      case 0x68: // BINGET
        stack.push(get(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(get(u32()));
        break;
      case 0x30: // POP
        if (stack.pop() === undefined) fail("stack underflow (malformed pickle)");
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(buf.readUInt16LE(need(2)));
        break;
      case 0x4a: // BININT
        stack.push(buf.readInt32LE(need(4)));
        break;
      case 0x8a: // LONG1
        stack.push(longFrom(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(longFrom(take(u32())));
        break;
      case 0x47: // BINFLOAT
        stack.push(buf.readDoubleBE(need(8)));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str: bytes)
        stack.push(take(u8()));
        break;
      case 0x54: {
        // BINSTRING
        const n = buf.readInt32LE(need(4));
        stack.push(take(n));
        break;
      }
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL without two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!(fn instanceof PyGlobal) || !(args instanceof PyTuple)) fail("REDUCE without a callable and a tuple");
        const own = Object.hasOwn(extra, (fn as PyGlobal).qualname) ? extra[(fn as PyGlobal).qualname] : undefined;
        const items = (args as PyTuple).items;
        stack.push(own ? own(items, fail) : reduce(fn as PyGlobal, items, fail));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        if (!options.build?.(top(), state, fail)) build(top(), state, fail);
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) fail("has a persistent id (BINPERSID), which this format does not use");
        stack.push((options.persistentLoad as NonNullable<PickleOptions["persistentLoad"]>)(pid, fail));
        break;
      }
      case 0x97:
      case 0x98:
        fail("uses an out-of-band buffer (expected the array data in the file)");
        break;
      default:
        fail(
          `has opcode 0x${op.toString(16).padStart(2, "0")}, which this reader does not accept (expected the opcodes of a CIFAR-10 batch)`,
        );
    }
  }
}

function longFrom(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A short name of a value's Python type, for messages. */
export function pyTypeName(v: PyValue | undefined): string {
  if (v === undefined) return "missing value";
  if (v === null) return "None";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string" || v instanceof PyLongStr) return "str";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v)) return "list";
  if (v instanceof PyTuple) return "tuple";
  if (v instanceof PyDict) return "dict";
  if (v instanceof NdArray) {
    return v.built ? `ndarray(dtype ${v.dtype.name}, shape (${v.shape.join(", ")}))` : "ndarray without its state";
  }
  if (v instanceof PyDType) return "dtype";
  if (v instanceof PyGlobal) return v.qualname;
  if (v instanceof PyOpaque) return v.type;
  return "object";
}

function shapeOf(v: PyValue, fail: (what: string) => never): number[] {
  if (!(v instanceof PyTuple) || !v.items.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0)) {
    fail(`array shape is a ${pyTypeName(v)} (expected a tuple of non-negative ints)`);
  }
  return (v as PyTuple).items as number[];
}

function itemSize(dtype: PyDType, fail: (what: string) => never): number {
  const m = /^[biufc]([0-9]+)$/.exec(dtype.name);
  if (!m) fail(`array dtype ${JSON.stringify(dtype.name)} is not a plain number type`);
  return Number((m as RegExpExecArray)[1]);
}

function reduce(fn: PyGlobal, args: PyValue[], fail: (what: string) => never): PyValue {
  const q = fn.qualname;
  if (q === "_codecs.encode") {
    const [s, enc] = args;
    if (enc !== "latin1" && enc !== "latin-1") fail("_codecs.encode needs (str, 'latin1')");
    if (s instanceof PyLongStr) return latin1FromUtf8(s.utf8, fail);
    if (typeof s !== "string") return fail(`_codecs.encode of a ${pyTypeName(s)} (expected a str)`);
    if (/[\u0100-\uffff]/.test(s)) fail("_codecs.encode text has a character above U+00FF");
    return Buffer.from(s, "latin1");
  }
  if (q === "__builtin__.bytes" || q === "builtins.bytes") {
    if (args.length !== 0) fail("bytes(...) with arguments is not accepted (expected bytes())");
    return new Uint8Array(0);
  }
  if (q === "numpy.dtype") {
    const name = asText(args[0]);
    if (name === undefined) fail(`numpy.dtype of a ${pyTypeName(args[0])} (expected a type string such as "u1")`);
    return new PyDType(name as string);
  }
  if (RECONSTRUCT.has(q)) {
    const [cls] = args;
    if (!(cls instanceof PyGlobal) || cls.qualname !== "numpy.ndarray")
      fail("_reconstruct of something other than numpy.ndarray");
    return new NdArray();
  }
  if (FROMBUFFER.has(q)) {
    const [data, dtype, shape, order] = args;
    return new NdArray().set(dtype, shape, asText(order) === "F", data, fail);
  }
  return fail(`calls ${q}, which is not allowed`);
}

function build(target: PyValue, state: PyValue, fail: (what: string) => never): void {
  if (target instanceof PyDType) {
    // dtype state: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
    const items = state instanceof PyTuple ? state.items : [];
    const order = asText(items[1]);
    if (order === undefined) fail("dtype state has no byte order");
    target.byteorder = order as string;
    if (items[2] !== null || items[3] !== null)
      fail("dtype is structured or a subarray (expected a plain number type)");
    return;
  }
  if (target instanceof NdArray) {
    // ndarray state: (version, shape, dtype, is_fortran, data) or, in old pickles, without version
    const items = state instanceof PyTuple ? state.items : [];
    const s = items.length === 5 ? items.slice(1) : items;
    if (s.length !== 4) fail(`ndarray state has ${items.length} items (expected 4 or 5)`);
    target.set(s[1], s[0], s[2] === true || s[2] === 1, s[3], fail);
    return;
  }
  fail(`BUILD on a ${pyTypeName(target)} (expected a numpy array or dtype)`);
}

/** The latin-1 bytes of a UTF-8 text whose characters are all U+0000..U+00FF (1- or 2-byte sequences). */
function latin1FromUtf8(utf8: Uint8Array, fail: (what: string) => never): Uint8Array {
  const out = new Uint8Array(utf8.length);
  let n = 0;
  for (let i = 0; i < utf8.length; i++) {
    const b = utf8[i];
    if (b < 0x80) out[n++] = b;
    else if ((b === 0xc2 || b === 0xc3) && i + 1 < utf8.length && (utf8[i + 1] & 0xc0) === 0x80) {
      out[n++] = ((b & 0x03) << 6) | (utf8[++i] & 0x3f);
    } else fail("_codecs.encode text has a character above U+00FF or invalid UTF-8");
  }
  return out.subarray(0, n);
}

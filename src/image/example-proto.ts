/**
 * A minimal protobuf encoder and decoder for `tf.train.Example` (tensorflow/core/example/example.proto
 * and feature.proto), the payload of the workshop's TFRecords:
 *
 *   Example   { Features features = 1; }
 *   Features  { map<string, Feature> feature = 1; }      // entry: { string key = 1; Feature value = 2; }
 *   Feature   { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
 *   BytesList { repeated bytes value = 1; }
 *   FloatList { repeated float value = 1 [packed = true]; }
 *   Int64List { repeated int64 value = 1 [packed = true]; }
 *
 * Wire format: https://protobuf.dev/programming-guides/encoding/. The encoder writes map entries in
 * key order, which is protobuf's deterministic serialization (`SerializeToString(deterministic=True)`),
 * so equal features give equal bytes. The decoder follows the parsing rules: unknown fields are
 * skipped, a repeated scalar may come packed or not, the last of a oneof or a repeated map key wins.
 */

import { pushKey, pushVarint } from "../util/protobuf-wire";

/** One feature of an Example: a list of int64 (as safe integers), float32 or byte strings. */
export type Feature =
  | { kind: "int64"; values: number[] }
  | { kind: "float"; values: number[] }
  | { kind: "bytes"; values: Uint8Array[] }
  /** A Feature message with no list set. */
  | { kind: "none" };

/** A malformed protobuf message, with the byte position inside the message. */
export class ProtoError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

function header(field: number, wire: number, length: number): Uint8Array {
  const out: number[] = [];
  pushKey(out, field, wire);
  pushVarint(out, length);
  return Uint8Array.from(out);
}

function lengthDelimited(field: number, parts: Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return [header(field, 2, length), ...parts];
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function encodeFeature(f: Feature): Uint8Array[] {
  if (f.kind === "none") return [];
  if (f.kind === "bytes")
    return lengthDelimited(
      1,
      f.values.flatMap((v) => lengthDelimited(1, [v])),
    );
  if (f.kind === "float") {
    const packed = Buffer.alloc(4 * f.values.length);
    f.values.forEach((v, i) => packed.writeFloatLE(v, 4 * i));
    return lengthDelimited(2, f.values.length === 0 ? [] : lengthDelimited(1, [packed]));
  }
  const bytes: number[] = [];
  for (const v of f.values) pushVarint(bytes, v);
  return lengthDelimited(3, f.values.length === 0 ? [] : lengthDelimited(1, [Uint8Array.from(bytes)]));
}

/**
 * Serialize an Example with these features (map entries in key order).
 * @example encodeExample(new Map([["label", { kind: "int64", values: [9] }]]))
 */
export function encodeExample(features: ReadonlyMap<string, Feature>): Uint8Array {
  const keys = [...features.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const entries = keys.flatMap((key) =>
    lengthDelimited(1, [
      ...lengthDelimited(1, [Buffer.from(key, "utf8")]),
      ...lengthDelimited(2, encodeFeature(features.get(key) as Feature)),
    ]),
  );
  return concat(lengthDelimited(1, entries));
}

/** A cursor over one message's bytes [pos, end). */
class Reader {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError("varint runs past the end of the message", start);
      const b = this.buf[this.pos++];
      if (i === 9 || scale >= 2 ** 49) return this.bigVarint(start);
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return result;
    }
    throw new ProtoError("varint is longer than 10 bytes", start);
  }

  /** A varint beyond 2^49: decode exactly as a 64-bit two's-complement int64. */
  private bigVarint(start: number): number {
    this.pos = start;
    let v = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError("varint runs past the end of the message", start);
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        const n = BigInt.asIntN(64, v);
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new ProtoError(`int64 value is beyond JavaScript's safe integers: ${n}`, start);
        }
        return Number(n);
      }
    }
    throw new ProtoError("varint is longer than 10 bytes", start);
  }

  /** The [start, end) of a length-delimited field's bytes, advancing past them. */
  sub(): [number, number] {
    const at = this.pos;
    const length = this.varint();
    // A negative (10-byte) length would move the cursor backwards: refuse it with the long ones.
    if (length < 0 || length > this.end - this.pos) {
      throw new ProtoError(`field length ${length} runs past the end of the message`, at);
    }
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  skip(wire: number): void {
    const at = this.pos;
    if (wire === 0) this.varint();
    else if (wire === 2) this.sub();
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (this.end - this.pos < n) throw new ProtoError("fixed-width field runs past the end of the message", at);
      this.pos += n;
    } else throw new ProtoError(`unsupported wire type ${wire}`, at);
  }

  /** Each (field, wire type) of the message, the cursor placed at its value. */
  *fields(): Generator<[number, number, number]> {
    while (this.pos < this.end) {
      const at = this.pos;
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      if (field <= 0 || tag > 0xffffffff) throw new ProtoError(`field tag is out of range: ${tag}`, at);
      yield [field, tag & 7, at];
    }
  }
}

function decodeList(r: Reader, kind: "int64" | "float" | "bytes"): Feature {
  const values: (number | Uint8Array)[] = [];
  for (const [field, wire, at] of r.fields()) {
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    if (kind === "bytes") {
      if (wire !== 2) throw new ProtoError(`bytes_list value has wire type ${wire} (expected 2)`, at);
      const [s, e] = r.sub();
      values.push(r.buf.slice(s, e));
    } else if (wire === 2) {
      const [s, e] = r.sub();
      const packed = new Reader(r.buf, s, e);
      while (packed.pos < e) {
        if (kind === "int64") values.push(packed.varint());
        else {
          if (e - packed.pos < 4) throw new ProtoError("packed float list is not a multiple of 4 bytes", s);
          values.push(Buffer.from(r.buf.buffer, r.buf.byteOffset + packed.pos, 4).readFloatLE(0));
          packed.pos += 4;
        }
      }
    } else if (kind === "int64" && wire === 0) values.push(r.varint());
    else if (kind === "float" && wire === 5) {
      if (r.end - r.pos < 4) throw new ProtoError("float runs past the end of the message", at);
      values.push(Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, 4).readFloatLE(0));
      r.pos += 4;
    } else throw new ProtoError(`${kind}_list value has wire type ${wire}`, at);
  }
  return { kind, values } as Feature;
}

function decodeFeature(r: Reader): Feature {
  let feature: Feature = { kind: "none" };
  const kinds = ["bytes", "float", "int64"] as const;
  for (const [field, wire, at] of r.fields()) {
    if (field < 1 || field > 3) {
      r.skip(wire);
      continue;
    }
    if (wire !== 2) throw new ProtoError(`Feature field ${field} has wire type ${wire} (expected 2)`, at);
    const [s, e] = r.sub();
    const list = decodeList(new Reader(r.buf, s, e), kinds[field - 1]);
    // A repeated occurrence of the same list merges (protobuf concatenates repeated fields).
    const prev = feature as { kind: string; values?: unknown[] };
    const next = list as { kind: string; values: unknown[] };
    feature = (
      prev.kind === next.kind ? { kind: next.kind, values: [...(prev.values ?? []), ...next.values] } : list
    ) as Feature;
  }
  return feature;
}

/**
 * Parse a serialized Example into its features (keys in the order they came).
 * @throws ProtoError with the byte position of the malformed field
 * @example decodeExample(encodeExample(features)).get("label")
 */
export function decodeExample(bytes: Uint8Array): Map<string, Feature> {
  const out = new Map<string, Feature>();
  const message = new Reader(bytes, 0, bytes.length);
  for (const [field, wire, at] of message.fields()) {
    if (field !== 1) {
      message.skip(wire);
      continue;
    }
    if (wire !== 2) throw new ProtoError(`Example.features has wire type ${wire} (expected 2)`, at);
    const [fs, fe] = message.sub();
    const features = new Reader(bytes, fs, fe);
    for (const [ffield, fwire, fat] of features.fields()) {
      if (ffield !== 1) {
        features.skip(fwire);
        continue;
      }
      if (fwire !== 2) throw new ProtoError(`Features.feature has wire type ${fwire} (expected 2)`, fat);
      const [es, ee] = features.sub();
      const entry = new Reader(bytes, es, ee);
      let key = "";
      let value: Feature = { kind: "none" };
      for (const [efield, ewire, eat] of entry.fields()) {
        if (efield !== 1 && efield !== 2) {
          entry.skip(ewire);
          continue;
        }
        if (ewire !== 2) throw new ProtoError(`feature map entry field ${efield} has wire type ${ewire}`, eat);
        const [s, e] = entry.sub();
        if (efield === 1) key = Buffer.from(bytes.buffer, bytes.byteOffset + s, e - s).toString("utf8");
        else value = decodeFeature(new Reader(bytes, s, e));
      }
      out.delete(key);
      out.set(key, value);
    }
  }
  return out;
}

/**
 * The protobuf wire format's encoding of varints and field keys, shared by the ONNX writer
 * (src/image/onnx-writer.ts) and the tf.train.Example encoder (src/image/example-proto.ts).
 * https://protobuf.dev/programming-guides/encoding/: a varint is base-128, least significant group first,
 * the high bit set on every byte but the last; a negative int64 is its 64-bit two's complement (10 bytes).
 * A field key is the varint `(field number << 3) | wire type`.
 */

/**
 * Append the varint of `value` (a non-negative number, a negative int64 or a bigint) to `out`.
 * @example const out: number[] = []; pushVarint(out, 300); out // [0xac, 0x02]
 */
export function pushVarint(out: number[], value: number | bigint): void {
  if (typeof value === "number" && value >= 0) {
    while (value >= 0x80) {
      out.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    out.push(value);
    return;
  }
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
}

/**
 * Append the key of field `field` with wire type `wire` (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit).
 * @example const out: number[] = []; pushKey(out, 1, 2); out // [0x0a]
 */
export function pushKey(out: number[], field: number, wire: number): void {
  pushVarint(out, (field << 3) | wire);
}

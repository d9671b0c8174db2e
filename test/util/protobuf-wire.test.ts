import assert from "node:assert/strict";
import { pushKey, pushVarint } from "../../src/util/protobuf-wire";

const varint = (v: number | bigint) => {
  const out: number[] = [];
  pushVarint(out, v);
  return out;
};

describe("pushVarint / pushKey", () => {
  it("writes base-128 groups, least significant first (protobuf's own examples: 1, 150, 300)", () => {
    assert.deepEqual(varint(0), [0x00]);
    assert.deepEqual(varint(1), [0x01]);
    assert.deepEqual(varint(150), [0x96, 0x01]);
    assert.deepEqual(varint(300), [0xac, 0x02]);
    assert.deepEqual(varint(2 ** 53 - 1), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it("writes a negative int64 as 10 bytes of its two's complement, the same from a number or a bigint", () => {
    assert.deepEqual(varint(-1), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert.deepEqual(varint(-1n), varint(-1));
    assert.deepEqual(varint(-(2n ** 63n)), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    assert.deepEqual(varint(150n), varint(150));
  });

  it("writes a field key as (field << 3) | wire type", () => {
    const out: number[] = [];
    pushKey(out, 1, 2);
    pushKey(out, 2, 0);
    pushKey(out, 20, 0);
    assert.deepEqual(out, [0x0a, 0x10, 0xa0, 0x01]);
  });
});

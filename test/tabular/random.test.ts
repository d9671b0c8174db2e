import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { RandomState, numpyPermutation } from "../../src/tabular/random";

// Expected values measured with numpy 2.4.6 (np.random.RandomState / MT19937) in a scratch venv.
function sha256(values: Int32Array): string {
  // little-endian int32, like astype('<i4')
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return createHash("sha256").update(bytes).digest("hex");
}

describe("RandomState", () => {
  it("produces numpy's raw MT19937 outputs for seed 1024", () => {
    const rs = new RandomState(1024);
    const raw = Array.from({ length: 5 }, () => rs.nextUint32());
    assert.deepEqual(raw, [2781812667, 1825252241, 4281711201, 3018689004, 2228243045], "random_raw(5)");
  });

  it("produces numpy's random_sample doubles", () => {
    const rs = new RandomState(1024);
    assert.deepEqual(
      [rs.random(), rs.random(), rs.random()],
      [0.6476912306619782, 0.9969135798725731, 0.518803264443478],
      "random_sample(3)",
    );
  });

  it("reproduces permutation(n) for small n and edge seeds", () => {
    assert.deepEqual(Array.from(new RandomState(0).permutation(10)), [2, 8, 4, 9, 1, 6, 7, 3, 0, 5], "seed 0");
    assert.deepEqual(Array.from(new RandomState(1729).permutation(10)), [0, 2, 4, 9, 1, 8, 7, 5, 3, 6], "seed 1729");
    assert.deepEqual(Array.from(new RandomState(42).permutation(10)), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6], "seed 42");
    assert.deepEqual(Array.from(new RandomState(0).permutation(7)), [6, 2, 1, 3, 0, 5, 4], "seed 0, n 7");
    assert.deepEqual(Array.from(new RandomState(4294967295).permutation(7)), [1, 5, 0, 6, 4, 2, 3], "seed 2**32-1");
    assert.deepEqual(
      Array.from(new RandomState(0).permutation(1000).subarray(0, 5)),
      [993, 859, 298, 553, 672],
      "seed 0, n 1000",
    );
  });

  it("rejects seeds numpy rejects", () => {
    assert.throws(() => new RandomState(-1), RangeError, "negative seed");
    assert.throws(() => new RandomState(2 ** 32), RangeError, "seed above 2**32-1");
    assert.throws(() => new RandomState(1.5), RangeError, "fractional seed");
    assert.throws(() => new RandomState("1" as unknown as number), TypeError, "string seed");
  });

  it("shuffles 1,000,000 indices exactly like numpy in well under a second", () => {
    const start = process.hrtime.bigint();
    const p = new RandomState(7).permutation(1_000_000);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.deepEqual(Array.from(p.subarray(0, 5)), [330111, 663520, 525009, 199449, 978049], "first indices");
    assert.equal(
      sha256(p),
      "73febdf6c46bcec5adfabd15bb798174d12593c0fbeb5d282066332f03033fb2",
      "sha256 of the whole permutation",
    );
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
  });
});

describe("numpyPermutation", () => {
  it("reproduces pandas sample(frac=1, random_state=1024) on 5,000 rows", () => {
    const p = numpyPermutation(5000, 1024);
    assert.deepEqual(
      Array.from(p.subarray(0, 20)),
      [340, 3961, 561, 3623, 2427, 1281, 689, 591, 3103, 2890, 1309, 311, 4508, 3393, 647, 3384, 945, 1305, 4369, 4873],
      "first 20 indices (workshop A.6 shows the first five)",
    );
    assert.deepEqual(Array.from(p.subarray(4995)), [4961, 601, 2661, 2540, 913], "last 5 indices");
    assert.equal(
      sha256(p),
      "6138aaea0c2839c588981199ca8db0accc10b49298ffeb0c1f6997cc3eb78dc5",
      "sha256 of the whole permutation",
    );
  });
});

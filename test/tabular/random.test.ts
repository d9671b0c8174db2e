import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { RandomState, numpyPermutation } from "../../src/tabular/random";
import { reference } from "../helpers/reference";

// Expected values: test/fixtures/reference/random.json, made by make_random.py (numpy 2.4.6,
// np.random.RandomState / MT19937).
const NP = reference("random");
function sha256(values: Int32Array): string {
  // little-endian int32, like astype('<i4')
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return createHash("sha256").update(bytes).digest("hex");
}

describe("RandomState", () => {
  it("produces numpy's raw MT19937 outputs for seed 1024", () => {
    const rs = new RandomState(1024);
    const raw = Array.from({ length: 5 }, () => rs.nextUint32());
    assert.deepEqual(raw, NP.raw1024, "random_raw(5)");
  });

  it("produces numpy's random_sample doubles", () => {
    const rs = new RandomState(1024);
    assert.deepEqual([rs.random(), rs.random(), rs.random()], NP.randomSample1024, "random_sample(3)");
  });

  it("reproduces permutation(n) for small n and edge seeds", () => {
    const perms: Record<string, number[]> = NP.permutations; // "seed/n" -> permutation
    assert.deepEqual(Object.keys(perms), ["0/10", "1729/10", "42/10", "0/7", "4294967295/7"], "cases");
    for (const [key, expected] of Object.entries(perms)) {
      const [seed, n] = key.split("/").map(Number);
      assert.deepEqual(Array.from(new RandomState(seed).permutation(n)), expected, `seed ${seed}, n ${n}`);
    }
    assert.deepEqual(
      Array.from(new RandomState(0).permutation(1000).subarray(0, 5)),
      NP.seed0n1000head,
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
    assert.deepEqual(Array.from(p.subarray(0, 5)), NP.seed7n1000000.head, "first indices");
    assert.equal(sha256(p), NP.seed7n1000000.sha256, "sha256 of the whole permutation");
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
  });
});

describe("numpyPermutation", () => {
  it("reproduces pandas sample(frac=1, random_state=1024) on 5,000 rows", () => {
    const p = numpyPermutation(5000, 1024);
    assert.deepEqual(Array.from(p.subarray(0, 20)), NP.seed1024n5000.head, "first 20 indices");
    assert.deepEqual(Array.from(p.subarray(0, 5)), [340, 3961, 561, 3623, 2427], "the five workshop A.6 shows");
    assert.deepEqual(Array.from(p.subarray(4995)), NP.seed1024n5000.tail, "last 5 indices");
    assert.equal(sha256(p), NP.seed1024n5000.sha256, "sha256 of the whole permutation");
  });
});

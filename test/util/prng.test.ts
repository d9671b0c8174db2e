import assert from "node:assert/strict";
import { mulberry32, shuffleInPlace } from "../../src/util/prng";

describe("shuffleInPlace", () => {
  it("swaps a[i] with a[⌊rand()·(i+1)⌋] for i from the last index down to 1, one draw each", () => {
    const draws = [0.5, 0, 0.75];
    let calls = 0;
    const a = [0, 1, 2, 3];
    shuffleInPlace(a, () => draws[calls++]);
    // i=3: j=2 → [0,1,3,2]; i=2: j=0 → [3,1,0,2]; i=1: j=1 → unchanged.
    assert.deepEqual(a, [3, 1, 0, 2]);
    assert.equal(calls, 3, "one draw per index from 3 down to 1");
  });

  it("gives a typed array and a plain array the same seeded permutation", () => {
    const typed = Int32Array.from({ length: 10 }, (_, i) => i);
    const plain = Array.from({ length: 10 }, (_, i) => i);
    shuffleInPlace(typed, mulberry32(42));
    shuffleInPlace(plain, mulberry32(42));
    assert.deepEqual(Array.from(typed), plain);
    assert.deepEqual(
      [...plain].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      "a permutation",
    );
    assert.notDeepEqual(plain, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "seed 42 moves something");
  });

  it("leaves empty and one-element arrays alone without drawing", () => {
    let calls = 0;
    const rand = () => (calls++, 0.3);
    const empty: number[] = [];
    const one = ["x"];
    shuffleInPlace(empty, rand);
    shuffleInPlace(one, rand);
    assert.deepEqual(empty, []);
    assert.deepEqual(one, ["x"]);
    assert.equal(calls, 0);
  });
});

/**
 * Python's `random` module (CPython Modules/_randommodule.c, Lib/random.py), enough to replay
 * `random.seed(n); random.shuffle(list)` as im2rec's `--list` does with `random.seed(100)`:
 * MT19937 seeded by `init_by_array` on the 32-bit words of |n| (little-endian word order),
 * `getrandbits(k)` = the top k bits of one output for k <= 32, `_randbelow(n)` by rejection on
 * `getrandbits(n.bit_length())`, and `shuffle` = Fisher-Yates from the end. Unchanged since
 * Python 3.2 (the workshop's conda_mxnet_latest_p37 ran 3.7).
 */
import { MT19937 } from "../util/mt19937";

/**
 * A Mersenne Twister seeded like Python's `random.seed(n)` for a non-negative integer n.
 * @example const r = new PythonRandom(100); r.shuffle([0, 1, 2, 3])
 */
export class PythonRandom extends MT19937 {
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed is not a non-negative safe integer: ${seed}`);
    }
    const key: number[] = [];
    for (let n = seed; n > 0; n = Math.floor(n / 2 ** 32)) key.push(n % 2 ** 32);
    if (key.length === 0) key.push(0);
    super();
    this.initByArray(key);
  }

  /** `random.getrandbits(k)` for 1 <= k <= 32. */
  getrandbits(k: number): number {
    return this.nextUint32() >>> (32 - k);
  }

  /** `random._randbelow(n)`: uniform in [0, n) for 1 <= n < 2^32. */
  randbelow(n: number): number {
    const k = 32 - Math.clz32(n); // n.bit_length()
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /**
   * `random.shuffle(values)` in place.
   * @example new PythonRandom(100).shuffle(["a", "b", "c"])
   */
  shuffle<T>(values: T[]): T[] {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}

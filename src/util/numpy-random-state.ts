/**
 * numpy's legacy `RandomState`, bit for bit: the MT19937 generator, `random_interval` (bounded
 * integers by masked rejection sampling) and `permutation`/`shuffle` (Fisher-Yates from the end).
 * It reproduces `np.random.RandomState(seed).permutation(n)`, and therefore pandas'
 * `df.sample(frac=1, random_state=seed)`, which calls `choice(n, n, replace=False)` →
 * `permutation(n)[:n]`.
 *
 * Seeding: for an integer seed numpy's `_legacy_seeding` calls `mt19937_seed(state, seed)`, which
 * is Matsumoto–Nishimura `init_genrand` (checked against numpy 2.4: the 624-word state of
 * `RandomState(1024)` equals init_genrand(1024); `init_by_array` is only used for array seeds).
 * Spec: numpy/random/src/mt19937/mt19937.c, numpy/random/src/distributions/distributions.c
 * (`random_interval`), numpy/random/mtrand.pyx (`shuffle`, `permutation`, `choice`).
 */
import { MT19937 } from "./mt19937";

/**
 * A Mersenne Twister seeded like `np.random.RandomState(seed)` (the shared MT19937 in mt19937.ts).
 * @example new RandomState(1024).permutation(5000)[0] // 340, as numpy
 */
export class RandomState extends MT19937 {
  /** `seed` is an integer in [0, 2**32 − 1], as numpy requires. */
  constructor(seed: number) {
    if (typeof seed !== "number") throw new TypeError(`seed is not a number: ${String(seed)} (expected an integer)`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed is out of range: ${seed} (expected an integer in [0, 2**32 - 1])`);
    }
    super();
    this.initGenrand(seed);
  }

  /**
   * A double in [0, 1) from 53 random bits, like `RandomState.random_sample()`.
   * @example new RandomState(1024).random() // 0.6476912306619782
   */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, max], numpy's legacy `random_interval`: mask to the smallest
   * covering power of two, reject values above `max`.
   * @example new RandomState(1).randomInterval(9)
   */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (!(max > 0 && max <= 0xffffffff && Number.isInteger(max))) {
      throw new RangeError(`randomInterval bound is out of range: ${max} (expected an integer in [0, 2**32 - 1])`);
    }
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /**
   * Shuffle a typed array in place, like `RandomState.shuffle` on a 1-d ndarray.
   * @example rs.shuffle(Int32Array.from([1, 2, 3]))
   */
  shuffle<T extends Int32Array | Uint32Array | Float64Array>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }

  /**
   * A shuffled `0..n-1`, like `RandomState.permutation(n)` (and pandas `sample(frac=1)`).
   * @example new RandomState(1024).permutation(5000).slice(0, 3) // [340, 3961, 561]
   */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new RangeError(`permutation size is out of range: ${n} (expected an integer in [0, 2**31 - 1])`);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * `RandomState.choice(a, size, replace=False)` without `p`: numpy draws `permutation(pop_size)[:size]`
   * and, for an array `a`, returns `a[idx]`. Successive calls continue the same stream, as the
   * workshop's per-category draws do after one `np.random.seed(0)`.
   * @example new RandomState(0).choice(10, 3, { replace: false }) // Int32Array [2, 8, 4]
   */
  choice(a: number, size: number, options: { replace: false }): Int32Array;
  choice<T>(a: ArrayLike<T>, size: number, options: { replace: false }): T[];
  choice<T>(a: number | ArrayLike<T>, size: number, options: { replace: false }): Int32Array | T[] {
    if (options?.replace !== false) {
      throw new RangeError(`choice supports only replace: false: ${String(options?.replace)} (expected false)`);
    }
    const popSize = typeof a === "number" ? a : a.length;
    if (!Number.isInteger(popSize)) throw new RangeError(`choice population is not an integer: ${popSize}`);
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`choice size is out of range: ${size} (expected a non-negative integer)`);
    }
    if (popSize <= 0 && size !== 0) {
      throw new RangeError(`choice population is empty: ${popSize} (expected at least one item unless size is 0)`);
    }
    if (size > popSize) {
      throw new RangeError(
        `choice cannot take a larger sample than the population: ${size} of ${popSize} (replace: false)`,
      );
    }
    const idx = this.permutation(Math.max(popSize, 0)).slice(0, size);
    return typeof a === "number" ? idx : Array.from(idx, (i) => a[i]);
  }
}

/**
 * The row order of pandas `df.sample(frac=1, random_state=seed)` for `n` rows.
 * @example numpyPermutation(5000, 1024).slice(0, 5) // [340, 3961, 561, 3623, 2427]
 */
export function numpyPermutation(n: number, seed: number): Int32Array {
  return new RandomState(seed).permutation(n);
}

/**
 * mulberry32: a small, fast, seeded 32-bit PRNG returning floats in [0, 1). Used where the project
 * needs reproducible randomness of its own (synthetic data, row/column subsampling); numpy-exact
 * shuffles use src/util/numpy-random-state.ts instead.
 * @example const rand = mulberry32(1024); rand() // 0.…
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle of `a` in place, drawing `rand()` once for each i from the last index down to 1
 * (j = ⌊rand()·(i+1)⌋); that order is part of every seeded split and epoch order built on it.
 * @example const a = [1, 2, 3]; shuffleInPlace(a, mulberry32(7)); // a is a permutation of 1, 2, 3
 */
export function shuffleInPlace<T>(a: { length: number; [i: number]: T }, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

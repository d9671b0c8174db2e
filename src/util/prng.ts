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

/**
 * Sorting numeric columns once for profiling: the non-NaN values ascending (quantiles, histogram,
 * distinct values) and every row's average rank (Spearman), in O(n) for typical data.
 * Small-range integers use a counting sort; other values a bucket sort on the value (one scatter
 * into ~n/2 equal-width buckets, insertion sort inside a bucket, crowded buckets bucket-sorted
 * again), falling back to an LSD radix sort on the IEEE-754 bits for skewed data.
 */

/** A numeric column sorted once: its non-NaN values ascending and every row's average rank. */
export interface SortedColumn {
  sorted: Float64Array;
  ranks: Float64Array;
}

/**
 * Ranks with ties averaged (1-based), NaN kept as NaN (scipy `rankdata`, pandas `rank`).
 * @example rankAverage([3, 1, 1]) // Float64Array [3, 1.5, 1.5]
 */
export function rankAverage(values: ArrayLike<number>): Float64Array {
  return _sortColumn(Float64Array.from(values)).ranks;
}

/**
 * Sort column `k` unless the other thread has claimed it (a helper-thread job of `profile`, which
 * also sorts columns itself, claiming them from the last while the helper goes from the first).
 * Ranks are in a SharedArrayBuffer so that a later job (Spearman) reads them without a copy.
 */
export function _sortUnclaimed(values: Float64Array, claimed: Int32Array, k: number): SortedColumn | null {
  return Atomics.compareExchange(claimed, k, 0, 1) === 0 ? _sortColumn(values, true) : null;
}

/**
 * Sort a column once and derive average ranks from the runs of equal values (ranks in a
 * SharedArrayBuffer when `shared`).
 * @example _sortColumn(Float64Array.of(3, NaN, 1)) // { sorted: [1, 3], ranks: [2, NaN, 1] }
 */
export function _sortColumn(values: Float64Array, shared = false): SortedColumn {
  const n = values.length;
  let m = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    m++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integral && v !== Math.floor(v)) integral = false;
  }
  const ranks = new Float64Array(shared ? new SharedArrayBuffer(8 * n) : new ArrayBuffer(8 * n)).fill(NaN);
  if (m === 0) return { sorted: new Float64Array(0), ranks };
  if (integral && hi - lo <= 4 * n + 1024) return countingSort(values, m, lo, hi, ranks);
  let sorted: Float64Array;
  let order: Uint32Array;
  if (Number.isFinite(hi - lo) && m >= 64) {
    sorted = new Float64Array(m);
    order = new Uint32Array(m);
    finishBuckets(sorted, order, 0, bucketScatter(values, null, 0, n, sorted, order, 0, lo, hi, 0), 0);
  } else {
    order = radixArgsort(values, m);
    sorted = new Float64Array(m);
    for (let k = 0; k < m; k++) sorted[k] = values[order[k]];
  }
  for (let i = 0; i < m;) {
    let j = i;
    while (j + 1 < m && sorted[j + 1] === sorted[i]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return { sorted, ranks };
}

function countingSort(values: Float64Array, m: number, lo: number, hi: number, ranks: Float64Array): SortedColumn {
  const n = values.length;
  const sorted = new Float64Array(m);
  const span = hi - lo + 1;
  const counts = new Float64Array(span);
  for (let i = 0; i < n; i++) if (values[i] === values[i]) counts[values[i] - lo]++;
  const avg = new Float64Array(span);
  let before = 0;
  for (let k = 0; k < span; k++) {
    const c = counts[k];
    if (c > 0) {
      sorted.fill(k + lo, before, before + c);
      avg[k] = before + (c + 1) / 2;
      before += c;
    }
  }
  for (let i = 0; i < n; i++) if (values[i] === values[i]) ranks[i] = avg[values[i] - lo];
  return { sorted, ranks };
}

/** Bucket of one run: at most this many values are insertion-sorted, more are bucket-sorted again. */
const SMALL = 48;
/** Nesting of bucket sorts before a crowded bucket goes to the radix sort. */
const MAX_DEPTH = 3;
/** Buckets of the first scatter: few enough that their write positions stay in cache. */
const TOP = 1024;

/** Values and rows of a range being bucket-sorted again (reused: a range is scattered back at once). */
let scratchValues = new Float64Array(0);
let scratchRows = new Uint32Array(0);
/** Bucket starts per nesting level, reused (a level's array stays in use while deeper levels run). */
const scratchStarts: Int32Array[] = [];
/** Scratch is kept up to this many entries; larger ranges (skewed data) allocate their own. */
const SCRATCH_MAX = 1 << 16;

function bucketStarts(depth: number, size: number): Int32Array {
  const have = scratchStarts[depth];
  if (size > SCRATCH_MAX) return new Int32Array(size);
  if (!have || have.length < size)
    return (scratchStarts[depth] = new Int32Array(Math.max(size, 1025))).subarray(0, size);
  const starts = have.subarray(0, size);
  starts.fill(0);
  return starts;
}

/**
 * Scatter the non-NaN values of src[from, to) (with their row numbers: `srcRows`, or the positions
 * themselves when null) into dst[at, …) grouped by equal-width bucket over [lo, hi]. Bucket order is
 * value order: (v − lo) · scale is monotone in v under round-to-nearest. Returns each bucket's end.
 */
function bucketScatter(
  src: Float64Array,
  srcRows: Uint32Array | null,
  from: number,
  to: number,
  dst: Float64Array,
  dstRows: Uint32Array,
  at: number,
  lo: number,
  hi: number,
  depth: number,
): Int32Array {
  let m = 0;
  for (let i = from; i < to; i++) if (src[i] === src[i]) m++;
  const buckets = Math.max(1, Math.min(m >>> 1, srcRows === null ? TOP : m >>> 1));
  const scale = buckets / (hi - lo);
  const last = buckets - 1;
  const start = bucketStarts(depth, buckets + 1);
  for (let i = from; i < to; i++) {
    const v = src[i];
    if (v !== v) continue;
    const t = (v - lo) * scale;
    start[(t >= last ? last : t > 0 ? t : 0) | 0]++;
  }
  let sum = at;
  for (let b = 0; b < buckets; b++) {
    const c = start[b];
    start[b] = sum;
    sum += c;
  }
  for (let i = from; i < to; i++) {
    const v = src[i];
    if (v !== v) continue;
    const t = (v - lo) * scale;
    const p = start[(t >= last ? last : t > 0 ? t : 0) | 0]++;
    dst[p] = v;
    dstRows[p] = srcRows === null ? i : srcRows[i];
  }
  return start.subarray(0, buckets);
}

/** Sort every bucket of sorted[from, …) (with its rows) after a scatter; `ends` are the buckets' end positions. */
function finishBuckets(sorted: Float64Array, rows: Uint32Array, from: number, ends: Int32Array, depth: number): void {
  // A bucket holding a quarter of the values means skewed data, which more equal-width buckets won't spread.
  const crowded = (ends[ends.length - 1] - from) / 4;
  let s = from;
  for (let b = 0; b < ends.length; b++) {
    const e = ends[b];
    if (e - s <= SMALL) {
      if (e - s > 1) insertionSort(sorted, rows, s, e);
    } else sortRange(sorted, rows, s, e, e - s > crowded ? MAX_DEPTH : depth);
    s = e;
  }
}

/** Insertion sort of sorted[from, to) with its rows (short ranges). */
function insertionSort(sorted: Float64Array, rows: Uint32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = sorted[i];
    if (!(sorted[i - 1] > v)) continue;
    const r = rows[i];
    let j = i - 1;
    do {
      sorted[j + 1] = sorted[j];
      rows[j + 1] = rows[j];
      j--;
    } while (j >= from && sorted[j] > v);
    sorted[j + 1] = v;
    rows[j + 1] = r;
  }
}

/** Sort sorted[from, to) (longer than SMALL) with its rows: bucket sort again, or radix sort when deep or skewed. */
function sortRange(sorted: Float64Array, rows: Uint32Array, from: number, to: number, depth: number): void {
  const len = to - from;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = sorted[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return;
  let v: Float64Array;
  let r: Uint32Array;
  if (len <= SCRATCH_MAX) {
    if (scratchValues.length < len) {
      scratchValues = new Float64Array(SCRATCH_MAX);
      scratchRows = new Uint32Array(SCRATCH_MAX);
    }
    v = scratchValues.subarray(0, len);
    r = scratchRows.subarray(0, len);
    v.set(sorted.subarray(from, to));
    r.set(rows.subarray(from, to));
  } else {
    v = sorted.slice(from, to);
    r = rows.slice(from, to);
  }
  if (depth < MAX_DEPTH && Number.isFinite(hi - lo)) {
    finishBuckets(sorted, rows, from, bucketScatter(v, r, 0, len, sorted, rows, from, lo, hi, depth + 1), depth + 1);
  } else {
    const order = radixArgsort(v, len);
    for (let k = 0; k < len; k++) {
      sorted[from + k] = v[order[k]];
      rows[from + k] = r[order[k]];
    }
  }
}

/**
 * Row indices of the `m` non-NaN values in ascending order: LSD radix sort, four 16-bit passes over
 * an order-preserving 64-bit key (digit histograms counted while the keys are built; passes whose
 * digit is the same for every key skipped). About 4x faster than a comparison argsort at 10^6 rows.
 */
function radixArgsort(values: Float64Array, m: number): Uint32Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let [hi, lo, idx, tHi, tLo, tIdx] = Array.from({ length: 6 }, () => new Uint32Array(m));
  const hist = new Uint32Array(4 * 65536);
  for (let i = 0, k = 0; i < values.length; i++) {
    if (values[i] !== values[i]) continue;
    const h = bits[2 * i + 1]; // little-endian: high word second
    const l = bits[2 * i];
    // Negative: flip every bit; positive: flip the sign bit. Unsigned order then equals numeric order.
    const neg = (h & 0x80000000) !== 0;
    const u = neg ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    const w = neg ? ~l >>> 0 : l;
    hi[k] = u;
    lo[k] = w;
    idx[k++] = i;
    hist[w & 0xffff]++;
    hist[65536 + (w >>> 16)]++;
    hist[131072 + (u & 0xffff)]++;
    hist[196608 + (u >>> 16)]++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const shift = (pass % 2) * 16;
    const off = pass * 65536;
    const src = pass < 2 ? lo : hi;
    if (hist[off + ((src[0] >>> shift) & 0xffff)] === m) continue; // every key shares this digit
    let sum = 0;
    for (let d = off; d < off + 65536; d++) {
      const c = hist[d];
      hist[d] = sum;
      sum += c;
    }
    for (let k = 0; k < m; k++) {
      const p = hist[off + ((src[k] >>> shift) & 0xffff)]++;
      tHi[p] = hi[k];
      tLo[p] = lo[k];
      tIdx[p] = idx[k];
    }
    [hi, tHi] = [tHi, hi];
    [lo, tLo] = [tLo, lo];
    [idx, tIdx] = [tIdx, idx];
  }
  return idx;
}

/**
 * Feature quantization for histogram tree building, like XGBoost's `hist` method: each feature
 * gets at most `max_bin` bins bounded by float32 cut values; value x falls in the first bin whose
 * cut is > x (so "bin <= b" is exactly "x < cut[b]", the split test), and NaN falls in an extra
 * last bin per feature (the missing bin), so histogram loops need no branch for missing values.
 */
import type { Matrix } from "../util/matrix";

/** Cut points of every feature and the quantized (binned) training matrix. */
export interface Quantized {
  nRows: number;
  nCols: number;
  /** Upper bounds of the bins of all features, concatenated (float32, strictly increasing per feature). */
  cuts: Float32Array;
  /** Start of each feature's cuts in `cuts`; length nCols + 1. */
  cutPtr: Int32Array;
  /** Start of each feature's bins in a histogram; feature f has cutPtr[f+1]-cutPtr[f] bins + 1 missing bin. */
  binPtr: Int32Array;
  /** Total histogram bins (all features, missing bins included). */
  totalBins: number;
  /**
   * Global histogram bin of each value, row-major like XGBoost's GHistIndexMatrix:
   * `bins[r * nCols + f]` = binPtr[f] + local bin; the missing bin of f is binPtr[f + 1] - 1.
   * Row-major lets a histogram pass read each row's gradient pair once for all features.
   */
  bins: Uint8Array | Uint16Array | Uint32Array;
  /** Local bin of each value, column-major (`colBins[f * nRows + r]`), for partitioning rows by one feature. */
  colBins: Uint8Array | Uint16Array;
}

/** Float32 value of a sortable key (inverse of {@link sortKey}). */
const keyF32 = new Float32Array(1);
const keyU32 = new Uint32Array(keyF32.buffer);
function keyValue(k: number): number {
  keyU32[0] = k & 0x80000000 ? k ^ 0x80000000 : ~k;
  return keyF32[0];
}

/** Unsigned key that sorts like the float32 value (-0 folded into +0). */
function sortKey(bits: number): number {
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/** LSD radix argsort of uint32 keys (3 passes of 11 bits): returns keys and row ids in key order. */
function radixSort(keys: Uint32Array, ids: Int32Array, n: number, tmpK: Uint32Array, tmpI: Int32Array): void {
  const count = new Int32Array(2048);
  let srcK = keys,
    srcI = ids,
    dstK = tmpK,
    dstI = tmpI;
  for (let shift = 0; shift < 33; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(srcK[i] >>> shift) & 2047]++;
    for (let i = 0, sum = 0; i < 2048; i++) {
      const c = count[i];
      count[i] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const d = count[(srcK[i] >>> shift) & 2047]++;
      dstK[d] = srcK[i];
      dstI[d] = srcI[i];
    }
    [srcK, dstK] = [dstK, srcK];
    [srcI, dstI] = [dstI, srcI];
  }
  // Three passes leave the result in the tmp buffers: copy back.
  keys.set(srcK.subarray(0, n));
  ids.set(srcI.subarray(0, n));
}

/** Transpose row-major values into per-feature sortable keys, flagging NaNs (strided reads are slow). */
function transposeKeys(
  data: Float64Array | Float32Array,
  nRows: number,
  nCols: number,
  allKeys: Uint32Array,
  isNaN: Uint8Array,
): void {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let r = 0, i = 0; r < nRows; r++) {
    for (let f = 0; f < nCols; f++, i++) {
      const v = data[i];
      if (v !== v) isNaN[f * nRows + r] = 1;
      else {
        f32[0] = v === 0 ? 0 : v;
        allKeys[f * nRows + r] = sortKey(u32[0]);
      }
    }
  }
}

/** Keys and row ids of the non-missing values of one feature (in row order); returns their count. */
function gatherFeature(
  allKeys: Uint32Array,
  isNaN: Uint8Array,
  start: number,
  nRows: number,
  keys: Uint32Array,
  ids: Int32Array,
  miss: number[],
): number {
  let n = 0;
  for (let r = 0, i = start; r < nRows; r++, i++) {
    if (isNaN[i]) {
      miss.push(r);
      continue;
    }
    keys[n] = allKeys[i];
    ids[n++] = r;
  }
  return n;
}

/** Append the cuts of one feature from its n sorted keys to `all`. */
function featureCuts(keys: Uint32Array, n: number, maxBin: number, all: number[]): void {
  const lo = all.length;
  let distinct = 1;
  for (let i = 1; i < n; i++) if (keys[i] !== keys[i - 1]) distinct++;
  if (distinct <= maxBin) {
    for (let i = 1; i < n; i++) if (keys[i] !== keys[i - 1]) all.push(keyValue(keys[i]));
  } else {
    for (let k = 1; k < maxBin; k++) {
      const key = keys[Math.floor((k * n) / maxBin)];
      const v = keyValue(key);
      if (key > keys[0] && (all.length === lo || v > all[all.length - 1])) all.push(v);
    }
  }
  const max = keyValue(keys[n - 1]);
  all.push(Math.fround(max + (Math.abs(max) + 1e-5)));
}

/** Sorted walk: the local bin of each value is the first cut (from all[lo]) > value. */
function assignBins(
  keys: Uint32Array,
  ids: Int32Array,
  n: number,
  all: number[],
  lo: number,
  local: Uint16Array,
  start: number,
): void {
  let b = 0;
  let cut = all[lo];
  for (let i = 0; i < n; i++) {
    const v = keyValue(keys[i]);
    while (cut <= v) cut = all[lo + ++b];
    local[start + ids[i]] = b;
  }
}

/** Global row-major bins from the column-major local bins. */
function globalBins(
  local: Uint16Array,
  nRows: number,
  nCols: number,
  binPtr: Int32Array,
  bins: Uint8Array | Uint16Array | Uint32Array,
): void {
  for (let f = 0; f < nCols; f++) {
    const off = binPtr[f];
    for (let r = 0, i = f, j = f * nRows; r < nRows; r++, i += nCols, j++) bins[i] = off + local[j];
  }
}

/**
 * Quantize a feature matrix once: per feature, cuts from the sorted (float32) values — all distinct
 * values when there are at most `maxBin`, else equal-count quantiles; the last cut is
 * max + (|max| + 1e-5) like XGBoost — then every value's bin, assigned while walking the sorted order.
 * @example const q = quantize(X, 256); q.colBins[f * q.nRows + r] // bin of row r, feature f
 */
export function quantize(X: Matrix, maxBin = 256): Quantized {
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > 65535)
    throw new RangeError(`max_bin is invalid: ${maxBin} (expected an integer in 2..65535)`);
  const { data, nRows, nCols } = X;
  const all: number[] = [];
  const cutPtr = new Int32Array(nCols + 1);
  const local = new Uint16Array(nRows * nCols);
  const allKeys = new Uint32Array(nRows * nCols);
  const isNaN = new Uint8Array(nRows * nCols);
  transposeKeys(data, nRows, nCols, allKeys, isNaN);
  const keys = new Uint32Array(nRows),
    ids = new Int32Array(nRows),
    tmpK = new Uint32Array(nRows),
    tmpI = new Int32Array(nRows);
  const missing: number[][] = [];
  for (let f = 0; f < nCols; f++) {
    const miss: number[] = [];
    const n = gatherFeature(allKeys, isNaN, f * nRows, nRows, keys, ids, miss);
    missing.push(miss);
    radixSort(keys, ids, n, tmpK, tmpI);
    const lo = (cutPtr[f] = all.length);
    if (n === 0) continue;
    featureCuts(keys, n, maxBin, all);
    assignBins(keys, ids, n, all, lo, local, f * nRows);
  }
  cutPtr[nCols] = all.length;
  const binPtr = new Int32Array(nCols + 1);
  for (let f = 0; f < nCols; f++) binPtr[f + 1] = binPtr[f] + cutPtr[f + 1] - cutPtr[f] + 1;
  const totalBins = binPtr[nCols];
  const bins =
    totalBins <= 256
      ? new Uint8Array(nRows * nCols)
      : totalBins <= 65536
        ? new Uint16Array(nRows * nCols)
        : new Uint32Array(nRows * nCols);
  for (let f = 0; f < nCols; f++) for (const r of missing[f]) local[f * nRows + r] = binPtr[f + 1] - binPtr[f] - 1;
  globalBins(local, nRows, nCols, binPtr, bins);
  let widest = 0;
  for (let f = 0; f < nCols; f++) widest = Math.max(widest, binPtr[f + 1] - binPtr[f]);
  const colBins = widest <= 256 ? Uint8Array.from(local) : local;
  return { nRows, nCols, cuts: Float32Array.from(all), cutPtr, binPtr, totalBins, bins, colBins };
}

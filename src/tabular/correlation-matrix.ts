/**
 * Correlation matrices from typed arrays, with no DataFrame in sight: Pearson (tiled dot products),
 * Spearman (Pearson of average ranks) and Cramér's V (contingency tables of codes). Nulls are NaN
 * (numeric) or −1 (codes); pairs with nulls use pairwise-complete rows, as pandas `DataFrame.corr`.
 * Loaded by the helper thread too (`_spearman` runs there while `_pearson` runs here), so this
 * module must not import nodejs-polars.
 */
import type { CorrelationMethod } from "./alerts";
import { rankAverage } from "./rank";

/** A square, symmetric matrix of coefficients; NaN where undefined (a constant column). */
export interface CorrelationMatrix {
  method: CorrelationMethod;
  columns: string[];
  values: number[][];
}

export function _hasNaN(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) return true;
  return false;
}

/** Pearson r of two arrays over rows where both are present (two-pass, mean-centred). */
function pearsonPair(x: Float64Array, y: Float64Array, complete: boolean): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!complete && (x[i] !== x[i] || y[i] !== y[i])) continue;
    sx += x[i];
    sy += y[i];
    m++;
  }
  if (m < 2) return NaN;
  const mx = sx / m;
  const my = sy / m;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    if (!complete && (x[i] !== x[i] || y[i] !== y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function square(k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : NaN)));
}

/** Pearson matrix; `data` holds one Float64Array per column, NaN for nulls. */
export function _pearson(columns: string[], data: Float64Array[], completeness?: boolean[]): CorrelationMatrix {
  const k = columns.length;
  const values = square(k);
  const complete = completeness ?? data.map((a) => !_hasNaN(a));
  const full = [...complete.keys()].filter((i) => complete[i]);
  const rows = data.length ? data[0].length : 0;
  const means = data.map((a, i) => {
    if (!complete[i]) return NaN;
    let s = 0;
    for (let r = 0; r < a.length; r++) s += a[r];
    return s / a.length;
  });
  // Complete columns: centre one tile of rows at a time into a reused buffer (cache-sized, no
  // per-column allocation), then take every pair's dot product on that tile.
  const TILE = 1024;
  const f = full.length;
  const buf = new Float64Array(f * TILE);
  const dots = new Float64Array(f * f);
  for (let start = 0; start < rows; start += TILE) {
    const len = Math.min(TILE, rows - start);
    for (let a = 0; a < f; a++) {
      const x = data[full[a]];
      const m = means[full[a]];
      const o = a * TILE;
      for (let t = 0; t < len; t++) buf[o + t] = x[start + t] - m;
    }
    // Register blocking: two columns (a, a+1) against four (b..b+3), eight independent accumulators
    // fed by six loads per row. Pairs below the diagonal that a block touches are computed and ignored.
    let a = 0;
    for (; a + 1 < f; a += 2) {
      const oa = a * TILE;
      const oa1 = oa + TILE;
      let b = a;
      for (; b + 3 < f; b += 4) {
        const o0 = b * TILE;
        const o1 = o0 + TILE;
        const o2 = o1 + TILE;
        const o3 = o2 + TILE;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let t = 0; t < len; t++) {
          const x0 = buf[oa + t];
          const x1 = buf[oa1 + t];
          const y0 = buf[o0 + t];
          const y1 = buf[o1 + t];
          const y2 = buf[o2 + t];
          const y3 = buf[o3 + t];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        const r0 = a * f + b;
        const r1 = r0 + f;
        dots[r0] += s00;
        dots[r0 + 1] += s01;
        dots[r0 + 2] += s02;
        dots[r0 + 3] += s03;
        dots[r1] += s10;
        dots[r1 + 1] += s11;
        dots[r1 + 2] += s12;
        dots[r1 + 3] += s13;
      }
      for (; b < f; b++) {
        const ob = b * TILE;
        let s0 = 0;
        let s1 = 0;
        for (let t = 0; t < len; t++) {
          const y = buf[ob + t];
          s0 += buf[oa + t] * y;
          s1 += buf[oa1 + t] * y;
        }
        dots[a * f + b] += s0;
        dots[(a + 1) * f + b] += s1;
      }
    }
    if (a < f) {
      // The last column when f is odd: only its diagonal is left.
      const oa = a * TILE;
      let s0 = 0;
      for (let t = 0; t < len; t++) s0 += buf[oa + t] * buf[oa + t];
      dots[a * f + a] += s0;
    }
  }
  const pos = new Map(full.map((c, a) => [c, a]));
  for (let i = 0; i < k; i++) {
    const ai = pos.get(i);
    if (ai !== undefined && !(dots[ai * f + ai] > 0)) values[i][i] = NaN;
    for (let j = i + 1; j < k; j++) {
      const aj = pos.get(j);
      const r =
        ai !== undefined && aj !== undefined
          ? dots[ai * f + aj] / Math.sqrt(dots[ai * f + ai] * dots[aj * f + aj])
          : pearsonPair(data[i], data[j], false);
      values[i][j] = values[j][i] = Number.isFinite(r) ? r : NaN;
    }
  }
  return { method: "pearson", columns, values };
}

/**
 * Spearman matrix from per-column average ranks (NaN for nulls); pairs with nulls are re-ranked on their complete rows.
 */
export function _spearman(
  columns: string[],
  ranks: Float64Array[],
  raw: Float64Array[],
  completeness?: boolean[],
): CorrelationMatrix {
  const complete = completeness ?? ranks.map((a) => !_hasNaN(a));
  const m = _pearson(columns, ranks, complete);
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      if (complete[i] && complete[j]) continue;
      const keep: number[] = [];
      for (let r = 0; r < raw[i].length; r++) if (raw[i][r] === raw[i][r] && raw[j][r] === raw[j][r]) keep.push(r);
      const x = rankAverage(keep.map((r) => raw[i][r]));
      const y = rankAverage(keep.map((r) => raw[j][r]));
      const r = pearsonPair(x, y, true);
      m.values[i][j] = m.values[j][i] = Number.isFinite(r) ? r : NaN;
    }
  }
  return { ...m, method: "spearman" };
}

/**
 * Cramér's V of two coded columns (codes 0..k−1, −1 for null), pandas-profiling's formula when
 * `biasCorrection` (Bergsma 2013, chi² with Yates' correction on 2×2 tables), plain V otherwise.
 * @example cramersV(new Int32Array([0, 0, 1, 1]), 2, new Int32Array([0, 0, 1, 1]), 2, false) // 1
 */
export function cramersV(a: Int32Array, ka: number, b: Int32Array, kb: number, biasCorrection = true): number {
  const table = new Float64Array(ka * kb);
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) table[a[i] * kb + b[i]]++;
  // pandas.crosstab keeps only rows/columns that occur.
  const rowSum = new Float64Array(ka);
  const colSum = new Float64Array(kb);
  let n = 0;
  for (let i = 0; i < ka; i++)
    for (let j = 0; j < kb; j++) {
      rowSum[i] += table[i * kb + j];
      colSum[j] += table[i * kb + j];
      n += table[i * kb + j];
    }
  const rows = [...rowSum.keys()].filter((i) => rowSum[i] > 0);
  const cols = [...colSum.keys()].filter((j) => colSum[j] > 0);
  const r = rows.length;
  const k = cols.length;
  if (n === 0 || r < 2 || k < 2) return NaN;
  const yates = biasCorrection && (r - 1) * (k - 1) === 1;
  let chi2 = 0;
  for (const i of rows) {
    for (const j of cols) {
      const expected = (rowSum[i] * colSum[j]) / n;
      let observed = table[i * kb + j];
      if (yates) observed += Math.sign(expected - observed) * Math.min(0.5, Math.abs(expected - observed));
      chi2 += (observed - expected) ** 2 / expected;
    }
  }
  const phi2 = chi2 / n;
  if (!biasCorrection) return Math.sqrt(phi2 / Math.min(k - 1, r - 1));
  const phi2corr = Math.max(0, phi2 - ((k - 1) * (r - 1)) / (n - 1));
  const rcorr = r - (r - 1) ** 2 / (n - 1);
  const kcorr = k - (k - 1) ** 2 / (n - 1);
  return Math.sqrt(phi2corr / Math.min(kcorr - 1, rcorr - 1));
}

/** Cramér's V matrix over coded columns. */
export function _cramers(
  columns: string[],
  codes: Int32Array[],
  cardinalities: number[],
  biasCorrection: boolean,
): CorrelationMatrix {
  const values = square(columns.length);
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      values[i][j] = values[j][i] = cramersV(codes[i], cardinalities[i], codes[j], cardinalities[j], biasCorrection);
    }
  }
  return { method: "cramers", columns, values };
}

/**
 * The matrix restricted to the columns at `keep` (indices, in the new order).
 * @example _subMatrix(m, [0, 2]).columns // [m.columns[0], m.columns[2]]
 */
export function _subMatrix(m: CorrelationMatrix, keep: number[]): CorrelationMatrix {
  return {
    method: m.method,
    columns: keep.map((i) => m.columns[i]),
    values: keep.map((i) => keep.map((j) => m.values[i][j])),
  };
}

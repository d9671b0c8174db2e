/**
 * Grow one regression tree on quantized features, depth-wise like XGBoost's `hist` updater:
 * gradient histograms per node (the smaller child is built, its sibling is parent - smaller), the
 * best split of each feature found by scanning bins with missing values sent right then left
 * (XGBoost's default-direction search), and XGBoost's gain/weight formulas with lambda, alpha,
 * min_child_weight and gamma (min_split_loss). Rows of each node are one range of a shared
 * Int32Array, partitioned stably in place.
 */
import type { RegTree } from "./model";
import type { Quantized } from "./quantize";

/** Tree parameters, XGBoost names. */
export interface TreeParams {
  max_depth: number;
  eta: number;
  gamma: number;
  min_child_weight: number;
  lambda: number;
  alpha: number;
}

/** A grown tree plus the split bin of each node (for routing training rows by bin). */
export interface GrownTree {
  tree: RegTree;
  /** Bin of the split at each split node: rows with bin <= splitBin (and not missing) go left. */
  splitBin: Int32Array;
  /** Rows range [begin, end) in the rows buffer of each leaf (-1 for split nodes). */
  leafBegin: Int32Array;
  leafEnd: Int32Array;
}

const RT_EPS = 1e-6;

function thresholdL1(g: number, alpha: number): number {
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
}

/** XGBoost's CalcGain: T(G)^2 / (H + lambda), 0 below min_child_weight. */
export function calcGain(p: TreeParams, g: number, h: number): number {
  if (h < p.min_child_weight || h <= 0) return 0;
  const t = p.alpha === 0 ? g : thresholdL1(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

/** XGBoost's CalcWeight: -T(G) / (H + lambda), 0 below min_child_weight. */
export function calcWeight(p: TreeParams, g: number, h: number): number {
  if (h < p.min_child_weight || h <= 0) return 0;
  return -thresholdL1(g, p.alpha) / (h + p.lambda);
}

/**
 * Fill `hist` (2 per bin: grad, hess) from positions [begin, end) of the partition: rows[k] is the
 * row, ghPart[2k], ghPart[2k+1] its gradient pair (kept in partition order so reads are sequential).
 */
function buildHist(q: Quantized, rows: Int32Array, ghPart: Float64Array, begin: number, end: number, hist: Float64Array): void {
  hist.fill(0);
  const { bins, nCols } = q;
  for (let k = begin; k < end; k++) {
    const g = ghPart[k << 1];
    const h = ghPart[(k << 1) + 1];
    const base = rows[k] * nCols;
    for (let f = 0; f < nCols; f++) {
      const j = bins[base + f] << 1;
      hist[j] += g;
      hist[j + 1] += h;
    }
  }
}

interface Candidate {
  gain: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
  gl: number;
  hl: number;
}

/** Best split of a node from its histogram, or undefined when none has positive gain. */
function bestSplit(q: Quantized, p: TreeParams, hist: Float64Array, G: number, H: number, features: Int32Array): Candidate | undefined {
  const parentGain = calcGain(p, G, H);
  const mcw = p.min_child_weight;
  let best: Candidate | undefined;
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi];
    const b0 = q.binPtr[f];
    const nCuts = q.binPtr[f + 1] - b0 - 1;
    const gm = hist[(b0 + nCuts) << 1];
    const hm = hist[((b0 + nCuts) << 1) + 1];
    for (let pass = 0; pass < (hm > 0 ? 2 : 1); pass++) {
      let gl = pass === 0 ? 0 : gm;
      let hl = pass === 0 ? 0 : hm;
      for (let b = 0; b < nCuts; b++) {
        gl += hist[(b0 + b) << 1];
        hl += hist[((b0 + b) << 1) + 1];
        const hr = H - hl;
        if (hl < mcw || hr < mcw) continue;
        const gain = calcGain(p, gl, hl) + calcGain(p, G - gl, hr) - parentGain;
        if (best === undefined || gain > best.gain) best = { gain, feature: f, bin: b, defaultLeft: pass === 1, gl, hl };
      }
    }
  }
  return best;
}

/**
 * Grow one tree. `gh` holds (grad, hess) per row, interleaved; rows[0, nRows) are the rows to
 * learn from (reordered in place: each leaf's rows end up in one range); `features` the allowed
 * feature indices.
 * @example const { tree } = growTree(q, gh, rows, rows.length, features, params)
 */
export function growTree(q: Quantized, gh: Float64Array, rows: Int32Array, nRows: number, features: Int32Array, p: TreeParams): GrownTree {
  const left: number[] = [-1], right: number[] = [-1], parent: number[] = [-1], split: number[] = [0], cond: number[] = [0];
  const defLeft: number[] = [0], weight: number[] = [0], loss: number[] = [0], cover: number[] = [0], splitBin: number[] = [-1];
  const begin: number[] = [0], end: number[] = [nRows], sumG: number[] = [0];
  const hists: (Float64Array | undefined)[] = [];
  const tmp = new Int32Array(nRows);
  const ghPart = new Float64Array(2 * nRows);
  const ghTmp = new Float64Array(2 * nRows);
  let G = 0;
  let H = 0;
  for (let k = 0; k < nRows; k++) {
    G += ghPart[2 * k] = gh[rows[k] << 1];
    H += ghPart[2 * k + 1] = gh[(rows[k] << 1) + 1];
  }
  sumG[0] = G;
  cover[0] = H;
  const histSize = q.totalBins * 2;
  if (p.max_depth > 0) {
    hists[0] = new Float64Array(histSize);
    buildHist(q, rows, ghPart, 0, nRows, hists[0]);
  }
  let level = [0];
  for (let depth = 0; depth < p.max_depth && level.length; depth++) {
    const next: number[] = [];
    for (const nid of level) {
      const hist = hists[nid];
      hists[nid] = undefined;
      if (!hist) continue;
      const s = bestSplit(q, p, hist, sumG[nid], cover[nid], features);
      if (!s || s.gain <= RT_EPS || s.gain < p.gamma || s.hl === 0 || cover[nid] - s.hl === 0) continue;
      // Stable partition of the node's rows: left rows stay in front, right rows follow.
      const { feature: f, bin: sb, defaultLeft: dl } = s;
      const col = q.colBins;
      const base = f * q.nRows;
      const missing = q.binPtr[f + 1] - q.binPtr[f] - 1;
      let nl = begin[nid];
      let nr = 0;
      for (let k = begin[nid]; k < end[nid]; k++) {
        const r = rows[k];
        const b = col[base + r];
        // Branch-free: the left/right outcome is unpredictable, so write both and advance one.
        const l = b === missing ? (dl ? 1 : 0) : ((sb - b) >>> 31) ^ 1;
        const g = ghPart[2 * k];
        const h = ghPart[2 * k + 1];
        rows[nl] = r;
        ghPart[2 * nl] = g;
        ghPart[2 * nl + 1] = h;
        tmp[nr] = r;
        ghTmp[2 * nr] = g;
        ghTmp[2 * nr + 1] = h;
        nl += l;
        nr += 1 - l;
      }
      ghPart.set(ghTmp.subarray(0, 2 * nr), 2 * nl);
      rows.set(tmp.subarray(0, nr), nl);
      const l = left.length;
      const rt = l + 1;
      left[nid] = l;
      right[nid] = rt;
      split[nid] = f;
      cond[nid] = q.cuts[q.cutPtr[f] + sb];
      defLeft[nid] = dl ? 1 : 0;
      loss[nid] = s.gain;
      splitBin[nid] = sb;
      const childG = [s.gl, sumG[nid] - s.gl];
      const childH = [s.hl, cover[nid] - s.hl];
      const ranges = [[begin[nid], nl], [nl, end[nid]]];
      for (let c = 0; c < 2; c++) {
        left.push(-1); right.push(-1); parent.push(nid); split.push(0); defLeft.push(0); loss.push(0); splitBin.push(-1);
        sumG.push(childG[c]); cover.push(childH[c]); begin.push(ranges[c][0]); end.push(ranges[c][1]);
        const w = calcWeight(p, childG[c], childH[c]);
        weight.push(w);
        cond.push(0);
      }
      next.push(l, rt);
      if (depth + 1 < p.max_depth) {
        const small = nl - begin[nid] <= end[nid] - nl ? l : rt;
        const large = small === l ? rt : l;
        const h = new Float64Array(histSize);
        buildHist(q, rows, ghPart, begin[small], end[small], h);
        for (let i = 0; i < histSize; i++) hist[i] -= h[i];
        hists[small] = h;
        hists[large] = hist;
      }
    }
    level = next;
  }
  return finish({ left, right, parent, split, cond, defLeft, weight, loss, cover, splitBin, begin, end }, p, G, H);
}

function finish(a: Record<string, number[]>, p: TreeParams, G: number, H: number): GrownTree {
  const n = a.left.length;
  a.weight[0] = calcWeight(p, G, H);
  const leafBegin = new Int32Array(n).fill(-1);
  const leafEnd = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (a.left[i] === -1) {
      // XGBoost stores the eta-scaled leaf value both as split condition and base weight of a leaf.
      a.cond[i] = p.eta * a.weight[i];
      a.weight[i] = a.cond[i];
      leafBegin[i] = a.begin[i];
      leafEnd[i] = a.end[i];
    }
  }
  const tree: RegTree = {
    left: Int32Array.from(a.left),
    right: Int32Array.from(a.right),
    parent: Int32Array.from(a.parent),
    splitIndex: Int32Array.from(a.split),
    splitCondition: Float32Array.from(a.cond),
    defaultLeft: Uint8Array.from(a.defLeft),
    baseWeight: Float32Array.from(a.weight),
    lossChange: Float32Array.from(a.loss),
    sumHessian: Float32Array.from(a.cover),
  };
  return { tree, splitBin: Int32Array.from(a.splitBin), leafBegin, leafEnd };
}

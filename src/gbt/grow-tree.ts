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
 * row, gh[2r], gh[2r+1] its gradient pair. Rows of a node are in increasing order (the partition is
 * stable), so the gradient and bin reads move forward. Features are unrolled by 4 (independent
 * histogram updates in flight).
 */
function buildHist(
  q: Quantized,
  rows: Int32Array,
  gh: Float64Array,
  begin: number,
  end: number,
  hist: Float64Array,
): void {
  hist.fill(0);
  const { bins, nCols } = q;
  const n4 = nCols & ~3;
  for (let k = begin; k < end; k++) {
    const r = rows[k];
    const g = gh[r << 1];
    const h = gh[(r << 1) + 1];
    const base = r * nCols;
    let f = 0;
    for (; f < n4; f += 4) {
      const i = base + f;
      const j0 = bins[i] << 1;
      const j1 = bins[i + 1] << 1;
      const j2 = bins[i + 2] << 1;
      const j3 = bins[i + 3] << 1;
      hist[j0] += g;
      hist[j0 + 1] += h;
      hist[j1] += g;
      hist[j1 + 1] += h;
      hist[j2] += g;
      hist[j2 + 1] += h;
      hist[j3] += g;
      hist[j3 + 1] += h;
    }
    for (; f < nCols; f++) {
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
function bestSplit(
  q: Quantized,
  p: TreeParams,
  hist: Float64Array,
  G: number,
  H: number,
  features: Int32Array,
): Candidate | undefined {
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
        if (best === undefined || gain > best.gain)
          best = { gain, feature: f, bin: b, defaultLeft: pass === 1, gl, hl };
      }
    }
  }
  return best;
}

/**
 * Buffers reused across the trees of one fit (row partition scratch, per-node arrays and a pool of histograms), so
 * growing a tree allocates almost nothing.
 */
export class TreeWorkspace {
  tmp = new Int32Array(0);
  /** Per-node arrays (capacity grows by doubling). */
  left = new Int32Array(0);
  right = new Int32Array(0);
  parent = new Int32Array(0);
  split = new Int32Array(0);
  splitBin = new Int32Array(0);
  begin = new Int32Array(0);
  end = new Int32Array(0);
  defLeft = new Uint8Array(0);
  cond = new Float64Array(0);
  weight = new Float64Array(0);
  loss = new Float64Array(0);
  cover = new Float64Array(0);
  sumG = new Float64Array(0);
  private pool: Float64Array[] = [];
  private histSize = 0;

  /** Make the buffers fit `nRows` rows and histograms of `histSize` values. */
  reserve(nRows: number, histSize: number): void {
    if (this.tmp.length < nRows) {
      this.tmp = new Int32Array(nRows);
    }
    if (histSize !== this.histSize) {
      this.pool = [];
      this.histSize = histSize;
    }
    this.nodes(64);
  }

  /** Make the per-node arrays hold at least `n` nodes. */
  nodes(n: number): void {
    if (this.left.length >= n) return;
    const cap = Math.max(n, 2 * this.left.length);
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    const i32 = (k: number) => new Int32Array(k),
      f64 = (k: number) => new Float64Array(k);
    this.left = grow(this.left, i32);
    this.right = grow(this.right, i32);
    this.parent = grow(this.parent, i32);
    this.split = grow(this.split, i32);
    this.splitBin = grow(this.splitBin, i32);
    this.begin = grow(this.begin, i32);
    this.end = grow(this.end, i32);
    this.defLeft = grow(this.defLeft, (k) => new Uint8Array(k));
    this.cond = grow(this.cond, f64);
    this.weight = grow(this.weight, f64);
    this.loss = grow(this.loss, f64);
    this.cover = grow(this.cover, f64);
    this.sumG = grow(this.sumG, f64);
  }

  /** A histogram buffer (contents unspecified). */
  take(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histSize);
  }

  /** Return a histogram buffer to the pool. */
  give(h: Float64Array): void {
    this.pool.push(h);
  }
}

/**
 * Stable partition of positions [begin, end) of `rows` by the split (feature column `base` of
 * colBins, split bin sb, missing bin, default left): left rows stay in front in order, right rows
 * follow in order. Returns the end of the left rows.
 */
function partition(
  col: Uint8Array | Uint16Array,
  base: number,
  sb: number,
  missing: number,
  dl: boolean,
  rows: Int32Array,
  tmp: Int32Array,
  begin: number,
  end: number,
): number {
  const dlBit = dl ? 1 : 0;
  let nl = begin;
  let nr = 0;
  for (let k = begin; k < end; k++) {
    const r = rows[k];
    const b = col[base + r];
    // Branch-free: the left/right outcome is unpredictable, so write both and advance one.
    const l = b === missing ? dlBit : ((sb - b) >>> 31) ^ 1;
    rows[nl] = r;
    tmp[nr] = r;
    nl += l;
    nr += 1 - l;
  }
  rows.set(tmp.subarray(0, nr), nl);
  return nl;
}

/** hist -= small, elementwise (the larger child's histogram from its parent's). */
function subtractHist(hist: Float64Array, small: Float64Array): void {
  for (let i = 0; i < hist.length; i++) hist[i] -= small[i];
}

/** Sums of the rows' gradients and hessians into sums[0], sums[1]. */
function sumGradients(gh: Float64Array, rows: Int32Array, nRows: number, sums: Float64Array): void {
  let G = 0;
  let H = 0;
  for (let k = 0; k < nRows; k++) {
    const r2 = rows[k] << 1;
    G += gh[r2];
    H += gh[r2 + 1];
  }
  sums[0] = G;
  sums[1] = H;
}

/** Set node `i` as a fresh leaf. */
function initNode(
  ws: TreeWorkspace,
  i: number,
  parent: number,
  g: number,
  h: number,
  begin: number,
  end: number,
  weight: number,
): void {
  ws.left[i] = -1;
  ws.right[i] = -1;
  ws.parent[i] = parent;
  ws.split[i] = 0;
  ws.splitBin[i] = -1;
  ws.defLeft[i] = 0;
  ws.cond[i] = 0;
  ws.loss[i] = 0;
  ws.sumG[i] = g;
  ws.cover[i] = h;
  ws.begin[i] = begin;
  ws.end[i] = end;
  ws.weight[i] = weight;
}

const sums = new Float64Array(2);

/**
 * Grow one tree. `gh` holds (grad, hess) per row, interleaved; rows[0, nRows) are the rows to
 * learn from (reordered in place: each leaf's rows end up in one range); `features` the allowed
 * feature indices; `ws` buffers to reuse across trees (default: fresh ones).
 * @example const { tree } = growTree(q, gh, rows, rows.length, features, params)
 */
export function growTree(
  q: Quantized,
  gh: Float64Array,
  rows: Int32Array,
  nRows: number,
  features: Int32Array,
  p: TreeParams,
  ws: TreeWorkspace = new TreeWorkspace(),
): GrownTree {
  const histSize = q.totalBins * 2;
  ws.reserve(nRows, histSize);
  const { tmp } = ws;
  sumGradients(gh, rows, nRows, sums);
  const G = sums[0];
  const H = sums[1];
  initNode(ws, 0, -1, G, H, 0, nRows, 0);
  let nNodes = 1;
  const hists: (Float64Array | null)[] = [null];
  if (p.max_depth > 0) {
    const h0 = ws.take();
    buildHist(q, rows, gh, 0, nRows, h0);
    hists[0] = h0;
  }
  let level: number[] = [0];
  for (let depth = 0; depth < p.max_depth && level.length > 0; depth++) {
    const next: number[] = [];
    for (let li = 0; li < level.length; li++) {
      const nid = level[li];
      const hist = hists[nid];
      hists[nid] = null;
      if (hist === null) continue;
      const sg = ws.sumG[nid];
      const cv = ws.cover[nid];
      const s = bestSplit(q, p, hist, sg, cv, features);
      if (!s || s.gain <= RT_EPS || s.gain < p.gamma || s.hl === 0 || cv - s.hl === 0) {
        ws.give(hist);
        continue;
      }
      const f = s.feature;
      const sb = s.bin;
      const dl = s.defaultLeft;
      const missing = q.binPtr[f + 1] - q.binPtr[f] - 1;
      const b0 = ws.begin[nid];
      const e1 = ws.end[nid];
      const nl = partition(q.colBins, f * q.nRows, sb, missing, dl, rows, tmp, b0, e1);
      const l = nNodes;
      const rt = l + 1;
      nNodes += 2;
      ws.nodes(nNodes);
      ws.left[nid] = l;
      ws.right[nid] = rt;
      ws.split[nid] = f;
      ws.cond[nid] = q.cuts[q.cutPtr[f] + sb];
      ws.defLeft[nid] = dl ? 1 : 0;
      ws.loss[nid] = s.gain;
      ws.splitBin[nid] = sb;
      const g0 = s.gl,
        g1 = sg - s.gl;
      const h0 = s.hl,
        h1 = cv - s.hl;
      initNode(ws, l, nid, g0, h0, b0, nl, calcWeight(p, g0, h0));
      initNode(ws, rt, nid, g1, h1, nl, e1, calcWeight(p, g1, h1));
      hists.push(null, null);
      next.push(l, rt);
      if (depth + 1 < p.max_depth) {
        const leftSmall = nl - b0 <= e1 - nl;
        const h = ws.take();
        if (leftSmall) buildHist(q, rows, gh, b0, nl, h);
        else buildHist(q, rows, gh, nl, e1, h);
        subtractHist(hist, h);
        hists[leftSmall ? l : rt] = h;
        hists[leftSmall ? rt : l] = hist;
      } else {
        ws.give(hist);
      }
    }
    level = next;
  }
  for (let i = 0; i < hists.length; i++) {
    const h = hists[i];
    if (h !== null) ws.give(h);
  }
  return finish(ws, nNodes, p, G, H);
}

function finish(ws: TreeWorkspace, n: number, p: TreeParams, G: number, H: number): GrownTree {
  const weight = ws.weight.slice(0, n);
  const cond = ws.cond.slice(0, n);
  weight[0] = calcWeight(p, G, H);
  const leafBegin = new Int32Array(n).fill(-1);
  const leafEnd = new Int32Array(n).fill(-1);
  const left = ws.left.slice(0, n);
  for (let i = 0; i < n; i++) {
    if (left[i] === -1) {
      // XGBoost stores the eta-scaled leaf value both as split condition and base weight of a leaf.
      cond[i] = p.eta * weight[i];
      weight[i] = cond[i];
      leafBegin[i] = ws.begin[i];
      leafEnd[i] = ws.end[i];
    }
  }
  const tree: RegTree = {
    left,
    right: ws.right.slice(0, n),
    parent: ws.parent.slice(0, n),
    splitIndex: ws.split.slice(0, n),
    splitCondition: Float32Array.from(cond),
    defaultLeft: ws.defLeft.slice(0, n),
    baseWeight: Float32Array.from(weight),
    lossChange: Float32Array.from(ws.loss.subarray(0, n)),
    sumHessian: Float32Array.from(ws.cover.subarray(0, n)),
  };
  return { tree, splitBin: ws.splitBin.slice(0, n), leafBegin, leafEnd };
}

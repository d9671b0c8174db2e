/**
 * Exact TreeSHAP (Lundberg, Erion et al. 2018, "Consistent individualized feature attribution for
 * tree ensembles", Algorithm 2): the polynomial-time path algorithm with EXTEND/UNWIND, computing
 * SHAP values of each feature for each row in O(trees · leaves · depth²). Node covers are XGBoost's
 * `sum_hessian`, and the port follows XGBoost's `RegTree::CalculateContributions`
 * (src/tree/tree_model.cc) so the output matches `booster.predict(dm, pred_contribs=True)`:
 * float32 feature values, `x < threshold` goes left, a missing value (NaN) follows default_left,
 * and the last column is the bias (intercept + the cover-weighted mean leaf value of every tree).
 *
 * Glossary: phi = one row's contributions; zero/one fraction = share of the path's cover when the
 * feature is absent / present; pweight = permutation weight of a path prefix.
 */
import { checkMatrix, type Matrix } from "../util/matrix";
import type { GBTModel, RegTree } from "./model";

/** SHAP values of every row, laid out like xgboost's `pred_contribs` output. */
export interface ShapValues {
  /**
   * Row-major `nRows × nGroups × (nFeatures + 1)`: element (row, group, feature) is
   * `values[(row * nGroups + group) * (nFeatures + 1) + feature]`; the last feature slot is the bias.
   */
  values: Float64Array;
  nRows: number;
  nFeatures: number;
  /** Output groups: the classes for multi:softprob, else 1. */
  nGroups: number;
  /** Expected margin of each group (the bias column, the same for every row). */
  expectedValue: Float64Array;
  /** Feature names (from the model, else the matrix, else `f0`, `f1`, ...). */
  featureNames: string[];
}

/** Options of {@link treeShap}. */
export interface TreeShapOptions {
  /**
   * Intercept in margin space, one number for every group or one per group (default:
   * `model.groupBaseMargin` when set, else `model.baseMargin`; XGBoost 3.x multi:softprob has one per class).
   */
  baseMargin?: number | ArrayLike<number>;
}

/** Scratch space for one tree's recursion: the stacked unique paths of Algorithm 2. */
interface PathBuffers {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  pweight: Float64Array;
}

/**
 * Exact SHAP values of a tree ensemble, in margin space (log-odds for binary:logistic).
 * For each row and group the contributions plus the bias add up to the model's margin.
 * @example
 * const shap = treeShap(model, X);
 * const row0 = shap.values.subarray(0, shap.nFeatures + 1); // contributions of row 0, bias last
 */
export function treeShap(model: GBTModel, X: Matrix, options: TreeShapOptions = {}): ShapValues {
  if (!model || !Array.isArray(model.trees))
    throw new TypeError(`model is not a GBTModel: ${typeof model} (expected {trees, treeGroup, ...})`);
  checkMatrix(X, { minRows: 0 });
  const nFeatures = Math.max(model.numFeature, 0);
  if (X.nCols !== nFeatures)
    throw new RangeError(`X column count does not match the model: ${X.nCols} (expected numFeature = ${nFeatures})`);
  const nGroups = Math.max(model.numGroup, 1);
  const base = options.baseMargin ?? model.groupBaseMargin ?? model.baseMargin;
  const intercept = new Float64Array(nGroups);
  if (typeof base === "number") intercept.fill(base);
  else if (base.length === nGroups) intercept.set(Array.from(base));
  else throw new RangeError(`baseMargin length does not match the groups: ${base.length} (expected 1 or ${nGroups})`);
  const names =
    model.featureNames.length === nFeatures
      ? model.featureNames
      : (X.columns ?? Array.from({ length: nFeatures }, (_, i) => `f${i}`));
  return _treeShap(model, X, intercept, names.slice());
}

/**
 * Worker of {@link treeShap} on validated arguments: one intercept per group, names given.
 * @example _treeShap(model, X, Float64Array.of(model.baseMargin), model.featureNames)
 */
export function _treeShap(model: GBTModel, X: Matrix, intercept: Float64Array, featureNames: string[]): ShapValues {
  const { nRows, nCols } = X;
  const nGroups = intercept.length;
  const stride = nCols + 1;
  const values = new Float64Array(nRows * nGroups * stride);
  const expectedValue = Float64Array.from(intercept);
  const row = new Float64Array(nCols);
  let maxDepth = 0;
  const means = model.trees.map((tree) => nodeMeans(tree));
  const depths = model.trees.map((tree) => treeDepth(tree));
  for (const d of depths) maxDepth = Math.max(maxDepth, d);
  model.trees.forEach((_, t) => (expectedValue[model.treeGroup[t] ?? 0] += means[t][0]));
  // One buffer serves every tree: (maxd · (maxd + 1)) / 2 path elements as in XGBoost, maxd = depth + 2.
  const maxd = maxDepth + 2;
  const size = (maxd * (maxd + 1)) / 2;
  const buf: PathBuffers = {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    pweight: new Float64Array(size),
  };
  for (let r = 0; r < nRows; r++) {
    // XGBoost compares float32 feature values with float32 thresholds.
    for (let c = 0; c < nCols; c++) row[c] = Math.fround(X.data[r * nCols + c]);
    for (let g = 0; g < nGroups; g++) values[(r * nGroups + g) * stride + nCols] = expectedValue[g];
    for (let t = 0; t < model.trees.length; t++) {
      const phiOffset = (r * nGroups + (model.treeGroup[t] ?? 0)) * stride;
      recurse(model.trees[t], row, values, phiOffset, buf, 0, 0, 0, 1, 1, -1);
    }
  }
  return { values, nRows, nFeatures: nCols, nGroups, expectedValue, featureNames };
}

/** Cover-weighted mean value of every node (XGBoost's FillNodeMeanValues). */
function nodeMeans(tree: RegTree): Float64Array {
  const mean = new Float64Array(tree.left.length);
  const fill = (node: number): number => {
    const l = tree.left[node];
    if (l === -1) return (mean[node] = tree.splitCondition[node]);
    const r = tree.right[node];
    const v = fill(l) * tree.sumHessian[l] + fill(r) * tree.sumHessian[r];
    return (mean[node] = v / tree.sumHessian[node]);
  };
  if (tree.left.length > 0) fill(0);
  return mean;
}

/** Depth of the deepest leaf (a lone root has depth 0). */
function treeDepth(tree: RegTree): number {
  const walk = (node: number): number =>
    tree.left[node] === -1 ? 0 : 1 + Math.max(walk(tree.left[node]), walk(tree.right[node]));
  return tree.left.length > 0 ? walk(0) : 0;
}

/** EXTEND: grow the path at `start` (of length depth) by a feature with the given fractions. */
function extendPath(p: PathBuffers, start: number, depth: number, zero: number, one: number, feature: number): void {
  const at = start + depth;
  p.feature[at] = feature;
  p.zero[at] = zero;
  p.one[at] = one;
  p.pweight[at] = depth === 0 ? 1 : 0;
  const w = p.pweight;
  for (let i = depth - 1; i >= 0; i--) {
    w[start + i + 1] += (one * w[start + i] * (i + 1)) / (depth + 1);
    w[start + i] = (zero * w[start + i] * (depth - i)) / (depth + 1);
  }
}

/** UNWIND: remove path element `index` from the path at `start`. */
function unwindPath(p: PathBuffers, start: number, depth: number, index: number): void {
  const one = p.one[start + index];
  const zero = p.zero[start + index];
  const w = p.pweight;
  let next = w[start + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = w[start + i];
      w[start + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (w[start + i] * zero * (depth - i)) / (depth + 1);
    } else {
      w[start + i] = (w[start + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[start + i] = p.feature[start + i + 1];
    p.zero[start + i] = p.zero[start + i + 1];
    p.one[start + i] = p.one[start + i + 1];
  }
}

/** Total permutation weight the path would have with element `index` unwound (without changing it). */
function unwoundPathSum(p: PathBuffers, start: number, depth: number, index: number): number {
  const one = p.one[start + index];
  const zero = p.zero[start + index];
  const w = p.pweight;
  let next = w[start + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = w[start + i] - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += w[start + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/**
 * RECURSE of Algorithm 2. The path of this call starts right after the parent's, which holds
 * `depth` elements, so every level has its own copy and unwinding never disturbs the parent.
 */
function recurse(
  tree: RegTree,
  x: Float64Array,
  phi: Float64Array,
  phiOffset: number,
  p: PathBuffers,
  node: number,
  depth: number,
  parentStart: number,
  parentZero: number,
  parentOne: number,
  parentFeature: number,
): void {
  const start = parentStart + depth + 1;
  p.feature.copyWithin(start, parentStart, start);
  p.zero.copyWithin(start, parentStart, start);
  p.one.copyWithin(start, parentStart, start);
  p.pweight.copyWithin(start, parentStart, start);
  extendPath(p, start, depth, parentZero, parentOne, parentFeature);
  const left = tree.left[node];
  if (left === -1) {
    const leaf = tree.splitCondition[node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(p, start, depth, i);
      phi[phiOffset + p.feature[start + i]] += w * (p.one[start + i] - p.zero[start + i]) * leaf;
    }
    return;
  }
  const right = tree.right[node];
  const split = tree.splitIndex[node];
  const v = x[split];
  const hot = v !== v ? (tree.defaultLeft[node] ? left : right) : v < tree.splitCondition[node] ? left : right;
  const cold = hot === left ? right : left;
  const cover = tree.sumHessian[node];
  const hotZero = tree.sumHessian[hot] / cover;
  const coldZero = tree.sumHessian[cold] / cover;
  let incomingZero = 1;
  let incomingOne = 1;
  // A feature already on the path is unwound so this split can redo it with combined fractions.
  let index = 0;
  while (index <= depth && p.feature[start + index] !== split) index++;
  if (index !== depth + 1) {
    incomingZero = p.zero[start + index];
    incomingOne = p.one[start + index];
    unwindPath(p, start, depth, index);
    depth -= 1;
  }
  recurse(tree, x, phi, phiOffset, p, hot, depth + 1, start, hotZero * incomingZero, incomingOne, split);
  recurse(tree, x, phi, phiOffset, p, cold, depth + 1, start, coldZero * incomingZero, 0, split);
}

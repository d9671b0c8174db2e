/**
 * Prediction from a {@link GBTModel}, bit-compatible with XGBoost's CPU predictor: feature values
 * are compared as float32 against float32 thresholds (`x < threshold` goes left, NaN follows the
 * default direction), and each tree's leaf is added to a float32 running margin in tree order,
 * starting from the base margin. The link (sigmoid/softmax) is computed in float32 too.
 */
import type { GBTModel, RegTree } from "./model";
import { checkMatrix, type Matrix } from "../util/matrix";
import { SchemaError } from "../util/errors";

/** Options of {@link predictMargin} and {@link predict}. */
export interface PredictOptions {
  /**
   * Boosting rounds to use, [begin, end) like xgboost's `iteration_range` (default: [0, bestIteration + 1]
   * when early stopping ran, else every round).
   */
  iterationRange?: [number, number];
}

const f32 = Math.fround;

/** Leaf reached by row values `x` (at `offset`, float32-rounded) in `tree`. */
export function leafIndex(tree: RegTree, x: Float32Array | Float64Array, offset: number): number {
  const { left, right, splitIndex, splitCondition, defaultLeft } = tree;
  let node = 0;
  while (left[node] !== -1) {
    const v = x[offset + splitIndex[node]];
    if (v !== v) node = defaultLeft[node] ? left[node] : right[node];
    else node = v < splitCondition[node] ? left[node] : right[node];
  }
  return node;
}

/** Base margin of output group g. */
export function groupBase(model: GBTModel, g: number): number {
  return f32(model.groupBaseMargin ? model.groupBaseMargin[g] : model.baseMargin);
}

/** Check X is a matrix (zero rows allowed) with the model's feature count. */
export function checkFeatureCount(model: GBTModel, X: Matrix): void {
  checkMatrix(X, { minRows: 0 });
  if (X.nCols !== model.numFeature) {
    throw new SchemaError(
      `feature count is wrong: got ${X.nCols} columns (expected ${model.numFeature}, as in the training data)`,
    );
  }
}

/** Trees [begin, end) for an iteration range (one tree per group per round). */
function treeRange(model: GBTModel, options: PredictOptions): [number, number] {
  const perRound = model.numGroup;
  const rounds = model.trees.length / perRound;
  const [b, e] = options.iterationRange ?? [0, model.bestIteration !== undefined ? model.bestIteration + 1 : rounds];
  if (!(Number.isInteger(b) && Number.isInteger(e) && b >= 0 && b <= e && e <= rounds)) {
    throw new RangeError(`iteration range is invalid: [${b}, ${e}) (expected 0 <= begin <= end <= ${rounds})`);
  }
  return [b * perRound, e * perRound];
}

/** Worker of {@link predictMargin}: adds trees [t0, t1) to float32 margins `out` (nRows x numGroup). */
export function _addTrees(
  model: GBTModel,
  x32: Float32Array,
  nRows: number,
  nCols: number,
  t0: number,
  t1: number,
  out: Float32Array,
): void {
  const G = model.numGroup;
  for (let t = t0; t < t1; t++) {
    const tree = model.trees[t];
    const g = model.treeGroup[t];
    const leaf = tree.splitCondition;
    for (let r = 0; r < nRows; r++) {
      const i = r * G + g;
      out[i] = out[i] + leaf[leafIndex(tree, x32, r * nCols)];
    }
  }
}

/**
 * Raw margins (before the link function): length nRows, or nRows x numClass row-major for multi:softprob.
 * @example const margins = predictMargin(model, Xtest)
 */
export function predictMargin(model: GBTModel, X: Matrix, options: PredictOptions = {}): Float32Array {
  checkFeatureCount(model, X);
  const [t0, t1] = treeRange(model, options);
  const G = model.numGroup;
  const out = new Float32Array(X.nRows * G);
  for (let r = 0; r < X.nRows; r++) for (let g = 0; g < G; g++) out[r * G + g] = groupBase(model, g);
  const x32 = X.data instanceof Float32Array ? X.data : Float32Array.from(X.data);
  _addTrees(model, x32, X.nRows, X.nCols, t0, t1, out);
  return out;
}

/**
 * Apply the objective's link to margins in place: sigmoid (binary:logistic), softmax per row
 * (multi:softprob), identity (reg:squarederror).
 * @example const p = applyLink("binary:logistic", margins, 1)
 */
export function applyLink(objective: GBTModel["objective"], margins: Float32Array, numGroup: number): Float32Array {
  if (objective === "binary:logistic") {
    for (let i = 0; i < margins.length; i++) margins[i] = 1 / (1 + f32(Math.exp(-margins[i])));
  } else if (objective === "multi:softprob") {
    for (let r = 0; r < margins.length; r += numGroup) {
      let max = -Infinity;
      for (let g = 0; g < numGroup; g++) max = Math.max(max, margins[r + g]);
      let sum = 0;
      for (let g = 0; g < numGroup; g++) {
        margins[r + g] = f32(Math.exp(f32(margins[r + g] - max)));
        sum = f32(sum + margins[r + g]);
      }
      for (let g = 0; g < numGroup; g++) margins[r + g] = margins[r + g] / sum;
    }
  }
  return margins;
}

/**
 * Predictions on the objective's scale: P(y = 1) for binary:logistic, class probabilities
 * (nRows x numClass, row-major) for multi:softprob, values for reg:squarederror.
 * @example const p = predict(model, Xtest) // Float32Array of probabilities
 */
export function predict(model: GBTModel, X: Matrix, options: PredictOptions = {}): Float32Array {
  return applyLink(model.objective, predictMargin(model, X, options), model.numGroup);
}

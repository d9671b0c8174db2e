/**
 * The gradient-boosting estimator, with XGBoost's parameter names and `hist` semantics: features
 * quantized once, one depth-wise tree per round (per class for multi:softprob), per-tree row
 * (Bernoulli) and column subsampling from a seeded PRNG, and early stopping on an eval set.
 */
import type { GBTModel, Objective, RegTree } from "./model";
import { checkLabel, checkMatrix, type Matrix } from "../util/matrix";
import { quantize, type Quantized } from "./quantize";
import { growTree, TreeWorkspace, type TreeParams } from "./grow-tree";
import { checkLabels, gradients, initialMargins } from "./objective";
import { applyLink, checkFeatureCount, leafIndex, predict, predictMargin, type PredictOptions } from "./predict";
import { evalMetric, higherIsBetter, type EvalMetric } from "../eval/eval-metrics";
import { NotFittedError } from "../util/errors";
import { mulberry32 } from "../util/prng";

/** Booster hyperparameters, XGBoost names; aliases in parentheses. */
export interface BoosterParams {
  /** Learning objective (default "binary:logistic"). */
  objective?: Objective;
  /** Classes for multi:softprob (required there). */
  num_class?: number;
  /** Maximum tree depth (default 6). */
  max_depth?: number;
  /** Shrinkage applied to leaf values (learning_rate; default 0.3). */
  eta?: number;
  learning_rate?: number;
  /** Minimum loss reduction to split (min_split_loss; default 0). */
  gamma?: number;
  min_split_loss?: number;
  /** Minimum hessian sum in each child (default 1). */
  min_child_weight?: number;
  /** Share of rows sampled for each tree (default 1). */
  subsample?: number;
  /** Share of features sampled for each tree (default 1). */
  colsample_bytree?: number;
  /** L2 regularization on leaf weights (reg_lambda; default 1). */
  lambda?: number;
  reg_lambda?: number;
  /** L1 regularization on leaf weights (reg_alpha; default 0). */
  alpha?: number;
  reg_alpha?: number;
  /** Maximum bins per feature (default 256). */
  max_bin?: number;
  /** Boosting rounds (n_estimators; default 100). */
  num_round?: number;
  n_estimators?: number;
  /** Starting prediction on the objective's scale (default: estimated from the labels like XGBoost 3.x). */
  base_score?: number;
  /** Seed of the row/column sampling PRNG (default 0). */
  seed?: number;
}

/**
 * Options of {@link Booster.fit}: the data is camelCase, the two hyperparameters keep XGBoost's names
 * (`xgb.train(..., early_stopping_rounds=)`, `eval_metric`), as on `GbtClassifier`.
 */
export interface FitOptions {
  /** Validation features and labels, evaluated after every round (default: none). */
  evalSet?: [Matrix, ArrayLike<number>];
  /** Stop when the eval metric has not improved for this many rounds (default: no early stopping). */
  early_stopping_rounds?: number;
  /** Metric on the eval set (default: logloss, rmse or mlogloss by objective). */
  eval_metric?: EvalMetric;
}

/** Resolved parameters. */
interface Resolved extends TreeParams {
  objective: Objective;
  numGroup: number;
  subsample: number;
  colsample: number;
  maxBin: number;
  numRound: number;
  baseScore?: number;
  seed: number;
}

function resolve(p: BoosterParams): Resolved {
  const objective = p.objective ?? "binary:logistic";
  if (!["binary:logistic", "reg:squarederror", "multi:softprob"].includes(objective)) {
    throw new RangeError(
      `objective is unknown: ${JSON.stringify(objective)} (expected binary:logistic, reg:squarederror or multi:softprob)`,
    );
  }
  const numGroup = objective === "multi:softprob" ? (p.num_class ?? 0) : 1;
  if (!(Number.isInteger(numGroup) && numGroup >= 1 && (objective !== "multi:softprob" || numGroup >= 2))) {
    throw new RangeError(`num_class is invalid: ${p.num_class} (expected an integer >= 2 for multi:softprob)`);
  }
  const r: Resolved = {
    objective,
    numGroup,
    max_depth: p.max_depth ?? 6,
    eta: p.eta ?? p.learning_rate ?? 0.3,
    gamma: p.gamma ?? p.min_split_loss ?? 0,
    min_child_weight: p.min_child_weight ?? 1,
    lambda: p.lambda ?? p.reg_lambda ?? 1,
    alpha: p.alpha ?? p.reg_alpha ?? 0,
    subsample: p.subsample ?? 1,
    colsample: p.colsample_bytree ?? 1,
    maxBin: p.max_bin ?? 256,
    numRound: p.num_round ?? p.n_estimators ?? 100,
    baseScore: p.base_score,
    seed: p.seed ?? 0,
  };
  const check = (name: string, v: number, ok: boolean, expected: string) => {
    if (!(typeof v === "number" && ok)) throw new RangeError(`${name} is invalid: ${v} (expected ${expected})`);
  };
  check("max_depth", r.max_depth, Number.isInteger(r.max_depth) && r.max_depth >= 0, "an integer >= 0");
  check("eta", r.eta, r.eta > 0, "> 0");
  check("gamma", r.gamma, r.gamma >= 0, ">= 0");
  check("min_child_weight", r.min_child_weight, r.min_child_weight >= 0, ">= 0");
  check("lambda", r.lambda, r.lambda >= 0, ">= 0");
  check("alpha", r.alpha, r.alpha >= 0, ">= 0");
  check("subsample", r.subsample, r.subsample > 0 && r.subsample <= 1, "in (0, 1]");
  check("colsample_bytree", r.colsample, r.colsample > 0 && r.colsample <= 1, "in (0, 1]");
  check("num_round", r.numRound, Number.isInteger(r.numRound) && r.numRound >= 0, "an integer >= 0");
  return r;
}

function checkXy(X: Matrix, y: ArrayLike<number>, what: string): void {
  checkMatrix(X, { name: `${what} X` });
  if (y.length !== X.nRows)
    throw new RangeError(`${what} label length is wrong: ${y.length} (expected ${X.nRows}, one per row)`);
  checkLabel(y);
}

/** Rows for one tree: the sampled rows first (in order), then the rows left out; returns the sampled count. */
function sampleRows(rows: Int32Array, n: number, subsample: number, rand: () => number): number {
  if (subsample >= 1) {
    for (let r = 0; r < n; r++) rows[r] = r;
    return n;
  }
  let k = 0;
  let u = n;
  for (let r = 0; r < n; r++) {
    if (rand() < subsample) rows[k++] = r;
    else rows[--u] = r;
  }
  return k;
}

/** Add each leaf's value to the margins of the training rows it holds. */
function addLeaves(
  tree: RegTree,
  leafBegin: Int32Array,
  leafEnd: Int32Array,
  rows: Int32Array,
  margins: Float32Array,
  G: number,
  g: number,
): void {
  const { left, splitCondition } = tree;
  for (let node = 0; node < left.length; node++) {
    if (left[node] !== -1) continue;
    const v = splitCondition[node];
    const e = leafEnd[node];
    for (let j = leafBegin[node]; j < e; j++) margins[rows[j] * G + g] += v;
  }
}

/** Route training rows not used by a tree (subsampled out) by their bins, adding the leaf value. */
function addUnsampled(
  q: Quantized,
  tree: RegTree,
  splitBin: Int32Array,
  rows: Int32Array,
  from: number,
  to: number,
  margins: Float32Array,
  G: number,
  g: number,
): void {
  const { left, right, splitIndex, defaultLeft, splitCondition } = tree;
  const { colBins, nRows, binPtr } = q;
  for (let k = from; k < to; k++) {
    const r = rows[k];
    let node = 0;
    while (left[node] !== -1) {
      const f = splitIndex[node];
      const b = colBins[f * nRows + r];
      node = (b === binPtr[f + 1] - binPtr[f] - 1 ? defaultLeft[node] === 1 : b <= splitBin[node])
        ? left[node]
        : right[node];
    }
    margins[r * G + g] += splitCondition[node];
  }
}

/**
 * Gradient-boosted trees with XGBoost's semantics.
 * @example const bst = new Booster({ max_depth: 5, eta: 0.2, num_round: 100 }).fit(X, y); const p = bst.predict(Xtest)
 */
export class Booster {
  readonly params: BoosterParams;
  /** The trained model (XGBoost-JSON-shaped). */
  model_?: GBTModel;
  /** Eval-set metric after each round (empty without an eval set). */
  evalHistory_: number[] = [];
  /** Best round and its score when early stopping ran. */
  bestIteration_?: number;
  bestScore_?: number;

  constructor(params: BoosterParams = {}) {
    this.params = { ...params };
  }

  /** Train on X, y; returns this. */
  fit(X: Matrix, y: ArrayLike<number>, options: FitOptions = {}): this {
    const p = resolve(this.params);
    checkXy(X, y, "training");
    checkLabels(p.objective, y, p.numGroup);
    const G = p.numGroup;
    const n = X.nRows;
    const { margins: base, baseScore } = initialMargins(p.objective, y, G, p.baseScore);
    const model: GBTModel = {
      objective: p.objective,
      numFeature: X.nCols,
      numGroup: G,
      baseMargin: base[0],
      trees: [],
      treeGroup: new Int32Array(0),
      featureNames: X.columns ? [...X.columns] : [],
      baseScore,
      ...(G > 1 ? { groupBaseMargin: base } : {}),
    };
    const metric =
      options.eval_metric ??
      (p.objective === "binary:logistic" ? "logloss" : p.objective === "multi:softprob" ? "mlogloss" : "rmse");
    const evalSet = options.evalSet;
    const stopAfter = options.early_stopping_rounds;
    let evalX32: Float32Array | undefined;
    let evalMargins: Float32Array | undefined;
    if (evalSet) {
      checkXy(evalSet[0], evalSet[1], "eval set");
      checkFeatureCount(model, evalSet[0]);
      evalX32 = Float32Array.from(evalSet[0].data);
      evalMargins = predictMargin(model, evalSet[0]);
    }
    const q = quantize(X, p.maxBin);
    const margins = new Float32Array(n * G);
    for (let r = 0; r < n; r++) for (let g = 0; g < G; g++) margins[r * G + g] = base[g];
    const rand = mulberry32(p.seed);
    const gh = new Float64Array(2 * n);
    const rows = new Int32Array(n);
    const ws = new TreeWorkspace();
    const evalPred = evalMargins ? new Float32Array(evalMargins.length) : undefined;
    const treeGroup: number[] = [];
    const history: number[] = [];
    let best: { round: number; score: number } | undefined;
    for (let round = 0; round < p.numRound; round++) {
      for (let g = 0; g < G; g++) {
        gradients(p.objective, margins, y, G, g, gh);
        // Sampled rows first (in order), then the rows left out of this tree.
        const k = sampleRows(rows, n, p.subsample, rand);
        const features = sampleFeatures(X.nCols, p.colsample, rand);
        const grown = growTree(q, gh, rows, k, features, p, ws);
        const tree = grown.tree;
        addLeaves(tree, grown.leafBegin, grown.leafEnd, rows, margins, G, g);
        addUnsampled(q, tree, grown.splitBin, rows, k, n, margins, G, g);
        model.trees.push(tree);
        treeGroup.push(g);
        if (evalSet && evalX32 && evalMargins) {
          for (let r = 0; r < evalSet[0].nRows; r++)
            evalMargins[r * G + g] += tree.splitCondition[leafIndex(tree, evalX32, r * X.nCols)];
        }
      }
      if (evalSet && evalMargins && evalPred) {
        evalPred.set(evalMargins);
        const score = evalMetric(metric, evalSet[1], applyLink(p.objective, evalPred, G), G);
        history.push(score);
        if (!best || (higherIsBetter(metric) ? score > best.score : score < best.score)) best = { round, score };
        if (stopAfter !== undefined && round - best.round >= stopAfter) break;
      }
    }
    model.treeGroup = Int32Array.from(treeGroup);
    if (stopAfter !== undefined && best) model.bestIteration = best.round;
    this.model_ = model;
    this.evalHistory_ = history;
    this.bestIteration_ = model.bestIteration;
    this.bestScore_ = model.bestIteration !== undefined ? best?.score : undefined;
    return this;
  }

  /** The fitted model; throws NotFittedError before fit. */
  getModel(method = "getModel"): GBTModel {
    if (!this.model_) throw new NotFittedError("Booster", method);
    return this.model_;
  }

  /** Predictions on the objective's scale (probabilities for binary:logistic), best iteration by default. */
  predict(X: Matrix, options: PredictOptions = {}): Float32Array {
    return predict(this.getModel("predict"), X, options);
  }

  /** Raw margins. */
  predictMargin(X: Matrix, options: PredictOptions = {}): Float32Array {
    return predictMargin(this.getModel("predictMargin"), X, options);
  }
}

/** Features for one tree: all, or a seeded sample of max(1, floor(colsample * nCols)), sorted. */
export function sampleFeatures(nCols: number, colsample: number, rand: () => number): Int32Array {
  const all = Int32Array.from({ length: nCols }, (_, i) => i);
  if (colsample >= 1) return all;
  const k = Math.max(1, Math.floor(colsample * nCols));
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (nCols - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.subarray(0, k).sort();
}

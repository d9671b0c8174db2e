/**
 * A random forest on the project's own histogram tree grower (src/gbt/grow-tree.ts), for the
 * leaderboard next to the GBDT and the logistic regression (AutoGluon's ExtraTrees/RF rows).
 *
 * Design: XGBoost's random-forest mode (XGBRFClassifier, "Random Forests(TM) in XGBoost",
 * https://xgboost.readthedocs.io/en/stable/tutorials/rf.html): one boosting round of `n_estimators`
 * parallel trees grown from the same starting point, learning rate 1 divided by the number of trees
 * (XGBoost's updaters scale each parallel tree's leaves by eta / num_parallel_tree, so the forest
 * averages), rows subsampled without replacement (Bernoulli, `subsample`, default 0.8), features
 * sampled per tree (`colsample`, default 0.8), and deep trees. Two choices differ from XGBRF:
 * - Trees fit the squared error of the 0/1 label from 0 (gradient −y, hessian 1 per sampled row).
 *   The split gain G²/H is then exactly CART's Gini (variance) reduction and each leaf holds its
 *   class-1 frequency, so the forest's output is the mean leaf frequency — scikit-learn's
 *   RandomForestClassifier.predict_proba — rather than a sigmoid of one Newton step (which ranks rows
 *   the same but is not calibrated). `min_child_weight` therefore counts sampled rows, like
 *   scikit-learn's min_samples_leaf (with `bootstrap`, a row drawn twice counts twice).
 * - Features are sampled per tree (XGBoost's colsample_bytree), not per node: the grower takes one
 *   feature set per tree. `bootstrap: true` draws rows with replacement instead, like scikit-learn.
 * `model_` is a regular reg:squarederror {@link GBTModel} (one tree per round, leaves already
 * divided by n_estimators), so src/gbt's predict, importance and SHAP code work on it unchanged.
 */
import { checkMatrix, type Matrix } from "../util/matrix";
import type { GBTModel, RegTree } from "../gbt/model";
import { growTree, type TreeParams } from "../gbt/grow-tree";
import { predict } from "../gbt/predict";
import { quantize } from "../gbt/quantize";
import { sampleFeatures } from "../gbt/train";
import { mulberry32 } from "../util/prng";
import { checkBinaryLabels, checkFitted, type BinaryClassifier } from "./estimator";

/** Hyperparameters of {@link RandomForestClassifier} (XGBoost names where XGBoost has one). */
export interface RandomForestParams {
  /** Number of trees (XGBoost's num_parallel_tree; default 100). */
  n_estimators?: number;
  /** Maximum tree depth; trees also stop where nodes are pure (default 16). */
  max_depth?: number;
  /**
   * Share of rows each tree learns from: a Bernoulli sample, or with `bootstrap` the number of draws over n (default
   * 0.8).
   */
  subsample?: number;
  /** Share of features each tree may split on, at least one (colsample_bytree; default 0.8). */
  colsample?: number;
  /** Minimum sampled rows (hessian) in each child of a split (default 1). */
  min_child_weight?: number;
  /** Draw rows with replacement, round(subsample × n) draws per tree, like scikit-learn (default false). */
  bootstrap?: boolean;
  /** Maximum histogram bins per feature (default 256). */
  max_bin?: number;
  /** Seed of the row/feature sampling PRNG (default 0). */
  seed?: number;
  /** Leaderboard name (default "RandomForest"). */
  name?: string;
}

const DEFAULTS = {
  n_estimators: 100,
  max_depth: 16,
  subsample: 0.8,
  colsample: 0.8,
  min_child_weight: 1,
  bootstrap: false,
  max_bin: 256,
  seed: 0,
  name: "RandomForest",
};

type Resolved = typeof DEFAULTS;

function resolve(params: RandomForestParams): Resolved {
  const p = { ...DEFAULTS, ...params };
  const check = (name: string, v: unknown, ok: boolean, expected: string) => {
    if (typeof v !== "number" || !ok) throw new RangeError(`${name} is invalid: ${String(v)} (expected ${expected})`);
  };
  check("n_estimators", p.n_estimators, Number.isInteger(p.n_estimators) && p.n_estimators >= 1, "an integer >= 1");
  check("max_depth", p.max_depth, Number.isInteger(p.max_depth) && p.max_depth >= 1, "an integer >= 1");
  check("subsample", p.subsample, p.subsample > 0 && p.subsample <= 1, "in (0, 1]");
  check("colsample", p.colsample, p.colsample > 0 && p.colsample <= 1, "in (0, 1]");
  check(
    "min_child_weight",
    p.min_child_weight,
    p.min_child_weight >= 0 && Number.isFinite(p.min_child_weight),
    "a finite number >= 0",
  );
  check("seed", p.seed, Number.isInteger(p.seed), "an integer");
  if (typeof p.bootstrap !== "boolean")
    throw new TypeError(`bootstrap is not a boolean: ${String(p.bootstrap)} (expected true or false)`);
  return p;
}

/**
 * A random forest of histogram CART trees (Gini splits, averaged leaf class frequencies).
 * @example const rf = new RandomForestClassifier({ n_estimators: 100, seed: 1 }).fit(X, y); const p =
 * rf.predictProba(Xtest)
 */
export class RandomForestClassifier implements BinaryClassifier {
  readonly params: RandomForestParams;
  /** The forest as a reg:squarederror model whose prediction is the mean leaf frequency. */
  model_?: GBTModel;
  /** The trees (the same objects as `model_.trees`); leaf values are class-1 frequency / n_estimators. */
  trees_?: RegTree[];
  /** Feature indices each tree could split on. */
  treeFeatures_?: Int32Array[];
  /** Feature names seen at fit, when the matrix had them. */
  featureNames_?: string[];

  constructor(params: RandomForestParams = {}) {
    this.params = { ...params };
  }

  get name(): string {
    return this.params.name ?? DEFAULTS.name;
  }

  /** Grow the forest on X and 0/1 labels y (missing values allowed); returns this. */
  fit(X: Matrix, y: ArrayLike<number>): this {
    const p = resolve(this.params);
    checkMatrix(X);
    const y01 = checkBinaryLabels(y, X.nRows);
    const { trees, features } = _growForest(X, y01, p);
    this.trees_ = trees;
    this.treeFeatures_ = features;
    this.featureNames_ = X.columns ? [...X.columns] : undefined;
    this.model_ = {
      objective: "reg:squarederror",
      numFeature: X.nCols,
      numGroup: 1,
      baseMargin: 0,
      baseScore: [0],
      trees,
      treeGroup: new Int32Array(trees.length),
      featureNames: this.featureNames_ ? [...this.featureNames_] : [],
    };
    return this;
  }

  /** P(y = 1) per row: the mean over trees of the class-1 frequency in the leaf the row reaches. */
  predictProba(X: Matrix): Float64Array {
    const model = checkFitted(this.model_, this.name, "predictProba");
    checkMatrix(X, { nCols: model.numFeature });
    const sum = predict(model, X);
    const out = new Float64Array(sum.length);
    // Float32 accumulation can land a hair outside [0, 1].
    for (let i = 0; i < sum.length; i++) out[i] = Math.min(1, Math.max(0, sum[i]));
    return out;
  }
}

/**
 * Worker on validated inputs: quantize once, then per tree sample rows (as hessian weights) and
 * features from one seeded PRNG and grow a tree on gradient −y·w, hessian w. @internal
 */
export function _growForest(X: Matrix, y01: Float64Array, p: Resolved): { trees: RegTree[]; features: Int32Array[] } {
  const n = X.nRows;
  const q = quantize(X, p.max_bin);
  const rand = mulberry32(p.seed);
  // lambda 0 makes leaves exact frequencies; eta 1/n_estimators makes the sum of trees their mean.
  const tp: TreeParams = {
    max_depth: p.max_depth,
    eta: 1 / p.n_estimators,
    gamma: 0,
    min_child_weight: p.min_child_weight,
    lambda: 0,
    alpha: 0,
  };
  const gh = new Float64Array(2 * n);
  const count = new Float64Array(n);
  const rows = new Int32Array(n);
  const draws = Math.max(1, Math.round(p.subsample * n));
  const trees: RegTree[] = [];
  const features: Int32Array[] = [];
  for (let t = 0; t < p.n_estimators; t++) {
    count.fill(0);
    if (p.bootstrap) for (let d = 0; d < draws; d++) count[Math.floor(rand() * n)] += 1;
    else for (let r = 0; r < n; r++) if (p.subsample >= 1 || rand() < p.subsample) count[r] = 1;
    let k = 0;
    for (let r = 0; r < n; r++) {
      const w = count[r];
      gh[2 * r] = -y01[r] * w;
      gh[2 * r + 1] = w;
      if (w > 0) rows[k++] = r;
    }
    // An empty Bernoulli sample (tiny n × subsample) falls back to every row.
    if (k === 0)
      for (let r = 0; r < n; r++) {
        gh[2 * r] = -y01[r];
        gh[2 * r + 1] = 1;
        rows[k++] = r;
      }
    const f = sampleFeatures(X.nCols, p.colsample, rand);
    trees.push(growTree(q, gh, rows, k, f, tp).tree);
    features.push(f);
  }
  return { trees, features };
}

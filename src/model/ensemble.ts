/**
 * AutoGluon's WeightedEnsemble_L2: Caruana et al. (2004) greedy ensemble selection with replacement
 * on validation predictions, as AutoGluon's `EnsembleSelection` does it (ensemble_size 25, its
 * `GreedyWeightedEnsembleModel` default): each round adds the model whose inclusion gives the
 * lowest regret (optimum − score) of the averaged probabilities; from round 2 on, regrets are
 * rounded to 6 decimals when the first one exceeds 1e-4; ties go to a model already in the
 * ensemble; the selection is cut back to its best round. Weights are pick counts / picks.
 * One deviation: remaining ties go to the lowest model index, not to a RandomState(0) draw.
 * Paper: Caruana, Niculescu-Mizil, Crew, Ksikes, "Ensemble Selection from Libraries of Models", ICML 2004.
 */
import type { Matrix } from "../util/matrix";
import { _probabilities } from "../eval/metrics";
import { checkBinaryLabels, checkFitted, type BinaryClassifier } from "./estimator";
import { scorer, type MetricName, type Scorer } from "../eval/scorer";

/** Options of {@link ensembleSelection}. */
export interface EnsembleSelectionOptions {
  /** Selection rounds, i.e. picks with replacement (default 25, AutoGluon's ensemble_size). */
  ensembleSize?: number;
  /** Metric to maximise (default "roc_auc"). */
  metric?: MetricName | Scorer;
}

/** Result of {@link ensembleSelection}. */
export interface EnsembleSelectionResult {
  /** Weight of each input model (pick count / picks kept); sums to 1. */
  weights: Float64Array;
  /** Model index picked in each kept round. */
  indices: number[];
  /** Ensemble score after each kept round (the last is the best). */
  trajectory: number[];
  /** Validation score of the weighted ensemble. */
  score: number;
}

const isClose = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b); // np.isclose(atol=0, rtol=1e-12)

/**
 * Greedy ensemble selection with replacement on per-model validation probabilities.
 * @example ensembleSelection([pLr, pGbt], yVal).weights // Float64Array [0.16, 0.84]
 */
export function ensembleSelection(
  predictions: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: EnsembleSelectionOptions = {},
): EnsembleSelectionResult {
  const { ensembleSize = 25, metric = "roc_auc" } = options;
  if (!Number.isInteger(ensembleSize) || ensembleSize < 1)
    throw new RangeError(`ensembleSize is invalid: ${ensembleSize} (expected an integer ≥ 1)`);
  if (!Array.isArray(predictions) || predictions.length === 0)
    throw new RangeError(`predictions is empty (expected one probability array per model)`);
  const y01 = checkBinaryLabels(y, y.length);
  const preds = predictions.map((p, j) => _probabilities(p, `predictions[${j}]`, y01.length));
  return _ensembleSelection(preds, y01, ensembleSize, scorer(metric));
}

/** Worker on validated inputs. @internal */
export function _ensembleSelection(
  preds: Float64Array[],
  y: Float64Array,
  ensembleSize: number,
  score: Scorer,
): EnsembleSelectionResult {
  const n = y.length,
    m = preds.length,
    optimum = score.optimum ?? 0;
  const sum = new Float64Array(n);
  const fant = new Float64Array(n);
  const order: number[] = [];
  const trajectory: number[] = [];
  const used = new Set<number>();
  let roundScores = false;
  for (let i = 0; i < ensembleSize; i++) {
    const s = order.length;
    const regrets = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const p = preds[j];
      for (let r = 0; r < n; r++) fant[r] = Math.min(1, (sum[r] + p[r]) / (s + 1));
      let regret = optimum - score.score(y, fant);
      if (roundScores) regret = Math.round(regret * 1e6) / 1e6;
      regrets[j] = Number.isFinite(regret) ? regret : Infinity;
    }
    const min = Math.min(...regrets);
    if (min === Infinity)
      throw new RangeError(`ensemble scores are all non-finite in round ${i} (expected a finite ${score.name})`);
    let best = Array.from(regrets.keys()).filter((j) => isClose(regrets[j], min));
    const again = best.filter((j) => used.has(j));
    if (again.length > 0) best = again; // prefer a model already in the ensemble: smaller ensembles
    const pick = best[0];
    let bestRegret = regrets[pick];
    if (i === 0 && Math.abs(bestRegret) > 1e-4) {
      roundScores = true;
      bestRegret = Math.round(bestRegret * 1e6) / 1e6;
    }
    for (let r = 0; r < n; r++) sum[r] += preds[pick][r];
    order.push(pick);
    trajectory.push(bestRegret);
    used.add(pick);
    if (m === 1) break;
  }
  // Keep the rounds up to the first best one (AutoGluon's use_best).
  const keep = trajectory.indexOf(Math.min(...trajectory)) + 1;
  const indices = order.slice(0, keep);
  const weights = new Float64Array(m);
  for (const j of indices) weights[j] += 1;
  for (let j = 0; j < m; j++) weights[j] /= keep;
  const scores = trajectory.slice(0, keep).map((regret) => optimum - regret);
  return { weights, indices, trajectory: scores, score: score.score(y, _weightedAverage(preds, weights)) };
}

/** Σ wⱼ pⱼ over models with non-zero weight, clipped to [0, 1] against rounding. @internal */
export function _weightedAverage(preds: ArrayLike<number>[], weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(preds.find((_, j) => weights[j] !== 0)?.length ?? 0);
  preds.forEach((p, j) => {
    const w = weights[j];
    if (w !== 0) for (let r = 0; r < out.length; r++) out[r] += w * p[r];
  });
  for (let r = 0; r < out.length; r++) out[r] = Math.min(1, Math.max(0, out[r]));
  return out;
}

/** Hyperparameters of {@link WeightedEnsemble}. */
export interface WeightedEnsembleParams extends EnsembleSelectionOptions {
  /** Leaderboard name (default "WeightedEnsemble_L2", AutoGluon's). */
  name?: string;
}

/**
 * A weighted average of already-fitted binary classifiers, weights chosen by greedy ensemble
 * selection on validation data: `fit(Xval, yVal)` (or `fitPredictions` when the validation
 * probabilities are already at hand).
 * @example const ens = new WeightedEnsemble([lr, gbt]).fit(Xval, yVal); ens.weightsByModel() // { LogisticRegression:
 * 0.12, XGBoost: 0.88 }
 */
export class WeightedEnsemble implements BinaryClassifier {
  readonly models: BinaryClassifier[];
  readonly params: WeightedEnsembleParams;
  /** Weight of each base model, aligned with `models`. */
  weights_?: Float64Array;
  /** Base model index picked in each kept round, and the validation score after it. */
  indices_?: number[];
  trajectory_?: number[];
  /** Validation score of the ensemble. */
  score_?: number;

  constructor(models: BinaryClassifier[], params: WeightedEnsembleParams = {}) {
    this.models = [...models];
    this.params = { ...params };
  }

  get name(): string {
    return this.params.name ?? "WeightedEnsemble_L2";
  }

  /** Choose weights on validation features and labels (the base models must be fitted); returns this. */
  fit(X: Matrix, y: ArrayLike<number>): this {
    return this.fitPredictions(
      this.models.map((model) => model.predictProba(X)),
      y,
    );
  }

  /** Choose weights from the base models' validation probabilities (one array per model, in order); returns this. */
  fitPredictions(predictions: ArrayLike<number>[], y: ArrayLike<number>): this {
    if (predictions.length !== this.models.length) {
      throw new RangeError(
        `predictions count is wrong: ${predictions.length} (expected one per model, ${this.models.length})`,
      );
    }
    const { ensembleSize, metric } = this.params;
    const result = ensembleSelection(predictions, y, { ensembleSize, metric });
    this.weights_ = result.weights;
    this.indices_ = result.indices;
    this.trajectory_ = result.trajectory;
    this.score_ = result.score;
    return this;
  }

  /** Weight per base model name. */
  weightsByModel(): Record<string, number> {
    const weights = checkFitted(this.weights_, this.name, "weightsByModel");
    return Object.fromEntries(this.models.map((model, j) => [model.name, weights[j]]));
  }

  /** Weighted average of the base models' probabilities; only models with non-zero weight are asked. */
  predictProba(X: Matrix): Float64Array {
    const weights = checkFitted(this.weights_, this.name, "predictProba");
    return this.combine(
      this.models.map((model, j) => (weights[j] !== 0 ? model.predictProba(X) : new Float64Array(0))),
    );
  }

  /** Combine per-model probabilities (arrays of unused models may be empty) with the learned weights. */
  combine(predictions: ArrayLike<number>[]): Float64Array {
    const weights = checkFitted(this.weights_, this.name, "combine");
    return _weightedAverage(predictions, weights);
  }
}

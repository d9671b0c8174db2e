/**
 * The project's gradient-boosted trees (src/gbt, XGBoost semantics) as a leaderboard model: the
 * `XGBoost` row of notebook 1.2. With `early_stopping_rounds`, the validation set the leaderboard
 * passes to `fit` stops boosting and prediction uses the best round, as AutoGluon's XGBoost model does.
 */
import type { Matrix } from "../util/matrix";
import type { EvalMetric } from "../eval/eval-metrics";
import { Booster, type BoosterParams } from "../gbt/train";
import { checkFitted, type BinaryClassifier, type ClassifierFitOptions } from "./estimator";

/** Hyperparameters of {@link GbtClassifier}: the Booster's (XGBoost names) plus these. */
export interface GbtClassifierParams extends Omit<BoosterParams, "objective" | "num_class"> {
  /** Rounds without eval-set improvement before stopping (default: none, all rounds). */
  early_stopping_rounds?: number;
  /** Eval-set metric for early stopping (default "logloss"). */
  eval_metric?: EvalMetric;
  /** Leaderboard name (default "XGBoost"). */
  name?: string;
}

/**
 * Binary gradient-boosted trees (`binary:logistic`) behind the leaderboard's classifier interface.
 * @example const gbt = new GbtClassifier({ max_depth: 5, eta: 0.2, num_round: 100 }).fit(X, y); gbt.predictProba(Xtest)
 */
export class GbtClassifier implements BinaryClassifier {
  readonly params: GbtClassifierParams;
  /** The trained booster. */
  booster_?: Booster;

  constructor(params: GbtClassifierParams = {}) {
    this.params = { ...params };
  }

  get name(): string {
    return this.params.name ?? "XGBoost";
  }

  /** Train the booster; with early_stopping_rounds, stop on options.evalSet. Returns this. */
  fit(X: Matrix, y: ArrayLike<number>, options: ClassifierFitOptions = {}): this {
    const { early_stopping_rounds, eval_metric, name: _name, ...booster } = this.params;
    const evalSet = early_stopping_rounds !== undefined ? options.evalSet : undefined;
    if (early_stopping_rounds !== undefined && !evalSet) {
      throw new RangeError(
        `evalSet is missing: early_stopping_rounds = ${early_stopping_rounds} (expected fit(X, y, {evalSet: [Xval, yVal]}))`,
      );
    }
    this.booster_ = new Booster({ ...booster, objective: "binary:logistic" }).fit(X, y, {
      evalSet,
      early_stopping_rounds,
      eval_metric,
    });
    return this;
  }

  /** P(y = 1) per row, from the best round when early stopping ran. */
  predictProba(X: Matrix): Float64Array {
    return Float64Array.from(checkFitted(this.booster_, this.name, "predictProba").predict(X));
  }
}

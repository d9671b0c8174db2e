/**
 * The baseline every leaderboard needs: predict the training positive rate for every row
 * (scikit-learn's `DummyClassifier(strategy="prior")`, AutoGluon's dummy model). Its ROC AUC is 0.5.
 */
import { checkMatrix, type Matrix } from "../util/matrix";
import { checkBinaryLabels, checkFitted, type BinaryClassifier } from "./estimator";

/** Hyperparameters of {@link PriorClassifier}. */
export interface PriorClassifierParams {
  /** Leaderboard name (default "Prior"). */
  name?: string;
}

/**
 * Predicts the class-1 rate seen at fit, whatever the features; missing values are fine.
 * @example new PriorClassifier().fit(X, [0, 1, 1, 1]).predictProba(X) // every row 0.75
 */
export class PriorClassifier implements BinaryClassifier {
  readonly params: PriorClassifierParams;
  /** Share of label 1 in the training rows. */
  prior_?: number;
  /** Feature count seen at fit. */
  nFeatures_?: number;

  constructor(params: PriorClassifierParams = {}) {
    this.params = { ...params };
  }

  get name(): string {
    return this.params.name ?? "Prior";
  }

  /** Learn the positive rate; returns this. */
  fit(X: Matrix, y: ArrayLike<number>): this {
    checkMatrix(X);
    const y01 = checkBinaryLabels(y, X.nRows);
    let pos = 0;
    for (let i = 0; i < y01.length; i++) pos += y01[i];
    this.prior_ = pos / y01.length;
    this.nFeatures_ = X.nCols;
    return this;
  }

  /** The training positive rate for every row of X. */
  predictProba(X: Matrix): Float64Array {
    const prior = checkFitted(this.prior_, this.name, "predictProba");
    checkMatrix(X, { nCols: this.nFeatures_ });
    return new Float64Array(X.nRows).fill(prior);
  }
}

/**
 * L2-regularised logistic regression, from scratch: features are standardised inside the model
 * (mean and population std of the training rows, like scikit-learn's StandardScaler; constant
 * columns get scale 1), then Newton-Raphson minimises scikit-learn's objective
 *   Σᵢ log(1 + exp(−sᵢ zᵢ)) + ‖w‖² / (2C),   zᵢ = b + w·x̃ᵢ   (the intercept b is not penalised),
 * solving the (d+1)×(d+1) Hessian system by Cholesky, with backtracking so every step lowers the
 * objective. At convergence the coefficients equal `LogisticRegression(C).fit(StandardScaler()…)`.
 */
import { checkMatrix, type Matrix } from "../util/matrix";
import { checkBinaryLabels, checkFitted, type BinaryClassifier } from "./estimator";

/** Hyperparameters of {@link LogisticRegression} (scikit-learn names). */
export interface LogisticRegressionParams {
  /** Inverse L2 strength: larger C, weaker penalty (default 1.0, like scikit-learn). */
  C?: number;
  /** Maximum Newton iterations (default 100). */
  max_iter?: number;
  /** Stop when the largest Newton step is below tol × (1 + largest |coefficient|) (default 1e-10). */
  tol?: number;
  /** Leaderboard name (default "LogisticRegression"). */
  name?: string;
}

const DEFAULTS = { C: 1.0, max_iter: 100, tol: 1e-10, name: "LogisticRegression" };

// log(1 + e^z) without overflow.
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Logistic regression with internal standardisation and an L2 penalty.
 * @example const lr = new LogisticRegression({ C: 1 }).fit(X, y); const p = lr.predictProba(Xtest)
 */
export class LogisticRegression implements BinaryClassifier {
  readonly params: LogisticRegressionParams;
  /** Training means of the features. */
  mean_?: Float64Array;
  /** Training population standard deviations (1 for constant columns). */
  scale_?: Float64Array;
  /** Coefficients on the standardised features. */
  coef_?: Float64Array;
  /** Intercept on the standardised features. */
  intercept_?: number;
  /** Newton iterations run, and whether the step tolerance was reached. */
  nIter_?: number;
  converged_?: boolean;
  /** Feature names seen at fit, when the matrix had them. */
  featureNames_?: string[];

  constructor(params: LogisticRegressionParams = {}) {
    this.params = { ...params };
  }

  get name(): string {
    return this.params.name ?? DEFAULTS.name;
  }

  /** Standardise X, then minimise the penalised log-loss by Newton-Raphson; returns this. */
  fit(X: Matrix, y: ArrayLike<number>): this {
    const { C, max_iter: maxIter, tol } = { ...DEFAULTS, ...this.params };
    if (!(C > 0) || !Number.isFinite(C)) throw new RangeError(`C is invalid: ${C} (expected a finite number > 0)`);
    if (!Number.isInteger(maxIter) || maxIter < 1)
      throw new RangeError(`max_iter is invalid: ${maxIter} (expected an integer ≥ 1)`);
    checkMatrix(X, { allowNaN: false });
    const y01 = checkBinaryLabels(y, X.nRows);
    const { mean, scale } = standardiser(X);
    const Z = standardise(X, mean, scale);
    const { theta, nIter, converged } = _newton(Z, X.nRows, X.nCols, y01, C, maxIter, tol);
    this.mean_ = mean;
    this.scale_ = scale;
    this.coef_ = theta.slice(0, X.nCols);
    this.intercept_ = theta[X.nCols];
    this.nIter_ = nIter;
    this.converged_ = converged;
    this.featureNames_ = X.columns ? [...X.columns] : undefined;
    return this;
  }

  /** P(y = 1) for every row of X. */
  predictProba(X: Matrix): Float64Array {
    const coef = checkFitted(this.coef_, this.name, "predictProba");
    const mean = this.mean_ as Float64Array,
      scale = this.scale_ as Float64Array,
      b = this.intercept_ as number;
    checkMatrix(X, { allowNaN: false, nCols: coef.length });
    const d = coef.length;
    const out = new Float64Array(X.nRows);
    for (let r = 0; r < X.nRows; r++) {
      let z = b;
      for (let j = 0, o = r * d; j < d; j++) z += (coef[j] * (X.data[o + j] - mean[j])) / scale[j];
      out[r] = sigmoid(z);
    }
    return out;
  }
}

/** Column means and population standard deviations (two-pass); zero std becomes 1. */
function standardiser(X: Matrix): { mean: Float64Array; scale: Float64Array } {
  const { data, nRows: n, nCols: d } = X;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) scale[j] += (data[r * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(scale[j] / n);
    // StandardScaler's rule: a (near-)constant column is centred but not scaled.
    scale[j] = s < 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j])) ? 1 : s;
  }
  return { mean, scale };
}

function standardise(X: Matrix, mean: Float64Array, scale: Float64Array): Float64Array {
  const { data, nRows: n, nCols: d } = X;
  const Z = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) Z[r * d + j] = (data[r * d + j] - mean[j]) / scale[j];
  return Z;
}

/** Penalised objective at theta = [w, b]; fills z with the margins. */
function objective(
  Z: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  C: number,
  theta: Float64Array,
  z: Float64Array,
): number {
  let f = 0;
  for (let r = 0; r < n; r++) {
    let m = theta[d];
    for (let j = 0, o = r * d; j < d; j++) m += theta[j] * Z[o + j];
    z[r] = m;
    f += softplus(m) - y[r] * m;
  }
  let w2 = 0;
  for (let j = 0; j < d; j++) w2 += theta[j] * theta[j];
  return f + w2 / (2 * C);
}

/**
 * Newton-Raphson on standardised rows Z (n × d) with an unpenalised intercept (internal worker).
 * @internal
 */
export function _newton(
  Z: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  C: number,
  maxIter: number,
  tol: number,
): { theta: Float64Array; nIter: number; converged: boolean } {
  const k = d + 1;
  const theta = new Float64Array(k);
  const z = new Float64Array(n);
  const g = new Float64Array(k);
  const H = new Float64Array(k * k);
  const trial = new Float64Array(k);
  const zTrial = new Float64Array(n);
  let f = objective(Z, n, d, y, C, theta, z);
  for (let iter = 1; iter <= maxIter; iter++) {
    // Gradient Zᵀ(p − y) + w/C and Hessian Zᵀ diag(p(1 − p)) Z + I/C, intercept as column d.
    g.fill(0);
    H.fill(0);
    for (let r = 0; r < n; r++) {
      const p = sigmoid(z[r]);
      const e = p - y[r];
      const h = p * (1 - p);
      const o = r * d;
      for (let a = 0; a < k; a++) {
        const za = a < d ? Z[o + a] : 1;
        g[a] += e * za;
        const hza = h * za;
        for (let c = a; c < k; c++) H[a * k + c] += hza * (c < d ? Z[o + c] : 1);
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] += theta[j] / C;
      H[j * k + j] += 1 / C;
    }
    for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) H[a * k + c] = H[c * k + a];
    const step = choleskySolve(H, g, k);
    // Backtracking: halve the step until the objective does not increase.
    let t = 1;
    let fNew = f;
    for (let halvings = 0; halvings < 50; halvings++, t /= 2) {
      for (let a = 0; a < k; a++) trial[a] = theta[a] - t * step[a];
      fNew = objective(Z, n, d, y, C, trial, zTrial);
      if (fNew <= f) break;
    }
    let maxStep = 0,
      maxTheta = 0;
    for (let a = 0; a < k; a++) {
      maxStep = Math.max(maxStep, Math.abs(t * step[a]));
      maxTheta = Math.max(maxTheta, Math.abs(trial[a]));
    }
    if (fNew > f) return { theta, nIter: iter, converged: false };
    theta.set(trial);
    z.set(zTrial);
    f = fNew;
    if (maxStep <= tol * (1 + maxTheta)) return { theta, nIter: iter, converged: true };
  }
  return { theta, nIter: maxIter, converged: false };
}

/** Solve A x = b for a symmetric positive-definite A (k × k, row-major) by Cholesky, A = L Lᵀ. */
function choleskySolve(A: Float64Array, b: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      if (i === j) {
        // Saturated probabilities can make the intercept's curvature vanish; keep the pivot positive.
        L[i * k + i] = Math.sqrt(Math.max(s, 1e-12));
      } else {
        L[i * k + j] = s / L[j * k + j];
      }
    }
  }
  const x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * x[m];
    x[i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m];
    x[i] = s / L[i * k + i];
  }
  return x;
}

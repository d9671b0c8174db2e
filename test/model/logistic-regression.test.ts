import assert from "node:assert/strict";
import { LogisticRegression } from "../../src/model/logistic-regression";
import { NotFittedError } from "../../src/util/errors";
import { churnSplit, referenceAuc } from "./churn-split";
import { reference } from "../helpers/reference";

// scikit-learn 1.9.1 on the churn split below: test/fixtures/reference/logistic_regression.json, made by
// make_logistic_regression.py:
//   sc = StandardScaler().fit(Xtrain)
//   m = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12).fit(sc.transform(Xtrain), ytrain)
// (lbfgs with tol=1e-12 gives the same optimum to 1e-6; the default lbfgs tol=1e-4 stops early, up to
// 8.0e-3 away on coef[10], with test AUC 0.9569969912297548: JSON "lbfgsTol1e-12" and "lbfgsDefaultTol".)
const SK = reference("logistic_regression");
const SK_MEAN: number[] = SK.mean;
const SK_SCALE: number[] = SK.scale;
const SK_COEF: number[] = SK.coef;
const SK_INTERCEPT: number = SK.intercept;
const SK_VAL_AUC: number = SK.validationAuc;
const SK_TEST_AUC: number = SK.testAuc;
const SK_TEST_P5: number[] = SK.testProbaHead;

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe("LogisticRegression", () => {
  const { train, validation, test } = churnSplit();
  const lr = new LogisticRegression().fit(train.X, train.y);

  it("standardises with the training mean and population std, like StandardScaler", () => {
    assert.deepEqual(lr.featureNames_, SK.columns, "the same 19 features in the same order as the reference");
    assert.ok(maxAbsDiff(lr.mean_!, SK_MEAN) < 1e-9, `mean off by ${maxAbsDiff(lr.mean_!, SK_MEAN)}`);
    assert.ok(maxAbsDiff(lr.scale_!, SK_SCALE) < 1e-9, `scale off by ${maxAbsDiff(lr.scale_!, SK_SCALE)}`);
  });

  it("converges to scikit-learn's C=1.0 coefficients on the churn split", () => {
    assert.equal(lr.converged_, true, "Newton converged");
    assert.ok(lr.nIter_! <= 20, `few Newton iterations: ${lr.nIter_}`);
    const d = maxAbsDiff(lr.coef_!, SK_COEF);
    assert.ok(d < 1e-4, `coef max |diff| ${d}`);
    assert.ok(Math.abs(lr.intercept_! - SK_INTERCEPT) < 1e-4, `intercept ${lr.intercept_} vs ${SK_INTERCEPT}`);
  });

  it("predicts scikit-learn's probabilities and AUCs on validation and test", () => {
    const pt = lr.predictProba(test.X);
    assert.ok(
      maxAbsDiff(pt.subarray(0, 5), SK_TEST_P5) < 1e-6,
      `first test probabilities ${Array.from(pt.subarray(0, 5))}`,
    );
    const testAuc = referenceAuc(test.y, pt);
    const valAuc = referenceAuc(validation.y, lr.predictProba(validation.X));
    assert.ok(Math.abs(testAuc - SK_TEST_AUC) < 1e-6, `test AUC ${testAuc} vs ${SK_TEST_AUC}`);
    assert.ok(Math.abs(valAuc - SK_VAL_AUC) < 1e-6, `validation AUC ${valAuc} vs ${SK_VAL_AUC}`);
  });

  it("weakens the penalty as C grows", () => {
    const norm = (m: LogisticRegression) => Math.hypot(...m.coef_!);
    const strong = new LogisticRegression({ C: 0.01 }).fit(train.X, train.y);
    const weak = new LogisticRegression({ C: 100 }).fit(train.X, train.y);
    assert.ok(norm(strong) < norm(lr) && norm(lr) < norm(weak), `‖w‖: ${norm(strong)} < ${norm(lr)} < ${norm(weak)}`);
  });

  it("centres constant columns without scaling them and gives them zero weight", () => {
    const n = 6,
      X = new Float64Array(n * 2),
      y = new Float64Array([0, 0, 1, 0, 1, 1]);
    for (let r = 0; r < n; r++) {
      X[2 * r] = r;
      X[2 * r + 1] = 7;
    }
    const m = new LogisticRegression().fit({ data: X, nRows: n, nCols: 2 }, y);
    assert.equal(m.scale_![1], 1, "constant column scale");
    assert.equal(m.coef_![1], 0, "constant column coefficient");
    assert.ok(m.coef_![0] > 0, "informative column has positive weight");
  });

  it("returns this from fit, and refitting forgets the earlier fit", () => {
    const m = new LogisticRegression();
    assert.equal(m.fit(train.X, train.y), m, "fit returns this");
    const small = { data: new Float64Array([0, 1, 2, 3]), nRows: 4, nCols: 1 };
    m.fit(small, [0, 0, 1, 1]);
    assert.equal(m.coef_!.length, 1, "coefficients of the new fit");
    assert.equal(m.featureNames_, undefined, "no names from the unnamed matrix");
  });

  it("throws NotFittedError when predicting before fit", () => {
    assert.throws(
      () => new LogisticRegression().predictProba(test.X),
      (e: Error) =>
        e instanceof NotFittedError &&
        /LogisticRegression is not fitted yet: call fit\(\) before predictProba\(\)/.test(e.message),
      "not fitted",
    );
  });

  it("rejects NaN features, naming the feature, its column and the row", () => {
    const X = churnSplit().train.X;
    X.data[17 * X.nCols + 2] = NaN;
    assert.throws(
      () => new LogisticRegression().fit(X, train.y),
      {
        name: "RangeError",
        message: 'feature 2 ("Day Mins") has NaN at row 17 (expected no missing values; impute first)',
      },
      "NaN in fit",
    );
    const Xt = churnSplit().test.X;
    Xt.data[3 * Xt.nCols + 0] = NaN;
    assert.throws(() => lr.predictProba(Xt), /feature 0 \("Account Length"\) has NaN at row 3/, "NaN in predictProba");
  });

  it("rejects non-binary labels, mismatched lengths, wrong widths and a bad C", () => {
    const y = Float64Array.from(train.y);
    y[5] = 2;
    assert.throws(
      () => new LogisticRegression().fit(train.X, y),
      { message: "y[5] is not a binary label: 2 (expected 0 or 1; use labelToBinary first)" },
      "label 2",
    );
    assert.throws(
      () => new LogisticRegression().fit(train.X, train.y.subarray(1)),
      { name: "RangeError", message: "y and X have different lengths: 3999 vs 4000 rows (expected one label per row)" },
      "lengths",
    );
    const narrow = { data: new Float64Array(4), nRows: 2, nCols: 2 };
    assert.throws(
      () => lr.predictProba(narrow),
      /X has the wrong number of features: 2 \(expected 19, as at fit\)/,
      "width",
    );
    assert.throws(
      () => new LogisticRegression({ C: 0 }).fit(train.X, train.y),
      /C is invalid: 0 \(expected a finite number > 0\)/,
      "C",
    );
    assert.throws(
      () => new LogisticRegression().fit({ data: new Float64Array(3), nRows: 2, nCols: 2 }, [0, 1]),
      /X data length is wrong: 3/,
      "ragged",
    );
  });
});

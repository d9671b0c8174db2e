/**
 * The Python workshop's numbers (gonsoomoon-ml/ml-data-prep-workshop at 4149fae, and the AWS churn sample
 * its notebook 1.1 follows), each with where it was printed. Section names (A.0, A.3, A.5, A.6) refer to
 * the workshop inventory they were taken from; "[reconstructed]" marks the values of the workshop's missing
 * notebook 1.1 that are inferred.
 */

/** The workshop's numbers, each as printed; {@link WORKSHOP_SOURCES} says where. */
export const WORKSHOP_CHURN = Object.freeze({
  rows: 5000,
  columns: 21,
  classBalance: { positive: 2498, negative: 2502 },
  alerts: { HIGH_CARDINALITY: 2, UNIFORM: 1, UNIQUE: 8, ZEROS: 4 } as Record<string, number>,
  strongest: { a: "Day Mins", b: "Eve Charge", r: 0.766 },
  intlPlanNo: { "False.": 0.5, "True.": 0.5028 },
  splits: { train: 4000, validation: 500, test: 500 },
  firstRows: [340, 3961, 561, 3623, 2427],
  test: { zeros: 246, ones: 254 },
  /** [reconstructed] pd.get_dummies of the two plans without drop_first: 17 + 2 columns. */
  features: 19,
  referenceCutoff: { threshold: 0.37, cost: 29200 },
  autogluon: {
    models: [
      "WeightedEnsemble_L2",
      "XGBoost",
      "LightGBM",
      "CatBoost",
      "LightGBMXT",
      "LightGBMLarge",
      "ExtraTreesEntr",
      "ExtraTreesGini",
    ],
    xgboost: { val: 0.991582, test: 0.993342 },
    ensemble: { val: 0.993326, test: 0.9937904103450483 },
    bestSingleVal: { model: "CatBoost", score: 0.992526 },
    accuracy: 0.962,
    balancedAccuracy: 0.9616381793739197,
    f1: 0.9633911368015414,
    confusion: [
      [231, 15],
      [4, 250],
    ],
    predictionSet: [
      { row_id: 31, score: 952, pred: 1 },
      { row_id: 2327, score: 23, pred: 0 },
    ],
    topFeature: { feature: "Night Calls", importance: 0.087 },
    fitSeconds: 15.0,
  },
});

/** Where each reference number was printed (sections of the workshop inventory). */
export const WORKSHOP_SOURCES = Object.freeze({
  data: "A.0: churn.txt, info() and value_counts()",
  profile: "A.0: pandas-profiling 2.11.0 warnings (chun_profile_warning.png)",
  corr: "A.0: churn.corr(), strongest pair",
  crosstab: "A.5 step 5: pd.crosstab(normalize='columns')",
  split: "A.6 step 6: np.split(sample(frac=1, random_state=1024), [4000, 4500])",
  features: "A.4 step 6 [reconstructed]: get_dummies of the two plans",
  trainer: "A.3: tabular/src/train_xgb.py",
  autogluon: "A.6 step 12: AutoGluon 0.3.1 leaderboard on the same split",
  evaluate: "A.6 steps 9 and 11: evaluate_predictions, compute_f1",
  predictionSet: "A.6 step 10: get_prediction_set(threshold=500)",
  importance: "A.6 step 13: feature_importance(test_data), read from the plot",
  cost: "A.5 step 16: cost sweep on the AWS sample's own split",
  env: "workshop header and A.1: conda_python3 kernel, pip installs",
} as const);

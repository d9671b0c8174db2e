/**
 * Notebook 1.2's "workshop vs here" rows: the leaderboard, the weighted ensemble and the best model's test
 * metrics against AutoGluon's on the same split.
 */
import {
  _aucRow,
  _eq,
  _f,
  _n,
  _onOtherTestSet,
  _otherData,
  _predictionRows,
  _sameOr,
  WorkshopComparison,
  type ComparisonRow,
  type PredictionSetInput,
} from "./comparison-table";
import { WORKSHOP_CHURN, WORKSHOP_SOURCES } from "./workshop-reference";

/** What notebook 1.2 measured: its results.json plus values taken from its cells. */
export interface LeaderboardMeasured {
  source: string;
  best: string;
  test: { auc: number; accuracy: number; f1: number; confusion: number[][] };
  leaderboard: readonly {
    model: string;
    score_val: number;
    score_test: number;
    fit_time: number;
    weights?: Record<string, number> | null;
  }[];
  /** `explainEnsemble(board, validation)`: its text says why the ensemble is what it is. */
  ensemble?: { singleModel: boolean; text: string };
  /** The prediction set with row ids (rows 31 and 2327 are compared). */
  predictionSet?: PredictionSetInput;
  /** Permutation importance, most important first. */
  importance?: { rows: readonly { feature: string; importance: number }[] };
}

/** Rows of notebook 1.2. @internal */
export function _leaderboardComparison(m: LeaderboardMeasured): WorkshopComparison {
  const A = WORKSHOP_CHURN.autogluon;
  const data = _otherData();
  const c = m.test.confusion;
  const counts = { zeros: c[0][0] + c[0][1], ones: c[1][0] + c[1][1] };
  const byName = new Map(m.leaderboard.map((r) => [r.model, r]));
  const xgb = byName.get("XGBoost");
  const ens = byName.get("WeightedEnsemble_L2");
  const engine =
    "Both are boosted trees with learning rate 0.1 stopped early on validation: AutoGluon's xgboost 1.4.2, and this " +
    "project's engine here (split finding, base score and stopping rules differ in detail).";
  const weights = ens?.weights
    ? Object.entries(ens.weights)
        .filter(([, w]) => w > 0)
        .map(([k, w]) => `${k}: ${Number(w.toFixed(4))}`)
        .join(", ")
    : "";
  const recall = counts.ones ? c[1][1] / counts.ones : 0;
  const specificity = counts.zeros ? c[0][0] / counts.zeros : 0;
  const balanced = (recall + specificity) / 2;
  const fitTotal = m.leaderboard.filter((r) => r.model !== "WeightedEnsemble_L2").reduce((s, r) => s + r.fit_time, 0);
  const top = m.importance?.rows[0];
  const models = m.leaderboard.map((r) => r.model);
  const rows: ComparisonRow[] = [
    _sameOr(
      {
        step: "Split",
        what: "test labels: 0 / 1",
        workshop: `${WORKSHOP_CHURN.test.zeros} / ${WORKSHOP_CHURN.test.ones}`,
        here: `${counts.zeros} / ${counts.ones}`,
        source: WORKSHOP_SOURCES.split,
      },
      counts.zeros === WORKSHOP_CHURN.test.zeros && counts.ones === WORKSHOP_CHURN.test.ones,
      data,
    ),
    {
      step: "Fit",
      what: "models",
      workshop: A.models.join(", "),
      here: models.join(", "),
      status: "replaced",
      why:
        "LightGBM, CatBoost and ExtraTrees have no TypeScript version here; the workshop excluded KNN, NN, FastAI and RF. " +
        "Here: boosted trees, a random forest on the same tree code, logistic regression and a prior baseline",
      source: WORKSHOP_SOURCES.autogluon,
    },
    _aucRow(
      { step: "Fit", what: "XGBoost test ROC AUC", workshop: _f(A.xgboost.test), source: WORKSHOP_SOURCES.autogluon },
      A.xgboost.test,
      xgb?.score_test,
      counts,
      engine,
    ),
    _aucRow(
      {
        step: "Ensemble",
        what: "WeightedEnsemble_L2 test ROC AUC",
        workshop: _f(A.ensemble.test),
        source: WORKSHOP_SOURCES.autogluon,
      },
      A.ensemble.test,
      ens?.score_test,
      counts,
      "AutoGluon blended models that make different errors; see the weights below.",
    ),
    {
      step: "Ensemble",
      what: "WeightedEnsemble_L2 weights",
      workshop: `a blend: validation ${_f(A.ensemble.val)} above its best single model (${A.bestSingleVal.model} ${_f(A.bestSingleVal.score)})`,
      here: weights || "no ensemble",
      status: weights.includes(",") ? "close" : "differs",
      why: m.ensemble?.text ?? "",
      source: WORKSHOP_SOURCES.autogluon,
    },
    _aucRow(
      {
        step: "Evaluate",
        what: "best model: test ROC AUC",
        workshop: _f(A.ensemble.test),
        source: WORKSHOP_SOURCES.evaluate,
      },
      A.ensemble.test,
      m.test.auc,
      counts,
      `${m.best} here, AutoGluon's ensemble there.`,
    ),
  ];
  const confusionSame = JSON.stringify(c) === JSON.stringify(A.confusion);
  const errors = (x: number[][]) => x[0][1] + x[1][0];
  rows.push(
    _sameOr(
      {
        step: "Evaluate",
        what: "confusion matrix at 0.5 [[TN, FP], [FN, TP]]",
        workshop: JSON.stringify(A.confusion),
        here: JSON.stringify(c),
        source: WORKSHOP_SOURCES.evaluate,
      },
      confusionSame,
      `${errors(c)} errors here against ${errors(A.confusion)}: ${m.best} here, AutoGluon's ensemble there`,
    ),
    _sameOr(
      {
        step: "Evaluate",
        what: "accuracy / F1",
        workshop: `${_f(A.accuracy, 3)} / ${_f(A.f1, 4)}`,
        here: `${_f(m.test.accuracy, 3)} / ${_f(m.test.f1, 4)}`,
        source: WORKSHOP_SOURCES.evaluate,
      },
      _eq(m.test.accuracy, A.accuracy, 5e-4) && _eq(m.test.f1, A.f1, 5e-5),
      "they follow the confusion matrix above",
    ),
    _sameOr(
      {
        step: "Evaluate",
        what: "compute_f1's 'ROC_AUC' (hard labels = balanced accuracy)",
        workshop: `${_f(A.balancedAccuracy, 4)} (printed -0.962)`,
        here: _f(balanced, 4),
        source: WORKSHOP_SOURCES.evaluate,
      },
      _eq(balanced, A.balancedAccuracy, 5e-5),
      "it follows the confusion matrix above",
    ),
    ..._predictionRows("Evaluate", m.predictionSet, m.best),
    _sameOr(
      {
        step: "Explain",
        what: "most important feature (permutation, test AUC drop)",
        workshop: `${A.topFeature.feature} ≈${A.topFeature.importance}`,
        here: top ? `${top.feature} ${_f(top.importance, 3)}` : "",
        source: WORKSHOP_SOURCES.importance,
      },
      top?.feature === A.topFeature.feature,
      "another model ranks the features differently",
      top !== undefined,
    ),
    {
      step: "Fit",
      what: "fit time of the base models",
      workshop: `${A.fitSeconds.toFixed(1)} s (7 models, ml.t3.xlarge)`,
      here: `${fitTotal.toFixed(1)} s (${m.leaderboard.length - 1} models, this machine)`,
      status: "not comparable",
      why: "other models on another machine",
      source: WORKSHOP_SOURCES.autogluon,
    },
  );
  const workshopData = counts.zeros === WORKSHOP_CHURN.test.zeros && counts.ones === WORKSHOP_CHURN.test.ones;
  const apart = new Set(["test labels: 0 / 1", "models", "WeightedEnsemble_L2 weights"]);
  return new WorkshopComparison(
    "Workshop vs here: notebook 1.2 (AutoGluon leaderboard)",
    rows.map((r) => (apart.has(r.what) ? r : _onOtherTestSet([r], workshopData, data)[0])),
  );
}

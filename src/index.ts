// ml-dataprep-ts: one import for every notebook, `import { ... } from "ml-dataprep-ts"`.
// One line per module, grouped by layer and workshop track.

// shared: util
export * from "./util/paths";
export * from "./util/versions";
export * from "./util/errors";

// shared: display (the only layer that talks to the kernel)
export * from "./display/index";

// shared: io
export * from "./io/atomic";
export * from "./io/download";

// tabular
export * from "./tabular/load-churn";
export * from "./tabular/synthetic-churn";
export * from "./tabular/read-table";
export * from "./tabular/column-names";
export * from "./tabular/random";
export * from "./tabular/clean";
export * from "./tabular/split";
export * from "./tabular/compare-splits";
export * from "./tabular/preparation";
export * from "./tabular/write-splits";
export * from "./tabular/alerts";
export * from "./tabular/correlation-matrix";
export * from "./tabular/correlations";
export * from "./tabular/column-stats";
export * from "./tabular/profile";
export * from "./tabular/profile-report";
export * from "./tabular/prep-results";
export * from "./tabular/strongest-correlations";
export * from "./tabular/prepare-splits";

// gbt: engine
export * from "./gbt/model";
export * from "./gbt/matrix";
export * from "./gbt/quantize";
export * from "./gbt/train";
export * from "./gbt/predict";
export * from "./gbt/eval-metrics";
export * from "./gbt/xgboost-json";
export * from "./gbt/inference";

// gbt: explanation
export * from "./gbt/tree-shap";
export * from "./gbt/importance";
export * from "./gbt/shap-charts";

// gbt: evaluation
export * from "./gbt/metrics";
export * from "./gbt/threshold";
export * from "./gbt/eval-charts";
export * from "./gbt/evaluate";

// gbt: leaderboard (notebook 1.2)
export * from "./model/estimator";
export * from "./model/scorer";
export * from "./model/logistic-regression";
export * from "./model/prior";
export * from "./model/gbt-classifier";
export * from "./model/random-forest";
export * from "./model/ensemble";
export * from "./model/leaderboard";

// TEMP (wt-e, issue 9 section 6): the lead folds these into the curated list.
export { GBT_PRESETS, gbtPreset, type GbtPreset, type GbtPresetName } from "./gbt/presets";
export {
  crosstab,
  type Crosstab,
  type Crosstabs,
  type CrosstabNormalize,
  type CrosstabOptions,
  type CrosstabsOptions,
  type ReportCrosstabOptions,
} from "./tabular/crosstab";
export { explainEnsemble, type EnsembleBlend, type EnsembleExplanation } from "./model/explain-ensemble";
export {
  aucStandardError,
  WorkshopComparison,
  type ComparisonRow,
  type ComparisonStatus,
  type PredictionSetInput,
  type PredictionSetRecord,
} from "./tabular/comparison-table";
export { WORKSHOP_CHURN, WORKSHOP_SOURCES } from "./tabular/workshop-reference";
export { workshopComparison } from "./tabular/workshop-comparison";
export type { ChurnPrepMeasured } from "./tabular/churn-prep-comparison";
export type { LeaderboardMeasured } from "./tabular/leaderboard-comparison";

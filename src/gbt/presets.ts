/**
 * Named hyperparameter sets for the churn model, each with where it comes from. The workshop's
 * notebook 1.1 is missing from its repository; two sets have a claim to be "the workshop's":
 *
 * - `workshop-train-xgb`: the workshop's own SageMaker script-mode trainer `tabular/src/train_xgb.py`,
 *   `XGBClassifier(max_depth=4, early_stopping_rounds=10, eval_metric="auc")` with every other setting
 *   xgboost 1.x's default (eta 0.3, 100 rounds). Its `fit` got no eval set, so no early stopping happened.
 * - `aws-builtin-xgboost`: AWS's built-in-algorithm churn sample (`xgboost_customer_churn`, the notebook
 *   the workshop's 1.1 follows): max_depth 5, eta 0.2, gamma 4, min_child_weight 6, subsample 0.8,
 *   100 rounds; it watched a validation set but never stopped early.
 */
import type { BoosterParams } from "./train";

/** The preset names. */
export type GbtPresetName = "workshop-train-xgb" | "aws-builtin-xgboost";

/** A hyperparameter set and its provenance. */
export interface GbtPreset {
  name: GbtPresetName;
  /** One line: whose settings these are. */
  title: string;
  /** Where the values are written (file, notebook, cell), so they can be checked. */
  source: string;
  /** Booster hyperparameters, XGBoost names; unset ones are XGBoost's defaults, as in the source. */
  hyperparameters: Readonly<BoosterParams>;
  /** Early stopping as it happened in the source: rounds, or null when every round was kept. */
  early_stopping_rounds: number | null;
  /** What the source did that a reader could misread. */
  note: string;
}

/** Both presets, by name. */
export const GBT_PRESETS: Readonly<Record<GbtPresetName, GbtPreset>> = Object.freeze({
  "workshop-train-xgb": Object.freeze({
    name: "workshop-train-xgb",
    title: "the workshop's script-mode trainer train_xgb.py",
    source:
      "gonsoomoon-ml/ml-data-prep-workshop tabular/src/train_xgb.py: XGBClassifier(objective='binary:logistic', max_depth=4), xgboost 1.x defaults otherwise",
    hyperparameters: Object.freeze({ objective: "binary:logistic", max_depth: 4, eta: 0.3, num_round: 100 } as const),
    early_stopping_rounds: null,
    note: "asks for early_stopping_rounds=10 on AUC but fits without an eval set, so all 100 rounds are kept (xgboost ≤ 1.5 ignores it; ≥ 1.6 raises); the 'AUC' it prints is cls.score(), the accuracy",
  }),
  "aws-builtin-xgboost": Object.freeze({
    name: "aws-builtin-xgboost",
    title: "AWS's built-in-algorithm churn sample (xgboost_customer_churn)",
    source:
      "aws/amazon-sagemaker-examples introduction_to_applying_machine_learning/xgboost_customer_churn (Korean copy mullue/churn-pred-xgboost), estimator.set_hyperparameters",
    hyperparameters: Object.freeze({
      objective: "binary:logistic",
      max_depth: 5,
      eta: 0.2,
      gamma: 4,
      min_child_weight: 6,
      subsample: 0.8,
      num_round: 100,
    } as const),
    early_stopping_rounds: null,
    note: "the SageMaker built-in container trained on a 70/20/10 split (seed 1729) with 99 features (State and Area Code one-hot); it logged the validation error for all 100 rounds",
  }),
});

/**
 * A preset by name.
 * @example new Booster({ ...gbtPreset("workshop-train-xgb").hyperparameters, seed: 1024 })
 */
export function gbtPreset(name: GbtPresetName | (string & {})): GbtPreset {
  if (typeof name !== "string" || !Object.hasOwn(GBT_PRESETS, name)) {
    throw new RangeError(
      `GBT preset unknown: ${JSON.stringify(name)} (expected one of ${Object.keys(GBT_PRESETS)
        .map((n) => JSON.stringify(n))
        .join(", ")})`,
    );
  }
  return GBT_PRESETS[name as GbtPresetName];
}

/**
 * "Workshop vs here": the numbers the Python workshop printed next to what a notebook here measured,
 * with why they differ where they do. Each notebook ends with `workshopComparison(<notebook>, results)`.
 * The reference numbers are in workshop-reference.ts, the table in comparison-table.ts, the rows of each
 * notebook in churn-prep-comparison.ts and leaderboard-comparison.ts.
 */
import type { EnvironmentVersions } from "../util/versions";
import { WorkshopComparison, type ComparisonRow } from "./comparison-table";
import { _churnPrepComparison, type ChurnPrepMeasured } from "./churn-prep-comparison";
import { _leaderboardComparison, type LeaderboardMeasured } from "./leaderboard-comparison";
import { WORKSHOP_SOURCES } from "./workshop-reference";

function environment(v: EnvironmentVersions): WorkshopComparison {
  const row = (what: string, workshop: string, here: string, why: string): ComparisonRow => ({
    step: "Environment",
    what,
    workshop,
    here,
    status: "replaced",
    why,
    source: WORKSHOP_SOURCES.env,
  });
  return new WorkshopComparison("Workshop vs here: the environment (workshop notebook 0.1)", [
    row(
      "kernel",
      "conda_python3 (Python 3.6), SageMaker notebook instance ml.t3.xlarge",
      `tslab ${v.tslab} (TypeScript ${v.tslabTypeScript}) on Node ${v.node}`,
      "TypeScript cells run locally; no AWS account",
    ),
    row(
      "data frames",
      "pandas 1.1.5, numpy 1.19.5",
      `nodejs-polars ${v.nodejsPolars}`,
      "numpy's RandomState is reimplemented, so splits are row for row the same",
    ),
    row(
      "profiling",
      "pandas-profiling 2.11.0",
      'profileReport, preset "pandas-profiling-2.11"',
      "the same alert rules and thresholds",
    ),
    row(
      "boosted trees",
      "xgboost 1.4.2, SageMaker XGBoost container",
      "Booster (src/gbt), XGBoost JSON models",
      "a TypeScript engine with XGBoost's names; its models load in Python xgboost",
    ),
    row(
      "AutoML",
      "autogluon 0.3.1 (mxnet 1.9.0)",
      "fitLeaderboard (src/model)",
      "fewer model families, the same ensemble selection",
    ),
    row("explanations", "shap 0.40.0", "treeShap (exact TreeSHAP)", "the same algorithm"),
    row(
      "notebook UI",
      "Jupyter on SageMaker",
      `JupyterLab ${v.jupyterlab}`,
      "local JupyterLab with this project's kernel",
    ),
  ]);
}

/**
 * The "workshop vs here" table of a notebook: the workshop's numbers, this run's, and why they differ.
 * @example workshopComparison("1.1", { ...modelResults, strongest, firstRows, crosstabs, predictionSet })
 * @example workshopComparison("1.2", { ...results, ensemble: explainEnsemble(board, data.validation) })
 * @example workshopComparison("0", environmentVersions())
 */
export function workshopComparison(notebook: "1.1", measured: ChurnPrepMeasured): WorkshopComparison;
export function workshopComparison(notebook: "1.2", measured: LeaderboardMeasured): WorkshopComparison;
export function workshopComparison(notebook: "0", measured: EnvironmentVersions): WorkshopComparison;
export function workshopComparison(
  notebook: "0" | "1.1" | "1.2",
  measured: ChurnPrepMeasured | LeaderboardMeasured | EnvironmentVersions,
): WorkshopComparison {
  if (measured === null || typeof measured !== "object")
    throw new TypeError(`measured is not an object: ${String(measured)} (expected the notebook's results)`);
  if (notebook === "1.1") return _churnPrepComparison(measured as ChurnPrepMeasured);
  if (notebook === "1.2") return _leaderboardComparison(measured as LeaderboardMeasured);
  if (notebook === "0") return environment(measured as EnvironmentVersions);
  throw new RangeError(`notebook unknown: ${JSON.stringify(notebook)} (expected "0", "1.1" or "1.2")`);
}

/**
 * The leaderboard of the workshop's notebook 1.2 (AutoGluon's `predictor.leaderboard(test_data)`):
 * fit every model on train (validation passed for early stopping), time fit and prediction, score
 * validation and test, add AutoGluon's WeightedEnsemble_L2 chosen on the validation predictions,
 * and sort by score_val. Scores are "higher is better" (see scorer.ts); times are seconds.
 * Ensemble times follow AutoGluon: `*_marginal` is the ensemble's own work, `fit_time` and
 * `pred_time_*` add the base models it uses (non-zero weight).
 */
import { checkMatrix, type Matrix } from "../util/matrix";
import { escapeHtml, JUPYTER_DISPLAY, type MediaBundle } from "../util/media-bundle";
import type { PlotlyFigure } from "../util/plotly-bundle";
import { DataPrepError } from "../util/errors";
import { checkBinaryLabels, type BinaryClassifier } from "./estimator";
import { WeightedEnsemble } from "./ensemble";
import { scorer, type MetricName, type Scorer } from "../eval/scorer";

/** Features and 0/1 labels of one part of the split. */
export interface LeaderboardPart {
  X: Matrix;
  y: ArrayLike<number>;
}

/** The three parts: models learn on train, stop early and are ensembled on validation, and are reported on test. */
export interface LeaderboardData {
  train: LeaderboardPart;
  validation: LeaderboardPart;
  test: LeaderboardPart;
}

/** Options of {@link fitLeaderboard}. */
export interface LeaderboardOptions {
  /** Metric of score_val/score_test and of ensemble selection (default "roc_auc", the workshop's eval_metric). */
  metric?: MetricName | Scorer;
  /** Add the weighted ensemble (default true). */
  ensemble?: boolean;
  /** Ensemble selection rounds (default 25, AutoGluon's). */
  ensembleSize?: number;
  /**
   * Sort column, descending (default "score_val", like AutoGluon without test data; the workshop's table with test data
   * is by "score_test").
   */
  sortBy?: "score_val" | "score_test";
}

/** One model's line, AutoGluon's column names. */
export interface LeaderboardRow {
  model: string;
  score_test: number;
  score_val: number;
  /** Seconds to predict test (with the base models used, for the ensemble). */
  pred_time_test: number;
  pred_time_val: number;
  /** Seconds to fit (with the base models used, for the ensemble). */
  fit_time: number;
  pred_time_test_marginal: number;
  fit_time_marginal: number;
  /** 1 for base models, 2 for the ensemble. */
  stack_level: number;
  /** Position in the fitting order, from 1. */
  fit_order: number;
  /** The ensemble's weight per base model. */
  weights?: Record<string, number>;
}

const COLUMNS = [
  "model",
  "score_test",
  "score_val",
  "pred_time_test",
  "pred_time_val",
  "fit_time",
  "pred_time_test_marginal",
  "fit_time_marginal",
  "stack_level",
  "fit_order",
] as const;

function cell(row: LeaderboardRow, column: (typeof COLUMNS)[number]): string {
  const v = row[column];
  if (typeof v === "string") return v;
  if (column.startsWith("score")) return v.toFixed(6);
  return column.includes("time") ? v.toFixed(6) : String(v);
}

const weightText = (w?: Record<string, number>) =>
  w
    ? Object.entries(w)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => `${k}: ${Number(v.toFixed(4))}`)
        .join(", ")
    : "";

/**
 * Leaderboard rows plus the fitted models; shows itself as a table in a notebook.
 * @example const board = fitLeaderboard(parts, [new PriorClassifier(), new LogisticRegression()]); board.rows[0].model
 */
export class Leaderboard {
  constructor(
    /** Rows, best first. */
    readonly rows: LeaderboardRow[],
    /** Metric name of the scores. */
    readonly metric: string,
    /** The fitted models by name (the ensemble included). */
    readonly models: Record<string, BinaryClassifier>,
  ) {}

  /** The fitted weighted ensemble, when one was added. */
  get ensemble(): WeightedEnsemble | undefined {
    return Object.values(this.models).find((m): m is WeightedEnsemble => m instanceof WeightedEnsemble);
  }

  /** A fixed-width table like pandas prints, plus the ensemble weights. */
  toString(): string {
    const table = [COLUMNS.slice(), ...this.rows.map((r) => COLUMNS.map((c) => cell(r, c)))];
    const widths = COLUMNS.map((_, j) => Math.max(...table.map((line) => line[j].length)));
    const lines = table.map((line) =>
      line.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join("  "),
    );
    const weights = this.rows.filter((r) => r.weights).map((r) => `${r.model} weights: ${weightText(r.weights)}`);
    return [`leaderboard (${this.metric}, higher is better; times in seconds)`, ...lines, ...weights].join("\n");
  }

  [JUPYTER_DISPLAY](): MediaBundle {
    const header = [...COLUMNS, "weights"].map((c) => `<th>${escapeHtml(c)}</th>`).join("");
    const body = this.rows
      .map(
        (r) =>
          `<tr>${COLUMNS.map((c) => `<td>${escapeHtml(cell(r, c))}</td>`).join("")}<td>${escapeHtml(weightText(r.weights))}</td></tr>`,
      )
      .join("\n");
    const caption = `<caption>${escapeHtml(`metric: ${this.metric} (higher is better); times in seconds`)}</caption>`;
    const markup = `<div class="mldp-leaderboard"><table>${caption}<thead><tr>${header}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
    return { "text/html": markup, "text/plain": this.toString() };
  }

  /**
   * Grouped bars of score_val and score_test per model, in leaderboard order.
   * @example show(board.scoreFigure())
   */
  scoreFigure(): PlotlyFigure {
    const x = this.rows.map((r) => r.model);
    const scores = this.rows.flatMap((r) => [r.score_val, r.score_test]);
    const lo = Math.min(...scores),
      hi = Math.max(...scores);
    const pad = Math.max((hi - lo) * 0.15, 1e-3);
    const bar = (name: string, y: number[], color: string) => ({
      type: "bar",
      name,
      x,
      y,
      marker: { color },
      text: y.map((v) => v.toFixed(4)),
      textposition: "outside",
    });
    return {
      data: [
        bar(
          "score_val",
          this.rows.map((r) => r.score_val),
          "#1f77b4",
        ),
        bar(
          "score_test",
          this.rows.map((r) => r.score_test),
          "#ff7f0e",
        ),
      ],
      layout: {
        title: { text: `Leaderboard: ${this.metric} by model` },
        barmode: "group",
        xaxis: { title: { text: "model" } },
        yaxis: { title: { text: this.metric }, range: [lo - pad, hi + pad] },
        legend: { orientation: "h" },
      },
    };
  }
}

/** Run fn, timing it in seconds; wrap a failure with the model and step. */
function timed<T>(model: string, step: string, fn: () => T): [T, number] {
  const t0 = performance.now();
  try {
    const out = fn();
    return [out, (performance.now() - t0) / 1000];
  } catch (e) {
    throw new DataPrepError(`model ${JSON.stringify(model)} failed to ${step}: ${(e as Error).message}`, { cause: e });
  }
}

function checkPart(part: LeaderboardPart, name: string, nCols?: number): void {
  if (part === null || typeof part !== "object")
    throw new TypeError(`${name} is not a part: ${String(part)} (expected {X, y})`);
  checkMatrix(part.X, { name: `${name}.X`, nCols });
  checkBinaryLabels(part.y, part.X.nRows, `${name}.y`);
}

/**
 * Fit, time and score each model on the split, add the weighted ensemble, and rank them.
 * The models are fitted in place (each model's `fit` gets `{evalSet: [validation.X, validation.y]}`).
 * @example const board = fitLeaderboard({ train, validation, test }, [new PriorClassifier(), new LogisticRegression()],
 * { metric: "roc_auc" })
 */
export function fitLeaderboard(
  data: LeaderboardData,
  models: BinaryClassifier[],
  options: LeaderboardOptions = {},
): Leaderboard {
  const { metric = "roc_auc", ensemble = true, ensembleSize = 25, sortBy = "score_val" } = options;
  const score = scorer(metric);
  if (sortBy !== "score_val" && sortBy !== "score_test")
    throw new RangeError(`sortBy is invalid: ${JSON.stringify(sortBy)} (expected "score_val" or "score_test")`);
  if (!Array.isArray(models) || models.length === 0)
    throw new RangeError(`models is empty (expected at least one classifier)`);
  const { train, validation, test } = data ?? ({} as LeaderboardData);
  checkPart(train, "train");
  checkPart(validation, "validation", train.X.nCols);
  checkPart(test, "test", train.X.nCols);
  const ensembleName = "WeightedEnsemble_L2";
  const seen = new Set<string>();
  for (const m of models) {
    const name = m?.name;
    if (typeof name !== "string" || name === "")
      throw new TypeError(`model name is invalid: ${String(name)} (expected a non-empty string)`);
    if (seen.has(name) || (ensemble && name === ensembleName))
      throw new RangeError(
        `model name is repeated: ${JSON.stringify(name)} (expected unique names; ${JSON.stringify(ensembleName)} is the ensemble's)`,
      );
    seen.add(name);
  }
  return _fitLeaderboard(data, models, score, ensemble ? ensembleSize : 0, sortBy);
}

/** Worker on validated inputs; ensembleSize 0 means no ensemble. @internal */
export function _fitLeaderboard(
  data: LeaderboardData,
  models: BinaryClassifier[],
  score: Scorer,
  ensembleSize: number,
  sortBy: "score_val" | "score_test",
): Leaderboard {
  const { train, validation, test } = data;
  const rows: LeaderboardRow[] = [];
  const predsVal: Float64Array[] = [];
  const predsTest: Float64Array[] = [];
  const fitted: Record<string, BinaryClassifier> = {};
  models.forEach((model, i) => {
    const name = model.name;
    const [, fitTime] = timed(name, "fit", () =>
      model.fit(train.X, train.y, { evalSet: [validation.X, validation.y] }),
    );
    const [pVal, valTime] = timed(name, "predict validation", () => model.predictProba(validation.X));
    const [pTest, testTime] = timed(name, "predict test", () => model.predictProba(test.X));
    predsVal.push(pVal);
    predsTest.push(pTest);
    fitted[name] = model;
    rows.push({
      model: name,
      score_test: score.score(test.y, pTest),
      score_val: score.score(validation.y, pVal),
      pred_time_test: testTime,
      pred_time_val: valTime,
      fit_time: fitTime,
      pred_time_test_marginal: testTime,
      fit_time_marginal: fitTime,
      stack_level: 1,
      fit_order: i + 1,
    });
  });
  if (ensembleSize > 0) {
    const ens = new WeightedEnsemble(models, { ensembleSize, metric: score });
    const [, fitTime] = timed(ens.name, "fit", () => ens.fitPredictions(predsVal, validation.y));
    const [pVal, valTime] = timed(ens.name, "predict validation", () => ens.combine(predsVal));
    const [pTest, testTime] = timed(ens.name, "predict test", () => ens.combine(predsTest));
    const used = rows.filter((_, j) => (ens.weights_ as Float64Array)[j] > 0);
    const total = (key: "fit_time" | "pred_time_test" | "pred_time_val") => used.reduce((s, r) => s + r[key], 0);
    fitted[ens.name] = ens;
    rows.push({
      model: ens.name,
      score_test: score.score(test.y, pTest),
      score_val: score.score(validation.y, pVal),
      pred_time_test: testTime + total("pred_time_test"),
      pred_time_val: valTime + total("pred_time_val"),
      fit_time: fitTime + total("fit_time"),
      pred_time_test_marginal: testTime,
      fit_time_marginal: fitTime,
      stack_level: 2,
      fit_order: rows.length + 1,
      weights: ens.weightsByModel(),
    });
  }
  // AutoGluon's order: score descending, then faster validation prediction, then name descending.
  rows.sort((a, b) => b[sortBy] - a[sortBy] || a.pred_time_val - b.pred_time_val || (a.model < b.model ? 1 : -1));
  return new Leaderboard(rows, score.name, fitted);
}

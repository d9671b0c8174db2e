/**
 * "Workshop vs here": the numbers the Python workshop printed (gonsoomoon-ml/ml-data-prep-workshop at
 * 4149fae, and the AWS churn sample its notebook 1.1 follows), next to what a notebook here measured,
 * with why they differ where they do. Each notebook ends with `workshopComparison(<notebook>, results)`.
 *
 * Section names (A.3, A.5, A.6 ...) refer to the workshop inventory the reference numbers were taken
 * from; "[reconstructed]" marks the few values of the workshop's missing notebook 1.1 that are inferred.
 */
import type { DataFrame } from "nodejs-polars";
import { escapeHtml, JUPYTER_DISPLAY, type Displayable, type MediaBundle } from "../util/media-bundle";
import { GBT_PRESETS, type GbtPresetName } from "../gbt/presets";
import type { EnvironmentVersions } from "../util/versions";

/** How the number here relates to the workshop's. */
export type ComparisonStatus = "same" | "close" | "differs" | "replaced" | "not comparable";

/** One line of the comparison. */
export interface ComparisonRow {
  /** Workshop step, e.g. "Profile". */
  step: string;
  what: string;
  workshop: string;
  here: string;
  status: ComparisonStatus;
  /** Why the numbers differ ("" when they are the same). */
  why: string;
  /** Where the workshop's number was printed. */
  source: string;
}

/** The workshop's numbers, each as printed (sections of the workshop inventory in `source` fields below). */
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

const SRC = {
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
} as const;

const n = (x: number) => x.toLocaleString("en-US");
const f = (x: number, d = 5) => x.toFixed(d);
const eq = (a: number, b: number, tol = 0) => Math.abs(a - b) <= tol;

/**
 * Standard error of a ROC AUC of `a` measured on nPos positives and nNeg negatives (Hanley & McNeil 1982):
 * the scale on which two AUCs of the same 500 test rows can be told apart.
 * @example aucStandardError(0.99, 254, 246) // 0.0045
 */
export function aucStandardError(a: number, nPos: number, nNeg: number): number {
  const q1 = a / (2 - a),
    q2 = (2 * a * a) / (1 + a);
  return Math.sqrt((a * (1 - a) + (nPos - 1) * (q1 - a * a) + (nNeg - 1) * (q2 - a * a)) / (nPos * nNeg));
}

/** Compare an AUC with the workshop's: "close" within two standard errors; the why states the gap in them. */
function aucRow(
  base: Omit<ComparisonRow, "here" | "status" | "why">,
  workshop: number,
  here: number | undefined,
  counts: { ones: number; zeros: number },
  reason: string,
): ComparisonRow {
  if (here === undefined || !Number.isFinite(here))
    return { ...base, here: "not measured", status: "not comparable", why: "" };
  const se = aucStandardError(workshop, counts.ones, counts.zeros);
  const gap = here - workshop;
  const status: ComparisonStatus = eq(here, workshop, 5e-7) ? "same" : Math.abs(gap) <= 2 * se ? "close" : "differs";
  const sign = gap >= 0 ? "+" : "−";
  const why =
    status === "same"
      ? ""
      : `${sign}${f(Math.abs(gap), 4)}, ${f(Math.abs(gap) / se, 1)} standard errors of an AUC on ` +
        `${n(counts.ones)}/${n(counts.zeros)} test rows (±${f(se, 4)}, Hanley–McNeil). ${reason}`;
  return { ...base, here: f(here), status, why };
}

/** Rows of the data steps shared by notebooks 1.1 and 1.2. */
function otherData(source: string): string {
  return source === "synthetic"
    ? "this run used the synthetic stand-in (offline, no churn.txt), not the workshop's file"
    : "this run used another file than the workshop's churn.txt";
}

/**
 * Rows measured on the test split mean nothing next to the workshop's when the test split is another one: mark them
 * not comparable, with the reason, instead of "close" or "differs".
 */
function onOtherTestSet(rows: ComparisonRow[], workshopData: boolean, why: string): ComparisonRow[] {
  if (workshopData) return rows;
  return rows.map((r) =>
    r.status === "not comparable" ? r : { ...r, status: "not comparable", why: `${why}: another test set` },
  );
}

/** A comparison table that shows itself in a notebook. */
export class WorkshopComparison implements Displayable {
  constructor(
    readonly title: string,
    readonly rows: ComparisonRow[],
  ) {}

  /** Rows whose number differs from the workshop's, with the reason. */
  get differences(): ComparisonRow[] {
    return this.rows.filter((r) => r.status === "differs" || r.status === "close");
  }

  toString(): string {
    const lines = this.rows.map(
      (r) =>
        `${r.step} | ${r.what}: workshop ${r.workshop} | here ${r.here} | ${r.status}${r.why ? ` | ${r.why}` : ""}`,
    );
    return [this.title, ...lines].join("\n");
  }

  [JUPYTER_DISPLAY](): MediaBundle {
    const header = ["step", "what", "workshop", "here", "", "why they differ"];
    const mark: Record<ComparisonStatus, string> = {
      same: "=",
      close: "≈",
      differs: "≠",
      replaced: "→",
      "not comparable": "–",
    };
    const body = this.rows
      .map((r) => {
        const cells = [r.step, r.what, r.workshop, r.here];
        const tds = cells.map((c) => `<td style="text-align:left">${escapeHtml(c)}</td>`).join("");
        const status = `<td title="${escapeHtml(r.status)}">${mark[r.status]}</td>`;
        const why = `<td style="text-align:left">${escapeHtml(r.why)}<br><small>workshop: ${escapeHtml(r.source)}</small></td>`;
        return `<tr>${tds}${status}${why}</tr>`;
      })
      .join("\n");
    const legend = "= same, ≈ within two standard errors or same decision, ≠ differs, → replaced, – not comparable";
    const markup =
      `<div class="mldp-workshop-comparison"><h4>${escapeHtml(this.title)}</h4><table>` +
      `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
      `<tbody>\n${body}\n</tbody></table><p><small>${escapeHtml(legend)}</small></p></div>`;
    return { "text/html": markup, "text/plain": this.toString() };
  }
}

/** A prediction-set row, as `getPredictionSet(prob, { rowIds })` has it. */
export interface PredictionSetRecord {
  row_id: number;
  score: number;
  pred: number;
}

/** `getPredictionSet(prob, { rowIds })`, or its rows. */
export type PredictionSetInput = DataFrame | readonly PredictionSetRecord[];

function predictionRecords(set: PredictionSetInput | undefined): readonly PredictionSetRecord[] | undefined {
  if (set === undefined || Array.isArray(set)) return set as readonly PredictionSetRecord[] | undefined;
  const df = set as DataFrame;
  if (!df.columns.includes("row_id")) return [];
  return df.toRecords().map((r) => ({ row_id: Number(r.row_id), score: Number(r.score), pred: Number(r.pred) }));
}

/** What notebook 1.1 measured: its results.json plus values taken from its cells. */
export interface ChurnPrepMeasured {
  source: string;
  rows: number;
  columns: number;
  classBalance: { positive: number; negative: number };
  alerts: Record<string, number>;
  splits: { train: number; validation: number; test: number };
  positives: { train: number; validation: number; test: number };
  features: readonly string[];
  model?: {
    /** The hyperparameter preset that ran (src/gbt/presets.ts). */
    preset?: string;
    trees: number;
    /** The best round when early stopping ran (predictions use rounds 0 … bestIteration). */
    bestIteration?: number | null;
    auc: number;
    accuracy: number;
    bestCutoff: number;
    bestCutoffCost: number;
  };
  /** The strongest correlated pair, label excluded. */
  strongest?: { a: string; b: string; r: number };
  /** The first five shuffled row numbers of train. */
  firstRows?: ArrayLike<number>;
  /** `report.crosstabs()`: the Int'l Plan table is compared when present. */
  crosstabs?: { tables: readonly { column: string; values: string[]; byValues: string[]; table: number[][] }[] };
  /** The prediction set with row ids (rows 31 and 2327 are compared). */
  predictionSet?: PredictionSetInput;
}

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

function sameOr(
  base: Omit<ComparisonRow, "status" | "why">,
  same: boolean,
  why: string,
  available = true,
): ComparisonRow {
  if (!available) return { ...base, here: "not measured", status: "not comparable", why: "" };
  return { ...base, status: same ? "same" : "differs", why: same ? "" : why };
}

function predictionRows(step: string, input: PredictionSetInput | undefined, model: string): ComparisonRow[] {
  const set = predictionRecords(input);
  return WORKSHOP_CHURN.autogluon.predictionSet.map((w) => {
    const ours = set?.find((r) => r.row_id === w.row_id);
    const base = {
      step,
      what: `row ${w.row_id}: score, pred`,
      workshop: `${w.score}, ${w.pred} (AutoGluon's ensemble)`,
      source: SRC.predictionSet,
    };
    if (!ours) return { ...base, here: "row not in this test split", status: "not comparable" as const, why: "" };
    const status: ComparisonStatus = ours.score === w.score ? "same" : ours.pred === w.pred ? "close" : "differs";
    const why =
      status === "same"
        ? ""
        : `another model (${model}) scores this row ${ours.score}; ` +
          (ours.pred === w.pred ? "the same decision at 500." : "the decision at 500 differs.");
    return { ...base, here: `${ours.score}, ${ours.pred}`, status, why };
  });
}

function churnPrep(m: ChurnPrepMeasured): WorkshopComparison {
  const W = WORKSHOP_CHURN;
  const data = otherData(m.source);
  const zeros = m.splits.test - m.positives.test;
  const alerts = Object.values(m.alerts).reduce((s, v) => s + v, 0);
  const alertText = (a: Record<string, number>) =>
    `${Object.values(a).reduce((s, v) => s + v, 0)} (${Object.entries(a)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`;
  const sameAlerts =
    alerts === 15 &&
    Object.entries(W.alerts).every(([k, v]) => m.alerts[k] === v) &&
    Object.keys(m.alerts).length === 4;
  const rows: ComparisonRow[] = [
    sameOr(
      {
        step: "Load",
        what: "rows × columns",
        workshop: `${n(W.rows)} × ${W.columns}`,
        here: `${n(m.rows)} × ${m.columns}`,
        source: SRC.data,
      },
      m.rows === W.rows && m.columns === W.columns,
      data,
    ),
    sameOr(
      {
        step: "Load",
        what: "label: positive / negative",
        workshop: `${n(W.classBalance.positive)} / ${n(W.classBalance.negative)}`,
        here: `${n(m.classBalance.positive)} / ${n(m.classBalance.negative)}`,
        source: SRC.data,
      },
      m.classBalance.positive === W.classBalance.positive && m.classBalance.negative === W.classBalance.negative,
      data,
    ),
    sameOr(
      {
        step: "Profile",
        what: "alerts (pandas-profiling 2.11 rules)",
        workshop: alertText(W.alerts),
        here: alertText(m.alerts),
        source: SRC.profile,
      },
      sameAlerts,
      data,
    ),
    sameOr(
      {
        step: "Profile",
        what: "strongest correlation",
        workshop: `${W.strongest.a} ~ ${W.strongest.b}, r = ${W.strongest.r}`,
        here: m.strongest ? `${m.strongest.a} ~ ${m.strongest.b}, r = ${f(m.strongest.r, 3)}` : "",
        source: SRC.corr,
      },
      !!m.strongest &&
        m.strongest.a === W.strongest.a &&
        m.strongest.b === W.strongest.b &&
        eq(m.strongest.r, W.strongest.r, 5e-4),
      data,
      m.strongest !== undefined,
    ),
  ];
  const plan = m.crosstabs?.tables.find((t) => t.column === "Int'l Plan");
  const planNo = plan ? plan.values.indexOf("no") : -1;
  rows.push(
    sameOr(
      {
        step: "Profile",
        what: "crosstab Int'l Plan = no, share of False. / True.",
        workshop: `${f(W.intlPlanNo["False."], 4)} / ${f(W.intlPlanNo["True."], 4)}`,
        here: planNo >= 0 ? plan!.table[planNo].map((v) => f(v, 4)).join(" / ") : "",
        source: SRC.crosstab,
      },
      planNo >= 0 &&
        plan!.byValues.join() === "False.,True." &&
        eq(plan!.table[planNo][0], W.intlPlanNo["False."], 5e-5) &&
        eq(plan!.table[planNo][1], W.intlPlanNo["True."], 5e-5),
      data,
      planNo >= 0,
    ),
    sameOr(
      {
        step: "Split",
        what: "train / validation / test rows",
        workshop: `${n(W.splits.train)} / ${W.splits.validation} / ${W.splits.test}`,
        here: `${n(m.splits.train)} / ${m.splits.validation} / ${m.splits.test}`,
        source: SRC.split,
      },
      m.splits.train === W.splits.train &&
        m.splits.validation === W.splits.validation &&
        m.splits.test === W.splits.test,
      `${data}, or other ratios`,
    ),
  );
  const first = m.firstRows ? Array.from(m.firstRows).slice(0, 5) : [];
  rows.push(
    sameOr(
      {
        step: "Split",
        what: "first shuffled rows",
        workshop: W.firstRows.join(", "),
        here: first.join(", "),
        source: SRC.split,
      },
      first.join() === W.firstRows.join(),
      "another seed or row count (the workshop: random_state=1024 on 5,000 rows)",
      m.firstRows !== undefined,
    ),
    sameOr(
      {
        step: "Split",
        what: "test labels: 0 / 1",
        workshop: `${W.test.zeros} / ${W.test.ones}`,
        here: `${zeros} / ${m.positives.test}`,
        source: SRC.split,
      },
      zeros === W.test.zeros && m.positives.test === W.test.ones,
      data,
    ),
    sameOr(
      {
        step: "Encode",
        what: "features after one-hot",
        workshop: `${W.features} [reconstructed]`,
        here: String(m.features.length),
        source: SRC.features,
      },
      m.features.length === W.features,
      "other drops or one-hot settings (the workshop drops State, Area Code and Phone)",
    ),
  );
  const name = m.model?.preset;
  const preset = name && Object.hasOwn(GBT_PRESETS, name) ? GBT_PRESETS[name as GbtPresetName] : undefined;
  const script = GBT_PRESETS["workshop-train-xgb"];
  const numRound = preset?.hyperparameters.num_round ?? 100;
  const best = m.model?.bestIteration;
  const used = m.model ? (typeof best === "number" ? best + 1 : m.model.trees) : undefined;
  const stopped = used !== undefined && used < numRound;
  const hp = (p: typeof script) =>
    Object.entries(p.hyperparameters)
      .filter(([k]) => k !== "objective")
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  rows.push(
    sameOr(
      {
        step: "Train",
        what: "hyperparameters",
        workshop: `${script.name}: ${hp(script)}, no early stopping`,
        here: preset
          ? `${preset.name}: ${hp(preset)}${used !== undefined ? `; ${used} trees used` : ""}`
          : (name ?? "not recorded"),
        source: SRC.trainer,
      },
      preset?.name === script.name && used === 100,
      [
        preset && preset.name !== script.name ? `${preset.title}, not train_xgb.py's settings` : "",
        stopped
          ? `early stopping on validation AUC kept the best ${used} rounds (train_xgb.py passed no validation set, so it kept all 100)`
          : "",
      ]
        .filter(Boolean)
        .join("; "),
      name !== undefined,
    ),
  );
  const counts = { ones: m.positives.test, zeros };
  const workshopData =
    m.rows === W.rows &&
    m.columns === W.columns &&
    m.classBalance.positive === W.classBalance.positive &&
    m.classBalance.negative === W.classBalance.negative &&
    zeros === W.test.zeros &&
    m.positives.test === W.test.ones;
  const reason =
    "AutoGluon's XGBoost (its number here; 1.1's own AUC was not kept) used learning rate 0.1 with up to 10,000 rounds " +
    "stopped early on validation and xgboost's depth 6; notebook 1.2 does the same and gets closer.";
  const evaluated: ComparisonRow[] = [
    aucRow(
      {
        step: "Evaluate",
        what: "test ROC AUC",
        workshop: `not kept (1.1 is missing); AutoGluon's XGBoost ${f(W.autogluon.xgboost.test)}`,
        source: SRC.autogluon,
      },
      W.autogluon.xgboost.test,
      m.model?.auc,
      counts,
      reason,
    ),
    {
      step: "Evaluate",
      what: "accuracy at 0.5",
      workshop: "not kept; train_xgb.py printed it as 'AUC' (cls.score)",
      here: m.model ? f(m.model.accuracy, 3) : "not measured",
      status: "not comparable",
      why: "",
      source: SRC.trainer,
    },
    {
      step: "Evaluate",
      what: "cheapest cutoff, cost",
      workshop: `${W.referenceCutoff.threshold}, $${n(W.referenceCutoff.cost)} (AWS sample)`,
      here: m.model ? `${f(m.model.bestCutoff, 2)}, $${n(m.model.bestCutoffCost)}` : "not measured",
      status: "not comparable",
      why: "the AWS sample priced its own 500 test rows (70/20/10 split, seed 1729, 99 features); the cost sweep is the same",
      source: SRC.cost,
    },
    ...predictionRows("Evaluate", m.predictionSet, "this notebook's booster, not AutoGluon's ensemble"),
  ];
  rows.push(...onOtherTestSet(evaluated, workshopData, data));
  return new WorkshopComparison("Workshop vs here: notebook 1.1 (churn data preparation and XGBoost)", rows);
}

function leaderboard(m: LeaderboardMeasured): WorkshopComparison {
  const A = WORKSHOP_CHURN.autogluon;
  const data = otherData(m.source);
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
    sameOr(
      {
        step: "Split",
        what: "test labels: 0 / 1",
        workshop: `${WORKSHOP_CHURN.test.zeros} / ${WORKSHOP_CHURN.test.ones}`,
        here: `${counts.zeros} / ${counts.ones}`,
        source: SRC.split,
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
      source: SRC.autogluon,
    },
    aucRow(
      { step: "Fit", what: "XGBoost test ROC AUC", workshop: f(A.xgboost.test), source: SRC.autogluon },
      A.xgboost.test,
      xgb?.score_test,
      counts,
      engine,
    ),
    aucRow(
      {
        step: "Ensemble",
        what: "WeightedEnsemble_L2 test ROC AUC",
        workshop: f(A.ensemble.test),
        source: SRC.autogluon,
      },
      A.ensemble.test,
      ens?.score_test,
      counts,
      "AutoGluon blended models that make different errors; see the weights below.",
    ),
    {
      step: "Ensemble",
      what: "WeightedEnsemble_L2 weights",
      workshop: `a blend: validation ${f(A.ensemble.val)} above its best single model (${A.bestSingleVal.model} ${f(A.bestSingleVal.score)})`,
      here: weights || "no ensemble",
      status: weights.includes(",") ? "close" : "differs",
      why: m.ensemble?.text ?? "",
      source: SRC.autogluon,
    },
    aucRow(
      { step: "Evaluate", what: "best model: test ROC AUC", workshop: f(A.ensemble.test), source: SRC.evaluate },
      A.ensemble.test,
      m.test.auc,
      counts,
      `${m.best} here, AutoGluon's ensemble there.`,
    ),
  ];
  const confusionSame = JSON.stringify(c) === JSON.stringify(A.confusion);
  const errors = (x: number[][]) => x[0][1] + x[1][0];
  rows.push(
    sameOr(
      {
        step: "Evaluate",
        what: "confusion matrix at 0.5 [[TN, FP], [FN, TP]]",
        workshop: JSON.stringify(A.confusion),
        here: JSON.stringify(c),
        source: SRC.evaluate,
      },
      confusionSame,
      `${errors(c)} errors here against ${errors(A.confusion)}: ${m.best} here, AutoGluon's ensemble there`,
    ),
    sameOr(
      {
        step: "Evaluate",
        what: "accuracy / F1",
        workshop: `${f(A.accuracy, 3)} / ${f(A.f1, 4)}`,
        here: `${f(m.test.accuracy, 3)} / ${f(m.test.f1, 4)}`,
        source: SRC.evaluate,
      },
      eq(m.test.accuracy, A.accuracy, 5e-4) && eq(m.test.f1, A.f1, 5e-5),
      "they follow the confusion matrix above",
    ),
    sameOr(
      {
        step: "Evaluate",
        what: "compute_f1's 'ROC_AUC' (hard labels = balanced accuracy)",
        workshop: `${f(A.balancedAccuracy, 4)} (printed -0.962)`,
        here: f(balanced, 4),
        source: SRC.evaluate,
      },
      eq(balanced, A.balancedAccuracy, 5e-5),
      "it follows the confusion matrix above",
    ),
    ...predictionRows("Evaluate", m.predictionSet, m.best),
    sameOr(
      {
        step: "Explain",
        what: "most important feature (permutation, test AUC drop)",
        workshop: `${A.topFeature.feature} ≈${A.topFeature.importance}`,
        here: top ? `${top.feature} ${f(top.importance, 3)}` : "",
        source: SRC.importance,
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
      source: SRC.autogluon,
    },
  );
  const workshopData =
    m.source !== "synthetic" && counts.zeros === WORKSHOP_CHURN.test.zeros && counts.ones === WORKSHOP_CHURN.test.ones;
  const apart = new Set(["test labels: 0 / 1", "models", "WeightedEnsemble_L2 weights"]);
  return new WorkshopComparison(
    "Workshop vs here: notebook 1.2 (AutoGluon leaderboard)",
    rows.map((r) => (apart.has(r.what) ? r : onOtherTestSet([r], workshopData, data)[0])),
  );
}

function environment(v: EnvironmentVersions): WorkshopComparison {
  const row = (what: string, workshop: string, here: string, why: string): ComparisonRow => ({
    step: "Environment",
    what,
    workshop,
    here,
    status: "replaced",
    why,
    source: SRC.env,
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
  if (notebook === "1.1") return churnPrep(measured as ChurnPrepMeasured);
  if (notebook === "1.2") return leaderboard(measured as LeaderboardMeasured);
  if (notebook === "0") return environment(measured as EnvironmentVersions);
  throw new RangeError(`notebook unknown: ${JSON.stringify(notebook)} (expected "0", "1.1" or "1.2")`);
}

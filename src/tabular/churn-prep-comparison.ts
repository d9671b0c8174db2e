/**
 * Notebook 1.1's "workshop vs here" rows: data, profile, split and encoding numbers against the workshop's,
 * the hyperparameter preset against train_xgb.py's, and the model's test AUC against AutoGluon's XGBoost.
 */
import { GBT_PRESETS, type GbtPresetName } from "../gbt/presets";
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

/** Rows of notebook 1.1. @internal */
export function _churnPrepComparison(m: ChurnPrepMeasured): WorkshopComparison {
  const W = WORKSHOP_CHURN;
  const data = _otherData();
  const zeros = m.splits.test - m.positives.test;
  const alertTotal = (a: Record<string, number>) => Object.values(a).reduce((s, v) => s + v, 0);
  const alertText = (a: Record<string, number>) =>
    `${alertTotal(a)} (${Object.entries(a)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`;
  const sameAlerts =
    alertTotal(m.alerts) === alertTotal(W.alerts) &&
    Object.entries(W.alerts).every(([k, v]) => m.alerts[k] === v) &&
    Object.keys(m.alerts).length === Object.keys(W.alerts).length;
  const rows: ComparisonRow[] = [
    _sameOr(
      {
        step: "Load",
        what: "rows × columns",
        workshop: `${_n(W.rows)} × ${W.columns}`,
        here: `${_n(m.rows)} × ${m.columns}`,
        source: WORKSHOP_SOURCES.data,
      },
      m.rows === W.rows && m.columns === W.columns,
      data,
    ),
    _sameOr(
      {
        step: "Load",
        what: "label: positive / negative",
        workshop: `${_n(W.classBalance.positive)} / ${_n(W.classBalance.negative)}`,
        here: `${_n(m.classBalance.positive)} / ${_n(m.classBalance.negative)}`,
        source: WORKSHOP_SOURCES.data,
      },
      m.classBalance.positive === W.classBalance.positive && m.classBalance.negative === W.classBalance.negative,
      data,
    ),
    _sameOr(
      {
        step: "Profile",
        what: "alerts (pandas-profiling 2.11 rules)",
        workshop: alertText(W.alerts),
        here: alertText(m.alerts),
        source: WORKSHOP_SOURCES.profile,
      },
      sameAlerts,
      data,
    ),
    _sameOr(
      {
        step: "Profile",
        what: "strongest correlation",
        workshop: `${W.strongest.a} ~ ${W.strongest.b}, r = ${W.strongest.r}`,
        here: m.strongest ? `${m.strongest.a} ~ ${m.strongest.b}, r = ${_f(m.strongest.r, 3)}` : "",
        source: WORKSHOP_SOURCES.corr,
      },
      !!m.strongest &&
        m.strongest.a === W.strongest.a &&
        m.strongest.b === W.strongest.b &&
        _eq(m.strongest.r, W.strongest.r, 5e-4),
      data,
      m.strongest !== undefined,
    ),
  ];
  const plan = m.crosstabs?.tables.find((t) => t.column === "Int'l Plan");
  const planNo = plan ? plan.values.indexOf("no") : -1;
  rows.push(
    _sameOr(
      {
        step: "Profile",
        what: "crosstab Int'l Plan = no, share of False. / True.",
        workshop: `${_f(W.intlPlanNo["False."], 4)} / ${_f(W.intlPlanNo["True."], 4)}`,
        here: planNo >= 0 ? plan!.table[planNo].map((v) => _f(v, 4)).join(" / ") : "",
        source: WORKSHOP_SOURCES.crosstab,
      },
      planNo >= 0 &&
        plan!.byValues.join() === "False.,True." &&
        _eq(plan!.table[planNo][0], W.intlPlanNo["False."], 5e-5) &&
        _eq(plan!.table[planNo][1], W.intlPlanNo["True."], 5e-5),
      data,
      planNo >= 0,
    ),
    _sameOr(
      {
        step: "Split",
        what: "train / validation / test rows",
        workshop: `${_n(W.splits.train)} / ${W.splits.validation} / ${W.splits.test}`,
        here: `${_n(m.splits.train)} / ${m.splits.validation} / ${m.splits.test}`,
        source: WORKSHOP_SOURCES.split,
      },
      m.splits.train === W.splits.train &&
        m.splits.validation === W.splits.validation &&
        m.splits.test === W.splits.test,
      `${data}, or other ratios`,
    ),
  );
  const first = m.firstRows ? Array.from(m.firstRows).slice(0, 5) : [];
  rows.push(
    _sameOr(
      {
        step: "Split",
        what: "first shuffled rows",
        workshop: W.firstRows.join(", "),
        here: first.join(", "),
        source: WORKSHOP_SOURCES.split,
      },
      first.join() === W.firstRows.join(),
      "another seed or row count (the workshop: random_state=1024 on 5,000 rows)",
      m.firstRows !== undefined,
    ),
    _sameOr(
      {
        step: "Split",
        what: "test labels: 0 / 1",
        workshop: `${W.test.zeros} / ${W.test.ones}`,
        here: `${zeros} / ${m.positives.test}`,
        source: WORKSHOP_SOURCES.split,
      },
      zeros === W.test.zeros && m.positives.test === W.test.ones,
      data,
    ),
    _sameOr(
      {
        step: "Encode",
        what: "features after one-hot",
        workshop: `${W.features} [reconstructed]`,
        here: String(m.features.length),
        source: WORKSHOP_SOURCES.features,
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
    _sameOr(
      {
        step: "Train",
        what: "hyperparameters",
        workshop: `${script.name}: ${hp(script)}, no early stopping`,
        here: preset
          ? `${preset.name}: ${hp(preset)}${used !== undefined ? `; ${used} trees used` : ""}`
          : (name ?? "not recorded"),
        source: WORKSHOP_SOURCES.trainer,
      },
      preset?.name === script.name && used === script.hyperparameters.num_round,
      [
        preset && preset.name !== script.name ? `${preset.title}, not train_xgb.py's settings` : "",
        stopped
          ? `early stopping on validation AUC kept the best ${used} rounds (train_xgb.py passed no validation set, so it kept all ${script.hyperparameters.num_round})`
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
    _aucRow(
      {
        step: "Evaluate",
        what: "test ROC AUC",
        workshop: `not kept (1.1 is missing); AutoGluon's XGBoost ${_f(W.autogluon.xgboost.test)}`,
        source: WORKSHOP_SOURCES.autogluon,
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
      here: m.model ? _f(m.model.accuracy, 3) : "not measured",
      status: "not comparable",
      why: "",
      source: WORKSHOP_SOURCES.trainer,
    },
    {
      step: "Evaluate",
      what: "cheapest cutoff, cost",
      workshop: `${W.referenceCutoff.threshold}, $${_n(W.referenceCutoff.cost)} (AWS sample)`,
      here: m.model ? `${_f(m.model.bestCutoff, 2)}, $${_n(m.model.bestCutoffCost)}` : "not measured",
      status: "not comparable",
      why: "the AWS sample priced its own 500 test rows (70/20/10 split, seed 1729, 99 features); the cost sweep is the same",
      source: WORKSHOP_SOURCES.cost,
    },
    ..._predictionRows("Evaluate", m.predictionSet, "this notebook's booster, not AutoGluon's ensemble"),
  ];
  rows.push(..._onOtherTestSet(evaluated, workshopData, data));
  return new WorkshopComparison("Workshop vs here: notebook 1.1 (churn data preparation and XGBoost)", rows);
}

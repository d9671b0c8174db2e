/**
 * Profiling alerts as data: the rules of pandas-profiling 2.11 (`model/messages.py`) and
 * ydata-profiling 4 (`model/alerts.py`), their thresholds as presets, and the imbalance score
 * (the chi-squared uniformity test the UNIFORM rule reads is in `chi-squared.ts`). Glossary:
 * n = rows (nulls included), count = non-null values, distinct = distinct non-null values,
 * p_* = share of n.
 */

/** Alert codes, named as ydata-profiling's `AlertType`. */
export type AlertCode =
  | "CONSTANT"
  | "UNIQUE"
  | "MISSING"
  | "HIGH_CARDINALITY"
  | "UNIFORM"
  | "ZEROS"
  | "SKEWED"
  | "IMBALANCE"
  | "HIGH_CORRELATION"
  | "DUPLICATES";

/** One finding: what, where, how much, and what to do about it. */
export interface Alert {
  code: AlertCode;
  /** The column concerned (the first of the pair for HIGH_CORRELATION; absent for DUPLICATES). */
  column?: string;
  /** Both columns of a HIGH_CORRELATION pair. */
  columns?: string[];
  /** The number that triggered the rule (count, p-value, skewness, |r|, score). */
  value: number;
  message: string;
  hint: string;
}

/** Correlation methods whose matrices the HIGH_CORRELATION rule can check. */
export type CorrelationMethod = "pearson" | "spearman" | "cramers";

/** Rule thresholds; a rule fires when its statistic is strictly above the threshold (correlation: ≥). */
export interface AlertThresholds {
  /** MISSING: share of nulls (default 0.01). */
  missing: number;
  /** ZEROS: share of zeros in a numeric column (default 0.01). */
  zeros: number;
  /** SKEWED: |adjusted Fisher-Pearson skewness| (default 20). */
  skewness: number;
  /** UNIFORM: chi-squared goodness-of-fit p-value; 0 disables (default 0.999). */
  chiSquared: number;
  /** HIGH_CARDINALITY: distinct values of a categorical column (default 50). */
  cardinality: number;
  /** IMBALANCE: 1 − H(counts)/log2(k); Infinity disables (default 0.5). */
  imbalance: number;
  /** HIGH_CORRELATION: |coefficient| at or above this (default 0.9 / 0.5, see presets). */
  correlation: number;
  /** Matrices the HIGH_CORRELATION rule checks. */
  correlationMethods: CorrelationMethod[];
}

/** A profiling tool's defaults: thresholds plus the type-inference knobs that decide the rules. */
export interface ProfilePreset {
  name: string;
  thresholds: AlertThresholds;
  /** A numeric column with at most this many distinct values is categorical (`low_categorical_threshold`). */
  lowCategoricalThreshold: number;
  /** A string column with more than `cardinality` distinct values and distinct/count ≥ this is text; null: never. */
  textRatio: number | null;
  /** Lower-cased strings read as booleans (`vars.bool.mappings`). */
  booleanStrings: string[];
  /**
   * Categorical columns with more distinct values are left out of Cramér's V
   * (`categorical_maximum_correlation_distinct`).
   */
  maxCorrelationDistinct: number;
  /** Cramér's V with Bergsma's bias correction and Yates' continuity correction, as both tools compute it. */
  cramersBiasCorrection: boolean;
}

const BOOLEAN_STRINGS = ["t", "f", "yes", "no", "y", "n", "true", "false"];

/**
 * pandas-profiling 2.11 defaults (config_default.yaml): HIGH_CORRELATION only on the Pearson and
 * Cramér's V matrices (`warn_high_correlations`), at 0.9; no IMBALANCE rule; no text type.
 * @example profile(df, { preset: pandasProfiling211 })
 */
export const pandasProfiling211: ProfilePreset = {
  name: "pandas-profiling-2.11",
  thresholds: {
    missing: 0.01,
    zeros: 0.01,
    skewness: 20,
    chiSquared: 0.999,
    cardinality: 50,
    imbalance: Infinity,
    correlation: 0.9,
    correlationMethods: ["pearson", "cramers"],
  },
  lowCategoricalThreshold: 5,
  textRatio: null,
  booleanStrings: BOOLEAN_STRINGS,
  maxCorrelationDistinct: 100,
  cramersBiasCorrection: true,
};

/**
 * ydata-profiling 4 defaults as `ProfileReport(df)` applies them (`Settings()`): the "auto"
 * correlation (Spearman for numeric pairs, Cramér's V for categorical pairs) at threshold 0.5,
 * IMBALANCE at 0.5, text columns when distinct/count ≥ 0.5.
 * @example profile(df, { preset: "ydata-profiling-4" })
 */
export const ydataProfiling4: ProfilePreset = {
  name: "ydata-profiling-4",
  thresholds: {
    missing: 0.01,
    zeros: 0.01,
    skewness: 20,
    chiSquared: 0.999,
    cardinality: 50,
    imbalance: 0.5,
    correlation: 0.5,
    correlationMethods: ["spearman", "cramers"],
  },
  lowCategoricalThreshold: 5,
  textRatio: 0.5,
  booleanStrings: BOOLEAN_STRINGS,
  maxCorrelationDistinct: 100,
  cramersBiasCorrection: true,
};

/** Preset names accepted by `profile(df, { preset })`. */
export type PresetName = "pandas-profiling-2.11" | "ydata-profiling-4";

/**
 * The preset for a name (or the preset itself).
 * @example resolvePreset("pandas-profiling-2.11").thresholds.correlation // 0.9
 */
export function resolvePreset(preset: PresetName | ProfilePreset): ProfilePreset {
  if (typeof preset === "object") return preset;
  if (preset === "pandas-profiling-2.11") return pandasProfiling211;
  if (preset === "ydata-profiling-4") return ydataProfiling4;
  throw new RangeError(
    `profile preset unknown: ${JSON.stringify(preset)} (expected "pandas-profiling-2.11" or "ydata-profiling-4")`,
  );
}

// ---- rule statistics --------------------------------------------------------------------------

/**
 * ydata-profiling's imbalance score 1 − H(counts)/log2(k): 0 balanced, → 1 one class dominates.
 * @example imbalanceScore([95, 5]) // 0.7136
 */
export function imbalanceScore(counts: ArrayLike<number>): number {
  const k = counts.length;
  if (k <= 1) return NaN;
  let total = 0;
  for (let i = 0; i < k; i++) total += counts[i];
  let entropy = 0;
  for (let i = 0; i < k; i++) if (counts[i] > 0) entropy -= (counts[i] / total) * Math.log2(counts[i] / total);
  return 1 - entropy / Math.log2(k);
}

// ---- rules ------------------------------------------------------------------------------------

/** What the rules read about one column (a `ColumnProfile` satisfies it). */
export interface ColumnFacts {
  name: string;
  kind: "numeric" | "categorical" | "boolean" | "text" | "identifier";
  n: number;
  count: number;
  missing: number;
  distinct: number;
  zeros: number | null;
  skewness: number | null;
  chiSquared: { statistic: number; pValue: number } | null;
  imbalance: number | null;
}

/** A correlation matrix as the HIGH_CORRELATION rule reads it. */
export interface MatrixFacts {
  method: CorrelationMethod;
  columns: string[];
  values: number[][];
}

/** Inputs of `checkAlerts`. */
export interface AlertFacts {
  rows: number;
  duplicates: number;
  columns: ColumnFacts[];
  correlations: MatrixFacts[];
  /** The label column: its pairs are signal, not redundancy, so they raise no HIGH_CORRELATION. */
  label?: string;
}

const fmt = (x: number) => x.toLocaleString("en-US");
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const HINTS: Record<AlertCode, string> = {
  CONSTANT: "Drop the column: a constant carries no information.",
  UNIQUE: "Every value is distinct: drop it if it is an identifier; a continuous measurement is fine.",
  MISSING: "Impute (median or mode) and add a missing-indicator column, or drop the column if mostly empty.",
  HIGH_CARDINALITY:
    "Group rare categories, or hash/target-encode; drop it if it is an identifier such as a phone number.",
  UNIFORM: "Evenly spread values (an ID or random code?) rarely predict anything; check before using it as a feature.",
  ZEROS: "Check whether 0 means 'none' or 'not recorded'; consider an indicator column.",
  SKEWED: "Log or Box-Cox transform, or clip outliers, before linear models; tree models do not mind.",
  IMBALANCE:
    "One value dominates: stratify the split and weight classes if it is the label; group rare values otherwise.",
  HIGH_CORRELATION: "Keep one column of the pair (or combine them) to remove redundancy.",
  DUPLICATES: "Drop duplicate rows (df.unique()) unless repeated records are genuine.",
};

function alert(code: AlertCode, column: string | undefined, value: number, message: string, columns?: string[]): Alert {
  const a: Alert = { code, value, message, hint: HINTS[code] };
  if (column !== undefined) a.column = column;
  if (columns !== undefined) a.columns = columns;
  return a;
}

/** The alerts of one column, in rule order. */
function columnAlerts(c: ColumnFacts, t: AlertThresholds): Alert[] {
  const out: Alert[] = [];
  const q = JSON.stringify(c.name);
  if (c.distinct <= 1) out.push(alert("CONSTANT", c.name, c.distinct, `${q} has a constant value`));
  // pandas-profiling: distinct (without nulls) == n (with nulls), so a unique column with nulls is not UNIQUE.
  if (c.n > 0 && c.distinct === c.n)
    out.push(alert("UNIQUE", c.name, c.distinct, `${q} has unique values (${fmt(c.distinct)} distinct)`));
  const pMissing = c.n > 0 ? c.missing / c.n : 0;
  if (pMissing > t.missing)
    out.push(alert("MISSING", c.name, c.missing, `${q} has ${fmt(c.missing)} (${pct(pMissing)}) missing values`));
  if (c.kind === "categorical" && c.distinct > t.cardinality) {
    out.push(
      alert("HIGH_CARDINALITY", c.name, c.distinct, `${q} has a high cardinality: ${fmt(c.distinct)} distinct values`),
    );
  }
  const uniformKind = c.kind === "categorical" || c.kind === "numeric";
  if (uniformKind && c.distinct > 1 && t.chiSquared > 0 && c.chiSquared && c.chiSquared.pValue > t.chiSquared) {
    out.push(
      alert(
        "UNIFORM",
        c.name,
        c.chiSquared.pValue,
        `${q} is uniformly distributed (chi-squared p = ${c.chiSquared.pValue.toFixed(4)})`,
      ),
    );
  }
  if (c.kind === "numeric") {
    const pZeros = c.n > 0 && c.zeros !== null ? c.zeros / c.n : 0;
    if (c.zeros !== null && pZeros > t.zeros)
      out.push(alert("ZEROS", c.name, c.zeros, `${q} has ${fmt(c.zeros)} (${pct(pZeros)}) zeros`));
    if (c.skewness !== null && Math.abs(c.skewness) > t.skewness) {
      out.push(alert("SKEWED", c.name, c.skewness, `${q} is highly skewed (γ1 = ${c.skewness.toFixed(2)})`));
    }
  }
  if ((c.kind === "categorical" || c.kind === "boolean") && c.imbalance !== null && c.imbalance > t.imbalance) {
    out.push(alert("IMBALANCE", c.name, c.imbalance, `${q} is highly imbalanced (${pct(c.imbalance)})`));
  }
  return out;
}

/** One alert per highly correlated pair, however many checked matrices flag it. */
function correlationAlerts(facts: AlertFacts, t: AlertThresholds): Alert[] {
  const order = new Map(facts.columns.map((c, i) => [c.name, i]));
  const pairs = new Map<string, { a: string; b: string; value: number; methods: string[] }>();
  for (const m of facts.correlations) {
    if (!t.correlationMethods.includes(m.method)) continue;
    for (let i = 0; i < m.columns.length; i++) {
      for (let j = i + 1; j < m.columns.length; j++) {
        const r = m.values[i][j];
        if (!(Math.abs(r) >= t.correlation)) continue;
        let [a, b] = [m.columns[i], m.columns[j]];
        if (a === facts.label || b === facts.label) continue;
        if ((order.get(a) ?? 0) > (order.get(b) ?? 0)) [a, b] = [b, a];
        const key = JSON.stringify([a, b]);
        const p = pairs.get(key) ?? { a, b, value: 0, methods: [] };
        if (Math.abs(r) > Math.abs(p.value)) p.value = r;
        p.methods.push(m.method);
        pairs.set(key, p);
      }
    }
  }
  return [...pairs.values()].map((p) =>
    alert(
      "HIGH_CORRELATION",
      p.a,
      p.value,
      `${JSON.stringify(p.a)} is highly correlated with ${JSON.stringify(p.b)} (${p.methods.join(", ")}: ${p.value.toFixed(3)})`,
      [p.a, p.b],
    ),
  );
}

/**
 * All alerts of a profile, each once: DUPLICATES first, then per column in frame order, then correlated pairs.
 * @example checkAlerts({ rows: 3, duplicates: 1, columns: [], correlations: [] }, pandasProfiling211.thresholds)
 */
export function checkAlerts(facts: AlertFacts, thresholds: AlertThresholds): Alert[] {
  const out: Alert[] = [];
  // pandas-profiling: `n_duplicates > 0.01` on a count, i.e. any duplicate row.
  if (facts.duplicates > 0) {
    out.push(
      alert(
        "DUPLICATES",
        undefined,
        facts.duplicates,
        `Dataset has ${fmt(facts.duplicates)} (${pct(facts.duplicates / facts.rows)}) duplicate rows`,
      ),
    );
  }
  for (const c of facts.columns) out.push(...columnAlerts(c, thresholds));
  out.push(...correlationAlerts(facts, thresholds));
  return out;
}

// ---- suggestions ------------------------------------------------------------------------------

/** ID-like columns the alerts point at, and how to drop them in a notebook run. */
export interface DropSuggestion {
  /** The columns, in frame order. */
  columns: string[];
  /** The runner argument, quoted for a POSIX shell: `-p 'drop=["Phone"]'`. */
  parameter: string;
  /** The same as a parameters-cell line: `const drop = ["Phone"];`. */
  cell: string;
}

/** A word quoted for a POSIX shell (single quotes; a quote inside becomes '\''). */
const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * The columns that look like identifiers, as a `drop` to pass: a UNIQUE or HIGH_CARDINALITY alert
 * on a text, categorical or identifier column whose values are mostly distinct (at least half of
 * its non-null values). Numeric measurements that happen to be unique (minutes, charges) and
 * categories with a few dozen values (a state) are not suggested; neither is the label. Null when none.
 * @example suggestDrops(profile.columns, profile.alerts, "Churn?")?.parameter // "-p 'drop=[\"Phone\"]'"
 */
export function suggestDrops(
  columns: readonly ColumnFacts[],
  alerts: readonly Alert[],
  label?: string,
): DropSuggestion | null {
  const flagged = new Set(
    alerts.filter((a) => a.code === "UNIQUE" || a.code === "HIGH_CARDINALITY").map((a) => a.column),
  );
  const idLike = columns
    .filter(
      (c) =>
        flagged.has(c.name) &&
        c.name !== label &&
        (c.kind === "categorical" || c.kind === "text" || c.kind === "identifier") &&
        c.count > 0 &&
        c.distinct >= 0.5 * c.count,
    )
    .map((c) => c.name);
  if (idLike.length === 0) return null;
  const list = JSON.stringify(idLike);
  return { columns: idLike, parameter: `-p ${shellQuote(`drop=${list}`)}`, cell: `const drop = ${list};` };
}

/**
 * Plotly figures of SHAP values and feature importance, after the shap package's plots: a summary
 * (beeswarm) plot, a bar chart of mean |SHAP|, a waterfall for one row, and an importance bar chart.
 * One-hot columns can be grouped back into their source feature by summing their contributions
 * (SHAP values are additive, so a group's value is the sum of its columns').
 * Values are in margin space (log-odds for binary:logistic), as {@link treeShap} returns them.
 */
import type { PlotlyFigure } from "../util/plotly-bundle";
import { RandomState } from "../util/numpy-random-state";
import type { PermutationImportance } from "./importance";
import type { Matrix } from "../util/matrix";
import type { ShapValues } from "./tree-shap";

/** Options shared by the SHAP charts. */
export interface ShapFigureOptions {
  /** Output group (class) to show for multi:softprob (default 0). */
  group?: number;
  /** Columns summed into one feature, e.g. `{"Int'l Plan": ["Int'l Plan_no", "Int'l Plan_yes"]}` (default none). */
  groups?: Record<string, string[]>;
  /** Source features whose one-hot columns are named `<prefix>_<value>` and summed (default none). */
  groupPrefixes?: string[];
  /** Features shown (default 20; the waterfall's default is 10 and it sums the rest into "N other features"). */
  maxDisplay?: number;
  /** Chart title (default: one naming the chart). */
  title?: string;
}

/** Contributions per displayed feature (after grouping) for every row of one output group. */
interface Explained {
  names: string[];
  /** nRows × k contributions. */
  phi: Float64Array;
  /** nRows × k colour values: the feature value, or the active category's index for a group. */
  value: Float64Array;
  /** Label of (row, feature): `"CustServ Calls = 6"`, `"Int'l Plan = yes"`. */
  label: (row: number, j: number) => string;
  /** Per row: bias (expected value) and model output f(x). */
  base: Float64Array;
  output: Float64Array;
  nRows: number;
}

const COLORSCALE = [
  [0, "#008bfb"],
  [1, "#ff0051"],
]; // shap's blue → red
const round = (v: number, scale: number): number => Math.round(v * scale) / scale;
const fmt = (v: number): string =>
  Number.isNaN(v) ? "missing" : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));

/** Group columns and pick one output group; X is optional (labels then omit values). */
function explain(shap: ShapValues, X: Matrix | undefined, options: ShapFigureOptions): Explained {
  const { group = 0, groups = {}, groupPrefixes = [] } = options;
  const { nRows, nFeatures: nf, nGroups } = shap;
  if (!Number.isInteger(group) || group < 0 || group >= nGroups)
    throw new RangeError(`group is out of range: ${group} (expected 0..${nGroups - 1})`);
  if (X && (X.nRows !== nRows || X.nCols !== nf))
    throw new RangeError(`X shape does not match the SHAP values: ${X.nRows} x ${X.nCols} (expected ${nRows} x ${nf})`);
  const cols = shap.featureNames;
  // Each output feature is a list of columns; grouped columns are placed where their first column was.
  const members = new Map<string, number[]>();
  const owner = new Array<string | undefined>(nf);
  const addTo = (name: string, c: number) => {
    if (owner[c] !== undefined)
      throw new RangeError(
        `column is in two groups: ${JSON.stringify(cols[c])} (in ${JSON.stringify(owner[c])} and ${JSON.stringify(name)})`,
      );
    owner[c] = name;
  };
  for (const [name, list] of Object.entries(groups)) {
    for (const col of list) {
      const c = cols.indexOf(col);
      if (c < 0)
        throw new RangeError(
          `group column is unknown: ${JSON.stringify(col)} in group ${JSON.stringify(name)} (expected a feature name)`,
        );
      addTo(name, c);
    }
  }
  cols.forEach((col, c) => {
    const prefix = groupPrefixes.find((p) => col.startsWith(`${p}_`));
    if (prefix !== undefined && owner[c] === undefined) addTo(prefix, c);
  });
  cols.forEach((col, c) => {
    const name = owner[c] ?? col;
    members.set(name, [...(members.get(name) ?? []), c]);
  });
  const names = [...members.keys()];
  const k = names.length;
  const phi = new Float64Array(nRows * k);
  const value = new Float64Array(nRows * k);
  const base = new Float64Array(nRows);
  const output = new Float64Array(nRows);
  const stride = nf + 1;
  for (let r = 0; r < nRows; r++) {
    const off = (r * nGroups + group) * stride;
    base[r] = shap.values[off + nf];
    output[r] = base[r];
    names.forEach((name, j) => {
      const list = members.get(name)!;
      let s = 0;
      for (const c of list) s += shap.values[off + c];
      phi[r * k + j] = s;
      output[r] += s;
      value[r * k + j] = !X ? NaN : list.length === 1 ? X.data[r * nf + list[0]] : activeMember(X, r, list);
    });
  }
  const label = (r: number, j: number): string => {
    const name = names[j];
    const list = members.get(name)!;
    if (!X) return name;
    if (list.length === 1) return `${name} = ${fmt(X.data[r * nf + list[0]])}`;
    const m = activeMember(X, r, list);
    const col = Number.isNaN(m) ? "none" : cols[list[m]];
    return `${name} = ${col.startsWith(`${name}_`) ? col.slice(name.length + 1) : col}`;
  };
  return { names, phi, value, label, base, output, nRows };
}

/** Index within `list` of the column that is set (largest value) in row r; NaN when none is. */
function activeMember(X: Matrix, r: number, list: number[]): number {
  let best = NaN;
  let bestValue = 0;
  list.forEach((c, i) => {
    const v = X.data[r * X.nCols + c];
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  });
  return best;
}

/** Mean |contribution| of each displayed feature, and the feature order by it (largest first). */
function ranking(e: Explained): { meanAbs: Float64Array; order: number[] } {
  const k = e.names.length;
  const meanAbs = new Float64Array(k);
  for (let r = 0; r < e.nRows; r++) for (let j = 0; j < k; j++) meanAbs[j] += Math.abs(e.phi[r * k + j]) / e.nRows;
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => meanAbs[b] - meanAbs[a] || a - b);
  return { meanAbs, order };
}

/** A value's position between the 5th and 95th percentile of its column, clipped to [0, 1] (as shap colours). */
function normalizer(values: number[]): (v: number) => number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return () => 0.5;
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
  let lo = q(0.05);
  let hi = q(0.95);
  if (hi <= lo) {
    lo = sorted[0];
    hi = sorted[sorted.length - 1];
  }
  return (v) => (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5);
}

/**
 * Summary (beeswarm) plot: one horizontal strip per feature, most important (mean |SHAP|) on top,
 * one point per row at x = its SHAP value, jittered vertically (seeded), coloured from low (blue)
 * to high (red) feature value; missing values are grey.
 * @example show(shapSummaryFigure(treeShap(model, X), X, { groupPrefixes: ["Int'l Plan", "VMail Plan"] }))
 */
export function shapSummaryFigure(shap: ShapValues, X: Matrix, options: ShapFigureOptions = {}): PlotlyFigure {
  const e = explain(shap, X, options);
  const { order } = ranking(e);
  const shown = order.slice(0, options.maxDisplay ?? 20);
  const k = e.names.length;
  const rng = new RandomState(0);
  const data: Array<Record<string, unknown>> = [];
  shown.forEach((j, i) => {
    const row = shown.length - 1 - i; // strip position: the first feature is drawn on top
    const vals = Array.from({ length: e.nRows }, (_, r) => e.value[r * k + j]);
    const norm = normalizer(vals);
    const x: number[] = [],
      y: number[] = [],
      color: number[] = [],
      text: string[] = [];
    const gx: number[] = [],
      gy: number[] = [];
    for (let r = 0; r < e.nRows; r++) {
      // Rounded to what a screen shows: keeps a 500-row, 19-feature figure near 200 kB.
      const jitter = round(row + (rng.random() - 0.5) * 0.7, 1e3);
      const phi = round(e.phi[r * k + j], 1e4);
      if (Number.isNaN(vals[r])) {
        gx.push(phi);
        gy.push(jitter);
      } else {
        x.push(phi);
        y.push(jitter);
        color.push(round(norm(vals[r]), 1e3));
        text.push(e.label(r, j).slice(e.names[j].length + 3));
      }
    }
    const hovertemplate = `${e.names[j]} = %{text}<br>SHAP %{x}<extra></extra>`;
    data.push({
      type: "scatter",
      mode: "markers",
      name: e.names[j],
      x,
      y,
      text,
      hovertemplate,
      showlegend: false,
      marker: { color, coloraxis: "coloraxis", size: 4, opacity: 0.8 },
    });
    if (gx.length > 0) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: `${e.names[j]} (missing)`,
        x: gx,
        y: gy,
        hovertemplate: `${e.names[j]} missing<br>SHAP %{x}<extra></extra>`,
        showlegend: false,
        marker: { color: "#999999", size: 4 },
      });
    }
  });
  return {
    data,
    layout: {
      title: { text: options.title ?? "SHAP summary" },
      xaxis: { title: { text: "SHAP value (impact on model output)" }, zeroline: true },
      yaxis: {
        tickmode: "array",
        tickvals: shown.map((_, i) => shown.length - 1 - i),
        ticktext: shown.map((j) => e.names[j]),
        range: [-0.6, shown.length - 0.4],
      },
      coloraxis: {
        colorscale: COLORSCALE,
        cmin: 0,
        cmax: 1,
        colorbar: { title: { text: "Feature value" }, tickvals: [0, 1], ticktext: ["Low", "High"] },
      },
      height: 120 + 28 * shown.length,
      margin: { l: 160 },
    },
  };
}

/**
 * Bar chart of mean |SHAP| per feature, largest on top (shap's global bar plot).
 * @example show(shapBarFigure(treeShap(model, X), { maxDisplay: 10 }))
 */
export function shapBarFigure(shap: ShapValues, options: ShapFigureOptions = {}): PlotlyFigure {
  const e = explain(shap, undefined, options);
  const { meanAbs, order } = ranking(e);
  const shown = order.slice(0, options.maxDisplay ?? 20);
  const x = shown.map((j) => meanAbs[j]);
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: shown.map((j) => e.names[j]),
        x,
        text: x.map((v) => v.toFixed(3)),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: "#ff0051" },
      },
    ],
    layout: {
      title: { text: options.title ?? "Mean |SHAP value|" },
      xaxis: { title: { text: "mean(|SHAP value|) (average impact on model output)" } },
      yaxis: { autorange: "reversed" },
      height: 120 + 24 * shown.length,
      margin: { l: 160 },
    },
  };
}

/**
 * Waterfall plot of one row: the base value E[f(X)], then each feature's contribution sorted by
 * |value| (top `maxDisplay`, default 10, the rest summed as "N other features"), ending at f(x).
 * Labels carry the feature values, e.g. "CustServ Calls = 6".
 * @example show(shapWaterfallFigure(treeShap(model, X), X, 0, { groups: { "Int'l Plan": ["Int'l Plan_no", "Int'l
 * Plan_yes"] } }))
 */
export function shapWaterfallFigure(
  shap: ShapValues,
  X: Matrix,
  row: number,
  options: ShapFigureOptions = {},
): PlotlyFigure {
  if (!Number.isInteger(row) || row < 0 || row >= shap.nRows)
    throw new RangeError(`row is out of range: ${row} (expected 0..${shap.nRows - 1})`);
  const e = explain(shap, X, options);
  const k = e.names.length;
  const order = Array.from({ length: k }, (_, j) => j).sort(
    (a, b) => Math.abs(e.phi[row * k + b]) - Math.abs(e.phi[row * k + a]) || a - b,
  );
  const top = order.slice(0, options.maxDisplay ?? 10);
  const rest = order.slice(top.length);
  const labels = [`E[f(X)] = ${fmt(e.base[row])}`, ...top.map((j) => e.label(row, j))];
  const values = [e.base[row], ...top.map((j) => e.phi[row * k + j])];
  if (rest.length > 0) {
    labels.push(`${rest.length} other feature${rest.length === 1 ? "" : "s"}`);
    values.push(rest.reduce((s, j) => s + e.phi[row * k + j], 0));
  }
  labels.push(`f(x) = ${fmt(e.output[row])}`);
  values.push(e.output[row]);
  const measure = values.map((_, i) => (i === 0 ? "absolute" : i === values.length - 1 ? "total" : "relative"));
  return {
    data: [
      {
        type: "waterfall",
        orientation: "h",
        y: labels,
        x: values,
        measure,
        text: values.map((v, i) => (i === 0 || i === values.length - 1 ? fmt(v) : `${v >= 0 ? "+" : ""}${fmt(v)}`)),
        textposition: "auto",
        cliponaxis: false,
        increasing: { marker: { color: "#ff0051" } },
        decreasing: { marker: { color: "#008bfb" } },
        totals: { marker: { color: "#7f7f7f" } },
      },
    ],
    layout: {
      title: { text: options.title ?? `SHAP waterfall, row ${row}` },
      xaxis: { title: { text: "model output (margin)" } },
      yaxis: { autorange: "reversed", type: "category" },
      height: 140 + 26 * labels.length,
      margin: { l: 200 },
    },
  };
}

/** Options of {@link importanceBarFigure}. */
export interface ImportanceBarFigureOptions {
  /** Features shown, most important first (default 20). */
  maxDisplay?: number;
  /** Chart title (default "Feature Importance", as the workshop's plot). */
  title?: string;
  /** Axis title of the values (default "importance"). */
  valueLabel?: string;
}

/**
 * Vertical bar chart of feature importance with vertical feature labels, like the workshop's
 * seaborn barplot: any kind from {@link featureImportance}, or a {@link permutationImportance}
 * result (with ±stddev error bars).
 * @example show(importanceBarFigure(featureImportance(model, "gain"), { valueLabel: "average gain" }))
 */
export function importanceBarFigure(
  importance: Record<string, number> | PermutationImportance,
  options: ImportanceBarFigureOptions = {},
): PlotlyFigure {
  const perm = Array.isArray((importance as PermutationImportance).rows)
    ? (importance as PermutationImportance)
    : undefined;
  const rows = perm
    ? perm.rows.map((r) => ({ feature: r.feature, value: r.importance, err: r.stddev }))
    : Object.entries(importance as Record<string, number>).map(([feature, value]) => ({ feature, value, err: 0 }));
  rows.sort((a, b) => b.value - a.value);
  const shown = rows.slice(0, options.maxDisplay ?? 20);
  const trace: Record<string, unknown> = {
    type: "bar",
    x: shown.map((r) => r.feature),
    y: shown.map((r) => r.value),
    marker: { color: "#4c72b0" },
  };
  if (perm) trace.error_y = { type: "data", array: shown.map((r) => r.err), visible: true };
  return {
    data: [trace],
    layout: {
      title: { text: options.title ?? "Feature Importance" },
      xaxis: { tickangle: -90, type: "category" },
      yaxis: { title: { text: options.valueLabel ?? (perm ? "score drop when shuffled" : "importance") } },
      margin: { b: 140 },
    },
  };
}

/**
 * One call that evaluates a binary classifier the way the workshop does (AutoGluon's
 * `evaluate_predictions`, `compute_f1`, `roc_auc_plot`) but with the AUC computed on probabilities:
 * `evaluate(yTrue, prob)` returns an {@link Evaluation} that shows itself as an HTML table and draws
 * its charts.
 */
import { escapeHtml, JUPYTER_DISPLAY, MediaBundle } from "../util/media-bundle";
import type { PlotlyFigure } from "../util/plotly-bundle";
import { confusionMatrixFigure, prCurveFigure, rocCurveFigure, scoreHistogramFigure } from "./eval-charts";
import {
  _ap,
  _auc,
  _bothClasses,
  _counts,
  _labels,
  _logLoss,
  _pr,
  _probabilities,
  _roc,
  _scores,
  BinaryCounts,
  Labels,
  PrCurve,
  RocCurve,
} from "./metrics";

/** One row of a classification report; `precision`/`recall` are NaN on the accuracy row. */
export interface ReportRow {
  /** Class name, "accuracy", "macro avg" or "weighted avg". */
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Python's `"%.{digits}f"`: like toFixed, but an exact tie rounds half to even (0.125 → "0.12"). @internal */
export function _pyFixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  if (!Number.isFinite(v) || Math.abs(v) >= 1e21) return s;
  const exact = v.toFixed(Math.min(100, digits + 30)); // toFixed is exact, so a true tie shows as 5000…
  const cut = exact.indexOf(".") + 1 + digits;
  if (!/^50*$/.test(exact.slice(cut))) return s;
  const down = exact.slice(0, digits === 0 ? cut - 1 : cut); // truncated toward zero
  return Number(down[down.length - 1]) % 2 === 0 ? down : s;
}

/** Report rows from counts (sklearn classification_report's output_dict, in its float order). @internal */
export function _reportRows(c: BinaryCounts, names: readonly [string, string]): ReportRow[] {
  const n = c.tn + c.fp + c.fn + c.tp;
  const cls = [
    [c.tn, c.fn, c.fp, c.tn + c.fp], // label 0: tp, fp, fn, support
    [c.tp, c.fp, c.fn, c.fn + c.tp],
  ].map(([tp, fp, fn, support], k): ReportRow => ({
    label: names[k],
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    f1: tp ? (2 * tp) / (2 * tp + fn + fp) : 0,
    support,
  }));
  const avg = (f: (r: ReportRow) => number) => (f(cls[0]) + f(cls[1])) / 2;
  const wavg = (f: (r: ReportRow) => number) => (f(cls[0]) * cls[0].support + f(cls[1]) * cls[1].support) / n;
  const row = (label: string, a: typeof avg): ReportRow => ({
    label,
    precision: a((r) => r.precision),
    recall: a((r) => r.recall),
    f1: a((r) => r.f1),
    support: n,
  });
  return [
    ...cls,
    { label: "accuracy", precision: NaN, recall: NaN, f1: (c.tn + c.tp) / n, support: n },
    row("macro avg", avg),
    row("weighted avg", wavg),
  ];
}

/** The report as sklearn prints it (classification_report text, digits 2 by default). @internal */
export function _reportText(rows: ReportRow[], digits = 2): string {
  const width = Math.max(12, ...rows.map((r) => r.label.length));
  const line = (label: string, cells: string[]) =>
    label.padStart(width) + " " + cells.map((c) => " " + c.padStart(9)).join("") + "\n";
  let text = line("", ["precision", "recall", "f1-score", "support"]) + "\n";
  rows.forEach((r, i) => {
    if (i === 2) text += "\n";
    const pr = r.label === "accuracy" ? ["", ""] : [_pyFixed(r.precision, digits), _pyFixed(r.recall, digits)];
    text += line(r.label, [...pr, _pyFixed(r.f1, digits), String(r.support)]);
  });
  return text;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /**
   * Probability of label 1 at or above which a row is predicted 1 (the workshop's get_binary_prediction). Default 0.5.
   */
  threshold?: number;
  /** Which label precision, recall, F1 and PR AUC refer to. `prob` is always P(label = 1). Default 1. */
  positiveLabel?: 0 | 1;
  /** Display names of label 0 and label 1, e.g. ["stays", "churns"]. Default ["0", "1"]. */
  names?: readonly [string, string];
}

/**
 * All metrics of a binary classifier on one data set, with charts; shows itself as an HTML table.
 * @example const ev = evaluate(yTest, prob); ev.auc; ev.confusionMatrixFigure()
 */
export class Evaluation {
  /** ROC AUC of the probabilities. */ readonly auc: number;
  /** Average precision (PR AUC). */ readonly prAuc: number;
  readonly accuracy: number;
  readonly balancedAccuracy: number;
  /** Precision of the positive label. */ readonly precision: number;
  /** Recall of the positive label. */ readonly recall: number;
  /** F1 of the positive label. */ readonly f1: number;
  /** Matthews correlation coefficient. */ readonly mcc: number;
  readonly logLoss: number;
  /** The workshop's "ROC_AUC SCORE": AUC of the hard predictions, equal to the balanced accuracy. */
  readonly hardLabelAuc: number;
  /** [[n00, n01], [n10, n11]]: rows actual 0/1, columns predicted 0/1. */
  readonly confusion: number[][];
  /** Classification-report rows: each class, accuracy, macro avg, weighted avg. */
  readonly report: ReportRow[];
  readonly roc: RocCurve;
  readonly pr: PrCurve;
  readonly n: number;
  readonly threshold: number;
  readonly positiveLabel: 0 | 1;
  readonly names: readonly [string, string];
  readonly #y: Uint8Array;
  readonly #prob: Float64Array;

  /** Use {@link evaluate}; this takes validated inputs (y: 1 = label 1). @internal */
  constructor(
    y: Uint8Array,
    prob: Float64Array,
    threshold: number,
    positiveLabel: 0 | 1,
    names: readonly [string, string],
  ) {
    this.#y = y;
    this.#prob = prob;
    this.n = y.length;
    this.threshold = threshold;
    this.positiveLabel = positiveLabel;
    this.names = names;
    const pred = new Uint8Array(y.length);
    for (let i = 0; i < y.length; i++) pred[i] = prob[i] >= threshold ? 1 : 0;
    const c = _counts(y, pred);
    const flip = (a: Uint8Array | Float64Array) => (positiveLabel === 1 ? a : a.map((v) => 1 - v));
    const counts = positiveLabel === 1 ? c : { tn: c.tp, fp: c.fn, fn: c.fp, tp: c.tn };
    const s = _scores(counts, positiveLabel);
    this.roc = _roc(y, prob);
    this.pr = _pr(flip(y) as Uint8Array, flip(prob) as Float64Array);
    this.auc = _auc(this.roc);
    this.prAuc = _ap(this.pr);
    this.logLoss = _logLoss(y, prob);
    this.hardLabelAuc = _auc(_roc(y, Float64Array.from(pred)));
    this.accuracy = s.accuracy;
    this.balancedAccuracy = s.balancedAccuracy;
    this.precision = s.precision;
    this.recall = s.recall;
    this.f1 = s.f1;
    this.mcc = s.mcc;
    this.confusion = s.confusion;
    this.report = _reportRows(c, names);
  }

  /** Metric rows: [label, value, note]. */
  metrics(): Array<[string, number, string]> {
    const pos = this.names[this.positiveLabel];
    return [
      ["ROC AUC", this.auc, "on probabilities, as AutoGluon's roc_auc"],
      ["PR AUC", this.prAuc, "average precision"],
      ["accuracy", this.accuracy, 'what the workshop\'s trainer printed as "AUC"'],
      ["balanced accuracy", this.balancedAccuracy, ""],
      ['workshop "ROC_AUC"', this.hardLabelAuc, "AUC of hard 0/1 predictions = balanced accuracy"],
      [`precision (${pos})`, this.precision, ""],
      [`recall (${pos})`, this.recall, ""],
      [`f1 (${pos})`, this.f1, ""],
      ["mcc", this.mcc, ""],
      ["log loss", this.logLoss, ""],
    ];
  }

  /** Plain-text summary: metrics, the classification report and the confusion matrix. */
  toString(): string {
    const head = `Evaluation of ${this.n} rows at threshold ${this.threshold}`;
    const lines = this.metrics().map(([k, v, note]) => `${k.padEnd(22)} ${v.toFixed(4)}${note ? `  (${note})` : ""}`);
    const cm = `confusion matrix (rows actual, columns predicted): ${JSON.stringify(this.confusion)}`;
    return [head, ...lines, "", _reportText(this.report), cm].join("\n");
  }

  /** The media bundle: an HTML table (all text escaped) with a text/plain fallback. */
  [JUPYTER_DISPLAY](): MediaBundle {
    const td = (v: number) => `<td style="text-align:right">${escapeHtml(Number.isNaN(v) ? "" : v.toFixed(4))}</td>`;
    const metricRows = this.metrics().map(
      ([k, v, note]) =>
        `<tr><th style="text-align:left">${escapeHtml(k)}</th>${td(v)}<td style="text-align:left">${escapeHtml(note)}</td></tr>`,
    );
    const reportRows = this.report.map(
      (r) =>
        `<tr><th style="text-align:left">${escapeHtml(r.label)}</th>${td(r.precision)}${td(r.recall)}${td(r.f1)}<td style="text-align:right">${r.support}</td></tr>`,
    );
    const html =
      `<div class="mldp-evaluation"><p><b>${escapeHtml(`Evaluation of ${this.n} rows at threshold ${this.threshold}`)}</b></p>` +
      `<table><thead><tr><th>metric</th><th>value</th><th>note</th></tr></thead><tbody>${metricRows.join("")}</tbody></table>` +
      `<p><b>Classification report</b></p><table><thead><tr><th></th><th>precision</th><th>recall</th><th>f1-score</th><th>support</th></tr></thead>` +
      `<tbody>${reportRows.join("")}</tbody></table></div>`;
    return { "text/html": html, "text/plain": this.toString() };
  }

  /** The numbers as plain JSON (no curves). */
  toJSON(): Record<string, unknown> {
    const {
      auc,
      prAuc,
      accuracy,
      balancedAccuracy,
      precision,
      recall,
      f1,
      mcc,
      logLoss,
      hardLabelAuc,
      confusion,
      report,
      n,
      threshold,
    } = this;
    return {
      n,
      threshold,
      auc,
      prAuc,
      accuracy,
      balancedAccuracy,
      precision,
      recall,
      f1,
      mcc,
      logLoss,
      hardLabelAuc,
      confusion,
      report,
    };
  }

  /** Annotated confusion-matrix heatmap (plot_cm2 style). */
  confusionMatrixFigure(options: { title?: string; panelTitle?: string } = {}): PlotlyFigure {
    return confusionMatrixFigure(
      { title: options.panelTitle, matrix: this.confusion, names: [...this.names] },
      { title: options.title },
    );
  }

  /** ROC curve with the AUC in the legend. */
  rocCurveFigure(options: { name?: string; title?: string } = {}): PlotlyFigure {
    return rocCurveFigure({ name: options.name ?? "model", ...this.roc, auc: this.auc }, { title: options.title });
  }

  /** Precision-recall curve with the AP in the legend and the no-skill line. */
  prCurveFigure(options: { name?: string; title?: string } = {}): PlotlyFigure {
    let pos = 0;
    for (let i = 0; i < this.n; i++) pos += this.#y[i];
    const prevalence = (this.positiveLabel === 1 ? pos : this.n - pos) / this.n;
    return prCurveFigure(
      { name: options.name ?? "model", ...this.pr, ap: this.prAuc, prevalence },
      { title: options.title },
    );
  }

  /** Histogram of the probabilities by actual class, with the threshold marked. */
  scoreHistogramFigure(options: { bins?: number; title?: string } = {}): PlotlyFigure {
    return scoreHistogramFigure(this.#y, this.#prob, { ...options, names: this.names, threshold: this.threshold });
  }
}

/**
 * Evaluate positive-class probabilities against 0/1 labels: every metric of the workshop, with ROC
 * AUC computed on the probabilities.
 * @example const ev = evaluate(yTest, prob, { threshold: 0.5 }); ev.auc; ev.rocCurveFigure()
 */
export function evaluate(yTrue: Labels, prob: ArrayLike<number>, options: EvaluateOptions = {}): Evaluation {
  const { threshold = 0.5, positiveLabel = 1, names = ["0", "1"] } = options;
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`threshold is out of range: ${String(threshold)} (expected a probability in [0, 1])`);
  }
  if (positiveLabel !== 0 && positiveLabel !== 1)
    throw new RangeError(`positiveLabel is not 0 or 1: ${String(positiveLabel)} (expected 0 or 1)`);
  if (!Array.isArray(names) || names.length !== 2 || names.some((s) => typeof s !== "string")) {
    throw new TypeError(`names is not two strings: ${JSON.stringify(names)} (expected e.g. ["stays", "churns"])`);
  }
  const y = _labels(yTrue, "yTrue");
  const p = _probabilities(prob, "prob", y.length);
  _bothClasses(y, "ROC AUC", 1);
  return new Evaluation(y, p, threshold, positiveLabel, names);
}

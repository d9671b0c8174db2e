/**
 * Evaluation charts as plain plotly figures (`{data, layout}`): the workshop's annotated confusion
 * matrices (`plot_cm2`), ROC and PR curves, a score histogram by class and the cost-by-cutoff line.
 * Figures stay small: curves are thinned to about 1,000 points, histograms are binned here, and every
 * coordinate is rounded to 6 significant digits. The numbers in legends come from the full data.
 */
import type { PlotlyFigure } from "../util/plotly-bundle";
import type { ThresholdSweep } from "./threshold";

/**
 * matplotlib's YlGnBu (ColorBrewer, 9 classes): light yellow for low counts, dark blue for high, as seaborn draws it.
 */
export const YLGNBU: Array<[number, string]> = [
  "#ffffd9",
  "#edf8b1",
  "#c7e9b4",
  "#7fcdbb",
  "#41b6c4",
  "#1d91c0",
  "#225ea8",
  "#253494",
  "#081d58",
].map((c, i) => [i / 8, c]);

/** Round to 6 significant digits (compact JSON). @internal */
export const _sig6 = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

/**
 * Thin a curve to about `maxPoints` points, keeping the first and last point and every point at least
 * 1/maxPoints of the curve's L1 length away from the previous kept one. @internal
 */
export function _thin(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = 1000): { x: number[]; y: number[] } {
  const n = x.length;
  let length = 0;
  for (let i = 1; i < n; i++) length += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
  const step = n > maxPoints ? length / maxPoints : 0;
  const ox: number[] = [],
    oy: number[] = [];
  let lx = NaN,
    ly = NaN;
  for (let i = 0; i < n; i++) {
    const far = !(Math.abs(x[i] - lx) + Math.abs(y[i] - ly) < step);
    if (i === 0 || i === n - 1 || far) {
      ox.push(_sig6(x[i]));
      oy.push(_sig6(y[i]));
      lx = x[i];
      ly = y[i];
    }
  }
  return { x: ox, y: oy };
}

/** One confusion-matrix panel. */
export interface ConfusionPanel {
  /** Panel title, e.g. "for training data". */
  title?: string;
  /** Counts, rows actual and columns predicted. */
  matrix: number[][];
  /** Class names in label order. Default "0", "1", …. */
  names?: string[];
}

/** Options of {@link confusionMatrixFigure}. */
export interface ConfusionFigureOptions {
  /** Figure title (plot_cm2's suptitle). Default "Confusion matrix". */
  title?: string;
}

/**
 * Text of one cell like plot_cm2: "93.9%<br>231/246" on the diagonal, "6.1%<br>15" off it, "" for 0.
 * @internal
 */
export function _cellText(count: number, rowSum: number, diagonal: boolean): string {
  const pct = ((rowSum === 0 ? 0 : count / rowSum) * 100).toFixed(1); // no exact .x5 ties in binary, so = Python %.1f
  if (diagonal) return `${pct}%<br>${count}/${rowSum}`;
  return count === 0 ? "" : `${pct}%<br>${count}`;
}

/**
 * Annotated confusion-matrix heatmaps side by side (the workshop's `plot_cm2`): YlGnBu by count,
 * Actual rows × Predicted columns.
 * @example confusionMatrixFigure([{ title: "for training data", matrix: train.confusion }, { title: "for test data",
 * matrix: test.confusion }])
 */
export function confusionMatrixFigure(
  panels: ConfusionPanel | ConfusionPanel[],
  options: ConfusionFigureOptions = {},
): PlotlyFigure {
  const { title = "Confusion matrix" } = options;
  const list = Array.isArray(panels) ? panels : [panels];
  if (list.length === 0) throw new RangeError("panels is empty (expected one or more confusion matrices)");
  const gap = 0.12,
    width = (1 - gap * (list.length - 1)) / list.length;
  const data: PlotlyFigure["data"] = [];
  const annotations: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = { title: { text: title }, height: 360, margin: { t: 80 } };
  list.forEach((panel, k) => {
    const m = panel.matrix;
    if (!Array.isArray(m) || m.length === 0 || m.some((r) => !Array.isArray(r) || r.length !== m.length)) {
      throw new TypeError(
        `panels[${k}].matrix is not a square matrix: ${JSON.stringify(m)} (expected counts like [[231, 15], [4, 250]])`,
      );
    }
    const names = panel.names ?? m.map((_, i) => String(i));
    const sx = k === 0 ? "" : String(k + 1);
    const domain = [_sig6(k * (width + gap)), _sig6(k * (width + gap) + width - 0.04)];
    const max = Math.max(...m.flat());
    data.push({
      type: "heatmap",
      z: m,
      x: names,
      y: names,
      xaxis: `x${sx}`,
      yaxis: `y${sx}`,
      colorscale: YLGNBU,
      zmin: 0,
      colorbar: { x: domain[1] + 0.01, xanchor: "left", thickness: 12 },
      hovertemplate: "Actual %{y}<br>Predicted %{x}<br>%{z}<extra></extra>",
    });
    layout[`xaxis${sx}`] = { domain, title: { text: "Predicted" }, type: "category", anchor: `y${sx}` };
    layout[`yaxis${sx}`] = { title: { text: "Actual" }, type: "category", autorange: "reversed", anchor: `x${sx}` };
    m.forEach((row, i) => {
      const rowSum = row.reduce((a, b) => a + b, 0);
      row.forEach((count, j) => {
        const dark = max > 0 && count / max > 0.5;
        annotations.push({
          xref: `x${sx}`,
          yref: `y${sx}`,
          x: names[j],
          y: names[i],
          text: _cellText(count, rowSum, i === j),
          showarrow: false,
          font: { color: dark ? "white" : "black" },
        });
      });
    });
    if (panel.title) {
      annotations.push({
        xref: "paper",
        yref: "paper",
        x: (domain[0] + domain[1]) / 2,
        y: 1.02,
        xanchor: "center",
        yanchor: "bottom",
        text: panel.title,
        showarrow: false,
        font: { size: 14 },
      });
    }
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** One ROC curve to draw. */
export interface RocSeries {
  name: string;
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
  /** AUC of the full curve, shown in the legend. */
  auc: number;
}

/** Options shared by the curve figures. */
export interface CurveFigureOptions {
  /** Figure title. Default "ROC curve" / "Precision-recall curve". */
  title?: string;
  /** Most points per curve after thinning. Default 1000. */
  maxPoints?: number;
}

/**
 * ROC curves with the diagonal reference line; the legend shows each AUC (4 decimals).
 * @example rocCurveFigure([{ name: "test", ...evaluation.roc, auc: evaluation.auc }])
 */
export function rocCurveFigure(series: RocSeries | RocSeries[], options: CurveFigureOptions = {}): PlotlyFigure {
  const { title = "ROC curve", maxPoints = 1000 } = options;
  const data: PlotlyFigure["data"] = (Array.isArray(series) ? series : [series]).map((s) => ({
    type: "scatter",
    mode: "lines",
    name: `${s.name} (AUC = ${s.auc.toFixed(4)})`,
    ..._thin(s.fpr, s.tpr, maxPoints),
  }));
  data.push({
    type: "scatter",
    mode: "lines",
    name: "chance (AUC = 0.5)",
    x: [0, 1],
    y: [0, 1],
    line: { dash: "dash", color: "gray" },
  });
  const layout = {
    title: { text: title },
    width: 520,
    height: 440,
    legend: { x: 0.98, xanchor: "right", y: 0.04, yanchor: "bottom" },
    xaxis: { title: { text: "False positive rate" }, range: [0, 1] },
    yaxis: { title: { text: "True positive rate" }, range: [0, 1.05] },
  };
  return { data, layout };
}

/** One precision-recall curve to draw. */
export interface PrSeries {
  name: string;
  precision: ArrayLike<number>;
  recall: ArrayLike<number>;
  /** Average precision of the full curve, shown in the legend. */
  ap: number;
  /** Share of positives: the no-skill precision, drawn as a dashed line when given. */
  prevalence?: number;
}

/**
 * Precision-recall curves as steps (what average precision sums); the legend shows each AP.
 * @example prCurveFigure({ name: "test", ...evaluation.pr, ap: evaluation.prAuc })
 */
export function prCurveFigure(series: PrSeries | PrSeries[], options: CurveFigureOptions = {}): PlotlyFigure {
  const { title = "Precision-recall curve", maxPoints = 1000 } = options;
  const list = Array.isArray(series) ? series : [series];
  const data: PlotlyFigure["data"] = list.map((s) => {
    const { x, y } = _thin(s.recall, s.precision, maxPoints);
    return { type: "scatter", mode: "lines", line: { shape: "hv" }, name: `${s.name} (AP = ${s.ap.toFixed(4)})`, x, y };
  });
  for (const s of list) {
    if (s.prevalence !== undefined) {
      data.push({
        type: "scatter",
        mode: "lines",
        name: `${s.name} no skill (${s.prevalence.toFixed(3)})`,
        x: [0, 1],
        y: [_sig6(s.prevalence), _sig6(s.prevalence)],
        line: { dash: "dash", color: "gray" },
      });
    }
  }
  const layout = {
    title: { text: title },
    width: 520,
    height: 440,
    legend: { x: 0.02, xanchor: "left", y: 0.04, yanchor: "bottom" },
    xaxis: { title: { text: "Recall" }, range: [0, 1] },
    yaxis: { title: { text: "Precision" }, range: [0, 1.05] },
  };
  return { data, layout };
}

/** Options of {@link scoreHistogramFigure}. */
export interface ScoreHistogramOptions {
  /** Number of equal-width bins over [0, 1]. Default 50. */
  bins?: number;
  /** Names of label 0 and label 1. Default ["0", "1"]. */
  names?: readonly [string, string];
  /** Draw this cutoff as a dashed vertical line. Default none. */
  threshold?: number;
  /** Figure title. Default "Predicted probability by actual class". */
  title?: string;
}

/**
 * Histogram of predicted probabilities, one overlaid bar trace per actual class, binned here.
 * @example scoreHistogramFigure(yTest, prob, { threshold: 0.5, names: ["stays", "churns"] })
 */
export function scoreHistogramFigure(
  yTrue: ArrayLike<number>,
  prob: ArrayLike<number>,
  options: ScoreHistogramOptions = {},
): PlotlyFigure {
  const { bins = 50, names = ["0", "1"], threshold, title = "Predicted probability by actual class" } = options;
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins is not a positive integer: ${bins} (expected e.g. 50)`);
  const counts = [new Array<number>(bins).fill(0), new Array<number>(bins).fill(0)];
  for (let i = 0; i < prob.length; i++) counts[yTrue[i] ? 1 : 0][Math.min(bins - 1, Math.floor(prob[i] * bins))]++;
  const x = counts[0].map((_, b) => _sig6((b + 0.5) / bins));
  const data: PlotlyFigure["data"] = [0, 1].map((c) => ({
    type: "bar",
    name: `actual ${names[c]}`,
    x,
    y: counts[c],
    width: _sig6(1 / bins),
    opacity: 0.6,
  }));
  const layout: Record<string, unknown> = {
    title: { text: title },
    barmode: "overlay",
    width: 640,
    height: 400,
    xaxis: { title: { text: "Predicted probability" }, range: [0, 1] },
    yaxis: { title: { text: "Rows" } },
  };
  if (threshold !== undefined) {
    layout.shapes = [
      {
        type: "line",
        xref: "x",
        yref: "paper",
        x0: threshold,
        x1: threshold,
        y0: 0,
        y1: 1,
        line: { dash: "dash", color: "gray" },
      },
    ];
  }
  return { data, layout };
}

/** "$29,200" (no locale dependence). @internal */
export function _dollars(v: number): string {
  const sign = v < 0 ? "-" : "";
  return `${sign}$${Math.round(Math.abs(v))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;
}

/**
 * Cost by cutoff from {@link thresholdSweep}, with the cheapest cutoff marked.
 * @example costCurveFigure(thresholdSweep(yTest, prob))
 */
export function costCurveFigure(sweep: ThresholdSweep, options: { title?: string } = {}): PlotlyFigure {
  const { title = "Cost by cutoff" } = options;
  const { best } = sweep;
  const label = `minimum ${_dollars(best.cost)} at ${_sig6(best.threshold)}`;
  const data: PlotlyFigure["data"] = [
    {
      type: "scatter",
      mode: "lines",
      name: "cost",
      x: Array.from(sweep.thresholds, _sig6),
      y: Array.from(sweep.costs, _sig6),
    },
    {
      type: "scatter",
      mode: "markers+text",
      name: label,
      x: [_sig6(best.threshold)],
      y: [_sig6(best.cost)],
      text: [label],
      textposition: "top center",
      marker: { size: 10, color: "red" },
    },
  ];
  const layout = {
    title: { text: title },
    width: 640,
    height: 400,
    xaxis: { title: { text: "Cutoff" } },
    yaxis: { title: { text: "Cost ($)" } },
  };
  return { data, layout };
}

/**
 * Charts of a multi-class training run as plain plotly figures: the train/validation curves per epoch
 * (loss and accuracy, the kept epoch marked), per-class precision and recall, and the k-class confusion
 * matrix (the workshop's annotated `plot_cm2` style of `confusionMatrixFigure`, sized for k classes).
 */
import type { PlotlyFigure } from "../util/plotly-bundle";
import { _sig6, confusionMatrixFigure } from "./eval-charts";
import type { MulticlassScores } from "./multiclass";

/** One epoch as a training loop logs it (the image head's `EpochLog` is one). */
export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
}

/** Options of {@link trainingCurvesFigure}. */
export interface TrainingCurvesOptions {
  /** Figure title. Default "Training and validation". */
  title?: string;
  /** The epoch whose weights were kept, marked by a dotted line. Default none. */
  bestEpoch?: number;
  /** Draw up to this epoch on the x axis (fixed axis while curves grow live). Default the last epoch. */
  maxEpoch?: number;
}

/**
 * Loss (left) and accuracy (right) per epoch for the training and validation rows, Keras-history style.
 * @example trainingCurvesFigure(head.history_, { bestEpoch: head.bestEpoch_ })
 */
export function trainingCurvesFigure(
  history: readonly EpochPoint[],
  options: TrainingCurvesOptions = {},
): PlotlyFigure {
  const { title = "Training and validation", bestEpoch, maxEpoch } = options;
  const x = history.map((h) => h.epoch);
  const finite = (v: number) => (Number.isFinite(v) ? _sig6(v) : null);
  const line = (name: string, y: number[], axis: string, dash: string, color: string) => ({
    type: "scatter",
    mode: "lines+markers",
    name,
    x,
    y: y.map(finite),
    xaxis: `x${axis}`,
    yaxis: `y${axis}`,
    line: { dash, color },
    marker: { size: 4 },
  });
  const data: PlotlyFigure["data"] = [
    line(
      "train loss",
      history.map((h) => h.loss),
      "",
      "solid",
      "#1f77b4",
    ),
    line(
      "validation loss",
      history.map((h) => h.valLoss),
      "",
      "dot",
      "#ff7f0e",
    ),
    line(
      "train accuracy",
      history.map((h) => h.accuracy),
      "2",
      "solid",
      "#1f77b4",
    ),
    line(
      "validation accuracy",
      history.map((h) => h.valAccuracy),
      "2",
      "dot",
      "#ff7f0e",
    ),
  ];
  const last = maxEpoch ?? Math.max(1, ...x);
  const shapes =
    bestEpoch === undefined || bestEpoch < 1
      ? []
      : ["", "2"].map((axis) => ({
          type: "line",
          xref: `x${axis}`,
          yref: "paper",
          x0: bestEpoch,
          x1: bestEpoch,
          y0: 0,
          y1: 1,
          line: { dash: "dot", color: "#2ca02c", width: 1 },
        }));
  return {
    data,
    layout: {
      title: { text: title + (bestEpoch ? ` (kept epoch ${bestEpoch})` : "") },
      height: 360,
      xaxis: { domain: [0, 0.45], title: { text: "epoch" }, range: [0.5, last + 0.5] },
      yaxis: { title: { text: "cross-entropy loss" }, rangemode: "tozero" },
      xaxis2: { domain: [0.55, 1], title: { text: "epoch" }, range: [0.5, last + 0.5], anchor: "y2" },
      yaxis2: { title: { text: "accuracy" }, range: [0, 1.02], anchor: "x2" },
      shapes,
      legend: { orientation: "h", x: 0.5, xanchor: "center", y: -0.3, yanchor: "top" },
      margin: { b: 90 },
    },
  };
}

/**
 * Per-class precision and recall as grouped bars, with each class's support in the hover.
 * @example perClassScoresFigure(multiclassScores(yTest, predicted, { classNames }))
 */
export function perClassScoresFigure(scores: MulticlassScores, options: { title?: string } = {}): PlotlyFigure {
  const { title = `Per-class precision and recall (accuracy ${(scores.accuracy * 100).toFixed(1)}%)` } = options;
  const bar = (name: string, y: number[], color: string) => ({
    type: "bar",
    name,
    x: scores.classNames,
    y: y.map(_sig6),
    customdata: scores.support,
    marker: { color },
    hovertemplate: `%{x}<br>${name} %{y:.3f}<br>support %{customdata}<extra></extra>`,
  });
  return {
    data: [bar("precision", scores.precision, "#1f77b4"), bar("recall", scores.recall, "#ff7f0e")],
    layout: {
      title: { text: title },
      barmode: "group",
      height: 320,
      xaxis: { type: "category" },
      yaxis: { title: { text: "score" }, range: [0, 1.05] },
    },
  };
}

/**
 * The confusion matrix of a multi-class evaluation, annotated like `confusionMatrixFigure` (row
 * percentages and counts) and tall enough for its classes.
 * @example multiclassConfusionFigure(multiclassScores(yTest, predicted, { classNames }), { title: "Test" })
 */
export function multiclassConfusionFigure(scores: MulticlassScores, options: { title?: string } = {}): PlotlyFigure {
  const { title = `Confusion matrix (accuracy ${(scores.accuracy * 100).toFixed(1)}%)` } = options;
  const fig = confusionMatrixFigure({ matrix: scores.confusion, names: scores.classNames }, { title });
  const k = scores.classNames.length;
  return { ...fig, layout: { ...fig.layout, height: Math.max(360, 120 + 42 * k), width: Math.max(480, 160 + 52 * k) } };
}

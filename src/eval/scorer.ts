/**
 * Leaderboard metrics in AutoGluon's convention: every score is "higher is better" (log loss is
 * reported negated, as AutoGluon's `score_val` does), computed from 0/1 labels and P(y = 1) with the
 * project's scikit-learn-exact metrics (src/eval/metrics.ts).
 */
import { _labels, _logLoss, _probabilities, accuracyScore, rocAucScore } from "./metrics";

/** A named score of probabilities against 0/1 labels; higher is better. */
export interface Scorer {
  /** Name shown in the leaderboard and charts, e.g. "roc_auc". */
  name: string;
  /** Score of probabilities p against labels y (higher is better). */
  score(y: ArrayLike<number>, p: ArrayLike<number>): number;
  /** Best possible score, from which ensemble selection measures regret (default 0). */
  optimum?: number;
}

/** Metric names AutoGluon uses for binary problems that the leaderboard knows. */
export type MetricName = "roc_auc" | "accuracy" | "log_loss";

const SCORERS: Record<MetricName, Scorer> = {
  roc_auc: { name: "roc_auc", optimum: 1, score: (y, p) => rocAucScore(y, p) },
  // AutoGluon's binary decision threshold: predict 1 when P(y = 1) > 0.5.
  accuracy: {
    name: "accuracy",
    optimum: 1,
    score: (y, p) =>
      accuracyScore(
        y,
        Array.from(p, (v) => (v > 0.5 ? 1 : 0)),
      ),
  },
  log_loss: {
    name: "log_loss",
    optimum: 0,
    score: (y, p) => -_logLoss(_labels(y, "yTrue"), _probabilities(p, "prob", y.length)),
  },
};

/**
 * Resolve a metric name (or pass a custom {@link Scorer} through).
 * @example scorer("roc_auc").score([0, 1, 1], [0.2, 0.9, 0.6]) // 1
 */
export function scorer(metric: MetricName | Scorer = "roc_auc"): Scorer {
  if (
    typeof metric === "object" &&
    metric !== null &&
    typeof metric.score === "function" &&
    typeof metric.name === "string"
  )
    return metric;
  if (typeof metric === "string" && Object.hasOwn(SCORERS, metric)) return SCORERS[metric as MetricName];
  throw new RangeError(
    `metric is unknown: ${JSON.stringify(metric)} (expected one of ${Object.keys(SCORERS)
      .map((m) => JSON.stringify(m))
      .join(", ")} or {name, score})`,
  );
}

/**
 * Why the weighted ensemble came out the way it did. Caruana's greedy selection (ensemble.ts) starts
 * from the best model on validation and adds a model only when the average scores higher; when no
 * addition ever does, `WeightedEnsemble_L2` is that one model with weight 1, and its scores equal the
 * model's. This reads the fitted ensemble's weights and re-scores, on the validation data, every
 * blend the selection could have reached with one other model (k parts best model, 1 part the other,
 * k = 1 … ensembleSize − 1), so a notebook can say which case it is from the numbers.
 */
import { escapeHtml, withDisplay, type Displayable, type MediaBundle } from "../util/media-bundle";
import { DataPrepError } from "../util/errors";
import type { Leaderboard, LeaderboardPart } from "./leaderboard";
import { scorer } from "../eval/scorer";

/** A blend of the best model with one other model. */
export interface EnsembleBlend {
  /** The other model. */
  model: string;
  /** Parts of the best model per part of `model` (k in k:1). */
  ratio: number;
  /** Validation score of the blend. */
  score: number;
}

/** What {@link explainEnsemble} found. */
export interface EnsembleExplanation extends Displayable {
  /** Name of the ensemble (AutoGluon's "WeightedEnsemble_L2"). */
  ensemble: string;
  /** True when all the weight is on one model. */
  singleModel: boolean;
  /** Non-zero weights by model, largest first. */
  weights: Record<string, number>;
  metric: string;
  /** Validation score of the ensemble. */
  score: number;
  /** The best base model on validation and its score. */
  best: { model: string; score: number };
  /** The best k:1 blend of the best model with each other model, best first (a constant model never changes AUC). */
  blends: EnsembleBlend[];
  /** One paragraph saying what the ensemble is and why. */
  text: string;
}

const f5 = (x: number) => x.toFixed(5);

/**
 * Explain a leaderboard's weighted ensemble from its weights and the validation data it was chosen on.
 * @example explainEnsemble(board, data.validation).text // "WeightedEnsemble_L2 is XGBoost alone (weight 1) ..."
 */
export function explainEnsemble(board: Leaderboard, validation: LeaderboardPart): EnsembleExplanation {
  const ens = board.ensemble;
  if (!ens || !ens.weights_)
    throw new DataPrepError(`leaderboard has no fitted ensemble (expected fitLeaderboard(..., { ensemble: true }))`);
  const score = scorer(ens.params.metric);
  const preds = ens.models.map((m) => m.predictProba(validation.X));
  const alone = preds.map((p) => score.score(validation.y, p));
  const bestIndex = alone.indexOf(Math.max(...alone));
  const best = { model: ens.models[bestIndex].name, score: alone[bestIndex] };
  const rounds = ens.params.ensembleSize ?? 25;
  const blends: EnsembleBlend[] = [];
  ens.models.forEach((other, j) => {
    if (j === bestIndex) return;
    let top: EnsembleBlend = { model: other.name, ratio: 1, score: -Infinity };
    for (let k = 1; k < Math.max(rounds, 2); k++) {
      const blend = preds[bestIndex].map((p, r) => (k * p + preds[j][r]) / (k + 1));
      const s = score.score(validation.y, blend);
      if (s > top.score) top = { model: other.name, ratio: k, score: s };
    }
    blends.push(top);
  });
  blends.sort((a, b) => b.score - a.score);
  const weights = Object.fromEntries(
    Object.entries(ens.weightsByModel())
      .filter(([, w]) => w > 0)
      .sort((a, b) => b[1] - a[1]),
  );
  const used = Object.keys(weights);
  const ensScore = score.score(validation.y, ens.combine(preds));
  const singleModel = used.length === 1;
  const metric = score.name;
  let text: string;
  if (singleModel) {
    const constant = new Set(ens.models.filter((_, j) => preds[j].every((p) => p === preds[j][0])).map((m) => m.name));
    const listed = blends.map(
      (b) => `${b.model} ${f5(b.score)} (${b.ratio}:1${constant.has(b.model) ? ", a constant" : ""})`,
    );
    const above = blends.some((b) => b.score > best.score);
    const blendText = blends.length
      ? ` Its best blends with one other model, k parts ${best.model} to 1, scored: ${listed.join(", ")}` +
        (above ? ` (higher only below AutoGluon's rounding of 1e-6, where ties keep the model already chosen).` : `.`)
      : "";
    text =
      `${ens.name} is ${used[0]} alone (weight 1): Caruana's greedy selection starts from the best model on ` +
      `validation, ${best.model} (${metric} ${f5(best.score)}), and adds a model only when the average scores ` +
      `higher; in ${rounds} rounds no addition did.${blendText} So the ensemble predicts exactly what ${used[0]} ` +
      `predicts, with the same score_val and score_test.`;
  } else {
    const parts = used.map((m) => `${m} ${Number(weights[m].toFixed(4))}`).join(", ");
    text =
      `${ens.name} blends ${used.length} models (${parts}): on validation it scores ${metric} ${f5(ensScore)}, ` +
      `against ${f5(best.score)} for the best single model, ${best.model}; the models' errors differ enough for ` +
      `their average to rank the rows better.`;
  }
  return withDisplay(
    { ensemble: ens.name, singleModel, weights, metric, score: ensScore, best, blends, text },
    (): MediaBundle => ({ "text/html": `<p class="mldp-ensemble">${escapeHtml(text)}</p>`, "text/plain": text }),
  );
}

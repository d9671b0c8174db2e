/**
 * Inference on new raw rows: the saved preparation (src/tabular/preparation.ts) turns raw columns
 * into the model's features, in the model's order, and the saved XGBoost-JSON model scores them.
 * The pair is checked once on load, so training and inference always see identical columns.
 */
import { DataFrame } from "nodejs-polars";
import { SchemaError } from "../util/errors";
import { applyPreparation, loadPreparation, Preparation } from "../tabular/preparation";
import { matrixFromFrame } from "../util/matrix";
import { GBTModel } from "./model";
import { predict } from "./predict";
import { loadXGBoostJSON } from "./xgboost-json";

/** A preparation and a binary model that belong together. */
export class ChurnPredictor {
  constructor(
    readonly preparation: Preparation,
    readonly model: GBTModel,
  ) {
    const features = preparation.columns.filter((c) => c !== preparation.label.column);
    const names = model.featureNames;
    if (model.objective !== "binary:logistic") {
      throw new SchemaError(`model objective is ${model.objective} (expected binary:logistic for churn probabilities)`);
    }
    if (names.length > 0 ? names.join("\u0000") !== features.join("\u0000") : model.numFeature !== features.length) {
      const got = names.length > 0 ? names.join(", ") : `${model.numFeature} unnamed features`;
      throw new SchemaError(`model features do not match the preparation: ${got} (expected ${features.join(", ")})`);
    }
  }

  /** The model's feature frame for raw rows (the label column, if present, is dropped). */
  features(raw: DataFrame): DataFrame {
    const prepared = applyPreparation(this.preparation, raw);
    const label = this.preparation.label.column;
    return prepared.columns.includes(label) ? prepared.drop(label) : prepared;
  }

  /**
   * Probability of the positive label for each raw row.
   * @example predictor.predictProba(readTable("new.csv", { label: null }).df)
   */
  predictProba(raw: DataFrame): Float32Array {
    const { X } = matrixFromFrame(this.features(raw));
    return predict(this.model, X);
  }
}

/**
 * Load a saved preparation and model and check they fit together.
 * @example const p = loadChurnPredictor("out/tabular/churn/preparation.json", "out/tabular/churn/model.json")
 */
export function loadChurnPredictor(preparationFile: string, modelFile: string): ChurnPredictor {
  return new ChurnPredictor(loadPreparation(preparationFile), loadXGBoostJSON(modelFile));
}

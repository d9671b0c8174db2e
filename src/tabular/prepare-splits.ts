/**
 * The workshop's whole split-and-encode step in one call, for notebooks that start from a raw
 * table (notebook 1.2 "splits the same way as 1.1"): numpy-exact shuffle split, a preparation
 * fitted on train only and applied to every split, and the model matrices.
 */
import { DataFrame } from "nodejs-polars";
import { matrixFromFrame, Matrix } from "../util/matrix";
import { applyPreparation, fitPreparation, Preparation } from "./preparation";
import { split, Splits } from "./split";

/** Options of {@link prepareSplits}. */
export interface PrepareSplitsOptions {
  /** Label column. Required. */
  label: string;
  /** Label value that becomes 1. Required. */
  positive: string | number | boolean;
  /** Columns dropped. Default none. */
  drop?: readonly string[];
  /** Columns one-hot encoded. Default: every remaining string column (pandas get_dummies' default). */
  oneHot?: readonly string[];
  /** Train/validation/test fractions. Default [0.8, 0.1, 0.1]. */
  ratios?: readonly number[];
  /** numpy RandomState seed of the shuffle. Default 1024 (the workshop's). */
  seed?: number;
  /** Policy for categories not seen in train. Default "ignore" (all-zero dummies). */
  unseen?: "error" | "ignore";
}

type Part = { X: Matrix; y: Float64Array };

/** What {@link prepareSplits} returns. */
export interface PreparedSplits {
  /** Raw rows of each split, and their row numbers in the input. */
  parts: Splits;
  preparation: Preparation;
  /** Encoded frames, label first. */
  frames: { train: DataFrame; validation: DataFrame; test: DataFrame };
  /** Model matrices and 0/1 labels. */
  data: { train: Part; validation: Part; test: Part };
}

/**
 * Split a raw table like the workshop, fit the preparation on train, and build model matrices.
 * @example const { data } = prepareSplits(raw, { label: "Churn?", positive: "True.", drop: ["State", "Area Code",
 * "Phone"] })
 */
export function prepareSplits(raw: DataFrame, options: PrepareSplitsOptions): PreparedSplits {
  const { label, positive, drop = [], ratios = [0.8, 0.1, 0.1], seed = 1024, unseen = "ignore" } = options;
  const oneHot =
    options.oneHot ?? raw.columns.filter((c) => c !== label && !drop.includes(c) && raw.getColumn(c).isString());
  const parts = split(raw, { ratios, seed });
  const preparation = fitPreparation(parts.train, { label, positive, drop, oneHot, unseen });
  const frames = {
    train: applyPreparation(preparation, parts.train),
    validation: applyPreparation(preparation, parts.validation),
    test: applyPreparation(preparation, parts.test),
  };
  const part = (df: DataFrame): Part => {
    const { X, y } = matrixFromFrame(df, { label });
    return { X, y: y! };
  };
  return {
    parts,
    preparation,
    frames,
    data: { train: part(frames.train), validation: part(frames.validation), test: part(frames.test) },
  };
}

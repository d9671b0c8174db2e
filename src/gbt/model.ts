/**
 * The in-memory gradient-boosted tree model, shaped like XGBoost's JSON model (doc/model.schema):
 * each tree is a structure of arrays indexed by node id, so saving/loading XGBoost JSON is a
 * direct mapping and the hot prediction loop walks typed arrays.
 *
 * Glossary: margin = raw score before the link function (log-odds for binary:logistic);
 * group = output index a tree adds to (the class for multi:softprob, else 0).
 */

/** Objectives supported, with XGBoost's names. */
export type Objective = "binary:logistic" | "reg:squarederror" | "multi:softprob";

/** One regression tree. Node 0 is the root; a leaf has `left[node] === -1`. */
export interface RegTree {
  /** Left child of each node, -1 for a leaf. */
  left: Int32Array;
  /** Right child of each node, -1 for a leaf. */
  right: Int32Array;
  /** Parent of each node; the root's is 2147483647 in XGBoost JSON, -1 here. */
  parent: Int32Array;
  /** Feature index tested at each split node (0 for leaves). */
  splitIndex: Int32Array;
  /**
   * Split threshold at split nodes (go left when `x < threshold`), and the leaf value (already
   * multiplied by eta) at leaves, exactly as XGBoost stores `split_conditions`. Float32 like XGBoost.
   */
  splitCondition: Float32Array;
  /** 1 when a missing value (NaN) goes left at this split. */
  defaultLeft: Uint8Array;
  /** Weight of each node (leaf value before eta for leaves in XGBoost's convention; base_weights). */
  baseWeight: Float32Array;
  /** Gain of the split at each node (0 for leaves): loss_changes. */
  lossChange: Float32Array;
  /** Sum of hessians of the training rows reaching each node (the node's "cover"): sum_hessian. */
  sumHessian: Float32Array;
}

/** A trained (or loaded) booster. */
export interface GBTModel {
  objective: Objective;
  /** Number of input features. */
  numFeature: number;
  /** Classes for multi:softprob, else 1 output group. */
  numGroup: number;
  /** Global bias in margin space (for binary:logistic: logit of XGBoost's base_score). */
  baseMargin: number;
  /**
   * Bias of each output group in margin space, when they differ (multi:softprob: XGBoost 3.x stores
   * a vector base_score of centered log class frequencies). Absent: every group uses `baseMargin`.
   */
  groupBaseMargin?: number[];
  /** XGBoost's `base_score` as saved (probability for binary:logistic), when known; else derived from the margins. */
  baseScore?: number[];
  trees: RegTree[];
  /** Output group of each tree (tree_info). */
  treeGroup: Int32Array;
  /** Feature names, in column order (may be empty when unknown). */
  featureNames: string[];
  /** Best boosting round found by early stopping, when it ran. */
  bestIteration?: number;
}

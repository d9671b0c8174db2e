/**
 * Save and load XGBoost's JSON model format (as written by xgboost 3.2 `Booster.save_model("m.json")`).
 *
 * Layout (https://xgboost.readthedocs.io/en/stable/tutorials/saving_model.html, doc/model.schema):
 *   { version: [major, minor, patch],
 *     learner: { attributes: {best_iteration?, best_score?}, feature_names: [], feature_types: [],
 *       learner_model_param: { base_score: "[5E-1]" (a string holding a float32 vector), num_class,
 *         num_feature, num_target, boost_from_average },
 *       objective: { name, reg_loss_param | softmax_multiclass_param },
 *       gradient_booster: { name: "gbtree", model: { gbtree_model_param: {num_trees, num_parallel_tree},
 *         tree_info: [group per tree], iteration_indptr: [first tree of each round],
 *         cats: {...}, trees: [ structure-of-arrays trees: left_children, right_children, parents
 *         (root 2147483647), split_indices, split_conditions, default_left (0/1), split_type,
 *         base_weights, loss_changes, sum_hessian, categories*, tree_param: {num_nodes, ...} ] } } } }
 * Scalar parameters are strings; floats are float32. Categorical splits, multi-target trees,
 * num_parallel_tree > 1, dart and gblinear are not supported (a FormatError says so).
 */
import * as fs from "node:fs";
import type { GBTModel, Objective, RegTree } from "./model";
import { probToMargin } from "./objective";
import { writeFileAtomic } from "../io/atomic";
import { DataPrepError, FormatError } from "../util/errors";

/** The xgboost version written in saved models. */
export const XGBOOST_JSON_VERSION: [number, number, number] = [3, 2, 0];
const ROOT_PARENT = 2147483647;
const OBJECTIVES: readonly Objective[] = ["binary:logistic", "reg:squarederror", "multi:softprob"];

/** Shortest decimal that reads back as the same float32 (so files are small and exact). */
function f32num(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p < 10; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return v;
}

/** Float32 values; serialized with a decimal point, as XGBoost's JSON reader wants Number, not Integer. */
class Floats {
  constructor(readonly values: number[]) {}
}

function floats(a: Float32Array): Floats {
  return new Floats(Array.from(a, f32num));
}

/** JSON text of a document whose float arrays are {@link Floats}. */
function stringify(v: unknown): string {
  if (v instanceof Floats) {
    return `[${v.values
      .map((x) => {
        const s = String(x);
        return /[.eEn]/.test(s) ? s : `${s}.0`;
      })
      .join(",")}]`;
  }
  if (Array.isArray(v)) return `[${v.map(stringify).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${stringify(x)}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** A float32 in XGBoost's scalar-string style: 0.48 -> "4.8E-1". */
function f32text(v: number): string {
  return f32num(Math.fround(v)).toExponential().replace("e+", "E").replace("e", "E");
}

/** base_score as saved: the probability for binary:logistic, the margins otherwise. */
function baseScoreOf(model: GBTModel): number[] {
  if (model.baseScore) return model.baseScore;
  if (model.groupBaseMargin) return model.groupBaseMargin;
  return [model.objective === "binary:logistic" ? 1 / (1 + Math.exp(-model.baseMargin)) : model.baseMargin];
}

function treeJSON(t: RegTree, id: number, numFeature: number): Record<string, unknown> {
  const n = t.left.length;
  return {
    base_weights: floats(t.baseWeight),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: Array.from(t.defaultLeft),
    id,
    left_children: Array.from(t.left),
    loss_changes: floats(t.lossChange),
    parents: Array.from(t.parent, (p) => (p < 0 ? ROOT_PARENT : p)),
    right_children: Array.from(t.right),
    split_conditions: floats(t.splitCondition),
    split_indices: Array.from(t.splitIndex),
    split_type: new Array(n).fill(0),
    sum_hessian: floats(t.sumHessian),
    tree_param: { num_deleted: "0", num_feature: String(numFeature), num_nodes: String(n), size_leaf_vector: "1" },
  };
}

/** Options of {@link saveXGBoostJSON} and {@link xgboostJSONText}. */
export interface SaveXGBoostJSONOptions {
  /**
   * Which trees to save when early stopping set `bestIteration`: "best" keeps the rounds up to it, as
   * `booster[: best_iteration + 1]` does in Python, so `xgboost.Booster.predict` with default arguments
   * gives what `predict(model, X)` gives here; "all" keeps every tree and records `best_iteration`
   * (Python then needs `iteration_range=(0, best_iteration + 1)`). Default "best".
   */
  trees?: "best" | "all";
}

/**
 * The model cut after its best round, as xgboost's `booster[: best_iteration + 1]`: the first
 * (bestIteration + 1) rounds of trees and no best iteration (every remaining tree is used). A model
 * without early stopping is returned as it is.
 * @example modelUpToBest(booster.getModel()).trees.length // (bestIteration + 1) × numGroup
 */
export function modelUpToBest(model: GBTModel): GBTModel {
  if (model.bestIteration === undefined) return model;
  const end = Math.min(model.trees.length, (model.bestIteration + 1) * model.numGroup);
  const { bestIteration: _dropped, ...rest } = model;
  return { ...rest, trees: model.trees.slice(0, end), treeGroup: model.treeGroup.slice(0, end) };
}

function checkTreesOption(trees: unknown): "best" | "all" {
  if (trees !== "best" && trees !== "all")
    throw new RangeError(`saveXGBoostJSON trees is invalid: ${JSON.stringify(trees)} (expected "best" or "all")`);
  return trees;
}

/**
 * The XGBoost JSON text of a model (what {@link saveXGBoostJSON} writes): float arrays always
 * carry a decimal point, so XGBoost reads them as numbers.
 * @example const text = xgboostJSONText(booster.getModel())
 */
export function xgboostJSONText(model: GBTModel, options: SaveXGBoostJSONOptions = {}): string {
  const trees = checkTreesOption(options.trees ?? "best");
  return stringify(toXGBoostJSON(trees === "best" ? modelUpToBest(model) : model));
}

/** The XGBoost JSON document of a model (float arrays as {@link Floats}); see {@link xgboostJSONText}. */
function toXGBoostJSON(model: GBTModel): Record<string, unknown> {
  const G = model.numGroup;
  const rounds = model.trees.length / G;
  const attributes: Record<string, string> = {};
  if (model.bestIteration !== undefined) attributes.best_iteration = String(model.bestIteration);
  const objective: Record<string, unknown> = { name: model.objective };
  if (model.objective === "multi:softprob") objective.softmax_multiclass_param = { num_class: String(G) };
  else objective.reg_loss_param = { scale_pos_weight: "1" };
  return {
    learner: {
      attributes,
      feature_names: model.featureNames,
      feature_types: [],
      gradient_booster: {
        model: {
          cats: { enc: [], feature_segments: [], sorted_idx: [] },
          gbtree_model_param: { num_parallel_tree: "1", num_trees: String(model.trees.length) },
          iteration_indptr: Array.from({ length: rounds + 1 }, (_, i) => i * G),
          tree_info: Array.from(model.treeGroup),
          trees: model.trees.map((t, i) => treeJSON(t, i, model.numFeature)),
        },
        name: "gbtree",
      },
      learner_model_param: {
        base_score: `[${baseScoreOf(model).map(f32text).join(",")}]`,
        boost_from_average: "1",
        num_class: String(model.objective === "multi:softprob" ? G : 0),
        num_feature: String(model.numFeature),
        num_target: "1",
      },
      objective,
    },
    version: XGBOOST_JSON_VERSION,
  };
}

/**
 * Save a model as an XGBoost JSON model file that `xgboost.Booster(model_file=...)` loads. After
 * early stopping it saves the trees up to the best round (see {@link SaveXGBoostJSONOptions.trees}),
 * so every xgboost API predicts what this project's `predict` does.
 * @example saveXGBoostJSON(booster.getModel(), "out/churn-xgb.json")
 */
export function saveXGBoostJSON(model: GBTModel, file: string, options: SaveXGBoostJSONOptions = {}): void {
  writeFileAtomic(file, xgboostJSONText(model, options));
}

/** Reads fields of a parsed document, raising FormatError naming the file and field path. */
class Reader {
  constructor(readonly file: string) {}
  fail(field: string, problem: string, value: unknown, expected: string): never {
    const shown = value === undefined ? "undefined" : JSON.stringify(value)?.slice(0, 60);
    throw new FormatError(`XGBoost model field ${field} ${problem}: ${shown} (expected ${expected}) in ${this.file}`);
  }
  obj(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      this.fail(field, v === undefined ? "is missing" : "is not an object", v, "an object");
    return v as Record<string, unknown>;
  }
  str(v: unknown, field: string): string {
    if (typeof v !== "string") this.fail(field, v === undefined ? "is missing" : "is not a string", v, "a string");
    return v;
  }
  int(v: unknown, field: string): number {
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
      this.fail(field, v === undefined ? "is missing" : "is not a count", v, "a non-negative integer (or its string)");
    return n;
  }
  nums(v: unknown, field: string, length: number): number[] {
    if (!Array.isArray(v) || v.length !== length)
      this.fail(
        field,
        Array.isArray(v) ? "has the wrong length" : v === undefined ? "is missing" : "is not an array",
        Array.isArray(v) ? v.length : v,
        `an array of ${length} numbers`,
      );
    for (let i = 0; i < length; i++) {
      const x = v[i];
      if (typeof x !== "number" && typeof x !== "boolean")
        this.fail(`${field}[${i}]`, "is not a number", x, "a number");
    }
    return v.map(Number);
  }
}

function readTree(rd: Reader, v: unknown, field: string, numFeature: number): RegTree {
  const t = rd.obj(v, field);
  const tp = rd.obj(t.tree_param, `${field}.tree_param`);
  const n = rd.int(tp.num_nodes, `${field}.tree_param.num_nodes`);
  if (rd.int(tp.size_leaf_vector ?? "1", `${field}.tree_param.size_leaf_vector`) > 1)
    rd.fail(
      `${field}.tree_param.size_leaf_vector`,
      "is unsupported",
      tp.size_leaf_vector,
      "1 (multi-target trees are not supported)",
    );
  const arr = (name: string) => rd.nums(t[name], `${field}.${name}`, n);
  const left = Int32Array.from(arr("left_children"));
  const right = Int32Array.from(arr("right_children"));
  const splitIndex = Int32Array.from(arr("split_indices"));
  const splitType = t.split_type === undefined ? [] : arr("split_type");
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    const leaf = l === -1;
    if (leaf ? r !== -1 : !(l > i && l < n && r > i && r < n))
      rd.fail(
        `${field}.left_children[${i}]`,
        "is not a valid child",
        [l, r],
        `child ids in ${i + 1}..${n - 1}, or -1 for both`,
      );
    if (!leaf && !(splitIndex[i] >= 0 && splitIndex[i] < numFeature))
      rd.fail(
        `${field}.split_indices[${i}]`,
        "is out of range",
        splitIndex[i],
        `a feature index in 0..${numFeature - 1}`,
      );
    if (splitType[i])
      rd.fail(`${field}.split_type[${i}]`, "is unsupported", splitType[i], "0 (categorical splits are not supported)");
  }
  const parent = Int32Array.from(arr("parents"), (p) => (p === ROOT_PARENT ? -1 : p));
  const opt = (name: string) => (t[name] === undefined ? new Float32Array(n) : Float32Array.from(arr(name)));
  return {
    left,
    right,
    parent,
    splitIndex,
    splitCondition: Float32Array.from(arr("split_conditions")),
    defaultLeft: Uint8Array.from(arr("default_left"), (d) => (d ? 1 : 0)),
    baseWeight: opt("base_weights"),
    lossChange: opt("loss_changes"),
    sumHessian: opt("sum_hessian"),
  };
}

/**
 * Build a model from a parsed XGBoost JSON document; `file` is named in errors.
 * @example const model = fromXGBoostJSON(JSON.parse(text), "model.json")
 */
export function fromXGBoostJSON(doc: unknown, file = "<memory>"): GBTModel {
  const rd = new Reader(file);
  const root = rd.obj(doc, "(document)");
  if (!Array.isArray(root.version) || root.version.length !== 3)
    rd.fail("version", "is not a version triple", root.version, "[major, minor, patch]");
  const learner = rd.obj(root.learner, "learner");
  const lmp = rd.obj(learner.learner_model_param, "learner.learner_model_param");
  const numFeature = rd.int(lmp.num_feature, "learner.learner_model_param.num_feature");
  const numClass = rd.int(lmp.num_class ?? "0", "learner.learner_model_param.num_class");
  if (rd.int(lmp.num_target ?? "1", "learner.learner_model_param.num_target") > 1)
    rd.fail("learner.learner_model_param.num_target", "is unsupported", lmp.num_target, "1");
  const objective = rd.str(rd.obj(learner.objective, "learner.objective").name, "learner.objective.name") as Objective;
  if (!OBJECTIVES.includes(objective))
    rd.fail("learner.objective.name", "is unsupported", objective, OBJECTIVES.join(", "));
  const numGroup = objective === "multi:softprob" ? numClass : 1;
  if (numGroup < 1 || (objective === "multi:softprob" && numGroup < 2))
    rd.fail("learner.learner_model_param.num_class", "is invalid", lmp.num_class, "num_class >= 2 for multi:softprob");
  const bsText = rd.str(lmp.base_score, "learner.learner_model_param.base_score");
  const baseScore = bsText
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((s) => Math.fround(Number(s)));
  if (baseScore.some((b) => !Number.isFinite(b)) || (baseScore.length !== 1 && baseScore.length !== numGroup)) {
    rd.fail("learner.learner_model_param.base_score", "is not a number vector", bsText, `"[x]" or ${numGroup} numbers`);
  }
  const gb = rd.obj(learner.gradient_booster, "learner.gradient_booster");
  if (gb.name !== "gbtree") rd.fail("learner.gradient_booster.name", "is unsupported", gb.name, '"gbtree"');
  const m = rd.obj(gb.model, "learner.gradient_booster.model");
  const gmp = rd.obj(m.gbtree_model_param, "learner.gradient_booster.model.gbtree_model_param");
  if (
    rd.int(gmp.num_parallel_tree ?? "1", "learner.gradient_booster.model.gbtree_model_param.num_parallel_tree") !== 1
  ) {
    rd.fail(
      "learner.gradient_booster.model.gbtree_model_param.num_parallel_tree",
      "is unsupported",
      gmp.num_parallel_tree,
      '"1"',
    );
  }
  const numTrees = rd.int(gmp.num_trees, "learner.gradient_booster.model.gbtree_model_param.num_trees");
  if (!Array.isArray(m.trees) || m.trees.length !== numTrees)
    rd.fail(
      "learner.gradient_booster.model.trees",
      "is not an array of num_trees trees",
      Array.isArray(m.trees) ? m.trees.length : m.trees,
      `${numTrees} trees`,
    );
  const treeGroup = Int32Array.from(rd.nums(m.tree_info, "learner.gradient_booster.model.tree_info", numTrees));
  treeGroup.forEach((g, i) => {
    if (g !== i % numGroup)
      rd.fail(
        `learner.gradient_booster.model.tree_info[${i}]`,
        "is out of order",
        g,
        `${i % numGroup} (one tree per class per round)`,
      );
  });
  const trees = (m.trees as unknown[]).map((t, i) =>
    readTree(rd, t, `learner.gradient_booster.model.trees[${i}]`, numFeature),
  );
  const names = Array.isArray(learner.feature_names) ? learner.feature_names.map(String) : [];
  const attrs =
    learner.attributes && typeof learner.attributes === "object" ? (learner.attributes as Record<string, unknown>) : {};
  const margins = objective === "binary:logistic" ? baseScore.map(probToMargin) : baseScore;
  const model: GBTModel = {
    objective,
    numFeature,
    numGroup,
    baseMargin: margins[0],
    trees,
    treeGroup,
    featureNames: names,
    baseScore,
  };
  if (numGroup > 1) model.groupBaseMargin = baseScore.length === 1 ? new Array(numGroup).fill(margins[0]) : margins;
  if (attrs.best_iteration !== undefined)
    model.bestIteration = rd.int(attrs.best_iteration, "learner.attributes.best_iteration");
  return model;
}

/**
 * Load an XGBoost JSON model file (saved by xgboost or by {@link saveXGBoostJSON}).
 * @example const model = loadXGBoostJSON("model.json"); const p = predict(model, X)
 */
export function loadXGBoostJSON(file: string): GBTModel {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataPrepError(
      `XGBoost model file ${code === "ENOENT" ? "not found" : `cannot be read (${code ?? "error"})`}: ${file}`,
      { cause: e },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FormatError(
      `XGBoost model file is not JSON: ${file} (expected a model saved with save_model("*.json"); UBJSON and the legacy binary format are not supported)`,
      { cause: e },
    );
  }
  return fromXGBoostJSON(doc, file);
}

/**
 * Test helpers for the XGBoost fixtures in test/fixtures/gbt (made by make_fixtures.py): the models
 * loaded with loadXGBoostJSON, a reference margin computed by walking the trees,
 * and the churn test split rebuilt with the project's own pipeline.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Matrix } from "../../src/util/matrix";
import type { GBTModel } from "../../src/gbt/model";
import { loadXGBoostJSON } from "../../src/gbt/xgboost-json";
import { churnSplit } from "./helpers";

export const FIXTURES = path.resolve(__dirname, "../../../test/fixtures/gbt");
export { CHURN } from "./helpers";

/** A fixture model plus its per-group intercepts (XGBoost 3.x stores one per class for multi:softprob). */
export interface FixtureModel {
  model: GBTModel;
  intercepts: Float64Array;
}

/** What make_fixtures.py stored next to a model. */
export interface Expected {
  feature_names: string[];
  n_rows: number;
  x?: Array<number | null>;
  x_row_sums?: number[];
  y?: number[];
  margin: number[];
  contribs: number[];
  scores: Record<string, Record<string, number>>;
}

/**
 * Load a fixture model with the project's XGBoost JSON loader (src/gbt/xgboost-json.ts), plus the
 * per-group intercepts: XGBoost 3.2.0 stores `base_score` as a string like "[4.995E-1]" (a
 * probability for binary:logistic, whose margin is its logit; one margin per class for multi:softprob).
 */
export function readFixtureModel(name: string): FixtureModel {
  const model = loadXGBoostJSON(path.join(FIXTURES, name));
  const G = Math.max(model.numGroup, 1);
  const intercepts = Float64Array.from({ length: G }, (_, g) => model.groupBaseMargin?.[g] ?? model.baseMargin);
  return { model, intercepts };
}

/** The expected outputs stored next to a fixture model. */
export function readExpected(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as Expected;
}

/** The stored rows of a small fixture (null → NaN). */
export function expectedMatrix(e: Expected): Matrix {
  const data = Float64Array.from(e.x ?? [], (v) => (v === null ? NaN : v));
  return { data, nRows: e.n_rows, nCols: e.feature_names.length, columns: e.feature_names };
}

/** Margin of every row and group by walking the trees: float32 x < threshold goes left, NaN follows default_left. */
export function walkMargins(model: GBTModel, X: Matrix, intercepts: Float64Array): Float64Array {
  const G = intercepts.length;
  const out = new Float64Array(X.nRows * G);
  for (let r = 0; r < X.nRows; r++) {
    for (let g = 0; g < G; g++) out[r * G + g] = intercepts[g];
    model.trees.forEach((t, i) => {
      let n = 0;
      while (t.left[n] !== -1) {
        const x = Math.fround(X.data[r * X.nCols + t.splitIndex[n]]);
        n = Number.isNaN(x)
          ? t.defaultLeft[n]
            ? t.left[n]
            : t.right[n]
          : x < t.splitCondition[n]
            ? t.left[n]
            : t.right[n];
      }
      out[r * G + model.treeGroup[i]] += t.splitCondition[n];
    });
  }
  return out;
}

/** The workshop's 500 churn test rows (19 features) and labels, rebuilt with readTable → split → preparation. */
export function churnTest(): { X: Matrix; y: Float64Array } {
  return churnSplit().test;
}

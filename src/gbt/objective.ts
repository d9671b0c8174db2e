/**
 * Objectives: gradients/hessians of the loss at the current margins, and the starting margin
 * (XGBoost 3.x's base_score: label mean for binary:logistic and reg:squarederror, centered log
 * class frequencies for multi:softprob).
 */
import type { Objective } from "./model";
import { SchemaError } from "../util/errors";

const f32 = Math.fround;

/**
 * Check labels fit the objective: 0/1 with both classes for binary:logistic, integers in
 * [0, numClass) for multi:softprob.
 * @example checkLabels("binary:logistic", y, 1)
 */
export function checkLabels(objective: Objective, y: ArrayLike<number>, numClass: number): void {
  if (objective === "binary:logistic") {
    let seen0 = false;
    let seen1 = false;
    for (let i = 0; i < y.length; i++) {
      if (y[i] === 0) seen0 = true;
      else if (y[i] === 1) seen1 = true;
      else throw new SchemaError(`label is not binary: ${y[i]} at row ${i} (expected 0 or 1 for binary:logistic)`);
    }
    if (!(seen0 && seen1))
      throw new SchemaError(`the label has one class only: ${seen1 ? 1 : 0} (expected both 0 and 1)`);
  } else if (objective === "multi:softprob") {
    for (let i = 0; i < y.length; i++) {
      if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < numClass)) {
        throw new SchemaError(
          `label is not a class index: ${y[i]} at row ${i} (expected an integer in 0..${numClass - 1} for num_class ${numClass})`,
        );
      }
    }
  }
}

/**
 * Starting margin of each output group, and base_score as XGBoost stores it (probability for
 * binary:logistic, margins otherwise), both float32.
 * @example const { margins, baseScore } = initialMargins("reg:squarederror", y, 1)
 */
export function initialMargins(
  objective: Objective,
  y: ArrayLike<number>,
  numGroup: number,
  baseScore?: number,
): { margins: number[]; baseScore: number[] } {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  if (objective === "binary:logistic") {
    const p = f32(baseScore ?? mean);
    return { margins: [probToMargin(p)], baseScore: [p] };
  }
  if (objective === "reg:squarederror") {
    const b = f32(baseScore ?? mean);
    return { margins: [b], baseScore: [b] };
  }
  if (baseScore !== undefined)
    return { margins: new Array(numGroup).fill(f32(baseScore)), baseScore: new Array(numGroup).fill(f32(baseScore)) };
  const counts = new Float64Array(numGroup);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  const logs = Array.from(counts, (c) => Math.log(Math.max(c / y.length, 1e-16)));
  const avg = logs.reduce((a, b) => a + b, 0) / numGroup;
  const margins = logs.map((l) => f32(l - avg));
  return { margins, baseScore: margins };
}

/** logit in float32, as XGBoost's ProbToMargin. */
export function probToMargin(p: number): number {
  return f32(-Math.log(f32(f32(1 / p) - 1)));
}

/**
 * Write (grad, hess) pairs for output group g at float32 margins (nRows x numGroup) into `gh`.
 * @example gradients("binary:logistic", margins, y, 1, 0, gh)
 */
export function gradients(
  objective: Objective,
  margins: Float32Array,
  y: ArrayLike<number>,
  numGroup: number,
  g: number,
  gh: Float64Array,
): void {
  const n = y.length;
  if (objective === "binary:logistic") {
    for (let i = 0; i < n; i++) {
      const p = f32(1 / (1 + Math.exp(-margins[i])));
      gh[2 * i] = f32(p - y[i]);
      gh[2 * i + 1] = f32(Math.max(f32(p * f32(1 - p)), 1e-16));
    }
  } else if (objective === "reg:squarederror") {
    for (let i = 0; i < n; i++) {
      gh[2 * i] = f32(margins[i] - y[i]);
      gh[2 * i + 1] = 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const o = i * numGroup;
      let max = -Infinity;
      for (let k = 0; k < numGroup; k++) max = Math.max(max, margins[o + k]);
      let sum = 0;
      for (let k = 0; k < numGroup; k++) sum += Math.exp(margins[o + k] - max);
      const p = Math.exp(margins[o + g] - max) / sum;
      gh[2 * i] = f32(p - (y[i] === g ? 1 : 0));
      gh[2 * i + 1] = f32(Math.max(2 * p * (1 - p), 1e-16));
    }
  }
}

/**
 * Test fixture: the workshop's churn split (readTable → split seed 1024 → preparation) as
 * row-major matrices, built once per process and handed out as fresh copies.
 */
import { type Matrix } from "../../src/util/matrix";
import { churnSplit as workshopSplit } from "../gbt/helpers";

export { CHURN } from "../gbt/helpers";

/** One part of the split: features and 0/1 labels. */
export interface Part {
  X: Matrix;
  y: Float64Array;
}

/** The three parts of the workshop split. */
export interface ChurnSplit {
  train: Part;
  validation: Part;
  test: Part;
}

let cached: ChurnSplit | undefined;

function build(): ChurnSplit {
  return workshopSplit();
}

const copy = (p: Part): Part => ({
  X: { ...p.X, data: Float64Array.from(p.X.data), columns: p.X.columns ? [...p.X.columns] : undefined },
  y: Float64Array.from(p.y),
});

/** Fresh copies of the churn split's matrices (train 4000, validation 500, test 500 rows; 19 features). */
export function churnSplit(): ChurnSplit {
  cached ??= build();
  return { train: copy(cached.train), validation: copy(cached.validation), test: copy(cached.test) };
}

/** Tiny rank AUC (Mann-Whitney with mid-ranks for ties), independent of the library's metrics. */
export function referenceAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]] === p[idx[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (y[idx[k]] === 1) {
        rankSumPos += midRank;
        nPos++;
      }
    i = j + 1;
  }
  const nNeg = y.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

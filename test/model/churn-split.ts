/**
 * Test fixture: the workshop's churn split (readTable → split seed 1024 → preparation) as
 * row-major matrices, built once per process and handed out as fresh copies.
 */
import * as path from "node:path";
import { matrixFromFrame, type Matrix } from "../../src/gbt/matrix";
import { applyPreparation, fitPreparation } from "../../src/tabular/preparation";
import { readTable } from "../../src/tabular/read-table";
import { split } from "../../src/tabular/split";

export const CHURN = path.resolve(__dirname, "../../../../shared/datasets/churn/churn.txt");

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
  const raw = readTable(CHURN).df;
  const parts = split(raw, { ratios: [0.8, 0.1, 0.1], seed: 1024 });
  const prep = fitPreparation(parts.train, {
    label: "Churn?",
    positive: "True.",
    drop: ["State", "Area Code", "Phone"],
    oneHot: ["Int'l Plan", "VMail Plan"],
  });
  const part = (df: typeof raw): Part => {
    const { X, y } = matrixFromFrame(applyPreparation(prep, df), { label: "Churn?" });
    return { X, y: y as Float64Array };
  };
  return { train: part(parts.train), validation: part(parts.validation), test: part(parts.test) };
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
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]] === p[idx[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]] === 1) { rankSumPos += midRank; nPos++; }
    i = j + 1;
  }
  const nNeg = y.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

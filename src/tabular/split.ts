/**
 * Seeded train/validation/test split. By default it is the workshop's
 * `np.split(df.sample(frac=1, random_state=seed), [int(.8n), int(.9n)])`, row for row: the shuffle
 * is numpy's legacy permutation (see util/numpy-random-state.ts) and the cuts are `int(c·n)` of the cumulative ratios.
 */
import pl from "nodejs-polars";
import type { DataFrame } from "nodejs-polars";
import { requireColumns } from "./clean";
import { RandomState } from "../util/numpy-random-state";

/** Three frames and the original row numbers each one holds. */
export interface Splits {
  train: DataFrame;
  validation: DataFrame;
  test: DataFrame;
  /** Row numbers of the input in each split, in split order. */
  indices: { train: Int32Array; validation: Int32Array; test: Int32Array };
}

export interface SplitOptions {
  /** Fractions for train, validation and test, summing to 1. Default: [0.8, 0.1, 0.1]. */
  ratios?: readonly number[];
  /** Seed of numpy's legacy RandomState, an integer in [0, 2**32 − 1]. Default: 1024 (the workshop's). */
  seed?: number;
  /**
   * Label column to stratify on: each class is shuffled on its own and spread evenly over the order,
   * so every split keeps the label rate (within one row per class). Default: none, the pandas order.
   */
  stratify?: string;
}

/**
 * Cut points of `np.split(x, [int(c1·n), int(c2·n)])` for ratios r (c = cumulative sums, rounded to
 * 12 significant digits so 0.7 + 0.2 cuts like 0.9).
 * @example splitBoundaries(5000, [0.8, 0.1, 0.1]) // [4000, 4500]
 */
export function splitBoundaries(n: number, ratios: readonly number[]): [number, number] {
  if (ratios.length !== 3 || ratios.some((r) => typeof r !== "number" || !(r >= 0))) {
    throw new RangeError(`ratios are invalid: [${ratios.join(", ")}] (expected three non-negative numbers)`);
  }
  const total = ratios[0] + ratios[1] + ratios[2];
  if (Math.abs(total - 1) > 1e-9)
    throw new RangeError(`ratios do not sum to 1: [${ratios.join(", ")}] sums to ${total} (expected 1)`);
  const cut = (c: number) => Math.floor(Number(c.toPrecision(12)) * n);
  return [cut(ratios[0]), cut(ratios[0] + ratios[1])];
}

/** Row order where each class of `labels` is shuffled and spread evenly: sort by (rank + ½) / class size. */
function stratifiedOrder(labels: readonly unknown[], rs: RandomState): Int32Array {
  const classes = new Map<string, number[]>();
  labels.forEach((v, row) => {
    const key = v === null || v === undefined ? "\u0000null" : String(v);
    const rows = classes.get(key);
    if (rows) rows.push(row);
    else classes.set(key, [row]);
  });
  const keys = [...classes.keys()].sort();
  const n = labels.length;
  const position = new Float64Array(n);
  const classOf = new Int32Array(n);
  const order = new Int32Array(n);
  let k = 0;
  keys.forEach((key, c) => {
    const rows = rs.shuffle(Int32Array.from(classes.get(key)!));
    rows.forEach((row, rank) => {
      position[row] = (rank + 0.5) / rows.length;
      classOf[row] = c;
      order[k++] = row;
    });
  });
  return order.sort((a, b) => position[a] - position[b] || classOf[a] - classOf[b]);
}

/** Worker: split with already-validated options. */
export function _split(df: DataFrame, ratios: readonly number[], seed: number, stratify?: string): Splits {
  const rs = new RandomState(seed);
  const [a, b] = splitBoundaries(df.height, ratios);
  const order =
    stratify === undefined ? rs.permutation(df.height) : stratifiedOrder(df.getColumn(stratify).toArray(), rs);
  const parts = [order.slice(0, a), order.slice(a, b), order.slice(b)];
  // Stratified parts are interleaved by class rank; shuffle each so row order carries no pattern.
  if (stratify !== undefined) parts.forEach((p) => rs.shuffle(p));
  // Indices go to polars as one UInt32 Series (a copy of the typed array), not a JS array of numbers.
  const take = (idx: Int32Array) =>
    df.select(
      pl
        .all()
        .gather(
          pl.Series("index", new Uint32Array(idx.buffer, idx.byteOffset, idx.length) as unknown as number[], pl.UInt32),
        ),
    );
  return {
    train: take(parts[0]),
    validation: take(parts[1]),
    test: take(parts[2]),
    indices: { train: parts[0], validation: parts[1], test: parts[2] },
  };
}

/**
 * Shuffle with a seed and cut into train/validation/test (80/10/10 of 5,000 rows → 4,000/500/500).
 * @example const { train, validation, test } = split(churn, { ratios: [0.8, 0.1, 0.1], seed: 1024 })
 */
export function split(df: DataFrame, options: SplitOptions = {}): Splits {
  const { ratios = [0.8, 0.1, 0.1], seed = 1024, stratify } = options;
  if (!Array.isArray(ratios))
    throw new TypeError(`ratios is not an array: ${String(ratios)} (expected [train, validation, test])`);
  if (stratify !== undefined) requireColumns(df, [stratify], "stratify column");
  return _split(df, ratios, seed, stratify);
}

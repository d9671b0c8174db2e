/**
 * The 80/10/10 split of the structured dataset. Stratified by default (each class split on its own,
 * so every class has its share in val and test); `stratify: false` is the workshop's split (B.2
 * step 2), numpy-exact:
 *
 *     np.random.seed(0); ids = sorted(keys); np.random.shuffle(ids)
 *     train, val, test = np.split(ids, [int(.8 * n), int(.9 * n)])
 *
 * which on the workshop's 2,750 ids gives 2,200 / 275 / 275 with per-class val counts from 18 to 36.
 */
import { RandomState } from "../util/numpy-random-state";

/** The three splits, in order. */
export const IMAGE_SPLITS = ["train", "val", "test"] as const;
/** One of {@link IMAGE_SPLITS}. */
export type ImageSplitName = (typeof IMAGE_SPLITS)[number];

/** Options of {@link splitImageIds}. */
export interface SplitImageIdsOptions {
  /** Seed of `np.random.seed`. Default 0. */
  seed?: number;
  /** Train and val shares; test is the rest. Default [0.8, 0.1] (80/10/10). */
  fractions?: readonly [number, number];
  /**
   * Split each class separately (default true): class by class in sorted class order, its ids sorted
   * and shuffled on one stream, the first `round(0.8 n)` to train, up to `round(0.9 n)` to val, the
   * rest to test. false = the workshop's unstratified split over all ids.
   */
  stratify?: boolean;
}

/** Ids per split, in shuffled order (the order `np.split` returns them). */
export interface ImageIdSplit {
  train: number[];
  val: number[];
  test: number[];
}

/**
 * Split image ids 80/10/10 (see the module comment for the two methods).
 * @param items the ids with their class (any string or number; only used when stratifying)
 * @example splitImageIds(items, { stratify: false }).train.length // 2200 of 2750
 */
export function splitImageIds(
  items: readonly { id: number; className: string }[],
  options: SplitImageIdsOptions = {},
): ImageIdSplit {
  const { seed = 0, fractions = [0.8, 0.1], stratify = true } = options;
  const [fTrain, fVal] = fractions;
  if (!(fTrain >= 0 && fVal >= 0 && fTrain + fVal <= 1)) {
    throw new RangeError(
      `split fractions are out of range: ${JSON.stringify(fractions)} (expected train, val >= 0 with a sum <= 1)`,
    );
  }
  const seen = new Set<number>();
  for (const { id } of items) {
    if (!Number.isSafeInteger(id)) throw new RangeError(`image id is not an integer: ${id}`);
    if (seen.has(id)) throw new RangeError(`image id is repeated: ${id} (expected unique ids)`);
    seen.add(id);
  }
  const rng = new RandomState(seed);
  const out: ImageIdSplit = { train: [], val: [], test: [] };
  const cut = (ids: number[], a: number, b: number) => {
    out.train.push(...ids.slice(0, a));
    out.val.push(...ids.slice(a, b));
    out.test.push(...ids.slice(b));
  };
  if (!stratify) {
    const ids = Float64Array.from(items.map((it) => it.id)).sort();
    rng.shuffle(ids);
    const n = ids.length;
    // Python's int(.8 * n) truncates the same IEEE product.
    cut(Array.from(ids), Math.trunc(fTrain * n), Math.trunc((fTrain + fVal) * n));
    return out;
  }
  const byClass = new Map<string, number[]>();
  for (const it of items) {
    const list = byClass.get(it.className) ?? [];
    list.push(it.id);
    byClass.set(it.className, list);
  }
  for (const name of [...byClass.keys()].sort()) {
    const ids = Float64Array.from(byClass.get(name) as number[]).sort();
    rng.shuffle(ids);
    const n = ids.length;
    cut(Array.from(ids), Math.round(fTrain * n), Math.round((fTrain + fVal) * n));
  }
  return out;
}

/**
 * A simulated leak, to show what the leakage check reports: the workshop's PyTorch run trained on
 * its test split because stale test images (resized copies from an earlier run) sat in the train
 * folder (workshop B.6). `plantLeak` makes such copies of some test images in memory: as many as
 * asked byte for byte, and as many again resized to a shorter side of 224 and re-encoded (the
 * workshop's resize), each given a train path. Nothing is written; the dataset is not changed.
 */
import * as path from "node:path";
import sharp from "sharp";
import type { ManifestEntry } from "./manifest";
import { _hashes, readImageFile } from "./phash";

/** Options of {@link plantLeak}. */
export interface PlantLeakOptions {
  /** Test images copied byte for byte into train, and as many again resized. Default 2. */
  count?: number;
}

/**
 * The manifest entries with copies of the first `count` test images planted in train, exact and resized.
 * @param dir the structured dataset's folder (the test images are read from it)
 * @example checkLeakage(await plantLeak(ds.entries, ds.dir)).exact.length // 2
 */
export async function plantLeak(
  entries: readonly ManifestEntry[],
  dir: string,
  options: PlantLeakOptions = {},
): Promise<{ entries: ManifestEntry[]; planted: ManifestEntry[] }> {
  const { count = 2 } = options;
  const test = entries.filter((e) => e.split === "test");
  if (!Number.isInteger(count) || count < 1 || 2 * count > test.length) {
    throw new RangeError(`leak count is out of range: ${count} (expected an integer 1-${Math.floor(test.length / 2)})`);
  }
  const planted: ManifestEntry[] = [];
  for (const [k, e] of test.slice(0, 2 * count).entries()) {
    const exact = k < count;
    const stale = `train/${e.class}/stale-${exact ? "copy" : "resized"}-${path.basename(e.path)}`;
    if (exact) {
      planted.push({ ...e, path: stale, split: "train" });
      continue;
    }
    const bytes = await sharp(readImageFile(path.join(dir, e.path)))
      .resize({ width: 224, height: 224, fit: "outside" })
      .jpeg({ quality: 90 })
      .toBuffer();
    const h = await _hashes(bytes, stale);
    planted.push({ ...e, path: stale, split: "train", ...h });
  }
  return { entries: [...entries, ...planted], planted };
}

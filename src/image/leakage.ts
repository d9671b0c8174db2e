/**
 * The leakage check of a structured dataset: no image may sit in two splits, neither as the same
 * file (same SHA-256) nor as a near copy (difference hashes at most `threshold` bits apart: a
 * re-encoded, resized or recompressed copy). The workshop's PyTorch run trained on its own test
 * split through stale files (workshop B.6); this is the check that would have caught it.
 */
import { _hammingWords, hashWords, NEAR_DUPLICATE_DISTANCE } from "./phash";
import type { ManifestEntry } from "./manifest";

/** Two images of different splits that are the same picture. */
export interface LeakPair {
  a: ManifestEntry;
  b: ManifestEntry;
  /** "exact": same bytes; "near": dHashes within the threshold, different bytes. */
  kind: "exact" | "near";
  /** Hamming distance of the dHashes (0 for most exact pairs). */
  distance: number;
}

/** What {@link checkLeakage} found. */
export interface LeakageReport {
  /** Images compared. */
  checked: number;
  /** The near-duplicate threshold used, in bits of 64. */
  threshold: number;
  exact: LeakPair[];
  near: LeakPair[];
}

/**
 * Every pair of images in different splits that share their bytes (exact) or whose dHashes differ
 * in at most `threshold` bits (near); pairs within one split are not leaks and are not reported.
 * Compares all pairs (n² / 2 popcounts: about 0.1 s for 3,000 images).
 * @example checkLeakage(readManifest("out/image/structured")).exact.length // 0
 */
export function checkLeakage(entries: readonly ManifestEntry[], options: { threshold?: number } = {}): LeakageReport {
  const { threshold = NEAR_DUPLICATE_DISTANCE } = options;
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 64) {
    throw new RangeError(`near-duplicate threshold is out of range: ${threshold} (expected an integer 0-64 bits)`);
  }
  const n = entries.length;
  const w0 = new Uint32Array(n);
  const w1 = new Uint32Array(n);
  entries.forEach((e, i) => ([w0[i], w1[i]] = hashWords(e.dhash)));
  const exact: LeakPair[] = [];
  const near: LeakPair[] = [];
  for (let i = 0; i < n; i++) {
    const a = entries[i];
    for (let j = i + 1; j < n; j++) {
      const b = entries[j];
      if (a.split === b.split) continue;
      const distance = _hammingWords(w0[i], w1[i], w0[j], w1[j]);
      if (a.sha256 === b.sha256) exact.push({ a, b, kind: "exact", distance });
      else if (distance <= threshold) near.push({ a, b, kind: "near", distance });
    }
  }
  return { checked: n, threshold, exact, near };
}

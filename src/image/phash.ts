/**
 * Content hashes of images for the leakage check: SHA-256 of the file's bytes (exact copies) and a
 * 64-bit difference hash (dHash) of the picture (near copies: re-encoded, resized, recompressed).
 *
 * dHash: the image is decoded, converted to grayscale and averaged into 9×8 cells (aspect ignored);
 * bit `8*y + x` is 1 when cell (x, y) is brighter than cell (x + 1, y).
 * Two images are near-duplicates when their hashes differ in at most a few of the 64 bits (Hamming
 * distance; see {@link NEAR_DUPLICATE_DISTANCE}). The hash is written as 16 hex digits, bit 0 first
 * in the most significant digit.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import sharp from "sharp";
import { FormatError } from "../util/errors";

/**
 * The default largest Hamming distance between two dHashes that counts as a near-duplicate: 8 of 64
 * bits. Measured on 150 generated COCO-format images (synthetic-coco, seed 0) re-encoded with sharp:
 * the same pixels as PNG 0 bits; JPEG q75 at most 3; shorter side 224 + q90 (the workshop's
 * preprocessing) at most 7 (95th percentile 2); double size q95 at most 5; quarter size q30 at most 7;
 * half size q50 95th percentile 3, at most 12 (one image of 150, whose flat background flips bits).
 * Distinct images: of the 719,400 pairs among 1,200 generated train images the closest is 11 bits
 * apart and 4 pairs are within 13. Photographs differ more than these drawings, so 8 errs on the
 * side of reporting; pass a threshold to the check to trade misses against false alarms.
 */
export const NEAR_DUPLICATE_DISTANCE = 8;

/** What {@link imageHashes} computes for one image. */
export interface ImageHashes {
  /** SHA-256 of the file's bytes, lower-case hex. */
  sha256: string;
  /** 64-bit difference hash, 16 hex digits. */
  dhash: string;
  width: number;
  height: number;
}

/**
 * The 64-bit difference hash of an image (file path or encoded bytes), as 16 hex digits.
 * @throws FormatError naming the file when it cannot be decoded
 * @example await differenceHash("out/a.jpg") // "3c3e1e0e0f0f0703"
 */
export async function differenceHash(input: string | Uint8Array, name?: string): Promise<string> {
  return (await imageHashes(input, name)).dhash;
}

/**
 * SHA-256, dHash, width and height of an image file (or its bytes, with `name` for messages).
 * @throws FormatError naming the file when it cannot be read or decoded
 * @example const { sha256, dhash } = await imageHashes("out/structured/train/bear/000000123.jpg")
 */
export async function imageHashes(input: string | Uint8Array, name?: string): Promise<ImageHashes> {
  const bytes = typeof input === "string" ? readImageFile(input) : input;
  return _hashes(bytes, name ?? (typeof input === "string" ? input : "image bytes"));
}

/** Read an image file's bytes, or throw a FormatError naming it. */
export function readImageFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new FormatError(`image file cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
}

/** The hashes of encoded image bytes; `name` names the image in errors. */
export async function _hashes(bytes: Uint8Array, name: string): Promise<ImageHashes> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  try {
    const img = sharp(bytes, { failOn: "error" });
    const meta = await img.metadata();
    if (!meta.width || !meta.height) throw new Error("no width or height");
    // Decode to full-size grayscale, then average into 9×8 cells in JS: the same pixels give the same
    // hash whatever the file format (libvips' shrink-on-load would treat JPEG and PNG differently).
    const { data, info } = await img.rotate().greyscale().raw().toBuffer({ resolveWithObject: true });
    const cells = new Float64Array(72);
    const counts = new Float64Array(72);
    const ch = info.channels;
    for (let y = 0; y < info.height; y++) {
      const row = Math.floor((y * 8) / info.height) * 9;
      for (let x = 0; x < info.width; x++) {
        const k = row + Math.floor((x * 9) / info.width);
        cells[k] += data[(y * info.width + x) * ch];
        counts[k]++;
      }
    }
    for (let k = 0; k < 72; k++) cells[k] /= counts[k];
    let hex = "";
    for (let y = 0; y < 8; y++) {
      let byte = 0;
      for (let x = 0; x < 8; x++) byte = (byte << 1) | (cells[y * 9 + x] > cells[y * 9 + x + 1] ? 1 : 0);
      hex += byte.toString(16).padStart(2, "0");
    }
    const rotated = (meta.orientation ?? 1) >= 5;
    return {
      sha256,
      dhash: hex,
      width: rotated ? meta.height : meta.width,
      height: rotated ? meta.width : meta.height,
    };
  } catch (e) {
    throw new FormatError(`image cannot be decoded: ${name} (${(e as Error).message}; expected a JPEG or PNG file)`, {
      cause: e,
    });
  }
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** A 16-hex-digit hash as two 32-bit halves. */
export function hashWords(hex: string): [number, number] {
  if (!/^[0-9a-f]{16}$/.test(hex))
    throw new RangeError(`perceptual hash is malformed: ${JSON.stringify(hex)} (expected 16 hex digits)`);
  return [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8), 16)];
}

/**
 * The number of bits in which two 64-bit hashes (16 hex digits each) differ.
 * @example hammingDistance("ffffffffffffffff", "fffffffffffffffe") // 1
 */
export function hammingDistance(a: string, b: string): number {
  const [a0, a1] = hashWords(a);
  const [b0, b1] = hashWords(b);
  return _hammingWords(a0, a1, b0, b1);
}

/** {@link hammingDistance} on pre-split words (the leakage check's inner loop). */
export function _hammingWords(a0: number, a1: number, b0: number, b1: number): number {
  return popcount((a0 ^ b0) >>> 0) + popcount((a1 ^ b1) >>> 0);
}

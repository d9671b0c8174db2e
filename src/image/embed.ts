/**
 * Embeddings of many images through a {@link Backbone}, with a per-image cache on disk: the feature
 * extraction of transfer learning runs once per image and backbone, and a re-run (another head, other
 * epochs, the saved model's check) reads the embeddings back.
 *
 * Cache layout: `<cacheDir>/<backbone.name>/<key[0:2]>/<key>.f32`, where `key` is the SHA-256 of the
 * backbone's fingerprint, the image's width and height, and its pixels; the file holds `dim` float32
 * values, little-endian. A file of the wrong length is a miss (and is rewritten). Every file is written
 * through a temp file and a rename, so an interrupted run leaves whole files or none.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../io/atomic";
import type { Backbone } from "./backbone";
import type { RgbImage } from "./transforms";

/** Options of {@link embedImages}. */
export interface EmbedImagesOptions {
  /** Folder of the per-image cache; undefined: no cache. Default undefined. */
  cacheDir?: string;
  /** Images per call of `backbone.embed`. Default 32. */
  batchSize?: number;
  /** Called after each batch (and once for the cached images) with (images done, images in total). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link embedImages} returns. */
export interface EmbedResult {
  /** Row-major, `images.length × dim`. */
  embeddings: Float32Array;
  dim: number;
  /** Images read from the cache. */
  cached: number;
  /** Images run through the backbone. */
  computed: number;
  /** Wall-clock seconds spent in `backbone.embed`. */
  seconds: number;
  /** computed / seconds: the backbone's throughput; null when every image came from the cache. */
  imagesPerSecond: number | null;
}

/**
 * The cache key of an image for a backbone: SHA-256 (hex) of the fingerprint, the size and the pixels.
 * @example embeddingKey(backbone, image) // "3f2a…"
 */
export function embeddingKey(backbone: Pick<Backbone, "fingerprint">, image: RgbImage): string {
  const h = createHash("sha256");
  h.update(`${backbone.fingerprint}\n${image.width}x${image.height}x3\n`);
  h.update(image.data);
  return h.digest("hex");
}

/** Where the embedding of `key` is cached. */
export function embeddingCacheFile(cacheDir: string, backbone: Pick<Backbone, "name">, key: string): string {
  return path.join(cacheDir, backbone.name.replace(/[^A-Za-z0-9_.-]/g, "_"), key.slice(0, 2), `${key}.f32`);
}

function readCached(file: string, dim: number): Float32Array | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length !== dim * 4) return undefined;
  const out = new Float32Array(dim);
  for (let j = 0; j < dim; j++) out[j] = bytes.readFloatLE(j * 4);
  return out;
}

function writeCached(file: string, row: Float32Array): void {
  const bytes = Buffer.alloc(row.length * 4);
  for (let j = 0; j < row.length; j++) bytes.writeFloatLE(row[j], j * 4);
  writeFileAtomic(file, bytes);
}

/**
 * Embed `images` with `backbone`, reading and writing the per-image cache when `cacheDir` is given.
 * @throws RangeError when the backbone returns the wrong number of floats
 * @example
 * const { embeddings, imagesPerSecond } = await embedImages(backbone, ds.images, { cacheDir: "out/cache/embeddings" })
 */
export async function embedImages(
  backbone: Backbone,
  images: readonly RgbImage[],
  options: EmbedImagesOptions = {},
): Promise<EmbedResult> {
  const { cacheDir, batchSize = 32, onProgress } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize is out of range: ${batchSize} (expected a positive integer)`);
  }
  const dim = backbone.dim;
  const embeddings = new Float32Array(images.length * dim);
  const files = cacheDir
    ? images.map((img) => embeddingCacheFile(cacheDir, backbone, embeddingKey(backbone, img)))
    : [];
  const missing: number[] = [];
  images.forEach((_, i) => {
    const row = cacheDir ? readCached(files[i], dim) : undefined;
    if (row) embeddings.set(row, i * dim);
    else missing.push(i);
  });
  const cached = images.length - missing.length;
  if (cached > 0) onProgress?.(cached, images.length);
  let seconds = 0;
  for (let s = 0; s < missing.length; s += batchSize) {
    const idx = missing.slice(s, s + batchSize);
    const t0 = process.hrtime.bigint();
    const out = await backbone.embed(idx.map((i) => images[i]));
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    if (out.length !== idx.length * dim) {
      throw new RangeError(
        `backbone ${backbone.name} returned ${out.length} floats for ${idx.length} images (expected ${idx.length} × ${dim})`,
      );
    }
    idx.forEach((i, k) => {
      const row = out.subarray(k * dim, (k + 1) * dim);
      embeddings.set(row, i * dim);
      if (cacheDir) writeCached(files[i], row);
    });
    onProgress?.(cached + s + idx.length, images.length);
  }
  return {
    embeddings,
    dim,
    cached,
    computed: missing.length,
    seconds,
    imagesPerSecond: missing.length > 0 && seconds > 0 ? missing.length / seconds : null,
  };
}

/**
 * Backbones with no pretrained knowledge, so the training notebook shows what ImageNet pretraining buys:
 *
 * - `random-conv`: one layer of fixed random convolution filters at 32 px (Jarrett et al. 2009, Saxe et
 *   al. 2011: random filters + rectification + pooling are a fair "no learning" feature extractor). The
 *   image is resized to 32×32 (bilinear), scaled to [-1, 1]; `filters` 5×5×3 filters drawn from a seeded
 *   normal distribution, each made zero-mean and unit-norm; a valid convolution (28×28), ReLU, then the
 *   mean over each quadrant (14×14): `4 × filters` features.
 * - `raw-pixels`: the 32×32 image itself, 3,072 values in [0, 1].
 *
 * Both are deterministic (the seed fixes the filters) and pure TypeScript.
 */
import { createHash } from "node:crypto";
import { mulberry32 } from "../util/prng";
import type { Backbone } from "./backbone";
import { resizeTo, type RgbImage } from "./transforms";

/** The side every baseline resizes to: CIFAR-10's. */
export const BASELINE_SIZE = 32;

/** Options of {@link randomConvBackbone}. */
export interface RandomConvOptions {
  /** Number of random filters; the embedding has 4 × filters values. Default 128. */
  filters?: number;
  /** Seed of the filters. Default 0. */
  seed?: number;
}

const KERNEL = 5;

async function at32(image: RgbImage): Promise<RgbImage> {
  return resizeTo(image, BASELINE_SIZE, BASELINE_SIZE, { kernel: "linear" });
}

function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** `filters` zero-mean unit-norm filters, layout [filter][ky][kx][channel]. @internal */
export function _randomFilters(filters: number, seed: number): Float32Array {
  const size = KERNEL * KERNEL * 3;
  const normal = gaussian(mulberry32(seed));
  const w = new Float32Array(filters * size);
  for (let f = 0; f < filters; f++) {
    const row = w.subarray(f * size, (f + 1) * size);
    for (let j = 0; j < size; j++) row[j] = normal();
    const mean = row.reduce((a, b) => a + b, 0) / size;
    for (let j = 0; j < size; j++) row[j] -= mean;
    const norm = Math.sqrt(row.reduce((a, b) => a + b * b, 0));
    for (let j = 0; j < size; j++) row[j] /= norm;
  }
  return w;
}

/**
 * A backbone of fixed random convolution features at 32 px (no pretrained knowledge).
 * @example const baseline = randomConvBackbone({ seed: 0 }); baseline.dim // 512
 */
export function randomConvBackbone(options: RandomConvOptions = {}): Backbone {
  const { filters = 128, seed = 0 } = options;
  if (!Number.isInteger(filters) || filters < 1)
    throw new RangeError(`filters is out of range: ${filters} (expected a positive integer)`);
  const w = _randomFilters(filters, seed);
  const out = BASELINE_SIZE - KERNEL + 1;
  const half = out / 2;
  const dim = 4 * filters;
  const fingerprint = `random-conv v1 filters=${filters} kernel=${KERNEL} seed=${seed} input=${BASELINE_SIZE} linear`;
  const features = (img: RgbImage, dst: Float32Array) => {
    const x = new Float32Array(img.data.length);
    for (let i = 0; i < x.length; i++) x[i] = img.data[i] / 127.5 - 1;
    const patch = new Float32Array(KERNEL * KERNEL * 3);
    const size = patch.length;
    dst.fill(0);
    for (let y = 0; y < out; y++) {
      for (let xx = 0; xx < out; xx++) {
        for (let ky = 0; ky < KERNEL; ky++) {
          const src = ((y + ky) * BASELINE_SIZE + xx) * 3;
          patch.set(x.subarray(src, src + KERNEL * 3), ky * KERNEL * 3);
        }
        const q = (y < half ? 0 : 2) + (xx < half ? 0 : 1);
        for (let f = 0; f < filters; f++) {
          let s = 0;
          const o = f * size;
          for (let j = 0; j < size; j++) s += w[o + j] * patch[j];
          if (s > 0) dst[f * 4 + q] += s;
        }
      }
    }
    const area = half * half;
    for (let j = 0; j < dim; j++) dst[j] /= area;
  };
  return {
    name: "random-conv",
    dim,
    inputSize: BASELINE_SIZE,
    fingerprint: createHash("sha256").update(fingerprint).digest("hex").slice(0, 16) + ` (${fingerprint})`,
    async embed(images) {
      const result = new Float32Array(images.length * dim);
      for (let i = 0; i < images.length; i++) features(await at32(images[i]), result.subarray(i * dim, (i + 1) * dim));
      return result;
    },
    async close() {},
  };
}

/**
 * A backbone whose embedding is the image itself at 32×32 (3,072 values in [0, 1]): the weakest baseline.
 * @example rawPixelBackbone().dim // 3072
 */
export function rawPixelBackbone(): Backbone {
  const dim = BASELINE_SIZE * BASELINE_SIZE * 3;
  return {
    name: "raw-pixels",
    dim,
    inputSize: BASELINE_SIZE,
    fingerprint: `raw-pixels v1 input=${BASELINE_SIZE} linear`,
    async embed(images) {
      const result = new Float32Array(images.length * dim);
      for (let i = 0; i < images.length; i++) {
        const img = await at32(images[i]);
        for (let j = 0; j < dim; j++) result[i * dim + j] = img.data[j] / 255;
      }
      return result;
    },
    async close() {},
  };
}

/**
 * Seeded augmentations with torchvision's semantics (workshop B.3/B.5): flips, RandomResizedCrop,
 * ColorJitter and RandomCrop with padding.
 *
 * Randomness: every function takes a {@link Random} (anything with `random(): number` in [0, 1));
 * {@link seededRandom} gives numpy's `RandomState(seed)` (MT19937, `random_sample`), so a Python
 * reference can replay the same stream. torchvision draws from torch's generator instead; here each
 * draw it makes is one uniform from the stream, in torchvision's order:
 * - `torch.rand(1) < p` → `u < p`;
 * - `torch.empty(1).uniform_(a, b)` → `a + (b - a) * u`;
 * - `torch.randint(lo, hi)` → `lo + floor((hi - lo) * u)`;
 * - `torch.randperm(4)` → Fisher-Yates from the end, `j = floor((i + 1) * u)`.
 * Arithmetic is float64 where torch uses float32 for its draws, so a crop edge that falls within
 * ~1e-7 of a rounding tie may differ by one pixel from torch with the same draws.
 */
import { RandomState } from "../util/numpy-random-state";
import {
  crop,
  flipHorizontal,
  flipVertical,
  pad,
  resizeTo,
  roundHalfEven,
  type RgbImage,
  type ResizeOptions,
} from "./transforms";

/** A source of uniform doubles in [0, 1). */
export interface Random {
  random(): number;
}

/**
 * numpy's `RandomState(seed)` as the augmentations' random stream.
 * @example const rng = seededRandom(0); rng.random() // 0.5488135039273248, as numpy
 */
export function seededRandom(seed: number): Random {
  return new RandomState(seed);
}

const uniform = (rng: Random, a: number, b: number): number => a + (b - a) * rng.random();
const randint = (rng: Random, lo: number, hi: number): number => lo + Math.floor((hi - lo) * rng.random());

/** `RandomHorizontalFlip(p)`: mirror left-right when the draw is below `p` (default 0.5). */
export function randomHorizontalFlip(image: RgbImage, rng: Random, p = 0.5): RgbImage {
  return rng.random() < p ? flipHorizontal(image) : image;
}

/** `RandomVerticalFlip(p)`: mirror top-bottom when the draw is below `p` (default 0.5). */
export function randomVerticalFlip(image: RgbImage, rng: Random, p = 0.5): RgbImage {
  return rng.random() < p ? flipVertical(image) : image;
}

/** A crop window: top-left corner and size, torchvision's `(i, j, h, w)`. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Options of {@link randomResizedCrop}. */
export interface RandomResizedCropOptions extends ResizeOptions {
  /** Range of the crop's area as a fraction of the image's (default `[0.08, 1.0]`, torchvision's). */
  scale?: [number, number];
  /** Range of the crop's aspect ratio w/h, sampled log-uniformly (default `[3/4, 4/3]`). */
  ratio?: [number, number];
}

/**
 * torchvision's `RandomResizedCrop.get_params`: up to 10 attempts of a random area (uniform in
 * `scale` × image area) and log-uniform aspect ratio, `w = round(sqrt(area * ratio))`,
 * `h = round(sqrt(area / ratio))` (Python's half-even round); the first that fits gets a random
 * position (`randint(0, H - h + 1)`, then `randint(0, W - w + 1)`). If none fits: the centre crop
 * of the whole image clamped to the ratio range.
 * @example randomResizedCropParams(640, 427, seededRandom(0)) // { top, left, height, width }
 */
export function randomResizedCropParams(
  width: number,
  height: number,
  rng: Random,
  options: RandomResizedCropOptions = {},
): CropBox {
  const [s0, s1] = options.scale ?? [0.08, 1.0];
  const [r0, r1] = options.ratio ?? [3 / 4, 4 / 3];
  if (!(s0 <= s1) || !(r0 <= r1) || s0 < 0 || r0 <= 0) {
    throw new RangeError(
      `RandomResizedCrop scale/ratio is invalid: scale [${s0}, ${s1}], ratio [${r0}, ${r1}] (expected 0 <= min <= max)`,
    );
  }
  const area = width * height;
  const logR0 = Math.log(r0);
  const logR1 = Math.log(r1);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * uniform(rng, s0, s1);
    const aspect = Math.exp(uniform(rng, logR0, logR1));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = randint(rng, 0, height - h + 1);
      const left = randint(rng, 0, width - w + 1);
      return { top, left, height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w: number;
  let h: number;
  if (inRatio < r0) {
    w = width;
    h = roundHalfEven(w / r0);
  } else if (inRatio > r1) {
    h = height;
    w = roundHalfEven(h * r1);
  } else {
    w = width;
    h = height;
  }
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/**
 * `RandomResizedCrop(size)`: crop the window of {@link randomResizedCropParams}, resize it to
 * `size`×`size` (bilinear).
 * @example await randomResizedCrop(img, 224, seededRandom(7))
 */
export async function randomResizedCrop(
  image: RgbImage,
  size: number,
  rng: Random,
  options: RandomResizedCropOptions = {},
): Promise<RgbImage> {
  const box = randomResizedCropParams(image.width, image.height, rng, options);
  return resizeTo(crop(image, box.top, box.left, box.height, box.width), size, size, options);
}

/** Options of {@link randomCrop}. */
export interface RandomCropOptions {
  /** Zero padding added on every side before cropping (default 4, the CIFAR-10 recipe). */
  padding?: number;
  /** Fill value of the padding (default 0, torchvision's `padding_mode="constant"`). */
  fill?: number;
}

/**
 * `RandomCrop(size, padding=4)`: pad every side, then crop `size`×`size` at
 * `(randint(0, H - size + 1), randint(0, W - size + 1))` (no draw when the sizes are equal).
 * @example randomCrop(cifarImage, 32, seededRandom(1)) // 32×32, shifted by up to 4 px
 */
export function randomCrop(image: RgbImage, size: number, rng: Random, options: RandomCropOptions = {}): RgbImage {
  const p = options.padding ?? 4;
  const padded = p > 0 ? pad(image, { top: p, right: p, bottom: p, left: p }, options.fill ?? 0) : image;
  if (padded.width < size || padded.height < size) {
    throw new RangeError(
      `RandomCrop size is larger than the padded image: ${size} > ${padded.width}×${padded.height} (expected size <= image + 2 × padding)`,
    );
  }
  if (padded.width === size && padded.height === size) return padded;
  const top = randint(rng, 0, padded.height - size + 1);
  const left = randint(rng, 0, padded.width - size + 1);
  return crop(padded, top, left, size, size);
}

/** Options of {@link colorJitter}: each is torchvision's argument (0 or absent: not applied). */
export interface ColorJitterOptions {
  /** Brightness factor drawn from `[max(0, 1 - b), 1 + b]`. */
  brightness?: number;
  /** Contrast factor drawn from `[max(0, 1 - c), 1 + c]`. */
  contrast?: number;
  /** Saturation factor drawn from `[max(0, 1 - s), 1 + s]`. */
  saturation?: number;
  /** Hue shift drawn from `[-h, h]` (h <= 0.5), in turns of the colour wheel. */
  hue?: number;
}

/** The order and factors one {@link colorJitter} call drew. */
export interface ColorJitterParams {
  /** Order of the four operations: 0 brightness, 1 contrast, 2 saturation, 3 hue. */
  order: number[];
  brightness?: number;
  contrast?: number;
  saturation?: number;
  hue?: number;
}

/** `ColorJitter.get_params`: `randperm(4)`, then one factor per enabled option, in that order. */
export function colorJitterParams(rng: Random, options: ColorJitterOptions): ColorJitterParams {
  const order = [0, 1, 2, 3];
  for (let i = 3; i > 0; i--) {
    const j = Math.floor((i + 1) * rng.random());
    [order[i], order[j]] = [order[j], order[i]];
  }
  const factor = (v: number | undefined, name: string): number | undefined => {
    if (v === undefined || v === 0) return undefined;
    if (!(v > 0)) throw new RangeError(`ColorJitter ${name} is out of range: ${v} (expected a number >= 0)`);
    return uniform(rng, Math.max(0, 1 - v), 1 + v);
  };
  const params: ColorJitterParams = { order };
  params.brightness = factor(options.brightness, "brightness");
  params.contrast = factor(options.contrast, "contrast");
  params.saturation = factor(options.saturation, "saturation");
  if (options.hue !== undefined && options.hue !== 0) {
    if (!(options.hue > 0 && options.hue <= 0.5)) {
      throw new RangeError(`ColorJitter hue is out of range: ${options.hue} (expected 0 < hue <= 0.5)`);
    }
    params.hue = uniform(rng, -options.hue, options.hue);
  }
  return params;
}

/**
 * `ColorJitter(brightness, contrast, saturation, hue)` with torchvision's uint8-tensor formulas,
 * computed in JS on the pixels (sharp's `modulate` works in LCh and would not match):
 * brightness `f·x`; contrast `f·x + (1 − f)·mean(gray)`; saturation `f·x + (1 − f)·gray`, with
 * `gray = trunc(0.2989 R + 0.587 G + 0.114 B)`; each clamped to [0, 255] and truncated to uint8;
 * hue: RGB/255 → HSV, `h = (h + shift) mod 1`, → RGB, `trunc(x · 255.999)`. The ops run in the drawn
 * random order. Differences from torch: float64 instead of float32 arithmetic (a value may differ by 1).
 * @example colorJitter(img, seededRandom(3), { brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.2 })
 */
export function colorJitter(image: RgbImage, rng: Random, options: ColorJitterOptions): RgbImage {
  return applyColorJitter(image, colorJitterParams(rng, options));
}

/** Apply drawn {@link ColorJitterParams} (the deterministic half of {@link colorJitter}). */
export function applyColorJitter(image: RgbImage, params: ColorJitterParams): RgbImage {
  let data = image.data;
  for (const op of params.order) {
    if (op === 0 && params.brightness !== undefined) data = blend(data, params.brightness, () => 0);
    else if (op === 1 && params.contrast !== undefined) {
      const gray = grayscale(data);
      let sum = 0;
      for (let i = 0; i < gray.length; i++) sum += gray[i];
      const mean = sum / gray.length;
      data = blend(data, params.contrast, () => mean);
    } else if (op === 2 && params.saturation !== undefined) {
      const gray = grayscale(data);
      data = blend(data, params.saturation, (i) => gray[(i / 3) | 0]);
    } else if (op === 3 && params.hue !== undefined) data = shiftHue(data, params.hue);
  }
  return data === image.data ? image : { ...image, data };
}

function grayscale(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length / 3);
  for (let p = 0, i = 0; p < out.length; p++, i += 3) {
    out[p] = Math.trunc(0.2989 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
  }
  return out;
}

function blend(data: Uint8Array, ratio: number, other: (i: number) => number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = ratio * data[i] + (1 - ratio) * other(i);
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
  }
  return out;
}

function shiftHue(data: Uint8Array, shift: number): Uint8Array {
  const out = new Uint8Array(data.length);
  const toByte = (x: number) => Math.min(255, Math.max(0, Math.trunc(x * 255.999)));
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i] / 255;
    const g = data[i + 1] / 255;
    const b = data[i + 2] / 255;
    const maxc = Math.max(r, g, b);
    const minc = Math.min(r, g, b);
    const cr = maxc - minc;
    const s = cr / (cr === 0 ? 1 : maxc);
    const div = cr === 0 ? 1 : cr;
    const rc = (maxc - r) / div;
    const gc = (maxc - g) / div;
    const bc = (maxc - b) / div;
    let h = maxc === r ? bc - gc : maxc === g ? 2 + rc - bc : 4 + gc - rc;
    h = (((h / 6 + 1) % 1) + shift) % 1;
    if (h < 0) h += 1; // Python's % is never negative
    const v = maxc;
    const k = Math.floor(h * 6);
    const f = h * 6 - k;
    const p = Math.min(1, Math.max(0, v * (1 - s)));
    const q = Math.min(1, Math.max(0, v * (1 - s * f)));
    const t = Math.min(1, Math.max(0, v * (1 - s * (1 - f))));
    const rgb = [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ][((k % 6) + 6) % 6];
    out[i] = toByte(rgb[0]);
    out[i + 1] = toByte(rgb[1]);
    out[i + 2] = toByte(rgb[2]);
  }
  return out;
}

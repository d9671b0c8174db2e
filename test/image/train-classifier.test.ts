import assert from "node:assert/strict";
import * as path from "node:path";
import { randomConvBackbone } from "../../src/image/baseline-backbone";
import { loadBackbone } from "../../src/image/backbones";
import { predictionGrid } from "../../src/image/prediction-grid";
import {
  classifierSummary,
  loadClassifierData,
  trainClassifier,
  type TrainedClassifier,
} from "../../src/image/train-classifier";
import { trainingWorkshopComparison } from "../../src/image/training-comparison";
import { subsetDataset } from "../../src/image/image-dataset";
import type { RgbImage } from "../../src/image/transforms";
import { DATA_DIR } from "../helpers/data";
import { tempDir } from "./image-helpers";

const FIRST100 = path.join(DATA_DIR, "cifar10", "data_batch_1_first100.bin");
const PIECE = path.join(DATA_DIR, "cifar10", "data_batch_1_1000_1999.bin");
const TEST100 = path.join(DATA_DIR, "cifar10", "test_batch_first100.bin");

describe("loadClassifierData and trainClassifier on real CIFAR-10 records", () => {
  let run: TrainedClassifier;
  let data: Awaited<ReturnType<typeof loadClassifierData>>;
  before(async () => {
    data = await loadClassifierData({ trainData: [PIECE, FIRST100], testData: TEST100, valFraction: 0.2, seed: 0 });
    run = await trainClassifier(data, randomConvBackbone({ filters: 32 }), {
      head: { epochs: 15, seed: 0 },
      cacheDir: tempDir("embed-cache"),
    });
  });

  it("splits each class 80/20 and keeps the test file apart (no test image in training)", () => {
    // data/cifar10/README.md: 1,000 + 100 records, class counts 106/95/117/116/126/105/107/108/108/112.
    const perClass = [106, 95, 117, 116, 126, 105, 107, 108, 108, 112];
    const expectedVal = perClass.reduce((a, c) => a + Math.round(c * 0.2), 0);
    assert.deepEqual(run.counts, { train: 1100 - expectedVal, val: expectedVal, test: 100, classes: 10 });
    assert.equal(data.overlap, 0);
    assert.equal(data.real, true);
    assert.deepEqual(data.train.sources, { cifar10: 1100 });
  });

  it("evaluates the kept weights on the test records: accuracy from the confusion matrix, above chance", () => {
    const c = run.testScores.confusion;
    const trace = c.reduce((a, row, i) => a + row[i], 0);
    assert.equal(run.testAccuracy, trace / 100);
    assert.equal(
      c.flat().reduce((a, b) => a + b, 0),
      100,
    );
    assert.ok(run.testAccuracy > 0.2, `random-conv features beat chance (0.1): ${run.testAccuracy}`);
    assert.equal(run.valAccuracy, run.history[run.bestEpoch - 1].valAccuracy, "the kept epoch's validation accuracy");
    assert.deepEqual(Array.from(run.testPredictions), Array.from(run.head.predict(run.testEmbeddings)));
    assert.equal(run.embedding.computed + run.embedding.cached, 1200);
  });

  it("summarises the run for results.json", () => {
    const s = classifierSummary(run);
    assert.equal(s.backbone, "random-conv");
    assert.equal(s.testAccuracy, run.testAccuracy);
    assert.deepEqual(s.confusion, run.testScores.confusion);
    assert.deepEqual(Object.keys(s.perClass as object), data.classNames);
    assert.equal(typeof s.embeddingsPerSecond, "number");
    assert.equal(s.trainingSeconds, run.trainingSeconds);
  });

  it("reports the backbone's throughput on a re-run whose embeddings all come from the cache", async () => {
    const cacheDir = tempDir("embed-cache-rerun");
    const backbone = randomConvBackbone({ filters: 8 });
    const small = { ...data, train: subsetDataset(data.train, [0, 1, 2, 3]), val: subsetDataset(data.val, [0, 1]) };
    const smallData = { ...small, test: subsetDataset(data.test, [0, 1, 2]) };
    const first = await trainClassifier(smallData, backbone, { head: { epochs: 2 }, cacheDir, batchSize: 4 });
    assert.deepEqual([first.embedding.computed, first.embedding.timedImages], [9, 9]);
    const again = await trainClassifier(smallData, backbone, { head: { epochs: 2 }, cacheDir, batchSize: 4 });
    assert.deepEqual(
      [again.embedding.cached, again.embedding.computed, again.embedding.seconds, again.embedding.timedImages],
      [9, 0, 0, 4],
      "all cached: one batch of 4 timed past the cache",
    );
    assert.ok(again.embedding.imagesPerSecond! > 0, `images/s ${again.embedding.imagesPerSecond}`);
    assert.equal(classifierSummary(again).embeddingsPerSecond, again.embedding.imagesPerSecond);
  });

  it("counts test images that are also training images", async () => {
    const leaky = await loadClassifierData({ trainData: [TEST100, FIRST100], testData: TEST100, valFraction: 0.2 });
    assert.equal(leaky.overlap, 100);
  });
});

describe("loadBackbone", () => {
  it("gives the baselines by name and refuses unknown names", async () => {
    assert.equal((await loadBackbone("random-conv")).dim, 512);
    assert.equal((await loadBackbone("raw-pixels")).dim, 3072);
    await assert.rejects(
      loadBackbone("resnet50"),
      /backbone is unknown: "resnet50" \(expected one of efficientnet-lite0/,
    );
  });
});

describe("predictionGrid", () => {
  const flat = (v: number): RgbImage => ({
    data: new Uint8Array(32 * 32 * 3).fill(v),
    width: 32,
    height: 32,
    channels: 3,
  });

  it("enlarges the test images, frames right ones green and wrong ones red, and captions the true class of wrong ones", async () => {
    const cells = await predictionGrid([flat(100), flat(50), flat(0)], [0, 1, 1], [0, 0, 1], ["cat", "dog"], {
      size: 64,
      proba: Float32Array.from([0.9, 0.1, 0.7, 0.3, 0.2, 0.8]),
    });
    assert.deepEqual(
      cells.map((c) => c.caption),
      ["✓ cat 90%", "✗ cat 70% (true: dog)", "✓ dog 80%"],
    );
    assert.deepEqual(
      cells.map((c) => c.correct),
      [true, false, true],
    );
    const px = (c: (typeof cells)[number], x: number, y: number) =>
      Array.from(c.image.data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3));
    assert.equal(cells[0].image.width, 64);
    assert.deepEqual(px(cells[0], 0, 0), [44, 160, 44], "green frame");
    assert.deepEqual(px(cells[1], 63, 63), [214, 39, 40], "red frame");
    assert.deepEqual(px(cells[1], 32, 32), [50, 50, 50], "the picture inside");
  });

  it("puts the wrong predictions first with wrongFirst, keeping test order within each group", async () => {
    const yTrue = [0, 1, 1, 0, 1];
    const yPred = [0, 0, 1, 1, 1];
    const images = [0, 1, 2, 3, 4].map((v) => flat(v * 10));
    const first = await predictionGrid(images, yTrue, yPred, ["cat", "dog"], { count: 3 });
    assert.deepEqual(
      first.map((c) => c.index),
      [0, 1, 2],
      "default: the first images",
    );
    const wrong = await predictionGrid(images, yTrue, yPred, ["cat", "dog"], { count: 4, wrongFirst: true });
    assert.deepEqual(
      wrong.map((c) => [c.index, c.correct, c.caption]),
      [
        [1, false, "✗ cat (true: dog)"],
        [3, false, "✗ dog (true: cat)"],
        [0, true, "✓ cat"],
        [2, true, "✓ dog"],
      ],
    );
    assert.equal(wrong[1].image.data[(48 * 96 + 48) * 3], 30, "image 3's pixels in the second cell");
  });
});

describe("trainingWorkshopComparison", () => {
  it("marks the test accuracy as replaced and the validation accuracy as not comparable, naming real data", () => {
    const rows = trainingWorkshopComparison({
      backbone: "efficientnet-lite0",
      baseline: "random-conv",
      real: false,
      counts: { train: 418, val: 110, test: 66, classes: 11 },
      valAccuracy: 0.9,
      testAccuracy: 0.95,
      baselineTestAccuracy: 0.5,
      bestEpoch: 7,
      epochsRun: 17,
      overlap: 0,
      embedSeconds: 12,
      trainingSeconds: 1.5,
      imagesPerSecond: 50,
      realRun: { testAccuracy: 0.87, valAccuracy: 0.85, test: 100, baselineTestAccuracy: 0.36 },
    }).rows;
    const test = rows.find((r) => r.what === "test accuracy")!;
    assert.equal(test.status, "replaced");
    assert.match(test.here, /95\.0% on 66 held-out generated images .*; on real CIFAR-10: 87\.0% on 100 test records/);
    assert.equal(rows.find((r) => r.what === "validation accuracy")!.status, "not comparable");
    assert.match(
      rows.find((r) => r.what === "baseline without pretraining")!.here,
      /random-conv: 50\.0% \(real CIFAR-10: 36\.0%\)/,
    );
    assert.match(rows.find((r) => r.what === "time")!.here, /^embedding 12\.0 s \(50\.0 images\/s\), head 1\.5 s/);
  });

  it("says when every embedding came from the cache, with the throughput of the batch timed", () => {
    const base = { backbone: "efficientnet-lite0", baseline: "random-conv", real: true, valAccuracy: 0.9 };
    const rows = trainingWorkshopComparison({
      ...base,
      counts: { train: 8, val: 2, test: 3, classes: 2 },
      testAccuracy: 0.9,
      baselineTestAccuracy: 0.5,
      bestEpoch: 1,
      epochsRun: 2,
      overlap: 0,
      embedSeconds: 0,
      trainingSeconds: 0.5,
      imagesPerSecond: 61.25,
    }).rows;
    assert.match(
      rows.find((r) => r.what === "time")!.here,
      /^embeddings from the cache \(backbone 61\.3 images\/s on one batch\), head 0\.5 s/,
    );
  });
});

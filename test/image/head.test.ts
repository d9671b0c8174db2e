import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ClassifierHead } from "../../src/image/head";
import { loadHead, saveHead } from "../../src/image/head-json";
import { FormatError, NotFittedError, SchemaError } from "../../src/util/errors";
import type { Backbone } from "../../src/image/backbone";
import type { RgbImage } from "../../src/image/transforms";
import { mulberry32 } from "../../src/util/prng";
import { assertThrows, tempDir } from "./image-helpers";

/** n rows of d gaussian features; class c = i mod k has +sep on feature c; a share `noise` of labels redrawn. */
function blobs(n: number, d: number, k: number, sep: number, seed: number, noise = 0) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = new Float32Array(n * d);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = i % k;
    for (let j = 0; j < d; j++) x[i * d + j] = normal() + (j === c ? sep : 0) + 5; // offset: standardisation matters
    if (rand() < noise) c = Math.floor(rand() * k);
    y.push(c);
  }
  return { x, y };
}

function accuracy(pred: Int32Array, y: number[]): number {
  return pred.reduce((a, p, i) => a + (p === y[i] ? 1 : 0), 0) / y.length;
}

describe("ClassifierHead", () => {
  const train = blobs(200, 10, 4, 8, 1);
  const val = blobs(100, 10, 4, 8, 2);
  const test = blobs(100, 10, 4, 8, 3);

  for (const kind of ["softmax", "mlp"] as const) {
    it(`${kind}: learns a separable problem (every validation and test row right)`, () => {
      const head = new ClassifierHead({ kind, hidden: 16, epochs: 30, learning_rate: 0.01, seed: 0 }).fit(
        train.x,
        train.y,
        {
          valX: val.x,
          valY: val.y,
          classNames: ["a", "b", "c", "d"],
        },
      );
      assert.equal(head.history_[head.bestEpoch_ - 1].valAccuracy, 1);
      assert.equal(accuracy(head.predict(test.x), test.y), 1);
      const proba = head.predictProba(test.x.subarray(0, 10));
      assert.ok(Math.abs(proba.subarray(0, 4).reduce((a, b) => a + b, 0) - 1) < 1e-6, "probabilities sum to 1");
      assert.ok(head.history_[head.history_.length - 1].loss < head.history_[0].loss, "the training loss falls");
    });
  }

  describe("early stopping on validation accuracy", () => {
    // Noisy labels, few rows, a large step: validation accuracy peaks at epoch 5, then settles lower.
    const noisy = blobs(60, 50, 3, 0.8, 1, 0.3);
    const clean = blobs(200, 50, 3, 0.8, 2);
    const params = { epochs: 40, learning_rate: 0.05, alpha: 0, batch_size: 8, seed: 0 };
    const fit = (rounds: number) =>
      new ClassifierHead({ ...params, early_stopping_rounds: rounds }).fit(noisy.x, noisy.y, {
        valX: clean.x,
        valY: clean.y,
      });

    it("keeps the best epoch's weights, not the last epoch's", () => {
      const head = fit(0);
      const accs = head.history_.map((h) => h.valAccuracy);
      assert.equal(head.history_.length, 40, "rounds 0: never stops early");
      assert.equal(head.bestEpoch_, accs.indexOf(Math.max(...accs)) + 1, "the first epoch of the best accuracy");
      assert.equal(head.bestEpoch_, 5);
      const kept = accuracy(head.predict(clean.x), clean.y);
      assert.equal(kept, accs[4], "the returned head scores what epoch 5 scored");
      assert.notEqual(kept, accs[39], "which is not what the last epoch scored");
    });

    it("stops after early_stopping_rounds epochs without improvement, on the same path", () => {
      const full = fit(0);
      const early = fit(5);
      assert.equal(early.history_.length, 10, "best epoch 5, then 5 epochs without a better one");
      assert.equal(early.bestEpoch_, 5);
      assert.deepEqual(
        early.history_.map((h) => h.valLoss),
        full.history_.slice(0, 10).map((h) => h.valLoss),
      );
      assert.deepEqual(early.predictProba(clean.x), full.predictProba(clean.x), "the same kept weights");
    });

    it("calls onEpoch after every epoch with the history so far", () => {
      const seen: number[] = [];
      new ClassifierHead({ ...params, early_stopping_rounds: 5 }).fit(noisy.x, noisy.y, {
        valX: clean.x,
        valY: clean.y,
        onEpoch: (log, history) => seen.push(log.epoch * 100 + history.length),
      });
      assert.deepEqual(seen, [101, 202, 303, 404, 505, 606, 707, 808, 909, 1010]);
    });
  });

  it("is seeded: the same seed gives the same weights bit for bit, another seed others", () => {
    const fit = (seed: number) =>
      new ClassifierHead({ kind: "mlp", hidden: 8, epochs: 5, seed }).fit(train.x, train.y, {
        valX: val.x,
        valY: val.y,
      });
    const [a, b, c] = [fit(3), fit(3), fit(4)];
    assert.deepEqual(a.layers_, b.layers_);
    assert.deepEqual(
      a.history_.map((h) => h.loss),
      b.history_.map((h) => h.loss),
    );
    assert.notDeepEqual(a.layers_![0].weights, c.layers_![0].weights);
  });

  it("refuses to predict before fit, and bad hyperparameters and labels", () => {
    assert.throws(() => new ClassifierHead().predict(test.x), NotFittedError);
    assert.throws(() => new ClassifierHead({ epochs: 0 }).fit(train.x, train.y), /epochs is out of range: 0/);
    assert.throws(() => new ClassifierHead({ kind: "svm" as "mlp" }).fit(train.x, train.y), /kind is not supported/);
    assert.throws(
      () => new ClassifierHead().fit(train.x, train.y, { classNames: ["a", "b"] }),
      /y\[2\] is out of range: 2 \(expected a class label 0..1\)/,
    );
    assert.throws(() => new ClassifierHead().fit(train.x.subarray(1), train.y), /x has 1999 values for 200 labels/);
  });
});

describe("ClassifierHead with its backbone", () => {
  const train = blobs(120, 6, 3, 3, 5);
  const own = { name: "random-conv", dim: 6, fingerprint: "abc" };
  /** A backbone whose embedding of an image is its first 6 pixel bytes, so the test controls the features. */
  const backboneOf = (b: { name: string; dim: number; fingerprint: string }): Backbone => ({
    ...b,
    inputSize: 2,
    embed: async (images) => {
      const out = new Float32Array(images.length * b.dim);
      images.forEach((im, i) => out.set(Array.from(im.data.subarray(0, b.dim)), i * b.dim));
      return out;
    },
    close: async () => undefined,
  });

  it("predicts images through its own backbone, and refuses another backbone by name, fingerprint or length", async () => {
    const head = new ClassifierHead({ epochs: 10, seed: 0 }).fit(train.x, train.y, { backbone: own });
    const images: RgbImage[] = [0, 1].map((r) => ({
      data: Uint8Array.from(Array.from(train.x.subarray(r * 6, r * 6 + 6), (v) => Math.round(v))),
      width: 2,
      height: 1,
      channels: 3,
    }));
    const got = await head.predictImages(backboneOf(own), images);
    const embedded = await backboneOf(own).embed(images);
    assert.deepEqual(got.predictions, head.predict(embedded), "same as predict on the embeddings");
    assert.deepEqual(got.proba, head.predictProba(embedded));
    for (const other of [
      { ...own, name: "efficientnet-lite0" },
      { ...own, fingerprint: "another" },
      { ...own, dim: 3 },
    ]) {
      await assert.rejects(
        head.predictImages(backboneOf(other), images),
        (e: Error) =>
          e instanceof SchemaError &&
          e.message.startsWith(`backbone does not match the classifier head: ${other.name} (${other.fingerprint}`) &&
          e.message.includes("(expected random-conv (abc, 6-d)"),
      );
    }
  });
});

describe("saveHead and loadHead", () => {
  const train = blobs(120, 6, 3, 3, 5);
  const test = blobs(50, 6, 3, 3, 6);
  const backbone = { name: "random-conv", dim: 6, fingerprint: "abc" };

  for (const kind of ["softmax", "mlp"] as const) {
    it(`${kind}: round-trips through JSON with identical predictions and probabilities`, () => {
      const head = new ClassifierHead({ kind, hidden: 5, epochs: 8, seed: 1 }).fit(train.x, train.y, {
        valX: test.x,
        valY: test.y,
        classNames: ["x", "y", "z"],
        backbone,
      });
      const file = path.join(tempDir("head"), "sub", "head.json");
      saveHead(head, file);
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ["head.json"], "no temp file left");
      const back = loadHead(file);
      assert.deepEqual(back.predictProba(test.x), head.predictProba(test.x));
      assert.deepEqual(back.predict(test.x), head.predict(test.x));
      assert.deepEqual(back.classNames_, ["x", "y", "z"]);
      assert.deepEqual(back.backbone_, backbone);
      assert.equal(back.params.kind, kind);
      assert.equal(back.bestEpoch_, head.bestEpoch_);
      assert.deepEqual(back.mean_, head.mean_);
    });
  }

  it("names the file and the field when the file is missing, not a head, or inconsistent", () => {
    const dir = tempDir("head-bad");
    const missing = path.join(dir, "none.json");
    assertThrows(() => loadHead(missing), FormatError, ["classifier head cannot be read", missing]);
    const text = path.join(dir, "text.json");
    fs.writeFileSync(text, "{ not json");
    assertThrows(() => loadHead(text), FormatError, ["cannot be read", text]);
    const other = path.join(dir, "other.json");
    fs.writeFileSync(other, JSON.stringify({ format: "xgboost" }));
    assertThrows(() => loadHead(other), FormatError, ["has no format", other]);
    const head = new ClassifierHead({ epochs: 2 }).fit(train.x, train.y, { classNames: ["x", "y", "z"] });
    const good = path.join(dir, "good.json");
    saveHead(head, good);
    const json = JSON.parse(fs.readFileSync(good, "utf8"));
    json.layers[0].weights.pop();
    const cut = path.join(dir, "cut.json");
    fs.writeFileSync(cut, JSON.stringify(json));
    assertThrows(() => loadHead(cut), FormatError, ['field "layers[0].weights" is 17 values (expected 18', cut]);
    json.layers[0].weights.push(1);
    json.standardise.scale = [1, 2];
    fs.writeFileSync(cut, JSON.stringify(json));
    assertThrows(() => loadHead(cut), FormatError, ['field "standardise.scale" is 2 values (expected 6', cut]);
    assert.throws(() => saveHead(new ClassifierHead(), path.join(dir, "x.json")), NotFittedError);
  });
});

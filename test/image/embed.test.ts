import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Backbone } from "../../src/image/backbone";
import { randomConvBackbone, rawPixelBackbone } from "../../src/image/baseline-backbone";
import { embeddingCacheFile, embeddingKey, embedImages } from "../../src/image/embed";
import { loadImageDataset } from "../../src/image/image-dataset";
import type { RgbImage } from "../../src/image/transforms";
import { DATA_DIR } from "../helpers/data";
import { tempDir } from "./image-helpers";

/** A backbone whose embedding is (mean pixel, width, height, a constant), counting the images it embeds. */
function countingBackbone(fingerprint = "v1", failAfter = Infinity): Backbone & { embedded: number } {
  const bb = {
    name: "counting",
    dim: 4,
    inputSize: 8,
    fingerprint,
    embedded: 0,
    async embed(images: readonly RgbImage[]) {
      if (bb.embedded + images.length > failAfter) throw new Error("backbone failed");
      bb.embedded += images.length;
      const out = new Float32Array(images.length * 4);
      images.forEach((im, i) => {
        const mean = im.data.reduce((a, b) => a + b, 0) / im.data.length;
        out.set([mean, im.width, im.height, fingerprint.length + 0.25], i * 4);
      });
      return out;
    },
    async close() {},
  };
  return bb;
}

const img = (v: number, w = 3, h = 2): RgbImage => ({
  data: new Uint8Array(w * h * 3).fill(v),
  width: w,
  height: h,
  channels: 3,
});
const IMAGES = [img(1), img(2), img(3), img(1, 2, 3), img(200)];

/** Every file under dir, relative. */
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

describe("embedImages", () => {
  it("embeds in batches without a cache, reporting progress", async () => {
    const bb = countingBackbone();
    const progress: number[] = [];
    const r = await embedImages(bb, IMAGES, { batchSize: 2, onProgress: (d) => progress.push(d) });
    assert.deepEqual(Array.from(r.embeddings.subarray(0, 4)), [1, 3, 2, 2.25]);
    assert.deepEqual(
      Array.from(r.embeddings.subarray(12, 16)),
      [1, 2, 3, 2.25],
      "same pixels, other size: its own row",
    );
    assert.deepEqual([r.cached, r.computed, bb.embedded], [0, 5, 5]);
    assert.deepEqual(progress, [2, 4, 5]);
  });

  it("reads the second run from the cache: no image embedded again, the same floats", async () => {
    const cacheDir = tempDir("cache");
    const first = await embedImages(countingBackbone(), IMAGES, { cacheDir });
    assert.equal(files(cacheDir).length, 5, "one file per image");
    const bb = countingBackbone();
    const second = await embedImages(bb, IMAGES, { cacheDir });
    assert.deepEqual([second.cached, second.computed, bb.embedded], [5, 0, 0]);
    assert.equal(second.imagesPerSecond, null, "no throughput when nothing was computed");
    assert.deepEqual(second.embeddings, first.embeddings);
  });

  it("keys the cache by the image's pixels and size and the backbone's fingerprint", async () => {
    const cacheDir = tempDir("cache");
    await embedImages(countingBackbone("v1"), IMAGES, { cacheDir });
    const changed = countingBackbone("v2-other-weights");
    const r = await embedImages(changed, [...IMAGES, img(4)], { cacheDir });
    assert.deepEqual([r.cached, r.computed], [0, 6], "a new fingerprint misses every entry");
    assert.equal(r.embeddings[3], 16.25, "and gets the new backbone's values");
    const k = embeddingKey({ fingerprint: "v1" }, img(1));
    assert.notEqual(k, embeddingKey({ fingerprint: "v2" }, img(1)));
    assert.notEqual(k, embeddingKey({ fingerprint: "v1" }, img(2)));
    assert.notEqual(embeddingKey({ fingerprint: "v1" }, img(1, 6, 1)), k, "6×1 and 3×2 of the same bytes differ");
    assert.equal(embeddingCacheFile("/c", { name: "a/b" }, k), path.join("/c", "a_b", k.slice(0, 2), `${k}.f32`));
  });

  it("writes atomically: a failing backbone leaves whole files of the finished batches and no temp file", async () => {
    const cacheDir = tempDir("cache");
    await assert.rejects(embedImages(countingBackbone("v1", 2), IMAGES, { cacheDir, batchSize: 2 }), /backbone failed/);
    const left = files(cacheDir);
    assert.equal(left.length, 2, left.join(", "));
    assert.ok(left.every((f) => f.endsWith(".f32") && fs.statSync(path.join(cacheDir, f)).size === 16));
    const bb = countingBackbone("v1");
    const r = await embedImages(bb, IMAGES, { cacheDir, batchSize: 2 });
    assert.deepEqual([r.cached, r.computed], [2, 3], "the next run reuses the two finished images");
  });

  it("treats a cache file of the wrong length as a miss and rewrites it", async () => {
    const cacheDir = tempDir("cache");
    const bb = countingBackbone();
    await embedImages(bb, [img(9)], { cacheDir });
    const file = path.join(cacheDir, files(cacheDir)[0]);
    fs.writeFileSync(file, Buffer.alloc(7));
    const r = await embedImages(countingBackbone(), [img(9)], { cacheDir });
    assert.deepEqual([r.cached, r.computed, fs.statSync(file).size], [0, 1, 16]);
  });

  it("refuses a backbone that returns the wrong number of floats", async () => {
    const bad = { ...countingBackbone(), dim: 5 };
    await assert.rejects(
      embedImages(bad, IMAGES),
      /backbone counting returned 20 floats for 5 images \(expected 5 × 5\)/,
    );
  });
});

describe("the baseline backbones", () => {
  it("random-conv: 4 × filters features, deterministic for a seed, other filters for another seed", async () => {
    const ds = await loadImageDataset(path.join(DATA_DIR, "cifar10", "test_batch_first100.bin"));
    const images = ds.images.slice(0, 3);
    const a = randomConvBackbone({ seed: 0, filters: 16 });
    assert.equal(a.dim, 64);
    const [ea, eb, ec] = [
      await a.embed(images),
      await randomConvBackbone({ seed: 0, filters: 16 }).embed(images),
      await randomConvBackbone({ seed: 1, filters: 16 }).embed(images),
    ];
    assert.equal(ea.length, 3 * 64);
    assert.deepEqual(ea, eb);
    assert.notDeepEqual(ea, ec);
    assert.ok(ea.every((v) => v >= 0) && ea.some((v) => v > 0), "rectified, not all zero");
    assert.notEqual(a.fingerprint, randomConvBackbone({ seed: 1, filters: 16 }).fingerprint);
  });

  it("random-conv and raw-pixels resize any image to 32×32 first", async () => {
    const big = img(100, 64, 48);
    const small = img(100, 32, 32);
    assert.deepEqual(await rawPixelBackbone().embed([big]), await rawPixelBackbone().embed([small]));
    const raw = await rawPixelBackbone().embed([small]);
    assert.equal(raw.length, 3072);
    assert.ok(Math.abs(raw[0] - 100 / 255) < 1e-7);
    const rc = randomConvBackbone({ filters: 4 });
    assert.deepEqual(await rc.embed([big]), await rc.embed([small]), "a flat image is flat at any size");
  });
});

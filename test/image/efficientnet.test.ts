import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { readCifarBatch } from "../../src/image/cifar";
import {
  efficientNetInputImage,
  imageNetClassNames,
  loadEfficientNetLite0,
  type EfficientNetLite0,
} from "../../src/image/efficientnet";
import {
  buildEfficientNetLite0Onnx,
  checkEfficientNetLite0Weights,
  efficientNetBlocks,
  efficientNetLite0Shapes,
  samePadding,
} from "../../src/image/efficientnet-graph";
import {
  convertEfficientNetLite0,
  efficientNetLite0Paths,
  obtainEfficientNetLite0,
} from "../../src/image/efficientnet-weights";
import type { TorchTensor } from "../../src/image/torch-pth";
import { readTorchPth } from "../../src/image/torch-pth";
import { decodeImage, type RgbImage } from "../../src/image/transforms";
import { NetworkError } from "../../src/io/download-errors";
import { DataPrepError, FormatError } from "../../src/util/errors";
import { PROJECT_ROOT, projectPath } from "../../src/util/paths";
import { mulberry32 } from "../../src/util/prng";

const PYTHON = projectPath(".venv", "bin", "python");
const REFERENCE = projectPath("test", "fixtures", "efficientnet", "efficientnet_reference.py");
const PATHS = efficientNetLite0Paths();
/** The weight files these tests need that are absent (the model and the .pth it was converted from). */
const ABSENT = [PATHS.model, PATHS.pth].filter((f) => !fs.existsSync(f));

/** A test that needs the converted weights (made by `npm run setup`): pending, naming the absent files. */
function itWithWeights(title: string, fn: () => Promise<void> | void): Mocha.Test {
  if (ABSENT.length > 0) {
    const files = ABSENT.map((f) => path.relative(PROJECT_ROOT, f)).join(" and ");
    return it(`${title} (pending: needs ${files}, made by npm run setup; absent)`);
  }
  return it(title, fn);
}

function zeroWeights(): Map<string, TorchTensor> {
  const m = new Map<string, TorchTensor>();
  for (const [name, shape] of efficientNetLite0Shapes()) {
    const n = shape.reduce((a, b) => a * b, 1);
    m.set(
      name,
      name.endsWith("num_batches_tracked")
        ? { dtype: "int64", shape, data: new BigInt64Array(n) }
        : { dtype: "float32", shape, data: new Float32Array(n).fill(name.endsWith("running_var") ? 1 : 0) },
    );
  }
  return m;
}

describe("EfficientNet-Lite0 architecture and weight checks", () => {
  it("has the state dict the issue counted: 296 tensors, 4,694,073 numbers, 16 blocks, 9 residual", () => {
    const shapes = efficientNetLite0Shapes();
    assert.equal(shapes.size, 296);
    assert.equal(
      [...shapes.values()].reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0),
      4_694_073,
    );
    assert.deepEqual(shapes.get("_conv_stem.weight"), [32, 3, 3, 3]);
    assert.deepEqual(shapes.get("_fc.weight"), [1000, 1280]);
    const blocks = efficientNetBlocks();
    assert.equal(blocks.length, 16);
    assert.deepEqual(
      blocks.filter((b) => b.residual).map((b) => b.index),
      [2, 4, 6, 7, 9, 10, 12, 13, 14],
    );
  });

  it("pads like TensorFlow's SAME: one more after than before on stride-2 convs of even inputs", () => {
    assert.deepEqual(samePadding(224, 3, 2), [0, 1]);
    assert.deepEqual(samePadding(56, 5, 2), [1, 2]);
    assert.deepEqual(samePadding(14, 5, 1), [2, 2]);
    assert.deepEqual(samePadding(7, 1, 1), [0, 0]);
  });

  it("names the file and the tensor for missing, wrong-shaped and unexpected weights", () => {
    const ok = zeroWeights();
    checkEfficientNetLite0Weights(ok, "w.pth");
    const missing = zeroWeights();
    missing.delete("_blocks.7._bn1.running_var");
    assert.throws(
      () => checkEfficientNetLite0Weights(missing, "w.pth"),
      (e: Error) =>
        e instanceof FormatError &&
        e.message ===
          "EfficientNet-Lite0 weights lack tensor _blocks.7._bn1.running_var: w.pth (expected shape (480); 295 tensors in the file, 296 expected)",
    );
    const wrong = zeroWeights();
    wrong.set("_conv_stem.weight", { dtype: "float32", shape: [32, 3, 5, 5], data: new Float32Array(2400) });
    assert.throws(
      () => buildEfficientNetLite0Onnx(wrong, "w.pth"),
      /EfficientNet-Lite0 weight _conv_stem.weight has shape \(32, 3, 5, 5\): w.pth \(expected \(32, 3, 3, 3\)\)/,
    );
    const extra = zeroWeights();
    extra.set("_blocks.0._se_reduce.weight", { dtype: "float32", shape: [8, 32, 1, 1], data: new Float32Array(256) });
    assert.throws(
      () => checkEfficientNetLite0Weights(extra, "b0.pth"),
      /unexpected tensor _blocks.0._se_reduce.weight: b0.pth/,
    );
  });

  it("loadEfficientNetLite0 names a missing model file and says how to make it; a corrupt one is a FormatError", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-"));
    try {
      const absent = path.join(dir, "none.onnx");
      await assert.rejects(
        loadEfficientNetLite0({ modelFile: absent }),
        (e: Error) => e instanceof DataPrepError && e.message.includes(absent) && e.message.includes("npm run setup"),
      );
      const corrupt = path.join(dir, "bad.onnx");
      fs.writeFileSync(corrupt, "not a model");
      await assert.rejects(
        loadEfficientNetLite0({ modelFile: corrupt }),
        (e: Error) => e instanceof FormatError && e.message.includes(corrupt),
      );
      await assert.rejects(loadEfficientNetLite0({ modelFile: corrupt, threads: 0 }), /threads is out of range: 0/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("obtainEfficientNetLite0 offline with nothing cached fails with EOFFLINE and writes nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-cache-"));
    try {
      await assert.rejects(
        obtainEfficientNetLite0({ cacheDir: dir, offline: true }),
        (e: Error) => e instanceof NetworkError && e.code === "EOFFLINE",
      );
      assert.equal(fs.existsSync(efficientNetLite0Paths(dir).model), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the ImageNet class list has 1,000 names with 698 palace and 985 daisy", () => {
    const names = imageNetClassNames();
    assert.equal(names.length, 1000);
    assert.deepEqual([names[0], names[698], names[985], names[999]], ["tench", "palace", "daisy", "toilet paper"]);
  });
});

describe("EfficientNet-Lite0 with the real ImageNet weights", function () {
  this.timeout(300_000);
  let net: EfficientNetLite0;
  let photos: RgbImage[];
  let inputs: RgbImage[];
  let reference: { layers: Record<string, number[]>; top5: [number, number][][] };
  let refDir: string;

  before(async function () {
    if (ABSENT.length > 0) return;
    net = await loadEfficientNetLite0();
    const images = execFileSync(
      PYTHON,
      ["-c", "import os, sklearn; print(os.path.join(os.path.dirname(sklearn.__file__), 'datasets', 'images'))"],
      {
        encoding: "utf8",
      },
    ).trim();
    photos = [];
    for (const f of ["china.jpg", "flower.jpg"]) {
      const file = path.join(images, f);
      photos.push((await decodeImage(fs.readFileSync(file), file)).image);
    }
    // four inputs: the two photographs, a real CIFAR-10 record (32×32, upscaled) and noise
    const cifar = readCifarBatch(projectPath("data", "cifar10", "test_batch_first100.bin")).record(0);
    const rand = mulberry32(12);
    const noise: RgbImage = {
      data: Uint8Array.from({ length: 224 * 224 * 3 }, () => Math.floor(rand() * 256)),
      width: 224,
      height: 224,
      channels: 3,
    };
    const small: RgbImage = { data: cifar.data, width: 32, height: 32, channels: 3 };
    inputs = await Promise.all([...photos, small, noise].map(efficientNetInputImage));
    refDir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-ref-"));
    const raw = path.join(refDir, "input.u8");
    fs.writeFileSync(raw, Buffer.concat(inputs.map((im) => im.data)));
    reference = JSON.parse(
      execFileSync(PYTHON, [REFERENCE, "forward", PATHS.pth, raw, refDir], { encoding: "utf8", maxBuffer: 1 << 24 }),
    );
  });
  after(async () => {
    await net?.close();
    if (refDir) fs.rmSync(refDir, { recursive: true, force: true });
  });

  const layer = (name: string) => new Float32Array(fs.readFileSync(path.join(refDir, `${name}.f32`)).buffer.slice(0));

  itWithWeights(
    "is a Backbone: name, 1,280-d embeddings of 224 px inputs, a fingerprint of model and preprocessing",
    async () => {
      assert.equal(net.name, "efficientnet-lite0");
      assert.equal(net.dim, 1280);
      assert.equal(net.inputSize, 224);
      assert.match(net.fingerprint, /^efficientnet-lite0:[0-9a-f]{16}$/);
      const again = await loadEfficientNetLite0({ threads: 1 });
      assert.equal(again.fingerprint, net.fingerprint, "same file, same fingerprint");
      await again.close();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-fp-"));
      try {
        const debug = path.join(dir, "debug.onnx");
        fs.writeFileSync(debug, buildEfficientNetLite0Onnx(readTorchPth(PATHS.pth), PATHS.pth, { debug: true }));
        const other = await loadEfficientNetLite0({ modelFile: debug });
        assert.notEqual(other.fingerprint, net.fingerprint, "another model file, another fingerprint");
        await other.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  itWithWeights("names the right things in scikit-learn's sample photographs: 698 palace, 985 daisy", async () => {
    const top = await net.classifyImageNet(photos, 5);
    assert.deepEqual(top[0][0].id, 698);
    assert.equal(top[0][0].name, "palace");
    assert.deepEqual(top[1][0].id, 985);
    assert.equal(top[1][0].name, "daisy");
    // the same top-5, in the same order and with the same probabilities, as the NumPy forward pass
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(
        top[i].map((p) => p.id),
        reference.top5[i].map(([id]) => id),
        `image ${i} top-5 ids`,
      );
      top[i].forEach((p, j) => assert.ok(Math.abs(p.probability - reference.top5[i][j][1]) < 1e-4, `p ${i},${j}`));
    }
    assert.ok(top[0][0].probability > 0.3 && top[1][0].probability > 0.2);
    // china.jpg's top-5 are buildings by water, flower.jpg's a daisy and things found on flowers
    assert.deepEqual(
      top[0].map((p) => p.name),
      ["palace", "bell tower", "lakeshore", "monastery", "boathouse"],
    );
    assert.equal(top[1][1].name, "bee");
  });

  itWithWeights(
    "matches an independent NumPy forward pass layer by layer (within 1e-4 of each layer's largest value)",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-debug-"));
      const bytes = buildEfficientNetLite0Onnx(readTorchPth(PATHS.pth), PATHS.pth, { debug: true });
      const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
      try {
        const plane = 224 * 224;
        const x = new Float32Array(inputs.length * 3 * plane);
        inputs.forEach((im, n) => {
          for (let i = 0; i < plane; i++)
            for (let c = 0; c < 3; c++) x[n * 3 * plane + c * plane + i] = (im.data[i * 3 + c] - 127) / 128;
        });
        const out = await session.run({ input: new ort.Tensor("float32", x, [inputs.length, 3, 224, 224]) });
        const names = ["stem", ...efficientNetBlocks().map((b) => `block${b.index}`), "head", "embedding", "logits"];
        assert.equal(names.length, 20);
        for (const name of names) {
          const want = layer(name);
          const got = out[name].data as Float32Array;
          assert.deepEqual([...out[name].dims], reference.layers[name], `${name} shape`);
          let scale = 0;
          let diff = 0;
          for (let i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            diff = Math.max(diff, Math.abs(got[i] - want[i]));
          }
          assert.ok(scale > 0.5, `${name}: the reference is not all zeros (${scale})`);
          assert.ok(diff <= 1e-4 * scale + 1e-5, `${name}: max |ours - numpy| = ${diff} (largest |value| ${scale})`);
        }
      } finally {
        await session.release();
        fs.rmSync(dir, { recursive: true, force: true });
      }
      // the production model (embed, with its own preprocessing) gives the NumPy embeddings of the same images
      const emb = await net.embed([...photos, inputs[2], inputs[3]]);
      const want = layer("embedding");
      let diff = 0;
      for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(emb[i] - want[i]));
      assert.ok(diff < 1e-4, `embed vs numpy: ${diff}`);
    },
  );

  itWithWeights("embeds in batches exactly as one at a time, any image size, and checks its input", async () => {
    const rand = mulberry32(5);
    const images: RgbImage[] = Array.from({ length: 11 }, (_, i) => {
      const [w, h] = i % 3 === 0 ? [32, 32] : i % 3 === 1 ? [300, 200] : [224, 224];
      return {
        data: Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rand() * 256)),
        width: w,
        height: h,
        channels: 3,
      };
    });
    const small = await loadEfficientNetLite0({ batchSize: 4 });
    try {
      const batched = await small.embed(images);
      assert.equal(batched.length, 11 * 1280);
      for (const i of [0, 5, 10]) {
        const one = await net.embed([images[i]]);
        let diff = 0;
        for (let j = 0; j < 1280; j++) diff = Math.max(diff, Math.abs(one[j] - batched[i * 1280 + j]));
        assert.ok(diff < 1e-5, `image ${i}: ${diff}`);
      }
      assert.equal((await small.embed([])).length, 0);
      await assert.rejects(
        small.embed([images[0], { data: new Uint8Array(10), width: 4, height: 4, channels: 3 }]),
        /image 1 is not an RGB image: 4×4, 10 bytes/,
      );
    } finally {
      await small.close();
      await small.close();
    }
    await assert.rejects(small.embed(images.slice(0, 1)), /EfficientNet-Lite0 is closed/);
  });

  itWithWeights("converting a truncated .pth fails naming it and leaves no model file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-cut-"));
    try {
      const bytes = fs.readFileSync(PATHS.pth);
      const cut = path.join(dir, "cut.pth");
      fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 1000));
      const dest = path.join(dir, "m.onnx");
      assert.throws(
        () => convertEfficientNetLite0(cut, dest),
        (e: Error) => e instanceof FormatError && /truncated/.test(e.message) && e.message.includes(cut),
      );
      assert.deepEqual(fs.readdirSync(dir), ["cut.pth"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  itWithWeights("obtainEfficientNetLite0 finds the current stamp and converts nothing", async () => {
    const r = await obtainEfficientNetLite0({ offline: true });
    assert.equal(r.converted, false);
    assert.equal(r.stamp.tensors, 296);
    assert.equal(r.stamp.parameters, 4_694_073);
    assert.equal(r.stamp.model.bytes, fs.statSync(PATHS.model).size);
  });

  itWithWeights(
    "withSource: a current stamp without the .pth is not enough (setup --test keeps the .pth)",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effnet-cache-"));
      try {
        const p = efficientNetLite0Paths(dir);
        fs.mkdirSync(path.dirname(p.model), { recursive: true });
        fs.copyFileSync(PATHS.model, p.model);
        fs.copyFileSync(PATHS.stamp, p.stamp);
        const r = await obtainEfficientNetLite0({ cacheDir: dir, offline: true });
        assert.equal(r.converted, false, "the converted model alone serves the product");
        await assert.rejects(
          obtainEfficientNetLite0({ cacheDir: dir, offline: true, withSource: true }),
          (e: Error) => e instanceof NetworkError && e.code === "EOFFLINE",
          "the .pth must be fetched again (here: offline, so it fails)",
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

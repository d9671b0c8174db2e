/**
 * EfficientNet-Lite0 as an ONNX inference graph, built from the weights of the EfficientNet-PyTorch state
 * dict (`_conv_stem`, `_bn0`, `_blocks.N.{_expand_conv,_bn0,_depthwise_conv,_bn1,_project_conv,_bn2}`,
 * `_conv_head`, `_bn1`, `_fc`).
 *
 * The network: EfficientNet-B0's block list (below) without squeeze-excitation, ReLU6 activations,
 * TensorFlow "same" padding for a 224×224 input (stride-2 convolutions pad one more pixel at the bottom and
 * right than at the top and left), batch norm with epsilon 1e-3, a residual add where a block keeps stride 1
 * and its channel count, global average pooling to the 1,280-d embedding and `_fc` to 1,000 ImageNet logits.
 * Batch norm is folded into the convolution before it: w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε).
 * The graph's input is the scaled image, (pixel − 127) / 128, NCHW float32; the caller scales.
 */
import { FormatError } from "../util/errors";
import { OnnxGraph } from "./onnx-writer";
import type { TorchTensor } from "./torch-pth";

/** Side of the input image the padding is computed for. */
export const EFFICIENTNET_INPUT_SIZE = 224;
/** Length of the embedding (channels of `_conv_head`). */
export const EFFICIENTNET_EMBEDDING_DIM = 1280;
/** Batch-norm epsilon of the TensorFlow original. */
export const EFFICIENTNET_BN_EPS = 1e-3;
/** Tensors in the Lite0 state dict (each batch norm has 5: weight, bias, running mean/var, batch count). */
export const EFFICIENTNET_LITE0_TENSORS = 296;
/** Numbers in the Lite0 state dict (the 49 batch counts included), as the issue counted them. */
export const EFFICIENTNET_LITE0_PARAMETERS = 4_694_073;

/** One stage of EfficientNet-B0: `repeats` blocks, the first with `stride` and `input` channels. */
export interface EfficientNetStage {
  repeats: number;
  kernel: number;
  stride: number;
  expand: number;
  input: number;
  output: number;
}

/** EfficientNet-B0's stages (width and depth multipliers 1.0, as Lite0 keeps them). */
export const EFFICIENTNET_B0_STAGES: readonly EfficientNetStage[] = [
  { repeats: 1, kernel: 3, stride: 1, expand: 1, input: 32, output: 16 },
  { repeats: 2, kernel: 3, stride: 2, expand: 6, input: 16, output: 24 },
  { repeats: 2, kernel: 5, stride: 2, expand: 6, input: 24, output: 40 },
  { repeats: 3, kernel: 3, stride: 2, expand: 6, input: 40, output: 80 },
  { repeats: 3, kernel: 5, stride: 1, expand: 6, input: 80, output: 112 },
  { repeats: 4, kernel: 5, stride: 2, expand: 6, input: 112, output: 192 },
  { repeats: 1, kernel: 3, stride: 1, expand: 6, input: 192, output: 320 },
];

/** One block with its own stride and input channels (stages unrolled). */
export interface EfficientNetBlock extends EfficientNetStage {
  index: number;
  residual: boolean;
}

/** The 16 blocks of Lite0, in order. */
export function efficientNetBlocks(): EfficientNetBlock[] {
  const out: EfficientNetBlock[] = [];
  for (const s of EFFICIENTNET_B0_STAGES) {
    for (let r = 0; r < s.repeats; r++) {
      const input = r === 0 ? s.input : s.output;
      const stride = r === 0 ? s.stride : 1;
      out.push({ ...s, repeats: 1, input, stride, index: out.length, residual: stride === 1 && input === s.output });
    }
  }
  return out;
}

/** Every tensor name of the Lite0 state dict and its shape, in file order. */
export function efficientNetLite0Shapes(): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const bn = (prefix: string, c: number) => {
    for (const k of ["weight", "bias", "running_mean", "running_var"]) m.set(`${prefix}.${k}`, [c]);
    m.set(`${prefix}.num_batches_tracked`, []);
  };
  m.set("_conv_stem.weight", [32, 3, 3, 3]);
  bn("_bn0", 32);
  for (const b of efficientNetBlocks()) {
    const p = `_blocks.${b.index}`;
    const mid = b.input * b.expand;
    if (b.expand !== 1) {
      m.set(`${p}._expand_conv.weight`, [mid, b.input, 1, 1]);
      bn(`${p}._bn0`, mid);
    }
    m.set(`${p}._depthwise_conv.weight`, [mid, 1, b.kernel, b.kernel]);
    bn(`${p}._bn1`, mid);
    m.set(`${p}._project_conv.weight`, [b.output, mid, 1, 1]);
    bn(`${p}._bn2`, b.output);
  }
  m.set("_conv_head.weight", [EFFICIENTNET_EMBEDDING_DIM, 320, 1, 1]);
  bn("_bn1", EFFICIENTNET_EMBEDDING_DIM);
  m.set("_fc.weight", [1000, EFFICIENTNET_EMBEDDING_DIM]);
  m.set("_fc.bias", [1000]);
  return m;
}

/**
 * Check a state dict against Lite0's names and shapes (and that the numbers are finite).
 * @throws FormatError naming `file` and the first missing, unexpected or wrong-shaped tensor
 */
export function checkEfficientNetLite0Weights(tensors: Map<string, TorchTensor>, file: string): void {
  const expected = efficientNetLite0Shapes();
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) {
      throw new FormatError(
        `EfficientNet-Lite0 weights lack tensor ${name}: ${file} (expected shape (${shape.join(", ")}); ${tensors.size} tensors in the file, ${expected.size} expected)`,
      );
    }
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new FormatError(
        `EfficientNet-Lite0 weight ${name} has shape (${t.shape.join(", ")}): ${file} (expected (${shape.join(", ")}))`,
      );
    }
    if (t.data instanceof Float32Array && !t.data.every(Number.isFinite))
      throw new FormatError(`EfficientNet-Lite0 weight ${name} holds NaN or infinite values: ${file}`);
  }
  const extra = [...tensors.keys()].filter((k) => !expected.has(k));
  if (extra.length > 0) {
    throw new FormatError(
      `EfficientNet-Lite0 weights have unexpected tensor ${extra[0]}: ${file} (${extra.length} unexpected; is this another EfficientNet?)`,
    );
  }
}

/** TF "same" padding of one side-length: (before, after). */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Options of {@link buildEfficientNetLite0Onnx}. */
export interface EfficientNetGraphOptions {
  /**
   * Also output every layer (`stem`, `block0` … `block15`, `head`, NCHW) for the per-layer reference test.
   * Default false: only `embedding` [N,1280] and `logits` [N,1000].
   */
  debug?: boolean;
}

/**
 * The ONNX model file's bytes for Lite0 with batch norm folded in. Input `input` [N,3,224,224] (scaled
 * pixels), outputs `embedding` [N,1280] and `logits` [N,1000].
 * @throws FormatError naming `file` when the weights are not Lite0's (see {@link checkEfficientNetLite0Weights})
 */
export function buildEfficientNetLite0Onnx(
  tensors: Map<string, TorchTensor>,
  file: string,
  options: EfficientNetGraphOptions = {},
): Uint8Array {
  checkEfficientNetLite0Weights(tensors, file);
  const f32 = (name: string) => (tensors.get(name) as TorchTensor).data as Float32Array;
  const g = new OnnxGraph("efficientnet_lite0");
  g.input("input", ["batch", 3, EFFICIENTNET_INPUT_SIZE, EFFICIENTNET_INPUT_SIZE]);
  g.initializer("relu6_min", [], new Float32Array([0]));
  g.initializer("relu6_max", [], new Float32Array([6]));
  let size = EFFICIENTNET_INPUT_SIZE;

  /** conv (+ folded BN) (+ ReLU6); returns the output name. */
  const convBn = (
    x: string,
    conv: string,
    bn: string,
    o: { stride: number; group: number; relu: boolean; out: string },
  ): string => {
    const t = tensors.get(`${conv}.weight`) as TorchTensor;
    const [cout, cin, k] = t.shape;
    const w = Float32Array.from(f32(`${conv}.weight`));
    const b = new Float32Array(cout);
    const gamma = f32(`${bn}.weight`);
    const beta = f32(`${bn}.bias`);
    const mean = f32(`${bn}.running_mean`);
    const variance = f32(`${bn}.running_var`);
    const per = cin * k * k;
    for (let c = 0; c < cout; c++) {
      const s = gamma[c] / Math.sqrt(variance[c] + EFFICIENTNET_BN_EPS);
      for (let j = 0; j < per; j++) w[c * per + j] *= s;
      b[c] = beta[c] - mean[c] * s;
    }
    g.initializer(`${conv}.w`, [cout, cin, k, k], w);
    g.initializer(`${conv}.b`, [cout], b);
    const [before, after] = samePadding(size, k, o.stride);
    size = Math.ceil(size / o.stride);
    const y = o.relu ? `${o.out}_conv` : o.out;
    g.node("Conv", [x, `${conv}.w`, `${conv}.b`], [y], {
      kernel_shape: [k, k],
      strides: [o.stride, o.stride],
      pads: [before, before, after, after],
      group: o.group,
    });
    if (o.relu) g.node("Clip", [y, "relu6_min", "relu6_max"], [o.out]);
    return o.out;
  };

  const debug: string[] = [];
  let x = convBn("input", "_conv_stem", "_bn0", { stride: 2, group: 1, relu: true, out: "stem" });
  debug.push(x);
  for (const blk of efficientNetBlocks()) {
    const p = `_blocks.${blk.index}`;
    const inp = x;
    let y = inp;
    const mid = blk.input * blk.expand;
    if (blk.expand !== 1)
      y = convBn(y, `${p}._expand_conv`, `${p}._bn0`, { stride: 1, group: 1, relu: true, out: `${p}.expand` });
    y = convBn(y, `${p}._depthwise_conv`, `${p}._bn1`, {
      stride: blk.stride,
      group: mid,
      relu: true,
      out: `${p}.depthwise`,
    });
    const out = `block${blk.index}`;
    y = convBn(y, `${p}._project_conv`, `${p}._bn2`, {
      stride: 1,
      group: 1,
      relu: false,
      out: blk.residual ? `${p}.project` : out,
    });
    if (blk.residual) g.node("Add", [y, inp], [out]);
    x = out;
    debug.push(x);
  }
  x = convBn(x, "_conv_head", "_bn1", { stride: 1, group: 1, relu: true, out: "head" });
  debug.push(x);
  g.node("GlobalAveragePool", [x], ["pooled"]);
  g.node("Flatten", ["pooled"], ["embedding"], { axis: 1 });
  g.initializer("_fc.weight", [1000, EFFICIENTNET_EMBEDDING_DIM], Float32Array.from(f32("_fc.weight")));
  g.initializer("_fc.bias", [1000], Float32Array.from(f32("_fc.bias")));
  g.node("Gemm", ["embedding", "_fc.weight", "_fc.bias"], ["logits"], { transB: 1 });
  g.output("embedding", ["batch", EFFICIENTNET_EMBEDDING_DIM]);
  g.output("logits", ["batch", 1000]);
  if (options.debug) for (const d of debug) g.output(d);
  return g.encode({
    opset: 13,
    producer: "ml-dataprep-ts",
    doc: "EfficientNet-Lite0 (ImageNet), batch norm folded; input (pixel-127)/128 NCHW 224x224",
  });
}

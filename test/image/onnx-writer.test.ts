import * as assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import { OnnxGraph, ProtoWriter } from "../../src/image/onnx-writer";

describe("ProtoWriter (protobuf wire format)", () => {
  it("encodes varints, strings, floats and nested messages as protobuf does", () => {
    // the protobuf documentation's example: field 1 = 150 is 08 96 01
    assert.deepEqual([...new ProtoWriter().varint(1, 150).finish()], [0x08, 0x96, 0x01]);
    assert.deepEqual([...new ProtoWriter().string(2, "testing").finish()], [0x12, 0x07, ...Buffer.from("testing")]);
    assert.deepEqual([...new ProtoWriter().float(2, 1).finish()], [0x15, 0x00, 0x00, 0x80, 0x3f]);
    // negative int64: ten bytes of two's complement
    assert.deepEqual(
      [...new ProtoWriter().varint(3, -1).finish()],
      [0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    );
    const inner = new ProtoWriter().varint(1, 150);
    assert.deepEqual([...new ProtoWriter().message(3, inner).finish()], [0x1a, 0x03, 0x08, 0x96, 0x01]);
    assert.throws(() => new ProtoWriter().varint(1, 0.5), /not a safe integer: 0.5/);
  });
});

describe("OnnxGraph", () => {
  it("writes a model onnxruntime loads and runs: asymmetric-pad strided Conv, Clip, Add, Gemm", async () => {
    // x: 1×1×4×4 (0..15); a 3×3 kernel of ones, stride 2, TF-"same" pads (0 before, 1 after) give 2×2 window sums
    const g = new OnnxGraph("tiny");
    g.input("x", ["batch", 1, 4, 4]);
    g.initializer("w", [1, 1, 3, 3], new Float32Array(9).fill(1));
    g.initializer("b", [1], new Float32Array([0.5]));
    g.initializer("lo", [], new Float32Array([0]));
    g.initializer("hi", [], new Float32Array([40]));
    g.node("Conv", ["x", "w", "b"], ["c"], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1], group: 1 });
    g.node("Clip", ["c", "lo", "hi"], ["r"]);
    g.node("Add", ["r", "r"], ["s"]);
    g.node("Flatten", ["s"], ["f"], { axis: 1 });
    g.initializer("fc", [2, 4], new Float32Array([0, 1, 0, 0, 0, 0, 0, 1]));
    g.node("Gemm", ["f", "fc"], ["y"], { transB: 1, alpha: { float: 0.5 } });
    g.output("y", ["batch", 2]);
    g.output("c");
    const session = await ort.InferenceSession.create(g.encode({ opset: 13, producer: "test" }));
    try {
      const x = new ort.Tensor(
        "float32",
        Float32Array.from({ length: 16 }, (_, i) => i),
        [1, 1, 4, 4],
      );
      const out = await session.run({ x });
      // windows (rows, cols): [0..2]×[0..2] = 45, [0..2]×[2..3] = 39 (zero padded),
      // [2..3]×[0..2] = 66, [2..3]×[2..3] = 50
      assert.deepEqual(Array.from(out.c.data as Float32Array), [45.5, 39.5, 66.5, 50.5]);
      assert.deepEqual(out.c.dims, [1, 1, 2, 2]);
      // clipped at 40 (45.5, 66.5, 50.5 → 40), doubled, then y = 0.5 · (second, fourth) of the flattened 4
      assert.deepEqual(Array.from(out.y.data as Float32Array), [39.5, 40]);
    } finally {
      await session.release();
    }
  });

  it("refuses an initializer whose data does not match its dims", () => {
    assert.throws(
      () => new OnnxGraph("g").initializer("w", [2, 3], new Float32Array(5)),
      /ONNX initializer w has 5 values \(expected 6 for \[2,3\]\)/,
    );
  });
});

/**
 * A minimal ONNX model writer: the protobuf wire format and just the ONNX messages a plain inference graph
 * needs (nodes with int/ints/float/string attributes, float and int64 initializers, typed inputs and outputs).
 * Written here because the npm ONNX/protobuf packages either need a .proto compiler step or bring large
 * runtimes for what is about 150 lines; onnxruntime itself validates what this writes when it loads it.
 *
 * Protobuf wire format: each field is a varint key `(field number << 3) | wire type` then its value; wire type
 * 0 = varint (int64, enums), 2 = length-delimited (strings, bytes, sub-messages), 5 = 32-bit (float).
 * Repeated scalars are written unpacked (one key per element), which every parser accepts.
 *
 * Field numbers used (onnx/onnx.proto, IR version 8):
 * - ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8
 * - OperatorSetIdProto: domain 1, version 2
 * - GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12
 * - NodeProto: input 1, output 2, name 3, op_type 4, attribute 5
 * - AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7)
 * - TensorProto: dims 1, data_type 2 (FLOAT 1, INT64 7), name 8, raw_data 9 (little-endian)
 * - ValueInfoProto: name 1, type 2; TypeProto: tensor_type 1; TypeProto.Tensor: elem_type 1, shape 2
 * - TensorShapeProto: dim 1; its Dimension: dim_value 1, dim_param 2
 */

import { pushKey, pushVarint } from "../util/protobuf-wire";

/** Builds one protobuf message; nested messages are written as their own writer's bytes. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private rawVarint(value: bigint): void {
    // negative int64 values are their 64-bit two's complement (10 bytes)
    const out: number[] = [];
    pushVarint(out, value);
    this.push(Uint8Array.from(out));
  }

  private key(field: number, wire: 0 | 2 | 5): void {
    const out: number[] = [];
    pushKey(out, field, wire);
    this.push(Uint8Array.from(out));
  }

  /** An int64/int32/enum/bool field. */
  varint(field: number, value: number | bigint): this {
    if (typeof value === "number" && !Number.isSafeInteger(value))
      throw new RangeError(`protobuf varint is not a safe integer: ${value} (field ${field})`);
    this.key(field, 0);
    this.rawVarint(BigInt(value));
    return this;
  }

  /** A float (32-bit) field. */
  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(BigInt(value.length));
    this.push(value);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, "utf8"));
  }

  /** A sub-message field. */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** An attribute value: an integer, a list of integers, `{ float }` or a string. */
export type OnnxAttribute = number | number[] | { float: number } | string;

/** A dimension: a fixed size or a symbolic name (`"batch"`). */
export type OnnxDim = number | string;

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, OnnxAttribute>;
}

const FLOAT = 1;
const INT64 = 7;

/**
 * An ONNX graph under construction; {@link OnnxGraph.encode} gives the model file's bytes.
 * @example
 * const g = new OnnxGraph("tiny");
 * g.input("x", [1, 2]); g.initializer("w", [2, 2], new Float32Array([1, 0, 0, 1]));
 * g.node("MatMul", ["x", "w"], ["y"]); g.output("y", [1, 2]);
 * fs.writeFileSync("tiny.onnx", g.encode({ opset: 13 }));
 */
export class OnnxGraph {
  private readonly nodes: NodeSpec[] = [];
  private readonly inits: { name: string; dims: number[]; data: Float32Array | BigInt64Array }[] = [];
  private readonly inputs: { name: string; dims: OnnxDim[] }[] = [];
  private readonly outputs: { name: string; dims?: OnnxDim[] }[] = [];
  private readonly names = new Set<string>();

  constructor(readonly name: string) {}

  /** A float32 graph input. */
  input(name: string, dims: OnnxDim[]): this {
    this.inputs.push({ name, dims });
    return this;
  }

  /** A float32 graph output; `dims` may be left out (the runtime infers it). */
  output(name: string, dims?: OnnxDim[]): this {
    this.outputs.push({ name, dims });
    return this;
  }

  /** A constant tensor (weights), float32 or int64, C order. */
  initializer(name: string, dims: number[], data: Float32Array | BigInt64Array): this {
    const n = dims.reduce((a, b) => a * b, 1);
    if (data.length !== n)
      throw new RangeError(`ONNX initializer ${name} has ${data.length} values (expected ${n} for [${dims}])`);
    if (this.names.has(name)) throw new RangeError(`ONNX initializer name is used twice: ${name}`);
    this.names.add(name);
    this.inits.push({ name, dims, data });
    return this;
  }

  /** A node; its name defaults to `<op>_<index>`. */
  node(op: string, inputs: string[], outputs: string[], attributes: Record<string, OnnxAttribute> = {}): this {
    this.nodes.push({ op, inputs, outputs, attributes, name: `${op}_${this.nodes.length}` });
    return this;
  }

  /** Number of nodes so far. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The model file: IR version 8, the default ONNX domain at `opset`. */
  encode(options: { opset: number; producer?: string; version?: string; doc?: string }): Uint8Array {
    const graph = new ProtoWriter();
    for (const n of this.nodes) graph.message(1, encodeNode(n));
    graph.string(2, this.name);
    for (const t of this.inits) graph.message(5, encodeTensor(t.name, t.dims, t.data));
    for (const v of this.inputs) graph.message(11, encodeValueInfo(v.name, v.dims));
    for (const v of this.outputs) graph.message(12, encodeValueInfo(v.name, v.dims));
    const model = new ProtoWriter().varint(1, 8);
    if (options.producer) model.string(2, options.producer);
    if (options.version) model.string(3, options.version);
    if (options.doc) model.string(6, options.doc);
    model.message(7, graph);
    model.message(8, new ProtoWriter().string(1, "").varint(2, options.opset));
    return model.finish();
  }
}

function encodeNode(n: NodeSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [name, value] of Object.entries(n.attributes)) w.message(5, encodeAttribute(name, value));
  return w;
}

function encodeAttribute(name: string, value: OnnxAttribute): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new RangeError(`ONNX attribute ${name} is not an integer: ${value}`);
    return a.varint(3, value).varint(20, 2);
  }
  if (Array.isArray(value)) {
    for (const v of value) a.varint(8, v);
    return a.varint(20, 7);
  }
  if (typeof value === "string") return a.string(4, value).varint(20, 3);
  return a.float(2, value.float).varint(20, 1);
}

function encodeTensor(name: string, dims: number[], data: Float32Array | BigInt64Array): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.varint(1, d);
  t.varint(2, data instanceof Float32Array ? FLOAT : INT64).string(8, name);
  // raw_data is little-endian; so is every machine Node runs on in practice, but do not assume it
  const raw = new Uint8Array(data.byteLength);
  const view = new DataView(raw.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return t.bytes(9, raw);
}

function encodeValueInfo(name: string, dims: OnnxDim[] | undefined): ProtoWriter {
  const tensor = new ProtoWriter().varint(1, FLOAT);
  if (dims) {
    const shape = new ProtoWriter();
    for (const d of dims) {
      shape.message(1, typeof d === "number" ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
    }
    tensor.message(2, shape);
  }
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
}

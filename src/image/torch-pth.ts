/**
 * Reads a PyTorch state dict saved in the legacy (non-zip) serialisation, `torch.save(...,
 * _use_new_zipfile_serialization=False)`, without torch and without running code: five pickles and the raw
 * storages, all read with the project's restricted unpickler (pickle.ts).
 *
 * Layout (torch/serialization.py, `_legacy_save`): pickle 1 the magic number 0x1950a86a20f9469cfc6c,
 * pickle 2 the protocol version 1001, pickle 3 sys info (`little_endian`, type sizes), pickle 4 the state
 * dict, a `collections.OrderedDict` of `torch._utils._rebuild_tensor_v2(storage, storage_offset, size,
 * stride, requires_grad, backward_hooks)` whose storages are persistent ids `("storage", torch.FloatStorage,
 * key, location, numel, view_metadata)`; pickle 5 the list of storage keys; then, per key in that order, an
 * int64 element count and the elements, little-endian.
 *
 * A tensor is a strided *view* of its storage (EfficientNet-Lite0's weights are views of channel-last
 * storages: size (32,3,3,3), stride (1,32,288,96)), so each one is gathered element by element with its
 * size, stride and storage offset into a fresh C-contiguous array; reading storages as if contiguous would
 * scramble every convolution.
 */
import * as fs from "node:fs";
import { FormatError } from "../util/errors";
import { parsePickleAt, PyDict, PyGlobal, PyOpaque, PyTuple, pyTypeName, type PyValue } from "./pickle";

/** A tensor read from a `.pth`: C-contiguous values in `shape` order. */
export interface TorchTensor {
  dtype: "float32" | "int64";
  shape: number[];
  data: Float32Array | BigInt64Array;
}

const MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;
/** Storage classes read here and their element type. */
const STORAGES: Record<string, { dtype: TorchTensor["dtype"]; bytes: number }> = {
  "torch.FloatStorage": { dtype: "float32", bytes: 4 },
  "torch.LongStorage": { dtype: "int64", bytes: 8 },
};

interface StorageRef {
  key: string;
  type: string;
  numel: number;
  data?: Float32Array | BigInt64Array;
}

interface TensorRef {
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

/**
 * Every tensor of a legacy-format state dict, by name, in file order.
 * @throws FormatError naming the file: not this format, truncated, an unknown storage type, a view that
 *   reaches past its storage.
 * @example const w = readTorchPth("efficientnet-lite0.pth").get("_conv_stem.weight") // shape [32, 3, 3, 3]
 */
export function readTorchPth(file: string): Map<string, TorchTensor> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new FormatError(`torch weights file cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
  return parseTorchPth(bytes, file);
}

/** {@link readTorchPth} on bytes already in memory; `file` names them in errors. */
export function parseTorchPth(bytes: Uint8Array, file: string): Map<string, TorchTensor> {
  const bad = (what: string): never => {
    throw new FormatError(`torch weights file ${what}: ${file} (expected the legacy torch.save format)`);
  };
  if (bytes.length < 2 || bytes[0] !== 0x80) bad("does not start with a pickle (a zip-format .pth is not read here)");
  const magic = parsePickleAt(bytes, 0, file);
  if (BigInt(magic.value as number | bigint) !== MAGIC) bad(`has magic number ${String(magic.value)}`);
  const version = parsePickleAt(bytes, magic.end, file);
  if (version.value !== PROTOCOL_VERSION) bad(`has protocol version ${String(version.value)} (expected 1001)`);
  const info = parsePickleAt(bytes, version.end, file);
  if (!(info.value instanceof PyDict) || info.value.get("little_endian") !== true) bad("is not little-endian");

  const storages = new Map<string, StorageRef>();
  const state = parsePickleAt(bytes, info.end, file, {
    globals: {
      "collections.OrderedDict": (args, fail) =>
        args.length === 0 ? new PyDict() : fail("OrderedDict(...) with items"),
      "torch._utils._rebuild_tensor_v2": (args, fail) => new PyOpaque("torch.Tensor", tensorRef(args, fail)),
      ...Object.fromEntries(Object.keys(STORAGES).map((k) => [k, (_: PyValue[], fail) => fail(`calls ${k}`)])),
    },
    persistentLoad: (pid, fail) => {
      // ("storage", storage class, key, location, numel, view_metadata)
      const items = pid instanceof PyTuple ? pid.items : [];
      const [tag, cls, key, , numel] = items;
      if (tag !== "storage" || !(cls instanceof PyGlobal) || typeof key !== "string" || typeof numel !== "number")
        return fail(`persistent id is a ${pyTypeName(pid)} (expected ("storage", type, key, location, numel, ...))`);
      if (!(cls.qualname in STORAGES))
        fail(`storage type ${cls.qualname} is not supported (expected ${Object.keys(STORAGES).join(" or ")})`);
      if (items[5] !== null && items[5] !== undefined) fail(`storage ${key} is a view of another storage`);
      let ref = storages.get(key);
      if (!ref) storages.set(key, (ref = { key, type: cls.qualname, numel }));
      if (ref.type !== cls.qualname || ref.numel !== numel) fail(`storage ${key} is declared twice differently`);
      return new PyOpaque("torch.Storage", ref);
    },
    // torch pickles the OrderedDict's `_metadata` (module versions) as its instance state
    build: (target, st) => target instanceof PyDict && st instanceof PyDict,
  });
  if (!(state.value instanceof PyDict)) bad(`holds a ${pyTypeName(state.value)} (expected a state dict)`);
  const keys = parsePickleAt(bytes, state.end, file);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === "string"))
    bad("has no list of storage keys after the state dict");

  // raw storages, in the order of the key list
  let pos = keys.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys.value as string[]) {
    const ref = storages.get(key);
    if (!ref) bad(`lists storage ${key}, which no tensor uses`);
    const s = ref as StorageRef;
    const { dtype, bytes: size } = STORAGES[s.type];
    if (pos + 8 > bytes.length) truncated(file, key, pos + 8, bytes.length);
    const numel = Number(view.getBigInt64(pos, true));
    if (numel !== s.numel) bad(`has storage ${key} with ${numel} elements (its tensors say ${s.numel})`);
    const end = pos + 8 + numel * size;
    if (end > bytes.length) truncated(file, key, end, bytes.length);
    const copy = new Uint8Array(numel * size);
    copy.set(bytes.subarray(pos + 8, end));
    s.data = dtype === "float32" ? new Float32Array(copy.buffer) : new BigInt64Array(copy.buffer);
    pos = end;
  }
  if (pos !== bytes.length) bad(`has ${bytes.length - pos} bytes after the last storage`);

  const out = new Map<string, TorchTensor>();
  for (const [k, v] of (state.value as PyDict).entries) {
    if (typeof k !== "string" || !(v instanceof PyOpaque) || v.type !== "torch.Tensor")
      bad(`has entry ${String(k)} = ${pyTypeName(v)} (expected tensors by name)`);
    const ref = (v as PyOpaque).value as TensorRef;
    if (!ref.storage.data) bad(`has no data for storage ${ref.storage.key} (tensor ${String(k)})`);
    out.set(k as string, gather(ref, `${file}, tensor ${String(k)}`));
  }
  return out;
}

function truncated(file: string, key: string, need: number, have: number): never {
  throw new FormatError(
    `torch weights file is truncated: ${file} (storage ${key} needs bytes up to ${need}, the file has ${have})`,
  );
}

function intTuple(v: PyValue | undefined, what: string, fail: (w: string) => never): number[] {
  if (!(v instanceof PyTuple) || !v.items.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0))
    return fail(`tensor ${what} is a ${pyTypeName(v)} (expected a tuple of non-negative ints)`);
  return v.items as number[];
}

function tensorRef(args: PyValue[], fail: (what: string) => never): TensorRef {
  const [storage, offset] = args;
  if (!(storage instanceof PyOpaque) || storage.type !== "torch.Storage")
    fail(`tensor storage is a ${pyTypeName(storage)} (expected a persistent storage id)`);
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0)
    fail(`tensor storage offset is ${String(offset)} (expected an int >= 0)`);
  const size = intTuple(args[2], "size", fail);
  const stride = intTuple(args[3], "stride", fail);
  if (size.length !== stride.length) fail(`tensor size (${size}) and stride (${stride}) differ in length`);
  return { storage: (storage as PyOpaque).value as StorageRef, offset: offset as number, size, stride };
}

/** Copy a strided view into a C-contiguous array, checking it stays inside its storage. */
function gather(ref: TensorRef, where: string): TorchTensor {
  const { size, stride, offset } = ref;
  const src = ref.storage.data as Float32Array | BigInt64Array;
  const count = size.reduce((a, b) => a * b, 1);
  const last = offset + size.reduce((a, n, i) => a + (n > 0 ? (n - 1) * stride[i] : 0), 0);
  if (count > 0 && last >= src.length) {
    throw new FormatError(
      `torch tensor view reaches element ${last} of a ${src.length}-element storage (${where}; size (${size}), stride (${stride}), offset ${offset})`,
    );
  }
  const dtype = src instanceof Float32Array ? "float32" : "int64";
  const out = src instanceof Float32Array ? new Float32Array(count) : new BigInt64Array(count);
  const idx = new Array<number>(size.length).fill(0);
  let at = offset;
  for (let i = 0; i < count; i++) {
    (out as Float32Array)[i] = (src as Float32Array)[at];
    // odometer over the dimensions, last fastest
    for (let d = size.length - 1; d >= 0; d--) {
      if (++idx[d] < size[d]) {
        at += stride[d];
        break;
      }
      at -= (size[d] - 1) * stride[d];
      idx[d] = 0;
    }
  }
  return { dtype, shape: [...size], data: out };
}

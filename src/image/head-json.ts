/**
 * A trained {@link ClassifierHead} as JSON (`saveHead`, written atomically; `loadHead`, every field
 * checked): kind, class names, the backbone's name, dim and fingerprint, the standardisation, the
 * layers' weights (float32 values written exactly, so a reloaded head predicts bit for bit the same)
 * and the training summary.
 */
import * as fs from "node:fs";
import { writeFileAtomic } from "../io/atomic";
import { FormatError, NotFittedError, SchemaError } from "../util/errors";
import { ClassifierHead, type DenseLayer, type EpochLog, type HeadParams } from "./head";

const FORMAT = "ml-dataprep-ts image classifier head";

/**
 * Write a fitted head as JSON through a temp file and a rename.
 * @example saveHead(head, "out/image/classifier/head.json")
 */
export function saveHead(head: ClassifierHead, file: string): void {
  if (!head.layers_ || !head.mean_ || !head.scale_ || !head.classNames_)
    throw new NotFittedError("ClassifierHead", "saveHead");
  const json = {
    format: FORMAT,
    version: 1,
    kind: head.params.kind,
    classNames: head.classNames_,
    backbone: head.backbone_ ?? null,
    params: head.params,
    bestEpoch: head.bestEpoch_,
    history: head.history_,
    standardise: { mean: Array.from(head.mean_), scale: Array.from(head.scale_) },
    layers: head.layers_.map((L) => ({
      in: L.in,
      out: L.out,
      weights: Array.from(L.weights),
      bias: Array.from(L.bias),
    })),
  };
  writeFileAtomic(file, JSON.stringify(json) + "\n");
}

function floats(v: unknown, length: number, file: string, field: string): Float32Array {
  if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
    const got = Array.isArray(v) ? `${v.length} values` : typeof v;
    throw new FormatError(`classifier head field "${field}" is ${got} (expected ${length} finite numbers; ${file})`);
  }
  return Float32Array.from(v as number[]);
}

/**
 * Read a head written by {@link saveHead}; it predicts exactly as the saved one did.
 * @throws FormatError naming the file and the field when it is missing, not a head, or inconsistent
 * @example const head = loadHead("out/image/classifier/head.json"); head.predict(embeddings)
 */
export function loadHead(file: string): ClassifierHead {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new FormatError(`classifier head cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
  if (json === null || typeof json !== "object" || json.format !== FORMAT || json.version !== 1) {
    throw new FormatError(
      `classifier head has no format "${FORMAT}" version 1 (${file}; expected a file saveHead wrote)`,
    );
  }
  const classNames = json.classNames;
  if (!Array.isArray(classNames) || classNames.length < 1 || classNames.some((c) => typeof c !== "string"))
    throw new FormatError(`classifier head field "classNames" is not a list of names (${file})`);
  const rawLayers = json.layers;
  const kind = json.kind;
  const depth = kind === "mlp" ? 2 : kind === "softmax" ? 1 : -1;
  if (depth < 0)
    throw new FormatError(
      `classifier head field "kind" is ${JSON.stringify(kind)} (expected "softmax" or "mlp"; ${file})`,
    );
  if (!Array.isArray(rawLayers) || rawLayers.length !== depth)
    throw new FormatError(`classifier head field "layers" is not ${depth} layer(s) (${file})`);
  const layers = rawLayers.map((L: Record<string, unknown>, l: number): DenseLayer => {
    const inputs = L?.in,
      out = L?.out;
    if (!Number.isInteger(inputs) || !Number.isInteger(out) || (inputs as number) < 1 || (out as number) < 1)
      throw new FormatError(`classifier head field "layers[${l}].in/out" is not a positive integer (${file})`);
    return {
      in: inputs as number,
      out: out as number,
      weights: floats(L.weights, (inputs as number) * (out as number), file, `layers[${l}].weights`),
      bias: floats(L.bias, out as number, file, `layers[${l}].bias`),
    };
  });
  for (let l = 1; l < layers.length; l++) {
    if (layers[l].in !== layers[l - 1].out)
      throw new FormatError(
        `classifier head field "layers[${l}].in" is ${layers[l].in} (expected ${layers[l - 1].out}; ${file})`,
      );
  }
  if (layers[layers.length - 1].out !== classNames.length) {
    throw new SchemaError(
      `classifier head has ${layers[layers.length - 1].out} outputs for ${classNames.length} class names (${file})`,
    );
  }
  const std = json.standardise as Record<string, unknown> | undefined;
  const dim = layers[0].in;
  const head = new ClassifierHead({ ...(json.params as HeadParams), kind: kind as "softmax" | "mlp" });
  head.mean_ = floats(std?.mean, dim, file, "standardise.mean");
  head.scale_ = floats(std?.scale, dim, file, "standardise.scale");
  head.layers_ = layers;
  head.classNames_ = classNames as string[];
  head.bestEpoch_ = Number(json.bestEpoch) || 0;
  head.history_ = Array.isArray(json.history) ? (json.history as EpochLog[]) : [];
  const bb = json.backbone as Record<string, unknown> | null;
  if (bb && (typeof bb.name !== "string" || bb.dim !== dim || typeof bb.fingerprint !== "string"))
    throw new FormatError(`classifier head field "backbone" does not describe a ${dim}-d backbone (${file})`);
  head.backbone_ = bb ? { name: bb.name as string, dim, fingerprint: bb.fingerprint as string } : undefined;
  return head;
}

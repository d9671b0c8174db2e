/**
 * Backbones by name, for notebooks and workflows that take `backbone` as a parameter. THE single wiring
 * point of the pretrained backbone: `efficientnet-lite0` resolves here and nowhere else.
 */
import type { Backbone } from "./backbone";
import { randomConvBackbone, rawPixelBackbone } from "./baseline-backbone";
import { loadEfficientNetLite0 } from "./efficientnet";

/** Backbone names {@link loadBackbone} knows. */
export const BACKBONE_NAMES = ["efficientnet-lite0", "random-conv", "raw-pixels"] as const;
/** A name of {@link BACKBONE_NAMES}. */
export type BackboneName = (typeof BACKBONE_NAMES)[number];
/** The baseline the training notebook sets beside the pretrained backbone (measured the stronger of the two). */
export const BASELINE_BACKBONE: BackboneName = "random-conv";

/** Options of {@link loadBackbone}. */
export interface LoadBackboneOptions {
  /** Seed of the random-conv filters. Default 0. */
  seed?: number;
  /** The pretrained backbone's ONNX model file. Default: the one setup made. */
  modelFile?: string;
  /** Threads of the pretrained backbone. Default its own (2). */
  threads?: number;
}

/**
 * The backbone called `name`: `efficientnet-lite0` (ImageNet-pretrained), `random-conv` (fixed random
 * convolution features at 32 px) or `raw-pixels`.
 * @throws RangeError for an unknown name; DataPrepError naming the model file when it is missing (run setup)
 * @example const backbone = await loadBackbone("random-conv"); ...; await backbone.close()
 */
export async function loadBackbone(name: string, options: LoadBackboneOptions = {}): Promise<Backbone> {
  switch (name) {
    case "efficientnet-lite0":
      return loadPretrained(options);
    case "random-conv":
      return randomConvBackbone({ seed: options.seed ?? 0 });
    case "raw-pixels":
      return rawPixelBackbone();
    default:
      throw new RangeError(
        `backbone is unknown: ${JSON.stringify(name)} (expected one of ${BACKBONE_NAMES.join(", ")})`,
      );
  }
}

// THE wiring point of the pretrained backbone (src/image/efficientnet.ts).
async function loadPretrained(options: LoadBackboneOptions): Promise<Backbone> {
  return loadEfficientNetLite0({ modelFile: options.modelFile, threads: options.threads });
}

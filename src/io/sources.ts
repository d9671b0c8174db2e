/**
 * The real data sources of the image workshop, with what each download must be: COCO 2017's annotations
 * zip, COCO's image URLs, and the CIFAR-10 python and binary tarballs. Sizes and md5s are the published
 * ones (CIFAR-10: the dataset page, cs.toronto.edu/~kriz/cifar.html, and torchvision; COCO: the md5 and size
 * that COCO tooling widely checks the zip against); the sha256s are those many projects pin for the same files.
 * `fetchSource` downloads one into the shared cache folder (resumable, verified), `fetchAndExtract`
 * also unpacks it there.
 */
import * as path from "node:path";
import { FormatError } from "../util/errors";
import { projectPath } from "../util/paths";
import { entryTarget } from "./archive-entry";
import { extractArchive, type ExtractResult } from "./extract-archive";
import type { DownloadTask } from "./parallel-download";
import { downloadResumable, type ResumableDownloadResult } from "./resumable-download";
import type { RetryOptions } from "./retry";

/** A file to download, and how to recognise the right one. */
export interface RemoteSource {
  /** Short id, e.g. "cifar10-binary". */
  id: string;
  /** Where the workshop downloads it from. */
  url: string;
  /** File name in the cache folder. */
  fileName: string;
  /** Size in bytes. */
  size: number;
  /** md5, hex, as published. */
  md5: string;
  /** sha256, hex, when known. */
  sha256?: string;
  /** The folder the archive unpacks to (relative to where it is extracted). */
  contents: string;
  /** What it is, for messages and notebooks. */
  description: string;
}

/** COCO 2017 train+val annotations (instances, captions, keypoints), 241 MiB; CC BY 4.0. */
export const COCO_ANNOTATIONS_2017: RemoteSource = {
  id: "coco-annotations-2017",
  url: "http://images.cocodataset.org/annotations/annotations_trainval2017.zip",
  fileName: "annotations_trainval2017.zip",
  size: 252_907_541,
  md5: "f4bbac642086de4f52a3fdda2de5fa2c",
  contents: "annotations",
  description: "COCO 2017 train/val annotations (instances_train2017.json, instances_val2017.json, ...)",
};

/** CIFAR-10, python pickle batches (the version the workshop used), 163 MiB. */
export const CIFAR10_PYTHON: RemoteSource = {
  id: "cifar10-python",
  url: "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
  fileName: "cifar-10-python.tar.gz",
  size: 170_498_071,
  md5: "c58f30108f718f92721af3b95e74349a",
  sha256: "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
  contents: "cifar-10-batches-py",
  description: "CIFAR-10 python version (data_batch_1..5, test_batch, batches.meta as pickles)",
};

/** CIFAR-10, binary batches (1 label byte + 3,072 pixel bytes per record), 162 MiB. */
export const CIFAR10_BINARY: RemoteSource = {
  id: "cifar10-binary",
  url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
  fileName: "cifar-10-binary.tar.gz",
  size: 170_052_171,
  md5: "c32a1d4ab5d03f1284b67883e8d87530",
  sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
  contents: "cifar-10-batches-bin",
  description: "CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin, batches.meta.txt)",
};

/** Where COCO's images are served; an image's `coco_url` is `<base>/<split>/<12-digit id>.jpg`. */
export const COCO_IMAGES_BASE = "http://images.cocodataset.org";

/**
 * The URL of a COCO image, as in its `coco_url` field.
 * @example cocoImageUrl("train2017", 391895) // "http://images.cocodataset.org/train2017/000000391895.jpg"
 */
export function cocoImageUrl(split: string, imageId: number): string {
  if (!/^[a-z]+20\d\d$/.test(split))
    throw new RangeError(`COCO split is invalid: ${split} (expected e.g. "train2017")`);
  if (!(Number.isInteger(imageId) && imageId >= 0))
    throw new RangeError(`COCO image id is invalid: ${imageId} (expected an integer >= 0)`);
  return `${COCO_IMAGES_BASE}/${split}/${String(imageId).padStart(12, "0")}.jpg`;
}

/**
 * A COCO image to download: a record of an annotation file's `images` (`coco_url`, `file_name`), or an
 * item of a selected sample (image/select.ts `ImageSampleItem`: `cocoUrl`, `fileName`, `source`).
 */
export type CocoImageRef =
  | { id?: number; coco_url?: string; file_name: string }
  | { id?: number; cocoUrl?: string; fileName: string; source?: string };

/**
 * Download tasks for COCO images: each image's URL into `destDir/<file name>`. Sample items whose
 * `source` is not `"coco"` (the CIFAR-10 records, written from their batch) are skipped, so a
 * sample's `items` can be passed as they are. A file name that is not a plain relative path (`../x`,
 * `/x`), or a COCO image without a URL, is refused with a FormatError naming the image.
 * @example await downloadAll(cocoImageTasks(sample.items, "out/image/data_sample"), { concurrency: 20 });
 */
export function cocoImageTasks(images: readonly CocoImageRef[], destDir: string): DownloadTask[] {
  const root = path.resolve(destDir);
  const tasks: DownloadTask[] = [];
  images.forEach((im, i) => {
    if ("fileName" in im && im.source !== undefined && im.source !== "coco") return;
    const [url, fileName] = "fileName" in im ? [im.cocoUrl, im.fileName] : [im.coco_url, im.file_name];
    const name = `COCO image ${im.id ?? url ?? `[${i}]`}`;
    if (typeof url !== "string" || url === "") {
      throw new FormatError(
        `${name} has no URL: ${JSON.stringify(url) ?? "missing"} (expected a coco_url or cocoUrl; item ${i}, file ${JSON.stringify(fileName)})`,
      );
    }
    tasks.push({ url, dest: entryTarget(root, fileName, name) });
  });
  return tasks;
}

/** Options for {@link fetchSource} and {@link fetchAndExtract}. */
export interface FetchSourceOptions extends RetryOptions {
  /** The cache folder shared by all loaders. Default `<project>/out/cache`. */
  cacheDir?: string;
  /** Another URL for the same file (a mirror, a local server). Default: the source's own. */
  url?: string;
  /** Called with (bytes so far, total) during the download, e.g. the display layer's `progressCallback()`. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Milliseconds without progress before an attempt fails. Default 30000. */
  timeoutMs?: number;
  /** No network (verified files in place or NetworkError `EOFFLINE`). Default false; `MLDP_OFFLINE=1` forces it. */
  offline?: boolean;
}

/**
 * The default cache folder, `<project>/out/cache`.
 * @example fs.readdirSync(defaultCacheDir())
 */
export function defaultCacheDir(): string {
  return projectPath("out", "cache");
}

/**
 * Download `source` into the cache folder (or reuse the verified copy there), resuming a partial download.
 * @example const { path } = await fetchSource(CIFAR10_BINARY, { onProgress: progressCallback({ unit: "B" }) });
 */
export function fetchSource(source: RemoteSource, options: FetchSourceOptions = {}): Promise<ResumableDownloadResult> {
  const { cacheDir = defaultCacheDir(), url = source.url, retries = 3, offline = false, ...rest } = options;
  const dest = path.join(cacheDir, source.fileName);
  const expected = { size: source.size, md5: source.md5, sha256: source.sha256 };
  return downloadResumable(url, dest, { ...rest, ...expected, retries, offline });
}

/**
 * {@link fetchSource}, then extract it once into `<cacheDir>/<fileName without extension>` (kept when already
 * there); `root` is the folder the archive unpacks to, e.g. `.../cifar-10-binary/cifar-10-batches-bin`.
 * @example const { root } = await fetchAndExtract(CIFAR10_BINARY); // root/data_batch_1.bin ...
 */
export async function fetchAndExtract(
  source: RemoteSource,
  options: FetchSourceOptions = {},
): Promise<{ archive: ResumableDownloadResult; folder: ExtractResult; root: string }> {
  const archive = await fetchSource(source, options);
  const dest = path.join(path.dirname(archive.path), source.fileName.replace(/\.(zip|tar\.gz|tgz|tar)$/, ""));
  const folder = await extractArchive(archive.path, dest, { ifExists: "keep" });
  return { archive, folder, root: path.join(dest, source.contents) };
}

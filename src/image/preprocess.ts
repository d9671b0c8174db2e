/**
 * Batch preprocessing of image files: decode, convert to 3-channel sRGB, resize (shorter side,
 * shorter side + centre crop, or the TensorFlow notebook's fit + crop-or-pad), re-encode as JPEG and
 * write each output atomically (temp file + rename), with progress through `onProgress(done, total)`.
 *
 * Speed (bench/resize.ts measures each choice): several images are in flight at once and libvips
 * uses one thread per image (`sharp.concurrency(1)` for the run), so the libuv thread pool spreads
 * whole images over the cores instead of splitting each small image into tiles; the libvips
 * operation cache is off for the run (every image is new); the JPEG encoder runs one pass with
 * standard Huffman tables (no `optimiseCoding`, no mozjpeg, 4:2:0 like Pillow and libjpeg);
 * JPEGs at least twice the target on both sides are decoded at 1/2 (1/4, 1/8) size in the DCT
 * (`shrinkOnLoad`, through libvips' `jpegload` `shrink` option: sharp's own rule only uses it from a
 * factor of 3, so it never applies to 640 → 224); Pillow's `Image.draft` is the same trick.
 * Each file is read and written synchronously and encoded to memory (about 0.2 ms less CPU per photo
 * than `fs.promises.readFile` and `toFile`; same bytes). What limits us is sharp's cost per call, not
 * the decoder's speed on pixels: one image through sharp (decode, resize, encode, in memory) costs
 * 1.15-1.45 ms of CPU even for an 8×8 JPEG, against 0.12 ms for Pillow (libvips builds an operation
 * graph per image, hands strips between threads, and its resize asks the CPU for its vector features
 * 16 times, each a trap on a virtual machine). On the bench's 640×480 photos sharp's whole pipeline
 * in memory takes 3.8-4.4 ms of CPU against Pillow's 3.2-3.3 ms, so we are ahead of Pillow's
 * one-process loop only by using every core, and with a process per core on both sides we are
 * behind (CPU ratio about 0.75): bench/resize.ts prints the figures, stage by stage.
 *
 * Colour: grayscale and CMYK inputs are converted to sRGB, alpha is dropped (PIL `convert("RGB")`);
 * each is counted in the result. A colour JPEG's embedded ICC profile is ignored, as PIL, torchvision,
 * TensorFlow and OpenCV ignore it (sharp's default, converting through it, doubles the CPU per image).
 * Bad input (unreadable, empty, zero-sized, corrupt) throws a FormatError naming the file, or with
 * `onError: "collect"` is listed in `failures` and skipped; either way no partial output file is left.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp, { type JpegOptions } from "sharp";
import { writeFileAtomic } from "../io/atomic";
import { FormatError } from "../util/errors";
import { byCodeUnit } from "./imagefolder";
import { readImageFile } from "./phash";
import {
  _colourMode,
  checkSize,
  cropOrPad,
  DEFAULT_IMAGE_SIZE,
  DEFAULT_JPEG_QUALITY,
  fitLongerSize,
  jpegOptions,
  roundHalfEven,
  shorterSideSize,
  WORKSHOP_FIT_SIZE,
  type ColourMode,
  type ImageHeader,
  type ResizeKernel,
} from "./transforms";

/** File extensions read from a folder (torchvision's `IMG_EXTENSIONS` that libvips decodes). */
const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"];

/** One image to process: its file and, optionally, its output path relative to `outDir`. */
export interface PreprocessItem {
  input: string;
  /** Output path under `outDir` (default: the input's base name with `.jpg`). */
  output?: string;
}

/**
 * How to resize: `"shorter-side"` (torchvision `Resize(size)`, im2rec `--resize`: aspect kept),
 * `"center-crop"` (`Resize(size)` + `CenterCrop(size)`), `"fit-crop-or-pad"` (the TensorFlow
 * notebook: longer side to `fitSize`, then centre crop or zero pad to `size`²).
 */
export type PreprocessResize = "shorter-side" | "center-crop" | "fit-crop-or-pad";

/** Options of {@link preprocessImages}. */
export interface PreprocessOptions {
  /** Resize mode (default `"shorter-side"`). */
  resize?: PreprocessResize;
  /** Target size in pixels (default 224). */
  size?: number;
  /** Longer side of the fit in `"fit-crop-or-pad"` (default 400, the workshop's). */
  fitSize?: number;
  /** JPEG quality 1..100 (default 90). */
  quality?: number;
  /** Resampling kernel (default `"linear"`: bilinear). */
  kernel?: ResizeKernel;
  /**
   * Decode JPEGs at 1/2, 1/4 or 1/8 size in the DCT when the image is at least that many times the
   * target on both sides, then resize the rest of the way (default true; `"shorter-side"` and
   * `"center-crop"` modes). sharp's own shrink-on-load never halves a 640×480 photo for 224 (it keeps
   * a factor of 3); this does, and saves about a tenth of sharp's CPU time on such images (bench
   * stages: 3.8 to 3.4 ms; less over a whole run, where 3 images in 10 are too small to halve). The
   * result differs a little from a full-size bilinear resize (bench, 30 images: mean |difference| to
   * Pillow's full-size output 1.11 instead of 0.88 of 255, and 0.88 to Pillow's own 1/2 `draft`
   * decode); false gives the plain full-size resize.
   */
  shrinkOnLoad?: boolean;
  /** Images processed at once (default 2 per core). */
  inFlight?: number;
  /** `"throw"` (default): stop at the first bad image; `"collect"`: list it in `failures` and go on. */
  onError?: "throw" | "collect";
  /** Called after each image (done or failed) with the count so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** An image whose colours were converted to 3-channel sRGB. */
export interface ConvertedImage {
  file: string;
  mode: ColourMode;
  alpha: boolean;
}

/** What {@link preprocessImages} did. */
export interface PreprocessResult {
  /** Output files written, in input order (failed items left out). */
  written: string[];
  /** How many inputs were grayscale, CMYK, or had alpha (an image can count in two). */
  converted: { grayscale: number; cmyk: number; alpha: number };
  /** The converted images, in input order. */
  convertedFiles: ConvertedImage[];
  /** Images that could not be processed (only with `onError: "collect"`). */
  failures: { file: string; message: string }[];
  /** Wall-clock seconds of the run. */
  seconds: number;
}

/** List image files under `folder`, sorted, as items keeping their relative paths (class folders). */
export function listImageFiles(folder: string): PreprocessItem[] {
  const items: PreprocessItem[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
        const rel = path.relative(folder, full);
        items.push({ input: full, output: rel.slice(0, rel.length - path.extname(rel).length) + ".jpg" });
      }
    }
  };
  walk(folder);
  return items;
}

/**
 * Resize and re-encode images into `outDir`, several at a time over all cores.
 * @param items a folder (its images, recursively, keeping sub-folders) or a list of files/items
 * @throws FormatError naming the file for a bad image (unless `onError: "collect"`)
 * @example const r = await preprocessImages("out/image/structured/train", "out/image/resized/train", { onProgress })
 */
export async function preprocessImages(
  items: string | readonly (string | PreprocessItem)[],
  outDir: string,
  options: PreprocessOptions = {},
): Promise<PreprocessResult> {
  const list: PreprocessItem[] =
    typeof items === "string"
      ? listImageFiles(items)
      : items.map((it) => (typeof it === "string" ? { input: it } : it));
  const size = options.size ?? DEFAULT_IMAGE_SIZE;
  const fitSize = options.fitSize ?? WORKSHOP_FIT_SIZE;
  for (const [k, v] of [
    ["size", size],
    ["fitSize", fitSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`preprocess ${k} is out of range: ${v} (expected a positive integer)`);
  }
  const resize = options.resize ?? "shorter-side";
  if (!["shorter-side", "center-crop", "fit-crop-or-pad"].includes(resize)) {
    throw new RangeError(
      `preprocess resize mode is unknown: ${resize} (expected "shorter-side", "center-crop" or "fit-crop-or-pad")`,
    );
  }
  const job: Job = {
    shrinkOnLoad: options.shrinkOnLoad ?? true,
    resize,
    size,
    fitSize,
    kernel: options.kernel ?? "linear",
    jpeg: jpegOptions(options.quality ?? DEFAULT_JPEG_QUALITY),
  };
  const outputs = list.map((it) =>
    path.join(outDir, it.output ?? path.basename(it.input, path.extname(it.input)) + ".jpg"),
  );
  const seen = new Map<string, string>();
  outputs.forEach((o, i) => {
    const prev = seen.get(path.resolve(o));
    if (prev !== undefined)
      throw new RangeError(`two images would write the same output: ${o} (from ${prev} and ${list[i].input})`);
    seen.set(path.resolve(o), list[i].input);
  });
  const inFlight = options.inFlight ?? 2 * os.availableParallelism();
  const collect = options.onError === "collect";

  const start = process.hrtime.bigint();
  const done: (ConvertedImage | null | undefined)[] = new Array(list.length); // undefined: failed
  const failures: { index: number; file: string; message: string }[] = [];
  let firstError: unknown;
  let next = 0;
  let finished = 0;
  const savedConcurrency = sharp.concurrency();
  const savedCache = sharp.cache();
  sharp.concurrency(1);
  sharp.cache(false);
  try {
    const lane = async () => {
      while (next < list.length && firstError === undefined) {
        const i = next++;
        try {
          done[i] = await _preprocessOne(list[i].input, outputs[i], job);
        } catch (e) {
          if (!collect) firstError ??= e;
          failures.push({ index: i, file: list[i].input, message: (e as Error).message });
        }
        options.onProgress?.(++finished, list.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, list.length)) }, lane));
  } finally {
    sharp.concurrency(savedConcurrency);
    sharp.cache({ memory: savedCache.memory.max, files: savedCache.files.max, items: savedCache.items.max });
  }
  if (firstError !== undefined) throw firstError;
  const convertedFiles = done.filter((c): c is ConvertedImage => c != null);
  return {
    written: outputs.filter((_, i) => done[i] !== undefined),
    converted: countConverted(convertedFiles),
    convertedFiles,
    failures: failures.sort((a, b) => a.index - b.index).map(({ file, message }) => ({ file, message })),
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
  };
}

/**
 * How many of `files` were grayscale, CMYK, or had alpha (an image can count in two).
 * @example countConverted([{ file: "a.png", mode: "grayscale", alpha: true }]) // { grayscale: 1, cmyk: 0, alpha: 1 }
 */
export function countConverted(files: readonly ConvertedImage[]): PreprocessResult["converted"] {
  return {
    grayscale: files.filter((c) => c.mode === "grayscale").length,
    cmyk: files.filter((c) => c.mode === "cmyk").length,
    alpha: files.filter((c) => c.alpha).length,
  };
}

interface Job {
  shrinkOnLoad: boolean;
  resize: PreprocessResize;
  size: number;
  fitSize: number;
  kernel: ResizeKernel;
  jpeg: JpegOptions;
}

/** One image: decode, convert, resize, encode into `output` atomically; returns its conversion or null. */
async function _preprocessOne(input: string, output: string, job: Job): Promise<ConvertedImage | null> {
  // Synchronous on purpose: fs.promises.readFile costs about 0.2 ms more CPU per photo (bench), and
  // the event loop waits only for the read of one file while libvips keeps working on the others.
  const bytes = readImageFile(input);
  if (bytes.length === 0) throw new FormatError(`image is empty: ${input} (0 bytes, expected an encoded image)`);
  try {
    // A 3-component JPEG (nearly every photo) is YCbCr/RGB without alpha: its size comes from the frame
    // header here, which saves a libvips call per image; anything else asks sharp's metadata.
    const sof = _jpegFrame(bytes);
    // A PNG whose header says 0×0 gets libpng's cut-off "corrupt header" from sharp: name the real problem.
    const png = _pngSize(bytes);
    if (png) checkSize(png, input);
    const meta: ImageHeader =
      sof?.components === 3
        ? { width: sof.width, height: sof.height, channels: 3 }
        : await sharp(bytes, { failOn: "error" }).metadata();
    checkSize(meta, input);
    const { mode, alpha } = _colourMode(meta);
    const w = meta.width!;
    const h = meta.height!;
    const short = shorterSideSize(w, h, job.size);
    const shrink =
      job.shrinkOnLoad && job.resize !== "fit-crop-or-pad" && sof !== undefined && !input.includes("[")
        ? _jpegShrink(w, h, short.width, short.height)
        : 1;
    // A 3-component JPEG's embedded ICC profile is ignored, as PIL's convert("RGB"), torchvision,
    // tf.io.decode_jpeg and OpenCV (im2rec) ignore it: the workshop's pixels are the stored values.
    // sharp would convert them to sRGB through the profile, which also doubles the CPU per image.
    const load = { failOn: "error" as const, ignoreIcc: sof?.components === 3 };
    // libvips reads load options from a file name: "a.jpg[shrink=2]" decodes at half size in the DCT.
    let img = shrink > 1 ? sharp(`${input}[shrink=${shrink}]`, load) : sharp(bytes, load);
    if (mode !== "rgb") img = img.toColourspace("srgb");
    if (alpha) img = img.removeAlpha();
    if (job.resize === "fit-crop-or-pad") {
      const t = fitLongerSize(w, h, job.fitSize);
      const { data, info } = await img
        .resize(t.width, t.height, { fit: "fill", kernel: job.kernel })
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
      const cropped = cropOrPad({ data, width: info.width, height: info.height, channels: 3 }, job.size);
      img = sharp(cropped.data, { raw: { width: cropped.width, height: cropped.height, channels: 3 } });
    } else {
      const t = short;
      img = img.resize(t.width, t.height, { fit: "fill", kernel: job.kernel, fastShrinkOnLoad: true });
      if (job.resize === "center-crop") {
        const top = roundHalfEven((t.height - job.size) / 2);
        const left = roundHalfEven((t.width - job.size) / 2);
        img = img.extract({ left, top, width: job.size, height: job.size });
      }
    }
    // Encode to memory, then write synchronously: cheaper than libvips writing the file (toFile).
    writeFileAtomic(output, await img.jpeg(job.jpeg).toBuffer());
    return mode !== "rgb" || alpha ? { file: input, mode, alpha } : null;
  } catch (e) {
    if (e instanceof FormatError) throw e;
    // libvips keeps one error buffer per process: when two images fail at once, sharp may get "Unknown error".
    const message = (e as Error).message.trim();
    const why =
      message === "" || /^unknown error$/i.test(message)
        ? "the decoder gave no reason: a corrupt or truncated file"
        : message;
    throw new FormatError(`image cannot be processed: ${input} (${why})`, { cause: e });
  }
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. @internal */
function _pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Width, height and component count from a JPEG's frame header (SOF0..SOF15 but DHT/JPG/DAC), or
 * undefined when `bytes` is not a JPEG or has no frame header before the scan.
 */
export function _jpegFrame(bytes: Uint8Array): { width: number; height: number; components: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: (bytes[i + 5] << 8) | bytes[i + 6],
        width: (bytes[i + 7] << 8) | bytes[i + 8],
        components: bytes[i + 9],
      };
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame header
    i += 2 + length;
  }
  return undefined;
}

/** The largest JPEG decode shrink (8, 4, 2 or 1) that keeps both sides at least the target's. */
export function _jpegShrink(width: number, height: number, targetWidth: number, targetHeight: number): number {
  for (const s of [8, 4, 2]) if (width / s >= targetWidth && height / s >= targetHeight) return s;
  return 1;
}

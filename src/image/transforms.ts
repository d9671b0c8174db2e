/**
 * Image geometry for the workshop's preprocessing (notebooks 2.1, 3.1, 4.1): decode to 3-channel
 * sRGB, resize the shorter side, fit the longer side, centre-crop or pad, JPEG encode.
 *
 * Images are {@link RgbImage}s: 8-bit interleaved RGB (HWC), so crops, pads and flips are exact array
 * copies done here, and only resampling and codecs go through sharp (libvips).
 *
 * The sizes. The TensorFlow notebook (workshop B.3) fits the longer side to 400 (`tf.image.resize(...,
 * preserve_aspect_ratio=True)`), then centre-crops or zero-pads to **244**×244
 * (`resize_with_crop_or_pad`). 244 is a typo for ImageNet's 224, inherited from the AWS sample: the
 * PyTorch and built-in routes (B.5, B.7) use 224, and the PyTorch inference cell's `CenterCrop(244)`
 * on 224-short-side images adds black bars. The workshop's steps are kept under their names
 * ({@link WORKSHOP_FIT_SIZE}, {@link WORKSHOP_CROP_SIZE}) so the notebooks can show them, but every
 * default here is {@link DEFAULT_IMAGE_SIZE} = 224.
 *
 * Rounding follows the library each step mirrors: torchvision for the shorter-side resize
 * (`int(size * long / short)`) and `CenterCrop` (`round((h - ch) / 2)`, padding when the crop is
 * larger), TensorFlow for the longer-side fit (`round(scale * dim)`) and `resize_with_crop_or_pad`
 * (`(h - th) // 2`). Resampling is sharp's `linear` kernel (bilinear, antialiased when reducing, like
 * Pillow's BILINEAR that torchvision uses; TensorFlow's default bilinear resize is not antialiased).
 * EXIF orientation is not applied, as PIL, torchvision and `tf.io.decode_jpeg` do not apply it.
 */
import sharp, { type JpegOptions, type Metadata, type Raw } from "sharp";
import { FormatError } from "../util/errors";

/** ImageNet's input size: the default of every resize and crop here. */
export const DEFAULT_IMAGE_SIZE = 224;
/** The TensorFlow notebook's first step: fit the longer side to 400. */
export const WORKSHOP_FIT_SIZE = 400;
/** The TensorFlow notebook's crop: 244, the workshop's typo for 224 (see the module header). */
export const WORKSHOP_CROP_SIZE = 244;
/** JPEG quality of the workshop's re-encodes (`tf.io.encode_jpeg(quality=90)`, im2rec `--quality 90`). */
export const DEFAULT_JPEG_QUALITY = 90;

/** An 8-bit RGB image, rows top to bottom, pixels interleaved (HWC); the display layer's `show` takes it as it is. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/** The colour layout an image was stored in, before conversion to 3-channel sRGB. */
export type ColourMode = "rgb" | "grayscale" | "cmyk";

/** What {@link decodeImage} returns: the sRGB pixels and how the file stored them. */
export interface DecodedImage {
  image: RgbImage;
  /** Stored colour layout (grayscale and CMYK are converted to sRGB). */
  mode: ColourMode;
  /** Whether the file had an alpha channel (dropped, like PIL's `convert("RGB")`). */
  alpha: boolean;
}

/** The pixel kernel for resampling; `linear` is bilinear (the workshop's). */
export type ResizeKernel = "nearest" | "linear" | "cubic" | "lanczos3";

/** Options of the resizing functions. */
export interface ResizeOptions {
  /** Resampling kernel (default `"linear"`, bilinear like torchvision/Pillow). */
  kernel?: ResizeKernel;
}

/** Python's `round`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The header fields the colour and size checks read (a subset of sharp's `Metadata`). */
export type ImageHeader = Partial<Pick<Metadata, "width" | "height" | "channels" | "space" | "hasAlpha">>;

/** Classify sharp metadata into a colour mode and an alpha flag. */
export function _colourMode(meta: ImageHeader): { mode: ColourMode; alpha: boolean } {
  const alpha = meta.hasAlpha === true;
  if (meta.space === "cmyk") return { mode: "cmyk", alpha };
  const colourChannels = (meta.channels ?? 3) - (alpha ? 1 : 0);
  if (colourChannels === 1 || meta.space === "b-w" || meta.space === "grey16") return { mode: "grayscale", alpha };
  return { mode: "rgb", alpha };
}

/**
 * Decode an image (encoded bytes) to 3-channel sRGB: grayscale is replicated, CMYK converted with its
 * ICC profile (libvips' built-in CMYK profile when it has none), alpha dropped.
 * @param name names the image in errors (a file path)
 * @throws FormatError naming the image when it is empty, zero-sized or cannot be decoded
 * @example const { image, mode } = await decodeImage(fs.readFileSync("a.jpg"), "a.jpg")
 */
export async function decodeImage(bytes: Uint8Array, name: string): Promise<DecodedImage> {
  if (bytes.length === 0) throw new FormatError(`image is empty: ${name} (0 bytes, expected an encoded image)`);
  try {
    const meta = await sharp(bytes, { failOn: "error" }).metadata();
    checkSize(meta, name);
    const { mode, alpha } = _colourMode(meta);
    // An RGB image's embedded ICC profile is ignored, as PIL, torchvision and tf.io.decode_* do (and as
    // preprocessImages does): the pixels are the stored values. Grayscale and CMYK still go through sharp's sRGB.
    const { data, info } = await sharp(bytes, { failOn: "error", ignoreIcc: mode === "rgb" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return {
      image: {
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
        width: info.width,
        height: info.height,
        channels: 3,
      },
      mode,
      alpha,
    };
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`image cannot be decoded: ${name} (${(e as Error).message})`, { cause: e });
  }
}

/** Throw a FormatError when metadata has no or a zero width/height. */
export function checkSize(meta: ImageHeader, name: string): void {
  if (!meta.width || !meta.height) {
    throw new FormatError(
      `image has zero size: ${name} (${meta.width ?? 0}×${meta.height ?? 0}, expected at least 1×1)`,
    );
  }
}

/**
 * Encode to JPEG with Pillow's and libjpeg's usual settings: baseline, 4:2:0 chroma, no mozjpeg
 * tricks, standard Huffman tables (`optimiseCoding: false`, one pass).
 * @example const jpeg = await encodeJpeg(image, { quality: 90 })
 */
export async function encodeJpeg(image: RgbImage, options: { quality?: number } = {}): Promise<Buffer> {
  return sharp(image.data, { raw: rawInfo(image) })
    .jpeg(jpegOptions(options.quality ?? DEFAULT_JPEG_QUALITY))
    .toBuffer();
}

/** The JPEG encoder settings used everywhere here (see {@link encodeJpeg}). */
export function jpegOptions(quality: number): JpegOptions {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`JPEG quality is out of range: ${quality} (expected an integer in 1..100)`);
  }
  return { quality, chromaSubsampling: "4:2:0", optimiseCoding: false, mozjpeg: false, trellisQuantisation: false };
}

function rawInfo(image: RgbImage): Raw {
  return { width: image.width, height: image.height, channels: 3 };
}

function checkTarget(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} is out of range: ${value} (expected a positive integer)`);
  }
}

/** Resample to exactly `width`×`height` (aspect not kept). */
export async function resizeTo(
  image: RgbImage,
  width: number,
  height: number,
  options: ResizeOptions = {},
): Promise<RgbImage> {
  checkTarget("resize width", width);
  checkTarget("resize height", height);
  if (width === image.width && height === image.height) return image;
  const { data, info } = await sharp(image.data, { raw: rawInfo(image) })
    .resize(width, height, { fit: "fill", kernel: options.kernel ?? "linear" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}

/**
 * The size torchvision's `Resize(size)` gives: shorter side `size`, longer `int(size * long / short)`.
 * @example shorterSideSize(640, 427, 224) // { width: 335, height: 224 }
 */
export function shorterSideSize(width: number, height: number, size: number): { width: number; height: number } {
  checkTarget("shorter side size", size);
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}

/**
 * The size `tf.image.resize((size, size), preserve_aspect_ratio=True)` gives: scale by
 * `min(size/h, size/w)` and round each side, so the longer side becomes `size`.
 * @example fitLongerSize(640, 427, 400) // { width: 400, height: 267 }
 */
export function fitLongerSize(width: number, height: number, size: number): { width: number; height: number } {
  checkTarget("longer side size", size);
  const scale = Math.min(size / height, size / width);
  return { width: Math.max(1, roundHalfEven(scale * width)), height: Math.max(1, roundHalfEven(scale * height)) };
}

/**
 * Resize so the shorter side is `size`, keeping the aspect (torchvision `Resize(224)`, im2rec `--resize`).
 * @example await resizeShorterSide(img, 224) // 640×427 → 335×224
 */
export async function resizeShorterSide(
  image: RgbImage,
  size = DEFAULT_IMAGE_SIZE,
  options: ResizeOptions = {},
): Promise<RgbImage> {
  const t = shorterSideSize(image.width, image.height, size);
  return resizeTo(image, t.width, t.height, options);
}

/**
 * Resize so the longer side is `size`, keeping the aspect (`tf.image.resize(preserve_aspect_ratio=True)`).
 * @example await fitLongerSide(img, 400) // 640×427 → 400×267
 */
export async function fitLongerSide(
  image: RgbImage,
  size = WORKSHOP_FIT_SIZE,
  options: ResizeOptions = {},
): Promise<RgbImage> {
  const t = fitLongerSize(image.width, image.height, size);
  return resizeTo(image, t.width, t.height, options);
}

/**
 * Copy a `width`×`height` window whose top-left is (`left`, `top`); parts outside the image are
 * `fill` (0: black), as torchvision's `crop` pads.
 */
export function crop(image: RgbImage, top: number, left: number, height: number, width: number, fill = 0): RgbImage {
  checkTarget("crop width", width);
  checkTarget("crop height", height);
  const out = new Uint8Array(width * height * 3);
  if (fill !== 0) out.fill(fill);
  const x0 = Math.max(0, left);
  const x1 = Math.min(image.width, left + width);
  if (x1 > x0) {
    for (let y = Math.max(0, top); y < Math.min(image.height, top + height); y++) {
      const src = (y * image.width + x0) * 3;
      out.set(image.data.subarray(src, src + (x1 - x0) * 3), ((y - top) * width + (x0 - left)) * 3);
    }
  }
  return { data: out, width, height, channels: 3 };
}

/** Pad each side with `fill` (0: black, torchvision's `padding_mode="constant"`). */
export function pad(
  image: RgbImage,
  padding: { top: number; right: number; bottom: number; left: number },
  fill = 0,
): RgbImage {
  const { top, right, bottom, left } = padding;
  for (const [k, v] of Object.entries(padding)) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`padding ${k} is out of range: ${v} (expected an integer >= 0)`);
  }
  return crop(image, -top, -left, image.height + top + bottom, image.width + left + right, fill);
}

/**
 * torchvision's `CenterCrop(size)`: offsets `round((h - th) / 2)`; a crop larger than the image pads
 * it with zeros first (`(th - h) // 2` on top, the rest at the bottom).
 * @example centerCrop(img, 224) // 335×224 → 224×224 from x = 56
 */
export function centerCrop(image: RgbImage, width = DEFAULT_IMAGE_SIZE, height = width): RgbImage {
  checkTarget("crop width", width);
  checkTarget("crop height", height);
  let img = image;
  if (width > img.width || height > img.height) {
    const dw = Math.max(0, width - img.width);
    const dh = Math.max(0, height - img.height);
    img = pad(img, { left: dw >> 1, top: dh >> 1, right: (dw + 1) >> 1, bottom: (dh + 1) >> 1 });
  }
  const top = roundHalfEven((img.height - height) / 2);
  const left = roundHalfEven((img.width - width) / 2);
  return crop(img, top, left, height, width);
}

/**
 * TensorFlow's `resize_with_crop_or_pad(image, height, width)`: centre-crop where the image is larger
 * (offset `(h - th) // 2`), zero-pad where it is smaller (`(th - h) // 2` before).
 */
export function cropOrPad(image: RgbImage, width = DEFAULT_IMAGE_SIZE, height = width): RgbImage {
  checkTarget("crop width", width);
  checkTarget("crop height", height);
  const top = image.height >= height ? (image.height - height) >> 1 : -((height - image.height) >> 1);
  const left = image.width >= width ? (image.width - width) >> 1 : -((width - image.width) >> 1);
  return crop(image, top, left, height, width);
}

/** Options of {@link fitThenCropOrPad}. */
export interface FitCropOptions extends ResizeOptions {
  /** Longer side after the fit (default {@link WORKSHOP_FIT_SIZE} = 400, the workshop's). */
  fitSize?: number;
  /** Side of the square crop/pad (default {@link DEFAULT_IMAGE_SIZE} = 224; the workshop used 244). */
  cropSize?: number;
}

/**
 * The TensorFlow notebook's `resize`: fit the longer side to `fitSize`, then centre-crop or zero-pad
 * to `cropSize`². With the workshop's numbers (`fitSize: 400, cropSize: 244`) a 640×427 photo gives
 * 400×267 then 244×244.
 * @example await fitThenCropOrPad(img, { fitSize: 400, cropSize: WORKSHOP_CROP_SIZE })
 */
export async function fitThenCropOrPad(image: RgbImage, options: FitCropOptions = {}): Promise<RgbImage> {
  const fitted = await fitLongerSide(image, options.fitSize ?? WORKSHOP_FIT_SIZE, options);
  return cropOrPad(fitted, options.cropSize ?? DEFAULT_IMAGE_SIZE);
}

/** Mirror left-right (torchvision `hflip`). */
export function flipHorizontal(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const s = row + x * 3;
      const d = row + (width - 1 - x) * 3;
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
    }
  }
  return { data: out, width, height, channels: 3 };
}

/** Mirror top-bottom (torchvision `vflip`). */
export function flipVertical(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  const rowBytes = width * 3;
  for (let y = 0; y < height; y++)
    out.set(data.subarray(y * rowBytes, (y + 1) * rowBytes), (height - 1 - y) * rowBytes);
  return { data: out, width, height, channels: 3 };
}

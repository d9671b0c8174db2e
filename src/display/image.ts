/**
 * Images as media bundles: PNG and JPEG bytes as they are, raw pixel arrays and sharp pipelines
 * encoded to PNG, and grids of captioned images as one HTML output.
 */
import sharp, { Sharp } from "sharp";
import { Displayable, escapeHtml, JUPYTER_DISPLAY, MediaBundle } from "../util/media-bundle";

/** Raw interleaved pixels, e.g. a decoded CIFAR-10 record. */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
}

/** Anything {@link imageBundle} accepts. */
export type ImageInput = Uint8Array | RawImage | Sharp;

/** The MIME type of encoded image bytes, or undefined when they are neither PNG nor JPEG. */
export function imageMime(bytes: Uint8Array): "image/png" | "image/jpeg" | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return undefined;
}

function isRawImage(value: unknown): value is RawImage {
  const v = value as RawImage;
  return (
    v !== null &&
    typeof v === "object" &&
    ArrayBuffer.isView(v.data) &&
    Number.isInteger(v.width) &&
    Number.isInteger(v.height)
  );
}

/** Encoded bytes and MIME type of an image input (PNG for raw pixels and pipelines). */
export async function encodeImage(
  input: ImageInput,
): Promise<{ mime: "image/png" | "image/jpeg"; bytes: Buffer; width?: number; height?: number }> {
  if (isRawImage(input)) {
    const { data, width, height, channels } = input;
    if (data.length !== width * height * channels) {
      throw new RangeError(
        `raw image has ${data.length} bytes: expected width*height*channels = ${width}*${height}*${channels}`,
      );
    }
    const bytes = await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
      raw: { width, height, channels },
    })
      .png()
      .toBuffer();
    return { mime: "image/png", bytes, width, height };
  }
  if (input instanceof Uint8Array) {
    const mime = imageMime(input);
    if (!mime)
      throw new TypeError(
        "image bytes are neither PNG nor JPEG (expected an encoded image, a RawImage or a sharp pipeline)",
      );
    return { mime, bytes: Buffer.from(input) };
  }
  if (input && typeof (input as Sharp).png === "function") {
    const { data, info } = await (input as Sharp).clone().png().toBuffer({ resolveWithObject: true });
    return { mime: "image/png", bytes: data, width: info.width, height: info.height };
  }
  throw new TypeError(
    "not an image: expected PNG/JPEG bytes, a RawImage {data, width, height, channels} or a sharp pipeline",
  );
}

/** PNG or JPEG bytes as a media bundle, without re-encoding. */
export function encodedImageBundle(bytes: Uint8Array, width?: number, height?: number): MediaBundle {
  const mime = imageMime(bytes);
  if (!mime) throw new TypeError("image bytes are neither PNG nor JPEG (expected an encoded image)");
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const size = width && height ? ` ${width}×${height}` : "";
  return { [mime]: b64, "text/plain": `<${mime}${size}, ${bytes.length} bytes>` };
}

/**
 * An image as a displayable: PNG/JPEG bytes as they are, raw pixels and sharp pipelines as PNG.
 * @example show(await image({ data: rgb, width: 32, height: 32, channels: 3 }))
 */
export async function image(input: ImageInput): Promise<Displayable> {
  const bundle = await imageBundle(input);
  return { [JUPYTER_DISPLAY]: () => bundle };
}

/**
 * One image as a media bundle (`image/png` or `image/jpeg`, base64, plus text/plain).
 * @example publish(await imageBundle(fs.readFileSync("cat.jpg")))
 */
export async function imageBundle(input: ImageInput): Promise<MediaBundle> {
  const { bytes, width, height } = await encodeImage(input);
  return encodedImageBundle(bytes, width, height);
}

/** One cell of an {@link imageGrid}. */
export interface GridItem {
  image: ImageInput;
  caption?: string;
}

/** Options for {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row. Default 4 (the workshop's 3×4 grids). */
  columns?: number;
  /** Displayed width of each image in CSS pixels. Default 160. */
  width?: number;
  /** Title above the grid. Default none. */
  title?: string;
}

/**
 * A grid of captioned images as one displayable HTML output (images embedded as data URIs).
 * @example show(await imageGrid(frogs.map((img, i) => ({ image: img, caption: `frog ${i}` })), { columns: 4 }))
 */
export async function imageGrid(items: GridItem[], options: ImageGridOptions = {}): Promise<Displayable> {
  const { columns = 4, width = 160, title } = options;
  const encoded = await Promise.all(items.map((item) => encodeImage(item.image)));
  const cells = encoded.map((e, i) => {
    const caption = items[i].caption;
    return (
      `<figure style="margin:4px;text-align:center">` +
      `<img src="data:${e.mime};base64,${e.bytes.toString("base64")}" style="width:${width}px;image-rendering:auto" alt="${escapeHtml(caption ?? `image ${i}`)}"/>` +
      (caption === undefined ? "" : `<figcaption style="font-size:12px">${escapeHtml(caption)}</figcaption>`) +
      `</figure>`
    );
  });
  const heading = title ? `<h4 style="margin:4px">${escapeHtml(title)}</h4>` : "";
  const html =
    `<div class="mldp-image-grid">${heading}<div style="display:grid;grid-template-columns:repeat(${columns}, ${width + 8}px)">` +
    `${cells.join("")}</div></div>`;
  const text =
    `${title ? title + ": " : ""}image grid, ${items.length} images` +
    (items.some((i) => i.caption) ? ` (${items.map((i) => i.caption ?? "").join(", ")})` : "");
  return { [JUPYTER_DISPLAY]: () => ({ "text/html": html, "text/plain": text }) };
}

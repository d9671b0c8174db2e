/**
 * Small JPEG copies of images for grids in a notebook: a 640-pixel photograph embedded as it is
 * weighs about 50 kB in the saved notebook, its 128-pixel thumbnail about 4 kB.
 */
import sharp from "sharp";
import { FormatError } from "../util/errors";
import { readImageFile } from "./phash";

/**
 * An image file scaled to fit `size` × `size` pixels (never enlarged), as JPEG bytes.
 * @throws FormatError naming the file when it cannot be read or decoded
 * @example show(await imageGrid([{ image: await thumbnail("out/image/data/sample/images/000000001362.jpg") }]))
 */
export async function thumbnail(file: string, options: { size?: number; quality?: number } = {}): Promise<Buffer> {
  const { size = 128, quality = 80 } = options;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`thumbnail size is out of range: ${size} (expected a positive integer)`);
  const bytes = readImageFile(file);
  try {
    return await sharp(bytes)
      .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality })
      .toBuffer();
  } catch (e) {
    throw new FormatError(`image cannot be decoded: ${file} (${(e as Error).message})`, { cause: e });
  }
}

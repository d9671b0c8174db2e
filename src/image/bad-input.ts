/**
 * A small structured folder holding one of each kind of bad image the preprocessing workflow must
 * handle (issue 11): grayscale, CMYK and alpha images (converted to RGB and counted), a truncated
 * JPEG, an empty file, and a JPEG and a PNG whose headers say 0×0 pixels (each named in an error, or
 * listed and left out with `onError: "collect"`), next to good generated pictures. The preprocessing notebooks
 * run the workflow on it to show what happens, without touching the real dataset.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { abandonOutputDir, finishOutputDir, startOutputDir } from "./output-dir";

/** What {@link writeBadInputFolder} wrote: the folder and each special file, relative to it. */
export interface BadInputFolder {
  dir: string;
  /** Converted to RGB: grayscale, CMYK, alpha. */
  converted: { grayscale: string; cmyk: string; alpha: string };
  /** Rejected: a truncated JPEG, an empty file, a 0×0 JPEG and a 0×0 PNG. */
  bad: { truncated: string; empty: string; zeroSizeJpeg: string; zeroSizePng: string };
  /** Good RGB JPEGs. */
  good: string[];
}

function picture(width: number, height: number, hue: number) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([(x * 255) / width, (y * 255) / height, hue], (y * width + x) * 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** A copy of a baseline JPEG whose frame header (SOF0) says 0×0 pixels. */
function zeroFrame(jpeg: Buffer): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length; i += 2 + out.readUInt16BE(i + 2)) {
    if (out[i + 1] === 0xc0) {
      out.writeUInt16BE(0, i + 5); // height
      out.writeUInt16BE(0, i + 7); // width
      return out;
    }
  }
  throw new Error("no baseline frame header in the generated JPEG");
}

/**
 * Write the bad-input folder `dir/{train,val}/{cat,dog}/...` (replacing one this function wrote).
 * @example const bad = await writeBadInputFolder("out/image/tensorflow/bad-input", { overwrite: true })
 */
export async function writeBadInputFolder(dir: string, options: { overwrite?: boolean } = {}): Promise<BadInputFolder> {
  const target = path.resolve(dir);
  const tmp = startOutputDir(target, { overwrite: options.overwrite ?? false, writer: "writeBadInputFolder" });
  try {
    const good: string[] = [];
    for (const [s, c, k] of [
      ["train", "cat", 0],
      ["train", "cat", 1],
      ["train", "dog", 2],
      ["train", "dog", 3],
      ["val", "cat", 4],
      ["val", "dog", 5],
    ] as const) {
      fs.mkdirSync(path.join(tmp, s, c), { recursive: true });
      const rel = `${s}/${c}/good-${k}.jpg`;
      await picture(320 + 16 * k, 240, 40 * k)
        .jpeg({ quality: 90 })
        .toFile(path.join(tmp, rel));
      good.push(rel);
    }
    const converted = { grayscale: "train/cat/grayscale.jpg", cmyk: "train/dog/cmyk.jpg", alpha: "val/cat/alpha.png" };
    await picture(300, 260, 90).toColourspace("b-w").jpeg().toFile(path.join(tmp, converted.grayscale));
    await picture(260, 300, 160).toColourspace("cmyk").jpeg().toFile(path.join(tmp, converted.cmyk));
    await picture(280, 280, 200).ensureAlpha(0.5).png().toFile(path.join(tmp, converted.alpha));
    const bad = {
      truncated: "val/dog/truncated.jpg",
      empty: "train/dog/empty.jpg",
      zeroSizeJpeg: "train/cat/zero-size.jpg",
      zeroSizePng: "val/cat/zero-size.png",
    };
    const jpeg = fs.readFileSync(path.join(tmp, good[0]));
    fs.writeFileSync(path.join(tmp, bad.zeroSizeJpeg), zeroFrame(jpeg));
    fs.writeFileSync(path.join(tmp, bad.truncated), jpeg.subarray(0, jpeg.length >> 1));
    fs.writeFileSync(path.join(tmp, bad.empty), "");
    const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    png.writeUInt32BE(0, 16); // IHDR width
    png.writeUInt32BE(0, 20); // IHDR height
    fs.writeFileSync(path.join(tmp, bad.zeroSizePng), png);
    finishOutputDir(tmp, target, options.overwrite ?? false);
    return { dir: target, converted, bad, good };
  } catch (e) {
    abandonOutputDir(tmp);
    throw e;
  }
}

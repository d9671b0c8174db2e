import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import { _jpegFrame, _jpegShrink, countConverted, listImageFiles, preprocessImages } from "../../src/image/preprocess";
import { FormatError } from "../../src/util/errors";
import { jpegWithIccProfile } from "./formats-helpers";

/** A smooth `width`×`height` RGB picture as a sharp pipeline. */
function picture(width: number, height: number) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([(x * 255) / width, (y * 255) / height, 128], (y * width + x) * 3);
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

async function makeFolder(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-"));
  fs.mkdirSync(path.join(dir, "bear"));
  fs.mkdirSync(path.join(dir, "zebra"));
  await picture(640, 427)
    .jpeg()
    .toFile(path.join(dir, "bear", "a.jpg"));
  await picture(427, 640)
    .toColourspace("b-w")
    .jpeg()
    .toFile(path.join(dir, "bear", "gray.jpg"));
  await picture(300, 200)
    .toColourspace("cmyk")
    .jpeg()
    .toFile(path.join(dir, "zebra", "cmyk.jpg"));
  await picture(100, 100)
    .ensureAlpha(0.5)
    .png()
    .toFile(path.join(dir, "zebra", "alpha.png"));
  fs.writeFileSync(path.join(dir, "zebra", "notes.txt"), "not an image");
  return dir;
}

describe("preprocessImages", () => {
  it("keeps a colour JPEG's stored values when it embeds an ICC profile (like PIL), at full and half-size decode", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-icc-"));
    // Saturated colours, where a Display P3 → sRGB conversion moves values the most.
    const data = Buffer.alloc(640 * 480 * 3);
    const colours = [
      [230, 20, 40],
      [20, 200, 60],
      [30, 40, 220],
    ];
    for (let i = 0; i < 640 * 480; i++) data.set(colours[Math.floor(i / 640 / 160)], i * 3);
    const { plain, tagged } = await jpegWithIccProfile(data, 640, 480);
    fs.writeFileSync(path.join(dir, "plain.jpg"), plain);
    fs.writeFileSync(path.join(dir, "tagged.jpg"), tagged);
    assert.ok((await sharp(path.join(dir, "tagged.jpg")).metadata()).icc, "the test image embeds a profile");
    // sharp's own default converts through the profile: the test can tell the two apart.
    const managed = await sharp(path.join(dir, "tagged.jpg")).raw().toBuffer();
    const stored = await sharp(path.join(dir, "plain.jpg")).raw().toBuffer();
    assert.notDeepEqual(managed, stored, "colour management changes these pixels");
    for (const shrinkOnLoad of [false, true]) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
      const r = await preprocessImages(dir, out, { shrinkOnLoad });
      assert.deepEqual(r.converted, { grayscale: 0, cmyk: 0, alpha: 0 });
      const [a, b] = await Promise.all(
        ["plain.jpg", "tagged.jpg"].map((f) => sharp(path.join(out, f)).raw().toBuffer()),
      );
      assert.equal(a.length, 298 * 224 * 3);
      assert.ok(a.equals(b), `same pixels with and without the profile (shrinkOnLoad ${shrinkOnLoad})`);
    }
  });

  it("resizes a class folder to shorter side 224, keeps sub-folders, converts and counts colour modes, reports progress", async () => {
    const dir = await makeFolder();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
    const progress: string[] = [];
    const r = await preprocessImages(dir, out, { onProgress: (d, t) => progress.push(`${d}/${t}`) });
    assert.deepEqual(
      tree(out),
      ["bear/a.jpg", "bear/gray.jpg", "zebra/alpha.jpg", "zebra/cmyk.jpg"],
      "outputs, .jpg, same folders",
    );
    assert.deepEqual(progress, ["1/4", "2/4", "3/4", "4/4"], "progress after each image");
    assert.deepEqual(r.converted, { grayscale: 1, cmyk: 1, alpha: 1 }, "conversions counted");
    assert.deepEqual(
      r.convertedFiles.map((c) => [path.basename(c.file), c.mode, c.alpha]),
      [
        ["gray.jpg", "grayscale", false],
        ["alpha.png", "rgb", true],
        ["cmyk.jpg", "cmyk", false],
      ],
      "which images were converted, in input order",
    );
    assert.deepEqual(r.failures, [], "no failures");
    const sizes: Record<string, [number, number, number, string]> = {};
    for (const f of tree(out)) {
      const m = await sharp(path.join(out, f)).metadata();
      sizes[f] = [m.width!, m.height!, m.channels!, m.format!];
    }
    assert.deepEqual(
      sizes,
      {
        "bear/a.jpg": [335, 224, 3, "jpeg"],
        "bear/gray.jpg": [224, 335, 3, "jpeg"],
        "zebra/alpha.jpg": [224, 224, 3, "jpeg"],
        "zebra/cmyk.jpg": [336, 224, 3, "jpeg"],
      },
      "shorter side 224, longer int(224 * long / short), 3-channel JPEG",
    );
  });

  it("centre-crops to size² and applies the TensorFlow notebook's fit-then-crop-or-pad", async () => {
    const dir = await makeFolder();
    for (const [options, expected] of [
      [{ resize: "center-crop" }, [224, 224]],
      [{ resize: "fit-crop-or-pad" }, [224, 224]],
      [{ resize: "fit-crop-or-pad", fitSize: 400, size: 244 }, [244, 244]],
      [{ resize: "shorter-side", size: 32, quality: 50 }, [47, 32]],
    ] as const) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
      await preprocessImages(dir, out, options);
      const m = await sharp(path.join(out, "bear", "a.jpg")).metadata();
      assert.deepEqual([m.width, m.height], expected, JSON.stringify(options));
    }
    // Fit smaller than the crop pads on both axes: 300×200 → fit 200 → 200×133 → zero-padded to 300×300.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
    await preprocessImages([path.join(dir, "zebra", "cmyk.jpg")], out, {
      resize: "fit-crop-or-pad",
      size: 300,
      fitSize: 200,
    });
    const { data, info } = await sharp(path.join(out, "cmyk.jpg")).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [300, 300], "padded to 300²");
    assert.ok(
      data[0] < 8 && data[(150 * 300 + 150) * 3 + 2] > 60,
      "black padding at the corner, picture in the middle",
    );
  });

  it("throws a FormatError naming a corrupt or empty file, leaving no partial output", async () => {
    const dir = await makeFolder();
    const jpeg = fs.readFileSync(path.join(dir, "bear", "a.jpg"));
    fs.writeFileSync(path.join(dir, "bear", "broken.jpg"), jpeg.subarray(0, jpeg.length >> 1));
    fs.writeFileSync(path.join(dir, "zebra", "empty.jpg"), "");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
    await assert.rejects(
      preprocessImages(dir, out, { inFlight: 1 }),
      (e: Error) => e instanceof FormatError && e.message.includes(path.join(dir, "bear", "broken.jpg")),
      "the corrupt file is named",
    );
    assert.ok(!tree(out).some((f) => f.includes("broken") || f.endsWith(".tmp")), `no partial file: ${tree(out)}`);

    const out2 = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
    const r = await preprocessImages(dir, out2, { onError: "collect" });
    assert.deepEqual(
      r.failures.map((f) => [path.relative(dir, f.file), /image (cannot be processed|is empty)/.test(f.message)]),
      [
        ["bear/broken.jpg", true],
        ["zebra/empty.jpg", true],
      ],
      "both bad files listed with a reason",
    );
    assert.match(r.failures[1].message, /image is empty: .*empty\.jpg \(0 bytes/, "empty file message");
    assert.deepEqual(
      tree(out2),
      ["bear/a.jpg", "bear/gray.jpg", "zebra/alpha.jpg", "zebra/cmyk.jpg"],
      "the good ones written",
    );
    assert.equal(r.written.length, 4, "written list");
  });

  it("rejects a zero-sized image, a missing file and two inputs with one output name", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-"));
    // A PNG header claiming 0×0 pixels.
    const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    png.writeUInt32BE(0, 16);
    png.writeUInt32BE(0, 20);
    fs.writeFileSync(path.join(dir, "zero.png"), png);
    const r = await preprocessImages([path.join(dir, "zero.png"), path.join(dir, "missing.jpg")], out, {
      onError: "collect",
    });
    assert.equal(r.failures.length, 2, "both fail");
    assert.match(
      r.failures[0].message,
      /image has zero size: .*zero\.png \(0×0, expected at least 1×1\)/,
      "zero-sized named, with the reason",
    );
    assert.match(r.failures[1].message, /image file cannot be read: .*missing\.jpg/, "missing named");
    assert.deepEqual(tree(out), [], "nothing written");
    await assert.rejects(
      preprocessImages([path.join(dir, "a", "x.jpg"), path.join(dir, "b", "x.png")], out),
      /two images would write the same output/,
    );
  });

  it("lists image files sorted with their relative output names", async () => {
    const dir = await makeFolder();
    assert.deepEqual(
      listImageFiles(dir).map((i) => i.output),
      ["bear/a.jpg", "bear/gray.jpg", "zebra/alpha.jpg", "zebra/cmyk.jpg"].map((f) => path.normalize(f)),
      "txt skipped, .png output as .jpg",
    );
  });

  it("decodes large JPEGs at a DCT shrink that keeps both sides at least the target, close to the full-size resize", async () => {
    assert.equal(_jpegShrink(640, 480, 298, 224), 2, "640×480 → 298×224: half-size decode");
    assert.equal(_jpegShrink(640, 427, 335, 224), 1, "427 / 2 < 224: full size");
    assert.equal(_jpegShrink(4000, 3000, 298, 224), 8, "4000×3000: an eighth");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-"));
    const file = path.join(dir, "big.jpg");
    // Texture, so a different decode shows in the output (a smooth gradient comes out the same either way).
    // 640×480 → 298×224 is a 2.14× shrink: sharp decodes at full size (it halves only from 3×), we at half.
    const raw = Buffer.alloc(640 * 480 * 3);
    for (let i = 0; i < raw.length; i++) {
      const x = ((i / 3) | 0) % 640;
      const y = (i / 1920) | 0;
      raw[i] = 128 + 60 * Math.sin(x / 5 + (i % 3)) * Math.cos(y / 7) + (x * 50) / 640;
    }
    await sharp(raw, { raw: { width: 640, height: 480, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(file);
    const jpeg = fs.readFileSync(file);
    assert.deepEqual(_jpegFrame(jpeg), { width: 640, height: 480, components: 3 }, "frame header");
    assert.equal(_jpegFrame(await picture(8, 8).png().toBuffer()), undefined, "not a JPEG");
    const [fast, full] = await Promise.all(
      [true, false].map(async (shrinkOnLoad) => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
        await preprocessImages([file], out, { shrinkOnLoad });
        return sharp(path.join(out, "big.jpg")).raw().toBuffer({ resolveWithObject: true });
      }),
    );
    assert.deepEqual([fast.info.width, fast.info.height], [298, 224], "exact size with the shrink");
    assert.deepEqual([full.info.width, full.info.height], [298, 224], "exact size without");
    let diff = 0;
    for (let i = 0; i < fast.data.length; i++) diff += Math.abs(fast.data[i] - full.data[i]);
    assert.ok(diff > 0, "the half-size decode was used: the outputs differ");
    const grayFile = path.join(dir, "gray.jpg");
    await sharp(raw, { raw: { width: 640, height: 480, channels: 3 } })
      .toColourspace("b-w")
      .jpeg()
      .toFile(grayFile);
    const grayOut = fs.mkdtempSync(path.join(os.tmpdir(), "preprocess-out-"));
    const g = await preprocessImages([grayFile], grayOut);
    const gm = await sharp(path.join(grayOut, "gray.jpg")).metadata();
    assert.deepEqual(
      [gm.width, gm.height, gm.channels, g.converted.grayscale],
      [298, 224, 3, 1],
      "grayscale, half-size decode, 3 channels",
    );
    assert.ok(diff / fast.data.length < 2, `mean |difference| ${diff / fast.data.length} < 2 of 255`);
  });
});

describe("countConverted", () => {
  it("counts grayscale, CMYK and alpha images, an image with alpha counting twice", () => {
    assert.deepEqual(
      countConverted([
        { file: "a.png", mode: "grayscale", alpha: true },
        { file: "b.jpg", mode: "cmyk", alpha: false },
        { file: "c.png", mode: "rgb", alpha: true },
        { file: "d.png", mode: "grayscale", alpha: false },
      ]),
      { grayscale: 2, cmyk: 1, alpha: 2 },
    );
    assert.deepEqual(countConverted([]), { grayscale: 0, cmyk: 0, alpha: 0 });
  });
});

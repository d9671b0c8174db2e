import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import {
  applyColorJitter,
  colorJitter,
  colorJitterParams,
  randomCrop,
  randomHorizontalFlip,
  randomResizedCrop,
  randomResizedCropParams,
  randomVerticalFlip,
  seededRandom,
} from "../../src/image/augment";
import { CIFAR10_MEAN, CIFAR10_STD, IMAGENET_MEAN, IMAGENET_STD, toTensor } from "../../src/image/to-tensor";
import {
  centerCrop,
  cropOrPad,
  decodeImage,
  encodeJpeg,
  fitLongerSize,
  fitThenCropOrPad,
  flipHorizontal,
  resizeShorterSide,
  roundHalfEven,
  shorterSideSize,
  WORKSHOP_CROP_SIZE,
  WORKSHOP_FIT_SIZE,
  type RgbImage,
} from "../../src/image/transforms";
import { FormatError } from "../../src/util/errors";
import { projectPath } from "../../src/util/paths";
import { jpegWithIccProfile } from "./formats-helpers";

const PYTHON = projectPath(".venv", "bin", "python");
const REFERENCE = projectPath("test", "fixtures", "transforms", "torchvision_reference.py");

/** Answers of test/fixtures/transforms/torchvision_reference.py (numpy in the project env) to `requests`. */
function torchvisionReference(requests: object[]): any[] {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`python is missing: ${PYTHON} (expected the project env with numpy; run \`npm test\` once)`);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tv-ref-")), "requests.json");
  fs.writeFileSync(file, JSON.stringify(requests));
  return JSON.parse(execFileSync(PYTHON, [REFERENCE, file], { encoding: "utf8", maxBuffer: 1 << 26 }));
}

/** A `width`×`height` image whose pixel (x, y) is (x, y, (x + 2y) mod 256): every position is recognisable. */
function ramp(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x & 255, y & 255, (x + 2 * y) & 255], (y * width + x) * 3);
  }
  return { data, width, height, channels: 3 };
}

const px = (img: RgbImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe("resize and crop sizes", () => {
  it("computes torchvision's Resize(224) and TensorFlow's fit-400 sizes", () => {
    assert.deepEqual(
      shorterSideSize(640, 427, 224),
      { width: 335, height: 224 },
      "landscape: int(224 * 640 / 427) = 335",
    );
    assert.deepEqual(shorterSideSize(427, 640, 224), { width: 224, height: 335 }, "portrait");
    assert.deepEqual(shorterSideSize(640, 480, 224), { width: 298, height: 224 }, "int(298.67) truncates");
    assert.deepEqual(shorterSideSize(32, 32, 224), { width: 224, height: 224 }, "square CIFAR upscales");
    assert.deepEqual(
      fitLongerSize(640, 427, 400),
      { width: 400, height: 267 },
      "round(0.625 * 427) = 267 (workshop B.3)",
    );
    assert.deepEqual(fitLongerSize(427, 640, 400), { width: 267, height: 400 }, "portrait");
    assert.equal(roundHalfEven(2.5), 2, "Python's round");
    assert.equal(roundHalfEven(3.5), 4, "Python's round");
    assert.equal(roundHalfEven(-0.5), -0, "Python's round");
  });

  it("resizes images to exactly those sizes", async () => {
    const img = ramp(640, 427);
    const short = await resizeShorterSide(img);
    assert.deepEqual([short.width, short.height, short.data.length], [335, 224, 335 * 224 * 3], "shorter side 224");
    const portrait = await resizeShorterSide(ramp(427, 640), 100);
    assert.deepEqual([portrait.width, portrait.height], [100, 149], "int(100 * 640 / 427) = 149");
    const workshop = await fitThenCropOrPad(img, { fitSize: WORKSHOP_FIT_SIZE, cropSize: WORKSHOP_CROP_SIZE });
    assert.deepEqual([workshop.width, workshop.height], [244, 244], "the workshop's 400 then 244");
    const ours = await fitThenCropOrPad(img);
    assert.deepEqual([ours.width, ours.height], [224, 224], "224 by default");
    const cifar = await resizeShorterSide(ramp(32, 32));
    assert.deepEqual([cifar.width, cifar.height], [224, 224], "CIFAR 32 → 224");
  });

  it("fits then pads the short side with zeros where the fit is smaller than the crop", async () => {
    // 640×300 → fit 400 → 400×188 (round(187.5) = 188, half to even) → crop/pad 244: 28 zero rows above, 28 below.
    const out = await fitThenCropOrPad(ramp(640, 300), { fitSize: 400, cropSize: 244 });
    assert.deepEqual([out.width, out.height], [244, 244], "size");
    assert.deepEqual(px(out, 100, 0), [0, 0, 0], "top padding");
    assert.deepEqual(px(out, 100, 27), [0, 0, 0], "last padded row on top: (244 - 188) // 2 = 28 rows");
    assert.notDeepEqual(px(out, 100, 28), [0, 0, 0], "first picture row");
    assert.notDeepEqual(px(out, 100, 215), [0, 0, 0], "last picture row");
    assert.deepEqual(px(out, 100, 216), [0, 0, 0], "bottom padding");
    assert.notDeepEqual(px(out, 100, 122), [0, 0, 0], "centre is picture");
  });

  it("centre-crops with torchvision's offsets and TensorFlow's, and pads a crop larger than the image", () => {
    const img = ramp(335, 224);
    const c = centerCrop(img, 224);
    assert.deepEqual([c.width, c.height], [224, 224], "size");
    assert.deepEqual(px(c, 0, 0), px(img, 56, 0), "torchvision: left = round(111 / 2) = 56 (half to even)");
    const t = cropOrPad(img, 224);
    assert.deepEqual(px(t, 0, 0), px(img, 55, 0), "TensorFlow: left = 111 // 2 = 55");
    const padded = centerCrop(ramp(10, 6), 14, 10);
    assert.deepEqual([padded.width, padded.height], [14, 10], "padded size");
    assert.deepEqual(px(padded, 1, 1), [0, 0, 0], "left/top zero padding");
    assert.deepEqual(px(padded, 2, 2), [0, 0, 0], "padding (14 - 10) // 2 = 2 on the left, (10 - 6) // 2 = 2 on top");
    assert.deepEqual(px(padded, 2 + 3, 2 + 1), [3, 1, 5], "picture shifted by the padding");
    const tp = cropOrPad(ramp(10, 6), 13, 9);
    assert.deepEqual(px(tp, 1, 1), [0, 0, 0], "TensorFlow pads before with (13 - 10) // 2 = 1");
    assert.deepEqual(px(tp, 1 + 2, 1 + 1), [2, 1, 4], "picture at (1, 1)");
  });
});

describe("seeded augmentations", () => {
  const img = ramp(64, 48);
  const run = async (seed: number) => {
    const rng = seededRandom(seed);
    let out = randomHorizontalFlip(img, rng);
    out = randomVerticalFlip(out, rng);
    out = await randomResizedCrop(out, 32, rng);
    out = colorJitter(out, rng, { brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.2 });
    return randomCrop(out, 32, rng, { padding: 4 });
  };

  it("gives the same pixels for the same seed and different pixels for different seeds", async () => {
    const a = await run(1);
    const b = await run(1);
    assert.deepEqual(Buffer.from(a.data), Buffer.from(b.data), "same seed, same pixels");
    const distinct = new Set<string>();
    for (let seed = 0; seed < 6; seed++) distinct.add(Buffer.from((await run(seed)).data).toString("base64"));
    assert.equal(distinct.size, 6, "six seeds, six different results");
  });

  it("flips when the draw is below p", () => {
    // RandomState(0).random_sample() = 0.5488… ≥ 0.5: no flip; RandomState(2) = 0.4359… < 0.5: flip.
    assert.equal(randomHorizontalFlip(img, seededRandom(0)), img, "seed 0: no flip");
    assert.deepEqual(randomHorizontalFlip(img, seededRandom(2)).data, flipHorizontal(img).data, "seed 2: flipped");
    assert.deepEqual(px(randomVerticalFlip(img, seededRandom(2)), 5, 0), px(img, 5, 47), "vertical flip");
  });

  it("draws RandomResizedCrop parameters exactly as torchvision's get_params (numpy reference, same stream)", () => {
    const cases = [
      { width: 640, height: 427, seed: 0, scale: [0.08, 1.0], ratio: [3 / 4, 4 / 3], draws: 200 },
      { width: 427, height: 640, seed: 1, scale: [0.08, 1.0], ratio: [3 / 4, 4 / 3], draws: 200 },
      { width: 32, height: 32, seed: 2, scale: [0.08, 1.0], ratio: [3 / 4, 4 / 3], draws: 200 },
      // Attempts that never fit: the centre-crop fallback on both sides of the ratio range and inside it.
      { width: 1000, height: 10, seed: 3, scale: [0.5, 1.0], ratio: [3 / 4, 4 / 3], draws: 20 },
      { width: 10, height: 1000, seed: 4, scale: [0.5, 1.0], ratio: [3 / 4, 4 / 3], draws: 20 },
      { width: 50, height: 50, seed: 5, scale: [1.5, 2.0], ratio: [3 / 4, 4 / 3], draws: 20 },
    ];
    const expected = torchvisionReference(cases.map((c) => ({ op: "rrc", ...c })));
    let fallbacks = 0;
    cases.forEach((c, k) => {
      const rng = seededRandom(c.seed);
      const ours = Array.from({ length: c.draws }, () => {
        const b = randomResizedCropParams(c.width, c.height, rng, {
          scale: c.scale as [number, number],
          ratio: c.ratio as [number, number],
        });
        return [b.top, b.left, b.height, b.width];
      });
      assert.deepEqual(ours, expected[k], `case ${k}: ${c.width}×${c.height} seed ${c.seed}`);
      if (k >= 3) fallbacks += ours.length;
    });
    assert.deepEqual(expected[3][0], [0, 493, 10, 13], "wide fallback: h = 10, w = round(10 * 4/3) = 13, centred");
    assert.deepEqual(expected[4][0], [493, 0, 13, 10], "tall fallback: w = 10, h = round(10 / (3/4)) = 13");
    assert.deepEqual(expected[5][0], [0, 0, 50, 50], "scale > 1 never fits: the whole image");
    assert.equal(fallbacks, 60, "fallback draws compared");
    const sizes = new Set(expected[0].map((b: number[]) => `${b[2]}x${b[3]}`));
    assert.ok(sizes.size > 150, `640×427 draws vary: ${sizes.size} distinct sizes of 200`);
  });

  it("draws RandomCrop(32, padding=4) positions as torchvision (numpy reference) and pads with zeros", () => {
    const expected = torchvisionReference([
      { op: "random_crop", width: 32, height: 32, padding: 4, size: 32, seed: 9, draws: 100 },
    ])[0];
    const cifar = ramp(32, 32);
    const rng = seededRandom(9);
    for (let k = 0; k < 100; k++) {
      const out = randomCrop(cifar, 32, rng);
      const [i, j] = expected[k];
      // Output pixel (x, y) is padded pixel (x + j, y + i), i.e. image pixel (x + j - 4, y + i - 4).
      const inside = (x: number, y: number) => x + j - 4 >= 0 && x + j - 4 < 32 && y + i - 4 >= 0 && y + i - 4 < 32;
      for (const [x, y] of [
        [0, 0],
        [31, 31],
        [16, 16],
        [0, 31],
        [31, 0],
      ]) {
        assert.deepEqual(
          px(out, x, y),
          inside(x, y) ? px(cifar, x + j - 4, y + i - 4) : [0, 0, 0],
          `draw ${k} (${i}, ${j}) pixel (${x}, ${y})`,
        );
      }
    }
    assert.ok(new Set(expected.map((e: number[]) => e.join())).size > 40, "positions vary over the 9×9 range");
  });

  it("applies ColorJitter with torchvision's formulas", () => {
    const p = colorJitterParams(seededRandom(4), { brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.1 });
    assert.deepEqual([...p.order].sort(), [0, 1, 2, 3], "a permutation of the four ops");
    assert.ok(p.brightness! >= 0.8 && p.brightness! <= 1.2 && Math.abs(p.hue!) <= 0.1, "factors in range");
    const img: RgbImage = { data: Uint8Array.from([200, 100, 50, 10, 20, 30]), width: 2, height: 1, channels: 3 };
    assert.deepEqual(
      Array.from(applyColorJitter(img, { order: [0, 1, 2, 3], brightness: 1.5 }).data),
      [255, 150, 75, 15, 30, 45],
      "brightness 1.5, clamped",
    );
    // gray = trunc(0.2989·200 + 0.587·100 + 0.114·50) = 124 and trunc(18.149) = 18; saturation 0 → gray.
    assert.deepEqual(
      Array.from(applyColorJitter(img, { order: [2, 0, 1, 3], saturation: 0 }).data),
      [124, 124, 124, 18, 18, 18],
      "saturation 0",
    );
    // contrast 0 → mean of the grays (124 + 18) / 2 = 71 everywhere.
    assert.deepEqual(
      Array.from(applyColorJitter(img, { order: [1, 0, 2, 3], contrast: 0 }).data),
      [71, 71, 71, 71, 71, 71],
      "contrast 0",
    );
    // Hue shift by 1/3 turn: red → green → blue; a half turn maps (200,100,50) to (50,150,200).
    const red: RgbImage = { data: Uint8Array.from([255, 0, 0, 200, 100, 50]), width: 2, height: 1, channels: 3 };
    assert.deepEqual(
      Array.from(applyColorJitter(red, { order: [3, 0, 1, 2], hue: 1 / 3 }).data.subarray(0, 3)),
      [0, 255, 0],
      "hue + 1/3: red → green",
    );
    assert.deepEqual(
      Array.from(applyColorJitter(red, { order: [3, 0, 1, 2], hue: 0.5 }).data.subarray(3)),
      [50, 150, 200],
      "hue + 1/2",
    );
    assert.deepEqual(
      Array.from(applyColorJitter(red, { order: [3, 0, 1, 2], hue: 0 }).data),
      [255, 0, 0, 200, 100, 50],
      "hue 0 is the identity",
    );
  });
});

describe("toTensor", () => {
  const img: RgbImage = {
    data: Uint8Array.from([0, 128, 255, 10, 20, 30, 200, 100, 50, 1, 2, 3, 254, 253, 252, 77, 88, 99]),
    width: 3,
    height: 2,
    channels: 3,
  };

  it("matches numpy's float32 ToTensor + Normalize, CHW and HWC, for ImageNet and CIFAR-10 constants", () => {
    const pixels = Array.from(img.data);
    const [imagenet, cifar, plain] = torchvisionReference([
      { op: "tensor", pixels, width: 3, height: 2, mean: IMAGENET_MEAN, std: IMAGENET_STD },
      { op: "tensor", pixels, width: 3, height: 2, mean: CIFAR10_MEAN, std: CIFAR10_STD },
      { op: "tensor", pixels, width: 3, height: 2, mean: [0, 0, 0], std: [1, 1, 1] },
    ]);
    const chw = toTensor(img, { mean: IMAGENET_MEAN, std: IMAGENET_STD });
    assert.deepEqual(chw.shape, [3, 2, 3], "CHW shape");
    assert.deepEqual(Array.from(chw.data), imagenet, "ImageNet, bit-exact float32");
    assert.deepEqual(
      Array.from(toTensor(img, { mean: CIFAR10_MEAN, std: CIFAR10_STD }).data),
      cifar,
      "CIFAR-10, bit-exact float32",
    );
    assert.deepEqual(Array.from(toTensor(img).data), plain, "no normalisation: x / 255");
    const hwc = toTensor(img, { layout: "HWC", mean: IMAGENET_MEAN, std: IMAGENET_STD });
    assert.deepEqual(hwc.shape, [2, 3, 3], "HWC shape");
    assert.equal(
      hwc.data[(1 * 3 + 2) * 3 + 1],
      chw.data[1 * 6 + 1 * 3 + 2],
      "HWC (y=1, x=2, c=1) = CHW (c=1, y=1, x=2)",
    );
    assert.equal(CIFAR10_STD[0], 0.247, "CIFAR-10's true std, not kuangliu's 0.2023");
  });

  it("rejects a bad layout and a zero std", () => {
    assert.throws(() => toTensor(img, { layout: "NCHW" as any }), /layout is unknown: NCHW/);
    assert.throws(() => toTensor(img, { std: [1, 0, 1] }), /std has a value <= 0/);
  });
});

describe("decodeImage colour modes and bad input", () => {
  it("converts grayscale, CMYK and alpha images to 3-channel sRGB and says what they were", async () => {
    const base = sharp(Buffer.from(ramp(16, 8).data), { raw: { width: 16, height: 8, channels: 3 } });
    const gray = await base.clone().toColourspace("b-w").jpeg().toBuffer();
    const cmyk = await base.clone().toColourspace("cmyk").jpeg().toBuffer();
    const rgba = await base.clone().ensureAlpha(0.5).png().toBuffer();
    const rgb = await encodeJpeg(ramp(16, 8));
    const g = await decodeImage(gray, "gray.jpg");
    assert.deepEqual(
      [g.mode, g.alpha, g.image.width, g.image.height, g.image.data.length],
      ["grayscale", false, 16, 8, 16 * 8 * 3],
      "grayscale → RGB",
    );
    assert.deepEqual(
      px(g.image, 3, 3).every((v) => v === px(g.image, 3, 3)[0]),
      true,
      "gray pixels have equal channels",
    );
    const c = await decodeImage(cmyk, "cmyk.jpg");
    assert.deepEqual([c.mode, c.alpha, c.image.data.length], ["cmyk", false, 16 * 8 * 3], "CMYK → RGB");
    const a = await decodeImage(rgba, "rgba.png");
    assert.deepEqual([a.mode, a.alpha, a.image.data.length], ["rgb", true, 16 * 8 * 3], "alpha dropped");
    assert.deepEqual(px(a.image, 5, 2), px(ramp(16, 8), 5, 2), "alpha dropped, colours kept (PIL convert('RGB'))");
    const r = await decodeImage(rgb, "rgb.jpg");
    assert.deepEqual([r.mode, r.alpha], ["rgb", false], "plain RGB");
  });

  it("keeps an RGB image's stored values when it embeds an ICC profile (like PIL and preprocessImages)", async () => {
    const data = Buffer.alloc(32 * 16 * 3);
    for (let i = 0; i < 32 * 16; i++) data.set(i % 32 < 16 ? [230, 20, 40] : [20, 200, 60], i * 3);
    const { plain, tagged } = await jpegWithIccProfile(data, 32, 16);
    assert.ok((await sharp(tagged).metadata()).icc, "the test image embeds a profile");
    const stored = await sharp(plain).raw().toBuffer();
    assert.ok(
      !(await sharp(tagged).raw().toBuffer()).equals(stored),
      "sharp's default would convert: the test can tell",
    );
    const [a, b] = await Promise.all([decodeImage(plain, "plain.jpg"), decodeImage(tagged, "tagged.jpg")]);
    assert.ok(Buffer.from(a.image.data).equals(stored), "untagged: the stored values");
    assert.ok(Buffer.from(b.image.data).equals(stored), "tagged: the same stored values");
  });

  it("throws a FormatError naming the image for empty and corrupt bytes", async () => {
    await assert.rejects(
      decodeImage(new Uint8Array(0), "empty.jpg"),
      (e: Error) => e instanceof FormatError && /image is empty: empty\.jpg/.test(e.message),
    );
    const jpeg = await encodeJpeg(ramp(64, 64));
    const truncated = jpeg.subarray(0, jpeg.length >> 1);
    await assert.rejects(
      decodeImage(truncated, "half.jpg"),
      (e: Error) => e instanceof FormatError && /cannot be decoded: half\.jpg/.test(e.message),
    );
    await assert.rejects(
      decodeImage(Buffer.from("not an image at all"), "text.jpg"),
      (e: Error) => e instanceof FormatError && /text\.jpg/.test(e.message),
    );
  });
});

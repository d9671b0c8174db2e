/**
 * Helpers of the image-format tests: the independent Python readers
 * (test/fixtures/image-formats/read_formats.py, packages pinned in python/requirements-test.txt;
 * mxnet_recordio.py, MXNet's own RecordIO in .venv-mxnet, pinned in python/requirements-mxnet.txt),
 * small real JPEGs made with sharp (also one with an embedded ICC profile), and seeded byte mutations for the
 * fuzz tests.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import sharp from "sharp";
import { FormatError } from "../../src/util/errors";
import { projectPath } from "../../src/util/paths";
import { mulberry32 } from "../../src/util/prng";

const PYTHON = projectPath(".venv", "bin", "python");
const SCRIPT = projectPath("test", "fixtures", "image-formats", "read_formats.py");

/** Run one command of read_formats.py and parse its JSON; fails with install advice without the env. */
export function readFormats(args: string[]): any {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(
      `python is missing: ${PYTHON} (expected the project env with tfrecord, protobuf and crc32c; run \`npm test\` once)`,
    );
  }
  const out = execFileSync(PYTHON, [SCRIPT, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

const MXNET_PYTHON = projectPath(".venv-mxnet", "bin", "python");
const MXNET_SCRIPT = projectPath("test", "fixtures", "image-formats", "mxnet_recordio.py");

/** Run one command of mxnet_recordio.py (MXNet's RecordIO) and parse its JSON; fails with install advice. */
export function mxnetRecordIO(args: string[]): any {
  if (!fs.existsSync(MXNET_PYTHON)) {
    throw new Error(`python is missing: ${MXNET_PYTHON} (expected the env with mxnet 1.9.1; run \`npm test\` once)`);
  }
  const out = execFileSync(MXNET_PYTHON, [MXNET_SCRIPT, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

export const sha256 = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");

/**
 * A JPEG (quality 95) of raw RGB `data`, and the same JPEG bytes with a Display P3 profile's APP2 segments
 * inserted after SOI: the stored values are identical, only the profile differs.
 */
export async function jpegWithIccProfile(
  data: Buffer,
  width: number,
  height: number,
): Promise<{ plain: Buffer; tagged: Buffer }> {
  const raw = { raw: { width, height, channels: 3 as const } };
  const plain = await sharp(data, raw).jpeg({ quality: 95 }).toBuffer();
  const p3 = await sharp(data, raw).withIccProfile("p3").jpeg({ quality: 95 }).toBuffer();
  const app2: Buffer[] = [];
  for (let i = 2; p3[i] === 0xff && p3[i + 1] !== 0xda; i += 2 + p3.readUInt16BE(i + 2)) {
    if (p3[i + 1] === 0xe2) app2.push(p3.subarray(i, i + 2 + p3.readUInt16BE(i + 2)));
  }
  assert.ok(app2.length > 0, "sharp wrote an ICC_PROFILE segment");
  return { plain, tagged: Buffer.concat([plain.subarray(0, 2), ...app2, plain.subarray(2)]) };
}

/** `count` small JPEGs (quality 90) of seeded sizes and colours, with their sizes. */
export async function smallJpegs(
  count: number,
  seed: number,
  maxSide = 48,
): Promise<{ width: number; height: number; data: Buffer }[]> {
  const rand = mulberry32(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const width = 8 + Math.floor(rand() * (maxSide - 8));
    const height = 8 + Math.floor(rand() * (maxSide - 8));
    const pixels = Buffer.alloc(width * height * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = Math.floor(rand() * 256);
    const data = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    out.push({ width, height, data });
  }
  return out;
}

/** A seeded mutation of `bytes`: flipped bits, overwritten words, cuts, insertions, deletions. */
export function mutate(bytes: Buffer, rand: () => number): Buffer {
  const b = Buffer.from(bytes);
  const at = () => Math.floor(rand() * b.length);
  const kind = Math.floor(rand() * 6);
  if (kind === 0) {
    const i = at();
    b[i] ^= 1 << Math.floor(rand() * 8);
    return b;
  }
  if (kind === 1) {
    const i = at() & ~3;
    const word = [0, 0xffffffff, 0xced7230a, 0x7fffffff, Math.floor(rand() * 2 ** 32)][Math.floor(rand() * 5)];
    if (i + 4 <= b.length) b.writeUInt32LE(word >>> 0, i);
    return b;
  }
  if (kind === 2) return b.subarray(0, at());
  if (kind === 3) {
    const i = at();
    return Buffer.concat([b.subarray(0, i), Buffer.from([Math.floor(rand() * 256)]), b.subarray(i)]);
  }
  if (kind === 4) {
    const i = at();
    return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + Math.floor(rand() * 16)))]);
  }
  for (let k = 0; k < 4; k++) b[at()] = Math.floor(rand() * 256);
  return b;
}

/**
 * Read `count` seeded mutations of `bytes` (written to `file`) with `read`: each must succeed or
 * throw a FormatError; returns how many were rejected.
 */
export function fuzzReader(file: string, bytes: Buffer, count: number, seed: number, read: () => unknown): number {
  const rand = mulberry32(seed);
  let rejected = 0;
  for (let k = 0; k < count; k++) {
    fs.writeFileSync(file, mutate(bytes, rand));
    try {
      read();
    } catch (e) {
      assert.ok(e instanceof FormatError, `mutation ${k} threw ${(e as Error).name}: ${(e as Error).message}`);
      rejected++;
    }
  }
  return rejected;
}

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { crc32c, maskedCrc32c } from "../../src/image/crc32c";
import { decodeExample, encodeExample, ProtoError, type Feature } from "../../src/image/example-proto";
import { mulberry32 } from "../../src/util/prng";
import {
  encodeTFRecord,
  imageExample,
  readTFRecord,
  scanTFRecord,
  writeTFRecord,
  type ImageExample,
} from "../../src/image/tfrecord";
import { FormatError } from "../../src/util/errors";
import { fuzzReader, mutate, readFormats, sha256, smallJpegs } from "./formats-helpers";
import { assertRejects, assertThrows, tempDir } from "./image-helpers";

async function examples(count: number, seed: number): Promise<ImageExample[]> {
  const jpegs = await smallJpegs(count, seed);
  return jpegs.map((j, i) => ({ height: j.height, width: j.width, depth: 3, label: (i * 7) % 11, imageRaw: j.data }));
}

describe("crc32c", () => {
  it("gives the RFC 3720 check value and TensorFlow's masked form", () => {
    assert.equal(crc32c(Buffer.from("123456789")), 0xe3069283, "crc32c('123456789')");
    assert.equal(crc32c(Buffer.alloc(0)), 0, "crc32c of nothing");
    // 32 zero bytes: RFC 3720 B.4 gives the CRC bytes aa 36 91 8a (little-endian 0x8a9136aa).
    assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa, "crc32c of 32 zeros");
    const crc = crc32c(Buffer.alloc(8));
    assert.equal(maskedCrc32c(Buffer.alloc(8)), (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0, "mask");
  });

  it("continues a CRC over split input and agrees on every tail length", () => {
    const data = Buffer.from(Array.from({ length: 37 }, (_, i) => (i * 31 + 7) & 0xff));
    for (let cut = 0; cut <= data.length; cut++) {
      assert.equal(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut))), crc32c(data), `cut at ${cut}`);
    }
  });
});

describe("encodeExample / decodeExample", () => {
  it("round-trips every feature kind, negative and large int64 and empty lists", () => {
    const features = new Map<string, Feature>([
      ["i", { kind: "int64", values: [0, 1, -1, 127, 128, 2 ** 40, -(2 ** 53 - 1), Number.MAX_SAFE_INTEGER] }],
      ["f", { kind: "float", values: [0.5, -2, 1e10] }],
      ["b", { kind: "bytes", values: [Buffer.from("abc"), Buffer.alloc(0)] }],
      ["empty", { kind: "int64", values: [] }],
      ["none", { kind: "none" }],
    ]);
    const back = decodeExample(encodeExample(features));
    assert.deepEqual([...back.keys()], ["b", "empty", "f", "i", "none"], "keys in deterministic (sorted) order");
    for (const [k, v] of features) {
      const got = back.get(k) as Feature;
      assert.equal(got.kind, v.kind, `kind of ${k}`);
      if (v.kind !== "none" && got.kind !== "none") {
        assert.deepEqual(
          got.values.map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString("hex") : x)),
          v.values.map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString("hex") : x)),
          `values of ${k}`,
        );
      }
    }
  });

  it("encodes the label feature as protobuf's deterministic serialization does", () => {
    // Python: e.features.feature['label'].int64_list.value.append(9); e.SerializeToString(deterministic=True)
    const bytes = encodeExample(new Map([["label", { kind: "int64", values: [9] }]]));
    assert.equal(Buffer.from(bytes).toString("hex"), "0a100a0e0a056c6162656c12051a030a0109");
  });

  it("reads unpacked int64 values and skips unknown fields", () => {
    // Feature { int64_list { value: 5 value: 300 (unpacked) } }, an unknown varint field 7 in the Example.
    const list = Buffer.from([0x08, 0x05, 0x08, 0xac, 0x02]);
    const feature = Buffer.concat([Buffer.from([0x1a, list.length]), list]);
    const key = Buffer.from("x");
    const entry = Buffer.concat([Buffer.from([0x0a, 1]), key, Buffer.from([0x12, feature.length]), feature]);
    const features = Buffer.concat([Buffer.from([0x0a, entry.length]), entry]);
    const example = Buffer.concat([Buffer.from([0x38, 0x01, 0x0a, features.length]), features]);
    assert.deepEqual(decodeExample(example).get("x"), { kind: "int64", values: [5, 300] });
  });
});

describe("decodeExample fuzz", () => {
  it("turns 5000 seeded mutations of an Example (no CRC to stop them) into features or a ProtoError", () => {
    const bytes = Buffer.from(
      encodeExample(
        new Map<string, Feature>([
          ["height", { kind: "int64", values: [244] }],
          ["label", { kind: "int64", values: [-3, 2 ** 40] }],
          ["f", { kind: "float", values: [1.5] }],
          ["image_raw", { kind: "bytes", values: [Buffer.from("jpeg bytes")] }],
        ]),
      ),
    );
    const rand = mulberry32(13);
    let rejected = 0;
    for (let k = 0; k < 5000; k++) {
      try {
        decodeExample(mutate(bytes, rand));
      } catch (e) {
        assert.ok(e instanceof ProtoError, `mutation ${k}: ${(e as Error).name}: ${(e as Error).message}`);
        rejected++;
      }
    }
    assert.ok(rejected > 500 && rejected < 5000, `some mutations parse, some are rejected (${rejected})`);
    // A negative length must not move the cursor backwards (it would loop for ever).
    const negative = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert.throws(() => decodeExample(negative), ProtoError, "negative length");
  });
});

describe("writeTFRecord / readTFRecord", () => {
  let dir: string;
  before(() => (dir = tempDir("tfrecord")));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("round-trips image examples and reports progress", async () => {
    const exs = await examples(12, 1);
    const file = path.join(dir, "train.tfrecord");
    const progress: [number, number][] = [];
    const written = await writeTFRecord(file, exs, { numClasses: 11, onProgress: (d, t) => progress.push([d, t]) });
    assert.equal(written.records, 12, "records");
    assert.equal(written.bytes, fs.statSync(file).size, "bytes = file size");
    assert.deepEqual(progress.at(-1), [12, 12], "last progress call");
    assert.equal(progress.length, 12, "one progress call per record");
    const back = readTFRecord(file);
    assert.equal(back.length, 12, "records read");
    back.forEach((b, i) => {
      assert.deepEqual(
        { ...b, imageRaw: sha256(b.imageRaw) },
        { ...exs[i], imageRaw: sha256(exs[i].imageRaw) },
        `#${i}`,
      );
    });
    const offsets = [...scanTFRecord(file)].map((r) => r.offset);
    assert.equal(offsets[1], imageExample(exs[0]).length + 16, "second record starts after the first's 16 + data");
  });

  it("is read by tfrecord + protobuf + crc32c in Python: CRCs, deterministic bytes and features agree", async () => {
    const exs = await examples(9, 2);
    const file = path.join(dir, "py.tfrecord");
    await writeTFRecord(file, exs);
    const py = readFormats(["tfrecord", file]);
    assert.equal(py.length, 9, "records Python read");
    const ours = [...scanTFRecord(file)];
    py.forEach((r: any, i: number) => {
      assert.ok(r.lengthCrcOk && r.dataCrcOk, `record ${i}: both masked CRC-32C agree with crc32c`);
      assert.ok(r.deterministic, `record ${i}: bytes = protobuf SerializeToString(deterministic=True)`);
      assert.deepEqual(r.keys, ["depth", "height", "image_raw", "label", "width"], `keys of ${i}`);
      assert.equal(r.kinds.image_raw, "bytes_list", "image_raw kind");
      assert.equal(r.kinds.label, "int64_list", "label kind");
      assert.equal(r.offset, ours[i].offset, `offset of ${i}`);
      assert.deepEqual(
        [r.height, r.width, r.depth, r.label, r.imageSha256],
        [exs[i].height, exs[i].width, 3, exs[i].label, sha256(exs[i].imageRaw)],
        `features of ${i}`,
      );
    });
  });

  it("reads a file written by Python's tfrecord writer", async () => {
    const exs = await examples(5, 3);
    const spec = path.join(dir, "spec.json");
    fs.writeFileSync(
      spec,
      JSON.stringify(
        exs.map((e) => ({ ...e, imageRaw: undefined, image_b64: Buffer.from(e.imageRaw).toString("base64") })),
      ),
    );
    const file = path.join(dir, "from-python.tfrecord");
    readFormats(["write-tfrecord", file, spec]);
    const back = readTFRecord(file);
    assert.deepEqual(
      back.map((b) => [b.height, b.width, b.depth, b.label, sha256(b.imageRaw)]),
      exs.map((e) => [e.height, e.width, e.depth, e.label, sha256(e.imageRaw)]),
    );
  });

  it("names the file, record and byte offset of a bad CRC, a truncated record and a bad Example", async () => {
    const exs = await examples(4, 4);
    const file = path.join(dir, "good.tfrecord");
    await writeTFRecord(file, exs);
    const good = fs.readFileSync(file);
    const offsets = [...scanTFRecord(file)].map((r) => r.offset);
    const bad = path.join(dir, "bad.tfrecord");

    const dataCrc = Buffer.from(good);
    dataCrc[offsets[2] + 20] ^= 0x40;
    fs.writeFileSync(bad, dataCrc);
    assertThrows(() => readTFRecord(bad), FormatError, ["data checksum", bad, "record 2", `byte offset ${offsets[2]}`]);

    const lengthCrc = Buffer.from(good);
    lengthCrc[offsets[1] + 9] ^= 0x01;
    fs.writeFileSync(bad, lengthCrc);
    assertThrows(() => readTFRecord(bad), FormatError, ["length checksum", "record 1", `byte offset ${offsets[1]}`]);

    fs.writeFileSync(bad, good.subarray(0, offsets[3] + 30));
    assertThrows(() => readTFRecord(bad), FormatError, ["runs past the end", "record 3", `byte offset ${offsets[3]}`]);

    fs.writeFileSync(bad, good.subarray(0, offsets[3] + 5));
    assertThrows(() => readTFRecord(bad), FormatError, ["header is truncated", "record 3"]);

    fs.writeFileSync(bad, Buffer.concat([good, encodeTFRecord(Buffer.from([0x0a, 0x05, 0x0a]))]));
    assertThrows(() => readTFRecord(bad), FormatError, ["tf.train.Example is malformed", "record 4"]);

    const noLabel = encodeExample(new Map([["image_raw", { kind: "bytes", values: [Buffer.from([1])] }]]));
    fs.writeFileSync(bad, encodeTFRecord(noLabel));
    assertThrows(() => readTFRecord(bad), FormatError, ['feature "height" is missing', "record 0"]);
  });

  it("refuses a label out of range and an empty image, leaving the old file and no temp file", async () => {
    const exs = await examples(3, 5);
    const file = path.join(dir, "keep", "train.tfrecord");
    await writeTFRecord(file, exs);
    const before = fs.readFileSync(file);
    await assertRejects(() => writeTFRecord(file, [...exs, { ...exs[0], label: 11 }], { numClasses: 11 }), RangeError, [
      "label is out of range: 11",
      "example 3",
    ]);
    await assertRejects(() => writeTFRecord(file, [{ ...exs[0], imageRaw: new Uint8Array(0) }]), RangeError, [
      "image_raw is empty",
      "example 0",
    ]);
    await assertRejects(() => writeTFRecord(file, [{ ...exs[0], height: 0 }]), RangeError, ["height"]);
    assert.deepEqual(fs.readFileSync(file), before, "the earlier file is untouched");
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["train.tfrecord"], "no temp file left");
  });

  it("writes from an async iterable", async () => {
    const exs = await examples(3, 6);
    async function* gen() {
      for (const e of exs) yield e;
    }
    const file = path.join(dir, "async.tfrecord");
    const seen: [number, number][] = [];
    await writeTFRecord(file, gen(), { total: 3, onProgress: (d, t) => seen.push([d, t]) });
    assert.deepEqual(
      seen,
      [
        [1, 3],
        [2, 3],
        [3, 3],
      ],
      "progress with the given total",
    );
    assert.equal(readTFRecord(file).length, 3, "records");
  });

  it("survives 3000 seeded mutations with a result or a FormatError, never a crash or hang", async () => {
    const exs = (await smallJpegs(3, 7, 12)).map((j, i) => ({
      height: j.height,
      width: j.width,
      depth: 3,
      label: i,
      imageRaw: j.data.subarray(0, 60),
    }));
    const file = path.join(dir, "fuzz-src.tfrecord");
    await writeTFRecord(file, exs);
    const target = path.join(dir, "fuzz.tfrecord");
    const rejected = fuzzReader(target, fs.readFileSync(file), 3000, 11, () => readTFRecord(target));
    // Almost every mutation breaks a CRC or the framing; the rest cut the file at a record boundary.
    assert.ok(rejected > 2700, `most mutations are rejected (${rejected} of 3000)`);
  });
});

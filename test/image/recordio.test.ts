import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  encodeRecordIO,
  idxPathOf,
  packImageRecord,
  readRecordIO,
  RecordIOReader,
  unpackImageRecord,
  writeRecordIO,
  type ImageRecord,
} from "../../src/image/recordio";
import { FormatError } from "../../src/util/errors";
import { fuzzReader, mxnetRecordIO, sha256, smallJpegs } from "./formats-helpers";
import { assertRejects, assertThrows, tempDir } from "./image-helpers";

const MAGIC_LE = "0a23d7ce";

async function records(count: number, seed: number): Promise<ImageRecord[]> {
  const jpegs = await smallJpegs(count, seed);
  // ids as im2rec writes them: the .lst index, here not in file order.
  return jpegs.map((j, i) => ({ label: (i * 5) % 11, id: 1000 + ((i * 7) % count), image: j.data }));
}

/**
 * 8 records (smallJpegs(8, 2)) that exercise the framing: record 3's JPEG carries two RecordIO magics
 * in a comment segment at 4-aligned payload positions 40 and 44 (so writers split it into parts),
 * record 5 has three labels, record 6 an id2; with each record's JPEG size.
 */
async function trickyRecords(): Promise<{ recs: ImageRecord[]; sizes: [number, number][] }> {
  const jpegs = await smallJpegs(8, 2);
  const recs = jpegs.map((j, i) => ({ label: (i * 5) % 11, id: 1000 + ((i * 7) % 8), image: j.data }) as ImageRecord);
  // SOI, then a COM segment (length 22) whose data starts at image byte 6: 10 bytes, two magics, 2 bytes.
  const comment = Buffer.alloc(24);
  comment.write("fffe0016", 0, "hex");
  comment.writeUInt32LE(0xced7230a, 14);
  comment.writeUInt32LE(0xced7230a, 18);
  recs[3] = { ...recs[3], image: Buffer.concat([jpegs[3].data.subarray(0, 2), comment, jpegs[3].data.subarray(2)]) };
  recs[5] = { ...recs[5], label: [1, 0, 3] };
  recs[6] = { ...recs[6], id2: 9 };
  return { recs, sizes: jpegs.map((j) => [j.width, j.height]) };
}

describe("encodeRecordIO", () => {
  it("frames a payload with magic, lrec and zero padding to 4 bytes", () => {
    const hex = encodeRecordIO(Buffer.from([1, 2, 3, 4, 5])).toString("hex");
    assert.equal(hex, MAGIC_LE + "05000000" + "0102030405" + "000000");
    assert.equal(encodeRecordIO(Buffer.alloc(0)).toString("hex"), MAGIC_LE + "00000000", "empty record");
  });

  it("splits at 4-aligned copies of the magic as dmlc-core's WriteRecord does", () => {
    // [01 02 03 04][magic][05 06]: first part cflag 1 length 4, last part cflag 3 length 2, padded.
    const payload = Buffer.from("01020304" + MAGIC_LE + "0506", "hex");
    assert.equal(
      encodeRecordIO(payload).toString("hex"),
      MAGIC_LE + "04000020" + "01020304" + MAGIC_LE + "02000060" + "0506" + "0000",
    );
    // Magic first and twice in a row: parts of length 0 (cflag 1, then 2), then the rest (cflag 3).
    const twice = Buffer.from(MAGIC_LE + MAGIC_LE + "07", "hex");
    assert.equal(
      encodeRecordIO(twice).toString("hex"),
      MAGIC_LE + "00000020" + MAGIC_LE + "00000040" + MAGIC_LE + "01000060" + "07000000",
    );
    // An unaligned copy is not split.
    const unaligned = Buffer.from("01" + MAGIC_LE + "020304", "hex");
    assert.equal(encodeRecordIO(unaligned).toString("hex"), MAGIC_LE + "08000000" + unaligned.toString("hex"));
  });
});

describe("packImageRecord / unpackImageRecord", () => {
  it("writes the 24-byte IRHeader 'IfQQ' then the image; several labels go after it with flag = count", () => {
    const image = Buffer.from([0xff, 0xd8, 0xff]);
    const single = packImageRecord({ label: 9, id: 1999, image });
    assert.equal(
      single.toString("hex"),
      "00000000" + "00001041" + "cf07000000000000" + "0000000000000000" + "ffd8ff",
      "flag 0, label 9.0f, id 1999, id2 0, image",
    );
    const multi = packImageRecord({ label: [1, 2.5], id: 3, id2: 4, image });
    assert.equal(multi.readUInt32LE(0), 2, "flag = label count");
    assert.equal(multi.readFloatLE(4), 0, "header label 0 when the labels follow");
    assert.deepEqual(unpackImageRecord(multi), { flag: 2, label: [1, 2.5], id: 3, id2: 4, image });
  });
});

describe("writeRecordIO / RecordIOReader", () => {
  let dir: string;
  before(() => (dir = tempDir("recordio")));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("round-trips records, by key through the .idx and by a sequential scan", async () => {
    const recs = await records(10, 1);
    const rec = path.join(dir, "train.rec");
    const progress: number[] = [];
    const written = await writeRecordIO(rec, recs, { numClasses: 11, onProgress: (d) => progress.push(d) });
    assert.equal(written.idxFile, path.join(dir, "train.idx"), "idx next to rec");
    assert.equal(written.bytes, fs.statSync(rec).size, "bytes = file size");
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "progress");
    const reader = RecordIOReader.open(rec);
    assert.deepEqual(
      reader.keys,
      recs.map((r) => r.id),
      "keys in write order",
    );
    for (const r of [...recs].reverse()) {
      const got = unpackImageRecord(reader.read(r.id));
      assert.deepEqual(
        [got.label, got.id, got.id2, sha256(got.image)],
        [r.label, r.id, 0, sha256(r.image)],
        `key ${r.id}`,
      );
    }
    const scanned = readRecordIO(rec);
    assert.deepEqual(
      scanned.map((s) => [s.flag, s.label, s.id, sha256(s.image)]),
      recs.map((r) => [0, r.label, r.id, sha256(r.image)]),
      "scan",
    );
    const idx = fs.readFileSync(idxPathOf(rec), "utf8").split("\n");
    assert.equal(idx[0], `${recs[0].id}\t0`, "first .idx line: key<TAB>offset 0");
  });

  it("is read by MXNet's own RecordIO (dmlc-core framing, mx.recordio.unpack), split records included", async () => {
    const { recs, sizes } = await trickyRecords();
    const rec = path.join(dir, "mx-reads.rec");
    assert.equal((await writeRecordIO(rec, recs)).records, 8, "records counted without onProgress");
    const raw = fs.readFileSync(rec);
    assert.ok(raw.includes(Buffer.from("0a23d7ce" + "28000020", "hex")), "record 3 was split (cflag 1, 24 + 16 bytes)");
    const mx = mxnetRecordIO(["read", rec])[rec];
    const ours = [...RecordIOReader.open(rec).scan()];
    assert.equal(mx.records.length, 8, "records MXNet read");
    mx.records.forEach((m: any, i: number) => {
      const r = recs[i];
      assert.deepEqual(
        [m.offset, m.flag, m.label, m.id, m.id2, m.imageSha256, m.payload, m.format, m.width, m.height],
        [
          ours[i].offset,
          Array.isArray(r.label) ? 3 : 0,
          r.label,
          r.id,
          r.id2 ?? 0,
          sha256(r.image),
          ours[i].payload.length,
          "JPEG",
          ...sizes[i],
        ],
        `record ${i}`,
      );
    });
    assert.deepEqual(
      mx.idx.map((e: any) => [e.key, e.offset, e.id, e.label]),
      recs.map((r, i) => [r.id, ours[i].offset, r.id, r.label]),
      ".idx: each key points at the record with that id (MXIndexedRecordIO.read_idx)",
    );
  });

  it("reads what MXNet's MXIndexedRecordIO writes with mx.recordio.pack, and writes the same bytes", async () => {
    const { recs } = await trickyRecords();
    const spec = path.join(dir, "mx-spec.json");
    const json = recs.map(({ image, ...r }) => ({ ...r, image_b64: Buffer.from(image).toString("base64") }));
    fs.writeFileSync(spec, JSON.stringify(json));
    const byMx = path.join(dir, "mx-writes.rec");
    mxnetRecordIO(["write", byMx, spec]);
    const raw = fs.readFileSync(byMx);
    assert.ok(raw.includes(Buffer.from("0a23d7ce" + "28000020", "hex")), "MXNet split record 3 too");
    const reader = RecordIOReader.open(byMx);
    assert.deepEqual(
      reader.keys,
      recs.map((r) => r.id),
      "keys of MXNet's .idx",
    );
    const expected = recs.map((r) => ({
      flag: Array.isArray(r.label) ? r.label.length : 0,
      label: r.label,
      id: r.id,
      id2: r.id2 ?? 0,
      image: sha256(r.image),
    }));
    const got = (u: ReturnType<typeof unpackImageRecord>) => ({ ...u, image: sha256(u.image) });
    assert.deepEqual(
      recs.map((r) => got(unpackImageRecord(reader.read(r.id)))),
      expected,
      "by key",
    );
    assert.deepEqual(readRecordIO(byMx).map(got), expected, "by a sequential scan");
    const byUs = path.join(dir, "we-write.rec");
    await writeRecordIO(byUs, recs);
    assert.ok(fs.readFileSync(byUs).equals(raw), ".rec byte-identical to MXNet's");
    assert.equal(fs.readFileSync(idxPathOf(byUs), "utf8"), fs.readFileSync(idxPathOf(byMx), "utf8"), ".idx identical");
  });

  it("names the file, record and byte offset of a wrong magic, a truncated record and a length past the end", async () => {
    const recs = await records(4, 3);
    const rec = path.join(dir, "good.rec");
    await writeRecordIO(rec, recs);
    const good = fs.readFileSync(rec);
    const offsets = [...RecordIOReader.open(rec).scan()].map((r) => r.offset);
    const bad = path.join(dir, "bad.rec");

    const magic = Buffer.from(good);
    magic[offsets[2]] ^= 0xff;
    fs.writeFileSync(bad, magic);
    assertThrows(() => readRecordIO(bad), FormatError, [
      "magic number is wrong",
      bad,
      "record 2",
      `offset ${offsets[2]}`,
    ]);

    fs.writeFileSync(bad, good.subarray(0, offsets[3] + 40));
    assertThrows(() => readRecordIO(bad), FormatError, ["runs past the end", "record 3", `offset ${offsets[3]}`]);

    fs.writeFileSync(bad, good.subarray(0, offsets[1] + 6));
    assertThrows(() => readRecordIO(bad), FormatError, ["header is truncated", "record 1"]);

    const flag = Buffer.from(good);
    flag.writeUInt32LE(((2 << 29) | (flag.readUInt32LE(offsets[1] + 4) & 0x1fffffff)) >>> 0, offsets[1] + 4);
    fs.writeFileSync(bad, flag);
    assertThrows(() => readRecordIO(bad), FormatError, ["continuation flag is wrong: 2", "record 1"]);

    const short = Buffer.concat([good, encodeRecordIO(Buffer.alloc(10))]);
    fs.writeFileSync(bad, short);
    assertThrows(() => readRecordIO(bad), FormatError, ["shorter than its IRHeader", "record 4"]);

    const idx = path.join(dir, "bad.idx");
    fs.writeFileSync(idx, `1000\t0\n1001\t${good.length + 8}\n`);
    assertThrows(() => RecordIOReader.open(rec, idx), FormatError, ["index line is malformed", idx, "line 2"]);
    assertThrows(() => RecordIOReader.open(rec).read(424242), RangeError, ["not in the index: 424242"]);
  });

  it("refuses a label out of range, an empty image and a repeated id, writing neither .rec nor .idx", async () => {
    const recs = await records(3, 4);
    const rec = path.join(dir, "none", "val.rec");
    await assertRejects(
      () => writeRecordIO(rec, [...recs, { ...recs[0], id: 7, label: 11 }], { numClasses: 11 }),
      RangeError,
      ["label is out of range: 11", "record 3"],
    );
    await assertRejects(() => writeRecordIO(rec, [{ ...recs[0], image: new Uint8Array(0) }]), RangeError, [
      "image is empty",
      "record 0",
    ]);
    await assertRejects(() => writeRecordIO(rec, [recs[0], recs[0]]), RangeError, ["id is repeated"]);
    assert.deepEqual(fs.readdirSync(path.dirname(rec)), [], "nothing written, no temp file");
  });

  it("survives 3000 seeded mutations with a result or a FormatError, never a crash or hang", async () => {
    const recs = (await smallJpegs(3, 5, 12)).map((j, i) => ({ label: i, id: i, image: j.data.subarray(0, 50) }));
    recs[1].image = Buffer.concat([Buffer.from("0a23d7ce", "hex"), recs[1].image]); // a split record too
    const rec = path.join(dir, "fuzz-src.rec");
    await writeRecordIO(rec, recs);
    const target = path.join(dir, "fuzz.rec");
    const rejected = fuzzReader(target, fs.readFileSync(rec), 3000, 12, () => readRecordIO(target));
    // RecordIO has no checksum: a flipped image byte reads fine, framing damage is rejected.
    assert.ok(rejected > 600 && rejected < 3000, `some mutations are rejected, some read (${rejected} of 3000)`);
  });
});

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import {
  CIFAR10_CLASSES,
  CIFAR10_OFFLINE_DIR,
  CifarBatch,
  cifarImageName,
  concatCifarBatches,
  parseCifarBatch,
  readCifar,
  readCifarBatch,
  readCifarClassNames,
  writeCifarImages,
} from "../../src/image/cifar";
import { RandomState } from "../../src/util/numpy-random-state";
import { mulberry32 } from "../../src/util/prng";
import { DataPrepError, FormatError } from "../../src/util/errors";
import { projectPath } from "../../src/util/paths";
import { itWithShared } from "../helpers/data";

const DATA = CIFAR10_OFFLINE_DIR;
const PYTHON = projectPath(".venv", "bin", "python");
const repo = (name: string) => path.join(DATA, name);

/** Run a Python script (numpy in the project env) with `args`; fails with install advice when python is missing. */
function python(script: string, args: string[]): string {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`python is missing: ${PYTHON} (expected the project env with numpy; run \`npm test\` once)`);
  }
  return execFileSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
}

/** Assert that `fn` throws an error of class `kind` whose message contains every one of `parts`. */
function assertThrows(fn: () => unknown, kind: new (...args: never[]) => Error, parts: string[]): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e.name}: ${e.message}`);
    for (const part of parts) {
      assert.ok(e.message.includes(part), `message ${JSON.stringify(e.message)} names ${JSON.stringify(part)}`);
    }
    return true;
  });
}

/** The same records, label and pixel for pixel. */
function assertSameRecords(a: CifarBatch, b: CifarBatch, what: string): void {
  assert.equal(a.length, b.length, `${what}: record count`);
  assert.deepEqual(Array.from(a.labels), Array.from(b.labels), `${what}: labels`);
  for (let i = 0; i < a.length; i++) {
    if (!Buffer.from(a.chw(i)).equals(Buffer.from(b.chw(i)))) assert.fail(`${what}: pixels of record ${i} differ`);
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const first = (b: CifarBatch, n = 10) => Array.from(b.labels.subarray(0, n));
const planes = (b: CifarBatch, i: number, from: number, to: number) => {
  const chw = b.chw(i);
  return [0, 1, 2].map((c) => Array.from(chw.subarray(c * 1024 + from, c * 1024 + to)));
};

describe("readCifarBatch on the repo's real records (data/cifar10)", () => {
  it("reads data_batch_1 records 0-99 with the known first labels and pixels", () => {
    const b = readCifarBatch(repo("data_batch_1_first100.bin"));
    assert.equal(b.format, "binary", "format");
    assert.equal(b.length, 100, "records");
    assert.equal(b.stem, "data_batch_1_first100", "stem");
    assert.deepEqual(first(b), [6, 9, 9, 4, 1, 1, 2, 7, 8, 3], "first labels");
    assert.deepEqual(
      planes(b, 0, 0, 3),
      [
        [59, 43, 50],
        [62, 46, 48],
        [63, 45, 43],
      ],
      "record 0 starts R, G, B",
    );
    // The workshop printed batch_1[b"data"][0] as [59 43 50 ... 140 84 72] (B.1 step 10).
    assert.deepEqual(Array.from(b.chw(0).subarray(3069)), [140, 84, 72], "record 0 ends (last B bytes)");
    assert.deepEqual(b.classCounts(), [6, 16, 13, 13, 11, 7, 7, 11, 4, 12], "class counts");
    assert.deepEqual(Array.from(b.indicesOf(6)), [0, 19, 22, 23, 25, 72, 95], "frog records");
  });

  it("reads test_batch records 0-99 and the data_batch_1 pieces with their documented counts", () => {
    const t = readCifarBatch(repo("test_batch_first100.bin"));
    assert.deepEqual(first(t), [3, 8, 8, 0, 6, 6, 1, 6, 3, 1], "test first labels");
    assert.deepEqual(
      planes(t, 0, 0, 3),
      [
        [158, 159, 165],
        [112, 111, 116],
        [49, 47, 51],
      ],
      "test record 0 pixels",
    );
    assert.deepEqual(t.classCounts(), [10, 6, 8, 10, 7, 8, 16, 11, 13, 11], "test class counts");
    const mid = readCifarBatch(repo("data_batch_1_1000_1999.bin"));
    assert.deepEqual(first(mid), [9, 4, 3, 2, 4, 4, 1, 4, 2, 2], "records 1000.. first labels");
    assert.deepEqual(mid.classCounts(), [100, 79, 104, 103, 115, 98, 100, 97, 104, 100], "records 1000-1999 counts");
    const frogs = readCifarBatch(repo("data_batch_1_frogs_2000_3999.bin"));
    assert.deepEqual(frogs.classCounts(), [0, 0, 0, 0, 0, 0, 207, 0, 0, 0], "frog file holds 207 frogs only");
    const indices = fs.readFileSync(repo("data_batch_1_frogs_2000_3999.indices.txt"), "utf8").trim().split("\n");
    assert.equal(indices.length, 207, "one source index per frog");
    assert.deepEqual(indices.slice(0, 3).map(Number), [2019, 2040, 2043], "first source indices");
  });

  it("reads the whole folder with its class names, and joins the data_batch_1 pieces (314 frogs)", () => {
    const { batches, classNames } = readCifar(DATA);
    assert.deepEqual(
      batches.map((b) => b.stem),
      ["data_batch_1_first100", "data_batch_1_1000_1999", "data_batch_1_frogs_2000_3999", "test_batch_first100"],
      "batch files by batch, pieces in original record order",
    );
    assert.deepEqual(classNames, [...CIFAR10_CLASSES], "class names from batches.meta.txt");
    assert.equal(classNames[6], "frog", "label 6");
    const [head, mid, frogs] = batches;
    const batch1 = concatCifarBatches([head, mid, frogs], "data_batch_1");
    assert.deepEqual(
      [0, 99, 100, 1099, 1100].map((i) => batch1.sourceIndex![i]),
      [0, 99, 1000, 1999, 2019],
      "each record keeps its number in data_batch_1 (the frogs' from the .indices.txt)",
    );
    assert.equal(cifarImageName(batch1, 1100, "jpeg"), "data_batch_1_02019.jpg", "exported under its true record");
    assert.equal(batch1.length, 1307, "1,307 records of data_batch_1");
    assert.equal(batch1.indicesOf(6).length, 314, "frogs available offline");
    assert.deepEqual(Array.from(batch1.chw(100).subarray(0, 3)), Array.from(mid.chw(0).subarray(0, 3)), "order kept");
    assert.equal(batch1.labels[1306], 6, "last record is a frog");
    // The workshop's draw on this stream: 250 distinct frogs.
    const chosen = new RandomState(0).choice(batch1.indicesOf(6), 250, { replace: false });
    assert.equal(new Set(chosen).size, 250, "250 distinct frogs");
    assert.ok(
      chosen.every((i) => batch1.labels[i] === 6),
      "all frogs",
    );
  });

  it("gives HWC pixels equal to numpy's reshape(3, 32, 32).transpose(1, 2, 0), and a CHW view", () => {
    const b = readCifarBatch(repo("data_batch_1_first100.bin"));
    const hwc = Buffer.from(
      python(
        [
          "import sys, numpy as np",
          "raw = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(-1, 3073)",
          "sys.stdout.write(raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).tobytes().hex())",
        ].join("\n"),
        [repo("data_batch_1_first100.bin")],
      ),
      "hex",
    );
    for (let i = 0; i < b.length; i++) {
      const r = b.record(i);
      if (!Buffer.from(r.data).equals(hwc.subarray(i * 3072, (i + 1) * 3072))) assert.fail(`HWC of record ${i}`);
    }
    const r = b.record(0);
    assert.deepEqual([r.width, r.height, r.channels, r.label], [32, 32, 3, 6], "record 0 shape and label");
    assert.deepEqual(Array.from(r.data.subarray(0, 6)), [59, 62, 63, 43, 46, 45], "first two pixels RGB");
    assert.equal(r.chw.buffer, b.chw(0).buffer, "the CHW view shares the file's buffer");
    assert.throws(() => b.record(100), RangeError, "index past the end");
  });
});

describe("readCifarBatch on the 3,200 real records in ../shared/datasets/cifar10", () => {
  const cases = [
    {
      name: "data_batch_1_1000_3999.bin",
      records: 3000,
      labels: [9, 4, 3, 2, 4, 4, 1, 4, 2, 2],
      counts: [294, 254, 321, 292, 323, 308, 307, 283, 308, 310],
      sha: "37a92fb714a4715a",
    },
    { name: "data_batch_1_first100.bin", records: 100, labels: [6, 9, 9, 4, 1, 1, 2, 7, 8, 3] },
    { name: "test_batch_first100.bin", records: 100, labels: [3, 8, 8, 0, 6, 6, 1, 6, 3, 1] },
  ];
  for (const c of cases) {
    const title = `reads ${c.name}: ${c.records} records, first labels ${c.labels.join(",")}`;
    itWithShared(`cifar10/${c.name}`, title, (file) => {
      const b = readCifarBatch(file);
      assert.equal(b.length, c.records, "records");
      assert.deepEqual(first(b), c.labels, "first labels");
      if (c.counts) assert.deepEqual(b.classCounts(), c.counts, "class counts");
      if (c.sha) assert.ok(sha256(fs.readFileSync(file)).startsWith(c.sha), "sha256 prefix");
      if (fs.existsSync(repo(c.name))) {
        assert.ok(fs.readFileSync(file).equals(fs.readFileSync(repo(c.name))), `data/cifar10/${c.name} is a copy`);
      }
    });
  }
  itWithShared(
    "cifar10/data_batch_1_1000_3999.bin",
    "ships exact copies of its records 1000-1999 and of the frogs among 2000-3999",
    (big) => {
      const all = readCifarBatch(big);
      const head = readCifarBatch(repo("data_batch_1_1000_1999.bin"));
      assert.equal(head.length, 1000, "records");
      for (let i = 0; i < 1000; i++) {
        assert.equal(head.labels[i], all.labels[i], `label ${i}`);
        assert.ok(Buffer.from(head.chw(i)).equals(Buffer.from(all.chw(i))), `pixels ${i}`);
      }
      const frogs = readCifarBatch(repo("data_batch_1_frogs_2000_3999.bin"));
      const source = Array.from(all.indicesOf(6)).filter((i) => i >= 1000);
      assert.equal(frogs.length, source.length, "every frog of records 2000-3999");
      source.forEach((s, k) => assert.ok(Buffer.from(frogs.chw(k)).equals(Buffer.from(all.chw(s))), `frog ${k}`));
      const indices = fs.readFileSync(repo("data_batch_1_frogs_2000_3999.indices.txt"), "utf8").trim().split("\n");
      assert.deepEqual(
        indices.map(Number),
        source.map((s) => s + 1000),
        "indices file names the source records",
      );
    },
  );
});

// Python writes the real records of data_batch_1_first100.bin as CIFAR python batches: the exact dict
// ({b"batch_label", b"labels", b"data", b"filenames"}) pickled with protocol 2, the default protocol and
// protocol 5, and a byte stream as Python 2's cPickle wrote CIFAR (SHORT_BINSTRING/BINSTRING, GLOBAL
// numpy.core.multiarray._reconstruct), which Python itself loads back to check it.
const MAKE_PICKLES = String.raw`
import os, sys, json, pickle, struct, numpy as np
src, out, big_src = sys.argv[1], sys.argv[2], sys.argv[3:]
raw = np.fromfile(src, dtype=np.uint8).reshape(-1, 3073)
labels = raw[:, 0].tolist()
data = np.ascontiguousarray(raw[:, 1:])
stems = [b"leptodactylid", b"alytes_obstetricans", b"spadefoot", b"bufo_bufo", b"tree_frog"]
names = [stems[i % 5] + b"_s_%06d.png" % (84 + i) for i in range(len(labels))]
batch = {b"batch_label": b"training batch 1 of 5", b"labels": labels, b"data": data, b"filenames": names}
def dump(name, obj, protocol, **kw):
    with open(os.path.join(out, name), "wb") as f:
        pickle.dump(obj, f, protocol=protocol, **kw)
dump("proto2", batch, 2)
dump("proto_default", batch, pickle.DEFAULT_PROTOCOL)
dump("proto5", batch, 5)
dump("strkeys", {k.decode(): v for k, v in batch.items()}, 2)

# Python 2 cPickle, protocol 2, as CIFAR-10 ships (str = SHORT_BINSTRING/BINSTRING).
def s(b): return (b"U" + bytes([len(b)]) + b) if len(b) < 256 else (b"T" + struct.pack("<i", len(b)) + b)
def i(v): return b"K" + bytes([v]) if v < 256 else (b"M" + struct.pack("<H", v) if v < 65536 else b"J" + struct.pack("<i", v))
def q(n): return b"q" + bytes([n])
p = b"\x80\x02}" + q(1) + b"("
p += s(b"data") + q(2) + b"cnumpy.core.multiarray\n_reconstruct\n" + q(3) + b"cnumpy\nndarray\n" + q(4)
p += i(0) + b"\x85" + s(b"b") + b"\x87R" + q(5) + b"(" + i(1) + i(len(labels)) + i(3072) + b"\x86" + q(6)
p += b"cnumpy\ndtype\n" + q(7) + s(b"u1") + i(0) + i(1) + b"\x87R" + q(8)
p += b"(" + i(3) + s(b"|") + b"NNN" + b"J\xff\xff\xff\xff" * 2 + i(0) + b"tb\x89" + s(data.tobytes()) + b"tb"
p += s(b"labels") + q(9) + b"]" + q(10) + b"(" + b"".join(i(l) for l in labels) + b"e"
p += s(b"filenames") + q(11) + b"]" + q(12) + b"(" + b"".join(s(n) for n in names) + b"e"
p += s(b"batch_label") + q(13) + s(b"training batch 1 of 5") + q(14) + b"u."
with open(os.path.join(out, "py2"), "wb") as f:
    f.write(p)
back = pickle.loads(p, encoding="bytes")
assert back[b"labels"] == labels and back[b"filenames"] == names and (back[b"data"] == data).all()

meta = {b"num_cases_per_batch": 10000, b"label_names": [n.encode() for n in json.loads(sys.stdin.read())], b"num_vis": 3072}
dump("batches.meta", meta, 2)

# A full-size batch (10,000 records) from the repo's real records, protocol 2 and default.
recs = np.concatenate([np.fromfile(f, dtype=np.uint8).reshape(-1, 3073) for f in big_src])
recs = np.resize(recs, (10000, 3073))
full = {b"batch_label": b"training batch 1 of 5", b"labels": recs[:, 0].tolist(), b"data": np.ascontiguousarray(recs[:, 1:]),
        b"filenames": [b"img_%05d.png" % k for k in range(10000)]}
dump("full_proto2", full, 2)
dump("full_proto_default", full, pickle.DEFAULT_PROTOCOL)
recs.tofile(os.path.join(out, "full.bin"))

# Other structures.
class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + os.path.join(out, "PWNED"),))
dump("evil", {b"data": Evil()}, 2)
dump("a_list", [1, 2, 3], 2)
dump("no_data", {b"labels": labels, b"filenames": names}, 2)
dump("int64", {**batch, b"data": data.astype(np.int64)}, 2)
dump("shape", {**batch, b"data": np.ascontiguousarray(data[:, :1024])}, 2)
dump("count", {**batch, b"labels": labels[:-1]}, 2)
dump("label10", {**batch, b"labels": labels[:5] + [10] + labels[6:]}, 2)
dump("cifar100", {b"data": data, b"fine_labels": labels, b"coarse_labels": labels, b"filenames": names}, 2)
dump("proto0", batch, 0)
dump("out_of_band", batch, 5, buffer_callback=lambda b: False)
dump("bad_name", {**batch, b"filenames": names[:3] + [b"../escape.png"] + names[4:]}, 2)
print(pickle.DEFAULT_PROTOCOL)
`;

describe("readCifarBatch on python pickle batches made by Python in this run", () => {
  let tmp: string;
  let binary: CifarBatch;
  let defaultProtocol: number;
  const pkl = (name: string) => path.join(tmp, name);
  before(function () {
    this.timeout(300000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cifar-test-"));
    binary = readCifarBatch(repo("data_batch_1_first100.bin"));
    const pieces = ["data_batch_1_first100.bin", "data_batch_1_1000_1999.bin", "data_batch_1_frogs_2000_3999.bin"];
    defaultProtocol = Number(
      execFileSync(PYTHON, ["-c", MAKE_PICKLES, repo("data_batch_1_first100.bin"), tmp, ...pieces.map(repo)], {
        input: JSON.stringify(CIFAR10_CLASSES),
        encoding: "utf8",
      }).trim(),
    );
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const name of ["proto2", "proto_default", "proto5", "py2", "strkeys"]) {
    it(`reads the ${name} pickle identically to the binary file`, () => {
      const b = readCifarBatch(pkl(name));
      assert.equal(b.format, "pickle", "format");
      assertSameRecords(b, binary, name);
      assert.equal(b.batchLabel, "training batch 1 of 5", "b'batch_label'");
      assert.deepEqual(b.filenames?.slice(0, 3), [
        "leptodactylid_s_000084.png",
        "alytes_obstetricans_s_000085.png",
        "spadefoot_s_000086.png",
      ]);
      assert.deepEqual(Array.from(b.record(0).data.subarray(0, 3)), [59, 62, 63], "record 0 first pixel (HWC)");
      assert.equal(b.record(0).filename, "leptodactylid_s_000084.png", "record file name");
    });
  }

  it("uses Python's default protocol 4 or 5 for proto_default", () => {
    assert.ok(defaultProtocol >= 4, `DEFAULT_PROTOCOL ${defaultProtocol}`);
  });

  it("reads full-size 10,000-record python batches (protocol 2 and default) like the binary records", () => {
    const bin = readCifarBatch(pkl("full.bin"));
    assert.equal(bin.length, 10000, "binary records");
    for (const name of ["full_proto2", "full_proto_default"]) {
      const b = readCifarBatch(pkl(name));
      assertSameRecords(b, bin, name);
      assert.equal(b.filenames?.[9999], "img_09999.png", "last file name");
    }
  });

  it("reads class names from a pickled batches.meta and from batches.meta.txt", () => {
    assert.deepEqual(readCifarClassNames(pkl("batches.meta")), [...CIFAR10_CLASSES], "pickle");
    assert.deepEqual(readCifarClassNames(repo("batches.meta.txt")), [...CIFAR10_CLASSES], "text");
  });

  it("reads an extracted cifar-10-batches-py folder from its parent, with the pickled class names", () => {
    const inner = path.join(tmp, "extracted", "cifar-10-batches-py");
    fs.mkdirSync(inner, { recursive: true });
    fs.copyFileSync(pkl("proto2"), path.join(inner, "data_batch_1"));
    fs.copyFileSync(pkl("py2"), path.join(inner, "test_batch"));
    fs.copyFileSync(pkl("batches.meta"), path.join(inner, "batches.meta"));
    fs.writeFileSync(path.join(inner, "readme.html"), "<html></html>");
    const { batches, classNames } = readCifar(path.join(tmp, "extracted"));
    assert.deepEqual(
      batches.map((b) => [b.stem, b.format, b.length]),
      [
        ["data_batch_1", "pickle", 100],
        ["test_batch", "pickle", 100],
      ],
      "batches",
    );
    assert.deepEqual(classNames, [...CIFAR10_CLASSES], "class names from batches.meta");
    assertThrows(() => readCifar(path.join(tmp, "nowhere")), FormatError, ["cannot be read", "nowhere"]);
    fs.mkdirSync(path.join(tmp, "empty"));
    assertThrows(() => readCifar(path.join(tmp, "empty")), FormatError, ["no batch files", "empty"]);
  });

  it("refuses a pickle that would run code, and runs none", () => {
    assertThrows(() => readCifarBatch(pkl("evil")), FormatError, ["system", "not allowed", pkl("evil"), "byte offset"]);
    assert.ok(!fs.existsSync(pkl("PWNED")), "os.system did not run");
  });

  it("gives a FormatError naming the file and what differs for pickles of another structure", () => {
    const cases: [string, string[]][] = [
      ["a_list", ["holds a list, not a dict"]],
      ["no_data", ['has no b"data" key', 'b"labels"', 'b"filenames"']],
      ["int64", ["dtype i8 (expected uint8)"]],
      ["shape", ["shape (100, 1024) (expected (N, 3072))"]],
      ["count", ["99 labels for 100 rows"]],
      ["label10", ["label is out of range: 10", "record 5"]],
      ["cifar100", ['has no b"labels" key', 'b"fine_labels"']],
      ["proto0", ["first byte 0x28: neither a binary batch", "byte offset 0"]],
      ["out_of_band", ["out-of-band buffer", "byte offset"]],
    ];
    for (const [name, parts] of cases)
      assertThrows(() => readCifarBatch(pkl(name)), FormatError, [pkl(name), ...parts]);
  });

  it("gives a FormatError with the byte offset for a truncated pickle, at every cut", () => {
    const bytes = fs.readFileSync(pkl("proto2"));
    for (const cut of [1, 2, 3, 57, 200, 1000, bytes.length >> 1, bytes.length - 2, bytes.length - 1]) {
      assertThrows(() => parseCifarBatch(bytes.subarray(0, cut), "cut.pkl"), FormatError, ["cut.pkl", "byte offset"]);
    }
  });

  it("loads or raises a FormatError, never anything else, for 3,000 seeded mutations of real batches", () => {
    const rand = mulberry32(20261205);
    const pick = (n: number) => Math.floor(rand() * n);
    const sources: [string, Buffer][] = ["proto2", "proto_default", "proto5", "py2"].map((n) => [
      n,
      fs.readFileSync(pkl(n)),
    ]);
    sources.push(["binary", fs.readFileSync(repo("data_batch_1_first100.bin"))]);
    const outcomes = { loaded: 0, formatError: 0 };
    for (let k = 0; k < 3000; k++) {
      const [name, original] = sources[k % sources.length];
      let bytes = Buffer.from(original);
      // Mutations land mostly in the structure (first 600 bytes, last 3,000), where pickles keep their opcodes.
      const at = () =>
        rand() < 0.5 ? pick(Math.min(600, bytes.length)) : bytes.length - 1 - pick(Math.min(3000, bytes.length));
      const kind = pick(4);
      if (kind === 0) for (let j = 0; j <= pick(4); j++) bytes[at()] = pick(256);
      else if (kind === 1) bytes = bytes.subarray(0, at());
      else if (kind === 2) {
        const i = at();
        bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([pick(256)]), bytes.subarray(i)]);
      } else {
        const i = at();
        bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1 + pick(8))]);
      }
      try {
        const b = parseCifarBatch(bytes, `${name}#${k}`);
        assert.ok(b.length >= 0 && b.labels.every((l) => l <= 9), "a loaded batch has labels 0-9");
        outcomes.loaded++;
      } catch (e) {
        if (!(e instanceof FormatError))
          assert.fail(`mutation ${k} of ${name}: ${(e as Error).name}: ${(e as Error).message}`);
        assert.ok((e as Error).message.includes(`${name}#${k}`), `the error names the file: ${(e as Error).message}`);
        outcomes.formatError++;
      }
    }
    assert.equal(outcomes.loaded + outcomes.formatError, 3000, "every mutation accounted for");
    assert.ok(outcomes.formatError > 1000 && outcomes.loaded > 100, JSON.stringify(outcomes));
  });

  it("refuses a stored file name that is not a plain name when exporting", async () => {
    const b = readCifarBatch(pkl("bad_name"));
    assertThrows(() => cifarImageName(b, 3), FormatError, ['"../escape.png"', "record 3", pkl("bad_name")]);
    await assert.rejects(writeCifarImages(b, [3], path.join(tmp, "bad")), FormatError);
    assert.ok(!fs.existsSync(path.join(tmp, "escape.png")), "nothing written outside the folder");
  });

  it("exports with the workshop's file names: the stored name, .png replaced by .jpg", async () => {
    const b = readCifarBatch(pkl("py2"));
    const written = await writeCifarImages(b, [0, 19], path.join(tmp, "frogs"), { format: "jpeg" });
    assert.deepEqual(
      written.map((w) => path.basename(w.file)),
      ["leptodactylid_s_000084.jpg", "tree_frog_s_000103.jpg"],
      "file names",
    );
    assert.deepEqual(
      written.map((w) => w.label),
      [6, 6],
      "both frogs",
    );
  });
});

describe("bad binary input", () => {
  let tmp: string;
  const good = fs.readFileSync(repo("data_batch_1_first100.bin"));
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cifar-bad-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    fs.writeFileSync(path.join(tmp, name), bytes);
    return path.join(tmp, name);
  };

  it("gives a FormatError naming the file, the last record and its offset for a truncated file", () => {
    const file = write("truncated.bin", good.subarray(0, good.length - 1));
    assertThrows(() => readCifarBatch(file), FormatError, [
      file,
      "307299 bytes is not a multiple of 3,073",
      "record 99 starts at byte offset 304227",
    ]);
    const tiny = write("tiny.bin", good.subarray(0, 100));
    assertThrows(() => readCifarBatch(tiny), FormatError, [tiny, "record 0 starts at byte offset 0"]);
  });

  it("gives a FormatError naming the record and byte offset of a label byte above 9", () => {
    const bytes = Buffer.from(good);
    bytes[5 * 3073] = 10;
    const file = write("label.bin", bytes);
    assertThrows(() => readCifarBatch(file), FormatError, [
      file,
      "label byte is out of range: 10",
      "record 5",
      "byte offset 15365",
    ]);
  });

  it("gives a FormatError for an empty or missing file and a meta file without 10 names", () => {
    assertThrows(() => readCifarBatch(write("empty.bin", new Uint8Array(0))), FormatError, ["is empty", "empty.bin"]);
    assertThrows(() => readCifarBatch(path.join(tmp, "missing.bin")), FormatError, ["cannot be read", "missing.bin"]);
    const meta = write("batches.meta.txt", Buffer.from(CIFAR10_CLASSES.slice(0, 9).join("\n") + "\n"));
    assertThrows(() => readCifarClassNames(meta), FormatError, ["9 class names (expected 10", meta]);
    const crlf = write("crlf.meta.txt", Buffer.from(CIFAR10_CLASSES.join("\r\n") + "\r\n\r\n"));
    assert.deepEqual(readCifarClassNames(crlf), [...CIFAR10_CLASSES], "CRLF and trailing blank lines");
  });
});

describe("writeCifarImages", () => {
  let tmp: string;
  const batch = readCifarBatch(repo("data_batch_1_first100.bin"));
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cifar-png-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes PNGs that decode to exactly the record's pixels, named <stem>_<index>.png, with no temp files left", async () => {
    const dir = path.join(tmp, "png");
    const indices = batch.indicesOf(6);
    const written = await writeCifarImages(batch, indices, dir);
    assert.deepEqual(
      written.map((w) => path.basename(w.file)),
      [0, 19, 22, 23, 25, 72, 95].map((i) => `data_batch_1_${String(i).padStart(5, "0")}.png`),
      "file names",
    );
    assert.deepEqual(fs.readdirSync(dir).sort(), written.map((w) => path.basename(w.file)).sort(), "only the images");
    for (const w of written) {
      const { data, info } = await sharp(w.file).raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height, info.channels, info.format], [32, 32, 3, "raw"], "decoded shape");
      assert.ok(data.equals(Buffer.from(batch.hwc(w.index))), `pixels of record ${w.index} round-trip exactly`);
    }
  });

  it("writes JPEGs (quality 75) close to the pixels", async () => {
    const written = await writeCifarImages(batch, [0, 1, 2], path.join(tmp, "jpeg"), { format: "jpeg" });
    assert.deepEqual(
      written.map((w) => path.basename(w.file)),
      ["data_batch_1_00000.jpg", "data_batch_1_00001.jpg", "data_batch_1_00002.jpg"],
    );
    for (const w of written) {
      const bytes = fs.readFileSync(w.file);
      assert.deepEqual([bytes[0], bytes[1], bytes[2]], [0xff, 0xd8, 0xff], "JPEG signature");
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height, info.channels], [32, 32, 3], "decoded shape");
      const want = batch.hwc(w.index);
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum += Math.abs(data[i] - want[i]);
      const mae = sum / data.length;
      assert.ok(mae > 0 && mae < 12, `mean absolute error ${mae.toFixed(2)} of record ${w.index}`);
    }
  });

  it("rejects repeated indices, an unknown format and a bad quality before writing", async () => {
    const dir = path.join(tmp, "rejected");
    await assert.rejects(writeCifarImages(batch, [3, 3], dir), /same file data_batch_1_00003.png: 3 and 3/);
    await assert.rejects(writeCifarImages(batch, [1], dir, { format: "gif" as "png" }), /format is not supported: gif/);
    await assert.rejects(
      writeCifarImages(batch, [1], dir, { format: "jpeg", quality: 0 }),
      /quality is out of range: 0/,
    );
    await assert.rejects(writeCifarImages(batch, [100], dir), /record index out of range: 100/);
    assert.ok(!fs.existsSync(dir), "nothing written");
  });

  it("keeps a file that already holds the same bytes, and refuses one with other bytes unless overwrite is set", async () => {
    const dir = path.join(tmp, "existing");
    const [first] = await writeCifarImages(batch, [5], dir);
    const mtime = fs.statSync(first.file).mtimeMs;
    await writeCifarImages(batch, [5], dir);
    assert.equal(fs.statSync(first.file).mtimeMs, mtime, "an identical file is not rewritten");
    fs.writeFileSync(first.file, "a user's own file");
    await assert.rejects(
      writeCifarImages(batch, [4, 5], dir),
      (e: Error) =>
        e instanceof DataPrepError &&
        e.message.includes(`file exists with other content: ${first.file} (record 5 of`) &&
        e.message.includes("nothing was written"),
    );
    assert.equal(fs.readFileSync(first.file, "utf8"), "a user's own file", "the user's file is untouched");
    assert.ok(!fs.existsSync(path.join(dir, "data_batch_1_00004.png")), "nor was record 4 written");
    await writeCifarImages(batch, [4, 5], dir, { overwrite: true });
    const { data } = await sharp(first.file).raw().toBuffer({ resolveWithObject: true });
    assert.ok(data.equals(Buffer.from(batch.hwc(5))), "replaced with the record's pixels");
  });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { entryTarget, unsafeEntryName } from "../../src/io/archive-entry";
import { extractArchive } from "../../src/io/extract-archive";
import { DataPrepError, FormatError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { type ArchiveEntry, tarGz, tarOf, zipOf } from "./io-fixtures";

const GOOD: ArchiveEntry[] = [
  { name: "./", type: "5" },
  { name: "cifar-10-batches-bin/", type: "5" },
  { name: "cifar-10-batches-bin/batches.meta.txt", data: "airplane\nautomobile\n" },
  { name: "cifar-10-batches-bin/data_batch_1.bin", data: Buffer.alloc(3073 * 2, 7) },
  { name: "readme.html", data: "<p>hi</p>" },
];
const GOOD_ZIP: ArchiveEntry[] = [
  { name: "annotations/", type: "dir" },
  { name: "annotations/instances_val2017.json", data: '{"images":[]}' },
  { name: "annotations/captions_val2017.json", data: "x".repeat(5000) },
];

describe("extractArchive", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "extract-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it("extracts a tar.gz and a plain tar, files and bytes as archived", async () => {
    for (const [name, bytes] of [
      ["a.tar.gz", tarGz(GOOD)],
      ["a.tar", tarOf(GOOD)],
    ] as const) {
      const dest = path.join(dir, `out-${name}`);
      const progress: number[] = [];
      const r = await extractArchive(write(name, bytes), dest, { onProgress: (d) => progress.push(d) });
      assert.deepEqual(r.files, [
        "cifar-10-batches-bin/batches.meta.txt",
        "cifar-10-batches-bin/data_batch_1.bin",
        "readme.html",
      ]);
      assert.equal(r.kept, false);
      assert.equal(
        fs.readFileSync(path.join(dest, "cifar-10-batches-bin/batches.meta.txt"), "utf8"),
        "airplane\nautomobile\n",
      );
      assert.ok(
        fs.readFileSync(path.join(dest, "cifar-10-batches-bin/data_batch_1.bin")).equals(Buffer.alloc(6146, 7)),
      );
      assert.equal(fs.statSync(path.join(dest, "readme.html")).mode & 0o7777, 0o644, "plain file mode");
      assert.deepEqual(progress, [1, 2, 3, 4, 5], `${name}: one progress call per entry`);
    }
    assert.deepEqual(
      fs.readdirSync(dir).sort(),
      ["a.tar", "a.tar.gz", "out-a.tar", "out-a.tar.gz"],
      "no temp folder left",
    );
  });

  it("extracts a zip (deflated and stored entries) and checks each entry's CRC-32", async () => {
    const dest = path.join(dir, "ann");
    const r = await extractArchive(write("a.zip", zipOf(GOOD_ZIP)), dest);
    assert.deepEqual(r.files, ["annotations/captions_val2017.json", "annotations/instances_val2017.json"]);
    assert.equal(fs.readFileSync(path.join(dest, "annotations/captions_val2017.json"), "utf8"), "x".repeat(5000));

    // Flip a byte in a stored entry's data: yauzl checks sizes only, our CRC check catches it.
    const bad = zipOf([{ name: "a.txt", data: "hello world", stored: true }]);
    bad[bad.indexOf("hello world") + 4] ^= 0x01;
    await assert.rejects(extractArchive(write("bad.zip", bad), path.join(dir, "bad")), (e: Error) => {
      assert.ok(e instanceof FormatError);
      assert.match(e.message, /archive entry is corrupt: "a\.txt": CRC-32 \d+ \(expected \d+\)/);
      return true;
    });
    assert.equal(fs.existsSync(path.join(dir, "bad")), false, "nothing placed");
  });

  it("replaces, keeps or refuses an existing folder as asked", async () => {
    const dest = path.join(dir, "out");
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, "old.txt"), "old");
    const archive = write("a.tar.gz", tarGz(GOOD));
    await assert.rejects(extractArchive(archive, dest, { ifExists: "error" }), DataPrepError);
    const kept = await extractArchive(archive, dest, { ifExists: "keep" });
    assert.deepEqual([kept.kept, kept.files], [true, ["old.txt"]]);
    const replaced = await extractArchive(archive, dest);
    assert.equal(replaced.files.length, 3);
    assert.equal(fs.existsSync(path.join(dest, "old.txt")), false, "old folder swapped out");
    assert.deepEqual(fs.readdirSync(dir).sort(), ["a.tar.gz", "out"]);
  });

  const malicious: Array<[string, ArchiveEntry, RegExp]> = [
    ["../x", { name: "../x", data: "evil" }, /"\.\.\/x": a '\.\.' segment leaves the target folder/],
    ["a nested ../", { name: "ok/../../x", data: "evil" }, /segment leaves the target folder/],
    ["an absolute path", { name: "/tmp/mldp-evil-abs", data: "evil" }, /an absolute path/],
    ["a Windows drive path", { name: "C:/evil", data: "evil" }, /a Windows drive path/],
    ["a backslash path", { name: "..\\evil", data: "evil" }, /a backslash/],
    ["a symlink", { name: "link", type: "2", link: "/etc/passwd" }, /a symbolic link to "\/etc\/passwd"/],
    ["a hard link", { name: "hard", type: "1", link: "/etc/passwd" }, /a hard link to "\/etc\/passwd"/],
    ["a FIFO", { name: "fifo", type: "6" }, /a FIFO/],
  ];
  for (const [what, entry, message] of malicious) {
    it(`refuses a tar.gz with ${what}, writing nothing anywhere`, async () => {
      const archive = write(
        "evil.tar.gz",
        tarGz([{ name: "first.txt", data: "fine" }, entry, { name: "z.txt", data: "z" }]),
      );
      const dest = path.join(dir, "sub", "out");
      await assert.rejects(extractArchive(archive, dest), (e: Error) => {
        assert.ok(e instanceof FormatError, `${e.name}: ${e.message}`);
        assert.match(e.message, message);
        assert.ok(e.message.endsWith(archive), "names the archive");
        return true;
      });
      assert.equal(fs.existsSync(dest), false, "no dest");
      assert.deepEqual(fs.readdirSync(path.join(dir, "sub")), [], "no temp folder left");
      assert.deepEqual(fs.readdirSync(dir).sort(), ["evil.tar.gz", "sub"], "nothing escaped to the parent");
      assert.equal(fs.existsSync("/tmp/mldp-evil-abs"), false);
    });
  }

  const maliciousZip: Array<[string, ArchiveEntry, RegExp]> = [
    ["../x", { name: "../x", data: "evil" }, /a '\.\.' segment/],
    ["an absolute path", { name: "/tmp/mldp-evil-abs", data: "evil" }, /an absolute path/],
    ["a Windows drive path", { name: "C:\\evil", data: "evil" }, /a backslash|a Windows drive path/],
    ["a symlink", { name: "link", type: "symlink", link: "/etc/passwd" }, /a symbolic link/],
  ];
  for (const [what, entry, message] of maliciousZip) {
    it(`refuses a zip with ${what}, writing nothing anywhere`, async () => {
      const archive = write("evil.zip", zipOf([{ name: "first.txt", data: "fine" }, entry]));
      const dest = path.join(dir, "sub", "out");
      await assert.rejects(extractArchive(archive, dest), (e: Error) => {
        assert.ok(e instanceof FormatError, `${e.name}: ${e.message}`);
        assert.match(e.message, message);
        return true;
      });
      assert.deepEqual(fs.readdirSync(path.join(dir, "sub")), [], "no dest, no temp folder");
      assert.deepEqual(fs.readdirSync(dir).sort(), ["evil.zip", "sub"]);
    });
  }

  it("refuses a zip holding a name twice", async () => {
    const archive = write(
      "dup.zip",
      zipOf([
        { name: "a.txt", data: "1" },
        { name: "a.txt", data: "2" },
      ]),
    );
    await assert.rejects(extractArchive(archive, path.join(dir, "out")), /a duplicate name/);
  });

  it("refuses truncated and corrupt archives with a FormatError naming the file", async () => {
    const raw = tarOf(GOOD);
    const gz = tarGz(GOOD);
    const cases: Array<[string, Buffer]> = [
      ["cut-gzip.tar.gz", gz.subarray(0, gz.length - 40)],
      ["cut-in-header.tar.gz", zlib.gzipSync(raw.subarray(0, 700))],
      ["cut-at-entry.tar.gz", zlib.gzipSync(raw.subarray(0, 2048))],
      ["cut-in-data.tar", raw.subarray(0, 1540)],
      ["garbage.zip", Buffer.concat([Buffer.from("PK"), Buffer.alloc(100, 1)])],
      ["cut.zip", zipOf(GOOD_ZIP).subarray(0, 60)],
    ];
    for (const [name, bytes] of cases) {
      const archive = write(name, bytes);
      await assert.rejects(extractArchive(archive, path.join(dir, `out-${name}`)), (e: Error) => {
        assert.ok(e instanceof FormatError, `${name}: ${e.name}: ${e.message}`);
        assert.ok(e.message.includes(archive), `${name}: message names the file: ${e.message}`);
        return true;
      });
    }
    assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith("out-") || f.includes("extracting")).length, 0);
    await assert.rejects(extractArchive(path.join(dir, "none.zip"), path.join(dir, "x")), /archive not found/);
  });

  it("refuses more uncompressed bytes than maxBytes (a zip-bomb guard)", async () => {
    const archive = write("big.tar.gz", tarGz(GOOD));
    await assert.rejects(
      extractArchive(archive, path.join(dir, "out"), { maxBytes: 1000 }),
      /too large: more than 1000 bytes/,
    );
    const zip = write("big.zip", zipOf(GOOD_ZIP));
    await assert.rejects(extractArchive(zip, path.join(dir, "out2"), { maxBytes: 1000 }), /too large/);
  });
});

describe("unsafeEntryName / entryTarget", () => {
  it("accepts plain relative names and names each kind of unsafe one", () => {
    for (const ok of ["a", "a/b.txt", "dir/", "./a", "a..b", "..a/b"]) assert.equal(unsafeEntryName(ok), undefined, ok);
    assert.deepEqual(["", "a\0b", "a\\b", "/etc/x", "c:x", "D:/x", "..", "a/../../b", "../"].map(unsafeEntryName), [
      "empty name",
      "a NUL byte in the name",
      "a backslash, a Windows path separator",
      "an absolute path",
      "a Windows drive path",
      "a Windows drive path",
      "a '..' segment leaves the target folder",
      "a '..' segment leaves the target folder",
      "a '..' segment leaves the target folder",
    ]);
  });

  it("resolves inside the root, '' for the root itself", () => {
    assert.equal(entryTarget("/r", "a/b", "x.zip"), path.resolve("/r/a/b"));
    assert.equal(entryTarget("/r", "./", "x.zip"), "");
    assert.throws(() => entryTarget("/r", "../r2/x", "x.zip"), FormatError);
  });
});

describe("extractArchive on mutated archives (seeded fuzz)", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "extract-fuzz-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [kind, bytes] of [
    ["tar.gz", tarGz(GOOD)],
    ["tar", tarOf(GOOD)],
    ["zip", zipOf(GOOD_ZIP)],
  ] as const) {
    it(`${kind}: each of 150 mutations extracts inside its folder or raises the project's own error`, async () => {
      const rand = mulberry32(kind.length * 1000 + 7);
      const outcomes = { ok: 0, refused: 0 };
      for (let i = 0; i < 150; i++) {
        const b = Buffer.from(bytes);
        const edits = 1 + Math.floor(rand() * 4);
        for (let k = 0; k < edits; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        const cut = rand() < 0.2 ? Math.floor(rand() * b.length) : b.length;
        const archive = path.join(dir, `m-${kind}-${i}`);
        fs.writeFileSync(archive, b.subarray(0, cut));
        const dest = path.join(dir, `out-${kind}-${i}`);
        try {
          const r = await extractArchive(archive, dest, { format: kind, maxBytes: 1 << 20 });
          for (const f of r.files)
            assert.ok(fs.lstatSync(path.join(dest, f)).isFile(), `${archive}: ${f} is a file inside`);
          outcomes.ok++;
        } catch (e) {
          assert.ok(e instanceof DataPrepError, `${archive}: ${(e as Error).name}: ${(e as Error).message}`);
          assert.equal(fs.existsSync(dest), false, `${archive}: nothing placed`);
          outcomes.refused++;
        }
      }
      const left = fs.readdirSync(dir).filter((f) => !/^(m|out)-/.test(f));
      assert.deepEqual(left, [], "no temp folder and nothing else in the parent");
      assert.ok(outcomes.refused > 0, `some mutations are refused (${JSON.stringify(outcomes)})`);
    });
  }
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HttpError, NetworkError, TruncatedDownloadError } from "../../src/io/download-errors";
import { downloadResumable, fileDigests, verifyFile } from "../../src/io/resumable-download";
import { attemptsOf } from "../../src/io/retry";
import { FormatError } from "../../src/util/errors";
import { bytesOf, md5, serveFile, sha256, startServer, type TestServer, allowNetwork } from "./io-fixtures";

const BODY = bytesOf(200_000, "body");
const HALF = 80_000;
const ETAG = '"v1"';

describe("downloadResumable", () => {
  allowNetwork();
  let server: TestServer;
  let dir: string;
  let dest: string;
  let n = 0;
  /** A fresh path per test, so hit counts start at 1. */
  let p: string;

  before(async () => (server = await startServer()));
  after(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "resumable-"));
    dest = path.join(dir, "body.bin");
    p = `/t${n++}`;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("resumes an interrupted transfer with Range and If-Range on the next call, and the bytes verify", async () => {
    server.route(p, (req, res, hit) =>
      serveFile(req, res, BODY, { etag: ETAG, cutAfter: hit === 1 ? HALF : undefined }),
    );
    const expected = { sha256: sha256(BODY), md5: md5(BODY), size: BODY.length };
    await assert.rejects(downloadResumable(server.base + p, dest, expected), TruncatedDownloadError);
    assert.equal(fs.existsSync(dest), false, "no dest after the cut");
    assert.equal(fs.statSync(`${dest}.part`).size, HALF, "the part holds the bytes received");
    assert.deepEqual(JSON.parse(fs.readFileSync(`${dest}.part.json`, "utf8")), { url: server.base + p, etag: ETAG });

    const progress: Array<[number, number | undefined]> = [];
    const got = await downloadResumable(server.base + p, dest, {
      ...expected,
      onProgress: (d, t) => progress.push([d, t]),
    });
    assert.deepEqual(
      server.hits(p).map((r) => [r.range, r.ifRange]),
      [
        [undefined, undefined],
        [`bytes=${HALF}-`, ETAG],
      ],
      "second request asks for the rest, conditional on the ETag",
    );
    assert.deepEqual(
      { ...got, path: path.basename(got.path) },
      {
        path: "body.bin",
        bytes: 200_000,
        sha256: sha256(BODY),
        md5: md5(BODY),
        fromCache: false,
        resumedFrom: HALF,
        attempts: 1,
      },
    );
    assert.ok(fs.readFileSync(dest).equals(BODY), "same bytes as served");
    assert.deepEqual(progress[0], [HALF, 200_000], "progress starts at the resume point");
    assert.deepEqual(progress[progress.length - 1], [200_000, 200_000], "and ends at the total");
    assert.deepEqual(fs.readdirSync(dir), ["body.bin"], "part and its metadata are gone");
  });

  it("resumes from what reached the disk after a connection reset, whatever that was", async () => {
    server.route(p, (req, res, hit) =>
      serveFile(req, res, BODY, { etag: ETAG, cutAfter: hit === 1 ? HALF : undefined, reset: true }),
    );
    const got = await downloadResumable(server.base + p, dest, {
      sha256: sha256(BODY),
      retries: 1,
      sleep: async () => {},
    });
    const second = server.hits(p)[1].range;
    assert.ok(second === undefined || second === `bytes=${got.resumedFrom}-`, `Range ${second} matches the part`);
    assert.ok(got.resumedFrom <= HALF, `resumed from ${got.resumedFrom}`);
    assert.ok(fs.readFileSync(dest).equals(BODY), "same bytes as served");
  });

  it("retries within one call after a cut, resuming, with the backoff waits injected", async () => {
    server.route(p, (req, res, hit) =>
      serveFile(req, res, BODY, { etag: ETAG, cutAfter: hit <= 2 ? 50_000 : undefined }),
    );
    const waits: number[] = [];
    const got = await downloadResumable(server.base + p, dest, {
      sha256: sha256(BODY),
      retries: 3,
      baseDelayMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    assert.deepEqual(
      server.hits(p).map((r) => r.range),
      [undefined, "bytes=50000-", "bytes=100000-"],
    );
    assert.deepEqual(
      [got.attempts, got.resumedFrom, got.bytes],
      [3, 100_000, 200_000],
      "attempts, resumed from, bytes",
    );
    assert.deepEqual(waits, [100, 200], "exponential backoff");
    assert.ok(fs.readFileSync(dest).equals(BODY));
  });

  it("starts over when the server ignores Range (200), and when If-Range no longer matches", async () => {
    server.route(p, (req, res, hit) =>
      serveFile(req, res, BODY, { etag: ETAG, ranges: false, cutAfter: hit === 1 ? HALF : undefined }),
    );
    await assert.rejects(downloadResumable(server.base + p, dest, { sha256: sha256(BODY) }), TruncatedDownloadError);
    const got = await downloadResumable(server.base + p, dest, { sha256: sha256(BODY) });
    assert.equal(server.hits(p)[1].range, `bytes=${HALF}-`, "Range was asked for");
    assert.deepEqual([got.resumedFrom, got.bytes], [0, 200_000], "whole body taken from the 200");
    assert.ok(fs.readFileSync(dest).equals(BODY), "not the part with the full body appended");

    // The file changed between the two calls: its new ETag fails If-Range, the server sends all of v2.
    const v2 = bytesOf(150_000, "v2");
    const q = `${p}-changed`;
    const dest2 = path.join(dir, "changed.bin");
    server.route(q, (req, res, hit) =>
      hit === 1 ? serveFile(req, res, BODY, { etag: ETAG, cutAfter: HALF }) : serveFile(req, res, v2, { etag: '"v2"' }),
    );
    await assert.rejects(downloadResumable(server.base + q, dest2), TruncatedDownloadError);
    const changed = await downloadResumable(server.base + q, dest2, { sha256: sha256(v2) });
    assert.equal(server.hits(q)[1].ifRange, ETAG, "If-Range carried the old ETag");
    assert.deepEqual([changed.resumedFrom, changed.bytes], [0, 150_000]);
    assert.ok(fs.readFileSync(dest2).equals(v2), "the new version, whole");
  });

  it("uses a complete part on 416, and starts over on a 416 for a part longer than the file", async () => {
    server.route(p, (req, res) => serveFile(req, res, BODY, { etag: ETAG }));
    fs.writeFileSync(`${dest}.part`, BODY);
    fs.writeFileSync(`${dest}.part.json`, JSON.stringify({ url: server.base + p, etag: ETAG }));
    const got = await downloadResumable(server.base + p, dest, { sha256: sha256(BODY) });
    assert.deepEqual([got.resumedFrom, got.bytes, got.sha256], [200_000, 200_000, sha256(BODY)]);
    assert.deepEqual(
      server.hits(p).map((r) => r.range),
      ["bytes=200000-"],
      "one request, answered 416",
    );

    const dest2 = path.join(dir, "long.bin");
    fs.writeFileSync(`${dest2}.part`, Buffer.concat([BODY, Buffer.from("junk")]));
    fs.writeFileSync(`${dest2}.part.json`, JSON.stringify({ url: server.base + p, etag: ETAG }));
    const again = await downloadResumable(server.base + p, dest2, { sha256: sha256(BODY) });
    assert.deepEqual(
      server
        .hits(p)
        .map((r) => r.range)
        .slice(1),
      ["bytes=200004-", undefined],
      "416, then a plain GET",
    );
    assert.deepEqual([again.resumedFrom, again.bytes], [0, 200_000]);
    assert.ok(fs.readFileSync(dest2).equals(BODY));
  });

  it("does not resume a part without a validator unless a checksum is given", async () => {
    server.route(p, (req, res, hit) => serveFile(req, res, BODY, { cutAfter: hit === 1 ? HALF : undefined }));
    await assert.rejects(downloadResumable(server.base + p, dest), TruncatedDownloadError);
    await downloadResumable(server.base + p, dest);
    assert.equal(server.hits(p)[1].range, undefined, "no validator, no checksum: a fresh GET");
    fs.rmSync(dest);
    server.route(`${p}b`, (req, res, hit) => serveFile(req, res, BODY, { cutAfter: hit === 1 ? HALF : undefined }));
    await assert.rejects(downloadResumable(`${server.base}${p}b`, dest, { md5: md5(BODY) }), TruncatedDownloadError);
    const got = await downloadResumable(`${server.base}${p}b`, dest, { md5: md5(BODY) });
    assert.deepEqual(server.hits(`${p}b`)[1], { path: `${p}b`, range: `bytes=${HALF}-`, ifRange: undefined });
    assert.equal(got.resumedFrom, HALF, "the md5 guards the resumed file");
  });

  it("fails on a 404 with an HttpError and leaves nothing", async () => {
    await assert.rejects(
      downloadResumable(`${server.base}/missing${p}`, dest, { retries: 3, sleep: async () => {} }),
      (e: Error) => {
        assert.ok(e instanceof HttpError, e.message);
        assert.equal(e.status, 404);
        assert.match(e.message, /HTTP 404 Not Found: http:\/\/127\.0\.0\.1:\d+\/missing/);
        return true;
      },
    );
    assert.equal(server.hits(`/missing${p}`).length, 1, "a 404 is not retried");
    assert.deepEqual(fs.readdirSync(dir), [], "nothing left");
  });

  it("fails on a wrong sha256 or md5 and leaves nothing in place, not even a resumable part", async () => {
    server.route(p, (req, res) => serveFile(req, res, BODY, { etag: ETAG }));
    const wrong = "0".repeat(64);
    await assert.rejects(downloadResumable(server.base + p, dest, { sha256: wrong }), (e: Error) => {
      assert.ok(e instanceof FormatError && !(e instanceof TruncatedDownloadError), e.name);
      assert.ok(e.message.includes(`sha256 ${sha256(BODY)} (expected ${wrong})`), e.message);
      return true;
    });
    assert.deepEqual(fs.readdirSync(dir), [], "no dest, no part");
    await assert.rejects(
      downloadResumable(server.base + p, dest, { md5: "f".repeat(32) }),
      /md5 [0-9a-f]{32} \(expected f{32}\)/,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
    // A stale dest that fails verification is not the result, and a failed download leaves it as it was.
    fs.writeFileSync(dest, "stale");
    await assert.rejects(downloadResumable(server.base + p, dest, { sha256: wrong }), FormatError);
    assert.deepEqual(fs.readdirSync(dir), [path.basename(dest)], "only the old file, no part");
    assert.equal(fs.readFileSync(dest, "utf8"), "stale", "left as it was");
  });

  it("times out on a server that stalls mid-body, keeps the part, and resumes from it", async () => {
    server.route(p, (req, res, hit) =>
      serveFile(req, res, BODY, { etag: ETAG, stallAfter: hit === 1 ? 30_000 : undefined }),
    );
    await assert.rejects(downloadResumable(server.base + p, dest, { timeoutMs: 200 }), (e: Error) => {
      assert.ok(e instanceof NetworkError, e.message);
      assert.equal(e.code, "ETIMEDOUT");
      assert.match(e.message, /no data for 200 ms after 30000 bytes/);
      return true;
    });
    assert.equal(fs.statSync(`${dest}.part`).size, 30_000, "the part keeps what arrived");
    const got = await downloadResumable(server.base + p, dest, { timeoutMs: 200 });
    assert.deepEqual([got.resumedFrom, got.bytes], [30_000, 200_000]);
    assert.ok(fs.readFileSync(dest).equals(BODY));
  });

  it("times out on a server that never answers", async () => {
    server.route(p, () => {});
    await assert.rejects(downloadResumable(server.base + p, dest, { timeoutMs: 200 }), /no answer within 200 ms/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("retries 503 answers and gives up with the last error after the retries", async () => {
    server.route(p, (req, res, hit) => (hit <= 2 ? res.writeHead(503).end() : serveFile(req, res, BODY)));
    const got = await downloadResumable(server.base + p, dest, { retries: 2, sleep: async () => {} });
    assert.equal(got.attempts, 3);
    server.route(`${p}x`, (_req, res) => res.writeHead(500).end());
    await assert.rejects(
      downloadResumable(`${server.base}${p}x`, path.join(dir, "x"), { retries: 2, sleep: async () => {} }),
      (e: Error) => e instanceof HttpError && e.status === 500 && attemptsOf(e) === 3,
    );
  });

  it("with resume: false, leaves nothing after a cut and never sends Range", async () => {
    server.route(p, (req, res, hit) =>
      serveFile(req, res, BODY, { etag: ETAG, cutAfter: hit === 1 ? HALF : undefined }),
    );
    await assert.rejects(downloadResumable(server.base + p, dest, { resume: false }), TruncatedDownloadError);
    assert.deepEqual(fs.readdirSync(dir), []);
    await downloadResumable(server.base + p, dest, { resume: false });
    assert.equal(server.hits(p)[1].range, undefined);
  });

  it("serves a verified dest from the cache; verifyFile and fileDigests agree", async () => {
    server.route(p, (req, res) => serveFile(req, res, BODY));
    await downloadResumable(server.base + p, dest, { md5: md5(BODY) });
    const again = await downloadResumable(server.base + p, dest, { md5: md5(BODY) });
    assert.deepEqual([again.fromCache, again.attempts, server.hits(p).length], [true, 0, 1]);
    assert.deepEqual(await fileDigests(dest), { bytes: 200_000, sha256: sha256(BODY), md5: md5(BODY) });
    assert.equal(await verifyFile(dest, { size: 200_000, md5: md5(BODY).toUpperCase() }), true);
    assert.equal(await verifyFile(dest, { size: 199_999 }), false);
    assert.equal(await verifyFile(path.join(dir, "none")), false);
  });

  it("runs two calls for the same dest one after the other: one request, the second from the cache", async () => {
    server.route(p, (req, res) => setTimeout(() => serveFile(req, res, BODY, { etag: ETAG }), 30));
    const [a, b] = await Promise.all([
      downloadResumable(server.base + p, dest, { sha256: sha256(BODY) }),
      downloadResumable(server.base + p, dest, { sha256: sha256(BODY) }),
    ]);
    assert.deepEqual([a.fromCache, b.fromCache, server.hits(p).length], [false, true, 1]);
    assert.ok(fs.readFileSync(dest).equals(BODY));
  });

  it("offline: serves a verified file, refuses anything else with EOFFLINE and no request", async () => {
    server.route(p, (req, res) => serveFile(req, res, BODY));
    await assert.rejects(
      downloadResumable(server.base + p, dest, { offline: true, retries: 3, sleep: async () => {} }),
      (e: Error) => e instanceof NetworkError && e.code === "EOFFLINE" && attemptsOf(e) === 1,
    );
    assert.equal(server.hits(p).length, 0, "no request");
    fs.writeFileSync(dest, BODY);
    const got = await downloadResumable(server.base + p, dest, { offline: true, md5: md5(BODY) });
    assert.deepEqual([got.fromCache, server.hits(p).length], [true, 0]);
  });

  it("rejects bad arguments before any request", async () => {
    await assert.rejects(downloadResumable("ftp://x/y", dest), TypeError);
    await assert.rejects(downloadResumable(server.base + p, dest, { md5: "abc" }), /md5 is invalid: abc/);
    await assert.rejects(downloadResumable(server.base + p, dest, { retries: -1 }), /retries is invalid/);
    assert.equal(server.hits(p).length, 0);
  });
});

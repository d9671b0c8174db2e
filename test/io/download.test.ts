import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { download, isCached, NetworkError } from "../../src/io/download";
import { DataPrepError, FormatError } from "../../src/util/errors";
import { clearOfflineEnv } from "../helpers/data";

const SAMPLE = fs.readFileSync(path.resolve(__dirname, "../../../test/fixtures/download/sample.csv"));
const SAMPLE_SHA256 = "e19f6fae169cd2859e8449c01dda14265bfa085286090161d536e534ddee6620";

/** A local server: /file, /redirect (2 hops), /loop, /truncated, /missing, /hang; counts requests per path. */
function startServer(): Promise<{ server: http.Server; base: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === "/file") {
      res.writeHead(200, { "Content-Length": SAMPLE.length });
      res.end(SAMPLE);
    } else if (url === "/redirect") {
      res.writeHead(302, { Location: "/redirect-2" }).end();
    } else if (url === "/redirect-2") {
      res.writeHead(301, { Location: "file" }).end();
    } else if (url === "/loop") {
      res.writeHead(302, { Location: "/loop" }).end();
    } else if (url === "/truncated") {
      res.writeHead(200, { "Content-Length": SAMPLE.length + 1000 });
      res.write(SAMPLE, () => res.socket?.destroy());
    } else if (url === "/hang") {
      // never answers: the client's timeout must fire
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, hits });
    });
  });
}

/** Await a rejection of class `kind` whose message names every one of `parts`. */
async function assertRejects(
  promise: Promise<unknown>,
  kind: new (...args: never[]) => Error,
  parts: string[],
): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e.name}: ${e.message}`);
    for (const part of parts)
      assert.ok(e.message.includes(part), `message ${JSON.stringify(e.message)} names ${JSON.stringify(part)}`);
    return true;
  });
}

describe("download", () => {
  clearOfflineEnv();
  let server: http.Server;
  let base: string;
  let hits: Map<string, number>;
  let cache: string;

  before(async () => {
    ({ server, base, hits } = await startServer());
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "download-"));
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  it("downloads, verifies sha256 and size, reports progress, then serves the cache without a request", async () => {
    const dest = path.join(cache, "sample.csv");
    const calls: Array<[number, number | undefined]> = [];
    const first = await download(`${base}/file`, dest, {
      sha256: SAMPLE_SHA256,
      size: SAMPLE.length,
      onProgress: (d, t) => calls.push([d, t]),
    });
    assert.deepEqual(first, { path: dest, bytes: 685, sha256: SAMPLE_SHA256, fromCache: false }, "first result");
    assert.deepEqual(fs.readFileSync(dest), SAMPLE, "same bytes");
    assert.ok(calls.length >= 2, `progress called at the start and per chunk (got ${calls.length} calls)`);
    assert.deepEqual(calls[0], [0, 685], "first progress call");
    assert.deepEqual(calls[calls.length - 1], [685, 685], "last progress call");
    assert.deepEqual(fs.readdirSync(cache), ["sample.csv"], "no temp file left");

    const second = await download(`${base}/file`, dest, { sha256: SAMPLE_SHA256, size: SAMPLE.length });
    assert.equal(second.fromCache, true, "served from cache");
    assert.equal(hits.get("/file"), 1, "one request in all");
    assert.equal(await isCached(dest, { sha256: SAMPLE_SHA256 }), true, "isCached agrees");
  });

  it("replaces a cached file whose checksum is wrong", async () => {
    const dest = path.join(cache, "sample.csv");
    fs.writeFileSync(dest, "stale");
    const before = hits.get("/file") ?? 0;
    const result = await download(`${base}/file`, dest, { sha256: SAMPLE_SHA256 });
    assert.equal(result.fromCache, false, "downloaded again");
    assert.equal(hits.get("/file"), before + 1, "one more request");
    assert.equal(createHash("sha256").update(fs.readFileSync(dest)).digest("hex"), SAMPLE_SHA256, "fresh content");
  });

  it("follows redirects, relative Location included", async () => {
    const dest = path.join(cache, "sample.csv");
    const result = await download(`${base}/redirect`, dest, { sha256: SAMPLE_SHA256 });
    assert.equal(result.bytes, 685, "bytes");
    assert.deepEqual([hits.get("/redirect"), hits.get("/redirect-2")], [1, 1], "each hop requested once");
  });

  it("fails on a truncated body and leaves nothing in the cache", async () => {
    await assertRejects(download(`${base}/truncated`, path.join(cache, "t.csv")), FormatError, [
      "truncated",
      "got 685 bytes",
      "expected 1685",
      "/truncated",
    ]);
    assert.deepEqual(fs.readdirSync(cache), [], "cache folder empty");
  });

  it("fails on a checksum mismatch and leaves nothing in the cache", async () => {
    const wrong = "0".repeat(64);
    await assertRejects(download(`${base}/file`, path.join(cache, "s.csv"), { sha256: wrong }), FormatError, [
      "checksum",
      SAMPLE_SHA256,
      `expected ${wrong}`,
      "/file",
    ]);
    assert.deepEqual(fs.readdirSync(cache), [], "cache folder empty");
  });

  it("fails on a size mismatch and leaves nothing in the cache", async () => {
    await assertRejects(download(`${base}/file`, path.join(cache, "s.csv"), { size: 684 }), FormatError, [
      "wrong size",
      "685",
      "expected 684",
    ]);
    assert.deepEqual(fs.readdirSync(cache), [], "cache folder empty");
  });

  it("fails on HTTP 404 and on a redirect loop and leaves nothing in the cache", async () => {
    await assertRejects(download(`${base}/missing`, path.join(cache, "m.csv")), DataPrepError, [
      "HTTP 404 Not Found",
      "/missing",
    ]);
    await assertRejects(download(`${base}/loop`, path.join(cache, "l.csv")), DataPrepError, [
      "too many redirects",
      "at most 5",
    ]);
    assert.equal(hits.get("/loop"), 6, "the first request and 5 redirects");
    assert.deepEqual(fs.readdirSync(cache), [], "cache folder empty");
  });

  it("times out on a server that never answers, and fails fast on a closed port", async () => {
    await assertRejects(download(`${base}/hang`, path.join(cache, "h.csv"), { timeoutMs: 300 }), NetworkError, [
      "timed out",
      "300 ms",
      "/hang",
    ]);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      download(`http://127.0.0.1:${port}/x`, path.join(cache, "c.csv")),
      (e: NetworkError) => e instanceof NetworkError && e.code === "ECONNREFUSED",
    );
    assert.deepEqual(fs.readdirSync(cache), [], "cache folder empty");
  });

  it("rejects bad arguments before any request", async () => {
    await assert.rejects(download("ftp://example.com/x", path.join(cache, "x")), TypeError, "ftp is not supported");
    await assert.rejects(
      download(`${base}/file`, path.join(cache, "x"), { sha256: "abc" }),
      RangeError,
      "short sha256",
    );
  });
});

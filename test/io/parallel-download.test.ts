import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DownloadFailuresError } from "../../src/io/download-errors";
import { type DownloadTask, downloadAll } from "../../src/io/parallel-download";
import { backoffDelays, withRetries } from "../../src/io/retry";
import { HttpError } from "../../src/io/download-errors";
import { bytesOf, serveFile, sha256, startServer, type TestServer, allowNetwork } from "./io-fixtures";

describe("downloadAll", () => {
  allowNetwork();
  let server: TestServer;
  let dir: string;
  let inFlight = 0;
  let maxInFlight = 0;

  /** Each image answers after a short hold, so that transfers overlap and the limit is what caps them. */
  const image = (i: number) => bytesOf(3000 + i * 17, `img${i}`);
  before(async () => {
    server = await startServer();
    for (let i = 0; i < 12; i++) {
      server.route(`/img/${i}.jpg`, (req, res) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          serveFile(req, res, image(i));
        }, 50);
      });
    }
    server.route("/flaky.jpg", (req, res, hit) =>
      hit <= 2 ? res.writeHead(503).end() : serveFile(req, res, image(99)),
    );
    server.route("/cut.jpg", (req, res, hit) =>
      serveFile(req, res, image(98), { cutAfter: hit === 1 ? 100 : undefined }),
    );
    server.route("/down.jpg", (_req, res) => res.writeHead(500).end());
  });
  after(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "parallel-"));
    inFlight = maxInFlight = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const task = (p: string): DownloadTask => ({ url: server.base + p, dest: path.join(dir, path.basename(p)) });

  it("downloads with at most `concurrency` transfers at once, in task order, then from the cache", async () => {
    const tasks = Array.from({ length: 12 }, (_, i) => task(`/img/${i}.jpg`));
    const progress: number[] = [];
    const s = await downloadAll(tasks, { concurrency: 3, onProgress: (d, t) => progress.push(d * 100 + t) });
    assert.equal(maxInFlight, 3, "the limit was reached and never exceeded");
    assert.deepEqual([s.total, s.downloaded, s.fromCache, s.retries, s.failed.length], [12, 12, 0, 0, 0]);
    assert.deepEqual(
      s.files.map((f) => [path.basename(f.dest), f.bytes, f.sha256]),
      tasks.map((_, i) => [`${i}.jpg`, 3000 + i * 17, sha256(image(i))]),
    );
    assert.deepEqual(
      progress,
      Array.from({ length: 12 }, (_, i) => (i + 1) * 100 + 12),
    );
    for (let i = 0; i < 12; i++) assert.ok(fs.readFileSync(path.join(dir, `${i}.jpg`)).equals(image(i)), `${i}.jpg`);

    const again = await downloadAll(tasks, { concurrency: 3 });
    assert.deepEqual([again.downloaded, again.fromCache], [0, 12], "second run from the cache");
  });

  it("retries with backoff, and with onFailure 'skip' returns a summary of what failed", async () => {
    const waits: number[] = [];
    const tasks = [task("/img/0.jpg"), task("/flaky.jpg"), task("/missing.jpg"), task("/cut.jpg"), task("/down.jpg")];
    const s = await downloadAll(tasks, {
      concurrency: 2,
      retries: 2,
      baseDelayMs: 10,
      onFailure: "skip",
      sleep: async (ms) => void waits.push(ms),
    });
    assert.deepEqual([s.total, s.downloaded, s.fromCache], [5, 3, 0]);
    assert.deepEqual(
      s.files.map((f) => [path.basename(f.dest), f.attempts]),
      [
        ["0.jpg", 1],
        ["flaky.jpg", 3],
        ["cut.jpg", 2],
      ],
    );
    assert.deepEqual(
      s.failed.map((f) => ({ ...f, url: new URL(f.url).pathname, dest: path.basename(f.dest) })),
      [
        {
          url: "/missing.jpg",
          dest: "missing.jpg",
          reason: `download failed: HTTP 404 Not Found: ${server.base}/missing.jpg`,
          attempts: 1,
        },
        {
          url: "/down.jpg",
          dest: "down.jpg",
          reason: `download failed: HTTP 500 Internal Server Error: ${server.base}/down.jpg`,
          attempts: 3,
        },
      ],
    );
    assert.equal(s.retries, 2 + 1 + 2, "flaky 2, cut 1, down 2");
    assert.deepEqual(
      waits.sort((a, b) => a - b),
      [10, 10, 10, 20, 20],
      "exponential: 10 then 20 per file",
    );
    assert.deepEqual(fs.readdirSync(dir).sort(), ["0.jpg", "cut.jpg", "flaky.jpg"], "no partial or failed file");
    assert.ok(fs.readFileSync(path.join(dir, "cut.jpg")).equals(image(98)));
  });

  it("with onFailure 'fail' (the default) throws a DownloadFailuresError listing them, after finishing the rest", async () => {
    const tasks = [task("/missing.jpg"), task("/img/1.jpg"), task("/down.jpg")];
    await assert.rejects(downloadAll(tasks, { retries: 1, sleep: async () => {} }), (e: Error) => {
      assert.ok(e instanceof DownloadFailuresError, e.message);
      assert.match(
        e.message,
        /^downloads failed: 2 of 3 files .*missing\.jpg: download failed: HTTP 404 .*; .*down\.jpg: .*HTTP 500/,
      );
      assert.deepEqual(
        e.failures.map((f) => [path.basename(f.dest), f.attempts]),
        [
          ["missing.jpg", 1],
          ["down.jpg", 2],
        ],
      );
      return true;
    });
    assert.deepEqual(fs.readdirSync(dir), ["1.jpg"], "the good file is in place");
  });

  it("offline: files in place count as cached, the others fail with EOFFLINE without a request or a retry", async () => {
    fs.writeFileSync(path.join(dir, "0.jpg"), image(0));
    const before = server.log.length;
    const s = await downloadAll([task("/img/0.jpg"), task("/img/1.jpg")], { offline: true, onFailure: "skip" });
    assert.deepEqual([s.fromCache, s.downloaded, s.retries, server.log.length - before], [1, 0, 0, 0]);
    assert.deepEqual(
      s.failed.map((f) => [path.basename(f.dest), f.attempts, /^download skipped: offline/.test(f.reason)]),
      [["1.jpg", 1, true]],
    );
  });

  it("rejects bad tasks and options before any request", async () => {
    const before = server.log.length;
    await assert.rejects(downloadAll([task("/img/0.jpg"), task("/img/0.jpg")]), /task 1 has the same dest as task 0/);
    await assert.rejects(downloadAll([task("/img/0.jpg")], { concurrency: 0 }), /concurrency is invalid: 0/);
    await assert.rejects(downloadAll([{ url: 1 } as never]), TypeError);
    assert.equal(server.log.length, before);
    assert.deepEqual(await downloadAll([]), {
      total: 0,
      downloaded: 0,
      fromCache: 0,
      retries: 0,
      failed: [],
      files: [],
    });
  });
});

describe("backoffDelays / withRetries", () => {
  it("doubles from the base up to the cap; jitter is seeded and bounded", () => {
    assert.deepEqual(backoffDelays({ retries: 5, baseDelayMs: 100, maxDelayMs: 1000 }), [100, 200, 400, 800, 1000]);
    const a = backoffDelays({ retries: 4, baseDelayMs: 100, jitter: 0.25, seed: 7 });
    assert.deepEqual(
      a,
      backoffDelays({ retries: 4, baseDelayMs: 100, jitter: 0.25, seed: 7 }),
      "same seed, same waits",
    );
    assert.notDeepEqual(a, backoffDelays({ retries: 4, baseDelayMs: 100, jitter: 0.25, seed: 8 }), "another seed");
    a.forEach((ms, k) => assert.ok(ms >= 75 * 2 ** k && ms <= 125 * 2 ** k, `wait ${k}: ${ms}`));
  });

  it("stops at the first non-retryable error and reports the attempts", async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw new HttpError("HTTP 404", 404, "u");
        },
        { retries: 5, sleep: async () => {} },
      ),
      (e: Error & { attempts?: number }) => e.attempts === 1,
    );
    assert.equal(calls, 1);
  });
});

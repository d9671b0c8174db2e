import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { download, fileDigest, NetworkError, offlineForced } from "../../src/io/download";
import { CHURN_SHA256, CHURN_SIZE, loadChurn } from "../../src/tabular/load-churn";
import { readTable } from "../../src/tabular/read-table";
import { FormatError } from "../../src/util/errors";
import { CHURN, clearOfflineEnv } from "../helpers/data";
import { freePort } from "../helpers/net";

describe("loadChurn", () => {
  let cacheDir: string;
  let server: http.Server;
  let base: string;
  let requests = 0;
  clearOfflineEnv();

  before(async () => {
    // Serves the real file at /churn.txt and a wrong body at /wrong.txt.
    const real = fs.readFileSync(CHURN);
    server = http.createServer((req, res) => {
      requests++;
      const body = req.url === "/churn.txt" ? real : Buffer.from("State,Churn?\nPA,True.");
      res.writeHead(200, { "Content-Length": body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "load-churn-"));
  });
  afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it("ships the real file byte-exact in data/churn/churn.txt (CRLF, no trailing newline)", async () => {
    assert.deepEqual(await fileDigest(CHURN), { bytes: CHURN_SIZE, sha256: CHURN_SHA256 }, "size and sha256");
    const bytes = fs.readFileSync(CHURN);
    assert.equal(bytes.toString("latin1").split("\r\n").length, 5001, "header + 5,000 rows, CRLF");
    assert.equal(bytes.at(-1), ".".charCodeAt(0), "no trailing newline");
  });

  it("falls back to the embedded real file when the network is unreachable, writing nothing", async () => {
    const churn = await loadChurn({ cacheDir, url: `http://127.0.0.1:${await freePort()}/churn.txt` });
    const { reason, ...rest } = churn;
    assert.deepEqual(rest, { source: "embedded", path: CHURN, rows: 5000 }, "result");
    assert.match(reason ?? "", /ECONNREFUSED|refused/, `says why the download was not used: ${reason}`);
    assert.deepEqual(fs.readdirSync(cacheDir), [], "no temp or partial file left");
    // The workshop's numbers, not a stand-in's: 5,000 rows, 2,498 churners.
    const { df } = readTable(churn.path);
    assert.equal(df.height, 5000);
    assert.equal((df.getColumn("Churn?").toArray() as string[]).filter((v) => v === "True.").length, 2498);
  });

  it("uses the embedded file without any request when offline is set", async () => {
    const before = requests;
    const churn = await loadChurn({ cacheDir, url: `${base}/churn.txt`, offline: true });
    assert.deepEqual(churn, { source: "embedded", path: CHURN, rows: 5000 });
    assert.equal(requests, before, "no request");
  });

  it("uses the embedded file without any request when MLDP_OFFLINE=1, even with offline: false", async () => {
    process.env.MLDP_OFFLINE = "1";
    const before = requests;
    const churn = await loadChurn({ cacheDir, url: `${base}/churn.txt`, offline: false });
    assert.equal(churn.source, "embedded", "source");
    assert.equal(requests, before, "no request");
  });

  it("downloads and verifies the real file, then serves it from the cache, even offline", async () => {
    const before = requests;
    const progress: number[] = [];
    const first = await loadChurn({ cacheDir, url: `${base}/churn.txt`, onProgress: (done) => progress.push(done) });
    assert.deepEqual(
      first,
      { source: "download", path: path.join(cacheDir, "churn.txt"), rows: 5000 },
      "first call downloads",
    );
    assert.equal((await fileDigest(first.path)).sha256, CHURN_SHA256, "verified content");
    assert.deepEqual([progress[0], progress.at(-1)], [0, CHURN_SIZE], "progress from 0 to the full size");
    const second = await loadChurn({ cacheDir, url: `${base}/churn.txt`, offline: true });
    assert.equal(second.source, "cache", "second call uses the cache, even offline");
    process.env.MLDP_OFFLINE = "1";
    const third = await loadChurn({ cacheDir, url: `${base}/churn.txt` });
    assert.equal(third.source, "cache", "and with MLDP_OFFLINE=1");
    assert.equal(requests, before + 1, "one request in all");
  });

  it("falls back to the embedded file on a wrong download, saying why, and keeps nothing of it", async () => {
    const churn = await loadChurn({ cacheDir, url: `${base}/wrong.txt` });
    assert.equal(churn.source, "embedded", "the shipped copy, not the wrong bytes");
    assert.match(churn.reason ?? "", /wrong\.txt/, `the reason names the download: ${churn.reason}`);
    assert.deepEqual(fs.readdirSync(cacheDir), [], "cache folder empty");
  });

  it("refuses an altered or missing embedded copy offline, naming the file", async () => {
    const altered = path.join(cacheDir, "altered.txt");
    // What a checkout with CRLF -> LF conversion would give.
    fs.writeFileSync(altered, fs.readFileSync(CHURN, "latin1").replace(/\r\n/g, "\n"), "latin1");
    await assert.rejects(loadChurn({ cacheDir, offline: true, embeddedFile: altered }), (e: Error) => {
      assert.ok(e instanceof FormatError, e.name);
      assert.match(e.message, /^embedded churn file is missing or altered: .*altered\.txt \(expected 974286 bytes/);
      return true;
    });
    await assert.rejects(
      loadChurn({ cacheDir, offline: true, embeddedFile: path.join(cacheDir, "absent.txt") }),
      /embedded churn file is missing or altered: .*absent\.txt/,
    );
  });
});

describe("MLDP_OFFLINE", () => {
  clearOfflineEnv();

  it("reads 1/true/yes as offline and unset/0/false/no as online, and rejects anything else", () => {
    for (const v of ["1", "true", "TRUE", "yes", " 1 "]) assert.equal(offlineForced({ MLDP_OFFLINE: v }), true, v);
    for (const v of [undefined, "", "0", "false", "No"]) assert.equal(offlineForced({ MLDP_OFFLINE: v }), false, v);
    assert.throws(() => offlineForced({ MLDP_OFFLINE: "offline" }), {
      name: "RangeError",
      message: 'MLDP_OFFLINE is invalid: "offline" (expected 1 or 0)',
    });
  });

  it("makes download() refuse the network with a NetworkError (EOFFLINE) but still serve a verified file", async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.end("x");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x.txt`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "offline-"));
    try {
      process.env.MLDP_OFFLINE = "1";
      await assert.rejects(download(url, path.join(dir, "x.txt")), (e: Error) => {
        assert.ok(e instanceof NetworkError, e.name);
        assert.equal(e.code, "EOFFLINE");
        assert.equal(e.message, `download skipped: MLDP_OFFLINE=1 forbids network access: ${url}`);
        return true;
      });
      assert.deepEqual(fs.readdirSync(dir), [], "nothing written");
      fs.writeFileSync(path.join(dir, "x.txt"), "x");
      const cached = await download(url, path.join(dir, "x.txt"), { size: 1 });
      assert.equal(cached.fromCache, true, "a verified file needs no network");
      assert.equal(requests, 0, "no request");
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

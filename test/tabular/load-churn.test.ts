import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileDigest } from "../../src/io/download";
import { CHURN_SHA256, CHURN_SIZE, loadChurn } from "../../src/tabular/load-churn";
import { syntheticChurn } from "../../src/tabular/synthetic-churn";
import { FormatError } from "../../src/util/errors";

const CHURN = path.resolve(__dirname, "../../../../shared/datasets/churn/churn.txt");

/** A port on 127.0.0.1 with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("loadChurn", () => {
  let cacheDir: string;
  let server: http.Server;
  let base: string;
  let requests = 0;

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

  it("pins the real file's size and sha256", async () => {
    assert.deepEqual(
      await fileDigest(CHURN),
      { bytes: CHURN_SIZE, sha256: CHURN_SHA256 },
      "constants match shared/datasets/churn/churn.txt",
    );
  });

  it("falls back to the synthetic 5,000-row file quickly when the network is unreachable", async () => {
    const started = Date.now();
    const churn = await loadChurn({ cacheDir, url: `http://127.0.0.1:${await closedPort()}/churn.txt` });
    assert.ok(Date.now() - started < 5000, `quick (${Date.now() - started} ms)`);
    assert.deepEqual(
      churn,
      { source: "synthetic", path: path.join(cacheDir, "churn-synthetic.txt"), rows: 5000 },
      "result",
    );
    const text = fs.readFileSync(churn.path, "utf8");
    assert.equal(text, syntheticChurn(), "the default synthetic file");
    assert.equal(text.split("\n").length, 5001, "header + 5,000 rows");
    assert.deepEqual(fs.readdirSync(cacheDir), ["churn-synthetic.txt"], "no temp or partial file left");
  });

  it("uses the synthetic file without any request when offline is set", async () => {
    const before = requests;
    const churn = await loadChurn({ cacheDir, url: `${base}/churn.txt`, offline: true });
    assert.equal(churn.source, "synthetic", "source");
    assert.equal(requests, before, "no request");
  });

  it("downloads and verifies the real file, then serves it from the cache", async () => {
    const before = requests;
    const first = await loadChurn({ cacheDir, url: `${base}/churn.txt` });
    assert.deepEqual(
      first,
      { source: "download", path: path.join(cacheDir, "churn.txt"), rows: 5000 },
      "first call downloads",
    );
    assert.equal((await fileDigest(first.path)).sha256, CHURN_SHA256, "verified content");
    const second = await loadChurn({ cacheDir, url: `${base}/churn.txt`, offline: true });
    assert.equal(second.source, "cache", "second call uses the cache, even offline");
    assert.equal(requests, before + 1, "one request in all");
  });

  it("throws on a wrong file instead of falling back, and leaves no partial file", async () => {
    await assert.rejects(
      loadChurn({ cacheDir, url: `${base}/wrong.txt` }),
      FormatError,
      "size mismatch is a FormatError",
    );
    assert.deepEqual(fs.readdirSync(cacheDir), [], "cache folder empty");
  });
});

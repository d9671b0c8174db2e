import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CIFAR10_BINARY,
  CIFAR10_PYTHON,
  COCO_ANNOTATIONS_2017,
  cocoImageTasks,
  cocoImageUrl,
  defaultCacheDir,
  fetchAndExtract,
  fetchSource,
  type RemoteSource,
} from "../../src/io/sources";
import type { ImageSampleItem } from "../../src/image/select";
import { PROJECT_ROOT } from "../../src/util/paths";
import { FormatError } from "../../src/util/errors";
import { bytesOf, md5, serveFile, sha256, startServer, tarGz, type TestServer, allowNetwork } from "./io-fixtures";

describe("sources", () => {
  it("names the real sources with their published sizes and md5s", () => {
    assert.deepEqual(
      [COCO_ANNOTATIONS_2017, CIFAR10_PYTHON, CIFAR10_BINARY].map((s) => [s.url, s.size, s.md5, s.contents]),
      [
        [
          "http://images.cocodataset.org/annotations/annotations_trainval2017.zip",
          252_907_541,
          "f4bbac642086de4f52a3fdda2de5fa2c",
          "annotations",
        ],
        [
          "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
          170_498_071,
          "c58f30108f718f92721af3b95e74349a",
          "cifar-10-batches-py",
        ],
        [
          "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
          170_052_171,
          "c32a1d4ab5d03f1284b67883e8d87530",
          "cifar-10-batches-bin",
        ],
      ],
    );
    assert.equal(defaultCacheDir(), path.join(PROJECT_ROOT, "out", "cache"));
  });

  it("builds COCO image URLs like coco_url, and download tasks that cannot leave their folder", () => {
    assert.equal(cocoImageUrl("train2017", 391895), "http://images.cocodataset.org/train2017/000000391895.jpg");
    assert.throws(() => cocoImageUrl("train2017/..", 1), RangeError);
    const tasks = cocoImageTasks(
      [{ id: 391895, coco_url: cocoImageUrl("train2017", 391895), file_name: "000000391895.jpg" }],
      "/data/sample",
    );
    assert.deepEqual(tasks, [
      {
        url: "http://images.cocodataset.org/train2017/000000391895.jpg",
        dest: path.resolve("/data/sample/000000391895.jpg"),
      },
    ]);
    assert.throws(
      () => cocoImageTasks([{ id: 7, coco_url: "http://x/y.jpg", file_name: "../../etc/x.jpg" }], "/data"),
      (e: Error) => e instanceof FormatError && /COCO image 7/.test(e.message),
    );
  });

  it("makes the same tasks from a selected sample's items, skipping its CIFAR-10 records", () => {
    const items: ImageSampleItem[] = [
      {
        id: 391895,
        categoryId: 18,
        className: "dog",
        source: "coco",
        fileName: "000000391895.jpg",
        cocoUrl: cocoImageUrl("train2017", 391895),
        origin: "train2017",
        width: 640,
        height: 360,
      },
      {
        id: 391896,
        categoryId: 26,
        className: "frog",
        source: "cifar",
        fileName: "leptodactylid_s_000084.jpg",
        origin: "data_batch_1",
        cifarIndex: 19,
        width: 32,
        height: 32,
      },
      {
        id: 37777,
        categoryId: 16,
        className: "bird",
        source: "coco",
        fileName: "000000037777.jpg",
        cocoUrl: cocoImageUrl("val2017", 37777),
        origin: "val2017",
        width: 352,
        height: 230,
      },
    ];
    const records = [
      { id: 391895, coco_url: cocoImageUrl("train2017", 391895), file_name: "000000391895.jpg" },
      { id: 37777, coco_url: cocoImageUrl("val2017", 37777), file_name: "000000037777.jpg" },
    ];
    const tasks = cocoImageTasks(items, "/data/sample");
    assert.deepEqual(tasks, cocoImageTasks(records, "/data/sample"), "items and records give the same tasks");
    assert.deepEqual(
      tasks.map((t) => t.url),
      [
        "http://images.cocodataset.org/train2017/000000391895.jpg",
        "http://images.cocodataset.org/val2017/000000037777.jpg",
      ],
    );
    const { cocoUrl: _url, ...noUrl } = items[2];
    assert.throws(
      () => cocoImageTasks([items[0], noUrl], "/data"),
      (e: Error) =>
        e instanceof FormatError &&
        e.message.includes(
          'COCO image 37777 has no URL: missing (expected a coco_url or cocoUrl; item 1, file "000000037777.jpg")',
        ),
    );
    assert.throws(
      () => cocoImageTasks([{ id: 8, file_name: "x.jpg" }], "/data"),
      (e: Error) => e instanceof FormatError && /COCO image 8 has no URL/.test(e.message),
    );
  });

  describe("fetchSource / fetchAndExtract", () => {
    allowNetwork();
    let server: TestServer;
    let cacheDir: string;
    const archive = tarGz([
      { name: "mini-batches-bin/", type: "5" },
      { name: "mini-batches-bin/data_batch_1.bin", data: bytesOf(3073 * 2, "records") },
    ]);
    const mini: RemoteSource = {
      id: "mini",
      url: "http://unused.invalid/mini.tar.gz",
      fileName: "mini-binary.tar.gz",
      size: archive.length,
      md5: md5(archive),
      sha256: sha256(archive),
      contents: "mini-batches-bin",
      description: "a CIFAR-like test archive",
    };
    before(async () => {
      server = await startServer();
      server.route("/whole.tar.gz", (req, res) => serveFile(req, res, archive));
      server.route("/mini.tar.gz", (req, res, hit) =>
        serveFile(req, res, archive, { etag: '"m"', cutAfter: hit === 1 ? 500 : undefined }),
      );
    });
    after(() => server.close());
    beforeEach(() => (cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "sources-"))));
    afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

    it("downloads into the cache folder with retries (resuming), then extracts once", async () => {
      const got = await fetchAndExtract(mini, { cacheDir, url: `${server.base}/mini.tar.gz`, sleep: async () => {} });
      assert.deepEqual([got.archive.attempts, got.archive.resumedFrom, got.archive.md5], [2, 500, md5(archive)]);
      assert.equal(got.root, path.join(cacheDir, "mini-binary", "mini-batches-bin"));
      assert.ok(fs.readFileSync(path.join(got.root, "data_batch_1.bin")).equals(bytesOf(3073 * 2, "records")));
      assert.deepEqual(fs.readdirSync(cacheDir).sort(), ["mini-binary", "mini-binary.tar.gz"]);

      const again = await fetchAndExtract(mini, { cacheDir, url: `${server.base}/mini.tar.gz` });
      assert.deepEqual([again.archive.fromCache, again.folder.kept], [true, true], "cache and folder reused");
      assert.equal(server.hits("/mini.tar.gz").length, 2, "no request the second time");
    });

    it("refuses a download whose md5 is not the published one", async () => {
      const wrong = { ...mini, md5: "0".repeat(32), sha256: undefined };
      await assert.rejects(
        fetchSource(wrong, { cacheDir, url: `${server.base}/mini.tar.gz`, sleep: async () => {} }),
        /md5/,
      );
      assert.deepEqual(fs.readdirSync(cacheDir), [], "nothing cached");
    });
  });
});

/**
 * `npm start`'s JupyterLab (scripts/lab.js, on a free port) serves the project root: a file a notebook
 * writes under out/ is listed by the contents API and shown by the file browser, a path copied from
 * the file browser is the path `-p csv=...` takes, the browser opens on notebooks/, and the launcher
 * offers the notebooks of notebooks/ only.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { ChildProcess, spawn } from "node:child_process";
import { chromium, Browser } from "playwright-core";
import { projectPath } from "../../src/util/paths";
import { runNotebooks } from "../helpers/notebooks";
import { freePort } from "../helpers/net";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The folder this test writes, relative to the project root (= JupyterLab's root). */
const DIR = "out/e2e-root";
const WRITTEN = `${DIR}/written-by-notebook.csv`;

/** A one-cell notebook writing `file` (project-relative) through the package, as a workshop notebook does. */
function writerNotebook(file: string): object {
  const source = [
    "// write a small CSV under out/, as the workshop notebooks write their outputs",
    'import { projectPath, writeFileAtomic } from "ml-dataprep-ts";',
    `writeFileAtomic(projectPath(${JSON.stringify(file)}), "a,b\\n1,2\\n");`,
  ].join("\n");
  return {
    cells: [{ cell_type: "code", execution_count: null, id: "w1", metadata: {}, outputs: [], source }],
    metadata: {
      kernelspec: { name: "ml-dataprep-ts", display_name: "TypeScript (ML Data Prep)", language: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

describe("npm start (scripts/lab.js) serves the project root", function () {
  this.timeout(240_000);
  const token = randomBytes(16).toString("hex");
  let server: ChildProcess | undefined;
  let serverLog = "";
  let base = "";
  let browser: Browser | undefined;
  const api = (p: string, init?: RequestInit) => fetch(`${base}${p}${p.includes("?") ? "&" : "?"}token=${token}`, init);

  before(async () => {
    fs.rmSync(projectPath(DIR), { recursive: true, force: true });
    fs.mkdirSync(projectPath(DIR), { recursive: true });
    // A notebook inside the project (the kernel resolves "ml-dataprep-ts" from the project's node_modules).
    const notebook = projectPath(DIR, "writer.ipynb");
    fs.writeFileSync(notebook, JSON.stringify(writerNotebook(WRITTEN)));
    const ran = runNotebooks([notebook], projectPath(DIR, "executed"));
    assert.equal(ran.status, 0, ran.stderr);
    assert.ok(fs.existsSync(projectPath(WRITTEN)), "the notebook wrote its file");

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [projectPath("scripts", "lab.js"), "--port", String(port)], {
      cwd: projectPath(),
      env: { ...process.env, JUPYTER_TOKEN: token, CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (d) => (serverLog += d));
    server.stderr!.on("data", (d) => (serverLog += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await api("/api/status")).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`scripts/lab.js did not serve ${base} within 60 s:\n${serverLog.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
  });

  it("prints the URL it opens: the file browser on notebooks/", async () => {
    assert.match(serverLog, new RegExp(`JupyterLab: ${base}/lab/tree/notebooks\\?token=${token}`));
    const r = await api("/", { redirect: "manual" });
    assert.equal(r.status, 302, "the root redirects");
    assert.match(r.headers.get("location") ?? "", /\/lab\/tree\/notebooks(\?|$)/, "to the notebooks folder");
  });

  it("lists a file a notebook wrote under out/ in the contents API", async () => {
    const file = await api(`/api/contents/${WRITTEN}?content=0`);
    assert.equal(file.status, 200, `GET /api/contents/${WRITTEN}`);
    const model = (await file.json()) as { path: string; type: string; size: number };
    assert.deepEqual([model.path, model.type, model.size], [WRITTEN, "file", 8], "the CSV a notebook wrote");
    const dir = (await (await api(`/api/contents/${DIR}`)).json()) as { content: { name: string }[] };
    const names = dir.content.map((c) => c.name).sort();
    assert.deepEqual(names, ["executed", "writer.ipynb", "written-by-notebook.csv"], `listing of ${DIR}`);
    const executed = await api(`/api/contents/${DIR}/executed/writer.ipynb?content=0`);
    assert.equal(executed.status, 200, "the runner's executed copy is browsable too");
  });

  it("takes a path as JupyterLab gives it (relative to its root) as the notebooks' csv parameter", async () => {
    // "Copy Path" in the file browser copies the contents-API path; the notebooks read projectPath(csv).
    const copied = "test/fixtures/read-table/bool-label.csv";
    assert.equal((await api(`/api/contents/${copied}?content=0`)).status, 200, "JupyterLab has the file at that path");
    assert.ok(fs.existsSync(projectPath(copied)), "projectPath(csv) finds the same file");
    const notebooks = (await (await api("/api/contents/notebooks/tabular")).json()) as { content: { path: string }[] };
    assert.ok(
      notebooks.content.some((c) => c.path === "notebooks/tabular/1.1-churn-data-prep.ipynb"),
      "the workshop notebooks are under notebooks/",
    );
  });

  describe("in the browser (headless chromium)", function () {
    before(async function () {
      if (!fs.existsSync(CHROMIUM)) {
        throw new Error(
          `chromium not found at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH`,
        );
      }
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
      });
    });

    it("shows the notebook's file in the file browser under out/", async () => {
      const page = await browser!.newPage();
      await page.goto(`${base}/lab/tree/${DIR}?reset&token=${token}`);
      const item = page.locator(".jp-DirListing-item", { hasText: "written-by-notebook.csv" });
      await item.waitFor({ timeout: 60_000 });
      const crumbs = await page.locator(".jp-FileBrowser .jp-BreadCrumbs").innerText();
      assert.match(crumbs, /e2e-root/, `breadcrumbs show out/e2e-root: ${crumbs}`);
      await page.close();
    });

    it("opens on notebooks/ with the launcher offering the workshop notebooks only", async () => {
      const page = await browser!.newPage();
      await page.goto(`${base}/?token=${token}`);
      await page.waitForSelector(".jp-Launcher", { timeout: 60_000 });
      assert.match(new URL(page.url()).pathname, /\/lab\/tree\/notebooks$/, `opened ${page.url()}`);
      await page
        .locator(".jp-DirListing-item", { hasText: "tabular" })
        .waitFor({ timeout: 30_000 })
        .catch(() => assert.fail("the file browser lists notebooks/tabular"));
      const section = page.locator(".jp-Launcher-section", { hasText: "ML Data Prep Workshop" });
      await section.waitFor({ timeout: 30_000 });
      const cards = await section.locator(".jp-LauncherCard-label").allTextContents();
      const expected = fs
        .readdirSync(projectPath("notebooks"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ipynb") && !f.includes(".ipynb_checkpoints")).length;
      assert.equal(cards.length, expected, `one card per notebook under notebooks/: ${cards.join(", ")}`);
      assert.equal(cards[0], "00 environment check", "top-level notebook first");
      assert.ok(
        !cards.some((c) => /failing|params|writer/.test(c)),
        `no test fixtures or outputs: ${cards.join(", ")}`,
      );
      await page.close();
    });
  });
});

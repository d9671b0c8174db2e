/**
 * End to end in a real browser: JupyterLab from the project environment on 127.0.0.1 with a token,
 * headless Debian chromium driven by playwright-core. Opens 00_environment_check.ipynb, runs all
 * cells, waits for the plotly SVG and the HTML table, checks no cell shows an error, and saves a
 * screenshot to out/e2e/.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { ChildProcess, spawn } from "node:child_process";
import { chromium, Browser, Page } from "playwright-core";
import { projectPath } from "../../src/util/paths";
import { PLOTLY_MIME } from "../../src/util/plotly-bundle";
import { codeCells, readNotebook, runNotebooks } from "../helpers/notebooks";
import { freePort } from "../helpers/net";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const python = process.env.CONDA_PREFIX?.endsWith("ml-dataprep-ts")
  ? path.join(process.env.CONDA_PREFIX, "bin", "python")
  : projectPath(".venv", "bin", "python");

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`JupyterLab did not answer ${url} within ${timeoutMs} ms`);
}

// Run All before the session has its kernel makes JupyterLab ask which kernel to use; wait until
// the notebook's ml-dataprep-ts kernel is up and idle.
async function waitForIdleKernel(sessionsUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const sessions = (await (await fetch(sessionsUrl)).json()) as Array<{
      kernel?: { name: string; execution_state: string };
    }>;
    if (sessions.some((s) => s.kernel?.name === "ml-dataprep-ts" && s.kernel.execution_state === "idle")) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no idle ml-dataprep-ts kernel within ${timeoutMs} ms`);
}

describe("JupyterLab end to end (headless chromium)", function () {
  this.timeout(240_000);
  const root = projectPath("out", "e2e");
  const token = randomBytes(16).toString("hex");
  let server: ChildProcess | undefined;
  let serverLog = "";
  let browser: Browser | undefined;
  let page: Page;
  let base = "";

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `chromium not found at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH`,
      );
    }
    // A copy inside the project, so JupyterLab's autosave never touches notebooks/ and the
    // kernel still resolves "ml-dataprep-ts" from the project's node_modules.
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    fs.copyFileSync(
      projectPath("notebooks", "00_environment_check.ipynb"),
      path.join(root, "00_environment_check.ipynb"),
    );
    // The same notebook executed headless: its outputs are untrusted when JupyterLab opens it.
    const executed = runNotebooks(
      [projectPath("notebooks", "00_environment_check.ipynb")],
      path.join(root, "executed"),
    );
    assert.equal(executed.status, 0, executed.stderr);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const args = [
      "-m",
      "jupyter",
      "lab",
      "--no-browser",
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--ServerApp.root_dir=${root}`,
      `--IdentityProvider.token=${token}`,
    ];
    if (process.getuid?.() === 0) args.push("--allow-root");
    server = spawn(python, args, { stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (serverLog += d));
    server.stderr!.on("data", (d) => (serverLog += d));
    await waitForServer(`${base}/api/status?token=${token}`, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 2600 } });
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
  });

  it("runs 00_environment_check and renders the table and the plotly chart with no error", async () => {
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.goto(`${base}/lab/tree/00_environment_check.ipynb?reset&token=${token}`);
    await page.waitForSelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", { timeout: 60_000 });
    await waitForIdleKernel(`${base}/api/sessions?token=${token}`, 90_000);
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    const panel = ".jp-NotebookPanel:not(.lm-mod-hidden)";
    await page.waitForSelector(`${panel} .js-plotly-plot .main-svg`, { timeout: 90_000 });
    await page.waitForSelector(`${panel} .jp-OutputArea-output table.dataframe`, { timeout: 30_000 });
    await page.waitForSelector(`${panel} .jp-OutputArea-output table.mldp-record`, { timeout: 30_000 });
    // JupyterLab's "get notified about news?" toast would cover the screenshot.
    await page
      .locator('.jp-toast-button:text-is("No")')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    const errors = await page
      .locator(`${panel} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]`)
      .count();
    assert.equal(errors, 0, "no cell shows stderr/error output");
    const headers = await page.locator(`${panel} table.dataframe thead th`).allTextContents();
    assert.deepEqual(headers.slice(0, 4), ["", "plan", "minutes", "churned"]);
    const bars = await page.locator(`${panel} .js-plotly-plot .bars .point`).count();
    assert.equal(bars, 4, "the bar chart drew 4 bars");
    const shot = path.join(root, "00_environment_check.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(fs.statSync(shot).size > 10_000, "screenshot written");
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });

  it("writes a PNG of the chart back into the notebook when it is saved", async () => {
    await page.keyboard.press("Control+s");
    const file = path.join(root, "00_environment_check.ipynb");
    const deadline = Date.now() + 30_000;
    let bundle: Record<string, unknown> | undefined;
    while (Date.now() < deadline) {
      const outputs = codeCells(readNotebook(file)).flatMap((c) => c.outputs ?? []);
      bundle = outputs.find((o) => o.data && PLOTLY_MIME in o.data)?.data;
      if (bundle && "image/png" in bundle) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(
      bundle && "image/png" in bundle,
      `saved plotly output has image/png (keys: ${Object.keys(bundle ?? {}).join(", ")})`,
    );
    assert.ok(!("text/html" in bundle), "the HTML placeholder is dropped so static viewers pick the PNG");
    assert.equal(typeof bundle[PLOTLY_MIME], "object");
  });

  it("renders the chart of a headless-executed (untrusted) notebook without running it", async () => {
    await page.goto(`${base}/lab/tree/executed/00_environment_check.ipynb?reset&token=${token}`);
    const panel = ".jp-NotebookPanel:not(.lm-mod-hidden)";
    await page.waitForSelector(`${panel} .js-plotly-plot .main-svg`, { timeout: 60_000 });
    assert.equal(
      await page.locator(`${panel} .jp-OutputArea-output.jp-mod-trusted`).count(),
      0,
      "outputs are untrusted",
    );
    assert.equal(await page.locator(`${panel} .js-plotly-plot .bars .point`).count(), 4);
  });

  it("draws the chart in the runner's standalone HTML export, offline", async () => {
    const exported = path.join(root, "executed", "00_environment_check.html");
    const html = fs.readFileSync(exported, "utf8");
    assert.equal(html.split("Plotly.newPlot(el").length - 1, 1, "one drawing script for the page");
    await page.goto(`file://${exported}`);
    await page.waitForSelector("div.mldp-plotly .main-svg", { timeout: 30_000 });
    assert.equal(await page.locator("div.mldp-plotly .bars .point").count(), 4);
  });

  it("offers the workshop notebooks in the launcher", async () => {
    await page.goto(`${base}/lab?reset&token=${token}`);
    await page.waitForSelector(".jp-Launcher", { timeout: 60_000 });
    const section = page.locator(".jp-Launcher-section", { hasText: "ML Data Prep Workshop" });
    await section.waitFor({ timeout: 30_000 });
    const cards = await section.locator(".jp-LauncherCard-label").allTextContents();
    assert.ok(cards.length >= 1, `launcher cards: ${cards.join(", ")}\n${serverLog.slice(-2000)}`);
  });
});

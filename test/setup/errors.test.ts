import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { projectPath } from "../../src/util/paths";

const ENV_JS = projectPath("scripts", "lib", "env.js");

function node(code: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ["-e", code], { encoding: "utf8", env });
}

describe("setup errors", () => {
  it("rejects Node older than 20.15 in one line", () => {
    const r = node(
      `Object.defineProperty(process.versions, "node", { value: "18.19.0" }); require(${JSON.stringify(ENV_JS)}).checkNode();`,
    );
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      "ml-dataprep-ts: Node 18.19.0 is too old (expected >= 20.15); install Node 20 or 22 LTS and re-run.\n",
    );
  });

  it("rejects a Python older than 3.10 in one line, naming what it found", () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-oldpy-"));
    fs.writeFileSync(path.join(bin, "python3"), "#!/bin/sh\necho 3.8.10\n", { mode: 0o755 });
    const r = node(`require(${JSON.stringify(ENV_JS)}).findBasePython();`, { PATH: bin });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      "ml-dataprep-ts: Python 3.10+ is required (python3 is 3.8.10); install it, or set PYTHON=/path/to/python3.\n",
    );
    const none = node(`require(${JSON.stringify(ENV_JS)}).findBasePython();`, {
      PATH: fs.mkdtempSync(path.join(os.tmpdir(), "mldp-nopy-")),
    });
    assert.match(none.stderr, /^ml-dataprep-ts: Python 3\.10\+ is required \(no python3 or python on PATH\)/);
  });

  it("stops npm start with one line when the port is taken", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as net.AddressInfo;
    try {
      const r = spawnSync(process.execPath, [projectPath("scripts", "lab.js")], {
        encoding: "utf8",
        env: { ...process.env, PORT: String(port) },
      });
      assert.equal(r.status, 1);
      assert.equal(
        r.stderr,
        `ml-dataprep-ts: port ${port} on 127.0.0.1 is in use; stop the other server or choose another port: PORT=${port + 1} npm start\n`,
      );
    } finally {
      server.close();
    }
  });
});

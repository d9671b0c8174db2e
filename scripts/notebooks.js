#!/usr/bin/env node
"use strict";
// `npm run notebooks [-- PATH...] [-p NAME=VALUE ...]`: runs python/run_notebooks.py with the
// project's Python environment (see that file for the behaviour).
const path = require("node:path");
const env = require("./lib/env");

const pyenv = env.pythonEnv();
const r = env.run(pyenv.python, [path.join(env.ROOT, "python", "run_notebooks.py"), ...process.argv.slice(2)], {
  cwd: process.cwd(),
});
process.exit(r.status === null ? 1 : r.status);

/**
 * The reference numbers the tests compare against, as made by the scripts in test/fixtures/reference/
 * (`make_<topic>.py` writes `<topic>.json`; `make_all.py` regenerates them all, see CONTRIBUTING's
 * Fixtures section). Each JSON names the script (`made_by`) and the package versions that made it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const REFERENCE_DIR = path.resolve(__dirname, "../../../test/fixtures/reference");

/** The parsed `<topic>.json` (untyped: tests index the numbers they need). */
export function reference(topic: string): any {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, `${topic}.json`), "utf8"));
}

/**
 * Where the tests' data lives, written once. The repository ships what every test needs (`data/`);
 * a test that needs a file only the workshop's `../shared/datasets/` folder has is declared with
 * {@link itWithShared} or {@link describeWithShared}: without that folder (a fresh clone) it is
 * registered as pending with a title naming the file, never failing and never counted as a pass.
 * Nothing here reads a file while mocha loads the specs; only existence is checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../src/util/paths";

/** The repository's data folder. */
export const DATA_DIR = path.join(PROJECT_ROOT, "data");
/** The workshop's churn.txt as shipped in the repository (5,000 rows, CRLF, sha256 182e4be2...). */
export const CHURN = path.join(DATA_DIR, "churn", "churn.txt");
/** The workshop's shared data folder beside the project, present on development machines only. */
export const SHARED_DATASETS = path.resolve(PROJECT_ROOT, "..", "shared", "datasets");

/** Absolute path of `<root>/<file>` (`file` relative to `../shared/datasets/`), or undefined when absent. */
export function sharedDataset(file: string, root: string = SHARED_DATASETS): string | undefined {
  const full = path.resolve(root, file);
  return fs.existsSync(full) ? full : undefined;
}

/** The title of a test whose shared file is absent, naming the file. */
export function pendingTitle(file: string, title: string): string {
  return `${title} (pending: needs ../shared/datasets/${file}, absent)`;
}

/**
 * A test that needs `../shared/datasets/<file>`: `fn` gets the absolute path when the file exists; otherwise
 * the test is pending, titled with the file's name.
 * @example itWithShared("cifar10/test_batch_first100.bin", "reads 100 records", (file) => { ... });
 */
export function itWithShared(
  file: string,
  title: string,
  fn: (file: string) => void | Promise<void>,
  root: string = SHARED_DATASETS,
): Mocha.Test {
  const full = sharedDataset(file, root);
  if (full === undefined) return it(pendingTitle(file, title));
  return it(title, () => fn(full));
}

/**
 * A group of tests that needs `../shared/datasets/<file>`: `fn` declares them with the absolute path when the
 * file exists; otherwise one pending test stands for the group, titled with the file's name (`fn` is not
 * called, so it may read the file while declaring).
 * @example describeWithShared("coco/instances_val2017_small.json", "COCO subset", (file) => { it(...); });
 */
export function describeWithShared(
  file: string,
  title: string,
  fn: (file: string) => void,
  root: string = SHARED_DATASETS,
): Mocha.Suite {
  const full = sharedDataset(file, root);
  if (full === undefined) return describe(title, () => void it(pendingTitle(file, title)));
  return describe(title, () => fn(full));
}

/**
 * For a describe whose tests exercise the network path (against a local server): unsets `MLDP_OFFLINE` before
 * each test, whatever the shell says, and restores it after the describe. A test may set it again itself.
 */
export function clearOfflineEnv(): void {
  const saved = process.env.MLDP_OFFLINE;
  beforeEach(() => delete process.env.MLDP_OFFLINE);
  after(() => {
    if (saved === undefined) delete process.env.MLDP_OFFLINE;
    else process.env.MLDP_OFFLINE = saved;
  });
}

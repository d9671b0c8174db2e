/** Jobs for test/util/helper-thread.test.ts, in a module of their own because the helper thread `require`s it. */
import { isMainThread } from "node:worker_threads";

/** The item doubled, and whether this ran on the main thread. */
export function _threadOf(item: number): [number, boolean] {
  return [item * 2, isMainThread];
}

/** Throws a RangeError with the message. */
export function _fail(message: string): never {
  throw new RangeError(message);
}

/** Ends the helper thread mid-job. */
export function _exit(code: number): never {
  process.exit(code);
}

/**
 * Retries with exponential backoff: attempt k (k >= 1) that failed with a retryable error is followed,
 * after `min(maxDelayMs, baseDelayMs * 2^(k-1))` ms scaled by a seeded jitter factor, by attempt k + 1.
 * The wait goes through an injectable `sleep`, so tests run without waiting.
 */
import { mulberry32 } from "../util/prng";
import { isRetryable } from "./download-errors";

/** Options for {@link withRetries} and {@link backoffDelays}. */
export interface RetryOptions {
  /** Further attempts after the first one fails with a retryable error. Default 0. */
  retries?: number;
  /** Wait before the first retry, ms; doubles for each further retry. Default 500. */
  baseDelayMs?: number;
  /** Longest wait between attempts, ms. Default 30000. */
  maxDelayMs?: number;
  /** Random spread of each wait, as a fraction: 0.25 waits between 0.75x and 1.25x. Default 0. */
  jitter?: number;
  /** Seed of the jitter's PRNG (mulberry32), so waits are reproducible. Default 0. */
  seed?: number;
  /** How to wait, e.g. a recorder in tests. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Which errors deserve another attempt. Default {@link isRetryable}. */
  retryIf?: (error: unknown) => boolean;
}

const DEFAULTS = { retries: 0, baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0, seed: 0 };

/** Wait `ms` milliseconds (the default `sleep`). */
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Check retry options and fill in the defaults. */
function normalize(options: RetryOptions): Required<RetryOptions> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RetryOptions;
  const o = { ...DEFAULTS, sleep: wait, retryIf: isRetryable, ...given };
  if (!(Number.isInteger(o.retries) && o.retries >= 0))
    throw new RangeError(`retries is invalid: ${o.retries} (expected an integer >= 0)`);
  if (!(o.baseDelayMs >= 0)) throw new RangeError(`baseDelayMs is invalid: ${o.baseDelayMs} (expected >= 0)`);
  if (!(o.maxDelayMs >= 0)) throw new RangeError(`maxDelayMs is invalid: ${o.maxDelayMs} (expected >= 0)`);
  if (!(o.jitter >= 0 && o.jitter <= 1)) throw new RangeError(`jitter is invalid: ${o.jitter} (expected 0 to 1)`);
  return o;
}

/**
 * The waits, in ms, before retries 1..`retries`.
 * @example backoffDelays({ retries: 3, baseDelayMs: 100 }) // [100, 200, 400]
 */
export function backoffDelays(options: RetryOptions = {}): number[] {
  const o = normalize(options);
  const rand = mulberry32(o.seed);
  return Array.from({ length: o.retries }, (_, k) => {
    const base = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** k);
    return Math.round(base * (1 + o.jitter * (2 * rand() - 1)));
  });
}

/**
 * Run `attempt(k)` (k = 1, 2, ...) until it resolves, a non-retryable error is thrown, or the retries are
 * used up; the last error is rethrown with an `attempts` property added.
 * @example const body = await withRetries((k) => fetchOnce(url), { retries: 3 });
 */
export async function withRetries<T>(attempt: (k: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const o = normalize(options);
  const delays = backoffDelays(o);
  for (let k = 1; ; k++) {
    try {
      return await attempt(k);
    } catch (e) {
      if (k > o.retries || !o.retryIf(e)) {
        if (e instanceof Error) Object.assign(e, { attempts: k });
        throw e;
      }
      await o.sleep(delays[k - 1]);
    }
  }
}

/**
 * How many attempts the error thrown by {@link withRetries} took (1 when it did not come from there).
 * @example catch (e) { failures.push({ url, attempts: attemptsOf(e) }); }
 */
export function attemptsOf(e: unknown): number {
  const n = (e as { attempts?: unknown } | null)?.attempts;
  return typeof n === "number" ? n : 1;
}

/**
 * Bounded concurrency: run an async job per index with at most `limit` in flight, the way the image
 * writers hash, encode and copy files (libvips works on its own threads while JS prepares the next).
 */

/**
 * Call `fn(i)` for every `i` in `0 .. count - 1`, at most `limit` at a time, each started in index
 * order as an earlier one finishes. After the first failure no further index is handed out; the
 * calls already in flight are awaited, then that first error is thrown (later ones are dropped).
 * @throws RangeError when `count` or `limit` is not a valid integer
 * @example await forEachLimit(files.length, 4, async (i) => { hashes[i] = await imageHashes(files[i]); });
 */
export async function forEachLimit(count: number, limit: number, fn: (index: number) => Promise<void>): Promise<void> {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`forEachLimit count is invalid: ${count} (expected an integer >= 0)`);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`forEachLimit limit is invalid: ${limit} (expected an integer >= 1)`);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && failure === undefined) {
      const i = next++;
      try {
        await fn(i);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  if (failure !== undefined) throw failure.error;
}

/**
 * One switch for every loader: `MLDP_OFFLINE=1` forces the offline path (the notebook tests set it, so what a
 * test exercises does not depend on the machine's network). Every download goes through
 * {@link downloadResumable}, which asks {@link offlineForced} before any request.
 */

/** The environment variable that forces every loader onto its offline path. */
export const OFFLINE_ENV = "MLDP_OFFLINE";

/**
 * Whether the environment forces the offline path: `MLDP_OFFLINE=1` (or `true`/`yes`, any case). Unset, empty,
 * `0`, `false` or `no` allow the network; anything else is an error rather than a silent guess. Every loader
 * asks this one function, and {@link download} itself refuses the network when it is true.
 * @example if (offlineForced()) return embeddedCopy();
 */
export function offlineForced(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env[OFFLINE_ENV] ?? "").trim().toLowerCase();
  if (value === "" || value === "0" || value === "false" || value === "no") return false;
  if (value === "1" || value === "true" || value === "yes") return true;
  throw new RangeError(`${OFFLINE_ENV} is invalid: ${JSON.stringify(env[OFFLINE_ENV])} (expected 1 or 0)`);
}

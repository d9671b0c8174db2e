/**
 * A display that is replaced in place (Jupyter's update_display_data), for charts that grow while a
 * cell runs: the training notebook's train/validation curves, redrawn after every epoch.
 */
import { publish } from "./kernel";
import { toBundle } from "./show";

let counter = 0;

/** A display shown once and then updated in place. */
export interface LiveDisplay {
  /** Replace what is shown with `value` (anything `show` takes). */
  update(value: unknown): void;
}

/**
 * Show `value` now and return a handle that replaces it in place. Outside a kernel the first value is
 * printed as text and updates print nothing.
 * @example const live = liveDisplay(trainingCurvesFigure([])); live.update(trainingCurvesFigure(history))
 */
export function liveDisplay(value: unknown): LiveDisplay {
  const displayId = `mldp-live-${process.pid}-${counter++}`;
  publish(toBundle(value), { displayId });
  return { update: (next) => publish(toBundle(next), { displayId, update: true }) };
}

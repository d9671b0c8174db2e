/**
 * Charts of a structured image dataset as plotly figures (plain `{data, layout}` objects; the display
 * layer shows them): images per class and split, and image sizes.
 */
import type { PlotlyFigure } from "../util/plotly-bundle";
import type { ManifestEntry } from "./manifest";
import { IMAGE_SPLITS } from "./split-images";
import type { SplitCounts } from "./structure";

// countSplits moved beside the split code (structure.ts); kept importable from here.
export { countSplits } from "./structure";

const SPLIT_COLORS = { train: "#4c72b0", val: "#dd8452", test: "#55a868" } as const;

/**
 * Grouped bars: images per class (x, in label order) for each split.
 * @example show(splitCountsFigure(ds.counts))
 */
export function splitCountsFigure(
  counts: ReadonlyMap<string, SplitCounts>,
  options: { title?: string } = {},
): PlotlyFigure {
  const classes = [...counts.keys()];
  return {
    data: IMAGE_SPLITS.map((s) => ({
      type: "bar",
      name: s,
      x: classes,
      y: classes.map((c) => (counts.get(c) as SplitCounts)[s]),
      marker: { color: SPLIT_COLORS[s] },
    })),
    layout: {
      title: { text: options.title ?? "Images per class and split" },
      barmode: "group",
      xaxis: { type: "category", title: { text: "class" } },
      yaxis: { title: { text: "images" } },
    },
  };
}

/**
 * Width against height of every image, one trace per source (`coco`, `cifar`, ...); repeated sizes are
 * drawn once, with their count in the hover text and the marker size.
 * @example show(imageSizesFigure(ds.entries))
 */
export function imageSizesFigure(entries: readonly ManifestEntry[], options: { title?: string } = {}): PlotlyFigure {
  const bySource = new Map<string, Map<string, { w: number; h: number; n: number }>>();
  for (const e of entries) {
    const sizes = bySource.get(e.source) ?? new Map();
    bySource.set(e.source, sizes);
    const key = `${e.width}x${e.height}`;
    const s = sizes.get(key) ?? { w: e.width, h: e.height, n: 0 };
    s.n++;
    sizes.set(key, s);
  }
  return {
    data: [...bySource].map(([source, sizes]) => {
      const points = [...sizes.values()];
      return {
        type: "scatter",
        mode: "markers",
        name: source,
        x: points.map((p) => p.w),
        y: points.map((p) => p.h),
        text: points.map((p) => `${p.w}×${p.h}: ${p.n} image${p.n === 1 ? "" : "s"}`),
        hoverinfo: "text",
        marker: { size: points.map((p) => Math.min(40, 6 + 2 * Math.sqrt(p.n))), opacity: 0.7 },
      };
    }),
    layout: {
      title: { text: options.title ?? "Image sizes (width × height, pixels)" },
      xaxis: { title: { text: "width" }, rangemode: "tozero" },
      yaxis: { title: { text: "height" }, rangemode: "tozero" },
    },
  };
}

// The display layer's public names (re-exported by src/index.ts). Kernel plumbing stays out:
// the tslab hook and shorthand expansion (kernel/launch.js loads them by path), publish and the
// display-channel probe, bundle builders and the progress renderer.

// showing values: anything with Symbol.for("Jupyter.display"), plotly figures, frames, images
export { show } from "./show";
export { inKernel } from "./kernel";
export { html, JUPYTER_DISPLAY, type Displayable, type MediaBundle } from "../util/media-bundle";
export { PLOTLY_MIME, type PlotlyFigure } from "../util/plotly-bundle";
export { frameHtml, type FrameDisplayOptions } from "./frame";
export { image, imageGrid, type GridItem, type ImageGridOptions, type ImageInput, type RawImage } from "./image";

// progress bars
export { progress, progressBar, progressCallback, type ProgressBar, type ProgressOptions } from "./progress";

// a display replaced in place (live charts)
export { liveDisplay, type LiveDisplay } from "./live";

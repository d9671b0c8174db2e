// ml-dataprep-ts: one import for every notebook, `import { ... } from "ml-dataprep-ts"`.
// One line per module, grouped by layer and workshop track.

// shared: util
export * from "./util/paths";
export * from "./util/versions";
export * from "./util/errors";

// shared: display (the only layer that talks to the kernel)
export * from "./display/index";

// shared: io
export * from "./io/atomic";

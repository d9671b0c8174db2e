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
export * from "./io/download";

// tabular
export * from "./tabular/load-churn";
export * from "./tabular/synthetic-churn";
export * from "./tabular/read-table";
export * from "./tabular/random";
export * from "./tabular/clean";
export * from "./tabular/split";
export * from "./tabular/compare-splits";
export * from "./tabular/preparation";
export * from "./tabular/write-splits";
export * from "./tabular/alerts";
export * from "./tabular/correlations";
export * from "./tabular/profile";
export * from "./tabular/profile-report";
export * from "./tabular/prep-results";
export * from "./tabular/strongest-correlations";

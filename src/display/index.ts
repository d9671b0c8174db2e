export * from "../util/media-bundle";
export * from "./kernel";
export * from "./frame";
export * from "../util/plotly-bundle";
export * from "./image";
export * from "./progress";
export * from "./show";
export * from "./shorthand";

export * from "./bundle";
export * from "./kernel";
export * from "./frame";
export * from "./plotly";
export * from "./image";
export * from "./progress";
export * from "./show";
export * from "./shorthand";

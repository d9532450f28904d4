/** Modelled latency: population, physics, uniqueness checks, the per-domain model and its table. */
export * from "./physics";
export * from "./population";
export * from "./uniques";
export * from "./model";
export * from "./render";

/** Failure drills and the failover budget: pure simulations over the plan (see README "Failure drills"). */
export * from "./scenarios";
export * from "./quorum";
export * from "./serving";
export * from "./drills";
export * from "./failover";
export * from "./latency";
export * from "./render";

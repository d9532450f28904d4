/**
 * Modelled latency during a drill: the latency model (components/latency) run with the drill's
 * regions down, so each domain's P50/P95 in a failure sits next to its normal figures. A zone
 * down changes no region's routing or leaseholder region, so it models as the normal state.
 */
import type { DatabaseModel } from "../cockroach/model";
import type { StackConfig } from "../config";
import { latencyModel, type Percentiles } from "../latency/model";
import type { Topology } from "../topology";
import type { RoutingPlan } from "../traffic/model";
import type { Scenario } from "./scenarios";

/** One domain's modelled round trips (ms) with the scenario's regions down; null percentiles: not served. */
export interface DrillLatency {
    readonly domain: string;
    readonly reads: Percentiles;
    readonly homedWrites: Percentiles;
}

export function drillLatency(
    config: StackConfig,
    topology: Topology,
    routing: RoutingPlan,
    database: DatabaseModel,
    scenario: Pick<Scenario, "regions">,
): DrillLatency[] {
    const plan = latencyModel(config, topology, routing, database, new Set(scenario.regions));
    return plan.domains.map((d) => ({ domain: d.domain, reads: d.reads, homedWrites: d.homedWrites }));
}

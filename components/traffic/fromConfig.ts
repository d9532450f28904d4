/** The traffic layer's view of a validated stack config. */
import type { StackConfig } from "../config";
import { findRegion } from "../regions-lookup";
import { monitorSettings } from "./checks";
import { resolveRouting, type RoutingInput, type RoutingPlan } from "./model";

/** The routing input of a validated stack config: one pool per region in config order. */
export function routingInputFromConfig(
    config: StackConfig,
    options: Pick<RoutingInput, "failoverAcrossPools" | "pinFailoverAcrossPools"> = {},
): RoutingInput {
    return {
        steeringPolicy: config.cloudflare.steeringPolicy,
        plan: config.cloudflare.plan,
        pools: config.regions.map((r) => {
            const entry = findRegion(r.cloud, r.region);
            if (!entry) throw new Error(`${r.cloud} region ${r.region} is not in the catalog (validate config first)`);
            return {
                name: r.crdbRegion,
                domain: r.domain,
                cloudflareRegion: entry.cloudflareRegion,
                latitude: entry.latitude,
                longitude: entry.longitude,
            };
        }),
        domains: config.domains,
        monitor: monitorSettings(config.cloudflare.plan, config.cloudflare.monitor, config.cloudflare.failover),
        ...options,
    };
}

/** The plan JSON's `routing` section for a validated stack config. */
export function routingFromConfig(config: StackConfig): RoutingPlan {
    return resolveRouting(routingInputFromConfig(config));
}

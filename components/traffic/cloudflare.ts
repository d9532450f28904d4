/**
 * Cloudflare shaping of the routing plan: the health-check regions of every pool, the load
 * balancer's `rules[]` for the pins and its `regionPools` under geo steering.
 */
import { CLOUDFLARE_REGIONS, type CloudflareRegion } from "../catalog-types";
import type { RoutingPlan } from "./model";

/**
 * Health-check regions of every pool: all 13 Cloudflare regions, each probing from three data
 * centres. Dynamic steering needs RTT data from every region ("Health Monitor Region must be set to
 * All Regions"); the 13 codes are listed instead of `ALL_REGIONS`, which the API reserves for
 * Enterprise, and give the same 39 probes. A majority of regions decides an origin's health, so one
 * region's network trouble does not take a pool out everywhere.
 */
export const HEALTH_CHECK_REGIONS: readonly CloudflareRegion[] = CLOUDFLARE_REGIONS;

/** One load-balancing rule input (the v6 `rules[]` shape) with pool references of type `Id`. */
export interface PinRule<Id> {
    readonly name: string;
    readonly condition: string;
    readonly priority: number;
    readonly terminates: boolean;
    readonly overrides: {
        readonly defaultPools: Id[];
        readonly fallbackPool: Id;
        readonly adaptiveRouting: { readonly failoverAcrossPools: boolean };
    };
}

/**
 * The load balancer's `rules[]`: one per pin, empty under geo steering (pins live in `regionPools`).
 * `failoverAcrossPools` is off inside pins by default: Cloudflare documents that it retries "in
 * alternate pools according to the failover order defined by traffic and endpoint steering" but not
 * whether that order is the rule's overridden pools; with it off a failed request is retried only
 * inside its pool, and the monitor moves the domain's traffic to its next pool after detection.
 */
export function pinRules<Id = string>(routing: RoutingPlan, idOf: (pool: string) => Id = (p) => p as unknown as Id): PinRule<Id>[] {
    if (routing.steeringPolicy === "geo") return [];
    return routing.pins.map((pin, i) => ({
        name: `pin-${pin.domain}`,
        condition: pin.condition,
        priority: i + 1,
        terminates: true,
        overrides: {
            defaultPools: pin.pools.map(idOf),
            fallbackPool: idOf(pin.fallback),
            adaptiveRouting: { failoverAcrossPools: routing.failoverAcrossPools.pins },
        },
    }));
}

/** The load balancer's `regionPools` input (geo only), with pool references of type `Id`. */
export function regionPoolsInput<Id>(routing: RoutingPlan, idOf: (pool: string) => Id): Record<string, Id[]> | undefined {
    if (!routing.regionPools) return undefined;
    return Object.fromEntries(Object.entries(routing.regionPools).map(([r, pools]) => [r, pools.map(idOf)]));
}

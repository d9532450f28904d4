/**
 * Which pools serve a residency domain's users while some regions are down, from the routing plan
 * (components/traffic/model.ts). Cloudflare tries a Cloudflare region's pools in order, skipping
 * unhealthy ones; when none is healthy it sends the request to the fallback pool "regardless of
 * its health" (the routing model's rule), so a pinned domain whose fallback is its own pool fails
 * closed: its users get errors, never another domain's app tier. Pure.
 */
import type { CloudflareRegion } from "../catalog-types";
import { domainCountries } from "../config";
import type { RoutingPlan } from "../traffic/model";
import { countryRegions, type PinDomain } from "../traffic/regions";

/** The domain's users arriving in one Cloudflare region. */
export interface Arrival {
    readonly cloudflareRegion: CloudflareRegion;
    /** The domain's countries whose requests arrive there (sorted). */
    readonly countries: readonly string[];
    /** The pool that serves them: the first healthy one, else the fallback (health ignored). */
    readonly pool: string;
    /** False when `pool` is down: the users get errors. */
    readonly healthy: boolean;
    /** Whether `pool` is one of the domain's regions. */
    readonly inDomain: boolean;
}

export interface DomainServing {
    readonly domain: string;
    readonly pinned: boolean;
    readonly arrivals: readonly Arrival[];
    /** Every arrival reaches a healthy pool. */
    readonly served: boolean;
    /** Every arrival is handled by one of the domain's pools (healthy or not). */
    readonly inDomain: boolean;
    /** Pinned and some arrival gets its own down fallback pool: errors, by design. */
    readonly failClosed: boolean;
    /** Healthy pools serving the domain's users, sorted. */
    readonly pools: readonly string[];
}

/** The fallback pool of a Cloudflare region: its pin's, else the load balancer's. */
function fallbackOf(routing: RoutingPlan, region: CloudflareRegion): string {
    return routing.pins.find((p) => p.regions.includes(region))?.fallback ?? routing.fallback;
}

/**
 * Pools a Cloudflare region's requests go to while `down` pools are unhealthy: the order tried
 * (`byCloudflareRegion`, which already ends with the fallback) without the down pools, or the
 * fallback alone when nothing else is left. Equals `routing.singlePoolDown` for one pool down.
 */
export function poolsWhileDown(routing: RoutingPlan, region: CloudflareRegion, down: ReadonlySet<string>): string[] {
    const healthy = routing.byCloudflareRegion[region].filter((p) => !down.has(p));
    return healthy.length > 0 ? healthy : [fallbackOf(routing, region)];
}

/** How a domain's users are served while the `down` pools are unhealthy. */
export function domainServing(
    routing: RoutingPlan,
    domain: PinDomain,
    regionsOfDomain: ReadonlySet<string>,
    down: ReadonlySet<string>,
): DomainServing {
    const byRegion = new Map<CloudflareRegion, string[]>();
    for (const c of domainCountries(domain)) for (const r of countryRegions(c)) byRegion.set(r, [...(byRegion.get(r) ?? []), c]);
    const arrivals: Arrival[] = [...byRegion]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cloudflareRegion, countries]) => {
            const pool = poolsWhileDown(routing, cloudflareRegion, down)[0] ?? fallbackOf(routing, cloudflareRegion);
            return { cloudflareRegion, countries: countries.sort(), pool, healthy: !down.has(pool), inDomain: regionsOfDomain.has(pool) };
        });
    const pinned = domain.pinRouting;
    return {
        domain: domain.name,
        pinned,
        arrivals,
        served: arrivals.every((a) => a.healthy),
        inDomain: arrivals.every((a) => a.inDomain),
        failClosed: pinned && arrivals.some((a) => !a.healthy && a.inDomain),
        pools: [...new Set(arrivals.filter((a) => a.healthy).map((a) => a.pool))].sort(),
    };
}

/**
 * Pure steering model of the Cloudflare traffic layer: the failover detection time, which pools
 * serve each Cloudflare region (and each country) normally and with any single pool down, and the
 * residency pins. `GlobalLoadBalancer` wires exactly these decisions into resources (through
 * cloudflare.ts); the offline plan prints them as its `routing` section.
 *
 * How Cloudflare chooses a pool (developers.cloudflare.com/load-balancing/...):
 * - `dynamic_latency` sorts the load balancer's **default pools** (never region or country pools) by
 *   the round-trip time its health monitors measured from each Cloudflare region; it needs
 *   health-check data from every region. Here the RTT is **estimated** by the great-circle distance
 *   from a representative city of the region to the pool (about 10 ms round trip per 1,000 km in
 *   fibre); at runtime Cloudflare's measured RTT replaces the estimate.
 * - `proximity` picks the default pool nearest to the Cloudflare data centre by the pools'
 *   latitude/longitude; modelled with the same representative city per region.
 * - `geo` uses `regionPools[region]` in order (then the fallback pool), `countryPools` first when set.
 *   Cloudflare documents custom load-balancing rules as incompatible with geo steering, so pins are
 *   written into `regionPools` instead of rules (see `resolveRouting`).
 * - `off` uses the default pools in their order (active-passive).
 * - When every candidate pool is unhealthy, Cloudflare sends the request to the fallback pool and
 *   ignores that pool's health. A pin whose fallback pool is inside its domain therefore fails
 *   closed: with all of the domain's pools down its requests get the origin's errors, never another
 *   domain's app tier.
 */
import { CLOUDFLARE_REGIONS, type CloudflareRegion } from "../catalog-types";
import { at, entry } from "../collections";
import { ConfigError, domainCountries, keyOf, type ConfigIssue } from "../config";
import { COUNTRIES, COUNTRY_BY_CODE } from "../countries";
import { greatCircleKm } from "../topology";
import { routingIssues } from "./checks";
import type { CloudflarePlan, MonitorSettings, SteeringPolicy } from "./constants";
import { countryRegions, isRegion, pinCondition, pinRegionsOf, type PinDomain } from "./regions";

/**
 * The point each Cloudflare region's requests are measured from in this model: a large Cloudflare
 * data-centre city of the region. An estimate: real requests enter at the data centre nearest the
 * visitor, and dynamic steering ranks pools by measured RTT, not distance.
 */
export const REGION_POINTS: Readonly<
    Record<CloudflareRegion, { readonly city: string; readonly latitude: number; readonly longitude: number }>
> = {
    WNAM: { city: "Los Angeles", latitude: 34.05, longitude: -118.24 },
    ENAM: { city: "New York", latitude: 40.71, longitude: -74.01 },
    WEU: { city: "Frankfurt", latitude: 50.11, longitude: 8.68 },
    EEU: { city: "Warsaw", latitude: 52.23, longitude: 21.01 },
    NSAM: { city: "Bogotá", latitude: 4.71, longitude: -74.07 },
    SSAM: { city: "São Paulo", latitude: -23.55, longitude: -46.63 },
    OC: { city: "Sydney", latitude: -33.87, longitude: 151.21 },
    ME: { city: "Dubai", latitude: 25.2, longitude: 55.27 },
    NAF: { city: "Cairo", latitude: 30.04, longitude: 31.24 },
    SAF: { city: "Johannesburg", latitude: -26.2, longitude: 28.05 },
    SAS: { city: "Mumbai", latitude: 19.08, longitude: 72.88 },
    SEAS: { city: "Singapore", latitude: 1.35, longitude: 103.82 },
    NEAS: { city: "Tokyo", latitude: 35.68, longitude: 139.69 },
};

/**
 * Worst-case seconds between an origin going down and Cloudflare marking it unhealthy: the last
 * passing check can come just before the failure, then `consecutiveDown` intervals must fail, and
 * the last of them waits `timeout` for each of its `retries + 1` attempts (a black-holed origin:
 * every attempt times out; a refused connection or a wrong status fails sooner).
 * Sources: "Retries are attempted immediately" after a timeout, and an origin is unhealthy after
 * failing "N consecutive times" (@pulumi/cloudflare 6.22 loadBalancerMonitor.d.ts `retries`,
 * `consecutiveDown`, from Cloudflare's API schema); the interval is "the interval between each
 * health check" (same file). Cloudflare does not say whether the interval runs from the start or
 * the end of a check; this formula reads it as the start. Read as the end, each earlier failing
 * round adds its own `timeout x (retries + 1)`; with `consecutiveDown: 1` (the `fast` preset) both
 * readings give the same figure. How long the verdict takes to reach every Cloudflare data centre
 * is not documented and not included.
 */
export function failoverDetectionSeconds(m: Pick<MonitorSettings, "interval" | "timeout" | "retries" | "consecutiveDown">): number {
    return m.interval * Math.max(m.consecutiveDown, 1) + m.timeout * (m.retries + 1);
}

/** One pool: one region's origin. */
export interface PoolSpec {
    /** CockroachDB region name of the regional stack (`aws-us-east-1`); names the pool in the plan. */
    readonly name: string;
    /** Residency domain of the region. */
    readonly domain: string;
    /** Cloudflare region the origin sits in. */
    readonly cloudflareRegion: CloudflareRegion;
    readonly latitude: number;
    readonly longitude: number;
}

export interface RoutingInput {
    /** `dynamic_latency` (default in config), `proximity`, `geo` or `off`. */
    readonly steeringPolicy: string;
    /** Pools in failover order (the load balancer's `defaultPools` order). */
    readonly pools: readonly PoolSpec[];
    /** Every residency domain, in config order (issue keys use these indexes). */
    readonly domains: readonly PinDomain[];
    readonly monitor: MonitorSettings;
    /** Zone plan; non-Enterprise load balancers get one custom rule. Default `enterprise` (no limit). */
    readonly plan?: CloudflarePlan;
    /** `adaptiveRouting.failoverAcrossPools` of the load balancer. Default true. */
    readonly failoverAcrossPools?: boolean;
    /** The same inside pin rules. Default false: see `pinRules`. */
    readonly pinFailoverAcrossPools?: boolean;
}

/** A residency pin as resolved. */
export interface PinPlan {
    readonly domain: string;
    /** Cloudflare regions whose data centres keep requests on the domain's pools. */
    readonly regions: CloudflareRegion[];
    /** The domain's pools in failover order. */
    readonly pools: string[];
    /** The domain's own fallback pool (its last pool): health ignored, so the pin fails closed. */
    readonly fallback: string;
    /** Load-balancing rule condition (empty under geo steering, where the pin is in `regionPools`). */
    readonly condition: string;
    /** Countries of the domain whose traffic arrives in regions the pin does not cover. */
    readonly unpinnedCountries: string[];
    /** Countries of other domains whose traffic arrives in the pinned regions (they get this domain's pools). */
    readonly foreignCountries: string[];
}

/** The plan JSON's `routing` section. Pool lists name CockroachDB regions. */
export interface RoutingPlan {
    readonly steeringPolicy: SteeringPolicy;
    /** One pool per region: name, Cloudflare region, domain, coordinates. */
    readonly pools: { name: string; region: CloudflareRegion; domain: string; latitude: number; longitude: number }[];
    /** The load balancer's `defaultPools`, in failover order. */
    readonly defaultPools: string[];
    /** The load balancer's `fallbackPool`. */
    readonly fallback: string;
    /** The load balancer's `regionPools` (geo steering only). */
    readonly regionPools?: Record<CloudflareRegion, string[]>;
    /**
     * Cloudflare region -> pools that may serve it, in the order tried. When all are unhealthy the
     * `fallback` pool serves regardless of its health (it ends the list unless it is already in it).
     */
    readonly byCloudflareRegion: Record<CloudflareRegion, string[]>;
    /** ISO country -> its Cloudflare region(s) -> pools in order (US and CA arrive in WNAM and ENAM). */
    readonly byCountry: Record<string, Partial<Record<CloudflareRegion, string[]>>>;
    readonly pins: PinPlan[];
    /** Down pool -> Cloudflare region -> pools in order while that one pool is unhealthy. */
    readonly singlePoolDown: Record<string, Record<CloudflareRegion, string[]>>;
    /** Regions left with only the down pool (its health is ignored as fallback): they get its errors. */
    readonly failClosed: { down: string; regions: CloudflareRegion[] }[];
    /** `adaptiveRouting.failoverAcrossPools` of the load balancer, and inside pin rules. */
    readonly failoverAcrossPools: { loadBalancer: boolean; pins: boolean };
    readonly monitor: MonitorSettings;
    /** Worst case from the monitor settings: interval x max(consecutiveDown, 1) + timeout x (retries + 1). */
    readonly failoverDetectionSeconds: number;
    /** How pool orders were estimated. */
    readonly model: string;
}

/** Pools ordered for requests handled in `region` under `policy`; ties keep failover order. */
export function orderPools(policy: SteeringPolicy, region: CloudflareRegion, pools: readonly PoolSpec[]): PoolSpec[] {
    if (policy === "off") return [...pools];
    const from = REGION_POINTS[region];
    const km = (p: PoolSpec) => greatCircleKm(from.latitude, from.longitude, p.latitude, p.longitude);
    // geo: the region's own pools first, then the rest as failover targets inside the region's list
    // (geo fails over to the fallback pool, not to other regions' pools, once the list is exhausted).
    const home = (p: PoolSpec) => (policy === "geo" && p.cloudflareRegion !== region ? 1 : 0);
    return pools
        .map((p, i) => ({ p, i, home: home(p), km: km(p) }))
        .sort((a, b) => a.home - b.home || a.km - b.km || a.i - b.i)
        .map((x) => x.p);
}

/** The order Cloudflare tries: the candidates, then the fallback; pools in `down` are skipped unless nothing is left. */
function tried(order: readonly string[], fallback: string, down: ReadonlySet<string>): string[] {
    const sequence = order.includes(fallback) ? [...order] : [...order, fallback];
    const healthy = sequence.filter((p) => !down.has(p));
    // With every candidate down Cloudflare still sends to the fallback pool (health ignored).
    return healthy.length > 0 ? healthy : [fallback];
}

/**
 * Resolves the whole routing plan from the load balancer's configuration. Throws `ConfigError`
 * naming the key for an unknown steering policy, an unknown Cloudflare region in a pin, a pinned
 * domain without a region, or pins Cloudflare cannot express.
 *
 * Pin semantics (dynamic_latency, proximity, off): one rule per pinned domain, condition
 * `cf.load_balancer.region in {...}`, overriding `defaultPools` with the domain's pools and
 * `fallbackPool` with the domain's last pool, `terminates` so no later rule changes it. Dynamic and
 * proximity steering then choose among the domain's pools only. Under geo the pinned regions'
 * `regionPools` list only the domain's pools and the load balancer's one fallback pool is the
 * domain's (so at most one domain can be pinned).
 */
export function resolveRouting(input: RoutingInput): RoutingPlan {
    const issues = routingIssues({ ...input, poolDomains: input.pools.map((p) => p.domain) });
    if (input.pools.length === 0)
        issues.push({ key: keyOf(["regions"]), message: "no region, so the load balancer would have no pool; list at least one region." });
    issues.push(...poolIssues(input.pools));
    if (issues.length > 0) throw new ConfigError(issues);
    const policy = input.steeringPolicy as SteeringPolicy;
    const names = input.pools.map((p) => p.name);

    const pins: PinPlan[] = input.domains
        .filter((d) => d.pinRouting)
        .map((d) => {
            const regions = pinRegionsOf(d);
            const pools = input.pools.filter((p) => p.domain === d.name).map((p) => p.name);
            const own = new Set(domainCountries(d));
            const covered = new Set<string>(regions);
            return {
                domain: d.name,
                regions,
                pools,
                // routingIssues refuses a pinned domain without a region of its own.
                fallback: at(pools, pools.length - 1, `pools of domain "${d.name}"`),
                condition: policy === "geo" ? "" : pinCondition(regions),
                unpinnedCountries: [...own].filter((c) => !countryRegions(c).some((r) => covered.has(r))),
                foreignCountries: input.domains
                    .filter((o) => o.name !== d.name)
                    .flatMap((o) => domainCountries(o))
                    .filter((c) => countryRegions(c).some((r) => covered.has(r)))
                    .sort(),
            };
        });
    const pinOf = new Map<CloudflareRegion, PinPlan>(pins.flatMap((pin) => pin.regions.map((r) => [r, pin] as const)));
    const poolsOf = (pin: PinPlan | undefined) => (pin ? input.pools.filter((p) => pin.pools.includes(p.name)) : input.pools);

    // Cloudflare's convention: the last default pool is the fallback. Under geo the one fallback
    // pool must be the pinned domain's, or an exhausted pinned region would spill out of it.
    const fallback =
        policy === "geo" && pins.length === 1 ? at(pins, 0, "pins").fallback : at(names, names.length - 1, "load balancer pools");
    const regionPools =
        policy === "geo"
            ? (Object.fromEntries(
                  CLOUDFLARE_REGIONS.map((r) => [r, orderPools("geo", r, poolsOf(pinOf.get(r))).map((p) => p.name)]),
              ) as Record<CloudflareRegion, string[]>)
            : undefined;

    const served = (region: CloudflareRegion, down: ReadonlySet<string>): string[] => {
        if (regionPools) return tried(regionPools[region], fallback, down);
        const pin = pinOf.get(region);
        return tried(
            orderPools(policy, region, poolsOf(pin)).map((p) => p.name),
            pin ? pin.fallback : fallback,
            down,
        );
    };
    const table = (down: ReadonlySet<string>) =>
        Object.fromEntries(CLOUDFLARE_REGIONS.map((r) => [r, served(r, down)])) as Record<CloudflareRegion, string[]>;

    const byCloudflareRegion = table(new Set());
    const singlePoolDown: Record<string, Record<CloudflareRegion, string[]>> = Object.fromEntries(
        names.map((n) => [n, table(new Set([n]))]),
    );
    const failClosed = names
        .map((n) => ({
            down: n,
            regions: CLOUDFLARE_REGIONS.filter((r) => {
                const served = entry(singlePoolDown, n, "single-pool-down tables")[r];
                return served.length === 1 && served[0] === n;
            }),
        }))
        .filter((f) => f.regions.length > 0);
    const byCountry = Object.fromEntries(
        COUNTRIES.map((c) => [c.code, Object.fromEntries(countryRegions(c.code).map((r) => [r, byCloudflareRegion[r]]))]),
    ) as Record<string, Partial<Record<CloudflareRegion, string[]>>>;

    return {
        steeringPolicy: policy,
        pools: input.pools.map((p) => ({
            name: p.name,
            region: p.cloudflareRegion,
            domain: p.domain,
            latitude: p.latitude,
            longitude: p.longitude,
        })),
        defaultPools: names,
        fallback,
        ...(regionPools ? { regionPools } : {}),
        byCloudflareRegion,
        byCountry,
        pins,
        singlePoolDown,
        failClosed,
        failoverAcrossPools: { loadBalancer: input.failoverAcrossPools ?? true, pins: input.pinFailoverAcrossPools ?? false },
        monitor: input.monitor,
        failoverDetectionSeconds: failoverDetectionSeconds(input.monitor),
        model: modelNote(policy),
    };
}

/**
 * Pools that may serve a country's requests, per Cloudflare region it arrives in, normally or
 * while the pool `down` is unhealthy: the country-level view of `byCloudflareRegion` and
 * `singlePoolDown`, through Cloudflare's country-to-region mapping. Pure.
 */
export function countryPools(routing: RoutingPlan, country: string, down?: string): Partial<Record<CloudflareRegion, string[]>> {
    const code = country.toUpperCase();
    if (!COUNTRY_BY_CODE.has(code)) throw new Error(`"${country}" is not an ISO 3166-1 alpha-2 country code.`);
    const table = down === undefined ? routing.byCloudflareRegion : routing.singlePoolDown[down];
    if (!table) throw new Error(`"${down}" is not a pool of this load balancer.`);
    return Object.fromEntries(countryRegions(code).map((r) => [r, table[r]]));
}

function poolIssues(pools: readonly PoolSpec[]): ConfigIssue[] {
    const seen = new Set<string>();
    const issues: ConfigIssue[] = [];
    pools.forEach((p, i) => {
        if (seen.has(p.name))
            issues.push({ key: keyOf(["regions", i]), message: `region ${p.name} is listed twice; one pool per region.` });
        seen.add(p.name);
        if (!isRegion(p.cloudflareRegion))
            issues.push({
                key: keyOf(["regions", i]),
                message: `region ${p.name} has no known Cloudflare region ("${p.cloudflareRegion}"); fix its catalog entry in components/regions.ts.`,
            });
    });
    return issues;
}

function modelNote(policy: SteeringPolicy): string {
    const points = "great-circle distance from a representative city of each Cloudflare region (REGION_POINTS) to each pool";
    switch (policy) {
        case "dynamic_latency":
            return `Estimate: pools ordered by ${points}. At runtime Cloudflare orders the default pools by the RTT its health monitors measure from each region.`;
        case "proximity":
            return `Estimate: pools ordered by ${points}; Cloudflare measures from the data centre that handles the request.`;
        case "geo":
            return `regionPools as configured: a region's own pools first, then the others by ${points}; then the fallback pool.`;
        case "off":
            return "defaultPools in failover order, then the fallback pool (exact, no estimate).";
    }
}

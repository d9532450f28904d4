/**
 * Pure model of the Cloudflare traffic layer: monitor settings per plan, the failover detection
 * time, which pools serve each Cloudflare region (and each country) normally and with any single
 * pool down, and the residency pins as load-balancing rules. `GlobalLoadBalancer` wires exactly
 * these decisions into resources; the offline plan prints them as its `routing` section.
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
import { distance } from "fastest-levenshtein";
import { CLOUDFLARE_REGIONS, type CloudflareRegion } from "../catalog-types";
// Value imports from config are used inside functions only: config.ts may import this module
// (trafficChecks), and CommonJS cycles leave exports undefined while modules are loading.
import { ConfigError, keyOf, MONITOR_MIN_INTERVAL, type ConfigIssue, type StackConfig } from "../config";
import { COUNTRIES, COUNTRY_BY_CODE, JURISDICTIONS } from "../countries";
import { findRegion } from "../regions-lookup";
import { greatCircleKm } from "../topology";

/** Steering policies the template supports (Cloudflare also has random and least_* policies). */
export const STEERING_POLICIES = ["dynamic_latency", "proximity", "geo", "off"] as const;
export type SteeringPolicy = (typeof STEERING_POLICIES)[number];

/** Cloudflare plans of the zone, as config names them. */
export type CloudflarePlan = keyof typeof MONITOR_MIN_INTERVAL;

/** Health monitor timing and success criterion. */
export interface MonitorSettings {
    /** Seconds between checks; at least the plan's minimum. */
    readonly interval: number;
    /** Seconds before one check counts as failed. */
    readonly timeout: number;
    /** Immediate retries of a timed-out check before it counts as failed. */
    readonly retries: number;
    /** Consecutive passes before an origin is healthy again. */
    readonly consecutiveUp: number;
    /** Consecutive failures before an origin is unhealthy. */
    readonly consecutiveDown: number;
    /** HTTP status code or class the health path must answer, e.g. `200` or `2xx`. */
    readonly expectedCodes: string;
}

/**
 * Health-check regions of every pool: all 13 Cloudflare regions, each probing from three data
 * centres. Dynamic steering needs RTT data from every region ("Health Monitor Region must be set to
 * All Regions"); the 13 codes are listed instead of `ALL_REGIONS`, which the API reserves for
 * Enterprise, and give the same 39 probes. A majority of regions decides an origin's health, so one
 * region's network trouble does not take a pool out everywhere.
 */
export const HEALTH_CHECK_REGIONS: readonly CloudflareRegion[] = CLOUDFLARE_REGIONS;

/**
 * Countries Cloudflare splits by state or province (the Regions API subdivides only the US and
 * Canada): their traffic arrives in both North American regions. Every other country has the one
 * region `countries.ts` gives it.
 */
export const SPLIT_COUNTRIES: Readonly<Record<string, readonly CloudflareRegion[]>> = { US: ["WNAM", "ENAM"], CA: ["WNAM", "ENAM"] };

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

/** Monitor defaults of a plan: the plan's minimum interval and Cloudflare's timeout and retries. */
export function monitorDefaults(plan: CloudflarePlan): MonitorSettings {
    return { interval: MONITOR_MIN_INTERVAL[plan], timeout: 5, retries: 2, consecutiveUp: 2, consecutiveDown: 2, expectedCodes: "200" };
}

/**
 * The effective monitor: the plan's defaults overlaid with the configured values. An interval below
 * the plan's minimum is a config error naming `backend:cloudflare.monitor.interval`.
 */
export function monitorSettings(plan: CloudflarePlan, configured: Partial<MonitorSettings> = {}): MonitorSettings {
    const defined = Object.fromEntries(Object.entries(configured).filter(([, v]) => v !== undefined)) as Partial<MonitorSettings>;
    const settings = { ...monitorDefaults(plan), ...defined };
    const issues = monitorIssues(plan, settings);
    if (issues.length > 0) throw new ConfigError(issues);
    return settings;
}

/** Monitor timing problems: an interval below the plan's floor, a timeout not shorter than the interval. */
export function monitorIssues(plan: CloudflarePlan, m: MonitorSettings): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const floor = MONITOR_MIN_INTERVAL[plan];
    if (!(plan in MONITOR_MIN_INTERVAL))
        issues.push({
            key: keyOf(["cloudflare", "plan"]),
            message: `"${plan}" is not a plan; use ${Object.keys(MONITOR_MIN_INTERVAL).join(", ")}.`,
        });
    else if (m.interval < floor)
        issues.push({
            key: keyOf(["cloudflare", "monitor", "interval"]),
            message: `${m.interval} s is below the ${plan} plan's minimum of ${floor} s; use at least ${floor} or omit it for the default.`,
        });
    if (m.timeout >= m.interval)
        issues.push({
            key: keyOf(["cloudflare", "monitor", "timeout"]),
            message: `${m.timeout} s is not shorter than the interval (${m.interval} s); use a shorter timeout or a longer interval.`,
        });
    return issues;
}

/**
 * Worst-case seconds between an origin going down and Cloudflare marking it unhealthy: the last
 * passing check can come just before the failure, then `consecutiveDown` intervals must fail, and
 * the last of them waits `timeout` for each of its `retries + 1` attempts.
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

/** What the model needs of a residency domain. */
export interface PinDomain {
    readonly name: string;
    /** ISO countries the domain serves. */
    readonly countries: readonly string[];
    /** Jurisdictions (`EU`, `EEA`) whose countries the domain also serves. */
    readonly jurisdictions?: readonly string[];
    /** Keep requests handled in the domain's Cloudflare regions on the domain's pools. */
    readonly pinRouting: boolean;
    /** Cloudflare regions the pin covers; default: the regions of the domain's countries. */
    readonly pinRegions?: readonly string[];
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

/** Cloudflare regions a country's requests arrive in. */
export function countryRegions(code: string): CloudflareRegion[] {
    const split = SPLIT_COUNTRIES[code];
    if (split) return [...split];
    const country = COUNTRY_BY_CODE.get(code);
    return country ? [country.cloudflareRegion] : [];
}

/** Every country a domain serves: its countries plus its jurisdictions expanded. */
export function domainCountries(d: Pick<PinDomain, "countries" | "jurisdictions">): string[] {
    const out = new Set<string>(d.countries);
    for (const j of d.jurisdictions ?? []) for (const code of JURISDICTIONS[j] ?? [j]) out.add(code);
    return [...out].sort();
}

/** Regions a pinned domain covers: its `pinRegions`, else the regions of its countries. Canonical order. */
export function pinRegionsOf(d: PinDomain): CloudflareRegion[] {
    const wanted = new Set<string>(d.pinRegions ?? domainCountries(d).flatMap(countryRegions));
    return CLOUDFLARE_REGIONS.filter((r) => wanted.has(r));
}

/** `cf.load_balancer.region in {"WEU" "EEU"}`: the region of the data centre handling the request. */
export function pinCondition(regions: readonly CloudflareRegion[]): string {
    return `cf.load_balancer.region in {${regions.map((r) => `"${r}"`).join(" ")}}`;
}

function isRegion(code: string): code is CloudflareRegion {
    return (CLOUDFLARE_REGIONS as readonly string[]).includes(code);
}

function isPolicy(policy: string): policy is SteeringPolicy {
    return (STEERING_POLICIES as readonly string[]).includes(policy);
}

function suggestRegion(code: string): string {
    const best = [...CLOUDFLARE_REGIONS].sort((a, b) => distance(code.toUpperCase(), a) - distance(code.toUpperCase(), b))[0];
    return `did you mean "${best}"? Cloudflare's regions are ${CLOUDFLARE_REGIONS.join(", ")}`;
}

interface IssueInput {
    readonly steeringPolicy: string;
    readonly plan?: CloudflarePlan;
    readonly domains: readonly PinDomain[];
    /** Domain of each pool; checked only when given (config validation reports domains without regions itself). */
    readonly poolDomains?: readonly string[];
}

/** Every problem with steering and pins, each naming its config key. */
function routingIssues(c: IssueInput): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: keyOf(path), message });
    const policyKnown = isPolicy(c.steeringPolicy);
    if (!policyKnown)
        add(
            ["cloudflare", "steeringPolicy"],
            `"${c.steeringPolicy}" is not a steering policy this template supports; use ${STEERING_POLICIES.map((p) => `"${p}"`).join(", ")}.`,
        );

    const owner = new Map<CloudflareRegion, string>();
    const pinned: number[] = [];
    c.domains.forEach((d, i) => {
        if (d.pinRegions !== undefined && !d.pinRouting) {
            add(
                ["domains", i, "pinRegions"],
                `is set but pinRouting is false; set pinRouting: true on domain "${d.name}" or remove pinRegions.`,
            );
            return;
        }
        if (!d.pinRouting) return;
        pinned.push(i);
        (d.pinRegions ?? []).forEach((code, k) => {
            if (!isRegion(code)) add(["domains", i, "pinRegions", k], `"${code}" is not a Cloudflare region; ${suggestRegion(code)}.`);
        });
        const regions = pinRegionsOf(d);
        if (regions.length === 0)
            add(
                ["domains", i, d.pinRegions ? "pinRegions" : "pinRouting"],
                `domain "${d.name}" pins no Cloudflare region; list the regions its traffic arrives in (e.g. pinRegions: [WEU, EEU]) or give the domain countries.`,
            );
        for (const r of regions) {
            const other = owner.get(r);
            if (other && other !== d.name)
                add(
                    ["domains", i, "pinRegions"],
                    `Cloudflare region ${r} is pinned by both domain "${other}" and domain "${d.name}"; a data centre's region can keep requests on one domain only, so set pinRegions on one of them without ${r}.`,
                );
            else owner.set(r, d.name);
        }
        if (c.poolDomains && !c.poolDomains.includes(d.name))
            add(
                ["domains", i],
                `domain "${d.name}" pins routing but has no region, so its requests would have no pool of their own; add a region with domain: ${d.name} or set pinRouting: false.`,
            );
    });

    if (c.steeringPolicy === "geo" && pinned.length > 1)
        add(
            ["cloudflare", "steeringPolicy"],
            `geo steering can keep only one domain's traffic in place, and ${pinned.length} domains set pinRouting: Cloudflare documents load-balancing rules as incompatible with geo steering, so pins go into regionPools, and geo steering has a single fallback pool, which must belong to the pinned domain for the pin to fail closed. Use "dynamic_latency", "proximity" or "off", or pin one domain.`,
        );
    else if (policyKnown && c.steeringPolicy !== "geo" && pinned.length > 1 && c.plan !== undefined && c.plan !== "enterprise")
        add(
            ["domains", pinned[1], "pinRouting"],
            `${pinned.length} domains pin routing, one load-balancing rule each, but a ${c.plan} zone gets one load-balancing rule per load balancer (more need Enterprise); pin one domain or set cloudflare.plan to enterprise.`,
        );
    return issues;
}

/** The raw or validated config shapes `trafficChecks` reads. */
export interface TrafficCheckConfig {
    readonly domains: readonly PinDomain[];
    readonly cloudflare: { readonly plan: CloudflarePlan; readonly steeringPolicy: string };
}

/**
 * Steering and pin problems for config validation (call after the schema accepted the shapes).
 * Does not repeat "domain has no region", which config validation reports for every domain.
 */
export function trafficChecks(config: TrafficCheckConfig): ConfigIssue[] {
    return routingIssues({ steeringPolicy: config.cloudflare.steeringPolicy, plan: config.cloudflare.plan, domains: config.domains });
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
                fallback: pools[pools.length - 1],
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
    const fallback = policy === "geo" && pins.length === 1 ? pins[0].fallback : names[names.length - 1];
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
    const singlePoolDown = Object.fromEntries(names.map((n) => [n, table(new Set([n]))]));
    const failClosed = names
        .map((n) => ({
            down: n,
            regions: CLOUDFLARE_REGIONS.filter((r) => singlePoolDown[n][r].length === 1 && singlePoolDown[n][r][0] === n),
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
    if (down !== undefined && !routing.singlePoolDown[down]) throw new Error(`"${down}" is not a pool of this load balancer.`);
    const table = down === undefined ? routing.byCloudflareRegion : routing.singlePoolDown[down];
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
        monitor: monitorSettings(config.cloudflare.plan, config.cloudflare.monitor),
        ...options,
    };
}

/** The plan JSON's `routing` section for a validated stack config. */
export function routingFromConfig(config: StackConfig): RoutingPlan {
    return resolveRouting(routingInputFromConfig(config));
}

/**
 * The traffic layer's checks of the config: steering policy and residency pins, monitor timing per
 * plan, and session affinity headers. Each issue names its `backend:` key. Pure.
 */
import { distance } from "fastest-levenshtein";
import { CLOUDFLARE_REGIONS, type CloudflareRegion } from "../catalog-types";
import { at } from "../collections";
import { ConfigError, keyOf, type Add, type ConfigIssue, type Parsed } from "../config";
import {
    MONITOR_MIN_INTERVAL,
    monitorOverlay,
    SESSION_AFFINITY_MAX_HEADERS,
    STEERING_POLICIES,
    type CloudflarePlan,
    type FailoverMode,
    type MonitorSettings,
    type SteeringPolicy,
} from "./constants";
import { isRegion, pinRegionsOf, type PinDomain } from "./regions";

/**
 * The effective monitor: the plan's defaults overlaid with the configured values. An interval below
 * the plan's minimum is a config error naming `backend:cloudflare.monitor.interval`.
 */
export function monitorSettings(
    plan: CloudflarePlan,
    configured: Partial<MonitorSettings> = {},
    failover: FailoverMode = "standard",
): MonitorSettings {
    const settings = monitorOverlay(plan, configured, failover);
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

function isPolicy(policy: string): policy is SteeringPolicy {
    return (STEERING_POLICIES as readonly string[]).includes(policy);
}

function suggestRegion(code: string): string {
    const best = [...CLOUDFLARE_REGIONS].sort((a, b) => distance(code.toUpperCase(), a) - distance(code.toUpperCase(), b))[0];
    return `did you mean "${best}"? Cloudflare's regions are ${CLOUDFLARE_REGIONS.join(", ")}`;
}

export interface IssueInput {
    readonly steeringPolicy: string;
    readonly plan?: CloudflarePlan;
    readonly domains: readonly PinDomain[];
    /** Domain of each pool; checked only when given (config validation reports domains without regions itself). */
    readonly poolDomains?: readonly string[];
}

/** Every problem with steering and pins, each naming its config key. */
export function routingIssues(c: IssueInput): ConfigIssue[] {
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
            ["domains", at(pinned, 1, "pinned domains"), "pinRouting"],
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

/** RFC 9110 field name (token), or Cloudflare's `cookie` / `cookie:<name>,<name>` form. */
const HEADER_NAME = /^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|cookie:[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:,[!#$%&'*+.^_`|~0-9A-Za-z-]+)*)$/;

export function sessionAffinityIssues(
    cloudflare: {
        readonly plan: CloudflarePlan;
        readonly sessionAffinity: string;
        readonly sessionAffinityHeaders: readonly string[];
    },
    add: Add,
): void {
    const headers = cloudflare.sessionAffinityHeaders;
    const max = SESSION_AFFINITY_MAX_HEADERS[cloudflare.plan];
    if (cloudflare.sessionAffinity !== "header") {
        if (headers.length > 0)
            add(
                ["cloudflare", "sessionAffinityHeaders"],
                `is set but sessionAffinity is "${cloudflare.sessionAffinity}", which ignores it; set sessionAffinity: header or remove sessionAffinityHeaders.`,
            );
        return;
    }
    if (headers.length === 0)
        add(
            ["cloudflare", "sessionAffinityHeaders"],
            `sessionAffinity is "header" but no header is named, and Cloudflare requires at least one; list the request headers that identify a session, e.g. sessionAffinityHeaders: ["x-session-id"] (or ["cookie:session"]), or use sessionAffinity: cookie.`,
        );
    else if (max !== undefined && headers.length > max)
        add(
            ["cloudflare", "sessionAffinityHeaders"],
            `${headers.length} headers, but a ${cloudflare.plan} zone allows ${max} per load balancer${cloudflare.plan === "enterprise" ? "" : " (5 on Enterprise)"}; list at most ${max}.`,
        );
    headers.forEach((h, i) => {
        if (!HEADER_NAME.test(h))
            add(
                ["cloudflare", "sessionAffinityHeaders", i],
                `"${h}" is not an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-) nor cookie:<name>[,<name>]; received ${JSON.stringify(h)}.`,
            );
    });
}

/** Every traffic problem of a config whose keys have the right shape, in the order they are reported. */
export function trafficConfigChecks(c: Pick<Partial<Parsed>, "cloudflare" | "domains">): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add: Add = (path, message) => issues.push({ key: keyOf(path), message });
    if (c.cloudflare) sessionAffinityIssues(c.cloudflare, add);
    if (c.cloudflare)
        issues.push(...monitorIssues(c.cloudflare.plan, monitorOverlay(c.cloudflare.plan, c.cloudflare.monitor, c.cloudflare.failover)));
    if (c.domains && c.cloudflare) issues.push(...trafficChecks({ domains: c.domains, cloudflare: c.cloudflare }));
    return issues;
}

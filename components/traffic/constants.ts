/**
 * The Cloudflare options this template supports and the per-plan limits it checks, defined once:
 * the config schema builds its enums from these lists and the traffic code uses the same values.
 * A leaf module (no imports), so config can read it without depending on the traffic domain.
 */

/** Steering policies the template supports (Cloudflare also has random and least_* policies). */
export const STEERING_POLICIES = ["dynamic_latency", "proximity", "geo", "off"] as const;
export type SteeringPolicy = (typeof STEERING_POLICIES)[number];

/** Cloudflare plans of the zone, as config names them. */
export const CLOUDFLARE_PLANS = ["pro", "business", "enterprise"] as const;
export type CloudflarePlan = (typeof CLOUDFLARE_PLANS)[number];

/** `sessionAffinity` values of a load balancer (Cloudflare API names; @pulumi/cloudflare 6.22 loadBalancer.d.ts). */
export const SESSION_AFFINITIES = ["none", "cookie", "ip_cookie", "header"] as const;
export type SessionAffinity = (typeof SESSION_AFFINITIES)[number];

/**
 * Minimum health-monitor interval (seconds) per Cloudflare plan: 60 Pro, 15 Business, 10 Enterprise
 * (Cloudflare Load Balancing monitor docs, recorded in the design reference's Cloudflare section).
 */
export const MONITOR_MIN_INTERVAL: Readonly<Record<CloudflarePlan, number>> = { pro: 60, business: 15, enterprise: 10 };

/**
 * Header names per load balancer for `sessionAffinity: header`: at least one; at most 5 on
 * Enterprise and 1 on other plans. Source: `sessionAffinityAttributes.headers` in
 * @pulumi/cloudflare 6.22 (types/input.d.ts, from Cloudflare's API schema): "At least one HTTP
 * header name must be provided ... The default max number of HTTP header names that can be
 * provided depends on your plan: 5 for Enterprise, 1 for all other plans."
 */
export const SESSION_AFFINITY_MAX_HEADERS: Readonly<Record<CloudflarePlan, number>> = { pro: 1, business: 1, enterprise: 5 };

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

/** Monitor settings other than the interval when config leaves them out: Cloudflare's timeout and retries. */
export const MONITOR_DEFAULTS: Omit<MonitorSettings, "interval"> = {
    timeout: 5,
    retries: 2,
    consecutiveUp: 2,
    consecutiveDown: 2,
    expectedCodes: "200",
};

/** Monitor defaults of a plan: the plan's minimum interval and Cloudflare's timeout and retries. */
export function monitorDefaults(plan: CloudflarePlan): MonitorSettings {
    return { interval: MONITOR_MIN_INTERVAL[plan], ...MONITOR_DEFAULTS };
}

/** The effective monitor (unchecked): the plan's defaults overlaid with the values configured. */
export function monitorOverlay(plan: CloudflarePlan, configured: Partial<MonitorSettings> = {}): MonitorSettings {
    const defined = Object.fromEntries(Object.entries(configured).filter(([, v]) => v !== undefined)) as Partial<MonitorSettings>;
    return { ...monitorDefaults(plan), ...defined };
}

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
 * Minimum health-monitor interval (seconds) per Cloudflare plan: 60 Pro, 15 Business, 10 Enterprise.
 * Source: Cloudflare Load Balancing, "Manage monitors" > Advanced health monitor settings > Interval:
 * "Minimum time in seconds is 60 (Pro), 15 (Business), and 10 (Enterprise)."
 * (developers.cloudflare.com/load-balancing/monitors/create-monitor/, partial
 * monitor-settings-advanced.mdx in cloudflare/cloudflare-docs; checked 2026-12-01).
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

/**
 * Failover presets (`backend:cloudflare.failover`): the monitor values other than the interval
 * (always the plan's minimum unless `monitor.interval` is set); explicit `monitor.*` keys override.
 *
 * - `standard`: timeout 5 s and 2 retries (Cloudflare's API defaults), 2 consecutive failures to
 *   mark an origin down, 2 passes to mark it up. Worst-case detection on Enterprise: 10 x 2 + 5 x 3 = 35 s.
 *   Least flapping: one failed round (a slow deploy, a GC pause) never moves traffic.
 * - `fast`: timeout 2 s, 1 immediate retry, 1 failed round marks the origin down, 2 passes bring it
 *   back. Worst-case detection on Enterprise: 10 x 1 + 2 x 2 = 14 s. Flapping risk: one round in
 *   which a majority of Cloudflare's health-check regions fail to get an answer within 2 s (twice)
 *   moves the region's traffic to its next pool for at least consecutiveUp x interval (20 s).
 *   Cloudflare counts a region healthy when most of its 3 probing data centres pass, and the origin
 *   healthy when most regions do (developers.cloudflare.com/load-balancing/monitors/, "Health
 *   monitor regions"), so one slow probe or one distant region does not flip it.
 * Timeout semantics: "Retries are attempted immediately" after a timeout (@pulumi/cloudflare 6.22
 * loadBalancerMonitor.d.ts `retries`); "To be marked unhealthy the monitored origin must fail this
 * healthcheck N consecutive times" (`consecutiveDown`).
 */
export const FAILOVER_MODES = ["standard", "fast"] as const;
export type FailoverMode = (typeof FAILOVER_MODES)[number];

export const FAILOVER_PRESETS: Readonly<Record<FailoverMode, Omit<MonitorSettings, "interval">>> = {
    standard: { timeout: 5, retries: 2, consecutiveUp: 2, consecutiveDown: 2, expectedCodes: "200" },
    fast: { timeout: 2, retries: 1, consecutiveUp: 2, consecutiveDown: 1, expectedCodes: "200" },
};

/** Monitor settings other than the interval when config leaves them out: the `standard` preset. */
export const MONITOR_DEFAULTS: Omit<MonitorSettings, "interval"> = FAILOVER_PRESETS.standard;

/** Monitor defaults of a plan and failover mode: the plan's minimum interval and the mode's preset. */
export function monitorDefaults(plan: CloudflarePlan, failover: FailoverMode = "standard"): MonitorSettings {
    return { interval: MONITOR_MIN_INTERVAL[plan], ...FAILOVER_PRESETS[failover] };
}

/** The effective monitor (unchecked): the plan's and mode's defaults overlaid with the values configured. */
export function monitorOverlay(
    plan: CloudflarePlan,
    configured: Partial<MonitorSettings> = {},
    failover: FailoverMode = "standard",
): MonitorSettings {
    const defined = Object.fromEntries(Object.entries(configured).filter(([, v]) => v !== undefined)) as Partial<MonitorSettings>;
    return { ...monitorDefaults(plan, failover), ...defined };
}

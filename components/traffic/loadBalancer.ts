import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import type { CloudflareRegion } from "../catalog-types";
import { at } from "../collections";
import { findRegion } from "../regions-lookup";
import { monitorSettings } from "./checks";
import { HEALTH_CHECK_REGIONS, pinRules, regionPoolsInput } from "./cloudflare";
import type { CloudflarePlan, FailoverMode, MonitorSettings, SteeringPolicy } from "./constants";
import { resolveRouting, type PoolSpec, type RoutingPlan } from "./model";
import type { PinDomain } from "./regions";

/** One region's origin, as its regional stack exposes it. */
export interface LoadBalancerOrigin {
    /** CockroachDB region name of the regional stack (`aws-us-east-1`); names the pool. Plain: it drives steering. */
    readonly region: string;
    /** Residency domain of the region. Plain: it drives pins. */
    readonly domain: string;
    /** Public hostname (or IP) Cloudflare connects to: the ALB's DNS name, the Cloud Run service host. */
    readonly address: pulumi.Input<string>;
    /**
     * `Host` header (and TLS server name) sent to the origin and its health checks: a name the
     * origin's certificate covers (the load balancer hostname for an ALB with an Origin CA
     * certificate; the `*.run.app` host for Cloud Run).
     */
    readonly hostHeader: pulumi.Input<string>;
    /** HTTPS port of the origin. Default 443. */
    readonly port?: number;
    /** Coordinates of the region (proximity steering and the routing model). */
    readonly latitude: number;
    readonly longitude: number;
    /** Cloudflare region of the origin. Default: from the catalog entry `region` names. */
    readonly cloudflareRegion?: CloudflareRegion;
}

export interface GlobalLoadBalancerArgs {
    /** Cloudflare account that owns monitors and pools. */
    readonly accountId: pulumi.Input<string>;
    /** Zone of the hostname. */
    readonly zoneId: pulumi.Input<string>;
    /** Public hostname the load balancer answers (proxied), e.g. `api.example.com`. */
    readonly hostname: pulumi.Input<string>;
    /** Plan of the zone; sets the monitor interval default and floor. Default `pro`. */
    readonly plan?: CloudflarePlan;
    /** `dynamic_latency` (default), `proximity`, `geo` or `off`. Plain: the routing model is computed at construction. */
    readonly steeringPolicy?: SteeringPolicy;
    /** `none` (default), `cookie`, `ip_cookie` or `header` (Cloudflare API values). */
    readonly sessionAffinity?: pulumi.Input<"none" | "cookie" | "ip_cookie" | "header">;
    /** Headers that identify a session under `sessionAffinity: header` (Cloudflare requires at least one). */
    readonly sessionAffinityHeaders?: readonly string[];
    /** Path the HTTPS monitor requests. Default `/healthz`. */
    readonly healthPath?: string;
    /** Monitor timing and expected codes; each unset value takes the plan's and preset's default (`monitorDefaults`). */
    readonly monitor?: Partial<MonitorSettings>;
    /** Monitor preset for the values `monitor` leaves out: `standard` (default) or `fast` (FAILOVER_PRESETS). */
    readonly failover?: FailoverMode;
    /** One origin per region, in failover order (the `defaultPools` order; the last one is the fallback pool). */
    readonly origins: readonly LoadBalancerOrigin[];
    /** Residency domains; those with `pinRouting` become pins. Default: none pinned. */
    readonly domains?: readonly PinDomain[];
    /** Prefix of the Cloudflare pool names (`<prefix>-aws-us-east-1`), `[A-Za-z0-9_-]`. Default: this component's name. */
    readonly poolNamePrefix?: string;
    /** Healthy origins a pool needs to take traffic. Default 1 (one origin per pool). */
    readonly minimumOrigins?: number;
    /** `adaptiveRouting.failoverAcrossPools`: retry a failed request once in the next pool. Default true. */
    readonly failoverAcrossPools?: boolean;
    /** The same inside pin rules. Default false (see `pinRules`). */
    readonly pinFailoverAcrossPools?: boolean;
}

const POOL_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Cloudflare Load Balancing in front of every region: one HTTPS monitor, one pool per region, and
 * a proxied load balancer on the hostname with the configured steering, a fallback pool, adaptive
 * routing and the residency pins as load-balancing rules. Every routing decision comes from
 * `resolveRouting`, exposed as `routing` for the offline plan.
 *
 * Pass the Cloudflare provider as `opts.provider` (default providers are disabled).
 */
export class GlobalLoadBalancer extends pulumi.ComponentResource {
    /** The resolved routing model the resources were built from. */
    public readonly routing: RoutingPlan;
    public readonly monitorId: pulumi.Output<string>;
    /** CockroachDB region name -> Cloudflare pool id. */
    public readonly poolIds: pulumi.Output<Record<string, string>>;
    public readonly loadBalancerId: pulumi.Output<string>;
    public readonly hostname: pulumi.Output<string>;

    constructor(name: string, args: GlobalLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:traffic:GlobalLoadBalancer", name, {}, opts);
        const where = `GlobalLoadBalancer "${name}"`;
        const plan = args.plan ?? "pro";
        const prefix = args.poolNamePrefix ?? name;
        const port = originPort(where, args.origins);
        if (!POOL_NAME.test(prefix))
            throw new Error(`${where}: poolNamePrefix "${prefix}" must be letters, digits, '-' and '_' only (Cloudflare pool names).`);
        const monitor = monitorSettings(plan, args.monitor, args.failover);
        this.routing = resolveRouting({
            steeringPolicy: args.steeringPolicy ?? "dynamic_latency",
            plan,
            pools: args.origins.map((o, i) => poolSpec(where, o, i)),
            domains: args.domains ?? [],
            monitor,
            failoverAcrossPools: args.failoverAcrossPools ?? true,
            pinFailoverAcrossPools: args.pinFailoverAcrossPools ?? false,
        });

        const healthMonitor = new cloudflare.LoadBalancerMonitor(
            `${name}-monitor`,
            {
                accountId: args.accountId,
                description: pulumi.interpolate`HTTPS health of ${args.hostname}`,
                type: "https",
                method: "GET",
                path: args.healthPath ?? "/healthz",
                // HTTPS monitors name a port only when it is not 443.
                port: port === 443 ? undefined : port,
                // Certificates are validated (Full (strict) at the edge, the same here); the Host
                // header comes from each origin's override, which takes precedence over the monitor's.
                allowInsecure: false,
                followRedirects: false,
                expectedCodes: monitor.expectedCodes,
                interval: monitor.interval,
                timeout: monitor.timeout,
                retries: monitor.retries,
                consecutiveUp: monitor.consecutiveUp,
                consecutiveDown: monitor.consecutiveDown,
            },
            { parent: this },
        );

        const pools = new Map<string, cloudflare.LoadBalancerPool>();
        args.origins.forEach((o) => {
            const spec = this.routing.pools.find((p) => p.name === o.region)!;
            pools.set(
                o.region,
                new cloudflare.LoadBalancerPool(
                    `${name}-pool-${o.region}`,
                    {
                        accountId: args.accountId,
                        name: `${prefix}-${o.region}`.replace(/[^A-Za-z0-9_-]/g, "-"),
                        description: `${o.region} (domain ${o.domain})`,
                        origins: [
                            {
                                name: o.region,
                                address: o.address,
                                port: o.port ?? 443,
                                weight: 1,
                                enabled: true,
                                header: { hosts: [o.hostHeader] },
                            },
                        ],
                        monitor: healthMonitor.id,
                        checkRegions: [...HEALTH_CHECK_REGIONS],
                        latitude: spec.latitude,
                        longitude: spec.longitude,
                        minimumOrigins: args.minimumOrigins ?? 1,
                    },
                    { parent: this },
                ),
            );
        });
        const idOf = (pool: string): pulumi.Output<string> => pools.get(pool)!.id;
        const rules = pinRules(this.routing, idOf);

        const lb = new cloudflare.LoadBalancer(
            `${name}-lb`,
            {
                zoneId: args.zoneId,
                name: args.hostname,
                description: `Steering ${this.routing.steeringPolicy}; pins: ${this.routing.pins.map((p) => p.domain).join(", ") || "none"}`,
                proxied: true,
                steeringPolicy: this.routing.steeringPolicy,
                defaultPools: this.routing.defaultPools.map(idOf),
                fallbackPool: idOf(this.routing.fallback),
                regionPools: regionPoolsInput(this.routing, idOf),
                adaptiveRouting: { failoverAcrossPools: this.routing.failoverAcrossPools.loadBalancer },
                sessionAffinity: args.sessionAffinity ?? "none",
                sessionAffinityAttributes: args.sessionAffinityHeaders?.length ? { headers: [...args.sessionAffinityHeaders] } : undefined,
                rules: rules.length > 0 ? rules : undefined,
            },
            { parent: this },
        );

        this.monitorId = healthMonitor.id;
        this.poolIds = pulumi.output(Object.fromEntries([...pools].map(([region, pool]) => [region, pool.id]))) as pulumi.Output<
            Record<string, string>
        >;
        this.loadBalancerId = lb.id;
        this.hostname = pulumi.output(args.hostname);
        this.registerOutputs({
            monitorId: this.monitorId,
            poolIds: this.poolIds,
            loadBalancerId: this.loadBalancerId,
            hostname: this.hostname,
        });
    }
}

/** The origins' common HTTPS port: one monitor checks every pool, so it must be the same. */
function originPort(where: string, origins: readonly LoadBalancerOrigin[]): number {
    const ports = [...new Set(origins.map((o) => o.port ?? 443))];
    if (ports.length > 1)
        throw new Error(
            `${where}: origins use ports ${ports.join(", ")}; one health monitor checks every pool, so give every origin the same HTTPS port.`,
        );
    return ports[0] ?? 443;
}

function poolSpec(where: string, o: LoadBalancerOrigin, i: number): PoolSpec {
    const m = /^(aws|gcp)-(.+)$/.exec(o.region);
    const cloudflareRegion =
        o.cloudflareRegion ?? (m ? findRegion(at(m, 1, o.region) as "aws" | "gcp", at(m, 2, o.region))?.cloudflareRegion : undefined);
    if (!cloudflareRegion)
        throw new Error(
            `${where}: origins[${i}].cloudflareRegion is required: "${o.region}" is not a catalog region name such as aws-us-east-1.`,
        );
    if (!Number.isFinite(o.latitude) || Math.abs(o.latitude) > 90 || !Number.isFinite(o.longitude) || Math.abs(o.longitude) > 180)
        throw new Error(
            `${where}: origins[${i}] (${o.region}) has coordinates ${o.latitude}, ${o.longitude}; latitude must be within ±90 and longitude within ±180.`,
        );
    return { name: o.region, domain: o.domain, cloudflareRegion, latitude: o.latitude, longitude: o.longitude };
}

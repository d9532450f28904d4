import assert from "node:assert/strict";
import * as cloudflare from "@pulumi/cloudflare";
import { CLOUDFLARE_REGIONS } from "../components/catalog-types";
import { ConfigError, formatIssues } from "../components/config";
import { parseStackConfig } from "../components/validate";
import { GlobalLoadBalancer, type GlobalLoadBalancerArgs, type LoadBalancerOrigin } from "../components/traffic";
import { readStackFile } from "../scripts/offline";
import { one, registeredUnder, value } from "./support";

const ORIGINS: LoadBalancerOrigin[] = [
    {
        region: "aws-us-east-1",
        domain: "us",
        address: "alb-use1.example-elb.com",
        hostHeader: "api.example.com",
        latitude: 39.04,
        longitude: -77.49,
    },
    {
        region: "aws-eu-central-1",
        domain: "eu",
        address: "alb-euc1.example-elb.com",
        hostHeader: "api.example.com",
        latitude: 50.11,
        longitude: 8.68,
    },
    {
        region: "gcp-europe-west1",
        domain: "eu",
        address: "api-euw1.a.run.app",
        hostHeader: "api-euw1.a.run.app",
        latitude: 50.45,
        longitude: 3.82,
    },
];
const DOMAINS = [
    { name: "eu", jurisdictions: ["EEA"], countries: ["CH", "GB"], pinRouting: true },
    { name: "us", countries: ["US", "CA", "MX"], pinRouting: false },
];

let providerCount = 0;
/** A Cloudflare provider and its reference as child resources carry it (`urn::id`). */
async function provider(): Promise<{ provider: cloudflare.Provider; ref: string }> {
    const name = `cf-provider-${++providerCount}`;
    const p = new cloudflare.Provider(name, { apiToken: "offline-token-0123456789" });
    return { provider: p, ref: `${await value(p.urn)}::${name}-provider-id` };
}

/** Creates the component, waits for its outputs, and returns what it registered by role. */
async function build(name: string, change: Partial<GlobalLoadBalancerArgs> = {}) {
    const { provider: cf, ref } = await provider();
    const lb = new GlobalLoadBalancer(
        name,
        {
            accountId: "0123456789abcdef0123456789abcdef",
            zoneId: "fedcba9876543210fedcba9876543210",
            hostname: "api.example.com",
            plan: "business",
            origins: ORIGINS,
            domains: DOMAINS,
            ...change,
        },
        { provider: cf },
    );
    await value(lb.loadBalancerId);
    const resources = await registeredUnder(name);
    return {
        lb,
        ref,
        resources,
        component: one(resources, "backend:traffic:GlobalLoadBalancer"),
        monitor: one(resources, "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor"),
        pools: resources.filter((r) => r.type === "cloudflare:index/loadBalancerPool:LoadBalancerPool"),
        loadBalancer: one(resources, "cloudflare:index/loadBalancer:LoadBalancer"),
    };
}

const poolId = (name: string, region: string) => `${name}-pool-${region}-id`;

describe("GlobalLoadBalancer (under mocks)", () => {
    it("names its children after itself and gives them the Cloudflare provider", async () => {
        const { resources, component, ref } = await build("tlb-names");
        assert.deepEqual(resources.map((r) => r.name).sort(), [
            "tlb-names",
            "tlb-names-lb",
            "tlb-names-monitor",
            "tlb-names-pool-aws-eu-central-1",
            "tlb-names-pool-aws-us-east-1",
            "tlb-names-pool-gcp-europe-west1",
        ]);
        for (const r of resources.filter((x) => x.custom)) {
            assert.equal(r.parent, component.urn, r.name);
            assert.equal(r.provider, ref, r.name);
        }
    });

    it("checks HTTPS health on the health path with the plan's timing and validated certificates", async () => {
        const { monitor } = await build("tlb-monitor", { healthPath: "/readyz", monitor: { expectedCodes: "2xx", consecutiveDown: 3 } });
        assert.deepEqual(monitor.inputs, {
            accountId: "0123456789abcdef0123456789abcdef",
            description: "HTTPS health of api.example.com",
            type: "https",
            method: "GET",
            path: "/readyz",
            allowInsecure: false,
            followRedirects: false,
            expectedCodes: "2xx",
            interval: 15,
            timeout: 5,
            retries: 2,
            consecutiveUp: 2,
            consecutiveDown: 3,
        });
    });

    it("never lets the monitor skip certificate validation (allowInsecure is always false)", async () => {
        // Cloudflare's default is false (API schema load-balancing_allow_insecure); it is sent
        // explicitly so no default change and no caller-supplied setting can turn validation off.
        const smuggled = { interval: 60, allowInsecure: true } as unknown as GlobalLoadBalancerArgs["monitor"];
        for (const [name, change] of [
            ["tlb-insecure-default", {}],
            ["tlb-insecure-smuggled", { monitor: smuggled }],
            ["tlb-insecure-pro", { plan: "pro", monitor: smuggled }],
        ] as const) {
            const { monitor } = await build(name, change);
            assert.equal(monitor.inputs.allowInsecure, false, name);
        }
        // Nor can the stack config ask for it: the monitor schema is strict.
        const stack = readStackFile("staging");
        const cf = JSON.parse(stack.config["backend:cloudflare"]!) as { monitor?: Record<string, unknown> };
        cf.monitor = { ...cf.monitor, allowInsecure: true };
        const parsed = parseStackConfig({ ...stack.config, "backend:cloudflare": JSON.stringify(cf) });
        assert.ok(!parsed.ok, "config with cloudflare.monitor.allowInsecure must be rejected");
        assert.match(formatIssues(parsed.issues), /backend:cloudflare\.monitor.*allowInsecure/);
    });

    it("makes one pool per region with the origin's address, Host header, coordinates, health-check regions and monitor", async () => {
        const { pools } = await build("tlb-pools");
        assert.equal(pools.length, 3);
        const euw1 = pools.find((p) => p.name === "tlb-pools-pool-gcp-europe-west1")!;
        assert.deepEqual(euw1.inputs, {
            accountId: "0123456789abcdef0123456789abcdef",
            name: "tlb-pools-gcp-europe-west1",
            description: "gcp-europe-west1 (domain eu)",
            origins: [
                {
                    name: "gcp-europe-west1",
                    address: "api-euw1.a.run.app",
                    port: 443,
                    weight: 1,
                    enabled: true,
                    header: { hosts: ["api-euw1.a.run.app"] },
                },
            ],
            monitor: "tlb-pools-monitor-id",
            checkRegions: [...CLOUDFLARE_REGIONS],
            latitude: 50.45,
            longitude: 3.82,
            minimumOrigins: 1,
        });
        for (const p of pools) {
            assert.match(p.inputs.name as string, /^[A-Za-z0-9_-]+$/);
            const [origin] = p.inputs.origins as Record<string, unknown>[];
            // v6 shape: header.hosts, not the generated example's `host` or v5's `headers`.
            assert.deepEqual(Object.keys(origin!.header as object), ["hosts"]);
            assert.ok(!("headers" in origin!) && !("host" in origin!));
        }
    });

    it("puts a proxied load balancer on the hostname with steering, default and fallback pools, adaptive routing and no affinity", async () => {
        const { loadBalancer, lb } = await build("tlb-lb");
        const inputs = loadBalancer.inputs;
        assert.equal(inputs.zoneId, "fedcba9876543210fedcba9876543210");
        assert.equal(inputs.name, "api.example.com");
        assert.equal(inputs.proxied, true);
        assert.equal(inputs.steeringPolicy, "dynamic_latency");
        assert.deepEqual(
            inputs.defaultPools,
            ORIGINS.map((o) => poolId("tlb-lb", o.region)),
        );
        assert.equal(inputs.fallbackPool, poolId("tlb-lb", "gcp-europe-west1"));
        assert.deepEqual(inputs.adaptiveRouting, { failoverAcrossPools: true });
        assert.equal(inputs.sessionAffinity, "none");
        assert.equal(inputs.regionPools, undefined);
        // v5 names must not appear.
        for (const old of ["defaultPoolIds", "fallbackPoolId"]) assert.ok(!(old in inputs), old);
        assert.equal(lb.routing.failoverDetectionSeconds, 45);
        assert.deepEqual(await value(lb.poolIds), Object.fromEntries(ORIGINS.map((o) => [o.region, poolId("tlb-lb", o.region)])));
    });

    it("pins the eu domain with a terminating rule on cf.load_balancer.region that names only eu pools", async () => {
        const { loadBalancer } = await build("tlb-pin");
        const eu = new Set(["aws-eu-central-1", "gcp-europe-west1"].map((r) => poolId("tlb-pin", r)));
        assert.deepEqual(loadBalancer.inputs.rules, [
            {
                name: "pin-eu",
                condition: 'cf.load_balancer.region in {"WEU" "EEU"}',
                priority: 1,
                terminates: true,
                overrides: {
                    defaultPools: [poolId("tlb-pin", "aws-eu-central-1"), poolId("tlb-pin", "gcp-europe-west1")],
                    fallbackPool: poolId("tlb-pin", "gcp-europe-west1"),
                    adaptiveRouting: { failoverAcrossPools: false },
                },
            },
        ]);
        const [rule] = loadBalancer.inputs.rules as { overrides: { defaultPools: string[]; fallbackPool: string } }[];
        for (const id of [...rule!.overrides.defaultPools, rule!.overrides.fallbackPool]) assert.ok(eu.has(id), id);
    });

    it("takes session affinity and steering from its arguments; geo puts pins into regionPools instead of rules", async () => {
        const { loadBalancer } = await build("tlb-geo", { steeringPolicy: "geo", sessionAffinity: "cookie" });
        const inputs = loadBalancer.inputs;
        assert.equal(inputs.steeringPolicy, "geo");
        assert.equal(inputs.sessionAffinity, "cookie");
        assert.equal(inputs.rules, undefined);
        const regionPools = inputs.regionPools as Record<string, string[]>;
        assert.deepEqual(Object.keys(regionPools).sort(), [...CLOUDFLARE_REGIONS].sort());
        assert.deepEqual(regionPools.WEU, [poolId("tlb-geo", "aws-eu-central-1"), poolId("tlb-geo", "gcp-europe-west1")]);
        assert.deepEqual(regionPools.ENAM![0], poolId("tlb-geo", "aws-us-east-1"));
        assert.equal(inputs.fallbackPool, poolId("tlb-geo", "gcp-europe-west1"));
    });

    it("passes the session affinity headers as sessionAffinityAttributes.headers, and none without them", async () => {
        const { loadBalancer } = await build("tlb-header", { sessionAffinity: "header", sessionAffinityHeaders: ["x-session-id"] });
        assert.equal(loadBalancer.inputs.sessionAffinity, "header");
        assert.deepEqual(loadBalancer.inputs.sessionAffinityAttributes, { headers: ["x-session-id"] });
        const { loadBalancer: plain } = await build("tlb-noheader", { sessionAffinity: "cookie" });
        assert.equal(plain.inputs.sessionAffinityAttributes, undefined);
    });

    it("sets the monitor port only for a non-standard HTTPS port", async () => {
        const { monitor, pools } = await build("tlb-port", { origins: ORIGINS.map((o) => ({ ...o, port: 8443 })) });
        assert.equal(monitor.inputs.port, 8443);
        for (const p of pools) assert.equal((p.inputs.origins as { port: number }[])[0]!.port, 8443);
    });

    it("rejects bad arguments before registering anything", async () => {
        const { provider: cf } = await provider();
        const args: GlobalLoadBalancerArgs = {
            accountId: "a",
            zoneId: "z",
            hostname: "api.example.com",
            origins: ORIGINS,
            domains: DOMAINS,
        };
        const fails = (name: string, change: Partial<GlobalLoadBalancerArgs>, check: RegExp | ((e: unknown) => boolean)) =>
            assert.throws(() => new GlobalLoadBalancer(name, { ...args, ...change }, { provider: cf }), check);
        fails(
            "tlb-bad-policy",
            { steeringPolicy: "latency" as never },
            (e) => e instanceof ConfigError && e.issues[0]!.key === "backend:cloudflare.steeringPolicy",
        );
        fails(
            "tlb-bad-interval",
            { plan: "pro", monitor: { interval: 15 } },
            (e) => e instanceof ConfigError && e.issues[0]!.key === "backend:cloudflare.monitor.interval",
        );
        fails("tlb-bad-ports", { origins: [ORIGINS[0]!, { ...ORIGINS[1]!, port: 8443 }] }, /same HTTPS port/);
        fails("tlb-bad-prefix", { poolNamePrefix: "prod pools" }, /poolNamePrefix/);
        fails("tlb-bad-region", { origins: [{ ...ORIGINS[0]!, region: "onprem-1" }] }, /origins\[0\]\.cloudflareRegion is required/);
        const registered = (await registeredUnder("tlb-bad")).filter((r) => r.custom);
        assert.deepEqual(registered, []);
    });
});

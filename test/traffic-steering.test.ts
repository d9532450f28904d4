import assert from "node:assert/strict";
import { CLOUDFLARE_REGIONS, type CloudflareRegion } from "../components/catalog-types";
import { ConfigError } from "../components/config";
import {
    countryPools,
    failoverDetectionSeconds,
    monitorDefaults,
    monitorSettings,
    pinRules,
    resolveRouting,
    routingFromConfig,
    routingInputFromConfig,
    trafficChecks,
    type PinDomain,
    type RoutingInput,
    type RoutingPlan,
} from "../components/traffic";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig } from "./support";

/** Prod's pools and domains with one thing changed. */
function prodInput(change: Partial<RoutingInput> = {}): RoutingInput {
    return { ...routingInputFromConfig(shippedConfig("prod")), ...change };
}

/** The keys of the issues `fn` throws as a ConfigError. */
function rejectedKeys(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
        return e.issues.map((i) => i.key);
    }
    assert.fail("expected the input to be rejected");
}

/** Every pool list a pinned region can use: normal, each single pool down, and the pin's rule. */
function pinnedLists(routing: RoutingPlan, region: CloudflareRegion): string[][] {
    return [routing.byCloudflareRegion[region], ...Object.values(routing.singlePoolDown).map((t) => t[region])];
}

const domainOf = (routing: RoutingPlan) => new Map(routing.pools.map((p) => [p.name, p.domain]));

describe("traffic steering model", () => {
    describe("monitor", () => {
        it("computes worst-case failover detection: interval x max(consecutiveDown, 1) + timeout x (retries + 1)", () => {
            assert.equal(failoverDetectionSeconds({ interval: 60, timeout: 5, retries: 2, consecutiveDown: 2 }), 135);
            assert.equal(failoverDetectionSeconds({ interval: 15, timeout: 3, retries: 0, consecutiveDown: 3 }), 48);
            // consecutiveDown 0 still needs one failed interval.
            assert.equal(failoverDetectionSeconds({ interval: 10, timeout: 5, retries: 1, consecutiveDown: 0 }), 20);
        });

        it("has the detection figures of each plan's defaults", () => {
            const figures = Object.fromEntries(
                (["pro", "business", "enterprise"] as const).map((p) => [p, failoverDetectionSeconds(monitorDefaults(p))]),
            );
            assert.deepEqual(figures, { pro: 135, business: 45, enterprise: 35 });
        });

        it("defaults the interval to the plan's minimum and keeps configured values", () => {
            assert.deepEqual(
                [monitorDefaults("pro").interval, monitorDefaults("business").interval, monitorDefaults("enterprise").interval],
                [60, 15, 10],
            );
            const m = monitorSettings("business", { interval: 30, timeout: 4, retries: undefined, consecutiveDown: 3 });
            assert.deepEqual(m, { interval: 30, timeout: 4, retries: 2, consecutiveUp: 2, consecutiveDown: 3, expectedCodes: "200" });
        });

        it("rejects an interval below the plan's minimum, naming the key", () => {
            assert.deepEqual(
                rejectedKeys(() => monitorSettings("pro", { interval: 30 })),
                ["backend:cloudflare.monitor.interval"],
            );
            assert.equal(monitorSettings("enterprise", { interval: 10 }).interval, 10);
            assert.deepEqual(
                rejectedKeys(() => monitorSettings("enterprise", { timeout: 10 })),
                ["backend:cloudflare.monitor.timeout"],
            );
        });

        it("puts the plan's detection figure into the routing plan", () => {
            const routing = resolveRouting(prodInput({ monitor: monitorDefaults("pro") }));
            assert.equal(routing.failoverDetectionSeconds, 135);
            // prod is Enterprise with failover: fast (10 x 1 + 2 x 2); standard would be 35.
            assert.equal(routingFromConfig(shippedConfig("prod")).failoverDetectionSeconds, 14);
            const standard = shippedConfig("prod", (v) => Object.assign(v["backend:cloudflare"] as object, { failover: "standard" }));
            assert.equal(routingFromConfig(standard).failoverDetectionSeconds, 35);
        });
    });

    describe("prod (dynamic_latency, domain eu pinned)", () => {
        const routing = () => routingFromConfig(shippedConfig("prod"));

        it("lists one pool per region with its Cloudflare region, and every region of the load balancer", () => {
            const r = routing();
            assert.deepEqual(
                r.pools.map((p) => [p.name, p.region, p.domain]),
                [
                    ["aws-us-east-1", "ENAM", "us"],
                    ["gcp-us-central1", "WNAM", "us"],
                    ["aws-us-west-2", "WNAM", "us"],
                    ["aws-eu-central-1", "WEU", "eu"],
                    ["gcp-europe-west1", "WEU", "eu"],
                    ["aws-eu-west-1", "WEU", "eu"],
                ],
            );
            assert.deepEqual(Object.keys(r.byCloudflareRegion), [...CLOUDFLARE_REGIONS]);
            assert.equal(r.fallback, "aws-eu-west-1");
            assert.deepEqual(
                r.defaultPools,
                r.pools.map((p) => p.name),
            );
        });

        it("pins eu to the Cloudflare regions of its countries (EEA + CH + GB: WEU, EEU)", () => {
            const [pin] = routing().pins;
            assert.equal(pin!.domain, "eu");
            assert.deepEqual(pin!.regions, ["WEU", "EEU"]);
            assert.equal(pin!.condition, 'cf.load_balancer.region in {"WEU" "EEU"}');
            assert.deepEqual(pin!.unpinnedCountries, []);
            assert.deepEqual(pin!.foreignCountries, []);
        });

        it("orders pools by estimated latency from each region", () => {
            const r = routing();
            assert.equal(r.byCloudflareRegion.ENAM[0], "aws-us-east-1");
            assert.equal(r.byCloudflareRegion.WNAM[0], "aws-us-west-2");
            assert.deepEqual(r.byCloudflareRegion.WEU, ["aws-eu-central-1", "gcp-europe-west1", "aws-eu-west-1"]);
            assert.equal(r.byCloudflareRegion.SSAM[0], "aws-us-east-1");
            assert.match(r.model, /Estimate/);
        });

        it("never names an out-of-domain pool for pinned regions, fallback and single failures included", () => {
            const r = routing();
            const domain = domainOf(r);
            for (const region of ["WEU", "EEU"] as const)
                for (const list of pinnedLists(r, region))
                    for (const pool of list) assert.equal(domain.get(pool), "eu", `${region}: ${list.join(", ")}`);
            const [rule] = pinRules(r);
            assert.deepEqual(
                rule!.overrides.defaultPools.map((p) => domain.get(p)),
                ["eu", "eu", "eu"],
            );
            assert.equal(domain.get(rule!.overrides.fallbackPool), "eu");
        });

        it("moves to the next pool when one is down and never keeps a down pool while another is left", () => {
            const r = routing();
            assert.deepEqual(r.singlePoolDown["aws-eu-central-1"]!.WEU, ["gcp-europe-west1", "aws-eu-west-1"]);
            assert.equal(r.singlePoolDown["aws-us-east-1"]!.ENAM[0], "gcp-us-central1");
            for (const [down, table] of Object.entries(r.singlePoolDown))
                for (const list of Object.values(table)) assert.ok(!list.includes(down), `${down} still listed: ${list.join(", ")}`);
            assert.deepEqual(r.failClosed, []);
        });

        it("resolves countries through Cloudflare's country-to-region mapping", () => {
            const r = routing();
            assert.deepEqual(Object.keys(r.byCountry.DE!), ["WEU"]);
            assert.deepEqual(r.byCountry.GB!.WEU, r.byCloudflareRegion.WEU);
            assert.deepEqual(Object.keys(r.byCountry.US!).sort(), ["ENAM", "WNAM"]); // split by state
            assert.deepEqual(r.byCountry.PL!.EEU, ["aws-eu-central-1", "gcp-europe-west1", "aws-eu-west-1"]);
            assert.ok(Object.keys(r.byCountry).length > 240);
        });

        it("emits one terminating rule per pin with the domain's pools, in the v6 rules[] shape", () => {
            const ids = pinRules(routing(), (p) => `id-${p}`);
            assert.deepEqual(ids, [
                {
                    name: "pin-eu",
                    condition: 'cf.load_balancer.region in {"WEU" "EEU"}',
                    priority: 1,
                    terminates: true,
                    overrides: {
                        defaultPools: ["id-aws-eu-central-1", "id-gcp-europe-west1", "id-aws-eu-west-1"],
                        fallbackPool: "id-aws-eu-west-1",
                        adaptiveRouting: { failoverAcrossPools: false },
                    },
                },
            ]);
        });
    });

    describe("steering policies", () => {
        it("off: default pools in failover order, the pinned domain's pools in pinned regions", () => {
            const r = resolveRouting(prodInput({ steeringPolicy: "off" }));
            assert.deepEqual(r.byCloudflareRegion.NEAS, r.defaultPools);
            assert.deepEqual(r.byCloudflareRegion.EEU, ["aws-eu-central-1", "gcp-europe-west1", "aws-eu-west-1"]);
            assert.match(r.model, /exact/);
        });

        it("proximity: nearest pool by coordinates, pins as rules", () => {
            const r = resolveRouting(prodInput({ steeringPolicy: "proximity" }));
            assert.equal(r.byCloudflareRegion.WNAM[0], "aws-us-west-2");
            assert.equal(pinRules(r).length, 1);
            assert.equal(r.regionPools, undefined);
        });

        it("geo: regionPools for every region (own region first), pins in regionPools, the pinned domain's fallback, no rules", () => {
            const r = resolveRouting(prodInput({ steeringPolicy: "geo" }));
            assert.ok(r.regionPools);
            assert.deepEqual(Object.keys(r.regionPools), [...CLOUDFLARE_REGIONS]);
            assert.deepEqual(r.regionPools.WNAM.slice(0, 2).sort(), ["aws-us-west-2", "gcp-us-central1"]);
            assert.deepEqual(r.regionPools.WEU, ["aws-eu-central-1", "gcp-europe-west1", "aws-eu-west-1"]);
            assert.equal(r.regionPools.ENAM.length, 6);
            assert.equal(r.fallback, "aws-eu-west-1");
            assert.equal(domainOf(r).get(r.fallback), "eu");
            assert.deepEqual(pinRules(r), []);
            assert.equal(r.pins[0]!.condition, "");
            const domain = domainOf(r);
            for (const region of ["WEU", "EEU"] as const)
                for (const list of pinnedLists(r, region)) for (const p of list) assert.equal(domain.get(p), "eu");
        });

        it("every policy keeps pinned regions inside the domain", () => {
            for (const steeringPolicy of ["dynamic_latency", "proximity", "geo", "off"]) {
                const r = resolveRouting(prodInput({ steeringPolicy }));
                const domain = domainOf(r);
                for (const region of r.pins[0]!.regions)
                    for (const list of pinnedLists(r, region))
                        assert.ok(
                            list.every((p) => domain.get(p) === "eu"),
                            `${steeringPolicy} ${region}: ${list}`,
                        );
            }
        });
    });

    describe("fail-closed pins", () => {
        it("a pinned domain with one pool serves its errors instead of spilling (staging)", () => {
            const r = routingFromConfig(shippedConfig("staging"));
            assert.deepEqual(r.pins[0]!.pools, ["gcp-europe-west1"]);
            assert.deepEqual(r.singlePoolDown["gcp-europe-west1"]!.WEU, ["gcp-europe-west1"]);
            assert.deepEqual(r.failClosed, [{ down: "gcp-europe-west1", regions: ["WEU", "EEU"] }]);
            // Unpinned regions fail over to the other domain's pool.
            assert.deepEqual(r.singlePoolDown["gcp-europe-west1"]!.ME, ["aws-us-east-2"]);
        });
    });

    describe("pin regions", () => {
        const withPin = (pin: Partial<PinDomain>): RoutingInput => {
            const base = prodInput();
            return { ...base, domains: base.domains.map((d) => (d.name === "eu" ? { ...d, ...pin } : d)) };
        };

        it("takes explicit pinRegions and reports the domain's countries left outside", () => {
            const r = resolveRouting(withPin({ pinRegions: ["WEU"] }));
            assert.deepEqual(r.pins[0]!.regions, ["WEU"]);
            assert.ok(r.pins[0]!.unpinnedCountries.includes("PL"));
            assert.equal(r.byCloudflareRegion.EEU.length, 6); // no longer pinned
        });

        it("reports other domains' countries that land in pinned regions", () => {
            const r = resolveRouting(withPin({ pinRegions: ["WEU", "EEU", "WNAM"] }));
            assert.ok(r.pins[0]!.foreignCountries.includes("US"));
            assert.ok(r.pins[0]!.foreignCountries.includes("MX"));
        });
    });

    describe("bad input fails early, naming the key", () => {
        it("unknown steering policy", () => {
            assert.deepEqual(
                rejectedKeys(() => resolveRouting(prodInput({ steeringPolicy: "latency" }))),
                ["backend:cloudflare.steeringPolicy"],
            );
        });

        it("unknown Cloudflare region in a pin, with a suggestion", () => {
            const base = prodInput();
            const domains = base.domains.map((d) => (d.name === "eu" ? { ...d, pinRegions: ["WEU", "weur"] } : d));
            try {
                resolveRouting({ ...base, domains });
                assert.fail("expected a ConfigError");
            } catch (e) {
                assert.ok(e instanceof ConfigError);
                assert.deepEqual(
                    e.issues.map((i) => i.key),
                    ["backend:domains[0].pinRegions[1]"],
                );
                assert.match(e.message, /"weur" is not a Cloudflare region; did you mean "WEU"\?/);
            }
        });

        it("pinned domain without a region", () => {
            const base = prodInput();
            const pools = base.pools.filter((p) => p.domain !== "eu");
            assert.deepEqual(
                rejectedKeys(() => resolveRouting({ ...base, pools })),
                ["backend:domains[0]"],
            );
        });

        it("two domains pinning the same Cloudflare region", () => {
            const base = prodInput();
            const domains = base.domains.map((d) => (d.name === "us" ? { ...d, pinRouting: true, pinRegions: ["ENAM", "WEU"] } : d));
            assert.deepEqual(
                rejectedKeys(() => resolveRouting({ ...base, domains })),
                ["backend:domains[1].pinRegions"],
            );
        });

        it("pinRegions on a domain that does not pin", () => {
            const base = prodInput();
            const domains = base.domains.map((d) => (d.name === "us" ? { ...d, pinRegions: ["ENAM"] } : d));
            assert.deepEqual(
                rejectedKeys(() => resolveRouting({ ...base, domains })),
                ["backend:domains[1].pinRegions"],
            );
        });

        it("more pins than a non-Enterprise zone has rules, and several pins under geo steering", () => {
            const base = prodInput();
            const domains = base.domains.map((d) => ({ ...d, pinRouting: true }));
            assert.deepEqual(
                rejectedKeys(() => resolveRouting({ ...base, domains, plan: "business" })),
                ["backend:domains[1].pinRouting"],
            );
            assert.equal(resolveRouting({ ...base, domains, plan: "enterprise" }).pins.length, 2);
            assert.deepEqual(
                rejectedKeys(() => resolveRouting({ ...base, domains, steeringPolicy: "geo" })),
                ["backend:cloudflare.steeringPolicy"],
            );
        });
    });

    describe("trafficChecks (for config validation)", () => {
        it("accepts the shipped stacks", () => {
            for (const stack of shippedStacks()) assert.deepEqual(trafficChecks(shippedConfig(stack)), [], stack);
        });

        it("reads raw domains (jurisdictions not expanded) and reports each problem with its key", () => {
            const issues = trafficChecks({
                cloudflare: { plan: "pro", steeringPolicy: "fastest" },
                domains: [
                    { name: "eu", jurisdictions: ["EU"], countries: [], pinRouting: true, pinRegions: ["WEU", "XX"] },
                    { name: "us", countries: ["US"], pinRouting: false },
                ],
            });
            assert.deepEqual(
                issues.map((i) => i.key),
                ["backend:cloudflare.steeringPolicy", "backend:domains[0].pinRegions[1]"],
            );
        });

        it("leaves 'domain has no region' to config validation", () => {
            assert.deepEqual(
                trafficChecks({
                    cloudflare: { plan: "pro", steeringPolicy: "off" },
                    domains: [{ name: "eu", countries: ["DE"], pinRouting: true }],
                }),
                [],
            );
        });
    });
});

describe("traffic steering: per country, normally and with each single pool down", () => {
    const routing = routingFromConfig(shippedConfig("prod"));
    const domain = domainOf(routing);

    it("serves a country of the pinned domain from its own pools only, whichever single pool is down", () => {
        for (const country of ["DE", "FR", "GB", "CH"])
            for (const down of [undefined, ...routing.pools.map((p) => p.name)])
                for (const [region, pools] of Object.entries(countryPools(routing, country, down))) {
                    assert.ok(pools!.length > 0, `${country} via ${region} with ${down} down has no pool`);
                    for (const pool of pools!)
                        assert.equal(domain.get(pool), "eu", `${country} via ${region} with ${down} down reaches ${pool}`);
                }
    });

    it("moves a country off a failed region to the next one, and follows Cloudflare's two regions for the US", () => {
        const normal = countryPools(routing, "US");
        assert.deepEqual(Object.keys(normal).sort(), ["ENAM", "WNAM"]);
        assert.equal(normal.ENAM![0], "aws-us-east-1");
        const down = countryPools(routing, "US", "aws-us-east-1");
        assert.notEqual(down.ENAM![0], "aws-us-east-1");
        assert.deepEqual(down.ENAM, routing.singlePoolDown["aws-us-east-1"]!.ENAM);
    });

    it("names the unknown country or pool", () => {
        assert.throws(() => countryPools(routing, "XX"), /"XX" is not an ISO 3166-1 alpha-2 country code/);
        assert.throws(() => countryPools(routing, "US", "aws-mars-1"), /"aws-mars-1" is not a pool of this load balancer/);
    });
});

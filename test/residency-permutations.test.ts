/**
 * Adversarial residency fixtures: three domains whose regions sit so that another domain's region
 * is the nearest region to many of a domain's countries, listed in every order, pinned one domain
 * at a time under every steering policy. The shipped stacks list the pinned domain's regions last
 * and keep each domain's regions nearest to its own countries, so "the load balancer's last pool"
 * and "the domain's last pool" coincide there, and so do "nearest region" and "nearest region of
 * the country's domain"; these fixtures pull them apart.
 */
import assert from "node:assert/strict";
import type { CloudflareRegion } from "../components/catalog-types";
import { databaseSpec } from "../components/cockroach/spec";
import { homeExpression } from "../components/cockroach/sql";
import { mappingIssues } from "../components/cockroach/validate";
import type { StackConfig } from "../components/config";
import { COUNTRY_BY_CODE } from "../components/countries";
import { findRegion } from "../components/regions-lookup";
import { greatCircleKm, planTopology } from "../components/topology";
import { pinRules, resolveRouting, routingInputFromConfig, STEERING_POLICIES, type RoutingPlan } from "../components/traffic";
import { fixtureConfig } from "./support";

type RegionEntry = { cloud: "aws" | "gcp"; region: string; domain: string; primary?: boolean };

/**
 * ch: Zurich only. gb: London only. eu: Dublin, Stockholm, Madrid, none of them in the middle of
 * the continent. Capital-to-city distances (km, from components/countries.ts and regions.ts):
 * Berlin: Zurich 670, Stockholm 811; Vienna: Zurich 592, Stockholm 1,241; Rome: Zurich 684,
 * Madrid 1,364; Paris: London 343, Zurich 488, Dublin 781; Brussels: London 321, Dublin 775;
 * Amsterdam: London 358, Dublin 756.
 */
const REGIONS: readonly RegionEntry[] = [
    { cloud: "aws", region: "eu-central-2", domain: "ch" },
    { cloud: "aws", region: "eu-west-1", domain: "eu", primary: true },
    { cloud: "aws", region: "eu-north-1", domain: "eu" },
    { cloud: "gcp", region: "europe-southwest1", domain: "eu" },
    { cloud: "gcp", region: "europe-west2", domain: "gb" },
];
const DOMAINS = ["ch", "eu", "gb"] as const;

/** Every country's home region among the eu domain's own regions (nearest of the three). */
const EU_HOMES: Readonly<Record<string, string>> = {
    DE: "aws-eu-north-1",
    AT: "aws-eu-north-1",
    IT: "gcp-europe-southwest1",
    FR: "aws-eu-west-1",
    BE: "aws-eu-west-1",
    NL: "aws-eu-west-1",
};

function permutations<T>(items: readonly T[]): T[][] {
    if (items.length <= 1) return [[...items]];
    return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** The fixture with three domains, the regions in `order`, `pinned` pinning its routing. */
function configOf(order: readonly RegionEntry[], pinned?: string, steeringPolicy = "dynamic_latency"): StackConfig {
    return fixtureConfig((raw) => {
        raw.domains = [
            { name: "ch", countries: ["CH", "LI"], pinRouting: pinned === "ch" },
            { name: "eu", jurisdictions: ["EU"], pinRouting: pinned === "eu" },
            { name: "gb", countries: ["GB"], pinRouting: pinned === "gb" },
        ];
        raw.regions = order.map((r) => ({ ...r }));
        raw.cloudflare = { ...raw.cloudflare, plan: "enterprise", steeringPolicy };
    });
}

const ORDERS = permutations(REGIONS);
const name = (r: RegionEntry) => `${r.cloud}-${r.region}`;
const domainOfRegion = new Map(REGIONS.map((r) => [name(r), r.domain]));
/** Where the pinned domain's regions sit in the list: first, middle or last. */
const position = (order: readonly RegionEntry[], domain: string) => {
    const idx = order.flatMap((r, i) => (r.domain === domain ? [i] : []));
    return idx[0] === 0 ? "first" : idx[idx.length - 1] === order.length - 1 ? "last" : "middle";
};

describe("residency under adversarial region orders and placements", () => {
    it("the fixture is adversarial: another domain's region is the nearest region to DE, AT, IT, FR, BE and NL", () => {
        for (const code of Object.keys(EU_HOMES)) {
            const c = COUNTRY_BY_CODE.get(code)!;
            const nearest = REGIONS.map((r) => ({ r, km: greatCircleKm(c.latitude, c.longitude, ...coords(r)) })).sort(
                (a, b) => a.km - b.km,
            )[0]!.r;
            assert.notEqual(nearest.domain, "eu", `${code}: nearest region ${name(nearest)} is in eu; the fixture lost its point`);
        }
        // Every pinned domain is first, middle and last in some order.
        for (const d of DOMAINS) assert.deepEqual([...new Set(ORDERS.map((o) => position(o, d)))].sort(), ["first", "last", "middle"], d);
    });

    it("homes every country in its own domain's nearest region, in every region order", () => {
        for (const order of ORDERS) {
            const config = configOf(order);
            const { countryHome } = planTopology(config);
            const label = order.map(name).join(", ");
            for (const d of config.domains)
                for (const code of d.countries)
                    assert.equal(
                        domainOfRegion.get(countryHome.get(code)!),
                        d.name,
                        `${code} homed in ${countryHome.get(code)} (${label})`,
                    );
            for (const [code, region] of Object.entries(EU_HOMES)) assert.equal(countryHome.get(code), region, `${code} (${label})`);
            assert.equal(countryHome.get("CH"), "aws-eu-central-2");
            assert.equal(countryHome.get("GB"), "gcp-europe-west2");
        }
    });

    it("writes in-domain homes into the database spec and the SQL home column, in every region order", () => {
        for (const order of ORDERS) {
            const config = configOf(order);
            const topology = planTopology(config);
            const spec = databaseSpec(config, topology, []);
            const label = order.map(name).join(", ");
            assert.deepEqual(mappingIssues(spec, topology.countryHome), [], label);
            const domainOfCountry = new Map(config.domains.flatMap((d) => d.countries.map((c) => [c, d.name] as const)));
            for (const rule of spec.homeRules)
                for (const c of rule.countries)
                    assert.equal(domainOfRegion.get(rule.region), domainOfCountry.get(c), `${c} -> ${rule.region} (${label})`);
            // The computed column itself: each WHEN names countries of the THEN region's domain.
            const sql = homeExpression("country", spec.homeRules, spec.primaryRegion);
            const whens = [...sql.matchAll(/WHEN country IN \(([^)]*)\) THEN '([^']+)'/g)];
            assert.equal(whens.length, spec.homeRules.length);
            for (const [, list, region] of whens)
                for (const c of list!.split(", ").map((x) => x.slice(1, -1)))
                    assert.equal(domainOfCountry.get(c), domainOfRegion.get(region!), `SQL homes ${c} in ${region} (${label})`);
            assert.match(sql, /WHEN country IN \([^)]*'DE'[^)]*\) THEN 'aws-eu-north-1'/);
        }
    });

    for (const policy of STEERING_POLICIES)
        it(`${policy}: keeps each pinned domain's pins, fallbacks and region pools in the domain, first, middle or last`, () => {
            const seen = new Set<string>();
            for (const pinned of DOMAINS)
                for (const order of ORDERS) {
                    const routing = resolveRouting(routingInputFromConfig(configOf(order, pinned, policy)));
                    const label = `${pinned} ${position(order, pinned)}: ${order.map(name).join(", ")}`;
                    seen.add(`${pinned} ${position(order, pinned)}`);
                    assertPinInDomain(routing, pinned, label);
                }
            assert.equal(seen.size, DOMAINS.length * 3);
        });
});

function coords(r: RegionEntry): [number, number] {
    const e = findRegion(r.cloud, r.region)!;
    return [e.latitude, e.longitude];
}

function assertPinInDomain(routing: RoutingPlan, domain: string, label: string): void {
    const own = (pool: string) => domainOfRegion.get(pool) === domain;
    assert.equal(routing.pins.length, 1, label);
    const [pin] = routing.pins;
    assert.equal(pin!.domain, domain, label);
    assert.ok(pin!.pools.length > 0 && pin!.pools.every(own), `${label}: pin pools ${pin!.pools.join(", ")}`);
    assert.ok(own(pin!.fallback), `${label}: pin fallback ${pin!.fallback}`);
    for (const rule of pinRules(routing)) {
        assert.ok(rule.overrides.defaultPools.every(own), `${label}: rule pools ${rule.overrides.defaultPools.join(", ")}`);
        assert.ok(own(rule.overrides.fallbackPool), `${label}: rule fallback ${rule.overrides.fallbackPool}`);
    }
    if (routing.steeringPolicy === "geo") {
        assert.ok(own(routing.fallback), `${label}: geo fallback ${routing.fallback}`);
        for (const r of pin!.regions)
            assert.ok(routing.regionPools![r].every(own), `${label}: regionPools.${r} ${routing.regionPools![r].join(", ")}`);
    } else assert.equal(pinRules(routing).length, 1, label);
    // Normally and with each single pool down (the fallback included), pinned regions stay home.
    const tables = [routing.byCloudflareRegion, ...Object.values(routing.singlePoolDown)];
    for (const r of pin!.regions as CloudflareRegion[])
        for (const t of tables) assert.ok(t[r].length > 0 && t[r].every(own), `${label}: ${r} -> ${t[r].join(", ")}`);
}

import assert from "node:assert/strict";
import { CLOUDFLARE_REGIONS } from "../components/catalog-types";
import { COUNTRY_BY_CODE, JURISDICTIONS } from "../components/countries";
import {
    checkedInEveryRegion,
    distanceKm,
    EU27_TOTAL_2024,
    floorMs,
    latencyModel,
    POPULATION,
    POPULATION_BY_CODE,
    renderLatency,
    roundTripMs,
    servingPools,
    uniqueConstraints,
    weightedPercentile,
} from "../components/latency";
import { databaseModel } from "../components/cockroach";
import { splitStatements } from "../components/cockroach/sqlLexer";
import type { StackConfig } from "../components/config";
import { planTopology } from "../components/topology";
import { routingFromConfig } from "../components/traffic";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig, shippedMigrations } from "./support";

const LONDON = { latitude: 51.51, longitude: -0.13 };
const FRANKFURT = { latitude: 50.11, longitude: 8.68 };
const NEW_YORK = { latitude: 40.71, longitude: -74.01 };
const ASHBURN = { latitude: 39.04, longitude: -77.49 };
const DUBLIN = { latitude: 53.35, longitude: -6.26 };

function model(config: StackConfig, migrations = shippedMigrations(), down: ReadonlySet<string> = new Set()) {
    const topology = planTopology(config);
    return latencyModel(config, topology, routingFromConfig(config), databaseModel(config, topology, migrations), down);
}

describe("latency: distances and round trips", () => {
    // Expected km by the spherical law of cosines on a 6,371.0088 km sphere (computed by hand,
    // independently of the haversine in topology.ts); published city distances agree within 1%.
    for (const [name, a, b, km] of [
        ["London-Frankfurt", LONDON, FRANKFURT, 637.9],
        ["New York-Ashburn", NEW_YORK, ASHBURN, 350.2],
        ["Frankfurt-Dublin", FRANKFURT, DUBLIN, 1087.7],
    ] as const) {
        it(`${name}: ${km} km, floor ${(km / 100).toFixed(1)} ms, modelled ${((km / 100) * 2.1).toFixed(1)} ms`, () => {
            assert.ok(Math.abs(distanceKm(a, b) - km) < 0.5, `${distanceKm(a, b)} km`);
            assert.ok(Math.abs(floorMs(a, b) - km / 100) < 0.01);
            assert.ok(Math.abs(roundTripMs(a, b) - (km / 100) * 2.1) < 0.02);
            assert.ok(Math.abs(roundTripMs(a, b, 1.3) - (km / 100) * 1.3) < 0.02);
        });
    }
});

describe("latency: population data", () => {
    it("the 27 EU figures add up to Eurostat's EU total on 1 January 2024 (each rounded to 100)", () => {
        const eu = JURISDICTIONS.EU!.map((c) => POPULATION_BY_CODE.get(c));
        assert.ok(
            eu.every((p) => p?.source === "eurostat"),
            "every EU member has a Eurostat figure",
        );
        const sum = eu.reduce((a, p) => a + (p?.population ?? 0), 0);
        assert.ok(Math.abs(sum - EU27_TOTAL_2024) <= 27 * 50, `sum ${sum} vs ${EU27_TOTAL_2024}`);
    });

    it("the other figures are the cited ones", () => {
        const cited: Record<string, number> = {
            GB: 68_265_209, // ONS mid-2023
            NO: 5_550_203, // SSB, 1 January 2024
            CH: 8_962_258, // FSO STATPOP, 1 January 2024
            LI: 40_015, // Amt für Statistik, 31 December 2023
            IS: 387_558, // UN WPP 2024, 1 July 2023
            US: 339_996_564, // UN WPP 2022, 1 July 2023
            MX: 128_455_567,
            CA: 38_781_292,
        };
        for (const [code, n] of Object.entries(cited)) assert.equal(POPULATION_BY_CODE.get(code)?.population, n, code);
    });

    it("covers every country of every shipped stack's domains, once, with known codes", () => {
        assert.equal(new Set(POPULATION.map((p) => p.code)).size, POPULATION.length);
        for (const p of POPULATION) assert.ok(COUNTRY_BY_CODE.has(p.code), p.code);
        for (const stack of shippedStacks())
            for (const d of shippedConfig(stack).domains)
                for (const c of d.countries) assert.ok(POPULATION_BY_CODE.has(c), `${stack}: ${d.name} serves ${c}`);
    });
});

describe("latency: population percentiles", () => {
    // 50 people at 10 ms, 40 at 20 ms, 10 at 100 ms.
    const samples = [
        { value: 100, weight: 10 },
        { value: 10, weight: 50 },
        { value: 20, weight: 40 },
    ];
    it("P50 is reached by the first 50%, P90 by the next 40%, P95 only by the slowest 10%", () => {
        assert.equal(weightedPercentile(samples, 0.5), 10);
        assert.equal(weightedPercentile(samples, 0.9), 20);
        assert.equal(weightedPercentile(samples, 0.95), 100);
    });
    it("one person less at 10 ms moves P50 to 20 ms", () => {
        assert.equal(weightedPercentile([{ value: 10, weight: 49 }, ...samples.filter((s) => s.value !== 10)], 0.5), 20);
    });
    it("no population, no percentile", () => {
        assert.equal(weightedPercentile([{ value: 10, weight: 0 }], 0.5), undefined);
    });
});

describe("latency: routing with regions down", () => {
    for (const stack of shippedStacks())
        it(`${stack}: one pool down gives the routing plan's own single-pool-down order, for every region`, () => {
            const routing = routingFromConfig(shippedConfig(stack));
            for (const pool of routing.defaultPools)
                for (const r of CLOUDFLARE_REGIONS)
                    assert.deepEqual(servingPools(routing, r, new Set([pool])), routing.singlePoolDown[pool]![r], `${pool} down, ${r}`);
        });
    it("a pinned domain with every pool down is left with its own fallback (health ignored), not the load balancer's", () => {
        // prod with the us domain pinned too: the load balancer's fallback (last pool) is an eu region.
        const routing = routingFromConfig(
            shippedConfig("prod", (v) => {
                v["backend:domains"][1].pinRouting = true;
            }),
        );
        const us = routing.pools.filter((p) => p.domain === "us").map((p) => p.name);
        assert.equal(routing.fallback, "aws-eu-west-1");
        assert.deepEqual(servingPools(routing, "ENAM", new Set(us)), ["aws-us-west-2"]);
    });
});

describe("latency: the model on the shipped stacks", () => {
    it("prod, DE (Berlin, served and homed in Frankfurt): read 8.9 ms; REGION survival adds Frankfurt-St. Ghislain (7.3 ms)", () => {
        const de = model(shippedConfig("prod"))
            .domains.find((d) => d.domain === "eu")!
            .countries.find((c) => c.country === "DE")!;
        assert.equal(de.servedBy, "aws-eu-central-1");
        assert.equal(de.leaseholder, "aws-eu-central-1");
        // Berlin-Frankfurt 423.4 km x 0.021 = 8.89 ms; Frankfurt-St. Ghislain 347.3 km x 0.021 = 7.29 ms,
        // the nearest other voting region of the eu super region.
        assert.equal(de.read, 8.9);
        assert.equal(de.homedWrite, 16.2);
        assert.equal(de.floor, 4.2);
    });

    it("staging (ZONE survival): every voter is in the home region, so a homed write costs no more than the read", () => {
        for (const d of model(shippedConfig("staging")).domains)
            for (const c of d.countries) assert.equal(c.homedWrite, c.read, `${d.domain} ${c.country}`);
    });

    it("prod with aws-eu-central-1 down: its rows' leases move to the nearest surviving eu voter, users stay in the domain", () => {
        const plan = model(shippedConfig("prod"), shippedMigrations(), new Set(["aws-eu-central-1"]));
        const eu = plan.domains.find((d) => d.domain === "eu")!;
        const de = eu.countries.find((c) => c.country === "DE")!;
        assert.equal(de.leaseholder, "gcp-europe-west1");
        assert.notEqual(de.servedBy, "aws-eu-central-1");
        assert.deepEqual(eu.outsideDomain, []);
        assert.deepEqual(plan.down, ["aws-eu-central-1"]);
    });

    it("staging with its only eu region down: nobody in eu is served, so there is no percentile", () => {
        const plan = model(shippedConfig("staging"), shippedMigrations(), new Set(["gcp-europe-west1"]));
        const eu = plan.domains.find((d) => d.domain === "eu")!;
        assert.deepEqual(eu.reads, { p50: null, p95: null });
        assert.ok(eu.countries.every((c) => c.read === null));
    });

    it("labels every figure as modelled, in the data and in the table", () => {
        const plan = model(shippedConfig("prod"));
        assert.equal(plan.kind, "modelled");
        assert.match(renderLatency(plan), /MODELLED/);
        assert.match(plan.model, /^Modelled, not measured/);
    });
});

describe("latency: unique constraints on REGIONAL BY ROW tables", () => {
    const [init, perCountry] = shippedMigrations();
    const statementsOf = (...ms: (typeof init)[]) => ms.flatMap((m) => splitStatements(m!.sql));

    it("reads the constraints 0001 leaves on users, and 0002's replacement of users_email_key", () => {
        const before = uniqueConstraints(statementsOf(init)).find((t) => t.table === "users")!;
        assert.deepEqual(
            before.uniques.map((u) => `${u.name}(${u.columns.join(",")})`),
            ["users_pkey(id)", "users_id_country_key(id,country)", "users_email_key(email)"],
        );
        assert.deepEqual(before.randomUuidColumns, ["id"]);
        const after = uniqueConstraints(statementsOf(init, perCountry)).find((t) => t.table === "users")!;
        assert.deepEqual(
            after.uniques.map((u) => u.name),
            ["users_pkey", "users_id_country_key", "users_country_email_key"],
        );
    });

    it("finds the other ways to declare a unique column: UNIQUE INDEX in CREATE TABLE, ADD UNIQUE, ADD COLUMN ... UNIQUE", () => {
        const found = uniqueConstraints([
            "CREATE TABLE t (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), country CHAR(2) NOT NULL, email STRING, UNIQUE INDEX t_email_idx (email))",
            "CREATE TABLE u (id INT8 PRIMARY KEY, handle STRING, UNIQUE INDEX (handle))",
            "ALTER TABLE t ADD UNIQUE (country, email)",
            "ALTER TABLE t ADD COLUMN phone STRING UNIQUE",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS nickname STRING",
        ]);
        const names = (table: string) => found.find((x) => x.table === table)!.uniques.map((c) => `${c.name}(${c.columns.join(",")})`);
        assert.deepEqual(names("t"), ["t_pkey(id)", "t_email_idx(email)", "t_country_email_key(country,email)", "t_phone_key(phone)"]);
        assert.deepEqual(names("u"), ["u_pkey(id)", "u_handle_key(handle)"]);
    });

    it("CockroachDB's rule: checked in every region unless the home column's source or a gen_random_uuid() column is in it", () => {
        const u = (...columns: string[]) => ({ table: "users", name: "x", columns });
        assert.equal(checkedInEveryRegion(u("email"), "country", ["id"]), true);
        assert.equal(checkedInEveryRegion(u("country", "email"), "country", ["id"]), false);
        assert.equal(checkedInEveryRegion(u("id"), "country", ["id"]), false);
        assert.equal(checkedInEveryRegion(u("id"), "country", []), true);
    });

    it("before 0002 a European signup checks users.email in the us regions; after it, signups stay in the domain", () => {
        const config = shippedConfig("prod");
        const before = model(config, [init!]).domains.find((d) => d.domain === "eu")!;
        const users = before.uniqueInserts.find((u) => u.table === "users")!;
        assert.deepEqual(
            users.constraints.map((c) => c.name),
            ["users_email_key"],
        );
        assert.deepEqual(users.outsideDomain, ["aws-us-east-1", "aws-us-west-2", "gcp-us-central1"]);
        // DE: the homed write plus Frankfurt-Boardman (the farthest partition, 173.2 ms modelled).
        assert.equal(before.countries.find((c) => c.country === "DE")!.uniqueInsert.users, 189.3);
        assert.ok(before.inserts.p50! > before.homedWrites.p50! + 100);

        const after = model(config, [init!, perCountry!]).domains.find((d) => d.domain === "eu")!;
        assert.deepEqual(after.uniqueInserts, []);
        assert.deepEqual(after.inserts, after.homedWrites);
    });
});

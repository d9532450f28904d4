/**
 * Failure drills: the shipped stacks (prod survives any single region and zone with every domain
 * served in-domain and every residency partition writable; what it does not survive is asserted
 * too), hand-built topologies (a domain on one cloud, ZONE survival) and the quorum and pin rules
 * on hand-built placement entries.
 */
import assert from "node:assert/strict";
import { databaseModel, type PlacementEntry } from "../components/cockroach";
import type { StackConfig } from "../components/config";
import {
    backupIntervalSeconds,
    domainServing,
    drillsFromConfig,
    objectDrill,
    poolsWhileDown,
    renderDrills,
    type Drill,
    type Failure,
} from "../components/drills";
import { planTopology } from "../components/topology";
import { CLOUDFLARE_REGIONS } from "../components/catalog-types";
import { countryPools, routingFromConfig } from "../components/traffic";
import { domainCountries } from "../components/config";
import { shippedConfig, shippedMigrations } from "./support";

const drillsOf = (config: StackConfig) => {
    const topology = planTopology(config);
    return drillsFromConfig(config, topology, databaseModel(config, topology, shippedMigrations()));
};
const byId = (drills: readonly Drill[], id: string): Drill => {
    const d = drills.find((x) => x.scenario.id === id);
    assert.ok(d, `no drill ${id}; have ${drills.map((x) => x.scenario.id).join(", ")}`);
    return d;
};
const domain = (d: Drill, name: string) => {
    const found = d.domains.find((x) => x.domain === name);
    assert.ok(found, `no domain ${name} in ${d.scenario.id}`);
    return found;
};
const residencyObjects = (d: Drill) => d.objects.filter((o) => o.residency);

/** A hand-built placement entry: only what the quorum model reads. */
function entry(voters: Record<string, number>, extra: Partial<PlacementEntry> = {}): PlacementEntry {
    const home = Object.keys(voters)[0] ?? "a";
    return {
        kind: "regional-by-row",
        table: "t",
        partition: home,
        home,
        residency: true,
        voters,
        nonVoters: {},
        unpinned: { voters: 0, nonVoters: 0, slots: {}, anyRegion: 0 },
        leaseholder: home,
        zoneConfig: { num_replicas: 0, num_voters: 0, constraints: "", voter_constraints: "", lease_preferences: `[[+region=${home}]]` },
        ownFields: [],
        satisfiable: true,
        ...extra,
    };
}
const down = (...regions: string[]): Failure => ({ regions: new Set(regions), zone: null });

describe("failure drills", () => {
    describe("quorum rule (hand-built placement)", () => {
        it("keeps writes while a majority of voters survives, and only then", () => {
            const e = entry({ a: 2, b: 2, c: 1 });
            const one = objectDrill(e, down("a"), 3600);
            assert.deepEqual(
                [one.majority, one.survivingVoters.worst, one.quorum, one.writes, one.rpoSeconds],
                [3, 3, "survives", "available", 0],
            );
            const two = objectDrill(e, down("a", "c"), 3600);
            assert.deepEqual(
                [two.survivingVoters.worst, two.quorum, two.writes, two.reads, two.rpoSeconds],
                [2, "lost", "unavailable", "stale-only", 3600],
            );
            // Half is not a majority: 4 voters, 2 lost.
            assert.equal(objectDrill(entry({ a: 2, b: 2 }), down("a"), 3600).quorum, "lost");
            // Nothing left anywhere: not even stale reads.
            assert.equal(objectDrill(entry({ a: 3 }), down("a"), 3600).reads, "unavailable");
        });

        it("moves the lease to the preferred region, else to any surviving voter, and nowhere without a quorum", () => {
            const e = entry(
                { a: 2, b: 2, c: 1 },
                { zoneConfig: { ...entry({ a: 1 }).zoneConfig, lease_preferences: "[[+region=a], [+region=c]]" } },
            );
            assert.deepEqual(objectDrill(e, down("b"), 1).leaseholder, { before: "a", after: ["a"], rule: "unchanged" });
            assert.deepEqual(objectDrill(e, down("a"), 1).leaseholder, { before: "a", after: ["c"], rule: "preference" });
            const noPreference = entry({ a: 2, b: 2, c: 1 });
            assert.deepEqual(objectDrill(noPreference, down("a"), 1).leaseholder, { before: "a", after: ["b", "c"], rule: "any-voter" });
            assert.deepEqual(objectDrill(noPreference, down("a", "b"), 1).leaseholder.after, []);
        });

        it("counts voters CockroachDB places by itself at worst and at best", () => {
            // 2 pinned in a, 3 of the 5 slots b..f are voters (the database zone config of prod's shape).
            const e = entry({ a: 2 }, { unpinned: { voters: 3, nonVoters: 2, slots: { b: 1, c: 1, d: 1, e: 1, f: 1 }, anyRegion: 0 } });
            const lostB = objectDrill(e, down("b"), 1);
            assert.deepEqual([lostB.survivingVoters, lostB.quorum], [{ worst: 4, best: 5 }, "survives"]);
            const lostABC = objectDrill(e, down("a", "b", "c"), 1);
            assert.deepEqual([lostABC.survivingVoters, lostABC.quorum, lostABC.writes], [{ worst: 1, best: 3 }, "depends", "depends"]);
        });

        it("takes at most one zone's share of a region's voters in a zone failure", () => {
            const e = entry({ a: 3 });
            const zone: Failure = { regions: new Set(), zone: { region: "a", zonesWithNodes: 3 } };
            assert.deepEqual([objectDrill(e, zone, 1).survivingVoters.worst, objectDrill(e, zone, 1).quorum], [2, "survives"]);
            // Three voters on two zones: one of them holds two, so losing a given zone may or may not cost the quorum.
            const twoZones: Failure = { regions: new Set(), zone: { region: "a", zonesWithNodes: 2 } };
            assert.deepEqual(objectDrill(e, twoZones, 1).survivingVoters, { worst: 1, best: 2 });
            assert.equal(objectDrill(e, twoZones, 1).quorum, "depends");
        });

        it("bounds the data at risk by the hourly incremental backup", () => {
            assert.equal(backupIntervalSeconds(), 3600);
            assert.throws(() => backupIntervalSeconds("*/5 * * * *"), /no modelled interval/);
        });
    });

    describe("pin rule", () => {
        const routing = routingFromConfig(shippedConfig("prod"));
        const config = shippedConfig("prod");
        const eu = config.domains.find((d) => d.name === "eu")!;
        const euRegions = new Set(config.regions.filter((r) => r.domain === "eu").map((r) => r.crdbRegion));

        it("agrees with the routing plan's single-pool-down tables and countryPools", () => {
            for (const pool of routing.defaultPools) {
                for (const r of CLOUDFLARE_REGIONS)
                    assert.deepEqual(poolsWhileDown(routing, r, new Set([pool])), routing.singlePoolDown[pool]![r]);
                const serving = domainServing(routing, eu, euRegions, new Set([pool]));
                for (const a of serving.arrivals)
                    for (const c of a.countries)
                        assert.equal(countryPools(routing, c, pool)[a.cloudflareRegion]?.[0], a.pool, `${c} with ${pool} down`);
            }
        });

        it("fails closed: with every pool of the pinned domain down, its users get its own fallback's errors", () => {
            const serving = domainServing(routing, eu, euRegions, euRegions);
            assert.ok(serving.failClosed && !serving.served);
            for (const a of serving.arrivals.filter((x) => x.cloudflareRegion === "WEU" || x.cloudflareRegion === "EEU")) {
                assert.ok(euRegions.has(a.pool), `${a.cloudflareRegion} must stay on an eu pool, got ${a.pool}`);
                assert.equal(a.healthy, false);
            }
            assert.ok(domainCountries(eu).length > 0);
        });
    });

    describe("prod", () => {
        const drills = drillsOf(shippedConfig("prod"));

        it("runs every region, every zone of the primary region, each cloud and each domain", () => {
            assert.deepEqual(
                drills.map((d) => d.scenario.id),
                [
                    "region:aws-us-east-1",
                    "region:gcp-us-central1",
                    "region:aws-us-west-2",
                    "region:aws-eu-central-1",
                    "region:gcp-europe-west1",
                    "region:aws-eu-west-1",
                    "zone:us-east-1a",
                    "zone:us-east-1b",
                    "zone:us-east-1c",
                    "cloud:aws",
                    "cloud:gcp",
                    "domain:us",
                    "domain:eu",
                ],
            );
        });

        it("keeps every domain served in-domain and every residency partition writable after any single region or zone loss", () => {
            for (const d of drills.filter((x) => x.scenario.kind === "region" || x.scenario.kind === "zone")) {
                assert.ok(d.survives, `${d.scenario.id}: ${d.losses.join(" ")}`);
                for (const dom of d.domains)
                    assert.ok(dom.served && dom.inDomain && dom.writable && dom.rpoSeconds === 0, `${d.scenario.id} ${dom.domain}`);
                for (const o of residencyObjects(d)) assert.equal(o.writes, "available", `${d.scenario.id} ${o.table}@${o.partition}`);
            }
        });

        it("moves a lost region's leases to a surviving voter of the same domain", () => {
            const d = byId(drills, "region:aws-eu-central-1");
            const users = d.objects.find((o) => o.table === "users" && o.partition === "aws-eu-central-1")!;
            assert.equal(users.leaseholder.rule, "any-voter");
            assert.deepEqual(users.leaseholder.after, ["aws-eu-west-1", "gcp-europe-west1"]);
            assert.deepEqual(domain(d, "eu").pools, ["gcp-europe-west1"]);
        });

        it("does not survive losing AWS: every residency partition has its quorum on AWS; users are still served in-domain from GCP", () => {
            const d = byId(drills, "cloud:aws");
            assert.equal(d.survives, false);
            for (const o of residencyObjects(d)) assert.equal(o.quorum, "lost", `${o.table}@${o.partition}`);
            assert.deepEqual(domain(d, "eu").pools, ["gcp-europe-west1"]);
            assert.deepEqual(domain(d, "us").pools, ["gcp-us-central1"]);
            for (const dom of d.domains) assert.ok(dom.inDomain && !dom.writable && dom.rpoSeconds === 3600);
        });

        it("survives losing GCP", () => {
            const d = byId(drills, "cloud:gcp");
            assert.ok(d.survives, d.losses.join(" "));
        });

        it("fails closed for the pinned eu domain when it is down, and serves the unpinned us domain from the eu when us is down", () => {
            const eu = domain(byId(drills, "domain:eu"), "eu");
            assert.ok(eu.failClosed && !eu.served && eu.pools.length === 0);
            const us = domain(byId(drills, "domain:us"), "us");
            assert.ok(us.served && !us.inDomain && !us.writable);
            assert.ok(byId(drills, "domain:eu").losses.some((l) => /fails closed/.test(l)));
        });

        it("renders the tables and names what it does not survive", () => {
            const text = renderDrills(drills);
            assert.match(text, /Does not survive 3 of 13 drills: cloud:aws, domain:us, domain:eu/);
            assert.match(text, /users@aws-eu-central-1: loses its quorum \(1 of 5 voters left, 3 needed\)/);
        });
    });

    describe("hand-built topologies", () => {
        it("a domain on one cloud only does not survive that cloud's outage, and fails closed when pinned", () => {
            const config = shippedConfig("prod", (v) => {
                const regions = v["backend:regions"] as { cloud: string; region: string }[];
                const gcpEu = regions.find((r) => r.region === "europe-west1")!;
                Object.assign(gcpEu, { cloud: "aws", region: "eu-west-3" });
            });
            const drills = drillsOf(config);
            const aws = byId(drills, "cloud:aws");
            const eu = domain(aws, "eu");
            assert.ok(eu.failClosed && !eu.writable);
            assert.ok(aws.losses.some((l) => l.startsWith("domain eu: pinned and no pool")));
            const gcp = byId(drills, "cloud:gcp");
            assert.ok(domain(gcp, "eu").served && domain(gcp, "eu").writable);
        });

        it("with ZONE survival a region loss loses that region's partitions, and a zone loss loses nothing", () => {
            const config = shippedConfig("prod", (v) => Object.assign(v["backend:cockroach"] as object, { survivalGoal: "zone" }));
            const drills = drillsOf(config);
            const d = byId(drills, "region:aws-eu-west-1");
            assert.equal(d.survives, false);
            for (const o of residencyObjects(d)) {
                const expected = o.partition === "aws-eu-west-1" ? "lost" : "survives";
                assert.equal(o.quorum, expected, `${o.table}@${o.partition}`);
            }
            // Users are still served in-domain; only the lost region's rows stop.
            assert.ok(domain(d, "eu").served && domain(d, "eu").inDomain && !domain(d, "eu").writable);
            for (const z of drills.filter((x) => x.scenario.kind === "zone")) assert.ok(z.survives, z.losses.join(" "));
        });

        it("drills only the primary's zones that hold a node: an empty zone takes no replica with it", () => {
            const config = shippedConfig("prod", (v) =>
                Object.assign(v["backend:cockroach"] as object, { survivalGoal: "zone", nodesPerRegion: 2 }),
            );
            const drills = drillsOf(config);
            const zones = drills.filter((x) => x.scenario.kind === "zone").map((x) => x.scenario.id);
            assert.deepEqual(zones, ["zone:us-east-1a", "zone:us-east-1b"]);
        });
    });

    describe("staging (two regions, ZONE survival)", () => {
        it("loses the pinned eu domain with its only region, failing closed", () => {
            const drills = drillsOf(shippedConfig("staging"));
            const d = byId(drills, "region:gcp-europe-west1");
            assert.ok(domain(d, "eu").failClosed);
            assert.ok(
                residencyObjects(d)
                    .filter((o) => o.partition === "gcp-europe-west1")
                    .every((o) => o.quorum === "lost"),
            );
        });
    });
});

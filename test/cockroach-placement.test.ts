/**
 * The placement model against zone configurations CockroachDB itself prints. Expected values are
 * copied from CockroachDB's logic tests (github.com/cockroachdb/cockroach,
 * pkg/ccl/logictestccl/testdata/logic_test/<file>, at the commit named) and from the worked
 * example in its source; each case names its source. Logic tests run on clusters whose regions
 * are ap-southeast-2, ca-central-1, us-east-1 (3-region configs) plus us-central-1 and us-west-1
 * (5-region configs).
 */
import assert from "node:assert/strict";
import { planTopology } from "../components/topology";
import {
    databaseZone,
    distribute,
    placementModel,
    renderZone,
    votersAndReplicas,
    type PlacementEntry,
    type PlacementInput,
    type PlacementTable,
    type ZoneConfigText,
} from "../components/cockroach/placement";
import { residencyReport } from "../components/cockroach/residency";
import { databaseSpec, type DatabaseSpec } from "../components/cockroach/spec";
import { shippedConfig, shippedMigrations } from "./support";

const AP = "ap-southeast-2";
const CA = "ca-central-1";
const US = "us-east-1";
const USC = "us-central-1";
const USW = "us-west-1";

/** A database as a logic test sets it up; domains only matter to the residency report. */
function db(
    regions: string[],
    primary: string,
    opts: Partial<Omit<PlacementInput, "superRegions">> & { superRegions?: Record<string, string[]>; tables?: PlacementTable[] } = {},
): PlacementInput {
    return {
        regions,
        primaryRegion: primary,
        secondaryRegion: opts.secondaryRegion ?? null,
        survivalGoal: opts.survivalGoal ?? "zone",
        placement: opts.placement ?? "default",
        superRegions: Object.entries(opts.superRegions ?? {}).map(([name, rs]) => ({ name, regions: rs })),
        tables: opts.tables ?? [],
        domains: opts.domains ?? [],
    };
}

const rbr = (name = "t"): PlacementTable => ({ name, locality: "residency", residency: true });
const global = (name = "g"): PlacementTable => ({ name, locality: "global", residency: false });
const rbt = (name: string, region: string | null = null): PlacementTable => ({ name, locality: "regional", residency: false, region });

function find(entries: PlacementEntry[], table: string | null, partition: string | null = null): PlacementEntry {
    const e = entries.find((x) => x.table === table && x.partition === partition);
    assert.ok(e, `no placement entry for ${table} ${partition ?? ""}`);
    return e;
}

/** The multi-region lines of a SHOW ZONE CONFIGURATION output. */
function zone(
    num_replicas: number,
    num_voters: number,
    constraints: string,
    voter_constraints: string,
    lease_preferences: string,
    global_reads = false,
): ZoneConfigText {
    return {
        ...(global_reads ? { global_reads: true as const } : {}),
        num_replicas,
        num_voters,
        constraints,
        voter_constraints,
        lease_preferences,
    };
}

describe("cockroach placement: database zone configs", () => {
    it("ZONE survival, 3 regions: 5 replicas, 3 voters in the primary, one replica per region", () => {
        // multi_region_zone_configs @000e3782: CREATE DATABASE "mr-zone-configs" primary region "ca-central-1"
        // regions "ap-southeast-2", "us-east-1"; SHOW ZONE CONFIGURATION FOR DATABASE.
        const e = find(placementModel(db([AP, CA, US], CA)), null);
        assert.deepEqual(
            e.zoneConfig,
            zone(
                5,
                3,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-east-1: 1}",
                "[+region=ca-central-1]",
                "[[+region=ca-central-1]]",
            ),
        );
        assert.deepEqual([e.voters, e.nonVoters, e.leaseholder], [{ [CA]: 3 }, { [AP]: 1, [US]: 1 }, CA]);
    });

    it("ZONE survival, 1 and 2 regions", () => {
        // multi_region_zone_configs @000e3782: gc_ttl_predefined_db after PRIMARY REGION "ca-central-1".
        assert.deepEqual(
            renderZone(databaseZone(db([CA], CA))),
            zone(3, 3, "{+region=ca-central-1: 1}", "[+region=ca-central-1]", "[[+region=ca-central-1]]"),
        );
        // global_placement_restricted @137e9776: GLOBAL table after DROP REGION "us-east-1" inherits
        // num_replicas = 4 with regions ap-southeast-2, ca-central-1.
        assert.equal(databaseZone(db([AP, CA], CA)).numReplicas, 4);
    });

    it("REGION survival, 4 regions: 5 replicas, all voters, 2 in the primary", () => {
        // pkg/sql/region_util.go, comment of zoneConfigForMultiRegionDatabase: "a database with 4
        // regions: A (primary), B, C, D and region survivability ... num_replicas = 5, num_voters = 5,
        // constraints = one per region, voter_constraints = '{"+region=A": 2}', lease_preferences = [["+region=A"]]".
        const e = find(placementModel(db(["A", "B", "C", "D"], "A", { survivalGoal: "region" })), null);
        assert.deepEqual(
            e.zoneConfig,
            zone(5, 5, "{+region=A: 1, +region=B: 1, +region=C: 1, +region=D: 1}", "{+region=A: 2}", "[[+region=A]]"),
        );
        // 2 voters pinned in A and one replica in each of B, C, D: all 5 placed, all voters.
        assert.deepEqual(
            [e.voters, e.nonVoters, e.unpinned],
            [{ A: 2, B: 1, C: 1, D: 1 }, {}, { voters: 0, nonVoters: 0, slots: {}, anyRegion: 0 }],
        );
    });

    it("REGION survival replicas: 2 + (regions - 1), at least 5, +1 with a secondary region", () => {
        // pkg/sql/regions/region_util.go GetNumVotersAndNumReplicas (25.x).
        assert.deepEqual(votersAndReplicas(3, "region", "default", false), { voters: 5, replicas: 5 });
        assert.deepEqual(votersAndReplicas(5, "region", "default", false), { voters: 5, replicas: 6 });
        assert.deepEqual(votersAndReplicas(6, "region", "default", false), { voters: 5, replicas: 7 });
        assert.deepEqual(votersAndReplicas(5, "region", "default", true), { voters: 5, replicas: 7 });
        assert.deepEqual(votersAndReplicas(4, "zone", "restricted", false), { voters: 3, replicas: 3 });
    });

    it("a secondary region adds 2 voters and a second lease preference", () => {
        // pkg/sql/regions/region_util.go SynthesizeVoterConstraints / SynthesizeLeasePreferences (25.x).
        const e = find(placementModel(db([AP, CA, US, USC], CA, { survivalGoal: "region", secondaryRegion: US })), null);
        assert.deepEqual(
            e.zoneConfig,
            zone(
                6,
                5,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-central-1: 1, +region=us-east-1: 1}",
                "{+region=ca-central-1: 2, +region=us-east-1: 2}",
                "[[+region=ca-central-1], [+region=us-east-1]]",
            ),
        );
    });
});

describe("cockroach placement: REGIONAL BY ROW partitions", () => {
    it("DEFAULT placement: each partition sets only voters and lease, inheriting 5 replicas everywhere", () => {
        // regional_by_row_placement_restricted @32bfbf9a: first SHOW PARTITIONS (placement default).
        const entries = placementModel(db([AP, CA, US], CA, { tables: [rbr("test")] }));
        for (const r of [AP, CA, US]) {
            const e = find(entries, "test", r);
            assert.deepEqual(
                e.zoneConfig,
                zone(
                    5,
                    3,
                    "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-east-1: 1}",
                    `[+region=${r}]`,
                    `[[+region=${r}]]`,
                ),
            );
            assert.deepEqual(e.ownFields, ["num_voters", "voter_constraints", "lease_preferences"]);
        }
        // multi_region_zone_configs @000e3782: SHOW PARTITIONS zone_config shows exactly those three fields.
    });

    it("RESTRICTED placement: 3 replicas, all voters, all in the partition's region", () => {
        // regional_by_row_placement_restricted @32bfbf9a: after ALTER DATABASE testdb PLACEMENT RESTRICTED.
        const entries = placementModel(db([AP, CA, US], CA, { placement: "restricted", tables: [rbr("test")] }));
        for (const r of [AP, CA, US]) {
            const e = find(entries, "test", r);
            assert.deepEqual(e.zoneConfig, zone(3, 3, "[]", `[+region=${r}]`, `[[+region=${r}]]`));
            assert.deepEqual([e.voters, e.nonVoters], [{ [r]: 3 }, {}]);
        }
    });
});

describe("cockroach placement: GLOBAL tables", () => {
    it("DEFAULT placement: global_reads on top of the database config", () => {
        // global_placement_restricted @137e9776: CREATE TABLE test () LOCALITY GLOBAL.
        const e = find(placementModel(db([AP, CA, US], CA, { tables: [global("test")] })), "test");
        assert.deepEqual(
            e.zoneConfig,
            zone(
                5,
                3,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-east-1: 1}",
                "[+region=ca-central-1]",
                "[[+region=ca-central-1]]",
                true,
            ),
        );
        assert.deepEqual(e.ownFields, ["global_reads"]);
    });

    it("RESTRICTED placement does not apply: a full DEFAULT config with a replica in every region", () => {
        // global_placement_restricted @137e9776: after ALTER DATABASE testdb PLACEMENT RESTRICTED (unchanged).
        const e = find(placementModel(db([AP, CA, US], CA, { placement: "restricted", tables: [global("test")] })), "test");
        assert.deepEqual(
            e.zoneConfig,
            zone(
                5,
                3,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-east-1: 1}",
                "[+region=ca-central-1]",
                "[[+region=ca-central-1]]",
                true,
            ),
        );
        assert.deepEqual(e.ownFields, [
            "global_reads",
            "num_replicas",
            "num_voters",
            "constraints",
            "voter_constraints",
            "lease_preferences",
        ]);
    });
});

describe("cockroach placement: super regions (zone survival)", () => {
    // super_regions @aed96034: CREATE DATABASE mr2 PRIMARY REGION "us-east-1" REGIONS "ap-southeast-2",
    // "ca-central-1"; ADD SUPER REGION "test" VALUES "us-east-1", "ap-southeast-2".
    const mr2 = db([AP, CA, US], US, {
        superRegions: { test: [AP, US] },
        tables: [rbt("t_rt", AP), rbt("t_rt_primary_region"), rbr("t_rbr"), rbt("t_rt_ca_central_1", CA)],
    });
    const entries = placementModel(mr2);
    const inSr = (home: string) =>
        zone(4, 3, "{+region=ap-southeast-2: 1, +region=us-east-1: 1}", `[+region=${home}]`, `[[+region=${home}]]`);

    it("REGIONAL BY TABLE IN a member: replicas only in the super region", () => {
        assert.deepEqual(find(entries, "t_rt").zoneConfig, inSr(AP));
    });

    it("REGIONAL BY TABLE IN PRIMARY REGION, primary in a super region: its own config", () => {
        assert.deepEqual(find(entries, "t_rt_primary_region").zoneConfig, inSr(US));
    });

    it("REGIONAL BY ROW partitions of members stay in the super region; others use every region", () => {
        assert.deepEqual(find(entries, "t_rbr", US).zoneConfig, inSr(US));
        assert.deepEqual(find(entries, "t_rbr", AP).zoneConfig, inSr(AP));
        assert.deepEqual(
            find(entries, "t_rbr", CA).zoneConfig,
            zone(
                5,
                3,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-east-1: 1}",
                "[+region=ca-central-1]",
                "[[+region=ca-central-1]]",
            ),
        );
        assert.deepEqual([find(entries, "t_rbr", AP).voters, find(entries, "t_rbr", AP).nonVoters], [{ [AP]: 3 }, { [US]: 1 }]);
    });

    it("REGIONAL BY TABLE outside any super region, then in a one-region super region", () => {
        assert.deepEqual(
            find(entries, "t_rt_ca_central_1").zoneConfig,
            zone(
                5,
                3,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-east-1: 1}",
                "[+region=ca-central-1]",
                "[[+region=ca-central-1]]",
            ),
        );
        // ADD SUPER REGION "ca-central-sr" VALUES "ca-central-1".
        const withCa = placementModel({ ...mr2, superRegions: [...mr2.superRegions, { name: "ca-central-sr", regions: [CA] }] });
        assert.deepEqual(
            find(withCa, "t_rt_ca_central_1").zoneConfig,
            zone(3, 3, "{+region=ca-central-1: 1}", "[+region=ca-central-1]", "[[+region=ca-central-1]]"),
        );
    });

    it("five regions, two super regions; dropping one returns its partitions to every region", () => {
        // CREATE DATABASE mr3 PRIMARY REGION "us-east-1" REGIONS "ap-southeast-2", "ca-central-1",
        // "us-west-1", "us-central-1"; r1 = us-east-1, ap-southeast-2; r2 = ca-central-1, us-west-1, us-central-1.
        const five = [AP, CA, USC, US, USW];
        const mr3 = db(five, US, { superRegions: { r1: [AP, US], r2: [CA, USC, USW] }, tables: [rbr("rt")] });
        const e = placementModel(mr3);
        assert.deepEqual(
            find(e, "rt", US).zoneConfig,
            zone(4, 3, "{+region=ap-southeast-2: 1, +region=us-east-1: 1}", "[+region=us-east-1]", "[[+region=us-east-1]]"),
        );
        assert.deepEqual(
            find(e, "rt", USW).zoneConfig,
            zone(
                5,
                3,
                "{+region=ca-central-1: 1, +region=us-central-1: 1, +region=us-west-1: 1}",
                "[+region=us-west-1]",
                "[[+region=us-west-1]]",
            ),
        );
        // ALTER DATABASE mr3 DROP SUPER REGION "r2".
        const dropped = placementModel({ ...mr3, superRegions: mr3.superRegions.filter((s) => s.name === "r1") });
        assert.deepEqual(
            find(dropped, "rt", CA).zoneConfig,
            zone(
                7,
                3,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-central-1: 1, +region=us-east-1: 1, +region=us-west-1: 1}",
                "[+region=ca-central-1]",
                "[[+region=ca-central-1]]",
            ),
        );
    });

    it("a one-region super region keeps all 3 replicas home", () => {
        // super_regions @aed96034: CREATE DATABASE mr1 PRIMARY REGION "us-east-1"; ADD SUPER REGION "test" VALUES "us-east-1".
        const e = placementModel(db([US], US, { superRegions: { test: [US] }, tables: [rbt("rbt"), rbr("rbr")] }));
        const expected = zone(3, 3, "{+region=us-east-1: 1}", "[+region=us-east-1]", "[[+region=us-east-1]]");
        assert.deepEqual(find(e, "rbt").zoneConfig, expected);
        assert.deepEqual(find(e, "rbr", US).zoneConfig, expected);
    });
});

describe("cockroach placement: super regions (region survival)", () => {
    // super_regions @aed96034: mr3 with super region r2 = ap-southeast-2, ca-central-1, us-central-1
    // and SURVIVE REGION FAILURE.
    const five = [AP, CA, USC, US, USW];

    it("3 members: the first non-home member (sorted) gets 2 replicas so all 5 are accounted for", () => {
        const e = placementModel(db(five, US, { survivalGoal: "region", superRegions: { r2: [AP, CA, USC] }, tables: [rbr("rt")] }));
        assert.deepEqual(
            find(e, "rt", USC).zoneConfig,
            zone(
                5,
                5,
                "{+region=ap-southeast-2: 2, +region=ca-central-1: 1, +region=us-central-1: 1}",
                "{+region=us-central-1: 2}",
                "[[+region=us-central-1]]",
            ),
        );
        assert.deepEqual(
            find(e, "rt", AP).zoneConfig,
            zone(
                5,
                5,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 2, +region=us-central-1: 1}",
                "{+region=ap-southeast-2: 2}",
                "[[+region=ap-southeast-2]]",
            ),
        );
        assert.deepEqual(find(e, "rt", USC).voters, { [AP]: 2, [CA]: 1, [USC]: 2 });
    });

    it("5 members: 6 replicas, one per member, 2 voters home", () => {
        // ADD SUPER REGION "r1" VALUES "ca-central-1", "us-west-1", "us-central-1", "ap-southeast-2", "us-east-1".
        const e = placementModel(db(five, US, { survivalGoal: "region", superRegions: { r1: five }, tables: [rbr("rt")] }));
        assert.deepEqual(
            find(e, "rt", USC).zoneConfig,
            zone(
                6,
                5,
                "{+region=ap-southeast-2: 1, +region=ca-central-1: 1, +region=us-central-1: 1, +region=us-east-1: 1, +region=us-west-1: 1}",
                "{+region=us-central-1: 2}",
                "[[+region=us-central-1]]",
            ),
        );
        const p = find(e, "rt", USC);
        assert.deepEqual(
            [p.voters, p.unpinned],
            [{ [USC]: 2 }, { voters: 3, nonVoters: 1, slots: { [AP]: 1, [CA]: 1, [US]: 1, [USW]: 1 }, anyRegion: 0 }],
        );
    });

    it("3-region database: an implicit super region for REGIONAL BY TABLE tables (25.1.x+)", () => {
        // multi_region_survival_goal @96fea90a (cockroach#142838): alter_survive_db (primary
        // ca-central-1, regions ap-southeast-2, us-east-1) SURVIVE REGION FAILURE; create table t.
        const e = placementModel(db([AP, CA, US], CA, { survivalGoal: "region", tables: [rbt("t")] }));
        const t = find(e, "t");
        assert.deepEqual(
            t.zoneConfig,
            zone(
                5,
                5,
                "{+region=ap-southeast-2: 2, +region=ca-central-1: 1, +region=us-east-1: 1}",
                "{+region=ca-central-1: 2}",
                "[[+region=ca-central-1]]",
            ),
        );
        assert.ok(t.ownFields.includes("constraints"));
    });
});

describe("cockroach placement: distribution", () => {
    it("splits replicas into pinned voters, non-voters and replicas the allocator places", () => {
        // Zone survival: every voter home, the rest non-voters (one per other region).
        assert.deepEqual(distribute(databaseZone(db([AP, CA, US], CA))), {
            voters: { [CA]: 3 },
            nonVoters: { [AP]: 1, [US]: 1 },
            unpinned: { voters: 0, nonVoters: 0, slots: {}, anyRegion: 0 },
            satisfiable: true,
        });
        // Region survival over 6 regions: 2 voters home; 3 voters and 2 non-voters, one per other region.
        const six = databaseZone(db(["a", "b", "c", "d", "e", "f"], "a", { survivalGoal: "region" }));
        assert.deepEqual(distribute(six).unpinned, { voters: 3, nonVoters: 2, slots: { b: 1, c: 1, d: 1, e: 1, f: 1 }, anyRegion: 0 });
    });
});

describe("cockroach placement: residency report", () => {
    const migrations = shippedMigrations();
    function stackSpec(stack: string, mutate: (raw: Record<string, any>) => void = () => {}): DatabaseSpec {
        const config = shippedConfig(stack, mutate);
        return databaseSpec(config, planTopology(config), migrations);
    }

    for (const stack of ["prod", "staging"])
        it(`finds no replica of a domain's data outside the domain in the shipped stack ${stack}`, () => {
            const spec = stackSpec(stack);
            assert.deepEqual(residencyReport(spec), []);
            // Partitions hold every replica inside their domain.
            for (const e of placementModel(spec).filter((x) => x.kind === "regional-by-row")) {
                const domain = spec.domains.find((d) => d.regions.includes(e.partition!))!;
                for (const r of [...Object.keys(e.voters), ...Object.keys(e.nonVoters)])
                    assert.ok(domain.regions.includes(r), `${e.table}/${e.partition} -> ${r}`);
            }
        });

    it("flags a residency table declared GLOBAL: every domain's rows in every region", () => {
        const spec = stackSpec("prod", (raw) => (raw["backend:database"].tables[1] = { name: "orders", locality: "global" }));
        const v = residencyReport(spec).filter((x) => x.table === "orders");
        assert.deepEqual(
            v.map((x) => [x.domain, x.regions, x.definite, x.possible]),
            [
                ["eu", ["aws-us-east-1", "aws-us-west-2", "gcp-us-central1"], 4, 0],
                ["us", ["aws-eu-central-1", "aws-eu-west-1", "gcp-europe-west1"], 3, 0],
            ],
        );
        assert.match(v[0]!.message, /GLOBAL tables keep a replica in every region/);
    });

    it("flags a domain without a super region under default placement", () => {
        const spec = stackSpec("staging");
        const noEu = { ...spec, superRegions: spec.superRegions.filter((s) => s.name !== "eu") };
        const v = residencyReport(noEu);
        assert.deepEqual(
            v.map((x) => [x.table, x.partition, x.domain, x.regions, x.definite]),
            [
                ["users", "gcp-europe-west1", "eu", ["aws-us-east-2"], 1],
                ["orders", "gcp-europe-west1", "eu", ["aws-us-east-2"], 1],
            ],
        );
        assert.match(v[0]!.message, /domain "eu" has no super region/);
    });

    it("flags region survival without super regions (voters float across domains)", () => {
        const spec = stackSpec("prod");
        const v = residencyReport({ ...spec, superRegions: [] });
        const p = v.find((x) => x.table === "users" && x.partition === "aws-eu-central-1")!;
        assert.deepEqual([p.domain, p.regions, p.definite], ["eu", ["aws-us-east-1", "aws-us-west-2", "gcp-us-central1"], 3]);
    });

    it("restricted placement keeps partitions home without super regions", () => {
        const spec = stackSpec("staging", (raw) => (raw["backend:cockroach"] = { ...raw["backend:cockroach"], placement: "restricted" }));
        assert.deepEqual(spec.superRegions, []);
        assert.deepEqual(residencyReport(spec), []);
    });
});

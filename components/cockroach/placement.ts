/**
 * Pure placement model: the zone configuration CockroachDB writes for the database, each REGIONAL
 * BY TABLE table, each REGIONAL BY ROW partition and each GLOBAL table, the voting and non-voting
 * replicas that follow from it per region. residency.ts reads these entries to flag any replica
 * of a domain's data outside the domain.
 *
 * Modeled release: CockroachDB 25.4 (the line `cockroach.version` defaults to). Rules and sources
 * (github.com/cockroachdb/cockroach; read, not copied):
 *  - Voters and replicas: `GetNumVotersAndNumReplicas` in pkg/sql/regions/region_util.go. ZONE
 *    survival: 3 voters; replicas 3 + (regions - 1) under DEFAULT placement, 3 under RESTRICTED.
 *    REGION survival: 5 voters; replicas 2 + (regions - 1), +1 with a secondary region, at least 5.
 *  - Voter constraints: `SynthesizeVoterConstraints`. ZONE: every voter in the home region
 *    (`[+region=home]`). REGION: 2 (= quorum - 1 of 5) in the home region, and 2 in the secondary
 *    region when one is set and differs from home (`{+region=home: 2}`).
 *  - Replica constraints: `SynthesizeReplicaConstraints`. DEFAULT: one replica per region;
 *    RESTRICTED: none.
 *  - Lease preferences: `SynthesizeLeasePreferences`: home, then the secondary region.
 *  - Database zone config: `zoneConfigForMultiRegionDatabase` in pkg/sql/region_util.go (home =
 *    primary region; super regions do not change it).
 *  - Tables: `zoneConfigForMultiRegionTable` (same file). GLOBAL: global_reads = true, everything
 *    else inherited, except under RESTRICTED placement where it writes a full DEFAULT-placement
 *    config (`GlobalTablesInheritDatabaseConstraints` in pkg/sql/catalog/multiregion/
 *    region_config.go). REGIONAL BY TABLE IN PRIMARY REGION inherits the database config unless
 *    the primary region is in a super region; otherwise the table sets num_voters,
 *    voter_constraints, lease_preferences and, inside a super region, num_replicas and constraints.
 *  - REGIONAL BY ROW partitions: `ZoneConfigForMultiRegionPartition` (region_util.go): num_voters,
 *    voter_constraints, lease_preferences; num_replicas and constraints only for members of an
 *    explicit super region (`IsMemberOfExplicitSuperRegion` in 25.x).
 *  - Super regions: `AddConstraintsForSuperRegion` (25.x): replicas computed as if the database had
 *    only the members; one replica constrained per member; under REGION survival with exactly 3
 *    members the first non-home member (sorted) gets 2 so all 5 replicas are accounted for. With a
 *    secondary region inside the super region no member is doubled (cockroach#150413, in 25.1.x+).
 *  - Implicit super region: from 25.1.x (cockroach#142838) a database with exactly 3 regions and
 *    REGION survival treats all three as one super region for REGIONAL BY TABLE tables (logic test
 *    multi_region_survival_goal at that change); partitions still use explicit ones only.
 *  - Newer lines differ: 26.2 spreads super region replicas with `distributeReplicasAcrossRegions`
 *    (cockroach#164285, #165113) and drops a secondary region outside the super region.
 * Expected values in test/cockroach-placement.test.ts are taken from CockroachDB's logic tests.
 */
import { at } from "../collections";
import { cmp } from "../sort";
import type { Locality } from "./spec";

/** What the model needs; a DatabaseSpec satisfies it. */
export interface PlacementInput {
    readonly regions: readonly string[];
    readonly primaryRegion: string;
    readonly secondaryRegion: string | null;
    readonly survivalGoal: "zone" | "region";
    readonly placement: "default" | "restricted";
    readonly superRegions: readonly { readonly name: string; readonly regions: readonly string[] }[];
    readonly tables: readonly PlacementTable[];
    readonly domains: readonly { readonly name: string; readonly regions: readonly string[] }[];
}

export interface PlacementTable {
    readonly name: string;
    readonly locality: Locality;
    readonly residency: boolean;
    readonly declared?: boolean;
    /** REGIONAL BY TABLE IN this region; absent or null: IN PRIMARY REGION. */
    readonly region?: string | null;
}

/** One `{+region=x: n}` entry; `count` null means "all" (`[+region=x]`). */
interface Conjunction {
    readonly region: string;
    readonly count: number | null;
}

/** A zone configuration's multi-region fields. */
export interface Zone {
    readonly numReplicas: number;
    readonly numVoters: number;
    readonly constraints: readonly Conjunction[];
    readonly voterConstraints: readonly Conjunction[];
    readonly leasePreferences: readonly string[];
    readonly globalReads: boolean;
}

type ZoneField = "num_replicas" | "num_voters" | "constraints" | "voter_constraints" | "lease_preferences" | "global_reads";

/** The fields as `SHOW ZONE CONFIGURATION` prints them (effective values, inheritance resolved). */
export interface ZoneConfigText {
    readonly num_replicas: number;
    readonly num_voters: number;
    readonly constraints: string;
    readonly voter_constraints: string;
    readonly lease_preferences: string;
    /** Printed only when true. */
    readonly global_reads?: true;
}

/** Replicas CockroachDB places by its own heuristics (diversity, latency) rather than by constraint. */
export interface Unpinned {
    /** How many of the replicas below are voters / non-voters. */
    readonly voters: number;
    readonly nonVoters: number;
    /** Region -> replicas a constraint requires there whose role (voter or not) the allocator picks. */
    readonly slots: Readonly<Record<string, number>>;
    /** Replicas no constraint places: any region of the cluster. */
    readonly anyRegion: number;
}

export type PlacementKind = "database" | "regional-by-table" | "regional-by-row" | "global";

/** Voters a range needs to commit: a Raft majority (cockroachlabs.com/docs/stable/architecture/replication-layer). */
export function raftMajority(voters: number): number {
    return Math.floor(voters / 2) + 1;
}

export interface PlacementEntry {
    readonly kind: PlacementKind;
    /** Null for the database's own zone configuration. */
    readonly table: string | null;
    /** REGIONAL BY ROW partition (its region), else null. */
    readonly partition: string | null;
    /** Home region: where the leaseholder and the pinned voters are. */
    readonly home: string;
    /** Whether this object holds residency-scoped rows. */
    readonly residency: boolean;
    /** Region -> voting replicas that the zone config places there. */
    readonly voters: Readonly<Record<string, number>>;
    /** Region -> non-voting replicas that the zone config places there. */
    readonly nonVoters: Readonly<Record<string, number>>;
    readonly unpinned: Unpinned;
    /** Preferred leaseholder region. */
    readonly leaseholder: string;
    readonly zoneConfig: ZoneConfigText;
    /** Fields this object's own zone config sets (the rest are inherited from the database). */
    readonly ownFields: readonly ZoneField[];
    /** False when the constraints ask for more replicas than num_replicas allows. */
    readonly satisfiable: boolean;
}

const FAILURES_TOLERATED_BY_5 = 2; // MaxFailuresBeforeUnavailability(5) = (5 + 1) / 2 - 1

/** `GetNumVotersAndNumReplicas` for a region set of `regionCount`. */
export function votersAndReplicas(
    regionCount: number,
    survival: "zone" | "region",
    placement: "default" | "restricted",
    hasSecondary: boolean,
): { voters: number; replicas: number } {
    if (survival === "zone") return { voters: 3, replicas: placement === "default" ? 3 + (regionCount - 1) : 3 };
    const replicas = FAILURES_TOLERATED_BY_5 + (regionCount - 1) + (hasSecondary ? 1 : 0);
    return { voters: 5, replicas: Math.max(replicas, 5) };
}

function voterConstraints(home: string, input: PlacementInput): Conjunction[] {
    if (input.survivalGoal === "zone") return [{ region: home, count: null }];
    const out: Conjunction[] = [{ region: home, count: FAILURES_TOLERATED_BY_5 }];
    if (input.secondaryRegion && input.secondaryRegion !== home)
        out.push({ region: input.secondaryRegion, count: FAILURES_TOLERATED_BY_5 });
    return out;
}

function leasePreferences(home: string, secondary: string | null): string[] {
    return secondary && secondary !== home ? [home, secondary] : [home];
}

function replicaConstraints(regions: readonly string[], placement: "default" | "restricted"): Conjunction[] {
    return placement === "default" ? [...regions].sort(cmp).map((region) => ({ region, count: 1 })) : [];
}

/** Members of the super region `region` belongs to: explicit ones, or (tables only) the implicit one. */
function superRegionOf(input: PlacementInput, region: string, includeImplicit: boolean): readonly string[] | null {
    const explicit = input.superRegions.find((s) => s.regions.includes(region));
    if (explicit) return [...explicit.regions].sort(cmp);
    if (includeImplicit && input.survivalGoal === "region" && input.regions.length === 3) return [...input.regions].sort(cmp);
    return null;
}

/** `AddConstraintsForSuperRegion` as of 25.4. */
export function superRegionConstraints(
    members: readonly string[],
    affinity: string,
    input: Pick<PlacementInput, "survivalGoal" | "placement" | "secondaryRegion">,
): { numReplicas: number; constraints: Conjunction[] } {
    const sorted = [...members].sort(cmp);
    const { replicas } = votersAndReplicas(sorted.length, input.survivalGoal, input.placement, !!input.secondaryRegion);
    const secondaryInside = !!input.secondaryRegion && input.secondaryRegion !== affinity && sorted.includes(input.secondaryRegion);
    let doubleUp = input.survivalGoal === "region" && sorted.length === 3 && !secondaryInside;
    const constraints = sorted.map((region) => {
        if (doubleUp && region !== affinity) {
            doubleUp = false;
            return { region, count: 2 };
        }
        return { region, count: 1 };
    });
    return { numReplicas: replicas, constraints };
}

/** The database's own zone configuration (`zoneConfigForMultiRegionDatabase`). */
export function databaseZone(input: PlacementInput): Zone {
    const { voters, replicas } = votersAndReplicas(input.regions.length, input.survivalGoal, input.placement, !!input.secondaryRegion);
    return {
        numReplicas: replicas,
        numVoters: voters,
        constraints: replicaConstraints(input.regions, input.placement),
        voterConstraints: voterConstraints(input.primaryRegion, input),
        leasePreferences: leasePreferences(input.primaryRegion, input.secondaryRegion),
        globalReads: false,
    };
}

interface Stub {
    own: Partial<Zone>;
}

/** Fields a REGIONAL table or partition homed in `home` sets (shared by both paths). */
function regionalStub(input: PlacementInput, home: string, members: readonly string[] | null): Stub {
    const { voters } = votersAndReplicas(input.regions.length, input.survivalGoal, input.placement, !!input.secondaryRegion);
    return {
        own: {
            numVoters: voters,
            ...(members ? superRegionConstraints(members, home, input) : {}),
            voterConstraints: voterConstraints(home, input),
            leasePreferences: leasePreferences(home, input.secondaryRegion),
        },
    };
}

/** A table's own fields (`zoneConfigForMultiRegionTable`, plus the secondary-region lease override). */
function tableStub(input: PlacementInput, table: PlacementTable): Stub {
    if (table.locality === "global") {
        if (input.placement === "default") {
            const own: Partial<Zone> = { globalReads: true };
            return {
                own: input.secondaryRegion
                    ? { ...own, leasePreferences: leasePreferences(input.primaryRegion, input.secondaryRegion) }
                    : own,
            };
        }
        // Placement RESTRICTED does not apply to GLOBAL tables: a full DEFAULT-placement config.
        const asDefault: PlacementInput = { ...input, placement: "default" };
        const db = databaseZone(asDefault);
        return { own: { ...db, globalReads: true, leasePreferences: leasePreferences(input.primaryRegion, input.secondaryRegion) } };
    }
    // REGIONAL BY TABLE (residency tables are REGIONAL BY ROW: nothing at table level).
    const explicit = table.region ?? null;
    const home = explicit ?? input.primaryRegion;
    const members = superRegionOf(input, home, true);
    if (!explicit && !members)
        return { own: input.secondaryRegion ? { leasePreferences: leasePreferences(home, input.secondaryRegion) } : {} };
    return regionalStub(input, home, members);
}

function partitionStub(input: PlacementInput, region: string): Stub {
    return regionalStub(input, region, superRegionOf(input, region, false));
}

const FIELD_OF: Record<keyof Zone, ZoneField> = {
    numReplicas: "num_replicas",
    numVoters: "num_voters",
    constraints: "constraints",
    voterConstraints: "voter_constraints",
    leasePreferences: "lease_preferences",
    globalReads: "global_reads",
};
const FIELD_ORDER: ZoneField[] = ["global_reads", "num_replicas", "num_voters", "constraints", "voter_constraints", "lease_preferences"];

function resolve(db: Zone, stub: Stub): { zone: Zone; own: ZoneField[] } {
    const zone = { ...db, ...stub.own } as Zone;
    const own = (Object.keys(stub.own) as (keyof Zone)[])
        .map((k) => FIELD_OF[k])
        .sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));
    return { zone, own };
}

/** Renders the fields the way CockroachDB prints them in SHOW ZONE CONFIGURATION. */
export function renderZone(zone: Zone): ZoneConfigText {
    const constraints =
        zone.constraints.length === 0
            ? "[]"
            : `{${[...zone.constraints]
                  .sort((a, b) => cmp(a.region, b.region))
                  .map((c) => `+region=${c.region}: ${c.count}`)
                  .join(", ")}}`;
    const single = zone.voterConstraints.length === 1 ? zone.voterConstraints[0] : undefined;
    const voters =
        zone.voterConstraints.length === 0
            ? "[]"
            : single !== undefined && single.count === null
              ? `[+region=${single.region}]`
              : `{${zone.voterConstraints.map((c) => `+region=${c.region}: ${c.count}`).join(", ")}}`;
    const lease = `[${zone.leasePreferences.map((r) => `[+region=${r}]`).join(", ")}]`;
    return {
        ...(zone.globalReads ? { global_reads: true as const } : {}),
        num_replicas: zone.numReplicas,
        num_voters: zone.numVoters,
        constraints,
        voter_constraints: voters,
        lease_preferences: lease,
    };
}

function sortedRecord(entries: Iterable<[string, number]>): Record<string, number> {
    return Object.fromEntries([...entries].filter(([, n]) => n > 0).sort(([a], [b]) => cmp(a, b)));
}

/** Replicas per region and role that a zone configuration implies. */
export function distribute(zone: Zone): Pick<PlacementEntry, "voters" | "nonVoters" | "unpinned" | "satisfiable"> {
    const pinned = new Map<string, number>();
    for (const c of zone.voterConstraints) pinned.set(c.region, (pinned.get(c.region) ?? 0) + (c.count ?? zone.numVoters));
    const required = new Map<string, number>(pinned);
    for (const c of zone.constraints) required.set(c.region, Math.max(required.get(c.region) ?? 0, c.count ?? 0));
    const pinnedSum = [...pinned.values()].reduce((a, b) => a + b, 0);
    const requiredSum = [...required.values()].reduce((a, b) => a + b, 0);
    const free = zone.numReplicas - requiredSum;
    const freeVoters = zone.numVoters - pinnedSum;
    const nonVoterTotal = zone.numReplicas - zone.numVoters;
    const extra = new Map([...required].map(([r, n]) => [r, n - (pinned.get(r) ?? 0)] as [string, number]));
    const satisfiable = free >= 0 && freeVoters >= 0;
    const anyRegion = Math.max(free, 0);
    if (freeVoters <= 0)
        return {
            voters: sortedRecord(pinned),
            nonVoters: sortedRecord(extra),
            unpinned: { voters: 0, nonVoters: anyRegion, slots: {}, anyRegion },
            satisfiable,
        };
    if (nonVoterTotal === 0) {
        const voters = new Map([...required].map(([r, n]) => [r, n] as [string, number]));
        return {
            voters: sortedRecord(voters),
            nonVoters: {},
            unpinned: { voters: anyRegion, nonVoters: 0, slots: {}, anyRegion },
            satisfiable,
        };
    }
    return {
        voters: sortedRecord(pinned),
        nonVoters: {},
        unpinned: { voters: freeVoters, nonVoters: nonVoterTotal, slots: sortedRecord(extra), anyRegion },
        satisfiable,
    };
}

function entry(
    kind: PlacementKind,
    table: string | null,
    partition: string | null,
    residency: boolean,
    db: Zone,
    stub: Stub,
): PlacementEntry {
    const { zone, own } = resolve(db, stub);
    // leasePreferences() always starts with the home region.
    const leaseholder = at(zone.leasePreferences, 0, "zone lease preferences");
    const home = zone.voterConstraints[0]?.region ?? leaseholder;
    return { kind, table, partition, home, residency, ...distribute(zone), leaseholder, zoneConfig: renderZone(zone), ownFields: own };
}

/**
 * Zone configuration and replica placement of every object: the database, then per table in
 * order (GLOBAL and REGIONAL BY TABLE tables once, REGIONAL BY ROW tables once per region).
 */
export function placementModel(input: PlacementInput): PlacementEntry[] {
    const db = databaseZone(input);
    const dbFields: Partial<Zone> = {
        numReplicas: db.numReplicas,
        numVoters: db.numVoters,
        constraints: db.constraints,
        voterConstraints: db.voterConstraints,
        leasePreferences: db.leasePreferences,
    };
    const out: PlacementEntry[] = [entry("database", null, null, false, db, { own: dbFields })];
    const regions = [...input.regions].sort(cmp);
    for (const t of input.tables) {
        if (t.locality === "residency") {
            for (const r of regions) out.push(entry("regional-by-row", t.name, r, t.residency, db, partitionStub(input, r)));
        } else {
            out.push(entry(t.locality === "global" ? "global" : "regional-by-table", t.name, null, t.residency, db, tableStub(input, t)));
        }
    }
    return out;
}

/**
 * What a failure does to one placement entry (the database's zone config, a table, a REGIONAL BY
 * ROW partition): whether a majority of its voting replicas survives, where the leaseholder goes,
 * whether reads and writes continue, and which writes are at risk. Pure.
 *
 * CockroachDB behaviour modelled (CockroachDB 25.4, the line placement.ts models):
 * - A range accepts writes only while a majority of its voters is up: "a quorum of replicas agrees
 *   on any changes to a range before those changes are committed"; "the number of failures that
 *   can be tolerated is equal to (Replication factor - 1)/2" (docs/stable/architecture/replication-layer).
 *   Committed writes are on a majority, so a surviving majority loses none (RPO 0).
 * - Survival goals: ZONE "will remain fully available for reads and writes, even if a zone becomes
 *   unavailable ... may not remain fully available if multiple zones in the same region fail";
 *   REGION "even if an entire region goes down"
 *   (cockroachlabs.com/docs/stable/multiregion-survival-goals).
 * - Lease preferences: "If the first preference cannot be satisfied, CockroachDB will attempt to
 *   satisfy the second preference, and so on. If none of the preferences can be met, the lease will
 *   be placed using the default lease placement algorithm" (docs/stable/configure-replication-zones,
 *   `lease_preferences`). Multi-region SQL sets `[[+region=<home>]]` (placement.ts), so the lease
 *   stays in the home region while a voter survives there, else goes to a surviving voter anywhere
 *   (with leader leases, the new Raft leader: docs/v25.4/architecture/replication-layer, "How
 *   leases are transferred from a dead node").
 * - GLOBAL tables serve reads from every replica (non-blocking reads); their writes need quorum.
 *   Without a quorum the closed timestamp stops advancing, so only stale (follower) reads of data
 *   older than the failure remain possible, from a surviving replica.
 *
 * Replicas whose region the zone config leaves to CockroachDB's allocator (`unpinned` in
 * placement.ts) are counted at worst (in the failed regions first) and at best; a quorum that
 * survives only at best is reported as `depends`. Within a region, replicas are spread over the
 * zones that have nodes (the allocator maximises locality diversity), so a zone failure takes at
 * most ceil(replicas in the region / zones with nodes).
 */
import { raftMajority, type PlacementEntry } from "../cockroach/placement";

/** What a failure takes down, as the quorum model needs it. */
export interface Failure {
    /** CockroachDB regions entirely down. */
    readonly regions: ReadonlySet<string>;
    /** One zone down: its region and how many zones of that region hold nodes. */
    readonly zone: { readonly region: string; readonly zonesWithNodes: number } | null;
}

export type Verdict = "survives" | "lost" | "depends";

export interface ObjectDrill {
    readonly table: string | null;
    readonly partition: string | null;
    readonly kind: PlacementEntry["kind"];
    readonly residency: boolean;
    readonly home: string;
    readonly voters: number;
    /** Voters needed for a quorum: floor(voters / 2) + 1. */
    readonly majority: number;
    /** Voters left standing with the allocator's choices at their worst and at their best. */
    readonly survivingVoters: { readonly worst: number; readonly best: number };
    readonly quorum: Verdict;
    /** Leaseholder region before; the region(s) it can be in after (empty: no lease, no quorum). */
    readonly leaseholder: { readonly before: string; readonly after: readonly string[]; readonly rule: LeaseRule };
    readonly reads: "available" | "stale-only" | "unavailable";
    readonly writes: "available" | "unavailable" | "depends";
    /** Committed writes at risk, in seconds: 0 with a quorum, else the backup interval. */
    readonly rpoSeconds: number;
}

/** `unchanged`: the leaseholder's region is up; `preference`: a region of the lease preferences; `any-voter`: none is. */
export type LeaseRule = "unchanged" | "preference" | "any-voter" | "none";

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

/** `[[+region=a], [+region=b]]` -> [a, b]. */
export function leasePreferenceRegions(text: string): string[] {
    return [...text.matchAll(/\+region=([^\],]+)/g)].map((m) => m[1] ?? "");
}

/** Voters a failure takes from one entry, at worst and at best, and the regions voters may survive in. */
function votersLost(e: PlacementEntry, f: Failure): { worst: number; best: number; survivorRegions: string[] } {
    const pinned = Object.entries(e.voters);
    const slots = Object.entries(e.unpinned.slots);
    const unpinned = e.unpinned.voters;
    const any = e.unpinned.anyRegion;
    const regionsOf = new Set([...pinned.map(([r]) => r), ...slots.map(([r]) => r)]);
    if (f.zone) {
        const region = f.zone.region;
        const zones = Math.max(f.zone.zonesWithNodes, 1);
        const pinnedHere = e.voters[region] ?? 0;
        const slotsHere = e.unpinned.slots[region] ?? 0;
        const slotsElsewhere = sum(slots.filter(([r]) => r !== region).map(([, n]) => n));
        const worstHere = pinnedHere + Math.min(unpinned, slotsHere + any);
        const bestHere = pinnedHere + Math.max(0, unpinned - slotsElsewhere - any);
        return { worst: Math.ceil(worstHere / zones), best: Math.floor(bestHere / zones), survivorRegions: [...regionsOf] };
    }
    const down = (r: string) => f.regions.has(r);
    const pinnedDown = sum(pinned.filter(([r]) => down(r)).map(([, n]) => n));
    const slotsDown = sum(slots.filter(([r]) => down(r)).map(([, n]) => n));
    const slotsUp = sum(slots.filter(([r]) => !down(r)).map(([, n]) => n));
    // Replicas no constraint places may sit in any region, the failed ones included.
    const worst = pinnedDown + Math.min(unpinned, slotsDown + (f.regions.size > 0 ? any : 0));
    const best = pinnedDown + Math.max(0, unpinned - slotsUp - any);
    const survivorRegions = [
        ...pinned.filter(([r, n]) => !down(r) && n > 0).map(([r]) => r),
        ...(unpinned > 0 ? slots.filter(([r]) => !down(r)).map(([r]) => r) : []),
    ];
    return { worst, best, survivorRegions: [...new Set(survivorRegions)].sort() };
}

/** Replicas of any role left at worst: stale reads need one. */
function replicasLeftWorst(e: PlacementEntry, f: Failure): number {
    const perRegion = new Map<string, number>();
    const add = (r: string, n: number) => perRegion.set(r, (perRegion.get(r) ?? 0) + n);
    for (const [r, n] of Object.entries(e.voters)) add(r, n);
    for (const [r, n] of Object.entries(e.nonVoters)) add(r, n);
    for (const [r, n] of Object.entries(e.unpinned.slots)) add(r, n);
    const total = sum(perRegion.values()) + e.unpinned.anyRegion;
    if (f.zone) return total - Math.ceil((perRegion.get(f.zone.region) ?? 0) / Math.max(f.zone.zonesWithNodes, 1));
    const lost = sum([...perRegion].filter(([r]) => f.regions.has(r)).map(([, n]) => n)) + (f.regions.size > 0 ? e.unpinned.anyRegion : 0);
    return total - lost;
}

/** The drill of one placement entry under one failure; `backupIntervalSeconds` bounds the RPO without a quorum. */
export function objectDrill(e: PlacementEntry, f: Failure, backupIntervalSeconds: number): ObjectDrill {
    const voters = sum(Object.values(e.voters)) + e.unpinned.voters;
    const majority = raftMajority(voters);
    const lost = votersLost(e, f);
    const surviving = { worst: voters - lost.worst, best: voters - lost.best };
    const quorum: Verdict = surviving.worst >= majority ? "survives" : surviving.best >= majority ? "depends" : "lost";
    const leaseholder = leaseMove(e, f, quorum, lost.survivorRegions);
    const staleOk = replicasLeftWorst(e, f) > 0;
    const reads = quorum === "survives" ? "available" : staleOk ? "stale-only" : "unavailable";
    const writes = quorum === "survives" ? "available" : quorum === "depends" ? "depends" : "unavailable";
    return {
        table: e.table,
        partition: e.partition,
        kind: e.kind,
        residency: e.residency,
        home: e.home,
        voters,
        majority,
        survivingVoters: surviving,
        quorum,
        leaseholder,
        reads,
        writes,
        rpoSeconds: quorum === "survives" ? 0 : backupIntervalSeconds,
    };
}

function leaseMove(e: PlacementEntry, f: Failure, quorum: Verdict, survivorRegions: readonly string[]): ObjectDrill["leaseholder"] {
    const before = e.leaseholder;
    if (quorum === "lost") return { before, after: [], rule: "none" };
    // A zone failure leaves the region's other zones: the lease stays in the region.
    if (f.zone || !f.regions.has(before)) return { before, after: [before], rule: "unchanged" };
    const preferred = leasePreferenceRegions(e.zoneConfig.lease_preferences).find((r) => !f.regions.has(r) && survivorRegions.includes(r));
    if (preferred) return { before, after: [preferred], rule: "preference" };
    return { before, after: [...survivorRegions], rule: "any-voter" };
}

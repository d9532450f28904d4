/**
 * What an unsafe change does to the data, from the placement model before and after
 * (cockroach/placement.ts) and the country homes (topology.ts): which rows re-home where, which
 * tables and partitions lose or gain replicas in which regions; and what a region loss does after
 * the change. Pure.
 */
import { placementModel, type PlacementEntry } from "../cockroach/placement";
import { databaseSpec, type DatabaseSpec } from "../cockroach/spec";
import type { Migration } from "../cockroach/migrations";
import type { StackConfig } from "../config";
import { drillsFromConfig } from "../drills/drills";
import { cmp } from "../sort";
import { planTopology } from "../topology";

/** A state of the database as the model sees it. */
export interface DataState {
    readonly config: StackConfig;
    readonly spec: DatabaseSpec;
    readonly placement: readonly PlacementEntry[];
    /** Country -> home region. */
    readonly homes: ReadonlyMap<string, string>;
    readonly migrations: readonly Migration[];
}

export function dataState(config: StackConfig, migrations: readonly Migration[]): DataState {
    const topology = planTopology(config);
    const spec = databaseSpec(config, topology, migrations);
    return { config, spec, placement: placementModel(spec), homes: topology.countryHome, migrations };
}

/** `users@aws-us-east-1`, `currencies`, `(database)`. */
export function objectName(e: Pick<PlacementEntry, "table" | "partition">): string {
    return `${e.table ?? "(database)"}${e.partition ? `@${e.partition}` : ""}`;
}

const show = (m: Readonly<Record<string, number>>) =>
    Object.entries(m)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => cmp(a, b))
        .map(([r, n]) => `${r}:${n}`)
        .join(" ") || "none";

/** Replicas an entry's zone config puts in `region` (voters, non-voters and slots of either role). */
function replicasIn(e: PlacementEntry, region: string): number {
    return (e.voters[region] ?? 0) + (e.nonVoters[region] ?? 0) + (e.unpinned.slots[region] ?? 0);
}

/**
 * Lines naming rows that re-home and replicas that move, for the objects `relevant` selects
 * (given the entry before and after; after is undefined when the partition goes away).
 */
export function dataMoves(
    before: DataState,
    after: DataState,
    rehome: (from: string, to: string | undefined) => boolean,
    relevant: (b: PlacementEntry | undefined, a: PlacementEntry | undefined) => boolean,
): string[] {
    const lines: string[] = [];
    const residencyTables = after.spec.tables.filter((t) => t.locality === "residency").map((t) => t.name);
    const groups = new Map<string, string[]>();
    for (const [country, from] of [...before.homes].sort(([a], [b]) => cmp(a, b))) {
        const to = after.homes.get(country);
        if (to === from || !rehome(from, to)) continue;
        const k = `${from} -> ${to ?? "the primary region"}`;
        groups.set(k, [...(groups.get(k) ?? []), country]);
    }
    for (const [k, countries] of groups)
        lines.push(`rows of ${countries.join(" ")} in ${residencyTables.join(", ") || "no residency table"} re-home ${k}`);
    const byName = (entries: readonly PlacementEntry[]) => new Map(entries.map((e) => [objectName(e), e]));
    const b = byName(before.placement);
    const a = byName(after.placement);
    for (const name of [...new Set([...b.keys(), ...a.keys()])]) {
        const eb = b.get(name);
        const ea = a.get(name);
        if (!relevant(eb, ea)) continue;
        if (eb && !ea)
            lines.push(
                `${name}: partition goes away (voters ${show(eb.voters)})${groups.size > 0 ? "; its rows re-home as above" : "; no country is homed there"}`,
            );
        else if (!eb && ea) lines.push(`${name}: new partition (voters ${show(ea.voters)})`);
        else if (eb && ea)
            lines.push(
                `${name}: voters ${show(eb.voters)} -> ${show(ea.voters)}; non-voters ${show({ ...eb.nonVoters, ...eb.unpinned.slots })} -> ${show({ ...ea.nonVoters, ...ea.unpinned.slots })}`,
            );
    }
    return lines;
}

/**
 * Whether an entry's replicas in `region` differ before and after, or it is the region's own
 * partition and its replicas anywhere differ (a moved region's rows leave their old domain's regions).
 */
export function replicasChangeIn(region: string): (b: PlacementEntry | undefined, a: PlacementEntry | undefined) => boolean {
    const all = (e: PlacementEntry | undefined) => (e ? JSON.stringify([e.voters, e.nonVoters, e.unpinned.slots]) : "");
    return (b, a) =>
        (b ? replicasIn(b, region) : 0) !== (a ? replicasIn(a, region) : 0) || ((b ?? a)?.partition === region && all(b) !== all(a));
}

/** Whether an entry's voters differ before and after. */
export function votersChange(b: PlacementEntry | undefined, a: PlacementEntry | undefined): boolean {
    return JSON.stringify(b?.voters ?? {}) !== JSON.stringify(a?.voters ?? {});
}

/**
 * Objects without a voting quorum once `region` is lost: the voters it may hold (pinned voters and
 * slots of either role, the worst case) leave fewer than a majority of `num_voters` (Raft needs a
 * majority of voters: cockroachlabs.com/docs/stable/architecture/replication-layer).
 */
export function quorumLostWith(placement: readonly PlacementEntry[], region: string): string[] {
    return placement
        .filter((e) => {
            const voters = e.zoneConfig.num_voters;
            const lost = (e.voters[region] ?? 0) + Math.min(e.unpinned.slots[region] ?? 0, e.unpinned.voters);
            return voters - lost < Math.floor(voters / 2) + 1;
        })
        .map(objectName);
}

/**
 * Hook for what the drills say after a change: given the state after it and the regions whose loss
 * matters, sentences. The default is the quorum arithmetic above; the drill simulation can replace
 * it (pass its own hook to `changeReport`).
 */
export type DrillsHook = (after: DataState, regions: readonly string[]) => string;

export const quorumDrills: DrillsHook = (after, regions) => {
    const hit = regions.map((r) => ({ r, lost: quorumLostWith(after.placement, r) })).filter((x) => x.lost.length > 0);
    const goal = after.config.cockroach.survivalGoal.toUpperCase();
    if (hit.length === 0)
        return `after the change (${goal} survival), every table and partition keeps a voting quorum when any one of ${regions.join(", ")} is lost (modelled from the planned placement).`;
    return `after the change (${goal} survival), ${hit.map((x) => `losing ${x.r} leaves ${x.lost.join(", ")} without a voting quorum (no reads or writes of those rows until it returns)`).join("; ")} (modelled from the planned placement).`;
};

/**
 * The quorum sentence, then the verdict of every failure drill (components/drills: each region,
 * primary zone, cloud and domain down) on the state after the change.
 */
export const simulatedDrills: DrillsHook = (after, regions) => {
    const drills = drillsFromConfig(after.config, planTopology(after.config), after.migrations);
    const failed = drills.filter((d) => !d.survives).map((d) => d.scenario.id);
    const verdict =
        failed.length === 0
            ? `the failure drills survive all ${drills.length} scenarios`
            : `the failure drills do not survive ${failed.length} of ${drills.length} scenarios (${failed.join(", ")})`;
    return `${quorumDrills(after, regions)} After the change, ${verdict}; npm run plan -- --drills shows them.`;
};

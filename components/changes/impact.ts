/**
 * What an unsafe change does to the data, from the placement model before and after
 * (cockroach/placement.ts) and the country homes (topology.ts): which rows re-home where, which
 * tables and partitions lose or gain replicas in which regions; and what a region loss does after
 * the change. Pure.
 */
import type { PlacementEntry } from "../cockroach/placement";
import { databaseModel } from "../cockroach/model";
import type { DatabaseSpec } from "../cockroach/spec";
import type { Migration } from "../cockroach/migrations";
import type { StackConfig } from "../config";
import { objectName, runDrills } from "../drills/drills";
import { cmp } from "../sort";
import { planTopology, type Topology } from "../topology";
import { routingFromConfig } from "../traffic/fromConfig";

/** A state of the database as the model sees it. */
export interface DataState {
    readonly config: StackConfig;
    readonly spec: DatabaseSpec;
    readonly placement: readonly PlacementEntry[];
    readonly topology: Topology;
    /** Country -> home region. */
    readonly homes: ReadonlyMap<string, string>;
}

export function dataState(config: StackConfig, migrations: readonly Migration[]): DataState {
    const topology = planTopology(config);
    return { config, ...databaseModel(config, topology, migrations), topology, homes: topology.countryHome };
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
 * What the failure drills (components/drills) say about the state after a change: for each region
 * whose loss matters, the tables and partitions that keep no voting quorum without it (the worst
 * case: `lost` or `depends`), then the verdict of every drill (each region, primary zone, cloud
 * and domain down).
 */
export function drillsAfter(after: DataState, regions: readonly string[]): string {
    const drills = runDrills({
        topology: after.topology,
        routing: routingFromConfig(after.config),
        placement: after.placement,
        domains: after.config.domains,
    });
    const goal = after.config.cockroach.survivalGoal.toUpperCase();
    const hit = regions
        .map((r) => ({
            r,
            lost: (drills.find((d) => d.scenario.id === `region:${r}`)?.objects ?? []).filter((o) => o.quorum !== "survives"),
        }))
        .filter((x) => x.lost.length > 0);
    const quorum =
        hit.length === 0
            ? `after the change (${goal} survival), every table and partition keeps a voting quorum when any one of ${regions.join(", ")} is lost`
            : `after the change (${goal} survival), ${hit.map((x) => `losing ${x.r} leaves ${x.lost.map(objectName).join(", ")} without a voting quorum (no reads or writes of those rows until it returns)`).join("; ")}`;
    const failed = drills.filter((d) => !d.survives).map((d) => d.scenario.id);
    const verdict =
        failed.length === 0
            ? `the failure drills survive all ${drills.length} scenarios`
            : `the failure drills do not survive ${failed.length} of ${drills.length} scenarios (${failed.join(", ")})`;
    return `${quorum} (simulated from the planned placement). After the change, ${verdict}; npm run plan -- --drills shows them.`;
}

/**
 * The residency report: every place where the placement model puts (or lets CockroachDB put) a
 * replica of a domain's residency-scoped rows outside the domain, with a message that says how to
 * fix it. Pure; reads the entries of `placementModel` (placement.ts holds the rules and sources).
 */
import { cmp } from "../sort";
import { placementModel, type PlacementEntry, type PlacementInput } from "./placement";

export interface ResidencyViolation {
    readonly table: string;
    readonly partition: string | null;
    /** Domain whose rows are concerned. */
    readonly domain: string;
    /** Regions outside the domain that hold (or may hold) a replica. */
    readonly regions: readonly string[];
    /** Replicas that the zone configuration places outside the domain. */
    readonly definite: number;
    /** Replicas that no constraint places (any region), when some region is outside the domain. */
    readonly possible: number;
    readonly message: string;
}

/** Regions that hold (or may hold) a replica of an entry, with counts. */
function replicaRegions(e: PlacementEntry): Map<string, number> {
    const out = new Map<string, number>();
    for (const rec of [e.voters, e.nonVoters, e.unpinned.slots])
        for (const [r, n] of Object.entries(rec)) out.set(r, (out.get(r) ?? 0) + n);
    return out;
}

/**
 * Every place where a domain's residency-scoped rows would have a replica outside the domain.
 * A REGIONAL BY ROW partition holds the rows of its region's domain; any other table holding
 * residency-scoped data holds rows of every domain.
 */
export function residencyReport(input: PlacementInput, entries: readonly PlacementEntry[] = placementModel(input)): ResidencyViolation[] {
    const domainOf = new Map<string, string>();
    for (const d of input.domains) for (const r of d.regions) domainOf.set(r, d.name);
    const srDomains = new Set(input.superRegions.flatMap((s) => s.regions.map((r) => domainOf.get(r))));
    const out: ResidencyViolation[] = [];
    for (const e of entries) {
        if (!e.residency || e.table === null) continue;
        const owners = e.partition
            ? [domainOf.get(e.partition) ?? e.partition]
            : input.domains.filter((d) => d.regions.length > 0).map((d) => d.name);
        const where = replicaRegions(e);
        for (const domain of owners) {
            const inside = (r: string) => domainOf.get(r) === domain;
            const outsideRegions = [...where].filter(([r, n]) => n > 0 && !inside(r));
            const definite = outsideRegions.reduce((a, [, n]) => a + n, 0);
            const possible = e.unpinned.anyRegion > 0 && input.regions.some((r) => !inside(r)) ? e.unpinned.anyRegion : 0;
            if (definite + possible === 0) continue;
            const regions = outsideRegions.map(([r]) => r).sort(cmp);
            out.push({
                table: e.table,
                partition: e.partition,
                domain,
                regions,
                definite,
                possible,
                message: violationMessage(input, e, domain, regions, definite, possible, srDomains.has(domain)),
            });
        }
    }
    return out;
}

function violationMessage(
    input: PlacementInput,
    e: PlacementEntry,
    domain: string,
    regions: readonly string[],
    definite: number,
    possible: number,
    hasSuperRegion: boolean,
): string {
    const what = e.partition ? `${e.table} rows homed in ${e.partition}` : `${e.table} (rows of domain "${domain}")`;
    const parts: string[] = [];
    if (definite > 0) parts.push(`${definite} replica${definite === 1 ? "" : "s"} in ${regions.join(", ")}`);
    if (possible > 0) parts.push(`${possible} replica${possible === 1 ? "" : "s"} CockroachDB may place in any region`);
    const where = `${parts.join(" and ")} outside domain "${domain}"`;
    const table = input.tables.find((t) => t.name === e.table);
    let fix: string;
    if (e.kind === "global")
        fix = `GLOBAL tables keep a replica in every region, whatever the placement; declare ${e.table} with locality: residency in backend:database.tables.`;
    else if (e.kind === "regional-by-table")
        fix = `${table?.declared === false ? `${e.table} is not listed in backend:database.tables, so it stays` : "a regional table is"} REGIONAL BY TABLE in ${e.home}; declare it with locality: residency so each row stays in its own domain.`;
    else if (!hasSuperRegion && input.placement === "default")
        fix = `domain "${domain}" has no super region: under default placement CockroachDB adds a replica of every partition in every region; add super region "${domain}" (the template does for every domain when residency tables exist) or set backend:cockroach.placement to "restricted".`;
    else
        fix = `the zone configuration leaves replicas unconstrained; check the super region of domain "${domain}" has enough regions for survivalGoal "${input.survivalGoal}".`;
    return `${what}: ${where}. ${fix}`;
}

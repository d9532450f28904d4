/**
 * What an update changes compared with the deployed record: regions removed, added or moved to
 * another domain, the survival goal lowered, the app image of a region changed (a wave), and
 * database schema steps (new, changed or removed migration files; declared table localities).
 * Pure.
 */
import { createHash } from "node:crypto";
import type { Migration } from "../cockroach/migrations";
import { DEFAULT_RESIDENCY_COLUMN } from "../cockroach/spec";
import { keyOf, type StackConfig } from "../config";
import { regionImage } from "../waves/model";

export interface RemovedRegion {
    readonly region: string;
    readonly domain: string;
}
export interface MovedRegion {
    readonly region: string;
    readonly from: string;
    readonly to: string;
    /** Index in the next `backend:regions`. */
    readonly index: number;
}
export interface ImageChange {
    readonly region: string;
    readonly from: string;
    readonly to: string;
}
/** One schema step of the update, with the key (or file) that makes it. */
export interface SchemaStep {
    readonly key: string;
    readonly what: string;
}

export interface ChangeSet {
    readonly removedRegions: readonly RemovedRegion[];
    readonly addedRegions: readonly string[];
    readonly movedRegions: readonly MovedRegion[];
    /** `cockroach.survivalGoal` goes from region to zone. */
    readonly lowersSurvival: boolean;
    /** Regions kept by the update whose app image changes. */
    readonly imageChanges: readonly ImageChange[];
    readonly schemaSteps: readonly SchemaStep[];
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

export function changesBetween(
    prev: StackConfig,
    next: StackConfig,
    prevMigrations: readonly Migration[],
    nextMigrations: readonly Migration[],
): ChangeSet {
    const before = new Map(prev.regions.map((r) => [r.crdbRegion, r]));
    const after = new Map(next.regions.map((r) => [r.crdbRegion, r]));
    const movedRegions: MovedRegion[] = [];
    next.regions.forEach((r, index) => {
        const old = before.get(r.crdbRegion);
        if (old && old.domain !== r.domain) movedRegions.push({ region: r.crdbRegion, from: old.domain, to: r.domain, index });
    });
    const imageChanges: ImageChange[] = next.regions
        .filter((r) => before.has(r.crdbRegion))
        .map((r) => ({ region: r.crdbRegion, from: regionImage(prev.app, r.crdbRegion), to: regionImage(next.app, r.crdbRegion) }))
        .filter((c) => c.from !== c.to);
    return {
        removedRegions: prev.regions.filter((r) => !after.has(r.crdbRegion)).map((r) => ({ region: r.crdbRegion, domain: r.domain })),
        addedRegions: next.regions.filter((r) => !before.has(r.crdbRegion)).map((r) => r.crdbRegion),
        movedRegions,
        lowersSurvival: prev.cockroach.survivalGoal === "region" && next.cockroach.survivalGoal === "zone",
        imageChanges,
        schemaSteps: schemaSteps(prev, next, prevMigrations, nextMigrations),
    };
}

/**
 * Schema steps the update runs: migration files new, changed (content hash, as the database
 * resource decides what to run: cockroach/sql.ts `updateStatements`) or gone, and declared tables
 * added, dropped from config, or given another locality or residency column.
 */
function schemaSteps(
    prev: StackConfig,
    next: StackConfig,
    prevMigrations: readonly Migration[],
    nextMigrations: readonly Migration[],
): SchemaStep[] {
    const steps: SchemaStep[] = [];
    const dirKey = keyOf(["database", "migrationsDir"]);
    const dir = next.database.migrationsDir;
    const old = new Map(prevMigrations.map((m) => [m.name, sha(m.sql)]));
    const now = new Set(nextMigrations.map((m) => m.name));
    for (const m of nextMigrations) {
        const was = old.get(m.name);
        if (was === undefined) steps.push({ key: dirKey, what: `${dir}/${m.name} is new` });
        else if (was !== sha(m.sql)) steps.push({ key: dirKey, what: `${dir}/${m.name} changed` });
    }
    for (const m of prevMigrations) if (!now.has(m.name)) steps.push({ key: dirKey, what: `${dir}/${m.name} is gone` });
    const column = (t: StackConfig["database"]["tables"][number]) =>
        t.locality === "residency" ? (t.residencyColumn ?? DEFAULT_RESIDENCY_COLUMN) : null;
    const oldTables = new Map(prev.database.tables.map((t) => [t.name, t]));
    next.database.tables.forEach((t, i) => {
        const o = oldTables.get(t.name);
        const key = keyOf(["database", "tables", i]);
        if (!o) steps.push({ key, what: `table ${t.name} is declared (locality ${t.locality})` });
        else if (o.locality !== t.locality) steps.push({ key, what: `table ${t.name} changes locality ${o.locality} -> ${t.locality}` });
        else if (column(o) !== column(t))
            steps.push({ key, what: `table ${t.name} is homed by column ${column(t)} instead of ${column(o)}` });
    });
    const declared = new Set(next.database.tables.map((t) => t.name));
    for (const t of prev.database.tables)
        if (!declared.has(t.name)) steps.push({ key: keyOf(["database", "tables"]), what: `table ${t.name} is no longer declared` });
    return steps;
}

/**
 * The database spec: every fact the SQL, the placement model and the policy pack need, as plain
 * data derived from the validated config, the topology plan and the migrations in `db/`.
 *
 * Nothing here talks to a database. `databaseSpec` is deterministic: the same inputs give the
 * same spec (sorted regions, sorted countries, content hashes), so re-running generation never
 * produces a diff by itself.
 */
import { createHash } from "node:crypto";
import type { StackConfig } from "../config";
import { keyOf } from "../config";
import { entry } from "../collections";
import { cmp } from "../sort";
import type { Topology } from "../topology";
import { migrationTables, type Migration, type MigrationTable } from "./migrations";
import { splitStatements } from "./sqlLexer";
import { MODELED_COCKROACH_LINES } from "./version";

/**
 * CockroachDB release line whose multi-region rules this package models (zone configs, super
 * region constraints, error texts). See placement.ts for the sources of every rule.
 */
export const MODELED_COCKROACH_LINE = MODELED_COCKROACH_LINES[0];

/** Residency column of a residency table when config names none. */
export const DEFAULT_RESIDENCY_COLUMN = "country";

/** SQL user of the app tier: its client certificate's common name and the owner of its grants. */
export const APP_USER = "app";

/** Hours between incremental backups and the full-backup cadence of the schedule. */
export const BACKUP_RECURRENCE = { incremental: "@hourly", full: "@daily" } as const;

export type Locality = "residency" | "global" | "regional";

/** One table of the application schema with the locality it gets. */
export interface TableSpec {
    readonly name: string;
    /** `residency` -> REGIONAL BY ROW; `global` -> GLOBAL; `regional` -> REGIONAL BY TABLE IN PRIMARY REGION. */
    readonly locality: Locality;
    /** Whether the table holds residency-scoped rows: declared `residency`, or evidence in the migrations. */
    readonly residency: boolean;
    /** Why a table not declared `residency` is still considered residency-scoped (empty otherwise). */
    readonly evidence: readonly string[];
    /** Column holding the row's ISO country (residency tables only). */
    readonly residencyColumn: string | null;
    /**
     * Stored computed column the table is REGIONAL BY ROW AS: `crdb_region_<hash>`. The hash covers
     * the residency column and the country -> region mapping, because CockroachDB cannot change a
     * computed column's expression in place: a new mapping is a new column (see sql.ts).
     */
    readonly homeColumn: string | null;
    /** Listed in `database.tables` (false: only created by a migration; CockroachDB's default locality applies). */
    readonly declared: boolean;
    /** Config key that declares the table, for messages. */
    readonly key: string;
}

/** One residency domain as the database sees it. */
export interface DomainSpec {
    readonly name: string;
    /** CockroachDB regions of the domain, sorted. */
    readonly regions: readonly string[];
    /** ISO countries the domain serves, sorted. */
    readonly countries: readonly string[];
    readonly key: string;
}

/** A super region: CockroachDB keeps every replica of data homed in a member inside the members. */
export interface SuperRegionSpec {
    /** Super region name: the domain's name. */
    readonly name: string;
    readonly domain: string;
    /** Member regions, sorted (CockroachDB stores them sorted). */
    readonly regions: readonly string[];
    readonly key: string;
}

/** Countries whose rows are homed in one region. */
export interface HomeRule {
    readonly region: string;
    readonly countries: readonly string[];
}

/** One migration file, split into statements. */
export interface MigrationSpec {
    readonly name: string;
    /** sha256 of the file content: a changed file is applied again (migrations must be idempotent). */
    readonly sha256: string;
    readonly statements: readonly string[];
}

/** One destination of the locality-aware backup. */
export interface BackupDestination {
    /** `default`, or the CockroachDB region whose nodes write here. */
    readonly locality: string;
    /** Bucket URL with its auth parameters, without COCKROACH_LOCALITY (sql.ts adds it). */
    readonly url: string;
}

export interface BackupSpec {
    /** Schedule label (CockroachDB creates a full and an incremental schedule with this label). */
    readonly label: string;
    readonly incremental: string;
    readonly full: string;
    /**
     * Days a backup is kept. CockroachDB schedules have no retention setting: the regional
     * buckets expire objects after this many days (lifecycle rules of the regional stacks).
     */
    readonly retentionDays: number;
    /** `default` first (the primary region's bucket, which also takes the primary's nodes), then one per other region. */
    readonly destinations: readonly BackupDestination[];
}

/** Everything the SQL and the placement model need. Plain, JSON-serializable data. */
export interface DatabaseSpec {
    /** CockroachDB release the nodes run (config), and the rule line this spec was modeled on. */
    readonly cockroachVersion: string;
    readonly modeledLine: string;
    readonly name: string;
    readonly primaryRegion: string;
    /** CockroachDB's secondary region; the template sets none (not supported with REGIONAL BY ROW tables). */
    readonly secondaryRegion: string | null;
    /** Every region of the environment, sorted. */
    readonly regions: readonly string[];
    readonly survivalGoal: "zone" | "region";
    readonly placement: "default" | "restricted";
    readonly domains: readonly DomainSpec[];
    /** One per domain when residency tables exist under default placement; none under restricted placement. */
    readonly superRegions: readonly SuperRegionSpec[];
    readonly tables: readonly TableSpec[];
    /** Country -> home region, grouped by region (sorted); countries in no domain go to the primary region. */
    readonly homeRules: readonly HomeRule[];
    readonly migrations: readonly MigrationSpec[];
    /** Null when no backup destinations were given (e.g. an offline plan without bucket names). */
    readonly backup: BackupSpec | null;
    /** SQL user the app connects as; it may read and write every table of the database, nothing else. */
    readonly appUser: string;
    readonly allowDestructive: {
        readonly dropRegion: boolean;
        readonly changeResidencyLocality: boolean;
        readonly dropSuperRegion: boolean;
    };
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** Adds `AUTH=implicit` unless the URL already names its auth: nodes use their own cloud identity. */
export function withImplicitAuth(url: string): string {
    if (/[?&]AUTH=/i.test(url)) return url;
    return url + (url.includes("?") ? "&" : "?") + "AUTH=implicit";
}

/**
 * Residency evidence for tables not declared `residency`: a foreign key to a residency-scoped
 * table (transitively), or a column named like a residency column.
 */
function residencyEvidence(
    parsed: readonly MigrationTable[],
    declaredResidency: ReadonlySet<string>,
    columns: ReadonlySet<string>,
): Map<string, string[]> {
    const evidence = new Map<string, string[]>();
    const scoped = new Set(declaredResidency);
    for (const t of parsed) {
        if (scoped.has(t.name)) continue;
        const cols = t.columns.filter((c) => columns.has(c));
        if (cols.length > 0) {
            evidence.set(
                t.name,
                cols.map((c) => `has column ${c}, the residency column of residency tables`),
            );
            scoped.add(t.name);
        }
    }
    // Foreign keys: a row that points at a residency row is about the same person.
    for (let changed = true; changed;) {
        changed = false;
        for (const t of parsed) {
            if (declaredResidency.has(t.name)) continue;
            for (const ref of t.references) {
                if (!scoped.has(ref) || ref === t.name) continue;
                const list = evidence.get(t.name) ?? [];
                const why = `references ${ref}${declaredResidency.has(ref) ? " (a residency table)" : " (residency-scoped)"}`;
                if (!list.includes(why)) {
                    list.push(why);
                    evidence.set(t.name, list);
                    if (!scoped.has(t.name)) {
                        scoped.add(t.name);
                        changed = true;
                    }
                }
            }
        }
    }
    return evidence;
}

/**
 * Builds the spec. `backupUrls` maps each CockroachDB region to its in-region bucket
 * (`s3://name`, `gs://name`, optionally with parameters); when omitted, no backup schedule is
 * planned. Expects a config that passed `parseConfig` and `databaseChecks`.
 */
export function databaseSpec(
    config: StackConfig,
    topology: Pick<Topology, "primary" | "countryHome">,
    migrations: readonly Migration[],
    backupUrls?: Readonly<Record<string, string>>,
): DatabaseSpec {
    const regions = config.regions.map((r) => r.crdbRegion).sort();
    const domains: DomainSpec[] = config.domains.map((d, i) => ({
        name: d.name,
        regions: config.regions
            .filter((r) => r.domain === d.name)
            .map((r) => r.crdbRegion)
            .sort(),
        countries: [...d.countries].sort(),
        key: keyOf(["domains", i]),
    }));

    // Countries of every domain, grouped by home region; anything else lands in the primary region.
    const byRegion = new Map<string, string[]>();
    for (const d of domains)
        for (const c of d.countries) {
            const home = topology.countryHome.get(c);
            if (home) byRegion.set(home, [...(byRegion.get(home) ?? []), c]);
        }
    const homeRules: HomeRule[] = [...byRegion.entries()]
        .sort(([a], [b]) => cmp(a, b))
        .map(([region, countries]) => ({ region, countries: countries.sort() }));

    const migrationSpecs: MigrationSpec[] = migrations.map((m) => ({
        name: m.name,
        sha256: sha256(m.sql),
        statements: splitStatements(m.sql),
    }));
    const parsed = migrationTables(migrationSpecs);

    const declared = config.database.tables;
    const declaredResidency = new Set(declared.filter((t) => t.locality === "residency").map((t) => t.name));
    const residencyColumns = new Set(
        declared.filter((t) => t.locality === "residency").map((t) => t.residencyColumn ?? DEFAULT_RESIDENCY_COLUMN),
    );
    if (residencyColumns.size === 0) residencyColumns.add(DEFAULT_RESIDENCY_COLUMN);
    const evidence = residencyEvidence(parsed, declaredResidency, residencyColumns);

    const tables: TableSpec[] = declared.map((t, i) => {
        const residencyColumn = t.locality === "residency" ? (t.residencyColumn ?? DEFAULT_RESIDENCY_COLUMN) : null;
        return {
            name: t.name,
            locality: t.locality,
            residency: t.locality === "residency" || evidence.has(t.name),
            evidence: t.locality === "residency" ? [] : (evidence.get(t.name) ?? []),
            residencyColumn,
            homeColumn: residencyColumn ? homeColumnName(residencyColumn, homeRules, topology.primary) : null,
            declared: true,
            key: keyOf(["database", "tables", i]),
        };
    });
    const listed = new Set(declared.map((t) => t.name));
    for (const t of [...parsed].sort((a, b) => cmp(a.name, b.name))) {
        if (listed.has(t.name)) continue;
        tables.push({
            name: t.name,
            locality: "regional",
            residency: evidence.has(t.name),
            evidence: evidence.get(t.name) ?? [],
            residencyColumn: null,
            homeColumn: null,
            declared: false,
            key: keyOf(["database", "tables"]),
        });
    }

    const hasResidency = declaredResidency.size > 0;
    const superRegions: SuperRegionSpec[] =
        config.cockroach.placement === "default" && hasResidency
            ? domains.filter((d) => d.regions.length > 0).map((d) => ({ name: d.name, domain: d.name, regions: d.regions, key: d.key }))
            : [];

    return {
        cockroachVersion: config.cockroach.version,
        modeledLine: MODELED_COCKROACH_LINE,
        name: config.database.name,
        primaryRegion: topology.primary,
        secondaryRegion: null,
        regions,
        survivalGoal: config.cockroach.survivalGoal,
        placement: config.cockroach.placement,
        domains,
        superRegions,
        tables,
        homeRules,
        migrations: migrationSpecs,
        backup: backupUrls
            ? backupSpec(config.database.name, topology.primary, regions, config.database.backupRetentionDays, backupUrls)
            : null,
        appUser: APP_USER,
        allowDestructive: { ...config.database.allowDestructive },
    };
}

function backupSpec(
    db: string,
    primary: string,
    regions: readonly string[],
    retentionDays: number,
    urls: Readonly<Record<string, string>>,
): BackupSpec {
    const missing = regions.filter((r) => !urls[r]);
    if (missing.length > 0)
        throw new Error(
            `no backup bucket URL for ${missing.join(", ")}; pass every region's backupBucketUrl (got ${Object.keys(urls).sort().join(", ") || "none"}).`,
        );
    return {
        label: `${db}_backup`,
        incremental: BACKUP_RECURRENCE.incremental,
        full: BACKUP_RECURRENCE.full,
        retentionDays,
        // The primary's nodes match no region entry and write to `default`, its own bucket.
        destinations: [
            { locality: "default", url: withImplicitAuth(entry(urls, primary, "backup bucket URLs")) },
            ...regions
                .filter((r) => r !== primary)
                .map((r) => ({ locality: r, url: withImplicitAuth(entry(urls, r, "backup bucket URLs")) })),
        ],
    };
}

/** `crdb_region_<8 hex>`: the hash of what the computed column computes. */
export function homeColumnName(residencyColumn: string, rules: readonly HomeRule[], fallback: string): string {
    const digest = sha256(JSON.stringify({ residencyColumn, rules, fallback })).slice(0, 8);
    return `crdb_region_${digest}`;
}

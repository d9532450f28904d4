/**
 * The database spec: every fact the SQL, the placement model and the policy pack need, as plain
 * data derived from the validated config, the topology plan and the migrations in `db/`.
 *
 * Nothing here talks to a database. `databaseSpec` is deterministic: the same inputs give the
 * same spec (sorted regions, sorted countries, content hashes), so re-running generation never
 * produces a diff by itself.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../config";
import { keyOf } from "../config";
import { cmp } from "../sort";
import type { Topology } from "../topology";
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

/** A migration file as read from `db/`. */
export interface Migration {
    readonly name: string;
    readonly sql: string;
}

/** Thrown when a migration file breaks the rules of `db/`. */
export class MigrationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MigrationError";
    }
}

const CLOUD_REGION = /\b(?:aws|gcp)-[a-z]+(?:-[a-z]+)*-?\d+\b/i;
const AWS_REGION =
    /\b(?:us|eu|ap|ca|sa|me|af|il|mx|cn)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/i;
const GCP_REGION =
    /\b(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d{1,2}\b/i;
/** Locality DDL belongs to config (backend:regions, backend:database.tables), not to migrations. */
const LOCALITY_DDL =
    /\b(?:PRIMARY\s+REGION|SECONDARY\s+REGION|SUPER\s+REGION|ADD\s+REGION|DROP\s+REGION|SURVIVE\s+(?:ZONE|REGION)|LOCALITY|REGIONAL\s+BY|PLACEMENT\s+(?:RESTRICTED|DEFAULT)|CONFIGURE\s+ZONE|crdb_internal_region|crdb_region)\b/i;

/**
 * Reads `*.sql` from `dir`, sorted by file name. Rejects a file that names a region (CockroachDB
 * or cloud region name, anywhere in the text) or carries locality DDL (outside comments): the
 * schema must deploy unchanged to any set of regions.
 */
export function readMigrations(dir: string): Migration[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new MigrationError(
            `migrations folder ${dir} does not exist; create it with the application's .sql files or point backend:database.migrationsDir at it.`,
        );
    const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort();
    return files.map((file) => {
        const sql = fs.readFileSync(path.join(dir, file), "utf8");
        checkMigration(file, sql);
        return { name: file, sql };
    });
}

/** Throws MigrationError when `sql` names a region or sets a locality. Pure. */
export function checkMigration(file: string, sql: string): void {
    const lines = sql.split("\n");
    lines.forEach((line, i) => {
        const m = CLOUD_REGION.exec(line) ?? AWS_REGION.exec(line) ?? GCP_REGION.exec(line);
        if (m)
            throw new MigrationError(
                `${file}:${i + 1} mentions region "${m[0]}"; migrations are plain SQL that deploys unchanged to every region set. ` +
                    `Remove the region name: regions come from backend:regions and each table's locality from backend:database.tables.`,
            );
    });
    const code = stripComments(sql).split("\n");
    code.forEach((line, i) => {
        const m = LOCALITY_DDL.exec(line);
        if (m)
            throw new MigrationError(
                `${file}:${i + 1} contains "${m[0]}"; locality and region DDL is generated from config. ` +
                    `Remove it and declare the table in backend:database.tables (locality residency, global or regional).`,
            );
    });
}

/** Replaces comments with spaces, keeping line breaks (so line numbers stay right). */
function stripComments(sql: string): string {
    let out = "";
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (c === "-" && sql[i + 1] === "-") {
            while (i < sql.length && sql[i] !== "\n") {
                out += " ";
                i++;
            }
        } else if (c === "/" && sql[i + 1] === "*") {
            const end = sql.indexOf("*/", i + 2);
            const stop = end === -1 ? sql.length : end + 2;
            for (; i < stop; i++) out += sql[i] === "\n" ? "\n" : " ";
        } else if (c === "'" || c === '"') {
            const end = closingQuote(sql, i);
            out += sql.slice(i, end);
            i = end;
        } else {
            out += c;
            i++;
        }
    }
    return out;
}

/** Index just past the quote that closes the one at `start` (doubled quotes escape). */
function closingQuote(sql: string, start: number): number {
    const q = sql[start];
    let i = start + 1;
    while (i < sql.length) {
        if (sql[i] === q) {
            if (sql[i + 1] === q) i += 2;
            else return i + 1;
        } else i++;
    }
    return sql.length;
}

/**
 * Splits SQL text into statements on top-level `;`, ignoring those inside quotes, dollar quotes
 * and comments. Comment-only pieces are dropped. Pure.
 */
export function splitStatements(sql: string): string[] {
    const out: string[] = [];
    let start = 0;
    let i = 0;
    const push = (end: number) => {
        const text = sql.slice(start, end).trim();
        if (stripComments(text).trim() !== "") out.push(text);
    };
    while (i < sql.length) {
        const c = sql[i];
        if (c === "-" && sql[i + 1] === "-") {
            const nl = sql.indexOf("\n", i);
            i = nl === -1 ? sql.length : nl;
        } else if (c === "/" && sql[i + 1] === "*") {
            const end = sql.indexOf("*/", i + 2);
            i = end === -1 ? sql.length : end + 2;
        } else if (c === "'" || c === '"') {
            i = closingQuote(sql, i);
        } else if (c === "$") {
            const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
            if (tag) {
                const end = sql.indexOf(tag[0], i + tag[0].length);
                i = end === -1 ? sql.length : end + tag[0].length;
            } else i++;
        } else if (c === ";") {
            push(i);
            start = i + 1;
            i++;
        } else i++;
    }
    push(sql.length);
    return out;
}

/** What the migrations tell about one table. */
export interface MigrationTable {
    readonly name: string;
    /** File that creates it. */
    readonly file: string;
    readonly columns: readonly string[];
    /** Declared type of each column, uppercase with single spaces (`CHAR(2)`, `STRING`), as last set. */
    readonly types: Readonly<Record<string, string>>;
    /** Tables it references with foreign keys. */
    readonly references: readonly string[];
}

const CONSTRAINT_WORDS = new Set([
    "constraint",
    "primary",
    "unique",
    "foreign",
    "check",
    "index",
    "inverted",
    "vector",
    "family",
    "exclude",
    "like",
]);

/** Unquoted, lowercased identifier; `schema.name` -> `name`. */
function bareName(raw: string): string {
    const last = raw.split(".").pop() ?? raw;
    return last.startsWith('"') ? last.slice(1, -1) : last.toLowerCase();
}

/** Splits on top-level commas (outside parentheses and quotes). */
function topLevelItems(body: string): string[] {
    const items: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "'" || c === '"') i = closingQuote(body, i) - 1;
        else if (c === "(") depth++;
        else if (c === ")") depth--;
        else if (c === "," && depth === 0) {
            items.push(body.slice(start, i).trim());
            start = i + 1;
        }
    }
    items.push(body.slice(start).trim());
    return items.filter((x) => x !== "");
}

const IDENT = `(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = `${IDENT}(?:\\.${IDENT}){0,2}`;
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${QUALIFIED})\\s*\\(`, "i");
const ALTER_TABLE = new RegExp(`^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(${QUALIFIED})\\s+([\\s\\S]*)$`, "i");
const REFERENCES = new RegExp(`\\bREFERENCES\\s+(${QUALIFIED})`, "gi");
const ADD_COLUMN = new RegExp(`\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})`, "gi");
/** One ALTER TABLE action that sets a column's type: ADD [COLUMN] c type ... | ALTER [COLUMN] c [SET DATA] TYPE type. */
const ADD_TYPED = new RegExp(`^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+([\\s\\S]+)$`, "i");
const ALTER_TYPE = new RegExp(`^ALTER\\s+(?:COLUMN\\s+)?(${IDENT})\\s+(?:SET\\s+DATA\\s+)?TYPE\\s+([\\s\\S]+)$`, "i");
/** Words that end a column's type in its definition (the constraints and options that may follow). */
const AFTER_TYPE =
    /\s+(?:NOT|NULL|PRIMARY|UNIQUE|CHECK|DEFAULT|REFERENCES|AS|GENERATED|CONSTRAINT|COLLATE|ON|FAMILY|CREATE|VISIBLE|USING)\b/i;

/** The type at the start of `rest` (what follows a column name), normalized: `char (2)` -> `CHAR(2)`. */
export function columnType(rest: string): string {
    const cut = AFTER_TYPE.exec(rest);
    const text = cut ? rest.slice(0, cut.index) : rest;
    return text
        .trim()
        .toUpperCase()
        .replace(/\s+/g, " ")
        .replace(/\s*\(\s*/g, "(")
        .replace(/\s*\)/g, ")")
        .replace(/\s*,\s*/g, ",");
}

/**
 * Tables, columns and foreign keys the migrations create (CREATE TABLE and ALTER TABLE ... ADD),
 * in first-creation order. A light parser: enough to find residency-scoped data, not a SQL grammar.
 */
export function migrationTables(migrations: readonly { name: string; statements: readonly string[] }[]): MigrationTable[] {
    const tables = new Map<
        string,
        { name: string; file: string; columns: string[]; types: Record<string, string>; references: string[] }
    >();
    for (const m of migrations) {
        for (const raw of m.statements) {
            const stmt = stripComments(raw).trim();
            const create = CREATE_TABLE.exec(stmt);
            if (create) {
                const name = bareName(create[1]);
                const open = stmt.indexOf("(", create[0].length - 1);
                const body = stmt.slice(open + 1, matchingParen(stmt, open));
                const entry = tables.get(name) ?? { name, file: m.name, columns: [], types: {}, references: [] };
                for (const item of topLevelItems(body)) {
                    const first = /^("?[A-Za-z_][A-Za-z0-9_$]*"?)/.exec(item)?.[1];
                    if (first && !CONSTRAINT_WORDS.has(first.toLowerCase())) {
                        entry.columns.push(bareName(first));
                        entry.types[bareName(first)] = columnType(item.slice(first.length));
                    }
                }
                for (const ref of body.matchAll(REFERENCES)) entry.references.push(bareName(ref[1]));
                tables.set(name, entry);
                continue;
            }
            const alter = ALTER_TABLE.exec(stmt);
            if (alter) {
                const entry = tables.get(bareName(alter[1]));
                if (!entry) continue;
                for (const add of alter[2].matchAll(ADD_COLUMN)) {
                    const word = bareName(add[1]);
                    if (!CONSTRAINT_WORDS.has(word)) entry.columns.push(word);
                }
                for (const ref of alter[2].matchAll(REFERENCES)) entry.references.push(bareName(ref[1]));
                for (const action of topLevelItems(alter[2])) {
                    const typed = ADD_TYPED.exec(action) ?? ALTER_TYPE.exec(action);
                    if (typed && !CONSTRAINT_WORDS.has(bareName(typed[1]))) entry.types[bareName(typed[1])] = columnType(typed[2]);
                }
            }
        }
    }
    return [...tables.values()].map((t) => ({ ...t, columns: [...new Set(t.columns)], references: [...new Set(t.references)] }));
}

function matchingParen(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "'" || c === '"') i = closingQuote(text, i) - 1;
        else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return i;
    }
    return text.length;
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
            { locality: "default", url: withImplicitAuth(urls[primary]) },
            ...regions.filter((r) => r !== primary).map((r) => ({ locality: r, url: withImplicitAuth(urls[r]) })),
        ],
    };
}

/** `crdb_region_<8 hex>`: the hash of what the computed column computes. */
export function homeColumnName(residencyColumn: string, rules: readonly HomeRule[], fallback: string): string {
    const digest = sha256(JSON.stringify({ residencyColumn, rules, fallback })).slice(0, 8);
    return `crdb_region_${digest}`;
}

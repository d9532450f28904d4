/**
 * Pure SQL generation from a DatabaseSpec: the statements that create the multi-region database,
 * and the delta between two specs that `pulumi up` runs on an update.
 *
 * Every statement is safe to run twice: either its syntax says so (IF [NOT] EXISTS, SET, SET
 * LOCALITY to the locality a table already has, ALTER DATABASE ... SURVIVE ...), or it lists the
 * error that means "already in that state" in `alreadyApplied` for the few statements SQL cannot
 * guard (ADD/DROP SUPER REGION). Destructive steps carry the allowDestructive flag that must be
 * set for them to run.
 *
 * This module imports nothing at runtime: the dynamic provider serializes it with its code.
 */
import type { DatabaseSpec, HomeRule, SuperRegionSpec, TableSpec } from "./spec";

export type DestructiveFlag = "dropRegion" | "changeResidencyLocality" | "dropSuperRegion";

/** Phases in the order they run. */
export type Step = "settings" | "database" | "super-regions" | "migrations" | "localities" | "grants" | "backup" | "cleanup";

export interface Statement {
    readonly sql: string;
    readonly step: Step;
    /** Set on steps that lose placement or data: they run only when allowDestructive[flag] is true. */
    readonly destructive?: DestructiveFlag;
    /** What the destructive step loses, for the refusal message. */
    readonly reason?: string;
    /** Errors meaning "already done" for statements SQL cannot write idempotently. */
    readonly alreadyApplied?: readonly AlreadyApplied[];
}

/**
 * An error that means the statement's effect is already in place. CockroachDB raises the super
 * region ones without a SQLSTATE of their own (they arrive as XXUUU), so they match on the text
 * pkg/sql/alter_database.go prints.
 */
export interface AlreadyApplied {
    /** SQLSTATE, when CockroachDB sets a specific one. */
    readonly code?: string;
    /** Text the error message contains. */
    readonly message: string;
}

/**
 * Words CockroachDB reserves as identifiers; other valid names print bare. A plain string, not a
 * Set: the dynamic provider's closure serialization does not carry Set or Map values.
 */
const RESERVED =
    " all analyse analyze and any array as asc asymmetric both case cast check collate column concurrently constraint create current_catalog " +
    "current_date current_role current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except " +
    "false fetch for foreign from grant group having in index initially intersect into lateral leading limit localtime localtimestamp not " +
    "nothing null offset on only or order placing primary references returning select session_user some symmetric table then to trailing " +
    "true union unique user using variadic when where window with family ";

/** Identifier, double-quoted when it is not a plain lowercase name or is reserved. */
export function ident(name: string): string {
    return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.includes(` ${name} `) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Region and super region names always print double-quoted, as in CockroachDB's docs. */
function quoted(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

const stmt = (step: Step, sql: string, extra: Partial<Statement> = {}): Statement => ({ sql, step, ...extra });

/** The CASE expression that maps a row's country to its home region. */
export function homeExpression(column: string, rules: readonly HomeRule[], fallback: string, indent = ""): string {
    const col = ident(column);
    const whens = rules.map((r) => `${indent}    WHEN ${col} IN (${r.countries.map(literal).join(", ")}) THEN ${literal(r.region)}`);
    return [`${indent}CASE`, ...whens, `${indent}    ELSE ${literal(fallback)}`, `${indent}END`].join("\n");
}

/**
 * Cluster and session settings the features in use need: super regions and placement policies
 * are gated in 25.4. The cluster setting is the default for later sessions (an operator's, a
 * restore's); the SET covers this session.
 */
function settings(needSuperRegions: boolean, needPlacement: boolean): Statement[] {
    const out: Statement[] = [];
    if (needSuperRegions) {
        out.push(stmt("settings", "SET CLUSTER SETTING sql.defaults.super_regions.enabled = true"));
        out.push(stmt("settings", "SET enable_super_regions = 'on'"));
    }
    if (needPlacement) {
        out.push(stmt("settings", "SET CLUSTER SETTING sql.defaults.multiregion_placement_policy.enabled = true"));
        out.push(stmt("settings", "SET enable_multiregion_placement_policy = 'on'"));
    }
    return out;
}

function survive(spec: DatabaseSpec): Statement {
    return stmt("database", `ALTER DATABASE ${ident(spec.name)} SURVIVE ${spec.survivalGoal === "region" ? "REGION" : "ZONE"} FAILURE`);
}

function addSuperRegion(db: string, sr: SuperRegionSpec): Statement {
    return stmt(
        "super-regions",
        `ALTER DATABASE ${ident(db)} ADD SUPER REGION ${quoted(sr.name)} VALUES ${sr.regions.map(quoted).join(", ")}`,
        {
            alreadyApplied: [{ message: `super region ${sr.name} already exists` }],
        },
    );
}

function use(spec: DatabaseSpec): Statement {
    return stmt("migrations", `USE ${ident(spec.name)}`);
}

/** ADD COLUMN for the computed home column, then REGIONAL BY ROW AS it. */
function residencyLocality(spec: DatabaseSpec, t: TableSpec): Statement[] {
    const column = t.homeColumn!;
    return [
        stmt(
            "localities",
            `ALTER TABLE ${ident(t.name)} ADD COLUMN IF NOT EXISTS ${ident(column)} crdb_internal_region NOT NULL AS (\n${homeExpression(
                t.residencyColumn!,
                spec.homeRules,
                spec.primaryRegion,
                "    ",
            )}\n) STORED`,
        ),
        stmt("localities", `ALTER TABLE ${ident(t.name)} SET LOCALITY REGIONAL BY ROW AS ${ident(column)}`),
    ];
}

function localityStatements(spec: DatabaseSpec, t: TableSpec): Statement[] {
    switch (t.locality) {
        case "residency":
            return residencyLocality(spec, t);
        case "global":
            return [stmt("localities", `ALTER TABLE ${ident(t.name)} SET LOCALITY GLOBAL`)];
        case "regional":
            return [stmt("localities", `ALTER TABLE ${ident(t.name)} SET LOCALITY REGIONAL BY TABLE IN PRIMARY REGION`)];
    }
}

/** `url` with COCKROACH_LOCALITY added (`region=x` URL-encoded as CockroachDB's docs show). */
export function localityUrl(url: string, locality: string): string {
    const value = locality === "default" ? "default" : `region%3D${locality}`;
    return `${url}${url.includes("?") ? "&" : "?"}COCKROACH_LOCALITY=${value}`;
}

/** Drops every schedule with the label (a backup schedule is a full + an incremental schedule). */
function dropSchedule(label: string): Statement {
    return stmt("backup", `DROP SCHEDULES SELECT id FROM [SHOW SCHEDULES] WHERE label = ${literal(label)}`);
}

function createSchedule(spec: DatabaseSpec): Statement {
    const b = spec.backup!;
    const into = b.destinations.map((d) => literal(localityUrl(d.url, d.locality))).join(",\n    ");
    return stmt(
        "backup",
        `CREATE SCHEDULE IF NOT EXISTS ${ident(b.label)}\n  FOR BACKUP DATABASE ${ident(spec.name)} INTO (\n    ${into}\n  )\n  WITH revision_history\n` +
            `  RECURRING ${literal(b.incremental)}\n  FULL BACKUP ${literal(b.full)}\n  WITH SCHEDULE OPTIONS first_run = 'now', ignore_existing_backups`,
    );
}

/** What the backup schedule looks like, to tell when it must be recreated. */
function scheduleIdentity(spec: DatabaseSpec): string | null {
    return spec.backup ? createSchedule(spec).sql : null;
}

/**
 * The app user may read and write the rows of every table, now and later (default privileges of
 * the tables root creates through migrations), and nothing else: no DDL, no other database. The
 * user is created here as well as by the init node, whichever runs first; its password is set at
 * boot from the region's secret store.
 */
function grantStatements(spec: DatabaseSpec): Statement[] {
    const user = ident(spec.appUser);
    const rights = "SELECT, INSERT, UPDATE, DELETE";
    return [
        // Schema-level grants name the current database's schema.
        stmt("grants", `USE ${ident(spec.name)}`),
        stmt("grants", `CREATE USER IF NOT EXISTS ${user}`),
        stmt("grants", `GRANT CONNECT ON DATABASE ${ident(spec.name)} TO ${user}`),
        stmt("grants", `GRANT ${rights} ON ALL TABLES IN SCHEMA public TO ${user}`),
        stmt("grants", `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${rights} ON TABLES TO ${user}`),
    ];
}

function migrationStatements(spec: DatabaseSpec, names?: ReadonlySet<string>): Statement[] {
    return spec.migrations.filter((m) => !names || names.has(m.name)).flatMap((m) => m.statements.map((sql) => stmt("migrations", sql)));
}

/**
 * Statements that create the database from nothing, in order: settings; database with every
 * region and the survival goal; placement; super regions; migrations; table localities; backup
 * schedule. Re-running them on an existing database changes nothing.
 */
export function createStatements(spec: DatabaseSpec): Statement[] {
    const db = ident(spec.name);
    const others = spec.regions.filter((r) => r !== spec.primaryRegion);
    const out: Statement[] = [...settings(spec.superRegions.length > 0, spec.placement === "restricted")];
    out.push(
        stmt(
            "database",
            `CREATE DATABASE IF NOT EXISTS ${db} PRIMARY REGION ${quoted(spec.primaryRegion)}` +
                (others.length > 0 ? ` REGIONS ${others.map(quoted).join(", ")}` : "") +
                (spec.survivalGoal === "region" ? " SURVIVE REGION FAILURE" : ""),
        ),
    );
    // CREATE ... IF NOT EXISTS does nothing on an existing database: make its regions explicit.
    for (const r of others) out.push(stmt("database", `ALTER DATABASE ${db} ADD REGION IF NOT EXISTS ${quoted(r)}`));
    out.push(survive(spec));
    if (spec.placement === "restricted") out.push(stmt("database", `ALTER DATABASE ${db} PLACEMENT RESTRICTED`));
    for (const sr of spec.superRegions) out.push(addSuperRegion(spec.name, sr));
    if (spec.migrations.length > 0 || spec.tables.some((t) => t.declared)) out.push(use(spec));
    out.push(...migrationStatements(spec));
    for (const t of spec.tables) if (t.declared) out.push(...localityStatements(spec, t));
    out.push(...grantStatements(spec));
    if (spec.backup) out.push(createSchedule(spec));
    return out;
}

/**
 * Statements `pulumi destroy` runs. The backup schedule goes; the database and its data stay
 * (drop it by hand with DROP DATABASE ... CASCADE once backups are no longer needed).
 */
export function deleteStatements(spec: DatabaseSpec): Statement[] {
    return spec.backup ? [dropSchedule(spec.backup.label)] : [];
}

/**
 * The delta from `old` to `next`, in an order CockroachDB accepts and that never lets residency
 * data leave its domain in between: add regions; move the primary; lower the survival goal;
 * restrict placement; super region removals, then additions; raise the survival goal; default
 * placement; new or changed migrations; table localities (new home columns before old ones are
 * dropped); backup schedule; finally drop regions (no row can be homed there any more).
 * An empty list means nothing to do. Both specs must name the same database (a rename replaces).
 */
export function updateStatements(old: DatabaseSpec, next: DatabaseSpec): Statement[] {
    const db = ident(next.name);
    const out: Statement[] = [];
    const added = next.regions.filter((r) => !old.regions.includes(r));
    const removed = old.regions.filter((r) => !next.regions.includes(r));

    // Database level.
    for (const r of added) out.push(stmt("database", `ALTER DATABASE ${db} ADD REGION IF NOT EXISTS ${quoted(r)}`));
    if (old.primaryRegion !== next.primaryRegion) {
        // CockroachDB refuses to move the primary into or out of a super region (it moves the
        // REGIONAL BY TABLE tables homed there) unless the session says so.
        const srOf = (r: string) => old.superRegions.find((s) => s.regions.includes(r))?.name ?? null;
        if (srOf(old.primaryRegion) !== srOf(next.primaryRegion))
            out.push(stmt("database", "SET alter_primary_region_super_region_override = 'on'"));
        out.push(stmt("database", `ALTER DATABASE ${db} SET PRIMARY REGION ${quoted(next.primaryRegion)}`));
    }
    const downgrade = old.survivalGoal === "region" && next.survivalGoal === "zone";
    const upgrade = old.survivalGoal === "zone" && next.survivalGoal === "region";
    if (downgrade) out.push(survive(next));
    if (old.placement === "default" && next.placement === "restricted")
        out.push(stmt("database", `ALTER DATABASE ${db} PLACEMENT RESTRICTED`));

    // Super regions: removals first (a region is in at most one super region), then additions.
    const srOut: Statement[] = [];
    const oldSr = new Map(old.superRegions.map((s) => [s.name, s]));
    const nextSr = new Map(next.superRegions.map((s) => [s.name, s]));
    for (const o of old.superRegions) {
        const n = nextSr.get(o.name);
        const gone = o.regions.filter((r) => !n?.regions.includes(r));
        if (gone.length === 0) continue;
        // Losing members only because those regions are dropped is part of dropping the region.
        const flag: DestructiveFlag = gone.every((r) => removed.includes(r)) ? "dropRegion" : "dropSuperRegion";
        const keep = n ? o.regions.filter((r) => n.regions.includes(r)) : [];
        if (keep.length === 0)
            srOut.push(
                stmt("super-regions", `ALTER DATABASE ${db} DROP SUPER REGION ${quoted(o.name)}`, {
                    destructive: flag,
                    reason: `drops super region "${o.name}": rows homed in ${o.regions.join(", ")} may then be replicated outside domain "${o.domain}"`,
                    alreadyApplied: [{ message: `super region ${o.name} not found` }],
                }),
            );
        else
            srOut.push(
                stmt("super-regions", `ALTER DATABASE ${db} ALTER SUPER REGION ${quoted(o.name)} VALUES ${keep.map(quoted).join(", ")}`, {
                    destructive: flag,
                    reason: `removes ${gone.join(", ")} from super region "${o.name}"`,
                }),
            );
    }
    for (const n of next.superRegions) {
        const o = oldSr.get(n.name);
        const grows = o ? n.regions.some((r) => !o.regions.includes(r)) : false;
        if (!o || o.regions.every((r) => !n.regions.includes(r))) srOut.push(addSuperRegion(next.name, n));
        else if (grows)
            srOut.push(
                stmt(
                    "super-regions",
                    `ALTER DATABASE ${db} ALTER SUPER REGION ${quoted(n.name)} VALUES ${n.regions.map(quoted).join(", ")}`,
                ),
            );
    }
    out.push(...srOut);
    if (upgrade) out.push(survive(next));
    if (old.placement === "restricted" && next.placement === "default")
        out.push(stmt("database", `ALTER DATABASE ${db} PLACEMENT DEFAULT`));

    // Schema: new or changed migration files, in order.
    const oldSha = new Map(old.migrations.map((m) => [m.name, m.sha256]));
    const changed = new Set(next.migrations.filter((m) => oldSha.get(m.name) !== m.sha256).map((m) => m.name));
    const schema: Statement[] = [...migrationStatements(next, changed)];

    // Table localities.
    const oldTables = new Map(old.tables.filter((t) => t.declared).map((t) => [t.name, t]));
    for (const t of next.tables) {
        if (!t.declared) continue;
        const o = oldTables.get(t.name);
        if (!o || o.locality !== t.locality) {
            const steps = localityStatements(next, t);
            if (o?.locality === "residency")
                schema.push(
                    ...steps.map((s) => ({
                        ...s,
                        destructive: "changeResidencyLocality" as const,
                        reason: `changes table ${t.name} from REGIONAL BY ROW (rows homed in their domain) to ${t.locality === "global" ? "GLOBAL (a replica in every region)" : "REGIONAL BY TABLE in the primary region"}`,
                    })),
                    ...dropHomeColumn(o, "changeResidencyLocality", `drops the home column of ${t.name}`),
                );
            else schema.push(...steps);
        } else if (t.locality === "residency" && o.homeColumn !== t.homeColumn) {
            // Same locality, new country -> region mapping (or residency column): a new home column.
            const columnChanged = o.residencyColumn !== t.residencyColumn;
            const extra: Partial<Statement> = columnChanged
                ? {
                      destructive: "changeResidencyLocality",
                      reason: `re-homes ${t.name} by column ${t.residencyColumn} instead of ${o.residencyColumn}, which can move rows to another domain`,
                  }
                : {};
            schema.push(
                ...residencyLocality(next, t).map((s) => ({ ...s, ...extra })),
                ...dropHomeColumn(o, extra.destructive, extra.reason),
            );
        }
    }
    if (schema.length > 0) out.push(use(next), ...schema);
    // Tables created since are covered by the default privileges; a new app user needs its grants.
    if (old.appUser !== next.appUser) out.push(...grantStatements(next));

    // Backup schedule: recreate when anything in it changed.
    const before = scheduleIdentity(old);
    const after = scheduleIdentity(next);
    if (before !== after) {
        if (old.backup) out.push(dropSchedule(old.backup.label));
        if (next.backup) out.push(createSchedule(next));
    }

    for (const r of removed)
        out.push(
            stmt("cleanup", `ALTER DATABASE ${db} DROP REGION IF EXISTS ${quoted(r)}`, {
                destructive: "dropRegion",
                reason: `drops region ${r} from database ${next.name}: its replicas are removed`,
            }),
        );

    if (out.length === 0) return [];
    return [
        ...settings(
            out.some((s) => s.step === "super-regions"),
            old.placement !== next.placement,
        ),
        ...out,
    ];
}

function dropHomeColumn(t: TableSpec, destructive?: DestructiveFlag, reason?: string): Statement[] {
    if (!t.homeColumn) return [];
    return [
        stmt(
            "localities",
            `ALTER TABLE ${ident(t.name)} DROP COLUMN IF EXISTS ${ident(t.homeColumn)}`,
            destructive ? { destructive, reason } : {},
        ),
    ];
}

/** Statement texts only, for the plan document and previews. */
export function sqlOf(statements: readonly Statement[]): string[] {
    return statements.map((s) => s.sql);
}

/** Renders statements as one script (`;` after each), e.g. for golden files and `cockroach sql -f`. */
export function script(statements: readonly Statement[]): string {
    return statements.map((s) => `${s.sql};\n`).join("\n");
}

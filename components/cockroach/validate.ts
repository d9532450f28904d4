/**
 * Database checks that run before anything is deployed, so CockroachDB's own errors (and the
 * residency mistakes it would accept silently) surface as config problems naming the key to fix.
 *
 * config.ts already rejects, for the whole environment, REGION survival with fewer than 3 regions
 * and RESTRICTED placement with REGION survival; these checks add what depends on the derived
 * super regions, the country mapping and the migrations.
 */
import * as path from "node:path";
import { ConfigError, keyOf, type ConfigIssue, type StackConfig } from "../config";
import { planTopology, type Topology } from "../topology";
import { migrationTables, MigrationError, readMigrations, type Migration } from "./migrations";
import { databaseSpec, type DatabaseSpec } from "./spec";

/** Databases every cluster already has; CREATE DATABASE IF NOT EXISTS would silently reuse them. */
const BUILT_IN_DATABASES = new Set(["system", "defaultdb", "postgres"]);

/**
 * Every database problem of a validated config. `migrations` (from readMigrations) enables the
 * checks against the schema; `topology` defaults to planTopology(config). Pure.
 */
export function databaseChecks(
    config: StackConfig,
    migrations: readonly Migration[] = [],
    topology: Pick<Topology, "primary" | "countryHome"> = planTopology(config),
): ConfigIssue[] {
    const spec = databaseSpec(config, topology, migrations);
    const issues: ConfigIssue[] = [];
    if (BUILT_IN_DATABASES.has(config.database.name))
        issues.push({
            key: keyOf(["database", "name"]),
            message: `"${config.database.name}" is a database every CockroachDB cluster already has (without regions), so CREATE DATABASE IF NOT EXISTS would reuse it and ADD REGION would fail; use a name of your own such as "app".`,
        });
    issues.push(...superRegionIssues(spec), ...mappingIssues(spec, topology.countryHome));
    if (migrations.length > 0) issues.push(...schemaIssues(spec));
    return issues;
}

/** Throws ConfigError (Pulumi shows it without a stack trace) when databaseChecks finds problems. */
export function assertDatabaseConfig(
    config: StackConfig,
    migrations: readonly Migration[],
    topology?: Pick<Topology, "primary" | "countryHome">,
): void {
    const issues = databaseChecks(config, migrations, topology);
    if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * CockroachDB's super region rules, applied to the spec's super regions: members must be database
 * regions, a region belongs to one super region, and under REGION survival each super region needs
 * 3 regions. Also rejects super regions under RESTRICTED placement, which 25.4 turns into zone
 * configs whose voters cannot satisfy the per-member constraints.
 */
export function superRegionIssues(
    spec: Pick<DatabaseSpec, "name" | "regions" | "superRegions" | "survivalGoal" | "placement">,
): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const owner = new Map<string, string>();
    for (const sr of spec.superRegions) {
        for (const r of sr.regions) {
            if (!spec.regions.includes(r))
                issues.push({
                    key: sr.key,
                    message: `super region "${sr.name}" lists ${r}, which is not a region of database ${spec.name} (CockroachDB: "region ${r} not part of database"); add ${r} to backend:regions or remove it from the domain.`,
                });
            const other = owner.get(r);
            if (other !== undefined && other !== sr.name)
                issues.push({
                    key: sr.key,
                    message: `region ${r} is in super regions "${other}" and "${sr.name}" (CockroachDB: "region ${r} is already part of super region ${other}"); a region belongs to exactly one residency domain, so give it one domain in backend:regions.`,
                });
            else owner.set(r, sr.name);
        }
        if (spec.survivalGoal === "region" && sr.regions.length < 3)
            issues.push({
                key: sr.key,
                message: `domain "${sr.domain}" holds residency data in super region "${sr.name}" with ${sr.regions.length} region${sr.regions.length === 1 ? "" : "s"}, but survivalGoal "region" needs at least 3 per super region (CockroachDB: "super region ${sr.name} only has ${sr.regions.length} region(s): at least 3 regions are required for surviving a region failure"); add regions with domain: ${sr.domain} to backend:regions or set backend:cockroach.survivalGoal to "zone".`,
            });
    }
    if (spec.placement === "restricted" && spec.superRegions.length > 0)
        issues.push({
            key: keyOf(["cockroach", "placement"]),
            message: `"restricted" placement with super regions gives partitions 3 voters in their home region and a required replica in every other member, which cannot both hold; use placement "default" (super regions) or drop the super regions.`,
        });
    return issues;
}

/**
 * Residency of the country mapping: every country of a domain must be homed in a region of that
 * same domain (rows of countries in no domain go to the primary region).
 */
export function mappingIssues(
    spec: Pick<DatabaseSpec, "domains" | "tables" | "primaryRegion">,
    countryHome: ReadonlyMap<string, string>,
): ConfigIssue[] {
    if (!spec.tables.some((t) => t.locality === "residency")) return [];
    const domainOf = new Map<string, string>();
    for (const d of spec.domains) for (const r of d.regions) domainOf.set(r, d.name);
    const issues: ConfigIssue[] = [];
    for (const d of spec.domains) {
        const wrong: string[] = [];
        for (const c of d.countries) {
            const home = countryHome.get(c) ?? spec.primaryRegion;
            if (domainOf.get(home) !== d.name) wrong.push(`${c} -> ${home}${countryHome.has(c) ? "" : " (no home: primary region)"}`);
        }
        if (wrong.length > 0)
            issues.push({
                key: d.key,
                message: `countries of domain "${d.name}" would be homed outside it: ${wrong.join(", ")}; their rows must live in a region of domain "${d.name}" (${d.regions.join(", ") || "none"}). Give the domain a region in backend:regions, or move the countries to the domain that holds them.`,
            });
    }
    return issues;
}

/**
 * Types of a column that holds an ISO 3166-1 alpha-2 code: CockroachDB's STRING limited to two
 * characters, under any of its names. Source: cockroachlabs.com/docs/v25.4/string ("To limit the
 * length of a string column, use STRING(n) ... This applies to all related types as well":
 * VARCHAR / CHARACTER VARYING, CHAR / CHARACTER). A wider or unlimited string (e.g. `currency
 * CHAR(3)`, `STRING`) or any other type is refused: it cannot be a country code, or can hold
 * values the home column never matches.
 */
export const COUNTRY_CODE_TYPES = [
    "CHAR(2)",
    "CHARACTER(2)",
    "STRING(2)",
    "VARCHAR(2)",
    "CHARACTER VARYING(2)",
    "CHAR VARYING(2)",
] as const;

/** Whether a normalized column type (spec.ts `columnType`) holds two-letter country codes. */
export function isCountryCodeType(type: string): boolean {
    return (COUNTRY_CODE_TYPES as readonly string[]).includes(type);
}

/** Checks against the tables the migrations create. */
function schemaIssues(spec: DatabaseSpec): ConfigIssue[] {
    const parsed = new Map(migrationTables(spec.migrations).map((t) => [t.name, t]));
    const issues: ConfigIssue[] = [];
    for (const t of spec.tables) {
        if (!t.declared) {
            if (t.residency)
                issues.push({
                    key: t.key,
                    message: `table ${t.name} (${parsed.get(t.name)?.file}) holds residency-scoped data (${t.evidence.join("; ")}) but is not listed, so it stays REGIONAL BY TABLE in the primary region; add { name: ${t.name}, locality: residency } to backend:database.tables.`,
                });
            continue;
        }
        const found = parsed.get(t.name);
        if (!found) {
            issues.push({
                key: `${t.key}.name`,
                message: `no migration in backend:database.migrationsDir creates table ${t.name} (CockroachDB would fail: relation "${t.name}" does not exist); add CREATE TABLE IF NOT EXISTS ${t.name} to a migration or remove the entry.`,
            });
            continue;
        }
        if (t.residencyColumn && !found.columns.includes(t.residencyColumn))
            issues.push({
                key: `${t.key}.residencyColumn`,
                message: `table ${t.name} (${found.file}) has no column ${t.residencyColumn} to home its rows by (CockroachDB: column "${t.residencyColumn}" does not exist); columns: ${found.columns.join(", ")}. Set residencyColumn to the column holding the ISO country.`,
            });
        const type = t.residencyColumn ? found.types[t.residencyColumn] : undefined;
        if (t.residencyColumn && type !== undefined && !isCountryCodeType(type))
            issues.push({
                key: `${t.key}.residencyColumn`,
                message: `column ${t.residencyColumn} of table ${t.name} (${found.file}) is ${type}, not a two-letter country code: its home column compares it with ISO 3166-1 alpha-2 codes such as 'DE', so no row would match and every row would be homed in the primary region ${spec.primaryRegion}, without an error. Set residencyColumn to the column holding the row's country, declared CHAR(2) or STRING(2) (columns of type ${COUNTRY_CODE_TYPES.join(", ")} are accepted).`,
            });
        if (t.locality !== "residency" && t.residency)
            issues.push({
                key: `${t.key}.locality`,
                message:
                    t.locality === "global"
                        ? `table ${t.name} holds residency-scoped data (${t.evidence.join("; ")}) but is declared "global": GLOBAL tables keep a replica in every region, so every domain's rows would leave their domain. Set locality: residency (with the residencyColumn holding the row's country).`
                        : `table ${t.name} holds residency-scoped data (${t.evidence.join("; ")}) but is declared "regional": all its rows would live in the primary region's domain. Set locality: residency (with the residencyColumn holding the row's country).`,
            });
    }
    return issues;
}

/**
 * Reads the migrations of `config.database.migrationsDir` (relative to `root`) and runs every
 * database check; a broken migration or a check failure is a ConfigError naming the key.
 */
export function loadMigrations(config: StackConfig, root: string, topology?: Pick<Topology, "primary" | "countryHome">): Migration[] {
    let migrations: Migration[];
    try {
        migrations = readMigrations(path.resolve(root, config.database.migrationsDir));
    } catch (e) {
        if (e instanceof MigrationError) throw new ConfigError([{ key: keyOf(["database", "migrationsDir"]), message: e.message }]);
        throw e;
    }
    assertDatabaseConfig(config, migrations, topology);
    return migrations;
}

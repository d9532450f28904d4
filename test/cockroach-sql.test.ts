import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type StackConfig } from "../components/config";
import { planTopology } from "../components/topology";
import type { Migration } from "../components/cockroach/migrations";
import { databaseSpec, type DatabaseSpec } from "../components/cockroach/spec";
import {
    createStatements,
    deleteStatements,
    homeExpression,
    ident,
    localityUrl,
    script,
    updateStatements,
    type Statement,
} from "../components/cockroach/sql";
import { shippedStacks } from "../scripts/offline";
import { FIXTURE, fixtureConfig, inAnotherEnvironment, shippedConfig, shippedMigrations } from "./support";

const ROOT = path.resolve(__dirname, "..");
const GOLDEN = path.join(__dirname, "golden");
const MIGRATIONS = shippedMigrations();

/** Stand-in bucket URLs, as the regional stacks' backupBucketUrl outputs look. */
function bucketUrls(config: StackConfig): Record<string, string> {
    return Object.fromEntries(
        config.regions.map((r) => [r.crdbRegion, `${r.cloud === "aws" ? "s3" : "gs"}://${config.environment}-${r.crdbRegion}-backups`]),
    );
}

function specOf(config: StackConfig, migrations: readonly Migration[] = MIGRATIONS, withBackup = true): DatabaseSpec {
    return databaseSpec(config, planTopology(config), migrations, withBackup ? bucketUrls(config) : undefined);
}

/** Compares with test/golden/<name>.sql; UPDATE_GOLDEN=1 (re)writes the file. */
function golden(name: string, text: string): void {
    const file = path.join(GOLDEN, `${name}.sql`);
    if (process.env.UPDATE_GOLDEN === "1") {
        fs.mkdirSync(GOLDEN, { recursive: true });
        fs.writeFileSync(file, text);
    }
    assert.ok(
        fs.existsSync(file),
        `no golden file ${path.relative(ROOT, file)}; generate it with UPDATE_GOLDEN=1, review it and commit it`,
    );
    assert.equal(
        text,
        fs.readFileSync(file, "utf8"),
        `${file} differs; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`,
    );
}

const texts = (s: readonly Statement[]) => s.map((x) => x.sql);
const indexOf = (s: readonly Statement[], pattern: RegExp) => s.findIndex((x) => pattern.test(x.sql));

describe("cockroach sql: golden create scripts", () => {
    for (const stack of shippedStacks()) {
        it(`matches test/golden/cockroach-${stack}.sql for the shipped stack ${stack}`, () => {
            golden(`cockroach-${stack}`, script(createStatements(specOf(shippedConfig(stack)))));
        });
    }

    it("matches test/golden/cockroach-fixture-restricted.sql (restricted placement, no super regions)", () => {
        golden(
            "cockroach-fixture-restricted",
            script(createStatements(specOf(fixtureConfig((raw) => (raw.cockroach = { ...raw.cockroach, placement: "restricted" }))))),
        );
    });

    it("depends on config and migrations alone: another clock, Math.random or environment gives the same text", () => {
        for (const stack of shippedStacks()) {
            const a = script(createStatements(specOf(shippedConfig(stack))));
            const b = inAnotherEnvironment(() => script(createStatements(specOf(shippedConfig(stack)))));
            assert.equal(b, a, stack);
        }
    });
});

describe("cockroach sql: create", () => {
    const spec = specOf(shippedConfig("prod"));
    const statements = createStatements(spec);

    it("orders settings, database, survival, super regions, migrations, localities, grants, backup", () => {
        const steps = statements.map((s) => s.step);
        const order = ["settings", "database", "super-regions", "migrations", "localities", "grants", "backup"];
        assert.deepEqual([...new Set(steps)], order, "steps appear in this order and each step is contiguous");
        for (let i = 1; i < steps.length; i++) assert.ok(order.indexOf(steps[i]!) >= order.indexOf(steps[i - 1]!), `step order at ${i}`);
    });

    it("creates the database with the cloud-prefixed region names of the nodes' --locality", () => {
        assert.equal(
            statements[2]!.sql,
            'CREATE DATABASE IF NOT EXISTS app PRIMARY REGION "aws-us-east-1" REGIONS "aws-eu-central-1", "aws-eu-west-1", "aws-us-west-2", "gcp-europe-west1", "gcp-us-central1" SURVIVE REGION FAILURE',
        );
        assert.ok(texts(statements).includes("ALTER DATABASE app SURVIVE REGION FAILURE"));
    });

    it("adds one super region per domain, before any table is created", () => {
        assert.ok(
            texts(statements).includes(
                'ALTER DATABASE app ADD SUPER REGION "eu" VALUES "aws-eu-central-1", "aws-eu-west-1", "gcp-europe-west1"',
            ),
        );
        assert.ok(indexOf(statements, /ADD SUPER REGION "us"/) < indexOf(statements, /CREATE TABLE/));
        assert.ok(indexOf(statements, /SET enable_super_regions/) < indexOf(statements, /ADD SUPER REGION/));
    });

    it("runs the migrations verbatim in file order, then sets localities", () => {
        const creates = statements
            .filter((s) => /^(--[^\n]*\n)*\s*CREATE TABLE/.test(s.sql))
            .map((s) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s.sql)![1]);
        assert.deepEqual(creates, ["currencies", "users", "orders"]);
        const users = spec.tables[0];
        assert.ok(
            indexOf(statements, new RegExp(`ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS ${users!.homeColumn}$`)) >
                indexOf(statements, /CREATE TABLE IF NOT EXISTS orders/),
        );
        assert.ok(texts(statements).includes("ALTER TABLE currencies SET LOCALITY GLOBAL"));
    });

    it("homes each country in the nearest region of its own domain, others in the primary region", () => {
        const add = statements.find((s) => s.sql.startsWith("ALTER TABLE users ADD COLUMN IF NOT EXISTS crdb_region_"))!;
        assert.match(add.sql, /crdb_internal_region NOT NULL AS \(\n {4}CASE\n/);
        assert.match(add.sql, /WHEN country IN \('CA', 'US'\) THEN 'aws-us-east-1'/);
        assert.match(add.sql, /WHEN country IN \('BE', 'ES', 'FR', 'GB', 'LU', 'NL'\) THEN 'gcp-europe-west1'/);
        assert.match(add.sql, /ELSE 'aws-us-east-1'\n {4}END\n\) STORED$/);
    });

    it("writes a locality-aware backup: default = the primary's bucket, one URI per other region", () => {
        const schedule = statements[statements.length - 1]!.sql;
        assert.match(schedule, /^CREATE SCHEDULE IF NOT EXISTS app_backup\n {2}FOR BACKUP DATABASE app INTO \(/);
        assert.match(schedule, /'s3:\/\/prod-aws-us-east-1-backups\?AUTH=implicit&COCKROACH_LOCALITY=default'/);
        assert.match(schedule, /'gs:\/\/prod-gcp-europe-west1-backups\?AUTH=implicit&COCKROACH_LOCALITY=region%3Dgcp-europe-west1'/);
        assert.equal((schedule.match(/COCKROACH_LOCALITY=/g) ?? []).length, spec.regions.length);
        assert.doesNotMatch(schedule, /region%3Daws-us-east-1/, "the primary's nodes write to default");
        assert.match(schedule, /RECURRING '@hourly'\n {2}FULL BACKUP '@daily'/);
    });

    it("makes every statement idempotent by syntax or by a tolerated SQLSTATE", () => {
        for (const s of statements) {
            const safe =
                /IF (NOT )?EXISTS/.test(s.sql) ||
                /^(SET |USE |ALTER DATABASE \w+ SURVIVE|ALTER DATABASE \w+ PLACEMENT|ALTER TABLE \w+ SET LOCALITY|INSERT [\s\S]*\sON CONFLICT|GRANT |ALTER DEFAULT PRIVILEGES )/.test(
                    s.sql.replace(/^(--[^\n]*\n)*/, ""),
                ) ||
                (s.alreadyApplied?.length ?? 0) > 0;
            assert.ok(safe, `not idempotent: ${s.sql}`);
        }
    });

    it("plans no backup statement without bucket URLs, and delete drops only the schedule", () => {
        assert.equal(createStatements(specOf(shippedConfig("prod"), MIGRATIONS, false)).filter((s) => s.step === "backup").length, 0);
        assert.deepEqual(texts(deleteStatements(spec)), ["DROP SCHEDULES SELECT id FROM [SHOW SCHEDULES] WHERE label = 'app_backup'"]);
    });

    it("quotes identifiers only when needed", () => {
        assert.equal(ident("users"), "users");
        assert.equal(ident("order"), '"order"');
        assert.equal(ident("Weird"), '"Weird"');
        assert.equal(
            localityUrl("s3://b?AUTH=implicit", "aws-eu-west-1"),
            "s3://b?AUTH=implicit&COCKROACH_LOCALITY=region%3Daws-eu-west-1",
        );
        assert.equal(homeExpression("country", [], "r1"), "CASE\n    ELSE 'r1'\nEND");
    });
});

describe("cockroach sql: the app user's grants", () => {
    it("lets the app user read and write every table, now and later, and nothing else", () => {
        const grants = texts(createStatements(specOf(shippedConfig("prod")))).filter((s) =>
            /^(CREATE USER|GRANT|ALTER DEFAULT PRIVILEGES)/.test(s),
        );
        assert.deepEqual(grants, [
            "CREATE USER IF NOT EXISTS app",
            "GRANT CONNECT ON DATABASE app TO app",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app",
        ]);
        assert.ok(!grants.some((g) => /\bALL\b(?! TABLES)|CREATE ON|DROP|ADMIN/.test(g)), "no DDL or admin rights");
    });

    it("grants after the tables exist, and again only when the app user changes", () => {
        const all = texts(createStatements(specOf(shippedConfig("prod"))));
        assert.ok(
            all.indexOf("GRANT CONNECT ON DATABASE app TO app") > all.findIndex((s) => s.startsWith("ALTER TABLE orders SET LOCALITY")),
        );
        const spec = specOf(shippedConfig("prod"));
        assert.deepEqual(updateStatements(spec, spec), []);
        assert.ok(texts(updateStatements(spec, { ...spec, appUser: "api" })).includes("GRANT CONNECT ON DATABASE app TO api"));
    });
});

describe("cockroach sql: update delta", () => {
    const base = specOf(fixtureConfig());

    it("is empty when nothing changed (re-running generation is not a change)", () => {
        assert.deepEqual(updateStatements(base, specOf(fixtureConfig())), []);
    });

    it("adding a region: ADD REGION, grow the super region, re-home the domain's countries, no destructive step", () => {
        const next = specOf(fixtureConfig((raw) => raw.regions.push({ cloud: "aws", region: "eu-west-1", domain: "eu" })));
        const delta = updateStatements(base, next);
        assert.ok(
            delta.every((s) => !s.destructive),
            texts(delta).join("\n"),
        );
        const add = indexOf(delta, /ADD REGION IF NOT EXISTS "aws-eu-west-1"/);
        const grow = indexOf(delta, /ALTER SUPER REGION "eu" VALUES "aws-eu-central-1", "aws-eu-west-1", "gcp-europe-west1"/);
        const newCol = indexOf(delta, new RegExp(`ALTER TABLE users ADD COLUMN IF NOT EXISTS ${next.tables[0]!.homeColumn}`));
        const rehome = indexOf(delta, new RegExp(`ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS ${next.tables[0]!.homeColumn}`));
        const dropOld = indexOf(delta, new RegExp(`ALTER TABLE users DROP COLUMN IF EXISTS ${base.tables[0]!.homeColumn}`));
        assert.ok(add >= 0 && add < grow && grow < newCol && newCol < rehome && rehome < dropOld, texts(delta).join("\n"));
        assert.ok(indexOf(delta, /^SET enable_super_regions/) < grow);
        assert.ok(indexOf(delta, /^USE app$/) < newCol);
        assert.ok(
            delta.some((s) => /DROP SCHEDULES/.test(s.sql)) && delta.some((s) => /CREATE SCHEDULE/.test(s.sql)),
            "backup destinations changed",
        );
    });

    it("dropping a region: gated by dropRegion, after the super region shrinks and rows are re-homed", () => {
        const bigger = specOf(fixtureConfig((raw) => raw.regions.push({ cloud: "aws", region: "eu-west-1", domain: "eu" })));
        const delta = updateStatements(bigger, base);
        const drop = delta.find((s) => /DROP REGION IF EXISTS "aws-eu-west-1"/.test(s.sql))!;
        assert.equal(drop.destructive, "dropRegion");
        const shrink = delta.find((s) => /ALTER SUPER REGION "eu" VALUES "aws-eu-central-1", "gcp-europe-west1"$/.test(s.sql))!;
        assert.equal(shrink.destructive, "dropRegion", "losing a member because the region goes is part of dropping it");
        assert.ok(delta.indexOf(shrink) < delta.indexOf(drop));
        assert.ok(
            indexOf(delta, /SET LOCALITY REGIONAL BY ROW AS/) < delta.indexOf(drop),
            "no row may be homed in the region when it is dropped",
        );
        assert.equal(delta[delta.length - 1], drop);
    });

    it("changing a residency table to GLOBAL is gated by changeResidencyLocality", () => {
        const next = specOf(fixtureConfig((raw) => (raw.database.tables[1] = { name: "orders", locality: "global" })));
        const delta = updateStatements(base, next);
        assert.deepEqual(
            delta.filter((s) => s.destructive).map((s) => [s.sql, s.destructive]),
            [
                ["ALTER TABLE orders SET LOCALITY GLOBAL", "changeResidencyLocality"],
                [`ALTER TABLE orders DROP COLUMN IF EXISTS ${base.tables[1]!.homeColumn}`, "changeResidencyLocality"],
            ],
        );
    });

    it("changing the residency column is gated; making a table residency is not", () => {
        const renamed = specOf(
            fixtureConfig((raw) => (raw.database.tables[0] = { name: "users", locality: "residency", residencyColumn: "home_country" })),
            MIGRATIONS,
        );
        assert.ok(
            updateStatements(base, renamed).some(
                (s) => s.destructive === "changeResidencyLocality" && /SET LOCALITY REGIONAL BY ROW/.test(s.sql),
            ),
        );
        const before = specOf(fixtureConfig((raw) => (raw.database.tables[2] = { name: "currencies", locality: "regional" })));
        const after = specOf(fixtureConfig((raw) => (raw.database.tables[2] = { name: "currencies", locality: "global" })));
        assert.deepEqual(texts(updateStatements(before, after)), ["USE app", "ALTER TABLE currencies SET LOCALITY GLOBAL"]);
    });

    it("switching to restricted placement restricts first, then drops the super regions (dropSuperRegion)", () => {
        const next = specOf(fixtureConfig((raw) => (raw.cockroach = { ...raw.cockroach, placement: "restricted" })));
        const delta = updateStatements(base, next);
        const restrict = indexOf(delta, /PLACEMENT RESTRICTED$/);
        const drops = delta.filter((s) => /DROP SUPER REGION/.test(s.sql));
        assert.equal(drops.length, 2);
        assert.ok(drops.every((s) => s.destructive === "dropSuperRegion" && delta.indexOf(s) > restrict));
        assert.ok(indexOf(delta, /SET enable_multiregion_placement_policy/) < restrict);
        // And back: super regions first, then default placement; nothing destructive.
        const back = updateStatements(next, base);
        assert.ok(indexOf(back, /ADD SUPER REGION "eu"/) < indexOf(back, /PLACEMENT DEFAULT$/));
        assert.ok(back.every((s) => !s.destructive));
    });

    it("raises the survival goal after the regions and super regions that allow it exist", () => {
        const three = (goal: string) =>
            specOf(
                fixtureConfig((raw) => {
                    raw.domains = [{ name: "eu", jurisdictions: ["EU"], countries: ["US", "CA"] }];
                    raw.regions = (FIXTURE.regions as { region: string; domain: string }[])
                        .map((r) => ({ ...r, domain: "eu" }))
                        .filter((r: { region: string }) => r.region !== "us-east-1");
                    raw.regions[0].primary = true;
                    if (goal === "region") raw.regions.push({ cloud: "aws", region: "eu-west-1", domain: "eu" });
                    raw.cockroach = { ...raw.cockroach, survivalGoal: goal };
                }),
            );
        const delta = updateStatements(three("zone"), three("region"));
        assert.ok(indexOf(delta, /ADD REGION IF NOT EXISTS "aws-eu-west-1"/) < indexOf(delta, /SURVIVE REGION FAILURE/));
        assert.ok(indexOf(delta, /ALTER SUPER REGION "eu"/) < indexOf(delta, /SURVIVE REGION FAILURE/));
        const down = updateStatements(three("region"), three("zone"));
        assert.ok(indexOf(down, /SURVIVE ZONE FAILURE/) < indexOf(down, /DROP REGION/));
    });

    it("re-runs only new or changed migration files", () => {
        const extra: Migration = {
            name: "0002_addresses.sql",
            sql: "CREATE TABLE IF NOT EXISTS addresses (id UUID PRIMARY KEY, line1 STRING);",
        };
        const next = specOf(fixtureConfig(), [...MIGRATIONS, extra]);
        assert.deepEqual(texts(updateStatements(base, next)), ["USE app", extra.sql.replace(/;$/, "")]);
    });

    it("moving the primary region sets it first, with the super region override when it changes super region", () => {
        const next = specOf(
            fixtureConfig((raw) => {
                raw.regions[0].primary = false;
                raw.regions[1].primary = true;
            }),
        );
        const delta = updateStatements(base, next);
        // The primary moves from super region "us" to "eu": CockroachDB wants the override (pkg/sql/alter_database.go).
        assert.deepEqual(texts(delta.slice(0, 2)), [
            "SET alter_primary_region_super_region_override = 'on'",
            'ALTER DATABASE app SET PRIMARY REGION "aws-eu-central-1"',
        ]);
    });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planTopology } from "../components/topology";
import { checkMigration, migrationTables, MigrationError, readMigrations } from "../components/cockroach/migrations";
import { databaseSpec, withImplicitAuth } from "../components/cockroach/spec";
import { splitStatements } from "../components/cockroach/sqlLexer";
import { DB_DIR, fixtureConfig, inAnotherEnvironment, shippedConfig } from "./support";

function tmpDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crdb-migrations-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

describe("cockroach spec: migrations", () => {
    it("reads the shipped db/ migrations in file-name order", () => {
        const migrations = readMigrations(DB_DIR);
        assert.deepEqual(
            migrations.map((m) => m.name),
            fs
                .readdirSync(DB_DIR)
                .filter((f) => f.endsWith(".sql"))
                .sort(),
        );
        assert.ok(migrations[0]!.sql.includes("CREATE TABLE IF NOT EXISTS users"));
    });

    it("sorts by name, not by creation order, and ignores other files", () => {
        const dir = tmpDir({ "0002_b.sql": "SELECT 2;", "README.md": "x", "0001_a.sql": "SELECT 1;" });
        assert.deepEqual(
            readMigrations(dir).map((m) => m.name),
            ["0001_a.sql", "0002_b.sql"],
        );
    });

    it("rejects a file that names a CockroachDB or cloud region, with file and line", () => {
        for (const text of ["INSERT INTO t VALUES ('aws-us-east-1');", "-- homed in europe-west1\nSELECT 1;", "SELECT 'eu-central-1';"]) {
            const dir = tmpDir({ "0001_x.sql": text });
            assert.throws(
                () => readMigrations(dir),
                (e: Error) => e instanceof MigrationError && /0001_x\.sql:\d+ mentions region/.test(e.message),
            );
        }
    });

    it("rejects locality DDL outside comments but allows the words in comments", () => {
        assert.throws(() => checkMigration("m.sql", "CREATE TABLE t (a INT) LOCALITY GLOBAL;"), /m\.sql:1 contains "LOCALITY"/);
        assert.throws(
            () => checkMigration("m.sql", "SELECT 1;\nALTER DATABASE app SURVIVE REGION FAILURE;"),
            /m\.sql:2 contains "SURVIVE REGION"/,
        );
        assert.doesNotThrow(() => checkMigration("m.sql", "-- the table's locality is set from config\nSELECT 1;"));
    });

    it("names the config key when the folder is missing", () => {
        assert.throws(() => readMigrations("/nonexistent/db"), /backend:database\.migrationsDir/);
    });

    it("splits statements on top-level semicolons only", () => {
        const sql = "SELECT ';' AS a; -- c;\nSELECT $$x;y$$; /* ; */ SELECT \"a;b\" FROM t;\n-- trailing comment only";
        assert.deepEqual(splitStatements(sql), ["SELECT ';' AS a", "-- c;\nSELECT $$x;y$$", '/* ; */ SELECT "a;b" FROM t']);
    });

    it("finds tables, columns and foreign keys in the migrations", () => {
        const tables = migrationTables([{ name: "0001_init.sql", statements: splitStatements(readMigrations(DB_DIR)[0]!.sql) }]);
        const byName = new Map(tables.map((t) => [t.name, t]));
        assert.deepEqual([...byName.keys()], ["currencies", "users", "orders"]);
        assert.ok(byName.get("users")!.columns.includes("country"));
        assert.deepEqual(byName.get("orders")!.references, ["currencies", "users"]);
        assert.ok(!byName.get("users")!.columns.includes("constraint"));
    });
});

describe("cockroach spec: databaseSpec", () => {
    const migrations = readMigrations(DB_DIR);

    it("derives regions, super regions and the country mapping from the prod stack", () => {
        const config = shippedConfig("prod");
        const spec = databaseSpec(config, planTopology(config), migrations);
        assert.equal(spec.primaryRegion, "aws-us-east-1");
        assert.deepEqual(spec.regions, [
            "aws-eu-central-1",
            "aws-eu-west-1",
            "aws-us-east-1",
            "aws-us-west-2",
            "gcp-europe-west1",
            "gcp-us-central1",
        ]);
        assert.deepEqual(
            spec.superRegions.map((s) => [s.name, s.regions]),
            [
                ["eu", ["aws-eu-central-1", "aws-eu-west-1", "gcp-europe-west1"]],
                ["us", ["aws-us-east-1", "aws-us-west-2", "gcp-us-central1"]],
            ],
        );
        // Every country of a domain is homed in a region of that domain.
        for (const d of spec.domains)
            for (const c of d.countries)
                assert.ok(d.regions.includes(spec.homeRules.find((r) => r.countries.includes(c))!.region), `${c} of ${d.name}`);
        assert.equal(spec.backup, null, "no backup without bucket URLs");
        assert.deepEqual(
            spec.tables.map((t) => [t.name, t.locality, t.residency, t.residencyColumn]),
            [
                ["users", "residency", true, "country"],
                ["orders", "residency", true, "country"],
                ["currencies", "global", false, null],
            ],
        );
    });

    it("creates no super region under restricted placement", () => {
        const config = fixtureConfig((raw) => (raw.cockroach = { ...raw.cockroach, placement: "restricted" }));
        assert.deepEqual(databaseSpec(config, planTopology(config), migrations).superRegions, []);
    });

    it("creates no super region without residency tables", () => {
        const config = fixtureConfig((raw) => (raw.database.tables = [{ name: "currencies", locality: "global" }]));
        assert.deepEqual(databaseSpec(config, planTopology(config), migrations).superRegions, []);
    });

    it("puts the primary's bucket first as the default backup destination and adds AUTH=implicit", () => {
        const config = fixtureConfig();
        const urls = {
            "aws-us-east-1": "s3://b-use1",
            "aws-eu-central-1": "s3://b-euc1",
            "gcp-europe-west1": "gs://b-euw1?AUTH=specified",
        };
        const backup = databaseSpec(config, planTopology(config), migrations, urls).backup!;
        assert.deepEqual(backup.destinations, [
            { locality: "default", url: "s3://b-use1?AUTH=implicit" },
            { locality: "aws-eu-central-1", url: "s3://b-euc1?AUTH=implicit" },
            { locality: "gcp-europe-west1", url: "gs://b-euw1?AUTH=specified" },
        ]);
        assert.equal(backup.retentionDays, 30);
        assert.equal(withImplicitAuth("gs://x?foo=1"), "gs://x?foo=1&AUTH=implicit");
    });

    it("refuses a partial set of backup buckets", () => {
        const config = fixtureConfig();
        assert.throws(
            () => databaseSpec(config, planTopology(config), migrations, { "aws-us-east-1": "s3://a" }),
            /no backup bucket URL for aws-eu-central-1, gcp-europe-west1/,
        );
    });

    it("marks tables that hold residency data without being declared residency", () => {
        const config = fixtureConfig(
            (raw) =>
                (raw.database.tables = [
                    { name: "users", locality: "residency" },
                    { name: "orders", locality: "global" },
                ]),
        );
        const spec = databaseSpec(config, planTopology(config), migrations);
        const orders = spec.tables.find((t) => t.name === "orders")!;
        assert.equal(orders.residency, true);
        assert.ok(orders.evidence.some((e) => /has column country/.test(e)));
        assert.ok(orders.evidence.some((e) => /references users \(a residency table\)/.test(e)));
        const currencies = spec.tables.find((t) => t.name === "currencies")!;
        assert.deepEqual([currencies.declared, currencies.residency, currencies.locality], [false, false, "regional"]);
    });

    it("depends on its inputs alone, and changes the home column only when the mapping changes", () => {
        const config = fixtureConfig();
        const a = databaseSpec(config, planTopology(config), migrations);
        const b = inAnotherEnvironment(() => databaseSpec(config, planTopology(config), readMigrations(DB_DIR)));
        assert.equal(JSON.stringify(b), JSON.stringify(a));
        const moved = fixtureConfig((raw) => raw.regions.push({ cloud: "aws", region: "eu-west-1", domain: "eu" }));
        const c = databaseSpec(moved, planTopology(moved), migrations);
        assert.match(a.tables[0]!.homeColumn!, /^crdb_region_[0-9a-f]{8}$/);
        assert.notEqual(c.tables[0]!.homeColumn, a.tables[0]!.homeColumn);
    });
});

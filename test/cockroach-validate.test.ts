import assert from "node:assert/strict";
import { ConfigError, type ConfigIssue } from "../components/config";
import { planTopology } from "../components/topology";
import type { Migration } from "../components/cockroach/migrations";
import { databaseSpec } from "../components/cockroach/spec";
import { assertDatabaseConfig, databaseChecks, mappingIssues, superRegionIssues } from "../components/cockroach/validate";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig, shippedMigrations } from "./support";

const MIGRATIONS = shippedMigrations();

function only(issues: ConfigIssue[], key: string): ConfigIssue {
    const found = issues.filter((i) => i.key === key);
    assert.equal(found.length, 1, `expected one issue at ${key}, got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
    return found[0]!;
}

describe("cockroach validation", () => {
    for (const name of shippedStacks())
        it(`accepts the shipped stack ${name} with the shipped migrations`, () => {
            assert.deepEqual(databaseChecks(shippedConfig(name), MIGRATIONS), []);
        });

    it("REGION survival with a two-region domain: CockroachDB's per-super-region error, at the domain's key", () => {
        const config = shippedConfig(
            "prod",
            (v) => (v["backend:regions"] = v["backend:regions"].filter((r: { region: string }) => r.region !== "eu-west-1")),
        );
        const issue = only(databaseChecks(config, MIGRATIONS), "backend:domains[0]");
        assert.match(
            issue.message,
            /super region eu only has 2 region\(s\): at least 3 regions are required for surviving a region failure/,
        );
        assert.match(issue.message, /backend:cockroach\.survivalGoal/);
    });

    it("no super region, no per-super-region rule: without residency tables two regions per domain are fine", () => {
        const config = shippedConfig("prod", (v) => {
            v["backend:regions"] = v["backend:regions"].filter((r: { region: string }) => r.region !== "eu-west-1");
            v["backend:database"].tables = [{ name: "currencies", locality: "global" }];
        });
        assert.deepEqual(databaseChecks(config), []);
    });

    it("a residency-scoped table declared GLOBAL, at its locality key", () => {
        const config = shippedConfig("prod", (v) => (v["backend:database"].tables[1] = { name: "orders", locality: "global" }));
        const issue = only(databaseChecks(config, MIGRATIONS), "backend:database.tables[1].locality");
        assert.match(
            issue.message,
            /holds residency-scoped data \(has column country.*references users \(a residency table\)\) but is declared "global"/,
        );
        assert.match(issue.message, /Set locality: residency/);
    });

    it("a residency table declared regional", () => {
        const config = shippedConfig("staging", (v) => (v["backend:database"].tables[0] = { name: "users", locality: "regional" }));
        assert.match(
            only(databaseChecks(config, MIGRATIONS), "backend:database.tables[0].locality").message,
            /declared "regional": all its rows would live in the primary region's domain/,
        );
    });

    it("an unlisted table that references a residency table", () => {
        const extra: Migration = {
            name: "0002_items.sql",
            sql: "CREATE TABLE IF NOT EXISTS order_items (id UUID PRIMARY KEY, order_id UUID NOT NULL REFERENCES orders (id), sku STRING);",
        };
        const issue = only(databaseChecks(shippedConfig("prod"), [...MIGRATIONS, extra]), "backend:database.tables");
        assert.match(
            issue.message,
            /table order_items \(0002_items\.sql\) holds residency-scoped data \(references orders \(a residency table\)\) but is not listed/,
        );
    });

    it("a declared table no migration creates, and a missing residency column", () => {
        const config = shippedConfig("staging", (v) =>
            v["backend:database"].tables.push(
                { name: "payments", locality: "global" },
                { name: "currencies_2", locality: "residency", residencyColumn: "cc" },
            ),
        );
        const issues = databaseChecks(config, MIGRATIONS);
        assert.match(only(issues, "backend:database.tables[3].name").message, /relation "payments" does not exist/);
        const withColumn = shippedConfig(
            "staging",
            (v) => (v["backend:database"].tables[0] = { name: "users", locality: "residency", residencyColumn: "nation" }),
        );
        assert.match(
            only(databaseChecks(withColumn, MIGRATIONS), "backend:database.tables[0].residencyColumn").message,
            /column "nation" does not exist/,
        );
    });

    describe("residency column type", () => {
        const withTables = (tables: object[]) => shippedConfig("staging", (v) => (v["backend:database"].tables = tables));
        const migration = (ddl: string): Migration[] => [{ name: "0001_t.sql", sql: ddl }];

        it("refuses a column that is not a country code (orders.currency CHAR(3)), naming type, key and primary region", () => {
            const config = withTables([
                { name: "users", locality: "residency" },
                { name: "orders", locality: "residency", residencyColumn: "currency" },
                { name: "currencies", locality: "global" },
            ]);
            const issue = only(databaseChecks(config, MIGRATIONS), "backend:database.tables[1].residencyColumn");
            assert.match(issue.message, /column currency of table orders \(0001_init\.sql\) is CHAR\(3\), not a two-letter country code/);
            const primary = config.regions.find((r) => r.primary)!.crdbRegion;
            assert.ok(issue.message.includes(`every row would be homed in the primary region ${primary},`), issue.message);
        });

        it("accepts every two-character string type, with or without a CHECK, and refuses wider, unlimited or other types", () => {
            const verdict = (type: string) =>
                databaseChecks(
                    withTables([{ name: "t", locality: "residency" }]),
                    migration(`CREATE TABLE t (id UUID PRIMARY KEY, country ${type} NOT NULL CHECK (country = upper(country)));`),
                ).filter((i) => i.key === "backend:database.tables[0].residencyColumn").length === 0;
            for (const ok of ["CHAR(2)", "char (2)", "CHARACTER(2)", "STRING(2)", "VARCHAR(2)", "character varying(2)"])
                assert.ok(verdict(ok), `${ok} refused`);
            for (const bad of ["CHAR(3)", "STRING(1)", "STRING", "TEXT", "VARCHAR", "CHAR", "INT8", "UUID"])
                assert.ok(!verdict(bad), `${bad} accepted`);
        });

        it("reads the type a later ALTER TABLE gives the column", () => {
            const config = withTables([{ name: "t", locality: "residency" }]);
            const create = "CREATE TABLE t (id UUID PRIMARY KEY, country STRING(2) NOT NULL);";
            assert.deepEqual(databaseChecks(config, migration(create)), []);
            const widened = migration(`${create}\nALTER TABLE t ALTER COLUMN country TYPE STRING(3);`);
            assert.match(only(databaseChecks(config, widened), "backend:database.tables[0].residencyColumn").message, /is STRING\(3\)/);
            const added = migration(
                "CREATE TABLE t (id UUID PRIMARY KEY);\nALTER TABLE t ADD COLUMN IF NOT EXISTS country INT8 NOT NULL DEFAULT 0;",
            );
            assert.match(only(databaseChecks(config, added), "backend:database.tables[0].residencyColumn").message, /is INT8/);
        });
    });

    it("a country mapped outside its domain (e.g. a topology whose mapping was edited)", () => {
        const config = shippedConfig("prod");
        const topology = planTopology(config);
        const tampered = new Map(topology.countryHome);
        tampered.set("FR", "aws-us-east-1");
        tampered.delete("DE");
        const issue = only(databaseChecks(config, MIGRATIONS, { primary: topology.primary, countryHome: tampered }), "backend:domains[0]");
        assert.match(issue.message, /DE -> aws-us-east-1 \(no home: primary region\), FR -> aws-us-east-1/);
        // Pure form, as the plan script can call it with any mapping.
        assert.equal(mappingIssues(databaseSpec(config, topology, []), topology.countryHome).length, 0);
    });

    it("super region members that are not database regions, and a region in two super regions", () => {
        const spec = databaseSpec(shippedConfig("prod"), planTopology(shippedConfig("prod")), MIGRATIONS);
        const broken = {
            ...spec,
            superRegions: [
                { ...spec.superRegions[0]!, regions: [...spec.superRegions[0]!.regions, "aws-ap-south-1"] },
                { ...spec.superRegions[1]!, regions: [...spec.superRegions[1]!.regions, "aws-eu-west-1"] },
            ],
        };
        const messages = superRegionIssues(broken).map((i) => `${i.key}: ${i.message}`);
        assert.ok(
            messages.some((m) => /^backend:domains\[0\]: .*region aws-ap-south-1 not part of database/.test(m)),
            messages.join("\n"),
        );
        assert.ok(
            messages.some((m) => /^backend:domains\[1\]: .*region aws-eu-west-1 is already part of super region eu/.test(m)),
            messages.join("\n"),
        );
        assert.ok(
            superRegionIssues({ ...spec, placement: "restricted", survivalGoal: "zone" }).some(
                (i) => i.key === "backend:cockroach.placement",
            ),
        );
    });

    it("a built-in database name", () => {
        const config = shippedConfig("staging", (v) => (v["backend:database"] = { ...v["backend:database"], name: "defaultdb" }));
        assert.match(only(databaseChecks(config), "backend:database.name").message, /already has/);
    });

    it("assertDatabaseConfig throws ConfigError listing every problem", () => {
        const config = shippedConfig("prod", (v) => (v["backend:database"].tables[1] = { name: "orders", locality: "global" }));
        assert.throws(
            () => assertDatabaseConfig(config, MIGRATIONS),
            (e: Error) => e instanceof ConfigError && /backend:database\.tables\[1\]\.locality/.test(e.message),
        );
    });
});

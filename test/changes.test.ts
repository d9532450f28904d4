/**
 * Safe changes against the deployed record: removing a region, moving a region to another domain
 * and lowering the survival goal are refused without their acknowledgment and accepted with it;
 * adding a region is safe; stale acknowledgments are refused; an app wave in the same update as a
 * schema step is refused naming both keys; the program stops before registering any resource.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { changeReport, readRecord, recordOf, recordPath, sameDeployment, writeRecord, type DeployedRecord } from "../components/changes";
import type { Migration } from "../components/cockroach/migrations";
import { ConfigError, readNamespace, type ConfigIssue, type StackConfig } from "../components/config";
import { parseConfig } from "../components/validate";
import { readStackFile, ROOT } from "../scripts/offline";
import { recorded, shippedMigrations } from "./support";

type Values = Record<string, any>;
const FILE = "deployed/prod.json";
const NEXT = "docker.io/acme/api:1.1.0";

/** The prod stack's raw `backend:` values (key without namespace), changed by `mutate`. */
function prodRaw(mutate: (v: Values) => void = () => {}): Values {
    const raw = structuredClone(readNamespace(readStackFile("prod").config).raw) as Values;
    mutate(raw);
    return raw;
}
function configOf(raw: Values): StackConfig {
    const r = parseConfig(raw);
    if (!r.ok) throw new Error(r.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
    return r.config;
}
const migrations = shippedMigrations();
const record = (raw: Values, m: readonly Migration[] = migrations): DeployedRecord =>
    recordOf("prod", raw, m, new Date("2026-11-30T12:00:00Z"));
function report(prev: Values, next: Values, nextMigrations: readonly Migration[] = migrations) {
    return changeReport(record(prev), FILE, configOf(next), nextMigrations);
}
const keys = (issues: readonly ConfigIssue[]) => issues.map((i) => i.key);
const show = (issues: readonly ConfigIssue[]) => issues.map((i) => `${i.key}: ${i.message}`).join("\n");

// A fourth us region, so that removing one keeps three (REGION survival needs three per super region).
const withColumbus = (v: Values) => v.regions.push({ cloud: "aws", region: "us-east-2", domain: "us" });
// London in the eu domain (GB is one of its countries), and the same region moved to its own domain.
const withLondon = (v: Values) => {
    v.cockroach.survivalGoal = "zone";
    v.regions.push({ cloud: "aws", region: "eu-west-2", domain: "eu" });
};
const londonMoved = (v: Values) => {
    withLondon(v);
    v.domains[0].countries = ["CH"];
    v.domains.push({ name: "uk", countries: ["GB"] });
    v.regions.find((r: Values) => r.region === "eu-west-2").domain = "uk";
};

describe("safe changes: against the deployed record", () => {
    it("finds nothing to refuse in an unchanged stack, and nothing at all without a record", () => {
        assert.deepEqual(report(prodRaw(), prodRaw()).issues, []);
        const none = changeReport(undefined, FILE, configOf(prodRaw((v) => (v.cockroach.survivalGoal = "zone"))), migrations);
        assert.deepEqual(none, { record: null, unsafe: [], wave: [], schemaSteps: [], addedRegions: [], issues: [] });
    });

    it("accepts adding a region without acknowledgment", () => {
        const r = report(prodRaw(), prodRaw(withColumbus));
        assert.deepEqual(r.issues, [], show(r.issues));
        assert.deepEqual(r.addedRegions, ["aws-us-east-2"]);
        assert.deepEqual(r.unsafe, []);
    });

    describe("removing a region", () => {
        // prod plus Columbus, then without Iowa (gcp-us-central1, where MX is homed).
        const prev = prodRaw(withColumbus);
        const removed = (v: Values) => (withColumbus(v), (v.regions = v.regions.filter((r: Values) => r.region !== "us-central1")));
        it("is refused without backend:acknowledge.removeRegions, saying which rows re-home and which replicas go", () => {
            const r = report(prev, prodRaw(removed));
            assert.deepEqual(keys(r.issues), ["backend:regions"], show(r.issues));
            const m = r.issues[0]!.message;
            assert.match(m, /removes region gcp-us-central1 of domain us, deployed per deployed\/prod\.json \(2026-11-30T12:00:00\.000Z\)/);
            assert.match(m, /rows of MX in users, orders re-home gcp-us-central1 -> aws-us-east-2/);
            assert.match(m, /users@gcp-us-central1: partition goes away \(voters [^)]*\); its rows re-home as above/);
            assert.match(m, /users@aws-us-east-1: voters aws-us-east-1:2 aws-us-east-2:1 aws-us-west-2:1 gcp-us-central1:1 -> /);
            assert.match(m, /Drills: after the change \(REGION survival\), every table and partition keeps a voting quorum/);
            // The simulated drills of the state after the change: prod with Columbus for Iowa still loses AWS and each domain.
            assert.match(m, /After the change, the failure drills do not survive \d+ of \d+ scenarios \([^)]*cloud:aws[^)]*\)/);
            assert.match(m, /add "gcp-us-central1" to backend:acknowledge.removeRegions/);
        });
        it("is accepted with the acknowledgment (and the database's dropRegion flag, which pulumi up would stop on)", () => {
            const acked = prodRaw((v) => (removed(v), (v.acknowledge = { removeRegions: ["gcp-us-central1"] })));
            const flagged = report(prev, acked);
            assert.deepEqual(keys(flagged.issues), ["backend:database.allowDestructive.dropRegion"], show(flagged.issues));
            assert.match(flagged.issues[0]!.message, /drops region gcp-us-central1 from database app/);
            const ok = report(
                prev,
                prodRaw((v) => {
                    removed(v);
                    v.acknowledge = { removeRegions: ["gcp-us-central1"] };
                    v.database.allowDestructive = { dropRegion: true };
                }),
            );
            assert.deepEqual(ok.issues, [], show(ok.issues));
            assert.equal(ok.unsafe.length, 1);
            assert.ok(ok.unsafe[0]!.acknowledged);
        });
    });

    describe("moving a region to another domain", () => {
        const prev = prodRaw(withLondon);
        it("is refused without backend:acknowledge.moveRegions, naming the region's domain key and what re-homes", () => {
            const r = report(prev, prodRaw(londonMoved));
            const hit = r.issues.find((i) => i.key === "backend:regions[6].domain");
            assert.ok(hit, show(r.issues));
            assert.match(hit.message, /moves region aws-eu-west-2 from domain eu to domain uk/);
            assert.match(hit.message, /rows of GB stay homed in aws-eu-west-2, which leaves domain eu for uk/);
            // GB's rows lose their non-voting replicas in the eu regions: they now stay in the uk domain.
            assert.match(
                hit.message,
                /users@aws-eu-west-2: voters aws-eu-west-2:3 -> aws-eu-west-2:3; non-voters aws-eu-central-1:1 aws-eu-west-1:1 gcp-europe-west1:1 -> none/,
            );
            assert.match(hit.message, /set backend:acknowledge.moveRegions.aws-eu-west-2 to the new domain/);
        });
        it("is accepted with the acknowledgment naming the new domain; one naming another domain is refused", () => {
            const acked = (to: string) =>
                prodRaw((v) => {
                    londonMoved(v);
                    v.acknowledge = { moveRegions: { "aws-eu-west-2": to } };
                    v.database.allowDestructive = { dropSuperRegion: true };
                });
            const ok = report(prev, acked("uk"));
            assert.deepEqual(ok.issues, [], show(ok.issues));
            const wrong = report(prev, acked("eu"));
            assert.deepEqual(keys(wrong.issues).sort(), ["backend:acknowledge.moveRegions.aws-eu-west-2", "backend:regions[6].domain"]);
        });
    });

    describe("lowering the survival goal", () => {
        const lowered = (v: Values) => (v.cockroach.survivalGoal = "zone");
        it("is refused without backend:acknowledge.lowerSurvivalGoal, saying which voters leave and what a region loss does after", () => {
            const r = report(prodRaw(), prodRaw(lowered));
            assert.deepEqual(keys(r.issues), ["backend:cockroach.survivalGoal"], show(r.issues));
            const m = r.issues[0]!.message;
            assert.match(m, /lowers the survival goal from region to zone/);
            assert.match(m, /users@aws-eu-central-1: voters aws-eu-central-1:2 aws-eu-west-1:2 gcp-europe-west1:1 -> aws-eu-central-1:3/);
            assert.match(m, /losing aws-eu-central-1 leaves [^;]*users@aws-eu-central-1[^;]* without a voting quorum/);
            // ZONE survival: each region down is a lost drill after the change.
            assert.match(
                m,
                /After the change, the failure drills do not survive \d+ of \d+ scenarios \([^)]*region:aws-eu-central-1[^)]*\)/,
            );
            assert.match(m, /set backend:acknowledge.lowerSurvivalGoal to true/);
        });
        it("is accepted with the acknowledgment", () => {
            const r = report(
                prodRaw(),
                prodRaw((v) => (lowered(v), (v.acknowledge = { lowerSurvivalGoal: true }))),
            );
            assert.deepEqual(r.issues, [], show(r.issues));
            assert.equal(r.unsafe[0]!.kind, "lower-survival");
        });
    });

    it("refuses acknowledgments of changes the update does not make", () => {
        const r = report(
            prodRaw(),
            prodRaw(
                (v) =>
                    (v.acknowledge = { removeRegions: ["aws-us-west-2"], moveRegions: { "aws-eu-west-1": "us" }, lowerSurvivalGoal: true }),
            ),
        );
        assert.deepEqual(keys(r.issues).sort(), [
            "backend:acknowledge.lowerSurvivalGoal",
            "backend:acknowledge.moveRegions.aws-eu-west-1",
            "backend:acknowledge.removeRegions[0]",
        ]);
    });
});

describe("safe changes: a wave and a schema step in one update", () => {
    const canary = (v: Values) => (v.app.canary = { image: NEXT, regions: ["aws-eu-west-1"] });
    const newMigration: Migration[] = [
        ...migrations,
        { name: "0002_invoices.sql", sql: "CREATE TABLE IF NOT EXISTS invoices (id UUID PRIMARY KEY);\n" },
    ];

    it("is refused naming the app key and the schema key, for a canary with a new migration file", () => {
        const r = report(prodRaw(), prodRaw(canary), newMigration);
        assert.deepEqual(keys(r.issues), ["backend:app.canary"], show(r.issues));
        assert.match(r.issues[0]!.message, /aws-eu-west-1 \(docker\.io\/acme\/api:1\.0\.0 -> docker\.io\/acme\/api:1\.1\.0\)/);
        assert.match(r.issues[0]!.message, /backend:database\.migrationsDir: db\/0002_invoices\.sql is new/);
    });

    it("is refused for a promotion with a table's locality changed, and for a changed migration file", () => {
        const prev = prodRaw(canary);
        const promoted = (v: Values) => (v.app.image = NEXT);
        const r = report(
            prev,
            prodRaw((v) => (promoted(v), (v.database.tables[2].locality = "regional"))),
        );
        assert.deepEqual(keys(r.issues), ["backend:app.image"], show(r.issues));
        assert.match(r.issues[0]!.message, /backend:database\.tables\[2\]: table currencies changes locality global -> regional/);
        const edited = migrations.map((m) => ({ ...m, sql: m.sql + "\n-- comment\n" }));
        assert.match(show(report(prev, prodRaw(promoted), edited).issues), /db\/0001_init\.sql changed/);
    });

    it("accepts the wave alone and the schema step alone", () => {
        assert.deepEqual(report(prodRaw(), prodRaw(canary)).issues, []);
        assert.deepEqual(report(prodRaw(), prodRaw(), newMigration).issues, []);
        assert.equal(report(prodRaw(), prodRaw(canary)).wave.length, 1);
        assert.equal(report(prodRaw(), prodRaw(), newMigration).schemaSteps.length, 1);
    });
});

describe("safe changes: the record and the program", () => {
    // The root hook's mocks name the stack; the program reads deployed/<that stack>.json.
    const stack = "test";
    const file = recordPath(ROOT, stack);
    const entry = path.join(ROOT, "index.ts");
    const existed = fs.existsSync(path.dirname(file));
    after(() => {
        fs.rmSync(file, { force: true });
        if (!existed) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });

    it("reads back what it writes, and refuses a record of another stack naming the file", () => {
        writeRecord(ROOT, { ...record(prodRaw()), stack });
        assert.deepEqual(readRecord(ROOT, stack)?.config, prodRaw());
        fs.writeFileSync(file, JSON.stringify({ ...record(prodRaw()), stack: "other" }));
        assert.throws(
            () => readRecord(ROOT, stack),
            (e: unknown) => e instanceof ConfigError && e.message.includes(`deployed/${stack}.json`),
        );
    });

    it("leaves the file unchanged when it already records the same deployment (only the time differs), and rewrites it otherwise", () => {
        fs.rmSync(file, { force: true });
        const first = { ...record(prodRaw()), stack };
        assert.equal(writeRecord(ROOT, first).written, true);
        const text = fs.readFileSync(file, "utf8");
        const later = { ...first, recordedAt: "2026-12-01T09:00:00.000Z" };
        assert.ok(sameDeployment(first, later));
        assert.equal(writeRecord(ROOT, later).written, false);
        assert.equal(fs.readFileSync(file, "utf8"), text); // recordedAt of the first write kept
        const changed = { ...later, config: prodRaw((v) => (v.cockroach.survivalGoal = "zone")) };
        assert.ok(!sameDeployment(first, changed));
        assert.equal(writeRecord(ROOT, changed).written, true);
        assert.equal(readRecord(ROOT, stack)?.recordedAt, later.recordedAt);
        const migrated = { ...changed, migrations: [...changed.migrations, { name: "999_extra.sql", sql: "SELECT 1;" }] };
        assert.equal(writeRecord(ROOT, migrated).written, true);
        // A file this version cannot read is replaced, not kept.
        fs.writeFileSync(file, "{ not json");
        assert.equal(writeRecord(ROOT, migrated).written, true);
        assert.equal(readRecord(ROOT, stack)?.migrations.length, migrated.migrations.length);
    });

    it("stops the program with a ConfigError before any resource when the update lowers survival unacknowledged", async () => {
        assert.equal(pulumi.getStack(), stack);
        writeRecord(ROOT, { ...record(prodRaw()), stack });
        const lowered = prodRaw((v) => (v.cockroach.survivalGoal = "zone"));
        pulumi.runtime.setAllConfig(
            Object.fromEntries(Object.entries(lowered).map(([k, v]) => [`backend:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
        );
        const before = recorded.length;
        delete require.cache[require.resolve(entry)];
        let error: unknown;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh run of the program module
            require(entry);
        } catch (e) {
            error = e;
        }
        assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
        assert.match(error.message, /backend:cockroach\.survivalGoal: lowers the survival goal/);
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(recorded.length, before, "no resource may be registered");
    });
});

/**
 * The dynamic provider's check/diff/create/update/delete, driven directly with a recording
 * executor (no database, no Pulumi engine).
 */
import assert from "node:assert/strict";
import { type StackConfig } from "../components/config";
import { planTopology } from "../components/topology";
import { databaseSpec, type DatabaseSpec } from "../components/cockroach/spec";
import { createStatements, sqlOf, updateStatements } from "../components/cockroach/sql";
import {
    databaseProvider,
    pgClientConfig,
    readyExecutor,
    type DatabaseInputs,
    type DatabaseOutputs,
    type SqlConnection,
    type SqlError,
    type SqlExecutor,
} from "../components/cockroach/provider";
import { shippedConfig, shippedMigrations } from "./support";

const MIGRATIONS = shippedMigrations();
const CONNECTION: SqlConnection = { host: "sql.internal.example", caCert: "CA", clientCert: "CERT", clientKey: "KEY" };

function specOf(config: StackConfig): DatabaseSpec {
    const urls = Object.fromEntries(config.regions.map((r) => [r.crdbRegion, `${r.cloud === "aws" ? "s3" : "gs"}://${r.crdbRegion}-bk`]));
    return databaseSpec(config, planTopology(config), MIGRATIONS, urls);
}

const SMALL = specOf(shippedConfig("staging"));
/** staging plus a second eu region. */
const BIGGER = specOf(shippedConfig("staging", (v) => v["backend:regions"].push({ cloud: "aws", region: "eu-central-1", domain: "eu" })));
const withFlags = (spec: DatabaseSpec, flags: Partial<DatabaseSpec["allowDestructive"]>): DatabaseSpec => ({
    ...spec,
    allowDestructive: { ...spec.allowDestructive, ...flags },
});

const inputs = (spec: DatabaseSpec): DatabaseInputs => ({ spec, connection: CONNECTION });
const outputs = (spec: DatabaseSpec): DatabaseOutputs => ({ spec, connection: CONNECTION, pendingStatements: [], appliedStatements: [] });

function sqlError(code: string, message = `error ${code}`): SqlError {
    return Object.assign(new Error(message), { code });
}

/** Records every statement per session; `fail` may throw for a statement and attempt number. */
class Recorder {
    readonly sessions: { queries: string[]; closed: boolean; connection: SqlConnection }[] = [];
    readonly sleeps: number[] = [];
    probes = 0;
    private readonly attempts = new Map<string, number>();

    constructor(private readonly fail: (sql: string, attempt: number) => SqlError | undefined = () => undefined) {}

    connect = (connection: SqlConnection): SqlExecutor => {
        const session = { queries: [] as string[], closed: false, connection };
        this.sessions.push(session);
        return {
            query: async (sql: string) => {
                // The readiness probe is counted apart, so sessions show the statements alone.
                if (sql === "SELECT 1") {
                    this.probes++;
                    return { rows: [] };
                }
                session.queries.push(sql);
                const attempt = (this.attempts.get(sql) ?? 0) + 1;
                this.attempts.set(sql, attempt);
                const error = this.fail(sql, attempt);
                if (error) throw error;
                return { rows: [] };
            },
            close: async () => {
                session.closed = true;
            },
        };
    };

    provider() {
        return databaseProvider({ connect: this.connect, retry: { sleep: async (ms) => void this.sleeps.push(ms) } });
    }

    get queries(): string[] {
        return this.sessions.flatMap((s) => s.queries);
    }
}

describe("cockroach provider: create", () => {
    it("runs the create statements in order over one session, then closes it", async () => {
        const rec = new Recorder();
        const result = await rec.provider().create(inputs(SMALL));
        assert.equal(result.id, "app");
        assert.equal(rec.sessions.length, 1);
        assert.deepEqual(rec.sessions[0]!.queries, sqlOf(createStatements(SMALL)));
        assert.equal(rec.sessions[0]!.closed, true);
        assert.deepEqual(result.outs!.appliedStatements, sqlOf(createStatements(SMALL)));
        assert.deepEqual(result.outs!.pendingStatements, []);
        assert.deepEqual(rec.sessions[0]!.connection, CONNECTION);
    });

    it("is idempotent: a second create on the same database issues the same statements and succeeds", async () => {
        // A database that remembers super regions and answers duplicate_object as CockroachDB does.
        const superRegions = new Set<string>();
        const rec = new Recorder((sql) => {
            const m = /ADD SUPER REGION "([^"]+)"/.exec(sql);
            if (!m) return undefined;
            // pkg/sql/alter_database.go: errors.Newf("super region %s already exists") has no SQLSTATE of its own.
            if (superRegions.has(m[1]!)) return sqlError("XXUUU", `super region ${m[1]} already exists`);
            superRegions.add(m[1]!);
            return undefined;
        });
        await rec.provider().create(inputs(SMALL));
        await rec.provider().create(inputs(SMALL));
        assert.deepEqual(rec.sessions[1]!.queries, rec.sessions[0]!.queries);
    });
});

describe("cockroach provider: check and diff", () => {
    it("check lists what create will run, for pulumi preview", async () => {
        const result = await new Recorder().provider().check!({} as DatabaseInputs, inputs(SMALL));
        assert.deepEqual(result.inputs!.pendingStatements, sqlOf(createStatements(SMALL)));
        assert.deepEqual(result.failures, []);
    });

    it("check lists the update delta and refuses destructive steps whose flag is off", async () => {
        const provider = new Recorder().provider();
        const grow = await provider.check!(inputs(SMALL), inputs(BIGGER));
        assert.deepEqual(grow.inputs!.pendingStatements, sqlOf(updateStatements(SMALL, BIGGER)));
        assert.deepEqual(grow.failures, []);
        const shrink = await provider.check!(inputs(BIGGER), inputs(SMALL));
        assert.equal(shrink.failures!.length, 1);
        assert.match(shrink.failures![0]!.reason, /drops region aws-eu-central-1 .*needs backend:database\.allowDestructive\.dropRegion/);
        const allowed = await provider.check!(inputs(BIGGER), inputs(withFlags(SMALL, { dropRegion: true })));
        assert.deepEqual(allowed.failures, []);
    });

    it("check and diff pass an unknown spec (first preview, bucket URLs pending) through", async () => {
        const provider = new Recorder().provider();
        const unknown = { spec: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", connection: CONNECTION } as unknown as DatabaseInputs;
        assert.deepEqual((await provider.check!({} as DatabaseInputs, unknown)).inputs, unknown);
        assert.equal((await provider.diff!("app", outputs(SMALL), unknown)).changes, true);
    });

    it("diff: changes only when the spec changes; a new database name replaces", async () => {
        const provider = new Recorder().provider();
        const noChange = await provider.diff!("app", outputs(SMALL), {
            ...inputs(SMALL),
            pendingStatements: ["x"],
            connection: { ...CONNECTION, host: "other" },
        });
        assert.equal(noChange.changes, false);
        // State round-trips lose key order and may drop nulls: still no change.
        const roundTripped = JSON.parse(JSON.stringify(SMALL, (_k, v) => (v === null ? undefined : v)));
        const reordered = Object.fromEntries(Object.entries(roundTripped).reverse()) as unknown as DatabaseSpec;
        assert.equal((await provider.diff!("app", outputs(reordered), inputs(SMALL))).changes, false);
        assert.deepEqual(updateStatements(reordered, SMALL), []);
        assert.equal((await provider.diff!("app", outputs(SMALL), inputs(BIGGER))).changes, true);
        const renamed = await provider.diff!("app", outputs(SMALL), inputs({ ...SMALL, name: "app2" }));
        assert.deepEqual([renamed.changes, renamed.replaces], [true, ["spec"]]);
    });
});

describe("cockroach provider: update and delete", () => {
    it("runs only the delta, in order", async () => {
        const rec = new Recorder();
        const result = await rec.provider().update!("app", outputs(SMALL), inputs(BIGGER));
        assert.deepEqual(rec.queries, sqlOf(updateStatements(SMALL, BIGGER)));
        assert.ok(rec.queries.some((q) => q === 'ALTER DATABASE app ADD REGION IF NOT EXISTS "aws-eu-central-1"'));
        assert.deepEqual(result.outs!.appliedStatements, rec.queries);
    });

    it("does not connect when there is nothing to do", async () => {
        const rec = new Recorder();
        await rec.provider().update!("app", outputs(SMALL), inputs(SMALL));
        assert.equal(rec.sessions.length, 0);
    });

    it("refuses a destructive step without its flag, before running anything, naming the flag", async () => {
        const rec = new Recorder();
        await assert.rejects(rec.provider().update!("app", outputs(BIGGER), inputs(SMALL)), (e: Error) => {
            assert.equal(e.name, "DestructiveChangeError");
            assert.match(e.message, /drops region aws-eu-central-1 from database app/);
            assert.match(e.message, /pulumi config set --path 'backend:database\.allowDestructive\.dropRegion' true/);
            return true;
        });
        assert.equal(rec.sessions.length, 0);
    });

    it("refuses changing a residency table's locality and dropping a super region without their flags", async () => {
        const globalOrders = specOf(
            shippedConfig("staging", (v) => (v["backend:database"].tables[1] = { name: "orders", locality: "global" })),
        );
        await assert.rejects(
            new Recorder().provider().update!("app", outputs(SMALL), inputs(globalOrders)),
            /allowDestructive\.changeResidencyLocality/,
        );
        const restricted = specOf(
            shippedConfig("staging", (v) => (v["backend:cockroach"] = { ...v["backend:cockroach"], placement: "restricted" })),
        );
        await assert.rejects(
            new Recorder().provider().update!("app", outputs(SMALL), inputs(restricted)),
            /allowDestructive\.dropSuperRegion/,
        );
    });

    it("runs the destructive step when its flag is set", async () => {
        const rec = new Recorder();
        await rec.provider().update!("app", outputs(BIGGER), inputs(withFlags(SMALL, { dropRegion: true })));
        assert.equal(rec.queries[rec.queries.length - 1], 'ALTER DATABASE app DROP REGION IF EXISTS "aws-eu-central-1"');
    });

    it("delete drops the backup schedule and keeps the database", async () => {
        const rec = new Recorder();
        await rec.provider().delete!("app", outputs(SMALL));
        assert.deepEqual(rec.queries, ["DROP SCHEDULES SELECT id FROM [SHOW SCHEDULES] WHERE label = 'app_backup'"]);
        assert.ok(!rec.queries.some((q) => /DROP DATABASE/.test(q)));
    });
});

describe("cockroach provider: retries and errors", () => {
    const target = 'ALTER DATABASE app ADD SUPER REGION "eu" VALUES "gcp-europe-west1"';

    it("retries a statement on SQLSTATE 40001 with backoff, then goes on", async () => {
        const rec = new Recorder((sql, attempt) =>
            sql === target && attempt <= 2 ? sqlError("40001", "restart transaction: TransactionRetryWithProtoRefreshError") : undefined,
        );
        await rec.provider().create(inputs(SMALL));
        assert.equal(rec.queries.filter((q) => q === target).length, 3);
        assert.deepEqual(rec.sleeps, [100, 200]);
        assert.deepEqual(
            // The retried statement ran three times; everything else once, in order.
            rec.queries.filter((q, i) => q !== target || rec.queries.indexOf(q) === i),
            sqlOf(createStatements(SMALL)),
        );
    });

    it("gives up after 6 attempts and says so", async () => {
        const rec = new Recorder((sql) => (sql === target ? sqlError("40001") : undefined));
        await assert.rejects(rec.provider().create(inputs(SMALL)), /failed with SQLSTATE 40001 after 6 attempts/);
        assert.equal(rec.sessions[0]!.closed, true);
    });

    it("does not retry other errors; the message names the statement and that the rest is idempotent", async () => {
        const rec = new Recorder((sql) => (sql.startsWith("USE ") ? sqlError("3D000", 'database "app" does not exist') : undefined));
        await assert.rejects(rec.provider().create(inputs(SMALL)), (e: Error) => {
            assert.match(
                e.message,
                /^statement \d+ of \d+ \(migrations\) failed with SQLSTATE 3D000: database "app" does not exist\nUSE app\n/,
            );
            assert.match(e.message, /run pulumi up again/);
            return true;
        });
        assert.equal(rec.queries.filter((q) => q.startsWith("USE ")).length, 1);
        assert.deepEqual(rec.sleeps, []);
    });
});

describe("cockroach provider: pg connection", () => {
    it("uses TLS verify-full with the cluster CA and a client certificate", () => {
        const config = pgClientConfig(CONNECTION);
        assert.deepEqual(config.ssl, { ca: "CA", cert: "CERT", key: "KEY", rejectUnauthorized: true });
        assert.deepEqual([config.host, config.port, config.user, config.database], ["sql.internal.example", 26257, "root", "defaultdb"]);
        assert.equal(pgClientConfig({ ...CONNECTION, port: 26000, user: "deployer" }).user, "deployer");
    });
});

describe("cockroach provider: waiting for a booting cluster", () => {
    const refused = (): SqlExecutor => ({
        query: async () => {
            throw Object.assign(new Error("connect ECONNREFUSED 203.0.113.7:26257"), { code: "ECONNREFUSED" });
        },
        close: async () => undefined,
    });

    it("opens a new session per attempt until the node answers, then runs the statements on it", async () => {
        const rec = new Recorder();
        let calls = 0;
        const sleeps: number[] = [];
        const connect = (c: SqlConnection) => (++calls <= 2 ? refused() : rec.connect(c));
        const provider = databaseProvider({ connect, ready: { delayMs: 7, sleep: async (ms) => void sleeps.push(ms) } });
        await provider.create!(inputs(SMALL));
        assert.equal(calls, 3);
        assert.deepEqual(sleeps, [7, 7]);
        assert.equal(rec.probes, 1);
        assert.deepEqual(rec.sessions[0]!.queries, sqlOf(createStatements(SMALL)));
    });

    it("gives up after the attempts, naming the host, the boot log and the admin networks key", async () => {
        await assert.rejects(
            readyExecutor(refused, CONNECTION, { attempts: 3, sleep: async () => undefined }),
            (e: Error) =>
                /sql\.internal\.example:26257 did not accept a connection after 3 attempts/.test(e.message) &&
                e.message.includes("cockroach-boot.log") &&
                e.message.includes("backend:cockroach.adminCidrs"),
        );
    });

    it("does not wait on an error that is not about readiness (a refused certificate)", async () => {
        let calls = 0;
        const badCert = (): SqlExecutor => ({
            query: async () => {
                calls++;
                throw new Error("self-signed certificate in certificate chain");
            },
            close: async () => undefined,
        });
        await assert.rejects(readyExecutor(badCert, CONNECTION, { sleep: async () => undefined }), /self-signed certificate/);
        assert.equal(calls, 1);
    });
});

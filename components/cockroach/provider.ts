/**
 * The dynamic provider that applies a DatabaseSpec at `pulumi up`.
 *
 * - check: computes `pendingStatements`, the statements the next create/update will run, so
 *   `pulumi preview` shows them as an input change; refuses destructive steps whose
 *   allowDestructive flag is off.
 * - diff: compares specs only (connection details and the preview list never trigger DDL); a new
 *   database name replaces the resource.
 * - create / update: run createStatements / updateStatements one by one over one TLS session
 *   (verify-full, client certificate), retrying SQLSTATE 40001; destructive steps run only when
 *   their flag is set.
 * - delete: drops the backup schedule and keeps the database (its data outlives the stack).
 *
 * SQL runs behind `SqlExecutor`, so tests drive the provider with a recording executor.
 */
import type * as pulumi from "@pulumi/pulumi";
import { COCKROACH_PORT } from "../cluster/ports";
import type { DatabaseSpec } from "./spec";
import { createStatements, deleteStatements, sqlOf, updateStatements, type DestructiveFlag, type Statement } from "./sql";

/** How to reach the SQL endpoint. Certificates and key are PEM text. */
export interface SqlConnection {
    readonly host: string;
    /** Default COCKROACH_PORT (26257). */
    readonly port?: number;
    /** SQL user named by the client certificate's CN. Default `root`. */
    readonly user?: string;
    readonly caCert: string;
    readonly clientCert: string;
    readonly clientKey: string;
}

/** An error from the database, with its SQLSTATE. */
export interface SqlError extends Error {
    readonly code?: string;
}

/** The one thing the provider needs from a database client. */
export interface SqlExecutor {
    /** Runs one statement in this executor's session (session settings carry over). */
    query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
    close(): Promise<void>;
}

export type ExecutorFactory = (connection: SqlConnection) => SqlExecutor;

/** Provider inputs (the dynamic resource's properties). */
export interface DatabaseInputs {
    readonly spec: DatabaseSpec;
    readonly connection: SqlConnection;
    /** Filled by check: what the next create/update will run (shown by `pulumi preview`). */
    readonly pendingStatements?: string[];
}

/** Provider outputs: the inputs plus what the last operation ran. */
export interface DatabaseOutputs extends DatabaseInputs {
    /** Statements the last create/update ran, in order. */
    readonly appliedStatements: string[];
}

/** Retry policy for SQLSTATE 40001 (serialization failure: the client must retry). */
export interface RetryOptions {
    /** Attempts per statement, including the first. Default 6. */
    readonly attempts?: number;
    /** Delay before retry n (1-based), in ms. Default 100 * 2^(n-1), capped at 5 s. */
    readonly backoffMs?: (retry: number) => number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/** SQLSTATE serialization_failure: CockroachDB asks the client to retry the transaction. */
export const RETRY_SQLSTATE = "40001";

/** pg client options: TLS with CA pinning, hostname verification (verify-full) and a client certificate. */
export function pgClientConfig(c: SqlConnection) {
    return {
        host: c.host,
        port: c.port ?? COCKROACH_PORT,
        user: c.user ?? "root",
        // The application database may not exist yet; every statement names or USEs it.
        database: "defaultdb",
        application_name: "pulumi-regional-database",
        connectionTimeoutMillis: 15_000,
        ssl: {
            ca: c.caCert,
            cert: c.clientCert,
            key: c.clientKey,
            // verify-full: the chain must end at our CA and the certificate must name the host
            // (tls.checkServerIdentity runs whenever rejectUnauthorized is true).
            rejectUnauthorized: true,
        },
    };
}

/** SqlExecutor over one `pg` client session. */
export function pgExecutor(c: SqlConnection): SqlExecutor {
    // Required here, not at module top: the dynamic provider is serialized with its code.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require("pg") as typeof import("pg");
    const client = new Client(pgClientConfig(c));
    let connected: Promise<void> | undefined;
    return {
        async query(sql: string) {
            connected ??= client.connect().then(() => undefined);
            await connected;
            const result = (await client.query(sql)) as unknown as
                { rows?: Record<string, unknown>[] } | { rows?: Record<string, unknown>[] }[];
            const last = Array.isArray(result) ? result[result.length - 1] : result;
            return { rows: last?.rows ?? [] };
        },
        async close() {
            if (connected) await client.end();
        },
    };
}

/** Error an update throws when a destructive step's flag is off (`name` DestructiveChangeError). */
export interface DestructiveChangeError extends Error {
    readonly name: "DestructiveChangeError";
    readonly blocked: readonly { flag: DestructiveFlag; reason: string; sql: string }[];
}

/**
 * A plain Error, not a subclass: the dynamic provider is serialized with its code, and classes
 * extending built-ins do not survive that serialization.
 */
export function destructiveChangeError(blocked: readonly { flag: DestructiveFlag; reason: string; sql: string }[]): DestructiveChangeError {
    return Object.assign(new Error(refusalMessage(blocked)), { name: "DestructiveChangeError" as const, blocked });
}

function refusalMessage(blocked: readonly { flag: DestructiveFlag; reason: string }[]): string {
    const flags = [...new Set(blocked.map((b) => b.flag))];
    return (
        `refusing ${blocked.length} destructive step${blocked.length === 1 ? "" : "s"}:\n` +
        blocked.map((b) => `  - ${b.reason} (needs backend:database.allowDestructive.${b.flag})`).join("\n") +
        `\nIf this is intended, allow it and run pulumi up again:\n` +
        flags.map((f) => `  pulumi config set --path 'backend:database.allowDestructive.${f}' true`).join("\n")
    );
}

/** Destructive statements whose flag is off in `spec`. Pure. */
export function blockedSteps(
    statements: readonly Statement[],
    spec: DatabaseSpec,
): { flag: DestructiveFlag; reason: string; sql: string }[] {
    return statements
        .filter((s) => s.destructive && !spec.allowDestructive[s.destructive])
        .map((s) => ({ flag: s.destructive!, reason: s.reason ?? s.sql, sql: s.sql }));
}

function isSqlError(e: unknown): e is SqlError {
    return e instanceof Error;
}

/**
 * Runs statements in order on one executor. Retries a statement on SQLSTATE 40001 with
 * exponential backoff; treats a statement's `alreadyApplied` errors as done; stops at the first
 * other error, naming the statement. Returns the texts that ran (or were already applied).
 */
export async function runStatements(executor: SqlExecutor, statements: readonly Statement[], retry: RetryOptions = {}): Promise<string[]> {
    const attempts = retry.attempts ?? 6;
    const backoff = retry.backoffMs ?? ((n: number) => Math.min(100 * 2 ** (n - 1), 5000));
    const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const done: string[] = [];
    for (const [i, s] of statements.entries()) {
        for (let attempt = 1; ; attempt++) {
            try {
                await executor.query(s.sql);
                break;
            } catch (e) {
                const code = isSqlError(e) ? e.code : undefined;
                const text = isSqlError(e) ? e.message : String(e);
                if (s.alreadyApplied?.some((a) => (a.code === undefined || a.code === code) && text.includes(a.message))) break;
                if (code === RETRY_SQLSTATE && attempt < attempts) {
                    await sleep(backoff(attempt));
                    continue;
                }
                throw new Error(
                    `statement ${i + 1} of ${statements.length} (${s.step}) failed${code ? ` with SQLSTATE ${code}` : ""}` +
                        `${code === RETRY_SQLSTATE ? ` after ${attempt} attempts` : ""}: ${text}\n${s.sql}\n` +
                        `Statements before it were applied; every statement is idempotent, so run pulumi up again after fixing the cause.`,
                );
            }
        }
        done.push(s.sql);
    }
    return done;
}

/** How long to wait for a cluster that is still booting (first `pulumi up`). */
export interface ReadyOptions {
    /** Connection attempts. Default 60. */
    readonly attempts?: number;
    /** Delay between attempts, ms. Default 10 000 (with 60 attempts: 10 minutes). */
    readonly delayMs?: number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Errors of a node that is not up yet: nothing listening, no route yet, TLS listener without an
 * initialized cluster, or CockroachDB refusing clients while it starts (SQLSTATE 57P03).
 */
const NOT_READY =
    /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|ENETUNREACH|timeout expired|Connection terminated|not yet initialized|cannot_connect_now|server is not accepting clients/i;

/**
 * Opens a session and checks it with `SELECT 1`, retrying while the cluster is still booting (its
 * nodes install CockroachDB and the init node runs `cockroach init` after the instances exist). A
 * pg client cannot reconnect after a failed connect, so each attempt makes a new executor.
 */
export async function readyExecutor(connect: ExecutorFactory, connection: SqlConnection, options: ReadyOptions = {}): Promise<SqlExecutor> {
    const attempts = options.attempts ?? 60;
    const delay = options.delayMs ?? 10_000;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt++) {
        const executor = connect(connection);
        try {
            await executor.query("SELECT 1");
            return executor;
        } catch (e) {
            await executor.close().catch(() => undefined);
            const text = e instanceof Error ? `${e.message} ${(e as SqlError).code ?? ""}` : String(e);
            if (!NOT_READY.test(text)) throw e;
            if (attempt >= attempts)
                throw new Error(
                    `CockroachDB at ${connection.host}:${connection.port ?? COCKROACH_PORT} did not accept a connection after ${attempts} attempts (${text.trim()}). ` +
                        `Check that the nodes booted (/var/log/cockroach-boot.log, journalctl -u cockroach) and that this machine's address is in backend:cockroach.adminCidrs, then run pulumi up again.`,
                );
            await sleep(delay);
        }
    }
}

/** Options for the provider, mostly for tests. */
export interface ProviderOptions {
    readonly connect?: ExecutorFactory;
    readonly retry?: RetryOptions;
    readonly ready?: ReadyOptions;
}

/** Statements the change from `olds` (undefined: create) to `news` runs. */
function planned(olds: DatabaseInputs | undefined, news: DatabaseInputs): Statement[] {
    return olds?.spec && olds.spec.name === news.spec.name ? updateStatements(olds.spec, news.spec) : createStatements(news.spec);
}

/** A known spec (during preview an input can be Pulumi's unknown-value placeholder instead). */
function isSpec(value: unknown): value is DatabaseSpec {
    return typeof value === "object" && value !== null && Array.isArray((value as DatabaseSpec).regions);
}

/**
 * Equality of plain data as Pulumi state returns it: object key order is not preserved and
 * null-valued properties may come back missing, so keys are sorted and nulls dropped first.
 */
export function sameData(a: unknown, b: unknown): boolean {
    const canonical = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(canonical)
            : v !== null && typeof v === "object"
              ? Object.fromEntries(
                    Object.keys(v)
                        .filter((k) => (v as Record<string, unknown>)[k] !== null && (v as Record<string, unknown>)[k] !== undefined)
                        .sort()
                        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
                )
              : v;
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The dynamic provider; `connect` defaults to the pg executor. */
export function databaseProvider(options: ProviderOptions = {}): pulumi.dynamic.ResourceProvider<DatabaseInputs, DatabaseOutputs> {
    const connect = options.connect ?? pgExecutor;
    const retry = options.retry ?? {};
    const ready = options.ready ?? {};

    async function apply(connection: SqlConnection, statements: readonly Statement[]): Promise<string[]> {
        if (statements.length === 0) return [];
        const executor = await readyExecutor(connect, connection, ready);
        try {
            return await runStatements(executor, statements, retry);
        } finally {
            await executor.close();
        }
    }

    return {
        async check(olds, news) {
            // During a first preview the spec may still be unknown (it waits on bucket URLs).
            if (!isSpec(news.spec)) return { inputs: news };
            const statements = planned(isSpec(olds?.spec) ? olds : undefined, news);
            const blocked = blockedSteps(statements, news.spec);
            return {
                inputs: { ...news, pendingStatements: sqlOf(statements) },
                failures: blocked.length > 0 ? [{ property: "spec", reason: refusalMessage(blocked) }] : [],
            };
        },

        async diff(_id, olds, news) {
            if (!isSpec(news.spec)) return { changes: true };
            const replace = olds.spec.name !== news.spec.name;
            return { changes: replace || !sameData(olds.spec, news.spec), replaces: replace ? ["spec"] : [], deleteBeforeReplace: false };
        },

        async create(inputs) {
            const statements = createStatements(inputs.spec);
            const applied = await apply(inputs.connection, statements);
            return { id: inputs.spec.name, outs: { ...inputs, pendingStatements: [], appliedStatements: applied } };
        },

        async update(_id, olds, news) {
            const statements = updateStatements(olds.spec, news.spec);
            const blocked = blockedSteps(statements, news.spec);
            if (blocked.length > 0) throw destructiveChangeError(blocked);
            const applied = await apply(news.connection, statements);
            return { outs: { ...news, pendingStatements: [], appliedStatements: applied } };
        },

        async delete(_id, props) {
            await apply(props.connection, deleteStatements(props.spec));
        },
    };
}

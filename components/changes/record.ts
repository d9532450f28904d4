/**
 * The deployed record: `deployed/<stack>.json`, written after a successful `pulumi up` (`npm run
 * wave -- --stack <name> --record`) and committed, like a lockfile. It holds the stack's config as
 * deployed (every non-secret `backend:` key) and the migrations applied, so the program can compare
 * the next update with the last one before it registers any resource.
 *
 * Why a file and not the stack's own outputs through a StackReference to itself: a StackReference
 * is a resource the program registers (`pulumi:pulumi:StackReference`, read by id; see
 * @pulumi/pulumi stackReference.js), its outputs arrive only after that registration, so a refusal
 * could not come before the first registration; the offline plan and the tests have no backend to
 * read; and a first update has no outputs. Reading one's own stack back does work
 * (github.com/pulumi/pulumi/issues/3722, a maintainer's example, 2020-01-07); the record keeps the
 * check synchronous, offline and reviewable in the same commit as the change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Migration } from "../cockroach/migrations";
import { ConfigError } from "../config";

/** Folder of the records, beside Pulumi.yaml. */
export const RECORD_DIR = "deployed";

/** Bumped when the record's shape changes. */
export const RECORD_VERSION = 1;

export interface DeployedRecord {
    readonly version: number;
    readonly stack: string;
    /** ISO time the record was written (after the `pulumi up` it describes). */
    readonly recordedAt: string;
    /** Every non-secret `backend:` key as deployed (key without namespace -> value). */
    readonly config: Record<string, unknown>;
    /** The migrations as deployed (file name and content), in order. */
    readonly migrations: readonly Migration[];
}

/** `deployed/<stack>.json` under the project folder. */
export function recordPath(root: string, stack: string): string {
    return path.join(root, RECORD_DIR, `${stack}.json`);
}

/** The record of `stack`, or undefined when none was written (a first deployment). */
export function readRecord(root: string, stack: string): DeployedRecord | undefined {
    const file = recordPath(root, stack);
    if (!fs.existsSync(file)) return undefined;
    const where = path.relative(root, file);
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw recordError(where, `is not JSON (${(e as Error).message})`);
    }
    const r = doc as Partial<DeployedRecord>;
    if (r.version !== RECORD_VERSION || r.stack !== stack || typeof r.config !== "object" || !Array.isArray(r.migrations))
        throw recordError(
            where,
            `is not a version ${RECORD_VERSION} record of stack "${stack}" (version ${JSON.stringify(r.version)}, stack ${JSON.stringify(r.stack)})`,
        );
    return r as DeployedRecord;
}

function recordError(where: string, problem: string): ConfigError {
    return new ConfigError([
        {
            key: where,
            message: `${problem}; write it again from the stack as deployed: npm run wave -- --stack <name> --record (after a successful pulumi up).`,
        },
    ]);
}

/** The record of a deployment. Pure. */
export function recordOf(stack: string, config: Record<string, unknown>, migrations: readonly Migration[], now: Date): DeployedRecord {
    return {
        version: RECORD_VERSION,
        stack,
        recordedAt: now.toISOString(),
        config,
        migrations: migrations.map((m) => ({ name: m.name, sql: m.sql })),
    };
}

/**
 * Whether two records describe the same deployment: everything but `recordedAt`. Pure. The deploy
 * workflow (.github/workflows/record-stack.yml) records after every `pulumi up` and proposes a
 * pull request only when the file changed, so an update that changed nothing recorded must leave
 * the file as it was.
 */
export function sameDeployment(a: DeployedRecord, b: DeployedRecord): boolean {
    return isDeepStrictEqual({ ...a, recordedAt: "" }, { ...b, recordedAt: "" });
}

/**
 * Writes the record (creating `deployed/`) unless the file already records the same deployment
 * (then it keeps its `recordedAt`, and the file is unchanged); an unreadable or older-version file
 * is replaced. Returns its path and whether it was written.
 */
export function writeRecord(root: string, record: DeployedRecord): { file: string; written: boolean } {
    const file = recordPath(root, record.stack);
    let previous: DeployedRecord | undefined;
    try {
        previous = readRecord(root, record.stack);
    } catch {
        previous = undefined; // not a record this version reads: write it again
    }
    if (previous && sameDeployment(previous, record)) return { file, written: false };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
    return { file, written: true };
}

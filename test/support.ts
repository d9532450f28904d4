/**
 * The one module of test helpers, and mocha's root hook (.mocharc.json requires it):
 * - Pulumi's mocks, installed once for every spec (they are process-global), and what was registered;
 * - configs: a shipped stack's validated config (optionally changed first) and a small
 *   three-region fixture, both built through the same validation the program runs;
 * - the shipped migrations in db/;
 * - the offline plan document of a shipped stack, made once per test process;
 * - the plan CLI run as `npm run plan` runs it, in a child process;
 * - reading outputs and picking registered resources.
 * Specs create what they need with unique names and read what was registered from `recorded`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { readMigrations, type Migration } from "../components/cockroach/migrations";
import { formatIssues, type StackConfig } from "../components/config";
import { parseConfig, parseStackConfig } from "../components/validate";
import { installMocks, projectName, readStackFile, ROOT, RecordingMocks, settle, type RecordedResource } from "../scripts/offline";
import type { PlanDocument } from "../scripts/plan";

export const mocks = new RecordingMocks();
/** Every resource registered in this test process, in registration order. */
export const recorded = mocks.resources;

/** Mocha root hook: installs the mocks before any spec runs. */
export const mochaHooks = {
    async beforeAll(this: unknown) {
        await installMocks(mocks, projectName(), "test");
    },
};

/** Waits for all pending registrations, then returns those whose name starts with `prefix`. */
export async function registeredUnder(prefix: string): Promise<RecordedResource[]> {
    await settle();
    return recorded.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
}

const shippedPlans = new Map<string, Promise<PlanDocument>>();
/** Program runs one at a time: Pulumi's runtime is process-global. */
let lastRun: Promise<unknown> = Promise.resolve();

/**
 * The offline plan document of a shipped stack, as `npm run plan -- --stack <stack> --json` prints
 * it without the policy pack's section: the real program run under the mocks in this process, the
 * document built by the plan's own `planDocument`, and passed through JSON as the CLI prints it.
 * Made once per test process (a program run takes seconds) and shared by the specs that only read
 * it; a spec that changes resources copies them first. The CLI itself is tested in plan.test.ts.
 */
export function shippedPlan(stack: string): Promise<PlanDocument> {
    let plan = shippedPlans.get(stack);
    if (!plan) {
        plan = lastRun.then(async () => {
            // Loaded here: the plan's modules (tables, the pack's gRPC client) only where a spec needs them.
            const { planDocument } = await import("../scripts/plan");
            const { runProgram } = await import("../scripts/offline");
            const { loadMigrations } = await import("../components/cockroach");
            const { planTopology } = await import("../components/topology");
            const file = readStackFile(stack);
            const parsed = parseStackConfig(file.config);
            if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
            const topology = planTopology(parsed.config);
            const migrations = loadMigrations(parsed.config, file.root, topology);
            const run = await runProgram(file, undefined, { restore: true });
            return JSON.parse(JSON.stringify(planDocument(run, parsed.config, topology, migrations))) as PlanDocument;
        });
        lastRun = plan.catch(() => undefined);
        shippedPlans.set(stack, plan);
    }
    return plan;
}

/** Resolves an output (mocks resolve everything; unknowns would stay undefined). */
export function value<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/** The resources of `type` among `resources`. */
export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The single resource of `type` among `resources`; fails naming `label` when there are none or several. */
export function one(resources: readonly RecordedResource[], type: string, label = ""): RecordedResource {
    const found = ofType(resources, type);
    assert.equal(found.length, 1, `${label ? `${label}: ` : ""}expected one ${type}, found ${found.length}`);
    return found[0]!;
}

/** The application's migrations folder. */
export const DB_DIR = path.resolve(__dirname, "..", "db");

/** The shipped migrations of db/, read and checked the way the program reads them. */
export function shippedMigrations(): Migration[] {
    return readMigrations(DB_DIR);
}

type Values = Record<string, any>;

/** `Pulumi.<stack>.yaml`'s config, validated; `mutate` changes its values (`backend:key` -> value) first. */
export function shippedConfig(stack: string, mutate: (values: Values) => void = () => {}): StackConfig {
    const { config: text } = readStackFile(stack);
    const values: Values = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    mutate(values);
    const result = parseStackConfig(
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    );
    if (!result.ok) throw new Error(formatIssues(result.issues));
    return result.config;
}

/** Two domains, three regions on both clouds (raw keys without the namespace). */
export const FIXTURE: Readonly<Values> = {
    environment: "test",
    gcpProject: "acme-backend-test",
    domains: [
        { name: "eu", jurisdictions: ["EU"] },
        { name: "us", countries: ["US", "CA"] },
    ],
    regions: [
        { cloud: "aws", region: "us-east-1", domain: "us", primary: true },
        { cloud: "aws", region: "eu-central-1", domain: "eu" },
        { cloud: "gcp", region: "europe-west1", domain: "eu" },
    ],
    app: { image: "docker.io/acme/api:1.0.0" },
    cockroach: { adminCidrs: ["198.51.100.0/28"] },
    database: {
        tables: [
            { name: "users", locality: "residency" },
            { name: "orders", locality: "residency" },
            { name: "currencies", locality: "global" },
        ],
    },
    cloudflare: { accountId: "0123456789abcdef0123456789abcdef", zoneId: "fedcba9876543210fedcba9876543210", hostname: "api.example.com" },
};

/** The fixture, validated; `mutate` changes a copy of its raw keys first. */
export function fixtureConfig(mutate: (raw: Values) => void = () => {}): StackConfig {
    const raw = structuredClone(FIXTURE) as Values;
    mutate(raw);
    const result = parseConfig(raw);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    return result.config;
}

/**
 * Runs `fn` with another clock (400 days later), another Math.random and another process
 * environment, restoring them afterwards. A pure generator gives the same result inside as
 * outside; one that reads the time, randomness or the environment does not (and would show a
 * diff at every `pulumi up`).
 */
export function inAnotherEnvironment<T>(fn: () => T): T {
    const RealDate = Date;
    const random = Math.random;
    const env = process.env;
    const shift = 400 * 86_400_000;
    class LaterDate extends RealDate {
        constructor(...args: unknown[]) {
            if (args.length === 0) super(RealDate.now() + shift);
            else super(...(args as [string | number]));
        }
        static now(): number {
            return RealDate.now() + shift;
        }
    }
    globalThis.Date = LaterDate as DateConstructor;
    Math.random = () => 0.987654321;
    process.env = { ...env, HOSTNAME: "another-host", USER: "someone-else", PULUMI_STACK: "another-stack" };
    try {
        return fn();
    } finally {
        globalThis.Date = RealDate;
        Math.random = random;
        process.env = env;
    }
}

/** What the plan CLI exited with and printed. */
export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** The plan CLI as `npm run plan` runs it, from `cwd` (default: this repository), in a child process. */
export async function planCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    try {
        const { stdout, stderr } = await promisify(execFile)(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/plan.ts", ...args],
            {
                cwd: options.cwd ?? ROOT,
                env: { ...process.env, ...options.env },
                maxBuffer: 256 * 1024 * 1024,
            },
        );
        return { code: 0, stdout, stderr };
    } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
}

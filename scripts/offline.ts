/**
 * Runs the real program under Pulumi's mocks with the real provider SDKs: no CLI, no credentials,
 * no network. Records every registered resource (type, name, parent, provider, inputs) the way the
 * engine would see it, and answers the few invokes the program makes from the region catalog.
 *
 * Mocks accept anything, so the harness reports what a real run would stop on instead of hiding it:
 * a registration that never reached the engine (an input's `apply` threw), a rejected promise, an
 * invoke the mocks do not model, and a resource or invoke that the engine's default-provider rule
 * (`pulumi:disable-default-providers`) denies. `runProgram` returns them as `failures`.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/config";
import { CLUSTER_SCOPE } from "../components/providers";
import { findRegion } from "../components/regions-lookup";
import type { Cloud } from "../components/catalog-types";
import { defaultProviderFailures, defaultProviderRule } from "./harness/defaultProviders";
import { AddressPool, MOCK_PROJECT, MOCK_PROJECT_NUMBER, mockState, readable } from "./harness/mockState";
import { ROOT } from "./harness/stackFile";
import type { AliasSpec, RecordedResource, RunFailure, StackFile } from "./harness/types";

// The harness's parts, for the plan, the benchmark and the tests.
export { defaultProviderDenied, defaultProviderFailures, defaultProviderRule, type DefaultProviderRule } from "./harness/defaultProviders";
export { ADDRESS_CAPACITY, AddressPool, DOCUMENTATION_BLOCKS } from "./harness/mockState";
export {
    projectFolder,
    projectName,
    readStackFile,
    ROOT,
    scaffoldProject,
    SECRET_PLACEHOLDER,
    shippedStacks,
    userPath,
} from "./harness/stackFile";
export type { AliasSpec, RecordedResource, RunFailure, StackFile } from "./harness/types";

/** The `scope` default tag (AWS, inside `defaultTags.tags`) or label (GCP) of a provider, if any. */
function providerScope(inputs: Record<string, unknown>): unknown {
    const parse = (v: unknown) =>
        typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown> | undefined);
    const aws = parse(inputs.defaultTags)?.tags as Record<string, unknown> | undefined;
    return aws?.scope ?? parse(inputs.defaultLabels)?.scope;
}

function unmodelledInvoke(token: string): string {
    return `the offline mocks do not model invoke ${token}; answer it in RecordingMocks.call (scripts/offline.ts) with the fields the program reads`;
}

/** Records what the program registers and answers invokes; one instance per program run. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /** Every invoke the program made, with the provider it named (null: the default provider). */
    readonly invokes: { token: string; provider: string | null }[] = [];
    /** Resources the program constructed, `type::name`, whether or not they reached the engine. */
    readonly requested: { type: string; name: string; custom: boolean }[] = [];
    /** Registrations the (mock) engine answered with an error. */
    readonly rejected: { type: string; name: string; error: string }[] = [];
    readonly addresses = new AddressPool();
    private serial = 0;
    /** Provider reference (`urn::id`) -> its cloud and region. */
    private readonly providerRegions = new Map<string, { cloud: Cloud; region?: string }>();

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const region = (args.inputs.region as string | undefined) ?? this.providerOf(args.provider)?.region;
        const id = args.type.startsWith("pulumi:providers:") ? `${args.name}-provider-id` : `${args.name}-id`;
        return { id, state: mockState(args.type, args.name, args.inputs, region, this.addresses, ++this.serial) };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.invokes.push({ token: args.token, provider: args.provider || null });
        const where = this.providerOf(args.provider);
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const entry = where?.region ? findRegion("aws", where.region) : undefined;
                const names = (entry?.zones ?? ["a", "b", "c"]).map((z) => `${where?.region}${z}`);
                return {
                    names,
                    zoneIds: names.map((_, i) => `${where?.region}-az${i + 1}`),
                    groupNames: names,
                    id: where?.region,
                    region: where?.region,
                };
            }
            case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
                // Every catalog zone offers every type here; a real account may not (the network filters).
                const entry = where?.region ? findRegion("aws", where.region) : undefined;
                const locations = (entry?.zones ?? ["a", "b", "c"]).map((z) => `${where?.region}${z}`);
                return { locations, locationTypes: locations.map(() => "availability-zone"), instanceTypes: locations.map(() => "") };
            }
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/offline", userId: "offline" };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com" };
            case "aws:index/getRegion:getRegion":
                return { region: where?.region, name: where?.region, id: where?.region };
            case "gcp:compute/getZones:getZones": {
                const region = (args.inputs.region as string | undefined) ?? where?.region;
                const entry = region ? findRegion("gcp", region) : undefined;
                return { names: (entry?.zones ?? []).map((z) => `${region}-${z}`), id: region };
            }
            case "aws:ssm/getParameter:getParameter":
                // The public AMI parameters: any AMI id stands in for the current image.
                return {
                    name: args.inputs.name,
                    type: "String",
                    value: "ami-0123456789abcdef0",
                    version: 1,
                    arn: `arn:aws:ssm:${where?.region}::parameter${args.inputs.name}`,
                };
            case "gcp:organizations/getProject:getProject":
                return { number: MOCK_PROJECT_NUMBER, projectId: args.inputs.projectId ?? MOCK_PROJECT };
            case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
                return {
                    emailAddress: `service-${MOCK_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
                    member: `serviceAccount:service-${MOCK_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
                };
            default:
                // Echoing the inputs back would hand the program a made-up answer with the wrong shape.
                // `details` is what the SDK puts in the Error it raises for a failed invoke RPC.
                throw Object.assign(new Error(unmodelledInvoke(args.token)), { details: unmodelledInvoke(args.token) });
        }
    }

    /** Called by the monitor wrapper with what the engine would see. */
    /** Called with each resource as it is recorded (the offline plan's policy analysis per step). */
    onRecord?: (r: RecordedResource) => void;

    record(r: RecordedResource): void {
        this.resources.push(r);
        this.onRecord?.(r);
        const m = /^pulumi:providers:(aws|gcp)$/.exec(r.type);
        // Cluster-wide providers only pick an API endpoint: their resources are global.
        if (m)
            this.providerRegions.set(`${r.urn}::${r.name}-provider-id`, {
                cloud: m[1] as Cloud,
                region: providerScope(r.inputs) === CLUSTER_SCOPE ? undefined : (r.inputs.region as string | undefined),
            });
    }

    /** Cloud and region of a provider reference. */
    providerOf(ref: string | null | undefined): { cloud: Cloud; region?: string } | undefined {
        return ref ? this.providerRegions.get(ref) : undefined;
    }
}

/** What one offline run of the program produced. */
export interface ProgramRun {
    readonly stack: StackFile;
    readonly mocks: RecordingMocks;
    readonly outputs: Record<string, unknown>;
    /** Empty when a real run would get as far as the mocks did. */
    readonly failures: readonly RunFailure[];
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getCustom(): boolean;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDependenciesList(): string[];
    getAliasesList(): {
        getUrn(): string;
        getSpec():
            | {
                  getName(): string;
                  getType(): string;
                  getStack(): string;
                  getProject(): string;
                  getParenturn(): string;
                  getNoparent(): boolean;
              }
            | undefined;
    }[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface MonitorLike {
    registerResource(req: RegisterRequest, cb: (err: unknown, resp?: { getUrn(): string; getId(): string }) => void): Promise<void>;
}

interface Settings {
    getMonitor(): MonitorLike;
    waitForRPCs(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as Settings;

type RegisterFn = (res: unknown, parent: unknown, type: string, name: string, custom: boolean, ...rest: unknown[]) => void;
// `Resource`'s constructor calls `resource_1.registerResource(...)` through this module object.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as { registerResource: RegisterFn };
/** The mocks that the wrapped `registerResource` reports constructed resources to. */
let current: RecordingMocks | undefined;
/** What `installMocks` last installed, for `runProgram`'s `restore`. */
let installed: { mocks: RecordingMocks; project: string; stack: string } | undefined;
const originalRegister = runtimeResource.registerResource;
runtimeResource.registerResource = function (this: unknown, res, parent, type, name, custom, ...rest) {
    current?.requested.push({ type, name, custom });
    return originalRegister.call(this, res, parent, type, name, custom, ...rest);
};

// Pulumi formats a stack trace into every promise it wraps (`debuggablePromise`: one per output
// property of every resource), kept only for the message it prints if promises leak at exit. The
// profile put that at ~15% of the plan's CPU and 17 MB of live strings at 24 regions (README
// "Performance"). Without frames the leak message keeps each promise's context, which names the
// operation; error traces keep their frames (the limit is restored right after).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
const originalDebuggable = debuggable.debuggablePromise;
debuggable.debuggablePromise = function <T>(p: Promise<T>, ctx: unknown): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return originalDebuggable(p, ctx);
    } finally {
        Error.stackTraceLimit = limit;
    }
};

/**
 * Installs `mocks` as Pulumi's mock monitor and records every registration with what the engine
 * would see (parent, provider, protect, secrets masked). Process-global: tests call it once.
 */
export async function installMocks(mocks: RecordingMocks, project: string, stack: string): Promise<void> {
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    current = mocks;
    installed = { mocks, project, stack };
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (err) mocks.rejected.push({ type: req.getType(), name: req.getName(), error: messageOf(err) });
            if (!err && resp) {
                mocks.record({
                    urn: resp.getUrn(),
                    id: req.getCustom() ? resp.getId() || null : null,
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || null,
                    provider: req.getProvider() || null,
                    custom: req.getCustom(),
                    protect: req.getProtect() ?? false,
                    retainOnDelete: req.getRetainondelete() ?? false,
                    dependencies: req.getDependenciesList(),
                    aliases: req.getAliasesList().map((a): AliasSpec => {
                        const spec = a.getSpec();
                        return spec
                            ? {
                                  name: spec.getName(),
                                  type: spec.getType(),
                                  stack: spec.getStack(),
                                  project: spec.getProject(),
                                  parentUrn: spec.getParenturn(),
                                  noParent: spec.getNoparent(),
                              }
                            : { urn: a.getUrn() };
                    }),
                    inputs: readable(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                });
            }
            cb(err, resp);
        });
}

/** Waits until every registration and invoke the program started has finished. */
export function settle(): Promise<void> {
    return settings.waitForRPCs();
}

/**
 * A failure's message without the SDK's nesting: `error serializing property "a": error
 * serializing property "a": ... <cause>` becomes `<cause> (input a)`, plus where it was thrown.
 */
export function messageOf(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const props: string[] = [];
    const cause = text.replace(/error serializing property "([^"]*)": /g, (_, p: string) => {
        if (props[props.length - 1] !== p) props.push(p);
        return "";
    });
    const frame = err instanceof Error ? /\n\s+at .*?\(?([^()\s]+:\d+:\d+)\)?$/m.exec(err.stack ?? "")?.[1] : undefined;
    return [
        cause,
        props.length > 0 ? ` (input ${props.join(".")})` : "",
        frame ? ` at ${path.isAbsolute(frame) ? path.relative(ROOT, frame) : frame}` : "",
    ].join("");
}

/** Constructed resources that the engine never recorded, and registrations it refused. */
function registrationFailures(mocks: RecordingMocks): RunFailure[] {
    const registered = new Set(mocks.resources.map((r) => `${r.type}::${r.name}`));
    const refused = mocks.rejected.map((r) => ({ kind: "registration" as const, subject: `${r.type}::${r.name}`, message: r.error }));
    const refusedKeys = new Set(refused.map((r) => r.subject));
    const missing = mocks.requested
        .map((r) => `${r.type}::${r.name}`)
        .filter((key) => !registered.has(key) && !refusedKeys.has(key))
        .map((subject) => ({
            kind: "registration" as const,
            subject,
            message: "was constructed but never registered: one of its inputs failed (see the rejections)",
        }));
    return [...refused, ...missing];
}

/**
 * Runs `index.ts` (or `entry`) for one stack in this process and waits for every registration, in
 * the stack's project folder as working directory, as the CLI runs it (components/project.ts).
 * Runs are sequential: Pulumi's runtime state is process-global. While the program runs, the
 * harness owns unhandled rejections (a real run would fail on each) and reports them as failures.
 * `restore`: put back the mocks and config installed before (for tests sharing the process).
 */
export async function runProgram(
    stack: StackFile,
    entry = path.join(ROOT, "index.ts"),
    options: { restore?: boolean; onRecord?: (r: RecordedResource) => void } = {},
): Promise<ProgramRun> {
    if (!options.restore) return runProgramOnce(stack, entry, options.onRecord);
    // Tests: give the process its mocks and config back afterwards (the runtime is process-global).
    const before = installed;
    const env = { PULUMI_CONFIG: process.env.PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS: process.env.PULUMI_CONFIG_SECRET_KEYS };
    try {
        return await runProgramOnce(stack, entry, options.onRecord);
    } finally {
        if (before) await installMocks(before.mocks, before.project, before.stack);
        for (const [key, value] of Object.entries(env))
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
    }
}

async function runProgramOnce(stack: StackFile, entry: string, onRecord?: (r: RecordedResource) => void): Promise<ProgramRun> {
    const mocks = new RecordingMocks();
    mocks.onRecord = onRecord;
    await installMocks(mocks, stack.project, stack.stack);
    pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
    const rule = defaultProviderRule(stack.config);

    const rejections = new Map<string, number>();
    const onRejection = (reason: unknown) => {
        const message = messageOf(reason);
        rejections.set(message, (rejections.get(message) ?? 0) + 1);
    };
    const others = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onRejection);
    let outputs: unknown;
    let thrown: unknown;
    const cwd = process.cwd();
    try {
        process.chdir(stack.root);
        delete require.cache[require.resolve(entry)];
        try {
            outputs = await pulumi.runtime.runInPulumiStack(async () => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(entry);
            });
        } catch (e) {
            // Invalid config is the caller's to report (exit 2); anything else is a failed run.
            if (e instanceof ConfigError) throw e;
            thrown = e;
        }
        await settle();
        // Rejections are reported once the microtask queue drains.
        await new Promise((resolve) => setImmediate(resolve));
    } finally {
        process.chdir(cwd);
        process.off("unhandledRejection", onRejection);
        for (const l of others) process.on("unhandledRejection", l);
    }
    const failures: RunFailure[] = [
        ...(thrown === undefined ? [] : [{ kind: "rejection" as const, subject: "program", message: messageOf(thrown) }]),
        ...registrationFailures(mocks),
        ...[...rejections].map(([message, n]) => ({
            kind: "rejection" as const,
            subject: "program",
            message: n > 1 ? `${message} (${n} times)` : message,
        })),
        ...defaultProviderFailures(mocks, rule),
    ];
    return { stack, mocks, outputs: (readable(outputs ?? {}) as Record<string, unknown>) ?? {}, failures };
}

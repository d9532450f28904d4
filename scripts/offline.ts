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
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../components/config";
import { CLUSTER_SCOPE } from "../components/providers";
import { findRegion } from "../components/regions-lookup";
import type { Cloud } from "../components/catalog-types";

export const ROOT = path.resolve(__dirname, "..");

/** A resource as the program registered it. Secret inputs read `[secret]`. */
export interface RecordedResource {
    readonly urn: string;
    /** The id the (mock) engine gave it, which other resources reference it by; null for components. */
    readonly id: string | null;
    readonly type: string;
    readonly name: string;
    /** URN of the parent, or null for the stack itself. */
    readonly parent: string | null;
    /** `urn::id` reference of the provider the resource uses, or null. */
    readonly provider: string | null;
    readonly custom: boolean;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependencies: readonly string[];
    readonly inputs: Record<string, unknown>;
    /** The `aliases` option as the engine receives it (RegisterResourceRequest `aliases`); empty when none. */
    readonly aliases: readonly AliasSpec[];
}

/**
 * One alias of a registration: an old URN, or the parts the engine fills in from the resource
 * (empty name/type/stack/project mean "the resource's own"; `parentUrn` or `noParent` replace its parent).
 */
export type AliasSpec =
    | { readonly urn: string }
    | {
          readonly name: string;
          readonly type: string;
          readonly stack: string;
          readonly project: string;
          readonly parentUrn: string;
          readonly noParent: boolean;
      };

/** Stack config in the form `pulumi.runtime.setAllConfig` takes, with the secret keys named. */
export interface StackFile {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG = "4dabf18193072939515e22adb298388d";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Stand-in for a `secure:` value, which only the Pulumi CLI can decrypt. */
export const SECRET_PLACEHOLDER = "offline-plan-placeholder";

export function projectName(root = ROOT): string {
    const doc = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string };
    return doc.name;
}

/** Reads `Pulumi.<stack>.yaml` the way the CLI hands config to a program. */
export function readStackFile(stack: string, root = ROOT): StackFile {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file))
        throw new Error(`no stack file ${path.relative(process.cwd(), file)}; shipped stacks: ${shippedStacks(root).join(", ")}`);
    const project = projectName(root);
    const projectDoc = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> };
    const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    // Project-level values first (`key: {value: ...}` or a scalar), then the stack's own.
    const projectValues = Object.entries(projectDoc.config ?? {}).flatMap(([k, v]) =>
        v && typeof v === "object" && "value" in v
            ? [[k, (v as { value: unknown }).value] as const]
            : typeof v === "object"
              ? []
              : [[k, v] as const],
    );
    for (const [rawKey, value] of [...projectValues, ...Object.entries(doc.config ?? {})]) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        if (value && typeof value === "object" && "secure" in value) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { project, stack, config, secretKeys };
}

export function shippedStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/** Replaces secrets and unknowns in a serialized property value with readable markers. */
function readable(value: unknown): unknown {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(readable);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG] === SECRET) return "[secret]";
        if (obj[SIG] !== undefined) return obj.urn ?? obj.value ?? "[reference]";
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, readable(v)]));
    }
    return value;
}

/**
 * IPv4 blocks reserved for documentation (RFC 5737: TEST-NET-3, TEST-NET-1, TEST-NET-2), the
 * only IPv4 space that can never be a real node. 3 x 254 host addresses; the edge-environment
 * test checks that this covers every public address of the largest environment config accepts.
 */
export const DOCUMENTATION_BLOCKS = ["203.0.113", "192.0.2", "198.51.100"] as const;
export const ADDRESS_CAPACITY = DOCUMENTATION_BLOCKS.length * 254;

/** Hands out mocked public IPv4 addresses, each once per program run, in registration order. */
export class AddressPool {
    private next = 0;
    /** Resource name -> its address, so a name asks twice and gets one answer. */
    private readonly byName = new Map<string, string>();

    allocate(name: string): string {
        const known = this.byName.get(name);
        if (known) return known;
        if (this.next >= ADDRESS_CAPACITY)
            throw new Error(
                `the offline mocks ran out of documentation addresses (${ADDRESS_CAPACITY}) at ${name}; the environment has more public addresses than scripts/offline.ts can model`,
            );
        const address = `${DOCUMENTATION_BLOCKS[Math.floor(this.next / 254)]}.${(this.next % 254) + 1}`;
        this.next++;
        this.byName.set(name, address);
        return address;
    }

    /** How many addresses this run handed out. */
    get allocated(): number {
        return this.next;
    }
}

const MOCK_PROJECT = "mock-project";
const MOCK_PROJECT_NUMBER = "123456789012";

/** PEM-shaped placeholder naming the resource (never a usable key or certificate). */
function pem(label: string, name: string): string {
    return `-----BEGIN ${label}-----\nT0ZGTElORS1QTEFO${Buffer.from(name).toString("base64")}\n-----END ${label}-----\n`;
}

/** Computed outputs the providers would return, so apply() chains see realistic values. */
function mockState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    region: string | undefined,
    addresses: AddressPool,
    serial: number,
): Record<string, unknown> {
    const state: Record<string, unknown> = { ...inputs };
    const arn = `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "mock"}:${region ?? "us-east-1"}:123456789012:${name}`;
    if (type.startsWith("aws:")) Object.assign(state, { arn: inputs.arn ?? arn });
    switch (type) {
        case "aws:ec2/eip:Eip":
            state.publicIp = addresses.allocate(`${type}::${name}`);
            state.allocationId = `eipalloc-${name}`;
            break;
        case "gcp:compute/address:Address":
            state.address = inputs.address ?? (inputs.addressType === "INTERNAL" ? undefined : addresses.allocate(`${type}::${name}`));
            state.selfLink = `https://www.googleapis.com/compute/v1/projects/mock/regions/${inputs.region}/addresses/${inputs.name ?? name}`;
            break;
        case "aws:lb/loadBalancer:LoadBalancer":
            state.dnsName = `${name}.${region}.elb.amazonaws.com`;
            state.zoneId = "Z35SXDOTRQ7X7K";
            break;
        // Stand-in PEM text, so certificate plumbing (secrets, boot specs, outputs) sees strings.
        case "tls:index/privateKey:PrivateKey":
            Object.assign(state, {
                privateKeyPem: pem("PRIVATE KEY", name),
                privateKeyPemPkcs8: pem("PRIVATE KEY", name),
                publicKeyPem: pem("PUBLIC KEY", name),
            });
            break;
        case "tls:index/certRequest:CertRequest":
            state.certRequestPem = pem("CERTIFICATE REQUEST", name);
            break;
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            state.certPem = pem("CERTIFICATE", name);
            break;
        // ACM's DNS validation record depends on the domain name and account, not the region.
        case "aws:acm/certificate:Certificate": {
            const token = Buffer.from(String(inputs.domainName)).toString("hex").slice(0, 32);
            state.domainValidationOptions = [
                {
                    domainName: inputs.domainName,
                    resourceRecordName: `_${token}.${inputs.domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${token}.offline.acm-validations.aws.`,
                },
            ];
            break;
        }
        case "random:index/randomId:RandomId": {
            // Stable per resource name, as a real RandomId is stable per deployment.
            const bytes = createHash("sha256")
                .update(name)
                .digest()
                .subarray(0, Number(inputs.byteLength ?? 8));
            Object.assign(state, {
                hex: bytes.toString("hex"),
                b64Url: bytes.toString("base64url"),
                b64Std: bytes.toString("base64"),
                dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
            });
            break;
        }
        case "random:index/randomPassword:RandomPassword":
            state.result = "offlineplanpassword0123456789abc";
            break;
        case "gcp:serviceaccount/account:Account":
            state.email = `${inputs.accountId}@${MOCK_PROJECT}.iam.gserviceaccount.com`;
            // 21 digits, like a real service account's unique id; unique per run.
            state.uniqueId = `1${String(serial).padStart(20, "0")}`;
            state.member = `serviceAccount:${state.email}`;
            break;
        case "gcp:projects/serviceIdentity:ServiceIdentity":
            state.email = `service-${MOCK_PROJECT_NUMBER}@gcp-sa-${String(inputs.service).split(".")[0]}.iam.gserviceaccount.com`;
            state.member = `serviceAccount:${state.email}`;
            break;
        case "gcp:cloudrunv2/service:Service":
            state.uri = `https://${inputs.name ?? name}-mock.a.run.app`;
            break;
    }
    if (type.startsWith("gcp:") && state.selfLink === undefined)
        state.selfLink = `https://www.googleapis.com/compute/v1/projects/mock/global/${name}`;
    if (state.name === undefined) state.name = name;
    return state;
}

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

/** Something a real `pulumi preview`/`up` would stop on, found while running the program offline. */
export interface RunFailure {
    /**
     * `registration`: a resource the program constructed never reached the engine, or the engine
     * refused it; `rejection`: a promise the program left rejected (a throwing `apply`, an invoke
     * the mocks do not model); `default-provider`: the engine would deny the default provider.
     */
    readonly kind: "registration" | "rejection" | "default-provider";
    /** The resource (`type::name`), invoke token, or `program`. */
    readonly subject: string;
    readonly message: string;
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

/** What `pulumi:disable-default-providers` denies: every package (`*`) or the ones listed. */
export interface DefaultProviderRule {
    readonly all: boolean;
    readonly packages: readonly string[];
}

/**
 * Reads `pulumi:disable-default-providers` from stack config (a JSON list, as the CLI passes it).
 * Same parsing as the engine: an empty value or list disables nothing; entries are trimmed.
 * Source: pulumi/pulumi pkg/resource/deploy/default_providers.go, `shouldDenyRequest`.
 */
export function defaultProviderRule(config: Readonly<Record<string, string>>): DefaultProviderRule {
    const text = config["pulumi:disable-default-providers"];
    if (text === undefined || text === "") return { all: false, packages: [] };
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list) || list.some((v) => typeof v !== "string"))
        throw new Error(`pulumi:disable-default-providers must be a list of package names; got ${text}`);
    const packages = list.map((v: string) => v.trim());
    return { all: packages.includes("*"), packages: packages.filter((p) => p !== "*") };
}

/**
 * Whether the engine would refuse a default provider for `token` (a resource type or invoke
 * token): its package is the token's first segment (`aws`, `pulumi-nodejs` for dynamic
 * resources), and only the engine's own `pulumi` package is always allowed
 * (`if req.Package().Name().String() == "pulumi"`), in default_providers.go `shouldDenyRequest`.
 */
export function defaultProviderDenied(rule: DefaultProviderRule, token: string): boolean {
    // split() always returns at least one part.
    const [pkg = ""] = token.split(":");
    if (pkg === "pulumi") return false;
    return rule.all || rule.packages.includes(pkg);
}

/** Resources and invokes that would need the default provider the stack config denies. */
export function defaultProviderFailures(mocks: RecordingMocks, rule: DefaultProviderRule): RunFailure[] {
    const resources = mocks.resources
        .filter((r) => r.custom && !r.provider && defaultProviderDenied(rule, r.type))
        .map((r) => ({
            kind: "default-provider" as const,
            subject: `${r.type}::${r.name}`,
            message: `default provider for '${r.type.split(":")[0]}' disabled by pulumi:disable-default-providers; pass { provider } or { parent } from the regional stack, or (a package without provider resources, such as pulumi-nodejs for dynamic resources) leave it off the list in Pulumi.yaml`,
        }));
    const invokes = [...new Set(mocks.invokes.filter((i) => !i.provider && defaultProviderDenied(rule, i.token)).map((i) => i.token))].map(
        (token) => ({
            kind: "default-provider" as const,
            subject: token,
            message: `invoke without an explicit provider, but the default provider for '${token.split(":")[0]}' is disabled by pulumi:disable-default-providers; pass { provider }`,
        }),
    );
    return [...resources, ...invokes];
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
 * Runs `index.ts` (or `entry`) for one stack in this process and waits for every registration.
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
    try {
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

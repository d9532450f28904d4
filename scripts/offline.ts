/**
 * Runs the real program under Pulumi's mocks with the real provider SDKs: no CLI, no credentials,
 * no network. Records every registered resource (type, name, parent, provider, inputs) the way the
 * engine would see it, and answers the few invokes the program makes from the region catalog.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { CLUSTER_SCOPE } from "../components/providers";
import { findRegion } from "../components/regions-lookup";
import type { Cloud } from "../components/catalog-types";

export const ROOT = path.resolve(__dirname, "..");

/** A resource as the program registered it. Secret inputs read `[secret]`. */
export interface RecordedResource {
    readonly urn: string;
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
}

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

/** A TEST-NET-3 address, stable per resource name, for mocked public IPs. */
function fakeIp(name: string): string {
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return `203.0.113.${(h % 250) + 1}`;
}

const MOCK_PROJECT = "mock-project";
const MOCK_PROJECT_NUMBER = "123456789012";

/** PEM-shaped placeholder naming the resource (never a usable key or certificate). */
function pem(label: string, name: string): string {
    return `-----BEGIN ${label}-----\nT0ZGTElORS1QTEFO${Buffer.from(name).toString("base64")}\n-----END ${label}-----\n`;
}

/** Computed outputs the providers would return, so apply() chains see realistic values. */
function mockState(type: string, name: string, inputs: Record<string, unknown>, region: string | undefined): Record<string, unknown> {
    const state: Record<string, unknown> = { ...inputs };
    const arn = `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "mock"}:${region ?? "us-east-1"}:123456789012:${name}`;
    if (type.startsWith("aws:")) Object.assign(state, { arn: inputs.arn ?? arn });
    switch (type) {
        case "aws:ec2/eip:Eip":
            state.publicIp = fakeIp(name);
            state.allocationId = `eipalloc-${name}`;
            break;
        case "gcp:compute/address:Address":
            state.address = inputs.address ?? (inputs.addressType === "INTERNAL" ? undefined : fakeIp(name));
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
            state.uniqueId = `1${String(fakeIp(name).split(".").pop()).padStart(3, "0")}0000000000000000`;
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

/** Records what the program registers and answers invokes; one instance per program run. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /** Provider reference (`urn::id`) -> its cloud and region. */
    private readonly providerRegions = new Map<string, { cloud: Cloud; region?: string }>();

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const region = (args.inputs.region as string | undefined) ?? this.providerOf(args.provider)?.region;
        const id = args.type.startsWith("pulumi:providers:") ? `${args.name}-provider-id` : `${args.name}-id`;
        return { id, state: mockState(args.type, args.name, args.inputs, region) };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
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
                return args.inputs;
        }
    }

    /** Called by the monitor wrapper with what the engine would see. */
    record(r: RecordedResource): void {
        this.resources.push(r);
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
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface MonitorLike {
    registerResource(req: RegisterRequest, cb: (err: unknown, resp?: { getUrn(): string }) => void): Promise<void>;
}

interface Settings {
    getMonitor(): MonitorLike;
    waitForRPCs(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as Settings;

/**
 * Installs `mocks` as Pulumi's mock monitor and records every registration with what the engine
 * would see (parent, provider, protect, secrets masked). Process-global: tests call it once.
 */
export async function installMocks(mocks: RecordingMocks, project: string, stack: string): Promise<void> {
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                mocks.record({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || null,
                    provider: req.getProvider() || null,
                    custom: req.getCustom(),
                    protect: req.getProtect() ?? false,
                    retainOnDelete: req.getRetainondelete() ?? false,
                    dependencies: req.getDependenciesList(),
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
 * Runs `index.ts` for one stack in this process and waits for every registration. Runs are
 * sequential: Pulumi's runtime state is process-global.
 */
export async function runProgram(stack: StackFile): Promise<ProgramRun> {
    const mocks = new RecordingMocks();
    await installMocks(mocks, stack.project, stack.stack);
    pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);

    const entry = path.join(ROOT, "index.ts");
    delete require.cache[require.resolve(entry)];
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(entry);
    });
    await settle();
    const missing = mocks.resources.filter(
        (r) => r.custom && !r.provider && !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("pulumi-nodejs:dynamic/"),
    );
    if (missing.length > 0)
        throw new Error(
            `default providers are disabled, but ${missing.map((r) => r.urn).join(", ")} registered without an explicit provider; pass { provider } or { parent } from the regional stack.`,
        );
    return { stack, mocks, outputs: (readable(outputs ?? {}) as Record<string, unknown>) ?? {} };
}

/**
 * Runs the CrossGuard pack in `policies/` the way `pulumi preview --policy-pack policies` does: a
 * child process serving the Analyzer gRPC service (`new PolicyPack` prints its port on stdout),
 * `configure` with the pack config, `analyze` for every resource (inputs, provider resource,
 * parent, protect) and `analyzeStack` for all of them, then the process is shut down.
 * Protos: @pulumi/pulumi/proto/analyzer_pb.js; the request fields the server reads:
 * @pulumi/policy/server.js (`analyze` needs `options`, see REFERENCE.md "CrossGuard").
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

export const POLICIES_DIR = path.resolve(__dirname, "..", "policies");

/**
 * Enforcement levels in proto enum order (EnforcementLevel: ADVISORY 0, MANDATORY 1, DISABLED 2,
 * REMEDIATE 3), so a level's index is its wire value; also every level the CLI accepts.
 */
export const POLICY_LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

export interface PolicyViolation {
    readonly policy: string;
    readonly level: PolicyLevel;
    /** The resource concerned; a stack policy's violation names the resource it reported. */
    readonly urn: string;
    readonly message: string;
}

export interface PolicyReport {
    readonly pack: string;
    readonly version: string;
    readonly violations: PolicyViolation[];
}

/** A resource as the engine describes it to an analyzer (the plan JSON's resources are these). */
export interface AnalyzedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    /** URN of the provider resource, or null. */
    readonly provider: string | null;
    readonly protect: boolean;
    readonly inputs: Record<string, unknown>;
    /** URNs the resource depends on (stack analysis only). */
    readonly dependencies?: readonly string[];
}

/** Per-policy config: `enforcementLevel` plus the policy's own properties. */
export type PackConfig = Record<string, { enforcementLevel?: PolicyLevel } & Record<string, unknown>>;

/** Drops `undefined` (not representable in a protobuf Struct). */
const plain = (v: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/** Each resource's inputs as a protobuf Struct, built once per inputs object (analyze, provider, stack). */
const structs = new WeakMap<object, Struct>();
function structOf(r: AnalyzedResource): Struct {
    let s = structs.get(r.inputs);
    if (!s) structs.set(r.inputs, (s = Struct.fromJavaScript(plain(r.inputs) as never)));
    return s;
}

/** One running pack process and its gRPC client. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: analyzerGrpc.AnalyzerClient,
        private readonly stderr: () => string,
    ) {}

    /** Spawns the pack (TypeScript via the repo's SWC loader) and connects once it prints its port. */
    static start(dir = POLICIES_DIR, timeoutMs = 120000): Promise<PolicyPackProcess> {
        const register = path.resolve(__dirname, "register.js");
        const child = spawn(process.execPath, ["-r", register, "index.ts"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr!.on("data", (d) => (err += d));
        // Never outlive the process that started it, whatever path that process exits by.
        const killOnExit = () => child.kill();
        process.once("exit", killOnExit);
        child.once("exit", () => process.off("exit", killOnExit));
        return new Promise((resolve, reject) => {
            let out = "";
            const fail = (why: string) => {
                clearTimeout(timer);
                child.kill();
                reject(new Error(`policy pack in ${path.relative(process.cwd(), dir) || "."} ${why}${err ? `:\n${err}` : ""}`));
            };
            const timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
            child.on("error", (e) => fail(`could not start (${e.message})`));
            child.on("exit", (code) => fail(`exited with code ${code} before serving`));
            child.stdout!.on("data", (d) => {
                out += d;
                const port = /^(\d+)\s*$/m.exec(out)?.[1];
                if (!port) return;
                clearTimeout(timer);
                child.removeAllListeners("exit");
                child.stdout!.removeAllListeners("data");
                child.stdout!.resume();
                const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
                    "grpc.max_receive_message_length": 400 * 1024 * 1024,
                    "grpc.max_send_message_length": 400 * 1024 * 1024,
                    // No retry buffering: a failed call fails the analysis anyway (cheaper per call).
                    "grpc.enable_retries": 0,
                });
                resolve(new PolicyPackProcess(child, client, () => err));
            });
        });
    }

    private call<Req, Res>(method: string, req: Req): Promise<Res> {
        return new Promise((resolve, reject) => {
            const fn = (
                this.client as unknown as Partial<Record<string, (r: Req, cb: (e: grpc.ServiceError | null, res: Res) => void) => void>>
            )[method];
            if (!fn) throw new Error(`policy pack: the Analyzer client has no method ${method}.`);
            fn.call(this.client, req, (e, res) =>
                e
                    ? reject(new Error(`policy pack ${method}: ${e.details || e.message}${this.stderr() ? `\n${this.stderr()}` : ""}`))
                    : resolve(res),
            );
        });
    }

    /** The pack's name and version (from policies/package.json). */
    async info(): Promise<{ name: string; version: string }> {
        const info = await this.call<Empty, analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new Empty());
        return { name: info.getName(), version: info.getVersion() };
    }

    async configure(config: PackConfig): Promise<void> {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [policy, { enforcementLevel, ...props }] of Object.entries(config)) {
            const pc = new analyzerPb.PolicyConfig();
            // The server takes the level it is sent over the policy's own, and the proto's default is
            // ADVISORY: an entry must carry the level meant (readPackConfigFile gives every policy one).
            if (!enforcementLevel)
                throw new Error(`policy pack configure: "${policy}" has no enforcementLevel; give the level it should run at.`);
            pc.setEnforcementlevel(POLICY_LEVELS.indexOf(enforcementLevel) as analyzerPb.EnforcementLevel);
            pc.setProperties(Struct.fromJavaScript(plain(props) as never));
            map.set(policy, pc);
        }
        await this.call("configure", req);
    }

    /**
     * `analyze` for each resource (concurrently), as the engine calls it before each step.
     * `stack`: where the resources' providers are found (default: `resources` themselves).
     */
    async analyze(
        resources: readonly AnalyzedResource[],
        stack: readonly AnalyzedResource[] | ReadonlyMap<string, AnalyzedResource> = resources,
    ): Promise<PolicyViolation[]> {
        const byUrn = stack instanceof Map ? stack : new Map((stack as readonly AnalyzedResource[]).map((r) => [r.urn, r]));
        const results = await Promise.all(
            resources.map(async (r) => {
                const req = new analyzerPb.AnalyzeRequest();
                req.setUrn(r.urn);
                req.setType(r.type);
                req.setName(r.name);
                req.setProperties(structOf(r));
                req.setOptions(options(r));
                const provider = providerOf(r, byUrn);
                if (provider) req.setProvider(provider);
                const res = await this.call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>("analyze", req);
                return diagnostics(res, r.urn);
            }),
        );
        return results.flat();
    }

    /** `analyzeStack` with every resource, as the engine calls it after the last step. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<PolicyViolation[]> {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const a = new analyzerPb.AnalyzerResource();
                a.setUrn(r.urn);
                a.setType(r.type);
                a.setName(r.name);
                a.setProperties(structOf(r));
                a.setOptions(options(r));
                if (r.parent) a.setParent(r.parent);
                a.setDependenciesList([...(r.dependencies ?? [])]);
                const provider = providerOf(r, byUrn);
                if (provider) a.setProvider(provider);
                return a;
            }),
        );
        const res = await this.call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>("analyzeStack", req);
        return diagnostics(res, "");
    }

    /** Ends the process and waits for it to exit. */
    stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
        return new Promise((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill();
        });
    }

    get pid(): number | undefined {
        return this.child.pid;
    }
}

function options(r: AnalyzedResource): analyzerPb.AnalyzerResourceOptions {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    if (r.parent) o.setParent(r.parent);
    return o;
}

function providerOf(r: AnalyzedResource, byUrn: ReadonlyMap<string, AnalyzedResource>): analyzerPb.AnalyzerProviderResource | undefined {
    const p = r.provider ? byUrn.get(r.provider) : undefined;
    if (!p) return undefined;
    const out = new analyzerPb.AnalyzerProviderResource();
    out.setUrn(p.urn);
    out.setType(p.type);
    out.setName(p.name);
    out.setProperties(structOf(p));
    return out;
}

/** The server sends `<policy description>\n<message>` (@pulumi/policy server.js makeReportViolationFun); keep the message. */
function diagnostics(res: analyzerPb.AnalyzeResponse, urn: string): PolicyViolation[] {
    return res.getDiagnosticsList().map((d) => {
        const text = d.getMessage();
        const prefix = `${d.getDescription()}\n`;
        return {
            policy: d.getPolicyname(),
            level: POLICY_LEVELS[d.getEnforcementlevel()] ?? "advisory",
            urn: d.getUrn() || urn,
            message: text.startsWith(prefix) ? text.slice(prefix.length) : text,
        };
    });
}

/**
 * Pack config an offline plan of this stack uses: `backend:deletionProtection: false` (set to
 * prepare a destroy) turns the deletion-protection policy advisory, so it is reported, not failed.
 */
export function packConfigFor(stackConfig: { readonly deletionProtection?: boolean }): PackConfig {
    return stackConfig.deletionProtection === false ? { "security-deletion-protection": { enforcementLevel: "advisory" } } : {};
}

/**
 * Analysis as the engine runs it during an update: `analyze` for each resource as it registers
 * (so the pack works while the program still runs), then `analyzeStack` once every resource is
 * known. `finish` always stops the pack.
 */
export class PolicySession {
    private readonly ready: Promise<PolicyPackProcess>;
    private readonly seen = new Map<string, AnalyzedResource>();
    /** Settled results, so a failed pack never shows up as an unhandled rejection of the program. */
    private readonly pending: Promise<{ ok: PolicyViolation[] } | { error: unknown }>[] = [];

    constructor(pack: Promise<PolicyPackProcess>, config: PackConfig) {
        this.ready = pack.then(async (p) => {
            await p.configure(config);
            return p;
        });
        this.ready.catch(() => undefined);
    }

    /** `analyze` of one registered resource (its provider was registered before it). */
    step(r: AnalyzedResource): void {
        this.seen.set(r.urn, r);
        this.pending.push(
            this.ready.then(
                (p) =>
                    p.analyze([r], this.seen).then(
                        (ok) => ({ ok }),
                        (error: unknown) => ({ error }),
                    ),
                (error: unknown) => ({ error }),
            ),
        );
    }

    /** Waits for every `analyze`, runs `analyzeStack` on `resources`, stops the pack. */
    async finish(resources: readonly AnalyzedResource[]): Promise<PolicyReport> {
        const pack = await this.ready;
        try {
            const results = await Promise.all(this.pending);
            const failed = results.find((x): x is { error: unknown } => "error" in x);
            if (failed) throw failed.error;
            const [info, stack] = await Promise.all([pack.info(), pack.analyzeStack(resources)]);
            const perResource = results.flatMap((x) => ("ok" in x ? x.ok : []));
            return { pack: info.name, version: info.version, violations: [...perResource, ...stack] };
        } finally {
            await pack.stop();
        }
    }
}

/** One line per violation: `mandatory residency-location: <message>`. */
export function policyLines(report: PolicyReport): string[] {
    const mandatory = report.violations.filter((v) => v.level === "mandatory").length;
    const head = `Policies (${report.pack} ${report.version}): ${report.violations.length === 0 ? "no violation" : `${mandatory} mandatory, ${report.violations.length - mandatory} advisory violation(s)`}`;
    return [head, ...report.violations.map((v) => `  ${v.level} ${v.policy}: ${v.message}`)];
}

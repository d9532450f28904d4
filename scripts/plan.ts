/**
 * Offline plan: `npm run plan -- --stack prod [--format text|json|mermaid]` (`--json`: `--format json`).
 *
 * Validates `Pulumi.<stack>.yaml`, runs the real program under Pulumi's mocks with the real
 * provider SDKs (no credentials, no network) and prints what `pulumi up` would register: regions
 * by cloud and domain, resources per region by type. `--json` prints one JSON document instead;
 * `--format mermaid` draws the stack as a Mermaid flowchart (scripts/plan/mermaid.ts).
 * The plan then checks what mocks cannot: every planned resource against the documented
 * constraints and default quotas of its type (components/deployability), and whether every
 * resource the program constructed was registered (a throwing `apply`, an unmodelled invoke, a
 * denied default provider). Problems go to stderr one per line and into the document's
 * `deployability` section.
 *
 * Exit codes:
 *   0  planned, no deployability violation, every resource registered;
 *   1  deployability violations or failed registrations (the plan is still printed), or the plan
 *      itself crashed;
 *   2  invalid config or arguments (problems on stderr, nothing on stdout);
 *   3  no deployability problem, but the policy pack (policies/) reports a mandatory violation
 *      (the plan is still printed; violations on stderr and in the document's `policies`).
 *
 * Policies: the plan starts the CrossGuard pack in policies/ as the engine does (a child process
 * serving the Analyzer gRPC service, started while the program runs), sends it every resource and
 * the whole stack, and always stops it (scripts/policies.ts). `--skip-policies` leaves it out.
 * `--policy-pack-config <file>` configures it with the file `pulumi preview --policy-pack-config`
 * takes (scripts/plan/packConfig.ts), on top of what the stack implies (`packConfigFor`).
 */
import { parseArgs } from "node:util";
import Table from "cli-table3";
import { databaseModel, databaseSection, loadMigrations, type DatabaseSection, type Migration } from "../components/cockroach";
import { ConfigError, formatIssues, type StackConfig } from "../components/config";
import { costModel, renderCost, type CostReport } from "../components/cost";
import { parseStackConfig } from "../components/validate";
import { deployabilityViolations, formatViolation, type Violation } from "../components/deployability";
import { drillsFromConfig, failoverBudget, renderDrills, type Drill, type FailoverBudget } from "../components/drills";
import { latencyModel, renderLatency, type LatencyPlan } from "../components/latency";
import { at } from "../components/collections";
import { planTopology, type Topology } from "../components/topology";
import { routingFromConfig, type RoutingPlan } from "../components/traffic";
import { renderWaves, wavePlan, type WavePlan } from "../components/waves";
import { renderChanges, updateReport, type ChangeReport } from "../components/changes";
import {
    packConfigFor,
    policyLines,
    PolicyPackProcess,
    PolicySession,
    type AnalyzedResource,
    type PackConfig,
    type PolicyReport,
} from "./policies";
import { PackConfigError, readPackConfigFile } from "./plan/packConfig";
import {
    projectFolder,
    readStackFile,
    runProgram,
    shippedStacks,
    userPath,
    type ProgramRun,
    type RecordedResource,
    type RunFailure,
} from "./offline";
import { renderTradeoffs, tradeoffs, type Tradeoffs } from "./plan/tradeoffs";
import { renderMermaid } from "./plan/mermaid";

/** One resource in the plan document. */
export interface PlannedResource {
    readonly urn: string;
    /** Mocked id (`<name>-id`) other resources' inputs reference it by; null for components. */
    readonly id: string | null;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    /** CockroachDB-style region (`aws-us-east-1`) of the resource or its provider; null when global. */
    readonly region: string | null;
    readonly protect: boolean;
    readonly inputs: Record<string, unknown>;
    /** URN of the provider resource the engine would use for it (null: none, components, providers). */
    readonly provider: string | null;
}

export interface PlanDocument {
    readonly stack: string;
    readonly project: string;
    readonly environment: string;
    readonly regions: {
        name: string;
        cloud: string;
        region: string;
        domain: string;
        primary: boolean;
        zones: string[];
        cidr: string;
    }[];
    readonly resources: PlannedResource[];
    /** Cloudflare steering: which regions serve which Cloudflare regions, normally and with one pool down. */
    readonly routing: RoutingPlan;
    /** SQL of a first deployment, where every replica lives, and any replica outside its domain. */
    readonly database: DatabaseSection;
    /** Modelled round trips per residency domain (P50/P95 over its population), in the normal state. */
    readonly latency: LatencyPlan;
    /** Simulated failures (every region, primary zone, cloud, domain): users served, quorum, leases, RPO. */
    readonly drills: Drill[];
    /** Worst case until a failed region's users are served elsewhere, from its parts. */
    readonly failover: FailoverBudget;
    /** The design's trade-off table for this stack: modelled latency, consistency, failover, cost. */
    readonly tradeoffs: Tradeoffs;
    /** What a real deploy would reject that the mocks accepted. Both lists empty, or exit code 1. */
    readonly deployability: {
        /** Planned inputs and counts that break a documented constraint or a quota (default, or raised in backend:quotas). */
        readonly violations: Violation[];
        /** Resources the program constructed but never registered, rejections, denied default providers. */
        readonly failures: RunFailure[];
    };
    /** Which app image each region runs and in which wave (components/waves). */
    readonly waves: WavePlan;
    /** The update against the deployed record `deployed/<stack>.json` (components/changes). */
    readonly changes: ChangeReport;
    readonly outputs: Record<string, unknown>;
    /** Modelled monthly cost from the planned resources and a dated price table, vs the primary region alone. */
    readonly cost: CostReport;
    /** The policy pack's verdict through its analyzer server; absent with `--skip-policies`. */
    readonly policies?: PolicyReport;
}

/** Region of a custom resource: its own `region`/`location`/`zone` input, else its provider's. */
function customRegion(r: RecordedResource, run: ProgramRun): string | null {
    const m = /^(aws|gcp):/.exec(r.type) ?? /^pulumi:providers:(aws|gcp)$/.exec(r.type);
    if (!m) return null;
    const cloud = m[1];
    const own =
        r.inputs.region ?? r.inputs.location ?? (typeof r.inputs.zone === "string" ? r.inputs.zone.replace(/-?[a-z]$/, "") : undefined);
    if (typeof own === "string" && own !== "" && !/^(global|us|eu|asia)$/i.test(own)) return `${cloud}-${own.toLowerCase()}`;
    const provider = run.mocks.providerOf(r.provider);
    return provider?.region ? `${provider.cloud}-${provider.region}` : null;
}

/** Every resource with its region; a component's region is its children's when they all agree. */
export function plannedResources(run: ProgramRun): PlannedResource[] {
    const regionOf = new Map<string, string | null>();
    for (const r of run.mocks.resources) if (r.custom) regionOf.set(r.urn, customRegion(r, run));
    const children = new Map<string, RecordedResource[]>();
    for (const r of run.mocks.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const componentRegion = (urn: string): string | null | undefined => {
        if (regionOf.has(urn)) return regionOf.get(urn);
        const found = new Set((children.get(urn) ?? []).map((c) => componentRegion(c.urn)).filter((x) => x !== undefined));
        const region = found.size === 1 ? at([...found], 0, "component regions") : null;
        regionOf.set(urn, region);
        return region;
    };
    return run.mocks.resources.map((r) => ({
        urn: r.urn,
        id: r.id,
        type: r.type,
        name: r.name,
        parent: r.parent,
        region: componentRegion(r.urn) ?? null,
        protect: r.protect,
        inputs: r.inputs,
        provider: providerUrn(r.provider),
    }));
}

/** A recorded resource as the engine describes it to an analyzer. */
function analyzedOf(r: RecordedResource): AnalyzedResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        provider: providerUrn(r.provider),
        protect: r.protect,
        inputs: r.inputs,
    };
}

/** The URN part of a provider reference `urn::id` (the URN itself contains `::`). */
export function providerUrn(ref: string | null): string | null {
    if (!ref) return null;
    const cut = ref.lastIndexOf("::");
    return cut > 0 ? ref.slice(0, cut) : ref;
}

/** Each region's backup collection URL, from the program's `regionOutputs` (unknown ones left out). */
function backupUrlsOf(outputs: Record<string, unknown>): Record<string, string> {
    const regions = (outputs.regionOutputs ?? []) as { name: string; backupBucketUrl?: unknown }[];
    return Object.fromEntries(
        regions
            .filter((r) => typeof r.backupBucketUrl === "string" && !r.backupBucketUrl.includes("[unknown]"))
            .map((r) => [r.name, r.backupBucketUrl as string]),
    );
}

export function planDocument(run: ProgramRun, config: StackConfig, topology: Topology, migrations: readonly Migration[]): PlanDocument {
    const urls = backupUrlsOf(run.outputs);
    const resources = plannedResources(run);
    const routing = routingFromConfig(config);
    const database = databaseModel(config, topology, migrations);
    const latency = latencyModel(config, topology, routing, database);
    const cost = costModel(resources, config);
    const failover = failoverBudget(config);
    return {
        stack: run.stack.stack,
        project: run.stack.project,
        environment: config.environment,
        regions: topology.regions.map((r) => ({
            name: r.name,
            cloud: r.cloud,
            region: r.region,
            domain: r.domain,
            primary: r.primary,
            zones: [...r.zones],
            cidr: r.cidr,
        })),
        resources,
        routing,
        database: databaseSection(config, topology, migrations, Object.keys(urls).length === topology.regions.length ? urls : undefined),
        latency,
        drills: drillsFromConfig(config, topology, database, routing),
        deployability: { violations: deployabilityViolations(resources, config.quotas), failures: [...run.failures] },
        waves: wavePlan(config),
        changes: updateReport(run.stack.root, run.stack.stack, config, migrations),
        outputs: run.outputs,
        cost,
        failover,
        tradeoffs: tradeoffs(run.stack.stack, config, latency, failover, cost),
    };
}

/** Compact, uncoloured tables: readable in a terminal, a CI log and a file alike. */
const TABLE_STYLE = { compact: true, head: [], border: [] };

/** Human-readable summary: regions by cloud and domain, then resources per region by type. */
export function renderText(doc: PlanDocument): string {
    const out: string[] = [`Offline plan of stack "${doc.stack}" (environment ${doc.environment}): ${doc.resources.length} resources`, ""];
    const regions = new Table({ head: ["region", "cloud", "cloud region", "domain", "primary", "zones", "cidr"], style: TABLE_STYLE });
    for (const r of doc.regions) regions.push([r.name, r.cloud, r.region, r.domain, r.primary ? "yes" : "", r.zones.join(" "), r.cidr]);
    out.push("Regions", regions.toString(), "");

    const byRegion = new Map<string, Map<string, number>>();
    for (const r of doc.resources) {
        if (r.type === "pulumi:pulumi:Stack") continue;
        const key = r.region ?? "(global)";
        const types = byRegion.get(key) ?? new Map<string, number>();
        types.set(r.type, (types.get(r.type) ?? 0) + 1);
        byRegion.set(key, types);
    }
    const resources = new Table({ head: ["region", "type", "count"], style: TABLE_STYLE });
    for (const [region, types] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
        const sorted = [...types].sort(([a], [b]) => a.localeCompare(b));
        sorted.forEach(([type, n], i) => resources.push([i === 0 ? region : "", type, n]));
    }
    out.push("Resources per region", resources.toString(), "");
    out.push(renderRouting(doc.routing), "");
    out.push(renderDatabase(doc.database), "");
    out.push(renderLatency(doc.latency), "");
    out.push(renderCost(doc.cost), "");
    out.push(renderWaves(doc.waves), "", renderChanges(doc.changes), "");
    out.push(...deployabilityLines(doc));
    return out.join("\n");
}

/** One line per problem a real deploy would hit, or one line saying there is none. */
export function deployabilityLines(doc: Pick<PlanDocument, "deployability">): string[] {
    const { violations, failures } = doc.deployability;
    if (violations.length === 0 && failures.length === 0)
        return ["Deployability: every resource registered; no documented constraint or quota broken."];
    return [
        `Deployability: ${violations.length} violation${violations.length === 1 ? "" : "s"}, ${failures.length} failed registration${failures.length === 1 ? "" : "s"}`,
        ...violations.map((v) => `  violation: ${formatViolation(v)}`),
        ...failures.map((f) => `  ${f.kind}: ${f.subject}: ${f.message}`),
    ];
}

/**
 * Which region serves each Cloudflare region normally and when that region fails. A failure of any
 * other single region changes nothing for it; the JSON's `routing.singlePoolDown` has every case.
 */
function renderRouting(routing: RoutingPlan): string {
    const table = new Table({
        head: ["Cloudflare region", "served by", "when that region is down", "order tried (then the fallback, health ignored)"],
        style: TABLE_STYLE,
    });
    for (const [code, order] of Object.entries(routing.byCloudflareRegion)) {
        const region = code as keyof typeof routing.byCloudflareRegion;
        // Never empty: a region is always served by at least the fallback pool.
        const first = at(order, 0, `pools of Cloudflare region ${code}`);
        const failover = routing.singlePoolDown[first]?.[region]?.[0] ?? first;
        table.push([code, first, failover === first ? `${failover} (fallback, errors)` : failover, order.join(" > ")]);
    }
    const lines = [
        `Routing: ${routing.steeringPolicy}, fallback ${routing.fallback}; an unhealthy region is detected within ${routing.failoverDetectionSeconds} s ` +
            `(interval ${routing.monitor.interval} s x ${routing.monitor.consecutiveDown} + timeout ${routing.monitor.timeout} s x ${routing.monitor.retries + 1})`,
        table.toString(),
    ];
    for (const pin of routing.pins)
        lines.push(
            `Pin: domain ${pin.domain} keeps ${pin.regions.join(", ")} on ${pin.pools.join(" > ")} (fallback ${pin.fallback}, in-domain: fails closed)`,
        );
    for (const fc of routing.failClosed)
        lines.push(`With ${fc.down} down, ${fc.regions.join(", ")} have no other pool of their domain and get its errors.`);
    lines.push(`Model: ${routing.model}`);
    return lines.join("\n");
}

/** `aws-us-east-1: 2, gcp-us-central1: 1`, sorted by region. */
function counts(byRegion: Readonly<Record<string, number>>): string {
    return Object.entries(byRegion)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([r, n]) => `${r}: ${n}`)
        .join(", ");
}

/** The statements of a first `pulumi up`, then where each object's replicas and leaseholder live. */
function renderDatabase(db: DatabaseSection): string {
    const lines = [`Database: ${db.statements.length} statements on first pulumi up`];
    for (const sql of db.statements) lines.push(...`${sql};`.split("\n").map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)));
    const table = new Table({
        head: ["table", "partition", "residency", "voters", "non-voters", "voter or not", "leaseholder"],
        style: TABLE_STYLE,
    });
    for (const p of db.placement)
        table.push([
            p.table ?? "(database)",
            p.partition ?? "",
            p.residency ? "yes" : "",
            counts(p.voters),
            counts(p.nonVoters),
            [counts(p.unpinned.slots), p.unpinned.anyRegion > 0 ? `${p.unpinned.anyRegion} anywhere` : ""].filter(Boolean).join("; "),
            p.leaseholder,
        ]);
    lines.push("", "Placement (replicas per region, from the zone configurations)", table.toString());
    lines.push(
        db.residencyViolations.length === 0
            ? "Residency: no replica of a domain's data outside the domain."
            : `Residency violations (${db.residencyViolations.length}):\n` +
                  db.residencyViolations.map((v) => `  - ${v.message}`).join("\n"),
    );
    return lines.join("\n");
}

class UsageError extends Error {}

const FORMATS = ["text", "json", "mermaid"] as const;
type Format = (typeof FORMATS)[number];
const USAGE =
    "usage: npm run plan -- --stack <name> [--format text|json|mermaid] [--json] [--drills] [--skip-policies | --policy-pack-config <file>] [--root <dir>]";

/** `--format`, with `--json` as the old spelling of `--format json`. */
export function outputFormat(format: string | undefined, json: boolean): Format {
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got "${format}".`);
    if (json && format !== undefined && format !== "json")
        throw new UsageError(`--json is --format json; it conflicts with --format ${format}.`);
    return json ? "json" : ((format as Format | undefined) ?? "text");
}

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string", short: "s" },
            root: { type: "string" },
            json: { type: "boolean", default: false },
            format: { type: "string" },
            "skip-policies": { type: "boolean", default: false },
            "policy-pack-config": { type: "string" },
            drills: { type: "boolean", default: false },
            help: { type: "boolean", short: "h" },
        },
        strict: true,
    });
    if (values.help) {
        process.stdout.write(
            `${USAGE}\n  --root: the project folder (default: this repository): Pulumi.yaml, the stack file, the migrations and deployed/<stack>.json; the program runs in it, as under pulumi preview\n`,
        );
        return 0;
    }
    const format = outputFormat(values.format, values.json ?? false);
    if (!values.stack) throw new UsageError(`--stack is required; shipped stacks: ${shippedStacks().join(", ")}.`);
    let stack;
    try {
        stack = readStackFile(values.stack, projectFolder(values.root));
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    const parsed = parseStackConfig(stack.config);
    if (!parsed.ok) {
        process.stderr.write(`Pulumi.${stack.stack}.yaml: ${formatIssues(parsed.issues)}\n`);
        return 2;
    }
    const topology = planTopology(parsed.config);
    const packConfig = await packConfigOf(values["policy-pack-config"], values["skip-policies"] ?? false, parsed.config);
    // The pack starts while the program runs (it takes seconds to load); stopped on every path.
    const pack = values["skip-policies"] ? undefined : PolicyPackProcess.start();
    // Handled here so that a failed start is not counted as the program's unhandled rejection.
    pack?.catch(() => undefined);
    try {
        return await planWithPolicies(stack, parsed.config, topology, format, pack && { pack, config: packConfig }, values.drills ?? false);
    } finally {
        // PolicySession.finish stops the pack; this covers the paths that never reach it.
        await pack?.then((p) => p.stop()).catch(() => undefined);
    }
}

/** The pack's config: what the stack implies, then the `--policy-pack-config` file if given. */
async function packConfigOf(file: string | undefined, skip: boolean, config: StackConfig): Promise<PackConfig> {
    const base = packConfigFor(config);
    if (file === undefined) return base;
    if (skip)
        throw new UsageError("--policy-pack-config configures the policy pack, which --skip-policies leaves out; give one or the other.");
    // Loaded only here: the policies' names and config schemas, as the pack reports them to the CLI.
    const { policies } = await import("../policies/all");
    try {
        return readPackConfigFile(userPath(file), policies, base);
    } catch (e) {
        throw e instanceof PackConfigError ? new UsageError(e.message) : e;
    }
}

async function planWithPolicies(
    stack: ReturnType<typeof readStackFile>,
    config: StackConfig,
    topology: Topology,
    format: Format,
    pack: { readonly pack: Promise<PolicyPackProcess>; readonly config: PackConfig } | undefined,
    drills = false,
): Promise<number> {
    let migrations: Migration[];
    let run: ProgramRun;
    // Like the engine, the pack analyzes each resource as it registers, then the whole stack.
    const session = pack ? new PolicySession(pack.pack, pack.config) : undefined;
    try {
        // The program reads migrations from the project folder it runs in; so does the plan.
        migrations = loadMigrations(config, stack.root, topology);
        run = await runProgram(stack, undefined, { onRecord: session && ((r) => session.step(analyzedOf(r))) });
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        process.stderr.write(`Pulumi.${stack.stack}.yaml: ${e.message}\n`);
        return 2;
    }
    const plan = planDocument(run, config, topology, migrations);
    const policies: PolicyReport | undefined = session ? await session.finish(plan.resources) : undefined;
    const doc: PlanDocument = policies ? { ...plan, policies } : plan;
    const text =
        format === "json"
            ? JSON.stringify(doc, null, 2) + "\n"
            : format === "mermaid"
              ? renderMermaid(doc) + "\n"
              : renderText(doc) +
                (drills ? "\n\n" + renderDrills(doc.drills, doc.failover) : "") +
                (policies ? "\n" + policyLines(policies).join("\n") : "") +
                "\n\n" +
                renderTradeoffs(doc.tradeoffs) +
                "\n";
    // Wait for the pipe to take it all: process.exit would cut off a large document.
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    const problems = deployabilityLines(doc);
    const mandatory = policies?.violations.filter((v) => v.level === "mandatory") ?? [];
    if (policies && mandatory.length > 0) process.stderr.write(policyLines({ ...policies, violations: mandatory }).join("\n") + "\n");
    if (doc.deployability.violations.length === 0 && doc.deployability.failures.length === 0) return mandatory.length > 0 ? 3 : 0;
    process.stderr.write(problems.join("\n") + "\n");
    return 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            // For scripts/bench.ts: the process's own peak memory, which no portable parent can read.
            if (process.env.PLAN_REPORT_USAGE) process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`);
            process.exit(code);
        },
        (err: unknown) => {
            if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
                process.stderr.write(`plan: ${(err as Error).message}\n${USAGE}\n`);
                process.exit(2);
            }
            process.stderr.write(`plan failed: ${(err as Error).stack ?? String(err)}\n`);
            process.exit(1);
        },
    );
}

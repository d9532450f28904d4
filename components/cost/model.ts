/**
 * Modelled monthly cost of a stack from its planned resources (type, region, inputs) and the dated
 * price table (prices.ts), with the usage assumptions of assumptions.ts. Pure: no I/O.
 *
 * Every priced resource becomes a line; a resource whose price no stored source gave becomes an
 * unknown, reported and left out of every sum. The baseline is the same app deployed in the
 * primary region alone: that region's planned resources (same app tier, same CockroachDB node
 * count and machine type, i.e. the primary region alone with its nodes surviving a zone failure)
 * and no global load balancer (one region needs none). The ratio compares priced totals only.
 */
import { assumptionLines, DEFAULT_ASSUMPTIONS, type UsageAssumptions } from "./assumptions";
import { PRICE_TABLE_DATE, priceOf, PRICES, type PriceEntry } from "./prices";

/** What the model reads of a planned resource (the plan document's `resources[]` entries). */
export interface CostResource {
    readonly type: string;
    readonly name: string;
    readonly region: string | null;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** What the model reads of the config. */
export interface CostConfig {
    readonly regions: readonly { readonly crdbRegion: string; readonly primary: boolean }[];
    readonly cloudflare: { readonly plan: string };
}

export const CATEGORIES = [
    "database nodes",
    "database disks",
    "app tier",
    "load balancers",
    "network",
    "keys and secrets",
    "backups",
    "global traffic",
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface CostLine {
    readonly region: string | null;
    readonly category: Category;
    /** The priced dimension, e.g. `m6i.xlarge hours`. */
    readonly item: string;
    readonly resource: string;
    readonly quantity: number;
    readonly unit: string;
    readonly unitUsd: number;
    readonly monthlyUsd: number;
    readonly sku: string;
}

export interface UnknownCost {
    readonly region: string | null;
    readonly category: Category;
    readonly item: string;
    readonly resource: string;
    /** Why it is not priced: no stored source for the price, or priced by contract. */
    readonly reason: string;
}

export interface CostSummary {
    /** Priced monthly USD, rounded to cents. */
    readonly total: number;
    readonly byRegion: Record<string, number>;
    readonly byCategory: Partial<Record<Category, number>>;
    readonly lines: CostLine[];
    readonly unknowns: UnknownCost[];
}

export interface CostReport extends CostSummary {
    readonly currency: "USD";
    /** Date of the price table; prices change. */
    readonly priceTableDate: string;
    readonly assumptions: string[];
    /** Charges the model does not price at all (usage-based, or outside the plan). */
    readonly notModelled: string[];
    readonly baseline: CostSummary & { readonly definition: string; readonly region: string };
    /** total / baseline.total, or null when the baseline has no priced line. */
    readonly ratio: number | null;
    /** How far the ratio can be trusted: which unknowns it leaves out. */
    readonly ratioNote: string;
    /** The design's headline figure for region affinity, for comparison. */
    readonly designRatio: 2.1;
    /** Price-free comparison: database nodes and minimum app instances, stack vs baseline. */
    readonly capacity: {
        readonly nodes: number;
        readonly baselineNodes: number;
        readonly appInstances: number;
        readonly baselineAppInstances: number;
    };
    /** Every price entry the report used, with its source and dates. */
    readonly prices: PriceEntry[];
}

/** Charges outside the model, stated so a reader does not take the total for a bill. */
export const NOT_MODELLED = [
    "CockroachDB Enterprise licence: priced by contract with Cockroach Labs; not included",
    "data transfer: internet egress, cross-AZ, cross-region and cross-cloud replication traffic",
    "CloudWatch Logs ingestion and storage (app logs, VPC flow logs), S3 access-log buckets, requests to KMS, Secrets Manager and S3",
    "capacity units of the internal SQL network load balancers (NLCU) and the Cloud Run request charge",
    "public IPv4 addresses of the internet-facing ALBs (AWS assigns them; one per AZ node)",
    "Route 53 private hosted zones and Cloud DNS managed zones",
];

const round = (x: number): number => Math.round(x * 100) / 100;
/** Cloud Run CPU limit in vCPU: `"2"`, `2` or millicores `"2000m"`; undefined when unreadable, 1 when unset. */
export function cpuOf(v: unknown): number | undefined {
    if (v === undefined) return 1;
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(v).trim());
    if (!m) return undefined;
    return Number(m[1]) / (m[2] === "m" ? 1000 : 1);
}

/** Versions a Cloud KMS key holds at the end of its first year: 1, plus one per rotation (`"7776000s"`). */
export function versionsInFirstYear(rotationPeriod: unknown): number {
    const seconds = /^(\d+)s$/.exec(String(rotationPeriod ?? ""))?.[1];
    return seconds ? 1 + Math.floor((365 * 86400) / Number(seconds)) : 1;
}

const num = (v: unknown): number | undefined =>
    typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !isNaN(Number(v)) ? Number(v) : undefined;

/** The priced dimension of one resource, before its price is looked up. */
interface Need {
    readonly category: Category;
    readonly item: string;
    readonly sku: string;
    readonly quantity: number;
    readonly unit: string;
    /** Set when the charge is known not to be list-priced (contract). */
    readonly contract?: string;
}

/** GiB from a Cloud Run memory limit (`2048Mi`, `2Gi`, `512M`). */
function gibOf(limit: unknown): number | undefined {
    if (typeof limit !== "string") return undefined;
    const m = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)?$/.exec(limit.trim());
    if (!m) return undefined;
    const n = Number(m[1]);
    return m[2] === "Mi" || m[2] === "M" ? n / 1024 : n;
}

function needsOf(r: CostResource, all: readonly CostResource[], config: CostConfig, a: UsageAssumptions): Need[] {
    const h = a.hoursPerMonth;
    const i = r.inputs;
    switch (r.type) {
        case "aws:ec2/instance:Instance": {
            const needs: Need[] = [
                {
                    category: "database nodes",
                    item: `${String(i.instanceType)} hours`,
                    sku: `aws.ec2.${String(i.instanceType)}`,
                    quantity: h,
                    unit: "hour",
                },
            ];
            const root = i.rootBlockDevice as { volumeSize?: unknown; volumeType?: unknown } | undefined;
            const size = num(root?.volumeSize);
            if (size !== undefined)
                needs.push({
                    category: "database disks",
                    item: `root ${String(root?.volumeType ?? "gp3")} GB`,
                    sku: `aws.ebs.${String(root?.volumeType ?? "gp3")}.storage`,
                    quantity: size,
                    unit: "GB-month",
                });
            return needs;
        }
        case "aws:ebs/volume:Volume": {
            const type = String(i.type ?? "gp2");
            const needs: Need[] = [
                {
                    category: "database disks",
                    item: `${type} GB`,
                    sku: `aws.ebs.${type}.storage`,
                    quantity: num(i.size) ?? 0,
                    unit: "GB-month",
                },
            ];
            const iops = num(i.iops) ?? 0;
            const tput = num(i.throughput) ?? 0;
            // gp3 includes 3,000 IOPS and 125 MB/s; only provisioned performance above that is billed.
            if (type === "gp3" && iops > 3000)
                needs.push({
                    category: "database disks",
                    item: "gp3 IOPS above 3,000",
                    sku: "aws.ebs.gp3.iops",
                    quantity: iops - 3000,
                    unit: "IOPS-month",
                });
            if (type === "gp3" && tput > 125)
                needs.push({
                    category: "database disks",
                    item: "gp3 MB/s above 125",
                    sku: "aws.ebs.gp3.throughput",
                    quantity: tput - 125,
                    unit: "MBps-month",
                });
            return needs;
        }
        case "aws:ec2/natGateway:NatGateway":
            return [
                { category: "network", item: "NAT gateway hours", sku: "aws.nat.hour", quantity: h, unit: "hour" },
                { category: "network", item: "NAT GB processed (assumed)", sku: "aws.nat.gb", quantity: a.natGbPerMonth, unit: "GB" },
            ];
        case "aws:ec2/eip:Eip":
            return [{ category: "network", item: "public IPv4 hours", sku: "aws.publicIpv4", quantity: h, unit: "hour" }];
        case "aws:lb/loadBalancer:LoadBalancer":
            if (i.loadBalancerType === "network")
                return [
                    {
                        category: "load balancers",
                        item: `NLB${i.internal ? " (internal)" : ""} hours`,
                        sku: "aws.nlb.hour",
                        quantity: h,
                        unit: "hour",
                    },
                ];
            return [
                { category: "load balancers", item: "ALB hours", sku: "aws.alb.hour", quantity: h, unit: "hour" },
                {
                    category: "load balancers",
                    item: "ALB LCU-hours (assumed)",
                    sku: "aws.alb.lcu",
                    quantity: h * a.albLcuPerHour,
                    unit: "LCU-hour",
                },
            ];
        case "aws:ecs/service:Service": {
            if (i.launchType !== "FARGATE") return [];
            // The service references its task definition by ARN, which ends with the definition's name.
            const arn = String(i.taskDefinition ?? "");
            const task = all.find(
                (t) => t.type === "aws:ecs/taskDefinition:TaskDefinition" && t.region === r.region && arn.endsWith(`:${t.name}`),
            );
            const tasks = num(i.desiredCount) ?? 1;
            const vcpu = (num(task?.inputs.cpu) ?? NaN) / 1024;
            const gb = (num(task?.inputs.memory) ?? NaN) / 1024;
            return [
                {
                    category: "app tier",
                    item: `Fargate vCPU-hours (${tasks} tasks x ${vcpu} vCPU)`,
                    sku: "aws.fargate.vcpu",
                    quantity: tasks * vcpu * h,
                    unit: "vCPU-hour",
                },
                {
                    category: "app tier",
                    item: `Fargate GB-hours (${tasks} tasks x ${gb} GB)`,
                    sku: "aws.fargate.gb",
                    quantity: tasks * gb * h,
                    unit: "GB-hour",
                },
            ];
        }
        case "aws:kms/key:Key":
            return [{ category: "keys and secrets", item: "KMS key", sku: "aws.kms.key", quantity: 1, unit: "key-month" }];
        case "aws:secretsmanager/secret:Secret":
            return [
                {
                    category: "keys and secrets",
                    item: "Secrets Manager secret",
                    sku: "aws.secretsmanager.secret",
                    quantity: 1,
                    unit: "secret-month",
                },
            ];
        case "aws:s3/bucket:Bucket":
        case "gcp:storage/bucket:Bucket": {
            // Only the backup buckets hold a predictable volume; log buckets are usage (not modelled).
            if (!r.name.endsWith("-backups")) return [];
            const disks = all.filter(
                (d) => d.region === r.region && (d.type === "aws:ebs/volume:Volume" || d.type === "gcp:compute/disk:Disk"),
            );
            const gb = disks.reduce((s, d) => s + (num(d.inputs.size) ?? 0), 0) * a.backupCopiesOfDataDisks;
            const sku = r.type.startsWith("aws:") ? "aws.s3.standard" : `gcp.gcs.${String(i.storageClass ?? "STANDARD").toLowerCase()}`;
            return [{ category: "backups", item: "backup GB stored (assumed)", sku, quantity: gb, unit: "GB-month" }];
        }
        case "gcp:compute/instance:Instance": {
            const needs: Need[] = [
                {
                    category: "database nodes",
                    item: `${String(i.machineType)} hours`,
                    sku: `gcp.gce.${String(i.machineType)}`,
                    quantity: h,
                    unit: "hour",
                },
            ];
            const boot = (i.bootDisk as { initializeParams?: { size?: unknown; type?: unknown } } | undefined)?.initializeParams;
            const size = num(boot?.size);
            if (size !== undefined)
                needs.push({
                    category: "database disks",
                    item: `boot ${String(boot?.type ?? "pd-standard")} GB`,
                    sku: `gcp.disk.${String(boot?.type ?? "pd-standard")}`,
                    quantity: size,
                    unit: "GB-month",
                });
            return needs;
        }
        case "gcp:compute/disk:Disk":
            return [
                {
                    category: "database disks",
                    item: `${String(i.type ?? "pd-standard")} GB`,
                    sku: `gcp.disk.${String(i.type ?? "pd-standard")}`,
                    quantity: num(i.size) ?? 0,
                    unit: "GB-month",
                },
            ];
        case "gcp:compute/address:Address":
            return i.addressType === "EXTERNAL"
                ? [{ category: "network", item: "external IPv4 in use, hours", sku: "gcp.address.external", quantity: h, unit: "hour" }]
                : [];
        case "gcp:compute/routerNat:RouterNat":
            return [
                { category: "network", item: "Cloud NAT gateway hours", sku: "gcp.nat.hour", quantity: h, unit: "hour" },
                { category: "network", item: "Cloud NAT GB processed (assumed)", sku: "gcp.nat.gb", quantity: a.natGbPerMonth, unit: "GB" },
            ];
        case "gcp:compute/forwardingRule:ForwardingRule":
            return [
                {
                    category: "load balancers",
                    item: `forwarding rule (${String(i.loadBalancingScheme ?? "EXTERNAL").toLowerCase()}) hours`,
                    sku: "gcp.forwardingRule.regional",
                    quantity: h,
                    unit: "hour",
                },
            ];
        case "gcp:cloudrunv2/service:Service": {
            const t = i.template as
                | {
                      scaling?: { minInstanceCount?: unknown };
                      containers?: { resources?: { limits?: Record<string, unknown>; cpuIdle?: unknown } }[];
                  }
                | undefined;
            const min = num(t?.scaling?.minInstanceCount) ?? 0;
            const res = t?.containers?.[0]?.resources;
            // An unreadable CPU limit is reported as "quantity not in the plan", not priced as a guess.
            const cpu = cpuOf(res?.limits?.cpu) ?? NaN;
            const gib = gibOf(res?.limits?.memory) ?? 0.5;
            // cpuIdle unset with `resources` set means CPU always allocated (instance-based billing):
            // SDK doc of ServiceTemplateContainerResources.cpuIdle, node_modules/@pulumi/gcp/types/input.d.ts.
            const always = res === undefined ? false : res.cpuIdle !== true;
            if (min === 0) return [];
            const tier = a.cloudRunTier1Regions.includes(r.region ?? "") ? "tier1" : "tier-unknown";
            const mode = always ? "alwaysAllocated" : "requestOnly";
            const seconds = min * h * 3600;
            return [
                {
                    category: "app tier",
                    item: `Cloud Run vCPU-seconds (${min} min instances x ${cpu} vCPU, ${always ? "always allocated" : "idle"})`,
                    sku: `gcp.cloudrun.${mode}.cpu.${tier}`,
                    quantity: seconds * cpu,
                    unit: "vCPU-second",
                },
                {
                    category: "app tier",
                    item: `Cloud Run GiB-seconds (${min} x ${gib} GiB)`,
                    sku: `gcp.cloudrun.${mode}.memory.${tier}`,
                    quantity: seconds * gib,
                    unit: "GiB-second",
                },
            ];
        }
        case "gcp:kms/cryptoKey:CryptoKey":
            return [
                {
                    category: "keys and secrets",
                    item: "Cloud KMS key versions",
                    sku: "gcp.kms.keyVersion",
                    // Every rotation adds a version that stays billed: those of the first year.
                    quantity: versionsInFirstYear(r.inputs.rotationPeriod),
                    unit: "key-month",
                },
            ];
        case "gcp:secretmanager/secret:Secret":
            return [
                {
                    category: "keys and secrets",
                    item: "Secret Manager secret version",
                    sku: "gcp.secretmanager.version",
                    quantity: 1,
                    unit: "version-month",
                },
            ];
        case "cloudflare:index/loadBalancer:LoadBalancer": {
            const pools = all.filter((p) => p.type === "cloudflare:index/loadBalancerPool:LoadBalancerPool");
            const origins = pools.reduce((s, p) => s + ((p.inputs.origins as unknown[] | undefined)?.length ?? 0), 0);
            const item = `Cloudflare Load Balancing (${config.cloudflare.plan}, ${pools.length} pools, ${origins} origins, steering ${String(i.steeringPolicy ?? "off")})`;
            if (config.cloudflare.plan === "enterprise")
                return [
                    {
                        category: "global traffic",
                        item,
                        sku: "cloudflare.lb",
                        quantity: 1,
                        unit: "month",
                        contract: "Enterprise Load Balancing is priced by contract",
                    },
                ];
            return [{ category: "global traffic", item, sku: `cloudflare.lb.${config.cloudflare.plan}`, quantity: 1, unit: "month" }];
        }
        default:
            return [];
    }
}

const NODE_TYPES = new Set(["aws:ec2/instance:Instance", "gcp:compute/instance:Instance"]);

/** Database nodes and minimum app instances (ECS desired count, Cloud Run min instances). */
function capacityOf(resources: readonly CostResource[]): { nodes: number; app: number } {
    let nodes = 0;
    let app = 0;
    for (const r of resources) {
        if (NODE_TYPES.has(r.type)) nodes += 1;
        if (r.type === "aws:ecs/service:Service") app += num(r.inputs.desiredCount) ?? 0;
        if (r.type === "gcp:cloudrunv2/service:Service")
            app += num((r.inputs.template as { scaling?: { minInstanceCount?: unknown } } | undefined)?.scaling?.minInstanceCount) ?? 0;
    }
    return { nodes, app };
}

/** Lines and unknowns of a set of resources, summed. */
function summarize(
    resources: readonly CostResource[],
    config: CostConfig,
    a: UsageAssumptions,
    table: readonly PriceEntry[],
    used: Set<PriceEntry>,
): CostSummary {
    const lines: CostLine[] = [];
    const unknowns: UnknownCost[] = [];
    for (const r of resources)
        for (const n of needsOf(r, resources, config, a)) {
            const price = n.contract ? undefined : priceOf(n.sku, r.region, table);
            if (!price || !Number.isFinite(n.quantity)) {
                unknowns.push({
                    region: r.region,
                    category: n.category,
                    item: n.item,
                    resource: r.name,
                    reason:
                        n.contract ??
                        (price ? "quantity not in the plan" : `no stored source for ${n.sku}${r.region ? ` in ${r.region}` : ""}`),
                });
                continue;
            }
            used.add(price);
            lines.push({
                region: r.region,
                category: n.category,
                item: n.item,
                resource: r.name,
                quantity: n.quantity,
                unit: n.unit,
                unitUsd: price.usd,
                monthlyUsd: n.quantity * price.usd,
                sku: n.sku,
            });
        }
    const byRegion: Record<string, number> = {};
    const byCategory: Partial<Record<Category, number>> = {};
    for (const l of lines) {
        const key = l.region ?? "(global)";
        byRegion[key] = (byRegion[key] ?? 0) + l.monthlyUsd;
        byCategory[l.category] = (byCategory[l.category] ?? 0) + l.monthlyUsd;
    }
    for (const k of Object.keys(byRegion)) byRegion[k] = round(byRegion[k] ?? 0);
    for (const k of Object.keys(byCategory) as Category[]) byCategory[k] = round(byCategory[k] ?? 0);
    return { total: round(lines.reduce((s, l) => s + l.monthlyUsd, 0)), byRegion, byCategory, lines, unknowns };
}

/**
 * Modelled monthly cost of the planned `resources`, and of the baseline (the primary region alone).
 * `options.prices` replaces the price table (tests, or a user's negotiated prices).
 */
export function costModel(
    resources: readonly CostResource[],
    config: CostConfig,
    options: { assumptions?: UsageAssumptions; prices?: readonly PriceEntry[] } = {},
): CostReport {
    const a = options.assumptions ?? DEFAULT_ASSUMPTIONS;
    const table = options.prices ?? PRICES;
    const used = new Set<PriceEntry>();
    const stack = summarize(resources, config, a, table, used);
    const primary = config.regions.find((r) => r.primary)?.crdbRegion ?? config.regions[0]?.crdbRegion ?? "";
    const primaryResources = resources.filter((r) => r.region === primary);
    const baseline = summarize(primaryResources, config, a, table, used);
    const cap = capacityOf(resources);
    const baseCap = capacityOf(primaryResources);
    // Without the baseline's compute the ratio would compare a few fees with each other.
    const baselineComputeUnknown = baseline.unknowns.some((u) => u.category === "database nodes" || u.category === "app tier");
    const ratio = baseline.total > 0 && !baselineComputeUnknown ? Math.round((stack.total / baseline.total) * 100) / 100 : null;
    const extraUnknowns = stack.unknowns.length - baseline.unknowns.length;
    const ratioNote = baselineComputeUnknown
        ? `not computed: the baseline's database nodes or app tier have no stored price in ${primary}`
        : stack.unknowns.length === 0 && baseline.unknowns.length === 0
          ? "every line priced"
          : baseline.unknowns.length === 0
            ? `a lower bound: the stack has ${stack.unknowns.length} unpriced items, the baseline none`
            : `priced lines only: ${stack.unknowns.length} unpriced items in the stack (${extraUnknowns} outside the primary region), ${baseline.unknowns.length} in the baseline`;
    return {
        currency: "USD",
        priceTableDate: PRICE_TABLE_DATE,
        assumptions: assumptionLines(a),
        notModelled: [...NOT_MODELLED],
        ...stack,
        baseline: {
            ...baseline,
            region: primary,
            definition: `the primary region ${primary} alone: its planned app tier, CockroachDB nodes (same count and machine type, surviving a zone failure), disks, network, keys and backups; no global load balancer`,
        },
        ratio,
        ratioNote,
        designRatio: 2.1,
        capacity: { nodes: cap.nodes, baselineNodes: baseCap.nodes, appInstances: cap.app, baselineAppInstances: baseCap.app },
        prices: [...used].sort((x, y) => x.sku.localeCompare(y.sku) || x.region.localeCompare(y.region)),
    };
}

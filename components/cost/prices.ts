/**
 * The dated price table of the modelled cost. Every entry names its source (URL), the date the
 * source gives for it (`asOf`, when it states one) and the date it was read here (`retrieved`, from
 * the stored copy of that page). Prices change: re-read the sources before relying on a figure.
 *
 * Region keys are CockroachDB-style (`aws-us-east-1`). `aws:*` / `gcp:*` means the source gives
 * one price with no regional variation. A figure no stored source gave is not here: the model
 * reports it as unknown and leaves it out of the sums (components/cost/model.ts).
 * List prices, on-demand, Linux, USD, before taxes, free tiers and discounts (savings plans,
 * committed use, sustained use).
 */

export const PRICE_TABLE_DATE = "2026-12-01";

export type PriceUnit =
    | "hour"
    | "GB-month"
    | "IOPS-month"
    | "MBps-month"
    | "GB"
    | "key-month"
    | "secret-month"
    | "version-month"
    | "vCPU-hour"
    | "GB-hour"
    | "vCPU-second"
    | "LCU-hour";

export interface PriceEntry {
    /** What is priced, e.g. `aws.ec2.m6i.xlarge`. */
    readonly sku: string;
    /** CockroachDB-style region, or `aws:*` / `gcp:*` for a price the source gives for every region. */
    readonly region: string;
    readonly usd: number;
    readonly unit: PriceUnit;
    readonly source: string;
    /** Date the source states for the figure (publication or "as of"), or null when it states none. */
    readonly asOf: string | null;
    /** Date the figure was read from the stored copy of the source. */
    readonly retrieved: string;
    readonly note?: string;
}

const R = PRICE_TABLE_DATE;

const CYCLENERD =
    "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/0166a59ebba7c36f2cc8c931d9f258dcebc44776/pricing.yml";

/** One entry per GCP region from the Cyclenerd pricing file. */
function gcp(sku: string, unit: PriceUnit, byRegion: Record<string, number>): PriceEntry[] {
    return Object.entries(byRegion).map(([region, usd]) => ({
        sku,
        region: `gcp-${region}`,
        usd,
        unit,
        source: CYCLENERD,
        asOf: "2025-03-06",
        retrieved: R,
    }));
}

export const PRICES: readonly PriceEntry[] = [
    // EC2 on-demand, Linux. Only us-east-1 had a stored source; other regions are unknown.
    {
        sku: "aws.ec2.m6i.xlarge",
        region: "aws-us-east-1",
        usd: 0.192,
        unit: "hour",
        source: "https://c3x.dev/blog/m5-vs-m6i-vs-m7i-cost-performance",
        asOf: "2026",
        retrieved: R,
        note: '"In us-east-1, the on-demand Linux prices for the xlarge size: m6i.xlarge: $0.192/hour"',
    },
    // EBS gp3, N. Virginia: storage, and IOPS/throughput above the free 3,000 IOPS / 125 MB/s.
    {
        sku: "aws.ebs.gp3.storage",
        region: "aws-us-east-1",
        usd: 0.08,
        unit: "GB-month",
        source: "https://www.saisci.com/aws/gp2-vs-gp3-cost-comparison-ebs-volumes/",
        asOf: "2021-02-04",
        retrieved: R,
        note: "quotes the Amazon EBS pricing page for N. Virginia",
    },
    {
        sku: "aws.ebs.gp3.iops",
        region: "aws-us-east-1",
        usd: 0.005,
        unit: "IOPS-month",
        source: "https://www.saisci.com/aws/gp2-vs-gp3-cost-comparison-ebs-volumes/",
        asOf: "2021-02-04",
        retrieved: R,
        note: "per provisioned IOPS above 3,000",
    },
    {
        sku: "aws.ebs.gp3.throughput",
        region: "aws-us-east-1",
        usd: 0.04,
        unit: "MBps-month",
        source: "https://www.saisci.com/aws/gp2-vs-gp3-cost-comparison-ebs-volumes/",
        asOf: "2021-02-04",
        retrieved: R,
        note: "per provisioned MB/s above 125",
    },
    // EBS gp3, Frankfurt: a worked example "in der Region eu-central-1 (Frankfurt)" on a dated page.
    {
        sku: "aws.ebs.gp3.storage",
        region: "aws-eu-central-1",
        usd: 0.0952,
        unit: "GB-month",
        source: "https://hendric-jabs.de/2023/11/02/gp3-in-2-minuten/",
        asOf: "2023-11-02",
        retrieved: R,
        note: '"GP3: Speicherkosten: 1024 GiB × $0,0952", same eu-central-1 example as its gp2 line',
    },
    {
        sku: "aws.ebs.gp3.iops",
        region: "aws-eu-central-1",
        usd: 0.006,
        unit: "IOPS-month",
        source: "https://hendric-jabs.de/2023/11/02/gp3-in-2-minuten/",
        asOf: "2023-11-02",
        retrieved: R,
        note: '"72 IOPS × $0,006", per provisioned IOPS above 3,000',
    },
    {
        sku: "aws.ebs.gp3.throughput",
        region: "aws-eu-central-1",
        usd: 0.048,
        unit: "MBps-month",
        source: "https://hendric-jabs.de/2023/11/02/gp3-in-2-minuten/",
        asOf: "2023-11-02",
        retrieved: R,
        note: '"125 MiB/s × $ 0.048", per provisioned MB/s above 125',
    },
    // NAT gateway, US East: hourly and per GB processed; public IPv4 addresses (EIPs) per hour.
    {
        sku: "aws.nat.hour",
        region: "aws-us-east-1",
        usd: 0.045,
        unit: "hour",
        source: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
        asOf: "2026-02-24",
        retrieved: R,
        note: '"Hourly provisioning charges ($0.045/hour in US East)"',
    },
    {
        sku: "aws.nat.gb",
        region: "aws-us-east-1",
        usd: 0.045,
        unit: "GB",
        source: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
        asOf: "2026-02-24",
        retrieved: R,
        note: "data processing, both directions",
    },
    {
        sku: "aws.publicIpv4",
        region: "aws:*",
        usd: 0.005,
        unit: "hour",
        source: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
        asOf: "2026-02-24",
        retrieved: R,
        note: '"Public IPv4 address costs ($0.005/hour per IP)", no region given',
    },
    // Application and Network Load Balancers, US East (us-east-1): hourly; ALB capacity units.
    {
        sku: "aws.alb.hour",
        region: "aws-us-east-1",
        usd: 0.0225,
        unit: "hour",
        source: "https://clustercost.com/blog/network-load-balancer-pricing-2025",
        asOf: "2025",
        retrieved: R,
        note: '"The Base Hourly Rate (US-East-1) ... ALB: $0.0225 per hour"; same rate on https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/ (2026-05-08)',
    },
    {
        sku: "aws.alb.lcu",
        region: "aws-us-east-1",
        usd: 0.008,
        unit: "LCU-hour",
        source: "https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/",
        asOf: "2026-05-08",
        retrieved: R,
        note: '"The LCU-hour bills $0.008 each"; region not named, beside the US East hourly rate',
    },
    {
        sku: "aws.nlb.hour",
        region: "aws-us-east-1",
        usd: 0.0225,
        unit: "hour",
        source: "https://clustercost.com/blog/network-load-balancer-pricing-2025",
        asOf: "2025",
        retrieved: R,
        note: '"The Base Hourly Rate (US-East-1) ... NLB: $0.0225 per hour"; NLCU usage not modelled',
    },
    // Fargate, Linux/x86, us-east-1.
    {
        sku: "aws.fargate.vcpu",
        region: "aws-us-east-1",
        usd: 0.04048,
        unit: "vCPU-hour",
        source: "https://www.wring.co/blog/aws-fargate-pricing-guide",
        asOf: "2026-03-10",
        retrieved: R,
        note: "same figure on https://www.vantage.sh/blog/fargate-pricing (us-east-1)",
    },
    {
        sku: "aws.fargate.gb",
        region: "aws-us-east-1",
        usd: 0.004445,
        unit: "GB-hour",
        source: "https://www.wring.co/blog/aws-fargate-pricing-guide",
        asOf: "2026-03-10",
        retrieved: R,
    },
    // KMS: one price for every key type and region on AWS's own page; each rotated backing key adds $1.
    {
        sku: "aws.kms.key",
        region: "aws:*",
        usd: 1,
        unit: "key-month",
        source: "https://aws.amazon.com/kms/pricing/",
        asOf: null,
        retrieved: R,
        note: '"Each AWS KMS key that you create in KMS costs $1/month"; each rotated backing key another $1/month',
    },
    {
        sku: "aws.secretsmanager.secret",
        region: "aws:*",
        usd: 0.4,
        unit: "secret-month",
        source: "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms",
        asOf: null,
        retrieved: R,
        note: '"$0.40 per secret per month + $0.05 per 10k API calls", no region given',
    },
    {
        sku: "aws.s3.standard",
        region: "aws-us-east-1",
        usd: 0.023,
        unit: "GB-month",
        source: "https://devnotes.tech/understanding-aws-s3-pricing-a-complete-cost-breakdown-with-examples",
        asOf: null,
        retrieved: R,
        note: "S3 Standard, first tier, US East",
    },
    // Cloud Run, instance-based billing ("CPU always allocated"), Tier 1 regions. The memory rate
    // was not in the stored copy: unknown.
    {
        sku: "gcp.cloudrun.alwaysAllocated.cpu.tier1",
        region: "gcp:*",
        usd: 0.000018,
        unit: "vCPU-second",
        source: "https://cloud.google.com/run/pricing",
        asOf: null,
        retrieved: R,
        note: "Tier 1 regions; which regions are Tier 1 is an assumption of the model (see assumptions)",
    },
    // Cloud KMS: the template's keys are SOFTWARE symmetric (components/regional/gcp/data.ts); one
    // price for every location on Google's page. Each rotation (90 days) adds an active version.
    {
        sku: "gcp.kms.keyVersion",
        region: "gcp:*",
        usd: 0.06,
        unit: "key-month",
        source: "https://cloud.google.com/kms/pricing/?hl=ja",
        asOf: "2025-03-17",
        retrieved: R,
        note: "active symmetric AES-256 key version, protection level SOFTWARE: $0.06 a month (page: prices effective 2025-03-17)",
    },
    // Secret Manager: billed per active version per location; the template's secrets replicate to
    // one user-managed location (components/regional/gcp/data.ts), so one version is one charge.
    {
        sku: "gcp.secretmanager.version",
        region: "gcp:*",
        usd: 0.06,
        unit: "version-month",
        source: "https://cloud.google.com/secret-manager/pricing?hl=ja&skip_cache=true",
        asOf: null,
        retrieved: R,
        note: "active secret version: $0.06 per version per location a month; the 6 free versions per billing account not applied",
    },
    // Compute Engine and Cloud Storage, per region: the pricing file of
    // Cyclenerd/google-cloud-pricing-cost-calculator (generated 2025-03-06 from Google Cloud's SKU
    // list by that project's build), stored commit 0166a59e. `hour` = on-demand, no sustained-use discount.
    ...gcp("gcp.gce.n2-standard-4", "hour", { "us-central1": 0.194236, "europe-west1": 0.213668 }),
    ...gcp("gcp.gce.n2-standard-2", "hour", { "us-central1": 0.097118, "europe-west1": 0.106834 }),
    ...gcp("gcp.disk.pd-ssd", "GB-month", { "us-central1": 0.17, "europe-west1": 0.17 }),
    ...gcp("gcp.disk.pd-balanced", "GB-month", { "us-central1": 0.1, "europe-west1": 0.1 }),
    ...gcp("gcp.gcs.standard", "GB-month", { "us-central1": 0.02, "europe-west1": 0.02 }),
    // compute.network.ip.vm: an external IPv4 address in use by a standard VM.
    ...gcp("gcp.address.external", "hour", { "us-central1": 0.005, "europe-west1": 0.005 }),
    // compute.network.nat.data: GiB processed by Cloud NAT. The gateway's own hourly charge is not
    // priced: the file's compute.network.nat.gateway (0.0448/h) is its per-VM SKU times 32, the cap for
    // 32+ VMs (build/pricing.pl), and the template's nodes leave through their own addresses, not NAT.
    ...gcp("gcp.nat.gb", "GB", { "us-central1": 0.045, "europe-west1": 0.045 }),
];

/** The entry for `sku` in `region` (CockroachDB-style), else the cloud-wide one, else undefined. */
export function priceOf(sku: string, region: string | null, table: readonly PriceEntry[] = PRICES): PriceEntry | undefined {
    const cloud = region?.split("-")[0];
    return table.find((p) => p.sku === sku && p.region === region) ?? table.find((p) => p.sku === sku && p.region === `${cloud}:*`);
}

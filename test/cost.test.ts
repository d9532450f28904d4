/**
 * Modelled cost (components/cost): the arithmetic against hand-computed cases, the price table's
 * sources and dates, prod's ratio against a hand-computed figure, and that unknown prices are
 * reported, never summed.
 */
import assert from "node:assert/strict";
import {
    costModel,
    cpuOf,
    versionsInFirstYear,
    PRICE_TABLE_DATE,
    PRICES,
    priceOf,
    renderCost,
    type CostConfig,
    type CostResource,
    type PriceEntry,
} from "../components/cost";
import { parseStackConfig } from "../components/validate";
import { readStackFile, runProgram } from "../scripts/offline";
import { plannedResources } from "../scripts/plan";

const R = "aws-us-east-1";
const ONE_REGION: CostConfig = { regions: [{ crdbRegion: R, primary: true }], cloudflare: { plan: "enterprise" } };
const res = (type: string, name: string, inputs: Record<string, unknown>, region: string | null = R): CostResource => ({
    type,
    name,
    region,
    inputs,
});

/** One AWS region with one of each priced resource; sizes chosen to make the sums easy by hand. */
function oneRegion(instanceType = "m6i.xlarge"): CostResource[] {
    return [
        res("aws:ec2/instance:Instance", "node-0", { instanceType, rootBlockDevice: { volumeSize: 20, volumeType: "gp3" } }),
        res("aws:ebs/volume:Volume", "node-0-data", { type: "gp3", size: 100, iops: 4000, throughput: 250 }),
        res("aws:ec2/natGateway:NatGateway", "nat-0", {}),
        res("aws:ec2/eip:Eip", "nat-0", { domain: "vpc" }),
        res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: false }),
        res("aws:ecs/taskDefinition:TaskDefinition", "app", { cpu: "512", memory: "1024" }),
        res("aws:ecs/service:Service", "app", {
            launchType: "FARGATE",
            desiredCount: 2,
            taskDefinition: "arn:aws:ecs:us-east-1:123456789012:app",
        }),
        res("aws:kms/key:Key", "key", {}),
        res("aws:secretsmanager/secret:Secret", "secret-app", {}),
        res("aws:s3/bucket:Bucket", "r-backups", {}),
        res("aws:s3/bucket:Bucket", "r-s3-logs", {}),
    ];
}

describe("cost: price table", () => {
    it("gives every entry a source URL, a retrieval date, a positive price and a known region form", () => {
        assert.ok(PRICES.length > 0);
        for (const p of PRICES) {
            const what = `${p.sku} ${p.region}`;
            assert.match(p.source, /^https:\/\/[^\s]+$/, `${what}: source`);
            assert.match(p.retrieved, /^\d{4}-\d{2}-\d{2}$/, `${what}: retrieved`);
            assert.ok(p.retrieved <= PRICE_TABLE_DATE, `${what}: retrieved after the table's date`);
            assert.ok(p.asOf === null || /^\d{4}(-\d{2}-\d{2})?$/.test(p.asOf), `${what}: asOf`);
            assert.ok(p.usd > 0 && Number.isFinite(p.usd), `${what}: price`);
            assert.match(p.region, /^(aws|gcp)(-[a-z0-9-]+|:\*)$/, `${what}: region`);
        }
    });

    it("has at most one entry per sku and region", () => {
        const keys = PRICES.map((p) => `${p.sku}@${p.region}`);
        assert.equal(new Set(keys).size, keys.length);
    });

    it("prefers a region's own entry over the cloud-wide one and finds none for another region", () => {
        const table: PriceEntry[] = [
            { sku: "x", region: "aws:*", usd: 1, unit: "hour", source: "https://example.com/a", asOf: null, retrieved: "2026-01-01" },
            {
                sku: "x",
                region: "aws-eu-west-1",
                usd: 2,
                unit: "hour",
                source: "https://example.com/b",
                asOf: null,
                retrieved: "2026-01-01",
            },
            {
                sku: "y",
                region: "aws-us-east-1",
                usd: 3,
                unit: "hour",
                source: "https://example.com/c",
                asOf: null,
                retrieved: "2026-01-01",
            },
        ];
        assert.equal(priceOf("x", "aws-eu-west-1", table)?.usd, 2);
        assert.equal(priceOf("x", "aws-us-west-2", table)?.usd, 1);
        assert.equal(priceOf("x", "gcp-us-central1", table), undefined);
        assert.equal(priceOf("y", "aws-us-west-2", table), undefined);
    });
});

describe("cost: arithmetic", () => {
    it("prices one region's resources as computed by hand", () => {
        const cost = costModel(oneRegion(), ONE_REGION);
        // By hand, 730 h: instance 0.192*730 = 140.16; root 20*0.08 = 1.60; data 100*0.08 = 8.00,
        // IOPS (4000-3000)*0.005 = 5.00, MB/s (250-125)*0.04 = 5.00; NAT 0.045*730 + 100*0.045 = 37.35;
        // EIP 0.005*730 = 3.65; ALB 0.0225*730 + 730*0.008 = 22.265; Fargate 2*0.5*730*0.04048 = 29.5504
        // + 2*1*730*0.004445 = 6.4897; KMS 1; secret 0.40; backups 100 GB*0.023 = 2.30 -> 262.7651.
        assert.equal(cost.total, 262.77);
        assert.deepEqual(cost.byRegion, { [R]: 262.77 });
        assert.equal(cost.byCategory["database nodes"], 140.16);
        assert.equal(cost.byCategory["database disks"], 19.6);
        assert.equal(cost.byCategory["network"], 41);
        assert.equal(cost.byCategory["load balancers"], 22.27);
        assert.equal(cost.byCategory["app tier"], 36.04);
        assert.equal(cost.byCategory["keys and secrets"], 1.4);
        assert.equal(cost.byCategory["backups"], 2.3);
        assert.deepEqual(cost.unknowns, []);
        // The region alone is its own baseline.
        assert.equal(cost.baseline.total, 262.77);
        assert.equal(cost.ratio, 1);
        assert.equal(cost.priceTableDate, PRICE_TABLE_DATE);
    });

    it("bills gp3 performance only above the included 3,000 IOPS and 125 MB/s", () => {
        const at = (iops: number, throughput: number) =>
            costModel([res("aws:ebs/volume:Volume", "v", { type: "gp3", size: 10, iops, throughput })], ONE_REGION).total;
        assert.equal(at(3000, 125), 0.8);
        assert.equal(at(3001, 126), 0.85);
    });

    it("changes with the instance type and the node count as the prices say", () => {
        const table: PriceEntry[] = [
            ...PRICES,
            {
                sku: "aws.ec2.m6i.2xlarge",
                region: R,
                usd: 0.384,
                unit: "hour",
                source: "https://example.com/test",
                asOf: null,
                retrieved: "2026-01-01",
            },
        ];
        const base = costModel(oneRegion(), ONE_REGION, { prices: table }).total;
        const bigger = costModel(oneRegion("m6i.2xlarge"), ONE_REGION, { prices: table }).total;
        assert.equal(Math.round((bigger - base) * 100) / 100, Math.round((0.384 - 0.192) * 730 * 100) / 100);
        const twoNodes = [...oneRegion(), res("aws:ec2/instance:Instance", "node-1", { instanceType: "m6i.xlarge" })];
        assert.equal(Math.round((costModel(twoNodes, ONE_REGION).total - base) * 100) / 100, 140.16);
    });

    it("reports an unknown price instead of summing it", () => {
        const resources = [...oneRegion(), res("aws:ec2/instance:Instance", "node-x", { instanceType: "z9.huge" })];
        const cost = costModel(resources, ONE_REGION);
        assert.equal(cost.total, 262.77);
        assert.equal(cost.unknowns.length, 1);
        assert.equal(cost.unknowns[0]?.resource, "node-x");
        assert.match(cost.unknowns[0]?.reason ?? "", /no stored source for aws\.ec2\.z9\.huge in aws-us-east-1/);
        assert.equal(
            cost.lines.some((l) => l.resource === "node-x"),
            false,
        );
        assert.match(renderCost(cost), /Not priced \(1 items, excluded from the sums\)/);
    });

    it("treats another region's resources as unknown where only us-east-1 has a price", () => {
        const other = oneRegion().map((r) => ({ ...r, region: "aws-eu-west-1" }));
        const cost = costModel([...oneRegion(), ...other], ONE_REGION);
        // Cloud-wide prices (KMS, Secrets Manager, public IPv4) still apply there: 1 + 0.40 + 3.65.
        assert.equal(cost.byRegion["aws-eu-west-1"], 5.05);
        assert.ok(cost.unknowns.some((u) => u.region === "aws-eu-west-1" && u.item === "m6i.xlarge hours"));
        assert.ok(cost.unknowns.some((u) => u.region === "aws-eu-west-1" && u.item === "gp3 GB"));
        assert.equal(cost.baseline.total, 262.77);
        assert.match(cost.ratioNote, /lower bound/);
    });

    it("prices Frankfurt gp3 from its own entries, not from us-east-1's", () => {
        const other = oneRegion().map((r) => ({ ...r, region: "aws-eu-central-1" }));
        const cost = costModel([...oneRegion(), ...other], ONE_REGION);
        // Cloud-wide 5.05 + gp3 at Frankfurt rates: root 20*0.0952 = 1.904, data 100*0.0952 = 9.52,
        // IOPS (4000-3000)*0.006 = 6, throughput (250-125)*0.048 = 6 -> 28.474.
        assert.equal(cost.byRegion["aws-eu-central-1"], 28.47);
        assert.ok(!cost.unknowns.some((u) => u.region === "aws-eu-central-1" && /gp3/.test(u.item)));
        // The instance itself still has no Frankfurt price.
        assert.ok(cost.unknowns.some((u) => u.region === "aws-eu-central-1" && u.item === "m6i.xlarge hours"));
    });

    it("does not compute a ratio when the baseline's own nodes have no price", () => {
        const cost = costModel(oneRegion("z9.huge"), ONE_REGION);
        assert.equal(cost.ratio, null);
        assert.match(cost.ratioNote, /not computed/);
        assert.match(renderCost(cost), /Ratio to the baseline: n\/a/);
    });

    it("leaves Cloudflare Enterprise Load Balancing to the contract and a self-serve plan unknown without a source", () => {
        const lb = [res("cloudflare:index/loadBalancer:LoadBalancer", "lb", { steeringPolicy: "dynamic_latency" }, null)];
        const enterprise = costModel(lb, ONE_REGION);
        assert.equal(enterprise.total, 0);
        assert.match(enterprise.unknowns[0]?.reason ?? "", /priced by contract/);
        const business = costModel(lb, { ...ONE_REGION, cloudflare: { plan: "business" } });
        assert.match(business.unknowns[0]?.reason ?? "", /no stored source for cloudflare\.lb\.business/);
    });

    it("reads Cloud Run CPU limits in millicores, reports an unreadable one, and counts a year of Cloud KMS versions", () => {
        assert.equal(cpuOf("2000m"), 2);
        assert.equal(cpuOf("2"), 2);
        assert.equal(cpuOf(undefined), 1);
        assert.equal(cpuOf("two"), undefined);
        assert.equal(versionsInFirstYear("7776000s"), 5);
        assert.equal(versionsInFirstYear("31536000s"), 2);
        assert.equal(versionsInFirstYear(undefined), 1);
    });

    it("bills Cloud Run minimum instances as always allocated unless cpuIdle is set", () => {
        const G = "gcp-us-central1";
        const config: CostConfig = { regions: [{ crdbRegion: G, primary: true }], cloudflare: { plan: "pro" } };
        const run = (resources: Record<string, unknown>) =>
            costModel(
                [
                    res(
                        "gcp:cloudrunv2/service:Service",
                        "app",
                        { template: { scaling: { minInstanceCount: 2 }, containers: [{ resources }] } },
                        G,
                    ),
                ],
                config,
            );
        // 2 instances * 730 h * 3600 s * 1 vCPU * $0.000018 = 94.608.
        assert.equal(run({ limits: { cpu: "1", memory: "2048Mi" } }).total, 94.61);
        const idle = run({ limits: { cpu: "1", memory: "2048Mi" }, cpuIdle: true });
        assert.equal(idle.total, 0);
        assert.ok(idle.unknowns.some((u) => /requestOnly\.cpu/.test(u.reason)));
    });
});

describe("cost: shipped prod stack", function () {
    // Runs the whole program under mocks; on a loaded machine that takes longer than mocha's default.
    this.timeout(180_000);
    let cost: ReturnType<typeof costModel>;

    before(async function () {
        const parsed = parseStackConfig(readStackFile("prod").config);
        assert.ok(parsed.ok);
        const run = await runProgram(readStackFile("prod"), undefined, { restore: true });
        cost = costModel(plannedResources(run), parsed.config);
    });

    it("matches the hand-computed baseline, total and ratio", () => {
        // Baseline aws-us-east-1 (3 x m6i.xlarge, 3 x 200 GB + 3 x 20 GB gp3, 1 NAT + 4 EIPs, 1 ALB,
        // 1 internal NLB, 2 Fargate tasks of 1 vCPU / 2 GB, 1 KMS key, 5 secrets, 600 GB of backups):
        // 420.48 + 4.80 + 48.00 + 37.35 + 14.60 + 22.265 + 16.425 + 72.0802 + 1 + 2.00 + 13.80 = 652.8002.
        assert.equal(cost.baseline.total, 652.8);
        assert.deepEqual(cost.baseline.unknowns, []);
        // gcp-us-central1: 3 x n2-standard-4 0.194236*730 = 425.37684, pd-ssd 3*200*0.17 = 102,
        // pd-balanced boot 3*20*0.10 = 6, Cloud Run CPU 2*730*3600*0.000018 = 94.608, 3 external
        // IPs 3*0.005*730 = 10.95, Cloud NAT 100*0.045 = 4.50, GCS 600*0.02 = 12, 1 Cloud KMS key
        // rotated every 90 days: 1 + floor(365/90) = 5 versions 5*0.06 = 0.30, + 4 secret versions
        // 4*0.06 = 0.24 -> 655.97484.
        assert.equal(cost.byRegion["gcp-us-central1"], 655.97);
        // gcp-europe-west1: the same with n2-standard-4 at 0.213668/h -> 698.53092.
        assert.equal(cost.byRegion["gcp-europe-west1"], 698.53);
        // Two other AWS regions, only their cloud-wide prices: 4 EIPs 14.60 + KMS 1 + 4 secrets 1.60.
        for (const region of ["aws-us-west-2", "aws-eu-west-1"]) assert.equal(cost.byRegion[region], 17.2, region);
        // aws-eu-central-1 adds its gp3: 3 x 200 GB data + 3 x 20 GB root at 0.0952 = 62.832 -> 80.032.
        assert.equal(cost.byRegion["aws-eu-central-1"], 80.03);
        assert.equal(cost.total, 2121.74);
        // 2121.74 / 652.80 = 3.2502.
        assert.equal(cost.ratio, 3.25);
        assert.match(cost.ratioNote, /lower bound/);
        assert.deepEqual(cost.capacity, { nodes: 18, baselineNodes: 3, appInstances: 12, baselineAppInstances: 2 });
    });

    it("reports what it could not price, region by region, and the contract-priced Cloudflare Enterprise", () => {
        for (const region of ["aws-us-west-2", "aws-eu-central-1", "aws-eu-west-1"])
            assert.ok(
                cost.unknowns.some((u) => u.region === region && u.item === "m6i.xlarge hours"),
                region,
            );
        for (const region of ["gcp-us-central1", "gcp-europe-west1"])
            assert.ok(
                cost.unknowns.some((u) => u.region === region && /cloudrun\.alwaysAllocated\.memory/.test(u.reason)),
                region,
            );
        assert.ok(cost.unknowns.some((u) => u.category === "global traffic" && /contract/.test(u.reason)));
        // Cloud KMS and Secret Manager have one Google price for every location: priced, not unknown.
        assert.ok(!cost.unknowns.some((u) => /gcp\.(kms|secretmanager)\./.test(u.reason)));
        assert.ok(cost.notModelled.some((n) => /CockroachDB Enterprise licence/.test(n)));
    });

    it("cites only entries of the price table", () => {
        for (const p of cost.prices) assert.ok(PRICES.includes(p), p.sku);
    });
});

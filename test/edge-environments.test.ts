/**
 * Edge environments, generated in memory and run through the offline harness with the real
 * program: the longest environment name, names AWS reserves as prefixes, one and the most nodes
 * per region, 24 regions over both clouds and domains, and every catalog region at least once.
 * Each must plan with every resource registered and no deployability violation (the 24 regions
 * with the raised quotas config asks for on a new account); a region config refuses must be
 * refused by name.
 */
import assert from "node:assert/strict";
import { formatIssues } from "../components/config";
import { parseStackConfig } from "../components/validate";
import { deployabilityViolations, formatViolation } from "../components/deployability";
import { REGIONS } from "../components/regions";
import type { CatalogRegion } from "../components/catalog-types";
import { ADDRESS_CAPACITY, readStackFile, runProgram, type StackFile } from "../scripts/offline";
import { plannedResources } from "../scripts/plan";
import { domainOf, generatedConfig, quotasAskedFor, type GeneratedEnvironment } from "../scripts/harness/generated";

interface Edge extends Omit<GeneratedEnvironment, "environment"> {
    environment?: string;
}

/** A stack config in memory: staging's settings with the edge's environment, regions and nodes. */
function edgeStack({ environment = "edge", ...rest }: Edge): StackFile {
    return { ...readStackFile("staging"), stack: environment, config: generatedConfig({ environment, ...rest }) };
}

const region = (cloud: string, name: string) => REGIONS.find((r) => r.cloud === cloud && r.region === name)!;
/** Regions the config accepts on their own (it may refuse some, e.g. AWS regions with fewer than 3 zones). */
const accepted = REGIONS.filter((r) => parseStackConfig(edgeStack({ regions: [r] }).config).ok);
const refused = REGIONS.filter((r) => !accepted.includes(r));
const aws = accepted.filter((r) => r.cloud === "aws");
const gcp = accepted.filter((r) => r.cloud === "gcp");

/** 24 regions: 12 per cloud, both domains on each, longest names first so the name limits bite. */
const longest = (rs: readonly CatalogRegion[], domain: string, n: number) =>
    rs
        .filter((r) => domainOf(r) === domain)
        .sort((a, b) => b.region.length - a.region.length || a.region.localeCompare(b.region))
        .slice(0, n);
const TWENTY_FOUR = [...longest(aws, "world", 6), ...longest(aws, "eu", 6), ...longest(gcp, "world", 6), ...longest(gcp, "eu", 6)];
/**
 * 72 nodes need more than a default account gives (one node security group rule and one return
 * route per node of the cluster): config refuses them, asking for the quota values that fit. Those
 * values, read from the refusal, as `backend:quotas` (the highest asked for each key).
 */
const refusalOf24 = parseStackConfig(edgeStack({ regions: TWENTY_FOUR }).config);
const ASKED_FOR_24 = quotasAskedFor(edgeStack({ regions: TWENTY_FOUR }).config);

/** What the 24-region run leaves out of the catalog, in two more environments. */
const rest = accepted.filter((r) => !TWENTY_FOUR.includes(r));
const REST = [rest.slice(0, Math.ceil(rest.length / 2)), rest.slice(Math.ceil(rest.length / 2))];

/** The whole catalog takes about a minute more; `EDGE_FULL_CATALOG=1 npm test` runs it. */
const FULL_CATALOG = process.env.EDGE_FULL_CATALOG === "1";

const EDGES: Record<string, Edge> = {
    "the longest environment name (16 characters)": {
        environment: "production-eu-01",
        regions: [region("aws", "us-east-1"), region("gcp", "europe-west1")],
    },
    'environment "sg"': { environment: "sg", regions: [region("aws", "eu-central-1"), region("gcp", "us-central1")] },
    'environment "internal"': { environment: "internal", regions: [region("aws", "eu-west-1"), region("gcp", "us-east1")] },
    "one node per region": { regions: [region("aws", "ap-southeast-2"), region("gcp", "asia-northeast1")], nodesPerRegion: 1 },
    "the most nodes per region with AWS (one per network zone)": {
        regions: [region("aws", "ca-central-1"), region("gcp", "southamerica-east1")],
        nodesPerRegion: 3,
    },
    "the most nodes per region on GCP (us-central1's four zones)": { regions: [region("gcp", "us-central1")], nodesPerRegion: 4 },
    // One cloud only: no federation, and no S3 policy without an S3 bucket (GCP) or GCS grants (AWS).
    "AWS only, in both domains": { regions: [region("aws", "us-west-2"), region("aws", "eu-west-3")] },
    "24 regions over both clouds and both domains, with the quotas config asked for": { regions: TWENTY_FOUR, quotas: ASKED_FOR_24 },
    ...(FULL_CATALOG
        ? { "the rest of the catalog (1 of 2)": { regions: REST[0]! }, "the rest of the catalog (2 of 2)": { regions: REST[1]! } }
        : {}),
};

describe("edge environments", function () {
    // The 24-region program run takes about 10 s alone and minutes on a busy machine.
    this.timeout(300000);
    const started = Date.now();
    // What scripts/register.js does for `npm run plan`: no source-mapped stack capture per promise.
    const saved = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
    before(() => {
        Error.stackTraceLimit = 3;
        delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    });
    after(() => {
        Error.stackTraceLimit = saved.limit;
        Error.prepareStackTrace = saved.prepare;
        process.stdout.write(`      (edge environments: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    });

    it("covers every catalog region: planned, refused by config naming it, or named no longer than a planned one", () => {
        const planned = new Set(Object.values(EDGES).flatMap((e) => e.regions));
        // Names grow with the region name and share its characters, so the longest planned region
        // of a cloud bounds every name limit for the shorter ones (EDGE_FULL_CATALOG plans them all).
        for (const r of accepted) {
            const longestPlanned = Math.max(...[...planned].filter((p) => p.cloud === r.cloud).map((p) => p.region.length));
            assert.ok(planned.has(r) || r.region.length <= longestPlanned, `${r.cloud} ${r.region} is in no edge environment`);
            if (FULL_CATALOG) assert.ok(planned.has(r), `${r.cloud} ${r.region} is in no edge environment`);
        }
        for (const r of refused) {
            const result = parseStackConfig(edgeStack({ regions: [r] }).config);
            assert.ok(!result.ok && formatIssues(result.issues).includes(r.region), `${r.cloud} ${r.region}`);
        }
        assert.ok(new Set(TWENTY_FOUR.map((r) => `${r.cloud}/${domainOf(r)}`)).size === 4 && TWENTY_FOUR.length === 24);
    });

    it("refuses 24 regions (72 nodes) on default quotas, naming both quotas and the values that fit", () => {
        assert.ok(!refusalOf24.ok, "72 nodes fit the default quotas");
        const text = formatIssues(refusalOf24.issues);
        // Node group: 72 nodes + 10 rules (Cloudflare-facing ALB, admin network, ...); private route
        // table: 72 nodes + default route + local route + one admin network.
        assert.match(
            text,
            /IPv4 inbound rules needs 82, above the default 60 of the AWS quota "Inbound or outbound rules per security group"/,
        );
        assert.match(text, /needs 75, above the default 50 of the AWS quota "Routes per route table"/);
        assert.deepEqual(ASKED_FOR_24, { inboundRulesPerSecurityGroup: 82, routesPerRouteTable: 75 });
        // Every AWS region of the 24 is named, once per quota.
        const awsOf24 = TWENTY_FOUR.filter((r) => r.cloud === "aws");
        assert.equal(refusalOf24.ok ? 0 : refusalOf24.issues.length, awsOf24.length * 2);
        for (const r of awsOf24) assert.match(text, new RegExp(`aws-${r.region}: private route table`));
    });

    it("refuses 24 regions when a raised quota is one below what config asked for", () => {
        for (const key of Object.keys(ASKED_FOR_24)) {
            const r = parseStackConfig(
                edgeStack({ regions: TWENTY_FOUR, quotas: { ...ASKED_FOR_24, [key]: ASKED_FOR_24[key]! - 1 } }).config,
            );
            assert.ok(!r.ok && formatIssues(r.issues).includes(`above the raised value in backend:quotas ${ASKED_FOR_24[key]! - 1}`), key);
        }
    });

    for (const [what, edge] of Object.entries(EDGES))
        it(`plans ${what}: every resource registered, no deployability violation`, async () => {
            const stack = edgeStack(edge);
            const parsed = parseStackConfig(stack.config);
            assert.ok(parsed.ok, parsed.ok ? "" : formatIssues(parsed.issues));
            const run = await runProgram(stack, undefined, { restore: true });
            assert.deepEqual(
                run.failures.map((f) => `${f.kind} ${f.subject}: ${f.message}`),
                [],
            );
            const resources = plannedResources(run);
            const nodes = resources.filter((r) => r.type === "aws:ec2/instance:Instance" || r.type === "gcp:compute/instance:Instance");
            assert.equal(nodes.length, edge.regions.length * (edge.nodesPerRegion ?? 3));
            // Against the limits config accepted: the raised backend:quotas values, else the defaults.
            assert.deepEqual(deployabilityViolations(resources, parsed.config.quotas).map(formatViolation), []);
        });

    it("has mocked addresses for the largest environment config accepts", async () => {
        // Public addresses per region, measured on one region of each cloud, times every accepted region.
        const perRegion = async (r: CatalogRegion) =>
            (await runProgram(edgeStack({ regions: [r] }), undefined, { restore: true })).mocks.addresses.allocated;
        const [awsEach, gcpEach] = [await perRegion(region("aws", "us-east-1")), await perRegion(region("gcp", "europe-west1"))];
        assert.ok(awsEach >= 3 && gcpEach >= 3);
        assert.ok(
            aws.length * awsEach + gcp.length * gcpEach <= ADDRESS_CAPACITY,
            `${aws.length} x ${awsEach} + ${gcp.length} x ${gcpEach}`,
        );
    });
});

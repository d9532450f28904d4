/**
 * Config refuses what a fresh AWS account would reject at `pulumi up`: regions the design cannot
 * deploy to, and environments above a default quota. Each limit is tested on both sides: the
 * largest environment that fits, and one more.
 */
import assert from "node:assert/strict";
import { type ConfigIssue } from "../components/config";
import { parseConfig } from "../components/validate";
import { AWS_QUOTAS } from "../components/deployability/quotas";
import { awsQuotaUsage } from "../components/deployability/usage";
import { REGIONS } from "../components/regions";
import { NETWORK_ZONES, regionRefusal } from "../components/topology";
import { shippedStacks } from "../scripts/offline";
import { FIXTURE, fixtureConfig, shippedConfig } from "./support";

type Raw = Record<string, any>;

const AWS = REGIONS.filter((r) => r.cloud === "aws" && r.zones.length >= NETWORK_ZONES);
const GCP = REGIONS.filter((r) => r.cloud === "gcp");

/** An environment of the given catalog regions, one domain serving all their countries. */
function envOf(regions: typeof REGIONS, mutate: (raw: Raw) => void = () => {}): Raw {
    const raw = structuredClone(FIXTURE) as Raw;
    raw.domains = [{ name: "all", countries: [...new Set(regions.map((r) => r.country))] }];
    raw.regions = regions.map((r, i) => ({ cloud: r.cloud, region: r.region, domain: "all", primary: i === 0 }));
    mutate(raw);
    return raw;
}

function issuesOf(raw: Raw): ConfigIssue[] {
    const result = parseConfig(raw);
    return result.ok ? [] : result.issues;
}

function accepted(raw: Raw): void {
    const issues = issuesOf(raw);
    assert.deepEqual(issues, [], issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
}

function refusedFor(raw: Raw, quota: keyof typeof AWS_QUOTAS, needs: number): ConfigIssue[] {
    const issues = issuesOf(raw);
    const q = AWS_QUOTAS[quota];
    const named = issues.filter((i) => i.message.includes(`"${q.name}" (${q.code}`));
    assert.ok(named.length > 0, `expected a ${quota} issue, got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
    for (const i of named) {
        assert.match(i.message, new RegExp(`needs ${needs}, above the (default|raised value in backend:quotas) \\d+`));
        assert.match(i.message, new RegExp(`--quota-code ${q.code.split("/")[1]} --desired-value ${needs}`));
        assert.match(i.message, new RegExp(`set backend:quotas\\.${quota}: ${needs}`));
    }
    return named;
}

describe("deployability: config keys", () => {
    it("reads network.natGateways and quotas, refusing unknown values with the key", () => {
        const issues = issuesOf(
            envOf(AWS.slice(0, 1), (r) => {
                r.network = { natGateways: "triple" };
                r.quotas = { elasticIps: 0, vpcs: 10 };
            }),
        );
        const keys = issues.map((i) => i.key).sort();
        assert.deepEqual(keys, ["backend:network.natGateways", "backend:quotas.elasticIps", "backend:quotas.vpcs"]);
        assert.match(
            issues.find((i) => i.key === "backend:network.natGateways")!.message,
            /must be 'single' or 'perZone'; received "triple"/,
        );
    });
});

describe("deployability: regions", () => {
    it("refuses an AWS region with fewer zones than the network spans, naming why and what to use", () => {
        const raw = envOf([...AWS.filter((r) => r.region === "us-east-1"), ...REGIONS.filter((r) => r.region === "us-west-1")], (r) => {
            r.cockroach.nodesPerRegion = 2;
        });
        const issues = issuesOf(raw);
        assert.equal(issues.length, 1, JSON.stringify(issues));
        assert.equal(issues[0]!.key, "backend:regions[1].region");
        assert.match(issues[0]!.message, /aws us-west-1 has 2 availability zones .* spans 3 .* use us-west-2 \(Boardman\)/);
    });

    it("accepts every other catalog region: the design deploys to each", () => {
        const refused = REGIONS.filter((r) => regionRefusal(r)).map((r) => `${r.cloud} ${r.region}`);
        assert.deepEqual(refused, ["aws us-west-1"]);
    });
});

describe("deployability: AWS default quotas", () => {
    it("fits the shipped stacks in every default quota", () => {
        for (const stack of shippedStacks())
            for (const use of awsQuotaUsage(shippedConfig(stack)))
                assert.ok(use.needs <= AWS_QUOTAS[use.quota].limit, `${stack}: ${use.what} needs ${use.needs}`);
    });

    it("fits prod and staging together in one account: no AWS region's Elastic IPs above the default", () => {
        const perRegion = new Map<string, number>();
        for (const stack of shippedStacks())
            for (const use of awsQuotaUsage(shippedConfig(stack)).filter((u) => u.quota === "elasticIps"))
                perRegion.set(use.region!, (perRegion.get(use.region!) ?? 0) + use.needs);
        assert.ok(perRegion.size > 0);
        for (const [region, needs] of perRegion)
            assert.ok(needs <= AWS_QUOTAS.elasticIps.limit, `${region}: the shipped stacks need ${needs} Elastic IPs together`);
    });

    describe("Elastic IPs per region (5)", () => {
        it("fits 3 nodes and one NAT gateway (4), the default", () => {
            const c = fixtureConfig();
            assert.equal(c.network.natGateways, "single");
            const eips = awsQuotaUsage(c).filter((u) => u.quota === "elasticIps");
            assert.deepEqual(
                eips.map((u) => u.needs),
                [4, 4],
            );
        });
        it("fits NAT per zone with 2 nodes (5), refuses it with 3 (6) naming network.natGateways", () => {
            accepted(envOf(AWS.slice(0, 1), (r) => ((r.network = { natGateways: "perZone" }), (r.cockroach.nodesPerRegion = 2))));
            const [issue] = refusedFor(
                envOf(AWS.slice(0, 1), (r) => (r.network = { natGateways: "perZone" })),
                "elasticIps",
                6,
            );
            assert.equal(issue!.key, "backend:network.natGateways");
            assert.match(issue!.message, /--region us-east-1 /);
            assert.match(issue!.message, /set network\.natGateways: single/);
        });
        it("accepts NAT per zone with 3 nodes once the raised quota is in backend:quotas", () => {
            accepted(envOf(AWS.slice(0, 1), (r) => ((r.network = { natGateways: "perZone" }), (r.quotas = { elasticIps: 6 }))));
            refusedFor(
                envOf(AWS.slice(0, 1), (r) => ((r.network = { natGateways: "perZone" }), (r.quotas = { elasticIps: 5 }))),
                "elasticIps",
                6,
            );
        });
    });

    // One node per region, so the count moves one address at a time; one admin network (IPv4).
    const nodes = (n: number, extra: (raw: Raw) => void = () => {}) =>
        envOf([...AWS, ...GCP].slice(0, n), (r) => {
            r.cockroach.nodesPerRegion = 1;
            extra(r);
        });

    describe("routes per route table (50)", () => {
        // Default route + local route + one per node + one admin network.
        it("fits 47 nodes (50 routes), refuses 48 (51)", () => {
            accepted(nodes(47));
            const refused = refusedFor(nodes(48), "routesPerRouteTable", 51);
            assert.equal(refused.length, AWS.length, "one issue per AWS region");
            assert.equal(refused[0]!.key, "backend:regions");
        });
    });

    describe("inbound rules per security group (60)", () => {
        // Node group, IPv4: on 26257 a rule per node of the cluster + the region's own node's private
        // address + admin + the NLB group; on 8080 admin + 3 NLB addresses + the NLB group = nodes + 8.
        const routesRaised = (r: Raw) => (r.quotas = { routesPerRouteTable: 1000 });
        it("fits 52 nodes (60 rules), refuses 53 (61)", () => {
            accepted(nodes(52, routesRaised));
            refusedFor(nodes(53, routesRaised), "inboundRulesPerSecurityGroup", 61);
        });
    });

    describe("role trust policy length (2,048 characters)", () => {
        const gcpHeavy = (gcpRegions: number) =>
            envOf([AWS[0]!, ...GCP.slice(0, gcpRegions)], (r) => {
                r.cockroach.nodesPerRegion = 1;
            });
        it("fits 36 GCP regions next to AWS, refuses 37", () => {
            accepted(gcpHeavy(36));
            const [issue] = refusedFor(gcpHeavy(37), "roleTrustPolicyLength", 2056);
            assert.match(issue!.message, /cross-cloud backup role test-crdb-backups-from-gcp/);
            assert.match(issue!.message, /request-service-quota-increase --region us-east-1 --service-code iam /);
        });
    });
});

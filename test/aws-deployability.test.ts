/**
 * What a first `pulumi up` on a fresh AWS account would reject, checked on the pure builders the
 * AWS regional stack uses: security group texts, names built from the environment, and the default
 * quotas an environment counts against.
 */
import assert from "node:assert/strict";
import { nodeFirewallRules } from "../components/cluster/firewall";
import { nodeIngress, SG_DESCRIPTIONS, SG_TEXT, sgText } from "../components/regional/aws/securityGroups";
import { awsLoadBalancerName, awsSecurityGroupName, s3BucketName } from "../components/regional/naming";
import { REGIONS } from "../components/regions";
import { planTopology } from "../components/topology";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig } from "./support";

/** The charset of EC2's API reference, written out independently of SG_TEXT. */
const ALLOWED = new Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*");
const inCharset = (text: string) => text.length <= 255 && [...text].every((c) => ALLOWED.has(c));

describe("AWS security group texts", () => {
    it("accepts exactly EC2's charset, and nothing else", () => {
        assert.ok(SG_TEXT.test("a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*"));
        for (const bad of [
            "Cloudflare's edge",
            'say "hi"',
            "why?",
            "tab\there",
            "caf\u00e9",
            "back\\slash",
            "<html>",
            "100%",
            "a|b",
            "~",
            "`",
            "^",
        ]) {
            assert.ok(!SG_TEXT.test(bad), bad);
            assert.throws(() => sgText(bad), /not a valid AWS security group description/);
        }
        assert.ok(SG_TEXT.test("x".repeat(255)));
        assert.ok(!SG_TEXT.test("x".repeat(256)));
    });

    it("builds every group and rule description inside the charset", () => {
        for (const [role, build] of Object.entries(SG_DESCRIPTIONS)) {
            const text = build("aws-ap-southeast-3");
            assert.ok(inCharset(text), `${role}: "${text}"`);
        }
    });

    it("keeps the node firewall's rule descriptions inside the charset, on every shipped stack", () => {
        for (const stack of shippedStacks()) {
            const topology = planTopology(shippedConfig(stack));
            const ips = topology.regions.flatMap((p, r) => p.nodes.map((n) => `203.0.113.${10 * r + n.index + 1}`));
            for (const plan of topology.regions) {
                const rules = nodeFirewallRules({
                    clusterPublicIps: ips,
                    regionPrivateIps: plan.nodes.map((n) => n.privateIp),
                    appCidrs: [],
                    loadBalancerGroup: true,
                    adminCidrs: ["198.51.100.0/28"],
                    healthCheckCidrs: plan.sqlEndpointIps,
                });
                for (const block of nodeIngress(rules, "sg-0123456789abcdef0"))
                    assert.ok(inCharset(String(block.description)), `${stack} ${plan.name}: "${String(block.description)}"`);
            }
        }
    });
});

describe("AWS names built from the environment", () => {
    // Environment names the config accepts (1-16 of a-z, 0-9, '-', starting with a letter) that
    // run into a prefix AWS reserves, plus ordinary ones.
    const environments = [
        "sg",
        "sg-1",
        "sgx",
        "internal",
        "internal-a",
        "internalx",
        "sthree",
        "sthree-x",
        "xn--a",
        "amzn-s3-demo",
        "amzn-s3-demo-abc",
        "prod",
        "staging",
        "p",
        "abcdefghijklmnop",
    ];
    const awsRegions = REGIONS.filter((r) => r.cloud === "aws").map((r) => `aws-${r.region}`);
    // Source: EC2 API_CreateSecurityGroup, ELBv2 API_CreateLoadBalancer, S3 bucket naming rules.
    const validGroup = (n: string) => n.length <= 255 && SG_TEXT.test(n) && !n.toLowerCase().startsWith("sg-");
    const validLoadBalancer = (n: string) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(n) && !n.startsWith("internal-");
    const validBucket = (n: string) =>
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(n) &&
        !n.includes("..") &&
        !["xn--", "sthree-", "amzn-s3-demo-"].some((p) => n.startsWith(p)) &&
        !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].some((p) => n.endsWith(p));

    it("are valid for every environment name the config accepts, in every AWS region", () => {
        for (const env of environments)
            for (const region of awsRegions) {
                for (const role of ["app", "alb", "sql", "cockroach-node"]) {
                    const name = awsSecurityGroupName(env, region, role);
                    assert.ok(validGroup(name), `security group "${name}"`);
                }
                for (const role of ["app", "sql"]) {
                    const name = awsLoadBalancerName(env, region, role);
                    assert.ok(validLoadBalancer(name), `load balancer "${name}"`);
                }
                for (const role of ["backups", "alb-logs", "access-logs"]) {
                    const name = s3BucketName(env, region, role, "123456789012", "a1b2c3");
                    assert.ok(validBucket(name), `bucket "${name}"`);
                }
            }
    });

    it("stay distinct per environment, region and role", () => {
        const seen = new Map<string, string>();
        for (const env of environments)
            for (const region of awsRegions)
                for (const role of ["app", "sql"]) {
                    const name = awsLoadBalancerName(env, region, role);
                    const who = `${env} ${region} ${role}`;
                    assert.ok(!seen.has(name), `${who} and ${seen.get(name)} share ${name}`);
                    seen.set(name, who);
                }
    });

    it("keep the names of environments that were already valid", () => {
        assert.equal(awsSecurityGroupName("prod", "aws-us-east-1", "app"), "prod-aws-us-east-1-app");
        assert.equal(awsLoadBalancerName("prod", "aws-us-east-1", "sql"), "prod-aws-us-east-1-sql");
        assert.equal(
            s3BucketName("prod", "aws-us-east-1", "backups", "123456789012", "a1b2c3"),
            "prod-aws-us-east-1-backups-123456789012-a1b2c3",
        );
        assert.equal(awsSecurityGroupName("sg", "aws-us-east-1", "app"), "aws-us-east-1-sg-app");
        assert.equal(awsLoadBalancerName("internal", "aws-us-east-1", "app"), "aws-us-east-1-internal-app");
        assert.equal(
            s3BucketName("sthree", "aws-eu-west-1", "backups", "123456789012", "a1b2c3"),
            "aws-eu-west-1-sthree-backups-123456789012-a1b2c3",
        );
    });
});

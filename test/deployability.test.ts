/**
 * The deployability table and engine, pure: a compliant plan passes, each constraint catches its
 * violation, and every limit is tested on both sides.
 */
import assert from "node:assert/strict";
import {
    AWS_QUOTAS,
    checkPlan,
    CONSTRAINTS,
    COUNTS,
    deployabilityViolations,
    effectiveLimit,
    formatViolation,
    valuesAt,
    type PlannedInput,
} from "../components/deployability";
import { CHECKED_AWS_QUOTAS } from "../components/deployability/settings";
import { formatIssues } from "../components/config";
import { parseStackConfig } from "../components/validate";
import { readStackFile } from "../scripts/offline";

let serial = 0;
function res(type: string, inputs: Record<string, unknown>, region: string | null = "aws-us-east-1", name = `r${++serial}`): PlannedInput {
    return { urn: `urn:pulumi:t::p::${type}::${name}`, id: `${name}-id`, type, name, region, inputs };
}

/** Violations of one resource, as `property: rule` strings. */
function problems(type: string, inputs: Record<string, unknown>): string[] {
    return deployabilityViolations([res(type, inputs)]).map((v) => `${v.property}: ${v.rule}`);
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const x = (n: number, ch = "a") => ch.repeat(n);

describe("deployability: constraint table", () => {
    it("names a source for every constraint and quota", () => {
        for (const c of CONSTRAINTS) assert.match(c.source, /^(https:\/\/|@pulumi\/)/, c.rule);
        for (const c of COUNTS) assert.match(AWS_QUOTAS[c.quota].source, /^https:\/\//, c.quota);
    });

    it("accepts a compliant resource of every constrained type", () => {
        const ok = [
            res(SG, {
                name: "prod-aws-us-east-1-app",
                description: "App tasks of aws-us-east-1",
                ingress: [{ description: "HTTPS from Cloudflare (cloudflare.com/ips)", cidrBlocks: ["10.0.0.0/8"] }],
            }),
            res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {
                description: "App port from the ALB",
                securityGroupId: "x",
            }),
            res("aws:lb/loadBalancer:LoadBalancer", { name: x(32) }),
            res("aws:lb/targetGroup:TargetGroup", { name: "prod-aws-us-east-1-sql" }),
            res("aws:iam/role:Role", { name: x(64), assumeRolePolicy: JSON.stringify({ Version: "2012-10-17" }) }),
            res("aws:s3/bucket:Bucket", { bucket: "prod-aws-us-east-1-backups-123456789012" }),
            res("aws:secretsmanager/secret:Secret", { name: "prod/aws-us-east-1/node-0" }),
            res("aws:kms/alias:Alias", { name: "alias/prod-aws-us-east-1" }),
            res("aws:ec2/instance:Instance", { userData: x(16 * 1024) }),
            res("aws:cloudwatch/logGroup:LogGroup", { name: "/ecs/prod-aws-us-east-1-app" }),
            res("gcp:compute/instance:Instance", {
                name: x(63),
                metadata: { "startup-script": x(262144) },
                labels: { role: "cockroach-node" },
            }),
            res("gcp:serviceaccount/account:Account", { accountId: "prod-crdb-101" }),
            res("gcp:storage/bucket:Bucket", { name: "acme-prod-gcp-us-central1-backups" }),
            res("gcp:cloudrunv2/service:Service", {
                template: { containers: [{ startupProbe: { failureThreshold: 24, periodSeconds: 10 } }] },
            }),
            res("cloudflare:index/loadBalancerPool:LoadBalancerPool", { name: "prod-aws-us-east-1" }),
        ];
        assert.deepEqual(deployabilityViolations(ok).map(formatViolation), []);
    });

    it("AWS security groups: apostrophes in group and rule descriptions, inline and separate", () => {
        assert.deepEqual(problems(SG, { description: "the region's app tier" }), [
            "description: group description: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        ]);
        assert.equal(problems(SG, { ingress: [{ description: "it's" }] }).length, 1);
        assert.equal(problems(SG, { egress: [{ description: "it's" }] }).length, 1);
        assert.equal(problems("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { description: "it's" }).length, 1);
        assert.equal(problems("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", { description: "é" }).length, 1);
        assert.deepEqual(problems(SG, { description: "a-z A-Z 0-9 ._-:/()#,@[]+=&;{}!$*" }), []);
        assert.deepEqual(problems(SG, { description: x(255) }), []);
        assert.equal(problems(SG, { description: x(256) }).length, 1);
    });

    it("AWS security group names: not sg-, at most 255", () => {
        assert.equal(problems(SG, { name: "sg-app" }).length, 1);
        assert.equal(problems(SG, { name: "SG-app" }).length, 1, "AWS compares the prefix without case");
        assert.deepEqual(problems(SG, { name: "sgapp" }), []);
        assert.deepEqual(problems(SG, { name: x(255) }), []);
        assert.equal(problems(SG, { name: x(256) }).length, 1);
    });

    it("load balancers and target groups: 32 alphanumerics and hyphens, no edge hyphen, LB not internal-", () => {
        const LB = "aws:lb/loadBalancer:LoadBalancer";
        const TG = "aws:lb/targetGroup:TargetGroup";
        for (const t of [LB, TG]) {
            assert.deepEqual(problems(t, { name: x(32) }), []);
            assert.equal(problems(t, { name: x(33) }).length, 1);
            assert.equal(problems(t, { name: "-a" }).length, 1);
            assert.equal(problems(t, { name: "a-" }).length, 1);
            assert.equal(problems(t, { name: "a_b" }).length, 1);
        }
        assert.equal(problems(LB, { name: "internal-app" }).length, 1);
        assert.deepEqual(problems(TG, { name: "internal-app" }), [], "only load balancer names reserve internal-");
        assert.deepEqual(problems(LB, { name: "internalapp" }), []);
    });

    it("IAM: role 64, instance profile and inline policy 128, charset, trust policy quota", () => {
        assert.deepEqual(problems("aws:iam/role:Role", { name: x(64) }), []);
        assert.equal(problems("aws:iam/role:Role", { name: x(65) }).length, 1);
        assert.equal(problems("aws:iam/role:Role", { name: "a/b" }).length, 1);
        assert.deepEqual(problems("aws:iam/instanceProfile:InstanceProfile", { name: x(128) }), []);
        assert.equal(problems("aws:iam/instanceProfile:InstanceProfile", { name: x(129) }).length, 1);
        assert.deepEqual(problems("aws:iam/rolePolicy:RolePolicy", { name: "a+=,.@_-" + x(120) }), []);
        assert.equal(problems("aws:iam/rolePolicy:RolePolicy", { name: x(129) }).length, 1);
        const limit = AWS_QUOTAS.roleTrustPolicyLength.limit;
        assert.deepEqual(problems("aws:iam/role:Role", { assumeRolePolicy: x(limit) }), []);
        assert.equal(problems("aws:iam/role:Role", { assumeRolePolicy: x(limit + 1) }).length, 1);
    });

    it("S3 bucket names: 3-63, lowercase, letter or digit at both ends, no IP, reserved prefixes and suffixes", () => {
        const B = "aws:s3/bucket:Bucket";
        assert.deepEqual(problems(B, { bucket: "abc" }), []);
        assert.deepEqual(problems(B, { bucket: x(63) }), []);
        for (const bad of [
            "ab",
            x(64),
            "Abc",
            "abc-",
            "-abc",
            "a..b",
            "192.168.1.1",
            "xn--abc",
            "abc-s3alias",
            "sthree-abc",
            "abc--ol-s3",
            "abc.mrap",
            "amzn-s3-demo-abc",
        ])
            assert.ok(problems(B, { bucket: bad }).length > 0, bad);
    });

    it("Secrets Manager, KMS aliases, CloudWatch log groups, ECS names", () => {
        assert.deepEqual(problems("aws:secretsmanager/secret:Secret", { name: x(512) }), []);
        assert.equal(problems("aws:secretsmanager/secret:Secret", { name: x(513) }).length, 1);
        assert.equal(problems("aws:secretsmanager/secret:Secret", { name: "a b" }).length, 1);
        assert.deepEqual(problems("aws:kms/alias:Alias", { name: "alias/" + x(250) }), []);
        assert.equal(problems("aws:kms/alias:Alias", { name: "alias/" + x(251) }).length, 1);
        assert.equal(problems("aws:kms/alias:Alias", { name: "prod" }).length, 1);
        assert.equal(problems("aws:kms/alias:Alias", { name: "alias/aws/x" }).length, 1);
        assert.deepEqual(problems("aws:cloudwatch/logGroup:LogGroup", { name: "/" + x(511) }), []);
        assert.equal(problems("aws:cloudwatch/logGroup:LogGroup", { name: "/" + x(512) }).length, 1);
        assert.equal(problems("aws:cloudwatch/logGroup:LogGroup", { name: "/ecs/a b" }).length, 1);
        for (const [t, p] of [
            ["aws:ecs/cluster:Cluster", "name"],
            ["aws:ecs/service:Service", "name"],
            ["aws:ecs/taskDefinition:TaskDefinition", "family"],
        ]) {
            assert.deepEqual(problems(t!, { [p!]: x(255) }), []);
            assert.equal(problems(t!, { [p!]: x(256) }).length, 1);
            assert.equal(problems(t!, { [p!]: "a.b" }).length, 1);
        }
    });

    it("EC2 user data: 16 KB before base64, counted in bytes", () => {
        const I = "aws:ec2/instance:Instance";
        assert.deepEqual(problems(I, { userData: x(16384) }), []);
        assert.equal(problems(I, { userData: x(16385) }).length, 1);
        assert.equal(problems(I, { userData: x(16383) + "é" }).length, 1, "é is two bytes");
    });

    it("AWS default tags: keys 128 and not aws:, values 256", () => {
        const P = "pulumi:providers:aws";
        const tags = (t: Record<string, string>) => ({ defaultTags: JSON.stringify({ tags: t }) });
        assert.deepEqual(problems(P, tags({ [x(128)]: x(256) })), []);
        assert.equal(problems(P, tags({ [x(129)]: "v" })).length, 1);
        assert.equal(problems(P, tags({ "aws:x": "v" })).length, 1);
        assert.equal(problems(P, tags({ k: x(257) })).length, 1);
    });

    it("GCP names: RFC 1035, 63 characters", () => {
        for (const t of ["gcp:compute/instance:Instance", "gcp:compute/firewall:Firewall", "gcp:compute/routerNat:RouterNat"]) {
            assert.deepEqual(problems(t, { name: "a" + x(62, "1") }), []);
            assert.equal(problems(t, { name: x(64) }).length, 1);
            for (const bad of ["1abc", "abc-", "Abc", "a_b"]) assert.equal(problems(t, { name: bad }).length, 1, bad);
        }
    });

    it("GCP labels: keys and values 63 of [a-z0-9_-], key starts with a letter, 64 labels", () => {
        const D = "gcp:compute/disk:Disk";
        assert.deepEqual(problems(D, { labels: { [x(63)]: x(63) } }), []);
        assert.equal(problems(D, { labels: { [x(64)]: "v" } }).length, 1);
        assert.equal(problems(D, { labels: { k: x(64) } }).length, 1);
        assert.equal(problems(D, { labels: { "1k": "v" } }).length, 1);
        assert.equal(problems(D, { labels: { k: "V" } }).length, 1);
        const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
        assert.deepEqual(problems(D, { labels: many(64) }), []);
        assert.equal(problems(D, { labels: many(65) }).length, 1);
        assert.equal(problems("pulumi:providers:gcp", { defaultLabels: JSON.stringify({ Env: "prod" }) }).length, 1);
    });

    it("GCE metadata: 256 KiB per value, under 512 KB in all, keys [a-zA-Z0-9-_] under 128 bytes", () => {
        const I = "gcp:compute/instance:Instance";
        assert.deepEqual(problems(I, { metadata: { a: x(262144) } }), []);
        assert.equal(problems(I, { metadata: { a: x(262145) } }).length, 1);
        assert.deepEqual(problems(I, { metadata: { a: x(262144 - 1), b: x(262144 - 2) } }), []);
        assert.deepEqual(problems(I, { metadata: { a: x(262144), b: x(262144 - 1) } }), [
            "metadata: metadata: all keys and values together under 512 KB",
        ]);
        assert.equal(problems(I, { metadata: { [x(128)]: "v" } }).length, 1);
        assert.equal(problems(I, { metadata: { "a.b": "v" } }).length, 1);
    });

    it("GCP ids: service accounts 6-30, secrets 255, buckets, key rings, workload identity pools", () => {
        const SA = "gcp:serviceaccount/account:Account";
        assert.deepEqual(problems(SA, { accountId: "a" + x(5, "1") }), []);
        assert.deepEqual(problems(SA, { accountId: x(30) }), []);
        assert.equal(problems(SA, { accountId: x(5) }).length, 1);
        assert.equal(problems(SA, { accountId: x(31) }).length, 1);
        assert.equal(problems(SA, { accountId: "1abcdef" }).length, 1);
        assert.deepEqual(problems("gcp:secretmanager/secret:Secret", { secretId: x(255) }), []);
        assert.equal(problems("gcp:secretmanager/secret:Secret", { secretId: x(256) }).length, 1);
        assert.equal(problems("gcp:secretmanager/secret:Secret", { secretId: "a/b" }).length, 1);
        const GB = "gcp:storage/bucket:Bucket";
        assert.deepEqual(problems(GB, { name: x(63) }), []);
        assert.equal(problems(GB, { name: x(64) }).length, 1);
        assert.equal(problems(GB, { name: "ab" }).length, 1);
        assert.equal(problems(GB, { name: "backups-" }).length, 1);
        assert.deepEqual(problems(GB, { name: `${x(63)}.${x(63)}` }), [], "dotted names may be longer");
        assert.deepEqual(problems("gcp:kms/keyRing:KeyRing", { name: x(63) }), []);
        assert.equal(problems("gcp:kms/keyRing:KeyRing", { name: x(64) }).length, 1);
        const WIP = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool";
        assert.deepEqual(problems(WIP, { workloadIdentityPoolId: x(4) }), []);
        assert.deepEqual(problems(WIP, { workloadIdentityPoolId: x(32) }), []);
        assert.equal(problems(WIP, { workloadIdentityPoolId: x(3) }).length, 1);
        assert.equal(problems(WIP, { workloadIdentityPoolId: x(33) }).length, 1);
        assert.equal(problems(WIP, { workloadIdentityPoolId: "gcp-pool" }).length, 1);
    });

    it("Cloud Run startup probe: failureThreshold x periodSeconds at most 240 s, defaults 3 x 10", () => {
        const S = "gcp:cloudrunv2/service:Service";
        const probe = (p: Record<string, number>) => ({ template: { containers: [{ startupProbe: p }] } });
        assert.deepEqual(problems(S, probe({ failureThreshold: 24, periodSeconds: 10 })), []);
        assert.deepEqual(problems(S, probe({ failureThreshold: 1, periodSeconds: 240 })), []);
        assert.equal(problems(S, probe({ failureThreshold: 25, periodSeconds: 10 })).length, 1);
        assert.equal(problems(S, probe({ failureThreshold: 30, periodSeconds: 10 })).length, 1);
        // Defaults (Cloud Run v2 Probe): failureThreshold 3, periodSeconds 10.
        assert.deepEqual(problems(S, probe({ failureThreshold: 24 })), []);
        assert.equal(problems(S, probe({ failureThreshold: 25 })).length, 1);
        assert.deepEqual(problems(S, probe({ periodSeconds: 80 })), []);
        assert.equal(problems(S, probe({ periodSeconds: 81 })).length, 1);
    });

    it("Cloudflare pool names: alphanumerics, hyphens and underscores", () => {
        const P = "cloudflare:index/loadBalancerPool:LoadBalancerPool";
        assert.deepEqual(problems(P, { name: "prod_aws-us-east-1" }), []);
        assert.equal(problems(P, { name: "prod.aws" }).length, 1);
    });

    it("skips values the plan cannot know", () => {
        assert.deepEqual(problems(SG, { name: "[unknown]", description: "[secret]" }), []);
    });

    it("reads paths through lists, maps, keys and JSON text", () => {
        assert.deepEqual(
            valuesAt({ a: JSON.stringify({ b: [{ c: 1 }, { c: 2 }] }) }, "a.b.*.c").map((v) => v.value),
            [1, 2],
        );
        assert.deepEqual(
            valuesAt({ m: { k1: 1, k2: 2 } }, "m.~").map((v) => v.value),
            ["k1", "k2"],
        );
    });
});

describe("deployability: certificates, flow logs, S3 logging, Cloudflare DNS records", () => {
    it("ACM: the certificate's first domain name at most 64 characters", () => {
        const C = "aws:acm/certificate:Certificate";
        const host = (n: number) => `${x(n - 12)}.example.com`;
        assert.deepEqual(problems(C, { domainName: host(64) }), []);
        assert.deepEqual(problems(C, { domainName: host(65) }), [
            "domainName: certificate domain name (the Common Name): 1-64 characters including periods",
        ]);
    });

    it("config refuses a cloudflare.hostname ACM cannot certify when a region is on AWS, not on GCP alone", () => {
        const stack = readStackFile("staging").config;
        const withHost = (n: number, regions?: unknown[]) => {
            const cf = JSON.parse(stack["backend:cloudflare"]!) as Record<string, unknown>;
            const config: Record<string, string> = {
                ...stack,
                "backend:cloudflare": JSON.stringify({ ...cf, hostname: `${x(n - 12)}.example.com` }),
            };
            if (regions) config["backend:regions"] = JSON.stringify(regions);
            return parseStackConfig(config);
        };
        assert.ok(withHost(64).ok);
        const refused = withHost(65);
        assert.ok(!refused.ok);
        assert.match(
            formatIssues(refused.issues),
            /backend:cloudflare\.hostname: "a+\.example\.com" is 65 characters, but a region is on AWS .* at most 64/,
        );
        const gcpOnly = [
            { cloud: "gcp", region: "us-east1", domain: "us", primary: true },
            { cloud: "gcp", region: "europe-west1", domain: "eu" },
        ];
        const r = withHost(65, gcpOnly);
        assert.ok(r.ok, r.ok ? "" : formatIssues(r.issues));
    });

    it("flow logs aggregate over 60 or 600 s; S3 ownership one of three; log prefix under 1,024 bytes", () => {
        const F = "aws:ec2/flowLog:FlowLog";
        assert.deepEqual(problems(F, { maxAggregationInterval: 60 }), []);
        assert.deepEqual(problems(F, { maxAggregationInterval: 600 }), []);
        assert.equal(problems(F, { maxAggregationInterval: 300 }).length, 1);
        const O = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
        assert.deepEqual(problems(O, { rule: { objectOwnership: "BucketOwnerEnforced" } }), []);
        assert.equal(problems(O, { rule: { objectOwnership: "BucketOwner" } }).length, 1);
        const L = "aws:s3/bucketLogging:BucketLogging";
        assert.deepEqual(problems(L, { targetPrefix: x(1023) }), []);
        assert.equal(problems(L, { targetPrefix: x(1024) }).length, 1);
    });

    it("Cloudflare DNS records: labels 63, name 253, comment on one line, TTL 1 or 30-86400", () => {
        const D = "cloudflare:index/dnsRecord:DnsRecord";
        const name253 = [x(63), x(63), x(63), x(61)].join(".");
        assert.deepEqual(problems(D, { name: `${name253}`, comment: "ACM validation", ttl: 60 }), []);
        assert.deepEqual(problems(D, { name: `_${x(62)}.api.example.com.`, ttl: 1 }), []);
        assert.equal(problems(D, { name: `${name253}x` }).length, 1);
        assert.equal(problems(D, { name: `${x(64)}.example.com` }).length, 1);
        assert.equal(problems(D, { comment: "two\nlines" }).length, 1);
        assert.deepEqual(problems(D, { ttl: 30 }), []);
        assert.deepEqual(problems(D, { ttl: 86400 }), []);
        assert.equal(problems(D, { ttl: 29 }).length, 1);
        assert.equal(problems(D, { ttl: 86401 }).length, 1);
    });
});

describe("deployability: quotas counted across the plan", () => {
    const eips = (n: number, region: string) => Array.from({ length: n }, () => res("aws:ec2/eip:Eip", { domain: "vpc" }, region));

    it("Elastic IPs per region: 5 pass, 6 fail, regions counted apart", () => {
        assert.deepEqual(deployabilityViolations([...eips(5, "aws-us-east-1"), ...eips(5, "aws-us-west-2")]), []);
        const v = deployabilityViolations([...eips(6, "aws-us-east-1"), ...eips(5, "aws-us-west-2")]);
        assert.equal(v.length, 1);
        assert.equal(v[0]!.resource, "aws-us-east-1");
        assert.match(formatViolation(v[0]!), /aws-us-east-1 Elastic IPs: 6 planned, default quota 5 per region.*amazon-vpc-limits/);
    });

    it("VPCs and internet gateways per region, NAT gateways per zone", () => {
        const vpcs = (n: number) => Array.from({ length: n }, () => res("aws:ec2/vpc:Vpc", {}));
        assert.deepEqual(deployabilityViolations(vpcs(5)), []);
        assert.equal(deployabilityViolations(vpcs(6)).length, 1);
        const subnetA = res("aws:ec2/subnet:Subnet", { availabilityZone: "us-east-1a" });
        const subnetB = res("aws:ec2/subnet:Subnet", { availabilityZone: "us-east-1b" });
        const nats = (n: number, subnet: PlannedInput) =>
            Array.from({ length: n }, () => res("aws:ec2/natGateway:NatGateway", { subnetId: subnet.id }));
        assert.deepEqual(deployabilityViolations([subnetA, subnetB, ...nats(5, subnetA), ...nats(5, subnetB)]), []);
        const v = deployabilityViolations([subnetA, subnetB, ...nats(6, subnetA), ...nats(1, subnetB)]);
        assert.deepEqual(
            v.map((x) => x.resource),
            ["aws-us-east-1 us-east-1a"],
        );
    });

    it("inbound rules per security group: inline and separate rules together, IPv4 and IPv6 apart", () => {
        const cidrs = (n: number, v6 = false) =>
            Array.from({ length: n }, (_, i) => (v6 ? `2001:db8:${i.toString(16)}::/48` : `10.0.${i}.0/24`));
        const group = (v4: number, v6: number) => res(SG, { ingress: [{ cidrBlocks: cidrs(v4), ipv6CidrBlocks: cidrs(v6, true) }] });
        assert.deepEqual(deployabilityViolations([group(60, 60)]), []);
        assert.deepEqual(
            deployabilityViolations([group(61, 0)]).map((v) => v.property),
            ["inbound IPv4 rules"],
        );
        assert.deepEqual(
            deployabilityViolations([group(0, 61)]).map((v) => v.property),
            ["inbound IPv6 rules"],
        );
        const g = group(59, 0);
        const rule = (extra: Record<string, unknown>) =>
            res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { securityGroupId: g.id, ...extra });
        assert.deepEqual(deployabilityViolations([g, rule({ cidrIpv4: "10.1.0.0/16" })]), []);
        const v = deployabilityViolations([g, rule({ cidrIpv4: "10.1.0.0/16" }), rule({ referencedSecurityGroupId: "other" })]);
        assert.deepEqual(
            v.map((x) => [x.resource, x.property]),
            [[g.urn, "inbound IPv4 rules"]],
        );
        // Egress rules of the old SecurityGroupRule resource do not count as inbound.
        const egress = res("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "egress", securityGroupId: g.id, cidrBlocks: cidrs(5) });
        assert.deepEqual(deployabilityViolations([g, egress]), []);
    });

    it("routes per route table: inline and separate routes together", () => {
        const routes = (n: number) => Array.from({ length: n }, (_, i) => ({ cidrBlock: `10.${i}.0.0/16` }));
        const table = res("aws:ec2/routeTable:RouteTable", { routes: routes(49) });
        const route = () => res("aws:ec2/route:Route", { routeTableId: table.id });
        assert.deepEqual(deployabilityViolations([table, route()]), []);
        assert.equal(deployabilityViolations([table, route(), route()]).length, 1);
    });

    it("counts against a quota raised in backend:quotas, on both sides of the raised value, naming the key", () => {
        const six = eips(6, "aws-us-east-1");
        assert.match(formatViolation(deployabilityViolations(six)[0]!), /6 planned, default quota 5 per region/);
        assert.deepEqual(deployabilityViolations(six, { elasticIps: 6 }), []);
        const [v] = deployabilityViolations(eips(7, "aws-us-east-1"), { elasticIps: 6 });
        assert.match(v!.problem, /^7 planned, raised quota 6 \(backend:quotas\.elasticIps\) per region \(ec2\/L-0263D0A3;/);
        // Another quota keeps its default.
        const routes = res("aws:ec2/routeTable:RouteTable", { routes: Array.from({ length: 51 }, () => ({})) });
        assert.equal(deployabilityViolations([routes], { elasticIps: 6 }).length, 1);
        assert.deepEqual(deployabilityViolations([routes], { routesPerRouteTable: 51 }), []);
        const group = (n: number) => res(SG, { ingress: [{ cidrBlocks: Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`) }] });
        assert.deepEqual(deployabilityViolations([group(82)], { inboundRulesPerSecurityGroup: 82 }), []);
        assert.match(
            deployabilityViolations([group(83)], { inboundRulesPerSecurityGroup: 82 })[0]!.problem,
            /83 planned, raised quota 82 \(backend:quotas\.inboundRulesPerSecurityGroup\)/,
        );
    });

    it("counts the role trust policy length per role against the default or the raised value", () => {
        const role = (n: number) => res("aws:iam/role:Role", { name: "r", assumeRolePolicy: x(n) });
        assert.deepEqual(deployabilityViolations([role(2048), role(2048)]), []);
        const [v] = deployabilityViolations([role(2049)]);
        assert.match(v!.problem, /^2049 planned, default quota 2048 per role \(iam\/L-C07B4B0D;/);
        assert.deepEqual(deployabilityViolations([role(4096)], { roleTrustPolicyLength: 4096 }), []);
        assert.match(
            deployabilityViolations([role(4097)], { roleTrustPolicyLength: 4096 })[0]!.problem,
            /4097 planned, raised quota 4096 \(backend:quotas\.roleTrustPolicyLength\)/,
        );
        // A trust policy the plan cannot know (an unknown output) is not counted.
        assert.deepEqual(deployabilityViolations([res("aws:iam/role:Role", { name: "r", assumeRolePolicy: "[unknown]" })]), []);
    });

    it("counts every quota backend:quotas can raise, by the same keys", () => {
        assert.deepEqual(
            [...CHECKED_AWS_QUOTAS].filter((k) => !COUNTS.some((c) => c.quota === k)),
            [],
        );
        for (const k of CHECKED_AWS_QUOTAS) assert.equal(effectiveLimit(k, {}).limit, AWS_QUOTAS[k].limit);
    });

    it("counts only the types a rule names", () => {
        assert.deepEqual(checkPlan(eips(9, "aws-us-east-1"), CONSTRAINTS, []), []);
    });
});

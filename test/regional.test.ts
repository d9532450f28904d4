/**
 * The regional stacks under the mocks with the real provider SDKs: one AWS and one GCP region of a
 * mixed environment, built side by side and compared capability by capability.
 */
import assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COCKROACH_PORT, CONSOLE_PORT } from "../components/cluster/ports";
import { awsQuotaUsage, LOCAL_ROUTES } from "../components/deployability/usage";
import { regionProvider } from "../components/providers";
import {
    AwsRegionalStack,
    GcpRegionalStack,
    REGIONAL_OUTPUT_KEYS,
    type RegionalStackArgs,
    type RegionalStackOutputs,
} from "../components/regional";
import { NodeAddresses } from "../components/regional/addresses";
import { CLOUDFLARE_IPV4 } from "../components/regional/cloudflareRanges";
import { CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS } from "../components/regional/gcp/app";
import { planTopology, type RegionPlan } from "../components/topology";
import { settle, type RecordedResource } from "../scripts/offline";
import { ofType as resourcesOfType, one as oneOfType, recorded, shippedConfig, value } from "./support";

const PEM = (what: string) => `-----BEGIN ${what}-----\nTUlYRUQ=\n-----END ${what}-----\n`;
const pair = (cn: string) => ({ certPem: PEM(`CERTIFICATE ${cn}`), keyPem: pulumi.secret(PEM(`PRIVATE KEY ${cn}`)) });

/** Stands in for `OriginCertificates`' validated ARN of the region. */
const ORIGIN_CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/validated-origin";

interface Built {
    readonly plan: RegionPlan;
    readonly stack: RegionalStackOutputs & pulumi.ComponentResource;
    /** Every resource registered under the regional stack (transitively). */
    readonly resources: RecordedResource[];
    readonly providerRef: string;
}

const config = shippedConfig("staging");
const randomProvider = new random.Provider("rt-random");
const topology = planTopology(config);
const built = new Map<string, Built>();

async function build(plan: RegionPlan, init: boolean): Promise<Built> {
    const provider = regionProvider(config, plan);
    const addresses = new NodeAddresses(`rt-${plan.name}-addresses`, { environment: config.environment, plan }, { provider });
    const args: RegionalStackArgs = {
        environment: config.environment,
        plan,
        app: config.app,
        cockroach: { ...config.cockroach, machineType: config.cockroach.machineType[plan.cloud] },
        addresses: addresses.addresses,
        cluster: {
            clusterPublicIps: ["203.0.113.10", "203.0.113.11", "203.0.113.12", "198.51.100.20", "198.51.100.21", "198.51.100.22"],
            join: ["203.0.113.10:26257", "198.51.100.20:26257", "203.0.113.11:26257"],
            caCertPem: PEM("CERTIFICATE CA"),
            nodeCertificates: plan.nodes.map((n) => pair(`node-${n.index}`)),
            appClient: pair("app"),
            appPassword: pulumi.secret("abcdefghijklmnop0123456789"),
            init: init ? { rootClient: pair("root"), licenseKey: pulumi.secret("crl-0-licence") } : undefined,
        },
        gcpProject: config.gcpProject,
        hostname: config.cloudflare.hostname,
        originTls: { certificateArn: ORIGIN_CERT_ARN },
    };
    const name = `rt-${plan.name}`;
    const opts = { provider, providers: [randomProvider] };
    const stack = plan.cloud === "aws" ? new AwsRegionalStack(name, args, opts) : new GcpRegionalStack(name, args, opts);
    await settle();
    const component = recorded.find((r) => r.name === name && r.type.startsWith("backend:regional:"));
    assert.ok(component, `${name} was not registered`);
    const under = (r: RecordedResource): boolean => {
        const parent = recorded.find((p) => p.urn === r.parent);
        return !!parent && (parent.urn === component.urn || under(parent));
    };
    const providerRecord = recorded.find((r) => r.name === plan.name && r.type === `pulumi:providers:${plan.cloud}`);
    assert.ok(providerRecord);
    return { plan, stack, resources: recorded.filter(under), providerRef: `${providerRecord.urn}::${plan.name}-provider-id` };
}

const aws = () => built.get("aws")!;
/** The AWS region under test: mocked ARNs carry it. */
const awsRegion = () => topology.regions.find((p) => p.cloud === "aws")!.region;
const gcp = () => built.get("gcp")!;
const both = () => [aws(), gcp()];
const ofType = (b: Built, type: string) => resourcesOfType(b.resources, type);
const one = (b: Built, type: string) => oneOfType(b.resources, type, b.plan.name);

describe("regional stacks: AWS and GCP side by side", function () {
    before(async () => {
        for (const plan of topology.regions) built.set(plan.cloud, await build(plan, plan.primary));
        assert.ok(built.has("aws") && built.has("gcp"), "the staging stack must hold one region per cloud");
    });

    it("expose the same output keys, with the same shapes", async () => {
        const shapes = await Promise.all(
            both().map(async ({ stack }) => {
                const origin = await value(stack.origin);
                const nodes = await value(stack.nodes);
                const sql = await value(stack.sqlEndpoint);
                return {
                    keys: REGIONAL_OUTPUT_KEYS.filter((k) => (stack as unknown as Record<string, unknown>)[k] !== undefined),
                    origin: Object.keys(origin).sort(),
                    node: Object.keys(nodes[0]!).sort(),
                    sql: Object.keys(sql).sort(),
                };
            }),
        );
        assert.deepEqual(shapes[0]!.keys, [...REGIONAL_OUTPUT_KEYS]);
        assert.deepEqual(shapes[1], shapes[0]);
        assert.equal(aws().stack.cloud, "aws");
        assert.equal(gcp().stack.cloud, "gcp");
    });

    it("group every cloud resource in the same four tier components on both clouds, each child aliased to its former parent", () => {
        for (const b of both()) {
            const stackUrn = recorded.find((r) => r.name === `rt-${b.plan.name}` && r.type.startsWith("backend:regional:"))!.urn;
            // The deployment's name suffixes stay where they were, under the stack.
            const direct = b.resources.filter((r) => r.parent === stackUrn && r.type !== "random:index/randomId:RandomId");
            const Cloud = b.plan.cloud === "aws" ? "Aws" : "Gcp";
            assert.deepEqual(direct.map((r) => `${r.type} ${r.name}`).sort(), [
                `backend:regional:${Cloud}AppTier rt-${b.plan.name}-app`,
                `backend:regional:${Cloud}DatabaseNodes rt-${b.plan.name}-nodes`,
                `backend:regional:${Cloud}Network rt-${b.plan.name}-network`,
                `backend:regional:${Cloud}RegionalData rt-${b.plan.name}-data`,
            ]);
            const tiers = new Set(direct.map((r) => r.urn));
            const inTiers = b.resources.filter((r) => r.parent !== null && tiers.has(r.parent));
            assert.ok(inTiers.length > 30, `${b.plan.name}: ${inTiers.length} resources in the tiers`);
            for (const r of inTiers) {
                assert.ok(r.name.startsWith(`rt-${b.plan.name}-`), `${r.name} does not keep the region's name`);
                // Some SDK types add aliases of their own (aws.lb: the old elasticloadbalancingv2 types).
                assert.ok(
                    r.aliases.some((a) => "parentUrn" in a && a.parentUrn === stackUrn && a.name === "" && a.type === ""),
                    `${r.type} ${r.name} does not alias the regional stack as its former parent`,
                );
            }
        }
    });

    it("give each region the same capabilities, each with its cloud's resource", () => {
        const capabilities: Record<string, [aws: string, gcp: string]> = {
            network: ["aws:ec2/vpc:Vpc", "gcp:compute/network:Network"],
            "NAT egress": ["aws:ec2/natGateway:NatGateway", "gcp:compute/routerNat:RouterNat"],
            "region key": ["aws:kms/key:Key", "gcp:kms/cryptoKey:CryptoKey"],
            "backup bucket": ["aws:s3/bucket:Bucket", "gcp:storage/bucket:Bucket"],
            secrets: ["aws:secretsmanager/secret:Secret", "gcp:secretmanager/secret:Secret"],
            "database nodes": ["aws:ec2/instance:Instance", "gcp:compute/instance:Instance"],
            "data disks": ["aws:ebs/volume:Volume", "gcp:compute/disk:Disk"],
            "internal SQL load balancer": ["aws:lb/targetGroup:TargetGroup", "gcp:compute/regionBackendService:RegionBackendService"],
            "private DNS for the SQL endpoint": ["aws:route53/zone:Zone", "gcp:dns/managedZone:ManagedZone"],
            "app tier": ["aws:ecs/service:Service", "gcp:cloudrunv2/service:Service"],
        };
        for (const [capability, [a, g]] of Object.entries(capabilities)) {
            assert.ok(ofType(aws(), a).length > 0, `AWS region lacks ${capability} (${a})`);
            assert.ok(ofType(gcp(), g).length > 0, `GCP region lacks ${capability} (${g})`);
        }
        for (const b of both()) {
            const instances = ofType(b, `${b.plan.cloud}:${b.plan.cloud === "aws" ? "ec2/instance" : "compute/instance"}:Instance`);
            assert.equal(instances.length, b.plan.nodes.length, `${b.plan.name}: one instance per planned node`);
        }
    });

    it("run every resource through the region's explicit provider", () => {
        for (const b of both())
            for (const r of b.resources.filter((x) => x.custom && !x.type.startsWith("random:")))
                assert.equal(r.provider, b.providerRef, `${r.urn} does not use the ${b.plan.name} provider`);
    });

    it("tag or label every taggable resource with its region's residency domain", () => {
        for (const b of both()) {
            const [providerUrn] = b.providerRef.split(/::(?=[^:]+$)/);
            const provider = recorded.find((r) => r.urn === providerUrn)!;
            const raw = b.plan.cloud === "aws" ? provider.inputs.defaultTags : provider.inputs.defaultLabels;
            const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>;
            const defaults = (b.plan.cloud === "aws" ? parsed.tags : parsed) as Record<string, string>;
            assert.equal(defaults["residency-domain"], b.plan.domain);
            assert.equal(defaults["crdb-region"], b.plan.name);
            const key = b.plan.cloud === "aws" ? "tags" : "labels";
            const taggable = b.resources.filter((r) => r.custom && r.inputs[key] !== undefined);
            // GCP resources take the provider's default labels without naming any; AWS ones add a Name.
            if (b.plan.cloud === "aws") assert.ok(taggable.length > 10, `${b.plan.name}: only ${taggable.length} tagged resources`);
            for (const r of taggable) {
                const effective = { ...defaults, ...(r.inputs[key] as Record<string, string>) };
                assert.equal(effective["residency-domain"], b.plan.domain, `${r.name} (${r.type})`);
            }
        }
    });

    it("place one node per distinct zone of the region, with a locality naming cloud, region and zone", async () => {
        for (const b of both()) {
            const nodes = await value(b.stack.nodes);
            assert.equal(nodes.length, b.plan.nodes.length);
            assert.equal(new Set(nodes.map((n) => n.zone)).size, nodes.length, `${b.plan.name}: zones repeat`);
            for (const n of nodes) {
                assert.ok(n.zone.startsWith(b.plan.region), `${n.zone} is not in ${b.plan.region}`);
                assert.equal(n.locality, `cloud=${b.plan.cloud},region=${b.plan.name},zone=${b.plan.cloud}-${n.zone}`);
                assert.ok(ipaddr.isValid(n.publicIp), `${b.plan.name}: node ${n.index} has no public address`);
            }
            assert.deepEqual(
                nodes.map((n) => n.privateIp),
                b.plan.nodes.map((n) => n.privateIp),
            );
        }
    });

    it("boot each node with its own locality, addresses and the cluster's join list", () => {
        const scriptOf = (r: RecordedResource): string =>
            r.type === "aws:ec2/instance:Instance"
                ? String(r.inputs.userData)
                : String((r.inputs.metadata as Record<string, string>)["startup-script"]);
        for (const b of both()) {
            const instances = b.resources.filter((r) => /:(ec2|compute)\/instance:Instance$/.test(r.type));
            instances.forEach((r) => {
                const script = scriptOf(r);
                const node = b.plan.nodes.find((n) =>
                    script.includes(`--locality-advertise-addr=region=${b.plan.name}@${n.privateIp}:${COCKROACH_PORT}`),
                );
                assert.ok(node, `${r.name}: no node of the plan in its boot script`);
                assert.ok(script.includes(`--locality=cloud=${b.plan.cloud},region=${b.plan.name},zone=`), r.name);
                assert.ok(script.includes("--join=203.0.113.10:26257,198.51.100.20:26257,203.0.113.11:26257"), r.name);
                assert.ok(
                    !/BEGIN (CERTIFICATE|PRIVATE KEY)|crl-0-licence|abcdefghijklmnop/.test(script),
                    `${r.name}: a secret reached the boot script`,
                );
            });
            const inits = instances.filter((r) => scriptOf(r).includes("cockroach-init.service"));
            assert.equal(inits.length, b.plan.primary ? 1 : 0, `${b.plan.name}: init nodes`);
        }
    });

    it("never open 26257 or 8080 to the internet; the ALB takes HTTPS from Cloudflare only", () => {
        const open = (cidrs: unknown) => ((cidrs as string[] | undefined) ?? []).some((c) => c === "0.0.0.0/0" || c === "::/0");
        for (const sg of ofType(aws(), "aws:ec2/securityGroup:SecurityGroup")) {
            for (const rule of (sg.inputs.ingress as Record<string, unknown>[] | undefined) ?? []) {
                const ports = [Number(rule.fromPort), Number(rule.toPort)];
                assert.ok(!(open(rule.cidrBlocks) || open(rule.ipv6CidrBlocks)), `${sg.name} opens ${ports.join("-")} to the internet`);
            }
        }
        const alb = ofType(aws(), "aws:ec2/securityGroup:SecurityGroup").find((s) => s.name.endsWith("-alb-sg"))!;
        const albRules = alb.inputs.ingress as { fromPort: number; cidrBlocks: string[] }[];
        assert.deepEqual(
            albRules.map((r) => r.fromPort),
            [443],
        );
        assert.deepEqual(albRules[0]!.cidrBlocks, [...CLOUDFLARE_IPV4]);
        const nodeSg = ofType(aws(), "aws:ec2/securityGroup:SecurityGroup").find((s) => s.name.endsWith("-node-sg"))!;
        const nodePorts = (nodeSg.inputs.ingress as { fromPort: number }[]).map((r) => r.fromPort).sort();
        assert.deepEqual(nodePorts, [COCKROACH_PORT, CONSOLE_PORT]);
        for (const fw of ofType(gcp(), "gcp:compute/firewall:Firewall")) {
            if ((fw.inputs.direction ?? "INGRESS") !== "INGRESS") continue;
            assert.ok(!open(fw.inputs.sourceRanges), `${fw.name} is open to the internet`);
        }
    });

    it("give every AWS security group and rule a name and description AWS accepts", () => {
        // The charset EC2 and the provider enforce (components/regional/aws/securityGroups.ts).
        const valid = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;
        const texts: [string, unknown][] = [];
        for (const sg of ofType(aws(), "aws:ec2/securityGroup:SecurityGroup")) {
            texts.push([`${sg.name} name`, sg.inputs.name], [`${sg.name} description`, sg.inputs.description]);
            assert.ok(!String(sg.inputs.name).toLowerCase().startsWith("sg-"), `${sg.name}: a group name may not start with sg-`);
            for (const dir of ["ingress", "egress"])
                for (const [i, rule] of ((sg.inputs[dir] as Record<string, unknown>[] | undefined) ?? []).entries())
                    texts.push([`${sg.name} ${dir}[${i}]`, rule.description]);
        }
        for (const type of [
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        ])
            for (const rule of ofType(aws(), type)) texts.push([rule.name, rule.inputs.description]);
        assert.ok(texts.length >= 10, `only ${texts.length} texts found`);
        for (const [what, text] of texts) {
            assert.equal(typeof text, "string", `${what} is not set`);
            assert.match(text as string, valid, `${what}`);
        }
    });

    it("create on AWS exactly the Elastic IPs, node rules and routes that config counts against the quotas", () => {
        const b = aws();
        const uses = awsQuotaUsage(config).filter((u) => u.region === b.plan.region);
        const needs = (quota: string, ...what: string[]) =>
            uses.find((u) => u.quota === quota && what.every((w) => u.what.includes(w)))!.needs;
        const eips = recorded.filter((r) => r.type === "aws:ec2/eip:Eip" && r.name.startsWith(`rt-${b.plan.name}-`));
        assert.equal(eips.length, needs("elasticIps"));
        assert.equal(eips.length, 4, "3 node addresses and one NAT gateway");
        const nodeSg = ofType(b, "aws:ec2/securityGroup:SecurityGroup").find((s) => s.name.endsWith("-node-sg"))!;
        const ingress = nodeSg.inputs.ingress as { cidrBlocks?: string[]; ipv6CidrBlocks?: string[]; securityGroups?: string[] }[];
        const sum = (f: (r: (typeof ingress)[number]) => number) => ingress.reduce((n, r) => n + f(r), 0);
        assert.equal(
            sum((r) => (r.cidrBlocks?.length ?? 0) + (r.securityGroups?.length ?? 0)),
            needs("inboundRulesPerSecurityGroup", "node security group", "IPv4"),
        );
        assert.equal(
            sum((r) => (r.ipv6CidrBlocks?.length ?? 0) + (r.securityGroups?.length ?? 0)),
            needs("inboundRulesPerSecurityGroup", "node security group", "IPv6"),
        );
        const privateTables = ofType(b, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("-private-rt-"));
        assert.equal(privateTables.length, 3);
        for (const t of privateTables) assert.equal((t.inputs.routes as unknown[]).length + LOCAL_ROUTES, needs("routesPerRouteTable"));
    });

    it("expose to the whole internet only Cloud Run's HTTPS service, whose origin cannot be limited to Cloudflare", () => {
        const open = (cidrs: unknown) => ((cidrs as string[] | undefined) ?? []).some((c) => c === "0.0.0.0/0" || c === "::/0");
        const openIngress = ofType(aws(), "aws:ec2/securityGroup:SecurityGroup").filter((g) =>
            ((g.inputs.ingress as { cidrBlocks?: string[]; ipv6CidrBlocks?: string[] }[] | undefined) ?? []).some(
                (r) => open(r.cidrBlocks) || open(r.ipv6CidrBlocks),
            ),
        );
        assert.deepEqual(
            openIngress.map((g) => g.name),
            [],
        );
        assert.deepEqual(
            ofType(gcp(), "gcp:compute/firewall:Firewall")
                .filter((f) => open(f.inputs.sourceRanges))
                .map((f) => f.name),
            [],
        );
        const run = one(gcp(), "gcp:cloudrunv2/service:Service");
        assert.equal(run.inputs.ingress, "INGRESS_TRAFFIC_ALL");
        const publicGrants = gcp().resources.filter(
            (r) => /IamMember|IAMMember|IAMBinding/.test(r.type) && String(r.inputs.member).startsWith("allUsers"),
        );
        assert.deepEqual(
            publicGrants.map((g) => [g.type, g.inputs.role]),
            [["gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "roles/run.invoker"]],
        );
    });

    it("let the AWS app reach SQL through the internal NLB's own security group, health-checked within its interval", () => {
        const groups = ofType(aws(), "aws:ec2/securityGroup:SecurityGroup");
        const byName = (suffix: string) => groups.find((g) => g.name.endsWith(suffix))!;
        const [app, sql, node] = [byName("-app-sg"), byName("-sql-sg"), byName("-node-sg")];
        const nlb = ofType(aws(), "aws:lb/loadBalancer:LoadBalancer").find((l) => l.inputs.loadBalancerType === "network")!;
        assert.deepEqual(nlb.inputs.securityGroups, [`${sql.name}-id`], "the NLB has its own security group");
        const sqlIngress = sql.inputs.ingress as { fromPort: number; securityGroups: string[]; cidrBlocks?: string[] }[];
        assert.deepEqual(
            sqlIngress.map((r) => [r.fromPort, r.securityGroups]),
            [[COCKROACH_PORT, [`${app.name}-id`]]],
        );
        // A target cannot name the client's group behind an NLB: the nodes name the NLB's.
        for (const rule of node.inputs.ingress as { securityGroups: string[] }[]) {
            assert.ok(!rule.securityGroups.includes(`${app.name}-id`), "the node group names the app group, which an NLB target ignores");
            assert.deepEqual(rule.securityGroups, [`${sql.name}-id`]);
        }
        const targets = ofType(aws(), "aws:lb/targetGroup:TargetGroup").find((t) => t.inputs.protocol === "TCP")!;
        const check = targets.inputs.healthCheck as { interval: number; timeout: number; port: string; protocol: string };
        assert.ok(check.timeout < check.interval, `health check timeout ${check.timeout} s must be below its interval ${check.interval} s`);
        assert.deepEqual([check.protocol, check.port], ["HTTPS", String(CONSOLE_PORT)]);
    });

    it("boot nodes and start apps only after their egress routes and secret values exist", () => {
        const urnsOf = (b: Built, type: string) => ofType(b, type).map((r) => r.urn);
        const awsRoutes = urnsOf(aws(), "aws:ec2/routeTableAssociation:RouteTableAssociation").filter((u) => u.includes("-private-"));
        assert.equal(awsRoutes.length, 3);
        for (const instance of ofType(aws(), "aws:ec2/instance:Instance")) {
            for (const route of awsRoutes) assert.ok(instance.dependencies.includes(route), `${instance.name} does not wait for ${route}`);
            assert.ok(
                instance.dependencies.some((d) => d.includes("secretVersion:SecretVersion")),
                `${instance.name} does not wait for its secrets' values`,
            );
        }
        const service = one(aws(), "aws:ecs/service:Service");
        assert.ok(
            service.dependencies.some((d) => d.endsWith("-secret-app")) && service.dependencies.some((d) => d.includes("SecretVersion")),
        );
        const run = one(gcp(), "gcp:cloudrunv2/service:Service");
        assert.ok(
            run.dependencies.some((d) => d.includes("secretVersion:SecretVersion") && d.endsWith("-secret-app")),
            "Cloud Run does not wait for the credentials' version",
        );
        for (const instance of ofType(gcp(), "gcp:compute/instance:Instance"))
            assert.ok(
                instance.dependencies.some((d) => d.includes("secretVersion:SecretVersion")),
                instance.name,
            );
    });

    it("encrypt disks, buckets and secrets with the region's own key", () => {
        for (const v of ofType(aws(), "aws:ebs/volume:Volume")) {
            assert.equal(v.inputs.encrypted, true, v.name);
            assert.ok(String(v.inputs.kmsKeyId).startsWith(`arn:aws:kms:${aws().plan.region}:`), `${v.name}: key ${v.inputs.kmsKeyId}`);
        }
        for (const s of ofType(aws(), "aws:secretsmanager/secret:Secret")) {
            assert.ok(String(s.inputs.kmsKeyId).startsWith(`arn:aws:kms:${aws().plan.region}:`), s.name);
            assert.equal(s.inputs.replicas, undefined, `${s.name} is replicated`);
        }
        const sse = ofType(aws(), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((r) =>
            r.name.endsWith("-backups"),
        )!;
        const rule = (sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0]!;
        assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");

        const key = one(gcp(), "gcp:kms/cryptoKey:CryptoKey");
        assert.ok(key);
        const bucket = ofType(gcp(), "gcp:storage/bucket:Bucket")[0]!;
        assert.ok((bucket.inputs.encryption as { defaultKmsKeyName?: string }).defaultKmsKeyName, "GCS bucket without CMEK");
        assert.equal(bucket.inputs.publicAccessPrevention, "enforced");
        assert.equal(bucket.inputs.uniformBucketLevelAccess, true);
        for (const d of ofType(gcp(), "gcp:compute/disk:Disk"))
            assert.ok((d.inputs.diskEncryptionKey as { kmsKeySelfLink?: string }).kmsKeySelfLink, `${d.name} without CMEK`);
    });

    it("keep every secret and bucket in the region (GCP secrets use user-managed replication there)", () => {
        for (const s of ofType(gcp(), "gcp:secretmanager/secret:Secret")) {
            const replication = s.inputs.replication as { auto?: unknown; userManaged?: { replicas: { location: string }[] } };
            assert.equal(replication.auto, undefined, `${s.name} uses automatic (global) replication`);
            assert.deepEqual(
                replication.userManaged!.replicas.map((r) => r.location),
                [gcp().plan.region],
            );
        }
        const bucket = ofType(gcp(), "gcp:storage/bucket:Bucket")[0]!;
        assert.equal(String(bucket.inputs.location).toLowerCase(), gcp().plan.region);
        // AWS resources take the region from the provider, which every resource uses (checked above).
        const [providerUrn] = aws().providerRef.split(/::(?=[^:]+$)/);
        assert.equal(recorded.find((r) => r.urn === providerUrn)!.inputs.region, aws().plan.region);
    });

    it("stores a secret per node, the app's credentials, and the root certificate and licence only in the init region", () => {
        for (const b of both()) {
            const secrets = ofType(b, b.plan.cloud === "aws" ? "aws:secretsmanager/secret:Secret" : "gcp:secretmanager/secret:Secret");
            const roles = secrets.map((s) => s.name.replace(/^.*-secret-/, "").replace(/^.*-(node-\d+|app|root|license)$/, "$1")).sort();
            const expected = [...b.plan.nodes.map((n) => `node-${n.index}`), "app", ...(b.plan.primary ? ["license", "root"] : [])].sort();
            assert.deepEqual(roles, expected, b.plan.name);
            const versions = ofType(
                b,
                b.plan.cloud === "aws" ? "aws:secretsmanager/secretVersion:SecretVersion" : "gcp:secretmanager/secretVersion:SecretVersion",
            );
            for (const v of versions)
                assert.equal(v.inputs.secretString ?? v.inputs.secretData, "[secret]", `${v.name} is not a Pulumi secret`);
        }
    });

    it("let node identities read only their region's secrets, and write their region's bucket", () => {
        const policy = JSON.parse(
            String(ofType(aws(), "aws:iam/rolePolicy:RolePolicy").find((r) => r.name.endsWith("-node-policy"))!.inputs.policy),
        ) as {
            Statement: { Sid: string; Resource: string | string[] }[];
        };
        const resources = policy.Statement.flatMap((st) => [st.Resource].flat());
        const secrets = ofType(aws(), "aws:secretsmanager/secret:Secret").map((r) => r.name);
        const readable = [policy.Statement.find((st) => st.Sid === "OwnRegionSecrets")!.Resource].flat();
        assert.deepEqual(readable.map((arn) => arn.split(":").pop()).sort(), [...secrets].sort());
        for (const arn of resources)
            assert.ok(arn.includes(`:${aws().plan.region}:`) || arn.startsWith("arn:aws:s3:"), `${arn} is outside the region`);
        assert.ok(
            resources.some((arn) => /^arn:aws:s3:.*rt-aws-us-east-2-backups\/\*$/.test(arn)),
            "no write grant on the region's bucket",
        );

        const members = gcp().resources.filter((r) => /IAMMember|IamMember/.test(r.type));
        assert.ok(members.length > 0);
        for (const m of members)
            assert.match(String(m.inputs.member), /^(serviceAccount:[a-z0-9.@-]+|allUsers)$/, `${m.name}: ${m.inputs.member}`);
        const secretGrants = ofType(gcp(), "gcp:secretmanager/secretIamMember:SecretIamMember");
        for (const g of secretGrants) assert.equal(g.inputs.role, "roles/secretmanager.secretAccessor");
        const bucketGrants = ofType(gcp(), "gcp:storage/bucketIAMMember:BucketIAMMember");
        assert.equal(bucketGrants.length, 1);
        assert.equal(bucketGrants[0]!.inputs.role, "roles/storage.objectUser", "object access without IAM changes");
    });

    it("protect disks, buckets and keys from accidental deletion", () => {
        const stateful = {
            aws: ["aws:ebs/volume:Volume", "aws:s3/bucket:Bucket", "aws:kms/key:Key"],
            gcp: ["gcp:compute/disk:Disk", "gcp:storage/bucket:Bucket", "gcp:kms/cryptoKey:CryptoKey"],
        };
        for (const b of both())
            for (const type of stateful[b.plan.cloud]) {
                const found = ofType(b, type);
                assert.ok(found.length > 0, `${b.plan.name}: no ${type}`);
                for (const r of found) assert.ok(r.protect || r.retainOnDelete, `${r.name} (${type}) is neither protected nor retained`);
            }
        for (const i of ofType(aws(), "aws:ec2/instance:Instance")) assert.equal(i.inputs.disableApiTermination, true, i.name);
        for (const i of ofType(gcp(), "gcp:compute/instance:Instance")) assert.equal(i.inputs.deletionProtection, true, i.name);
    });

    it("hands the app its region, domain and SQL endpoint the same way on both clouds", () => {
        const task = one(aws(), "aws:ecs/taskDefinition:TaskDefinition");
        const container = JSON.parse(String(task.inputs.containerDefinitions))[0] as {
            environment: { name: string; value: string }[];
            secrets: { name: string }[];
        };
        const awsEnv = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
        const run = one(gcp(), "gcp:cloudrunv2/service:Service");
        const runContainer = (run.inputs.template as { containers: { envs: { name: string; value?: string; valueSource?: unknown }[] }[] })
            .containers[0]!;
        const gcpEnv = Object.fromEntries(runContainer.envs.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
        assert.deepEqual(Object.keys(gcpEnv).sort(), Object.keys(awsEnv).sort());
        assert.equal(awsEnv.CRDB_REGION, aws().plan.name);
        assert.equal(gcpEnv.CRDB_REGION, gcp().plan.name);
        assert.equal(awsEnv.RESIDENCY_DOMAIN, aws().plan.domain);
        assert.equal(gcpEnv.RESIDENCY_DOMAIN, gcp().plan.domain);
        assert.equal(awsEnv.DATABASE_SSLMODE, "verify-full");
        assert.deepEqual(
            container.secrets.map((s) => s.name),
            ["DATABASE_CREDENTIALS"],
        );
        assert.ok(runContainer.envs.some((e) => e.name === "DATABASE_CREDENTIALS" && e.valueSource !== undefined));
    });

    it("serves the origin over HTTPS on 443 on both clouds", async () => {
        for (const b of both()) {
            const origin = await value(b.stack.origin);
            assert.equal(origin.port, 443);
            assert.ok(origin.address.length > 0 && origin.hostHeader.length > 0);
        }
        const listeners = ofType(aws(), "aws:lb/listener:Listener").filter((l) => l.inputs.port === 443);
        assert.equal(listeners.length, 1);
        assert.equal(listeners[0]!.inputs.protocol, "HTTPS");
        assert.ok(!ofType(aws(), "aws:lb/listener:Listener").some((l) => l.inputs.port === 80), "no plain HTTP listener");
    });

    it("serve the validated ACM certificate on the ALB and make no certificate of their own", () => {
        const listener = ofType(aws(), "aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!;
        assert.equal(listener.inputs.certificateArn, ORIGIN_CERT_ARN);
        for (const b of both()) {
            const made = b.resources.filter((r) => /^aws:acm\/|^tls:|^cloudflare:/.test(r.type)).map((r) => r.type);
            assert.deepEqual(made, [], `${b.plan.name} makes ${made.join(", ")}`);
        }
    });

    it("refuse an AWS region without the hostname or its certificate", () => {
        const awsPlan = topology.regions.find((p) => p.cloud === "aws")!;
        const base = {
            plan: awsPlan,
            addresses: awsPlan.nodes,
            cluster: { nodeCertificates: awsPlan.nodes },
        } as unknown as RegionalStackArgs;
        for (const [what, args] of [
            ["no originTls", { ...base, hostname: "api.example.com" }],
            ["no hostname", { ...base, originTls: { certificateArn: ORIGIN_CERT_ARN } }],
        ] as const)
            assert.throws(
                () => new AwsRegionalStack(`rt-no-cert-${what.replace(/ /g, "-")}`, args, { provider: undefined }),
                new RegExp(
                    `AwsRegionalStack ${awsPlan.name}: args\\.hostname and args\\.originTls are required on AWS .*publicly trusted certificate`,
                ),
                what,
            );
    });

    it("expire backups after the retention days on both clouds, keeping the init marker", () => {
        const awsRules = ofType(aws(), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((r) =>
            r.name.endsWith("-backups"),
        )!.inputs.rules as { filter: { prefix?: string }; expiration?: { days: number } }[];
        assert.deepEqual(
            awsRules.filter((r) => r.expiration).map((r) => [r.filter.prefix, r.expiration!.days]),
            [["backups/", 30]],
        );
        const gcsRules = ofType(gcp(), "gcp:storage/bucket:Bucket")[0]!.inputs.lifecycleRules as {
            condition: { age?: number; matchesPrefixes?: string[] };
        }[];
        assert.deepEqual(
            gcsRules.filter((r) => r.condition.age === 30).map((r) => r.condition.matchesPrefixes),
            [["backups/"]],
        );
    });

    it("name the backup bucket with the cloud's scheme", async () => {
        assert.match(await value(aws().stack.backupBucketUrl), /^s3:\/\/staging-aws-us-east-2-backups-\d{12}-[0-9a-f]{6}\/backups$/);
        assert.match(await value(gcp().stack.backupBucketUrl), /^gs:\/\/[a-z0-9-]+-gcp-europe-west1-backups-[0-9a-f]{6}\/backups$/);
    });

    it("log every request to the AWS backup bucket into an in-region SSE-S3 log bucket that only S3 logging may write", () => {
        const buckets = ofType(aws(), "aws:s3/bucket:Bucket");
        const backups = buckets.filter((b) => b.name.endsWith("-backups"));
        assert.equal(backups.length, 1);
        const logging = ofType(aws(), "aws:s3/bucketLogging:BucketLogging");
        assert.deepEqual(
            logging.map((l) => l.inputs.bucket),
            backups.map((b) => `${b.name}-id`),
            "every backup bucket has server access logging",
        );
        const config = logging[0]!;
        const target = buckets.find((b) => `${b.name}-id` === config.inputs.targetBucket);
        assert.ok(target, `target ${config.inputs.targetBucket} is not a bucket of the region`);
        assert.notEqual(target.name, backups[0]!.name, "a bucket logging into itself loops");
        // Same region: both go through the region's provider (checked above) with no region of their own.
        for (const r of [config, target, backups[0]!])
            assert.ok([undefined, aws().plan.region].includes(r.inputs.region as string), r.name);
        assert.ok(target.protect, "the log bucket is not protected");
        assert.equal(target.inputs.forceDestroy, false);

        const byTarget = (type: string) => ofType(aws(), type).find((r) => r.inputs.bucket === `${target.name}-id`)!;
        const sse = byTarget("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        const rule = (sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string } }[])[0]!;
        assert.deepEqual(rule.applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" }, "server access logs need SSE-S3");
        const ownership = byTarget("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
        assert.deepEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" }, "ACLs must be off: delivery by bucket policy");
        const block = byTarget("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
            assert.equal(block.inputs[k], true, k);
        const lifecycle = byTarget("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as {
            expiration?: { days: number };
        }[];
        assert.ok(
            lifecycle.some((r) => (r.expiration?.days ?? 0) > 0),
            "logs never expire",
        );

        const policy = JSON.parse(String(byTarget("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)) as {
            Statement: {
                Sid: string;
                Effect: string;
                Principal: unknown;
                Action: string;
                Resource: string;
                Condition: Record<string, Record<string, string>>;
            }[];
        };
        const grants = policy.Statement.filter((st) => st.Effect === "Allow");
        assert.equal(grants.length, 1);
        const grant = grants[0]!;
        assert.deepEqual(grant.Principal, { Service: "logging.s3.amazonaws.com" });
        assert.equal(grant.Action, "s3:PutObject");
        assert.ok(grant.Resource.endsWith(`/${String(config.inputs.targetPrefix)}*`), grant.Resource);
        assert.equal(grant.Condition.ArnLike!["aws:SourceArn"], `arn:aws:s3:${awsRegion()}:123456789012:${backups[0]!.name}`);
        assert.equal(grant.Condition.StringEquals!["aws:SourceAccount"], "123456789012");
        assert.ok(
            config.dependencies.some((d) => d.endsWith(`::${target.name}`) && d.includes("bucketPolicy")),
            "logging before the grant",
        );
    });

    it("log the traffic of every network: AWS VPC flow logs into an encrypted log group of the region, GCP subnet flow logs", () => {
        const vpcs = ofType(aws(), "aws:ec2/vpc:Vpc");
        const flowLogs = ofType(aws(), "aws:ec2/flowLog:FlowLog");
        assert.deepEqual(
            flowLogs.map((f) => f.inputs.vpcId),
            vpcs.map((v) => `${v.name}-id`),
            "every VPC has one flow log",
        );
        const key = one(aws(), "aws:kms/key:Key");
        for (const flow of flowLogs) {
            assert.equal(flow.inputs.trafficType, "ALL");
            assert.equal(flow.inputs.logDestinationType, "cloud-watch-logs");
            const group = ofType(aws(), "aws:cloudwatch/logGroup:LogGroup").find(
                (g) => `arn:aws:cloudwatch:${awsRegion()}:123456789012:${g.name}` === flow.inputs.logDestination,
            );
            assert.ok(group, `${String(flow.inputs.logDestination)} is not a log group of the region`);
            assert.equal(
                group.inputs.kmsKeyId,
                `arn:aws:kms:${awsRegion()}:123456789012:${key.name}`,
                "flow logs not encrypted with the region key",
            );
            assert.ok(Number(group.inputs.retentionInDays) > 0, "flow logs kept forever");
            assert.ok([undefined, awsRegion()].includes(group.inputs.region as string));
            const role = ofType(aws(), "aws:iam/role:Role").find(
                (r) => `arn:aws:iam:${awsRegion()}:123456789012:${r.name}` === flow.inputs.iamRoleArn,
            )!;
            const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as {
                Statement: { Principal: unknown; Condition: { ArnLike: Record<string, string>; StringEquals: Record<string, string> } }[];
            };
            assert.deepEqual(trust.Statement[0]!.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
            assert.equal(trust.Statement[0]!.Condition.ArnLike["aws:SourceArn"], `arn:aws:ec2:${awsRegion()}:123456789012:vpc-flow-log/*`);
            assert.equal(trust.Statement[0]!.Condition.StringEquals["aws:SourceAccount"], "123456789012");
            const policy = ofType(aws(), "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === `${role.name}-id`)!;
            const resources = (
                JSON.parse(String(policy.inputs.policy)) as { Statement: { Resource: string | string[] }[] }
            ).Statement.flatMap((st) => [st.Resource].flat());
            for (const arn of resources) assert.ok(arn.includes(`:${awsRegion()}:123456789012:`), `${arn} is outside the region`);
        }
        for (const subnet of ofType(gcp(), "gcp:compute/subnetwork:Subnetwork")) {
            const log = subnet.inputs.logConfig as { metadata?: string } | undefined;
            assert.equal(log?.metadata, "INCLUDE_ALL_METADATA", `${subnet.name} has no flow logs`);
        }
    });

    it("name what the cloud keeps after deletion with a suffix drawn with it, which boot scripts and IAM follow", () => {
        const suffixOf = (b: Built, role: string) => {
            const id = b.resources.find(
                (r) => r.type === "random:index/randomId:RandomId" && r.name === `rt-${b.plan.name}-${role}-suffix`,
            );
            assert.ok(id, `${b.plan.name}: no ${role} suffix`);
            return id;
        };
        // AWS secrets: named <env>/<region>/<suffix>/<role>; the boot scripts read exactly those names.
        const secretSuffix = suffixOf(aws(), "secrets");
        const secrets = ofType(aws(), "aws:secretsmanager/secret:Secret");
        const names = secrets.map((x) => String(x.inputs.name));
        const [suffix = ""] = new Set(names.map((n) => n.split("/")[2]));
        assert.match(suffix, /^[0-9a-f]{6}$/);
        for (const n of names)
            assert.match(n, new RegExp(`^${config.environment}/${aws().plan.name}/${suffix}/(node-\\d|app|root|license)$`));
        for (const x of secrets) assert.ok(x.dependencies.includes(secretSuffix.urn), `${x.name} does not wait for its suffix`);
        for (const i of ofType(aws(), "aws:ec2/instance:Instance")) {
            const script = String(i.inputs.userData);
            const read = names.filter((n) => script.includes(n));
            assert.ok(
                read.some((n) => n.endsWith("/node-" + i.name.split("-").pop())),
                `${i.name} does not read its node secret by name`,
            );
        }
        // The secrets' suffix goes with the secrets: nothing protected holds on to it.
        const protectedDeps = aws()
            .resources.filter((r) => r.protect)
            .flatMap((r) => r.dependencies);
        assert.ok(!protectedDeps.includes(secretSuffix.urn), "a protected resource keeps the secrets' suffix through pulumi destroy");

        // GCP key ring: <env>-<region>-<suffix>, protected, retained; its suffix stays as long as the ring.
        const ringSuffix = suffixOf(gcp(), "data");
        const ring = one(gcp(), "gcp:kms/keyRing:KeyRing");
        assert.match(String(ring.inputs.name), new RegExp(`^${config.environment}-${gcp().plan.name}-[0-9a-f]{6}$`));
        assert.ok(ring.dependencies.includes(ringSuffix.urn));
        assert.ok(ring.protect && ring.retainOnDelete);
        const key = one(gcp(), "gcp:kms/cryptoKey:CryptoKey");
        assert.equal(key.inputs.keyRing, `${ring.name}-id`);
        // Buckets carry the region's data suffix too, and keep it with them (they are protected).
        for (const b of both()) {
            const dataSuffix = suffixOf(b, "data");
            const buckets = ofType(b, b.plan.cloud === "aws" ? "aws:s3/bucket:Bucket" : "gcp:storage/bucket:Bucket");
            assert.ok(buckets.length > 0);
            for (const bucket of buckets) {
                assert.match(String(bucket.inputs[b.plan.cloud === "aws" ? "bucket" : "name"]), /-[0-9a-f]{6}$/, bucket.name);
                assert.ok(bucket.dependencies.includes(dataSuffix.urn), `${bucket.name} does not name itself with the data suffix`);
                assert.ok(bucket.protect, bucket.name);
            }
        }
    });

    it("keep Cloud Run's startup probe window within the 240 s Cloud Run accepts", () => {
        const run = one(gcp(), "gcp:cloudrunv2/service:Service");
        const [container] = (run.inputs.template as { containers: { startupProbe: { periodSeconds: number; failureThreshold: number } }[] })
            .containers;
        const { periodSeconds, failureThreshold } = container!.startupProbe;
        assert.ok(
            periodSeconds * failureThreshold <= CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS,
            `startup probe ${failureThreshold} x ${periodSeconds} s = ${periodSeconds * failureThreshold} s`,
        );
        // The whole window, not a shorter one: a slow first start still gets every second allowed.
        assert.equal(periodSeconds * failureThreshold, 240);
    });

    it("refuses a region of the other cloud", () => {
        const gcpPlan = topology.regions.find((p) => p.cloud === "gcp")!;
        assert.throws(
            () => new AwsRegionalStack("rt-wrong-cloud", { plan: gcpPlan } as RegionalStackArgs, { provider: undefined }),
            /AwsRegionalStack got a gcp region/,
        );
    });
});

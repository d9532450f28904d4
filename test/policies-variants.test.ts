/**
 * The policy pack through its real analyzer server (one process for the whole file): the shipped
 * stacks give no mandatory violation, and each deliberately non-compliant variant of the prod plan
 * (one resource changed or added) gives the expected violation naming that resource, the rule and
 * the fix; harmless changes give none. Variants change the recorded plan resources instead of
 * re-running the program; `analyze` gets the changed resources (as the engine sends each step),
 * `analyzeStack` the whole variant stack.
 */
import * as assert from "node:assert/strict";
import { PolicyPackProcess, type AnalyzedResource, type PolicyViolation } from "../scripts/policies";
import { shippedPlan } from "./support";

type Resources = AnalyzedResource[];
type Mutable = { -readonly [K in keyof AnalyzedResource]: AnalyzedResource[K] } & { inputs: Record<string, any> };

let pack: PolicyPackProcess;
const shipped = new Map<string, Resources>();

/** Resources a variant owns (copied on first access); the rest stay shared with the shipped plan. */
const owned = new WeakSet<object>();

/** The named resource of a variant, copied first so the shipped plan stays as it was. */
function find(rs: Resources, name: string, type?: string): Mutable {
    const i = rs.findIndex((x) => x.name === name && (!type || x.type === type));
    if (i < 0) throw new Error(`no resource ${name} in the prod plan`);
    if (!owned.has(rs[i]!)) {
        rs[i] = structuredClone(rs[i]!);
        owned.add(rs[i]!);
    }
    return rs[i] as Mutable;
}

/** Adds a resource next to `like` (same parent and provider) and returns it. */
function add(rs: Resources, like: AnalyzedResource, type: string, name: string, inputs: Record<string, unknown>): Mutable {
    const head = like.urn.slice(0, like.urn.lastIndexOf("::"));
    const urn = `${head.slice(0, head.lastIndexOf("$"))}$${type}::${name}`;
    const r: Mutable = { urn, type, name, parent: like.parent, provider: like.provider, protect: false, inputs };
    rs.push(r);
    return r;
}

/** Sets `key` of the named resource's inputs and returns the resource. */
function set(rs: Resources, name: string, type: string | undefined, key: string, value: unknown): Mutable {
    const r = find(rs, name, type);
    r.inputs[key] = value;
    return r;
}

const STACK_POLICIES = new Set([
    "residency-location",
    "residency-backups-and-logs",
    "residency-routing",
    "security-origin-https",
    "security-customer-managed-keys",
    "security-bucket-public-access",
    "security-backup-versioning",
    "security-node-secret-scope",
]);

/** Violations of a variant: `analyze` of the changed resources, `analyzeStack` of the whole stack. */
async function violationsOf(rs: Resources, changed: readonly AnalyzedResource[], stack: boolean): Promise<PolicyViolation[]> {
    const [a, s] = await Promise.all([pack.analyze(changed, rs), stack ? pack.analyzeStack(rs) : Promise.resolve([])]);
    return [...a, ...s];
}

interface Variant {
    readonly what: string;
    readonly policy: string;
    /** Changes the plan; returns the resource the violation must name (changed or added). */
    readonly change: (rs: Resources) => Mutable;
}

const secretPolicy = (rs: Resources, name: string) => JSON.parse(find(rs, name).inputs.policy as string);

const VARIANTS: Variant[] = [
    // --- residency
    {
        what: "S3 bucket of eu-central-1 moved to us-east-1",
        policy: "residency-location",
        change: (rs) => set(rs, "aws-eu-central-1-backups", "aws:s3/bucket:Bucket", "region", "us-east-1"),
    },
    {
        what: "GCS backup bucket in the US multi-region",
        policy: "residency-location",
        change: (rs) => set(rs, "gcp-europe-west1-backups", undefined, "location", "US"),
    },
    {
        what: "Secret Manager replica of an EU secret in us-central1",
        policy: "residency-location",
        change: (rs) => {
            const s = find(rs, "gcp-europe-west1-secret-node-0", "gcp:secretmanager/secret:Secret");
            s.inputs.replication.userManaged.replicas.push({ location: "us-central1", customerManagedEncryption: { kmsKeyName: "k" } });
            return s;
        },
    },
    {
        what: "EBS volume re-tagged into domain us while in eu-central-1",
        policy: "residency-location",
        change: (rs) => {
            const v = find(rs, "aws-eu-central-1-node-0-data", "aws:ebs/volume:Volume");
            v.inputs.tags = { ...v.inputs.tags, "residency-domain": "us" };
            return v;
        },
    },
    {
        what: "regional provider whose region is not its crdb-region tag",
        policy: "residency-location",
        change: (rs) => (
            (find(rs, "aws-eu-central-1", "pulumi:providers:aws").inputs.region = "us-east-1"),
            find(rs, "aws-eu-central-1", "pulumi:providers:aws")
        ),
    },
    {
        what: "Secret Manager automatic (global) replication",
        policy: "residency-no-replication",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-secret-app", "gcp:secretmanager/secret:Secret").inputs.replication = { auto: {} }),
            find(rs, "gcp-europe-west1-secret-app", "gcp:secretmanager/secret:Secret")
        ),
    },
    {
        what: "multi-Region KMS key",
        policy: "residency-no-replication",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-key", "aws:kms/key:Key").inputs.multiRegion = true),
            find(rs, "aws-eu-central-1-key", "aws:kms/key:Key")
        ),
    },
    {
        what: "GCS configurable dual-region bucket",
        policy: "residency-no-replication",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-backups").inputs.customPlacementConfig = { dataLocations: ["EUROPE-WEST1", "US-CENTRAL1"] }),
            find(rs, "gcp-europe-west1-backups")
        ),
    },
    {
        what: "added S3 replication of the backup bucket",
        policy: "residency-no-replication",
        change: (rs) =>
            add(
                rs,
                find(rs, "aws-eu-central-1-backups", "aws:s3/bucket:Bucket"),
                "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                "eu-backups-replica",
                {
                    bucket: "aws-eu-central-1-backups-id",
                    role: "arn:aws:iam::123456789012:role/replication",
                    rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::prod-aws-us-east-1-backups-123456789012-0062aa" } }],
                },
            ),
    },
    {
        what: "added resource through an untagged provider",
        policy: "residency-tags",
        change: (rs) => {
            const like = find(rs, "aws-eu-central-1-key", "aws:kms/key:Key");
            const provider = add(rs, like, "pulumi:providers:aws", "untagged", { region: "eu-central-1" });
            const q = add(rs, like, "aws:sqs/queue:Queue", "untagged-queue", { name: "q" });
            q.provider = provider.urn;
            return q;
        },
    },
    {
        what: "GCP disk whose residency label is blanked",
        policy: "residency-tags",
        change: (rs) => {
            const d = find(rs, "gcp-europe-west1-node-0-data", "gcp:compute/disk:Disk");
            d.inputs.labels = { ...d.inputs.labels, "residency-domain": "" };
            return d;
        },
    },
    {
        what: "backups of aws-eu-central-1 written to the us-east-1 bucket",
        policy: "residency-backups-and-logs",
        change: (rs) => {
            const db = find(rs, "database-sql");
            const d = db.inputs.spec.backup.destinations.find((x: { locality: string }) => x.locality === "aws-eu-central-1");
            d.url = "s3://prod-aws-us-east-1-backups-123456789012-0062aa/backups?AUTH=implicit";
            return db;
        },
    },
    {
        what: "S3 access logs of an EU bucket sent to a US log bucket",
        policy: "residency-backups-and-logs",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-backups", "aws:s3/bucketLogging:BucketLogging").inputs.targetBucket = "aws-us-east-1-s3-logs-id"),
            find(rs, "aws-eu-central-1-backups", "aws:s3/bucketLogging:BucketLogging")
        ),
    },
    {
        what: "ALB access logs of eu-central-1 sent to a us-east-1 bucket",
        policy: "residency-backups-and-logs",
        change: (rs) => {
            const lb = find(rs, "aws-eu-central-1-alb", "aws:lb/loadBalancer:LoadBalancer");
            lb.inputs.accessLogs = { ...lb.inputs.accessLogs, bucket: "prod-aws-us-east-1-alb-logs-123456789012-0062aa" };
            return lb;
        },
    },
    {
        what: "EU pool pointing at the us-east-1 origin",
        policy: "residency-routing",
        change: (rs) => {
            const p = find(rs, "traffic-pool-aws-eu-central-1");
            p.inputs.origins[0].address = "aws-us-east-1-alb.us-east-1.elb.amazonaws.com";
            return p;
        },
    },
    {
        what: "EU pin falling back to a US pool",
        policy: "residency-routing",
        change: (rs) => (
            (find(rs, "traffic-lb").inputs.rules[0].overrides.fallbackPool = "traffic-pool-aws-us-east-1-id"),
            find(rs, "traffic-lb")
        ),
    },
    {
        what: "EU pin listing a US pool",
        policy: "residency-routing",
        change: (rs) => (
            find(rs, "traffic-lb").inputs.rules[0].overrides.defaultPools.push("traffic-pool-gcp-us-central1-id"),
            find(rs, "traffic-lb")
        ),
    },
    {
        what: "EU pin failing over across pools",
        policy: "residency-routing",
        change: (rs) => (
            (find(rs, "traffic-lb").inputs.rules[0].overrides.adaptiveRouting.failoverAcrossPools = true),
            find(rs, "traffic-lb")
        ),
    },
    {
        what: "AWS node started with another region's locality",
        policy: "residency-node-locality",
        change: (rs) => {
            const i = find(rs, "aws-eu-central-1-node-0", "aws:ec2/instance:Instance");
            i.inputs.userData = (i.inputs.userData as string).replace(
                "--locality=cloud=aws,region=aws-eu-central-1,",
                "--locality=cloud=aws,region=aws-eu-west-1,",
            );
            return i;
        },
    },
    {
        what: "GCP node started with a US locality",
        policy: "residency-node-locality",
        change: (rs) => {
            const i = find(rs, "gcp-europe-west1-node-1", "gcp:compute/instance:Instance");
            i.inputs.metadata["startup-script"] = (i.inputs.metadata["startup-script"] as string).replace(
                "--locality=cloud=gcp,region=gcp-europe-west1,",
                "--locality=cloud=gcp,region=gcp-us-central1,",
            );
            return i;
        },
    },
    {
        what: "GLOBAL residency table",
        policy: "residency-database",
        change: (rs) => ((find(rs, "database-sql").inputs.spec.tables[0].locality = "global"), find(rs, "database-sql")),
    },
    {
        what: "home rule sending DE rows to us-east-1",
        policy: "residency-database",
        change: (rs) => {
            const db = find(rs, "database-sql");
            db.inputs.spec.homeRules[0].countries = db.inputs.spec.homeRules[0].countries.filter((c: string) => c !== "DE");
            db.inputs.spec.homeRules.find((r: { region: string }) => r.region === "aws-us-east-1").countries.push("DE");
            return db;
        },
    },
    {
        what: "EU super region missing a region",
        policy: "residency-database",
        change: (rs) => (find(rs, "database-sql").inputs.spec.superRegions[0].regions.pop(), find(rs, "database-sql")),
    },
    // --- security
    {
        what: "database port open to 0.0.0.0/0 on the node security group",
        policy: "security-admin-ingress",
        change: (rs) => (
            find(rs, "aws-eu-central-1-node-sg").inputs.ingress[0].cidrBlocks.push("0.0.0.0/0"),
            find(rs, "aws-eu-central-1-node-sg")
        ),
    },
    {
        what: "added ingress rule resource opening SSH to ::/0",
        policy: "security-admin-ingress",
        change: (rs) =>
            add(rs, find(rs, "aws-eu-central-1-node-sg"), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh-anywhere", {
                securityGroupId: "aws-eu-central-1-node-sg-id",
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrIpv6: "::/0",
            }),
    },
    {
        what: "GCP console firewall open to the internet",
        policy: "security-admin-ingress",
        change: (rs) => (
            find(rs, "gcp-europe-west1-fw-console").inputs.sourceRanges.push("0.0.0.0/0"),
            find(rs, "gcp-europe-west1-fw-console")
        ),
    },
    {
        what: "DB Console open to a /7 (wider than the admin limit)",
        policy: "security-admin-ingress",
        change: (rs) => {
            const sg = find(rs, "aws-eu-central-1-node-sg");
            sg.inputs.ingress.find((r: { fromPort: number }) => r.fromPort === 8080).cidrBlocks.push("10.0.0.0/7");
            return sg;
        },
    },
    {
        what: "public ALB open to the whole internet on 443",
        policy: "security-origin-https",
        change: (rs) => (
            find(rs, "aws-eu-central-1-alb-sg").inputs.ingress[0].cidrBlocks.push("0.0.0.0/0"),
            find(rs, "aws-eu-central-1-alb-sg")
        ),
    },
    {
        what: "public listener on plain HTTP",
        policy: "security-origin-https",
        change: (rs) => ((find(rs, "aws-eu-central-1-https").inputs.protocol = "HTTP"), find(rs, "aws-eu-central-1-https")),
    },
    {
        what: "Cloudflare monitor over HTTP",
        policy: "security-monitor-https",
        change: (rs) => ((find(rs, "traffic-monitor").inputs.type = "http"), find(rs, "traffic-monitor")),
    },
    {
        what: "unencrypted data volume",
        policy: "security-customer-managed-keys",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-node-1-data", "aws:ebs/volume:Volume").inputs.encrypted = false),
            find(rs, "aws-eu-central-1-node-1-data", "aws:ebs/volume:Volume")
        ),
    },
    {
        what: "backup bucket on SSE-S3 instead of the region's key",
        policy: "security-customer-managed-keys",
        change: (rs) => {
            find(
                rs,
                "aws-eu-central-1-backups",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            ).inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
            return find(rs, "aws-eu-central-1-backups", "aws:s3/bucket:Bucket");
        },
    },
    {
        what: "log group without a KMS key",
        policy: "security-customer-managed-keys",
        change: (rs) => (delete find(rs, "aws-eu-central-1-app-logs").inputs.kmsKeyId, find(rs, "aws-eu-central-1-app-logs")),
    },
    {
        what: "GCP data disk without CMEK",
        policy: "security-customer-managed-keys",
        change: (rs) => (
            delete find(rs, "gcp-europe-west1-node-2-data", "gcp:compute/disk:Disk").inputs.diskEncryptionKey,
            find(rs, "gcp-europe-west1-node-2-data", "gcp:compute/disk:Disk")
        ),
    },
    {
        what: "IMDSv1 allowed",
        policy: "security-imdsv2",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-node-2", "aws:ec2/instance:Instance").inputs.metadataOptions.httpTokens = "optional"),
            find(rs, "aws-eu-central-1-node-2", "aws:ec2/instance:Instance")
        ),
    },
    {
        what: "public access block with public policies allowed",
        policy: "security-bucket-public-access",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-backups", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs.blockPublicPolicy =
                false),
            find(rs, "aws-eu-central-1-backups", "aws:s3/bucket:Bucket")
        ),
    },
    {
        what: "GCS bucket without public access prevention",
        policy: "security-bucket-public-access",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-backups").inputs.publicAccessPrevention = "inherited"),
            find(rs, "gcp-europe-west1-backups")
        ),
    },
    {
        what: "GCS bucket readable by allUsers",
        policy: "security-bucket-public-access",
        change: (rs) => ((find(rs, "gcp-europe-west1-node-backups").inputs.member = "allUsers"), find(rs, "gcp-europe-west1-node-backups")),
    },
    {
        what: "backup bucket versioning suspended",
        policy: "security-backup-versioning",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-backups", "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration = {
                status: "Suspended",
            }),
            find(rs, "aws-eu-central-1-backups", "aws:s3/bucket:Bucket")
        ),
    },
    {
        what: "unprotected data volume",
        policy: "security-protect-stateful",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-node-0-data", "aws:ebs/volume:Volume").protect = false),
            find(rs, "aws-eu-central-1-node-0-data", "aws:ebs/volume:Volume")
        ),
    },
    {
        what: "unprotected KMS key",
        policy: "security-protect-stateful",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-key", "gcp:kms/cryptoKey:CryptoKey").protect = false),
            find(rs, "gcp-europe-west1-key", "gcp:kms/cryptoKey:CryptoKey")
        ),
    },
    {
        what: "node without termination protection",
        policy: "security-deletion-protection",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-node-1", "aws:ec2/instance:Instance").inputs.disableApiTermination = false),
            find(rs, "aws-eu-central-1-node-1", "aws:ec2/instance:Instance")
        ),
    },
    {
        what: "ALB without deletion protection",
        policy: "security-deletion-protection",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-alb", "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection = false),
            find(rs, "aws-eu-central-1-alb", "aws:lb/loadBalancer:LoadBalancer")
        ),
    },
    {
        what: "database password in clear text in the task definition",
        policy: "security-no-clear-text-secrets",
        change: (rs) => {
            const td = find(rs, "aws-eu-central-1-app", "aws:ecs/taskDefinition:TaskDefinition");
            const defs = JSON.parse(td.inputs.containerDefinitions as string);
            defs[0].environment.push({ name: "DATABASE_PASSWORD", value: "hunter2hunter2" });
            td.inputs.containerDefinitions = JSON.stringify(defs);
            return td;
        },
    },
    {
        what: "private key in GCP instance metadata",
        policy: "security-no-clear-text-secrets",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-node-0", "gcp:compute/instance:Instance").inputs.metadata["node-key"] =
                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"),
            find(rs, "gcp-europe-west1-node-0", "gcp:compute/instance:Instance")
        ),
    },
    {
        what: "us-east-1 node role reading an EU secret",
        policy: "security-node-secret-scope",
        change: (rs) => {
            const p = find(rs, "aws-us-east-1-node-policy");
            const doc = secretPolicy(rs, "aws-us-east-1-node-policy");
            doc.Statement[0].Resource.push("arn:aws:secretsmanager:eu-central-1:123456789012:aws-eu-central-1-secret-node-0");
            p.inputs.policy = JSON.stringify(doc);
            return p;
        },
    },
    {
        what: "EU node secret granted to the us-central1 node identity",
        policy: "security-node-secret-scope",
        change: (rs) => {
            const m = find(rs, "gcp-europe-west1-node-reads-node-0");
            m.inputs.member = find(rs, "gcp-us-central1-node-reads-node-0").inputs.member;
            return m;
        },
    },
    {
        what: "app image from a registry not allowed",
        policy: "security-image-registries",
        change: (rs) => {
            const td = find(rs, "aws-eu-central-1-app", "aws:ecs/taskDefinition:TaskDefinition");
            td.inputs.containerDefinitions = (td.inputs.containerDefinitions as string).replace(
                "docker.io/acme/api:1.0.0",
                "ghcr.io/acme/api:1.0.0",
            );
            return td;
        },
    },
];

const HARMLESS: { what: string; change: (rs: Resources) => Mutable }[] = [
    {
        what: "larger instance type",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-node-0", "aws:ec2/instance:Instance").inputs.instanceType = "m6i.2xlarge"),
            find(rs, "aws-eu-central-1-node-0", "aws:ec2/instance:Instance")
        ),
    },
    {
        what: "an extra tag",
        change: (rs) => {
            const v = find(rs, "aws-eu-central-1-node-0-data", "aws:ebs/volume:Volume");
            v.inputs.tags = { ...v.inputs.tags, team: "data" };
            return v;
        },
    },
    {
        what: "an extra admin /32",
        change: (rs) => (
            find(rs, "aws-eu-central-1-node-sg").inputs.ingress[0].cidrBlocks.push("198.51.100.77/32"),
            find(rs, "aws-eu-central-1-node-sg")
        ),
    },
    {
        what: "a larger EBS data disk",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-node-0-data", "aws:ebs/volume:Volume").inputs.size = 400),
            find(rs, "aws-eu-central-1-node-0-data", "aws:ebs/volume:Volume")
        ),
    },
    {
        what: "a larger GCP data disk",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-node-0-data", "gcp:compute/disk:Disk").inputs.size = 500),
            find(rs, "gcp-europe-west1-node-0-data", "gcp:compute/disk:Disk")
        ),
    },
    {
        what: "more task memory",
        change: (rs) => (
            (find(rs, "aws-eu-central-1-app", "aws:ecs/taskDefinition:TaskDefinition").inputs.memory = "4096"),
            find(rs, "aws-eu-central-1-app", "aws:ecs/taskDefinition:TaskDefinition")
        ),
    },
    {
        what: "an extra bucket label",
        change: (rs) => {
            const b = find(rs, "gcp-europe-west1-backups");
            b.inputs.labels = { ...b.inputs.labels, team: "data" };
            return b;
        },
    },
    {
        what: "more Cloud Run instances",
        change: (rs) => (
            (find(rs, "gcp-europe-west1-app", "gcp:cloudrunv2/service:Service").inputs.template.scaling.maxInstanceCount = 40),
            find(rs, "gcp-europe-west1-app", "gcp:cloudrunv2/service:Service")
        ),
    },
    {
        what: "a slower monitor interval",
        change: (rs) => ((find(rs, "traffic-monitor").inputs.interval = 30), find(rs, "traffic-monitor")),
    },
    {
        what: "an added in-domain log group (eu-west-3 is in the EU domain's countries)",
        change: (rs) =>
            add(rs, find(rs, "aws-eu-central-1-app-logs"), "aws:cloudwatch/logGroup:LogGroup", "paris-logs", {
                name: "/x",
                region: "eu-west-3",
                kmsKeyId: "arn:aws:kms:eu-west-3:1:key/x",
                retentionInDays: 30,
            }),
    },
];

describe("policy pack through its analyzer server", function () {
    this.timeout(180000);

    before(async () => {
        // The pack loads while the shipped stacks are planned (once per test process, shared).
        const starting = PolicyPackProcess.start();
        starting.catch(() => undefined);
        for (const stack of ["prod", "staging"]) shipped.set(stack, (await shippedPlan(stack)).resources);
        pack = await starting;
        await pack.configure({});
    });

    after(async () => {
        const pid = pack?.pid;
        await pack?.stop();
        // The pack's process is gone: signal 0 to a dead pid throws ESRCH.
        if (pid) assert.throws(() => process.kill(pid, 0), /ESRCH/);
    });

    it("reports the pack's name and version from policies/package.json", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.deepEqual(await pack.info(), { name: "multicloud-residency", version: require("../policies/package.json").version });
    });

    for (const stack of ["prod", "staging"])
        it(`gives no violation on the shipped ${stack} stack (every resource and the stack)`, async () => {
            const rs = shipped.get(stack)!;
            const violations = await violationsOf(rs, rs, true);
            assert.deepEqual(
                violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });

    it("covers every mandatory policy of the pack with at least one variant", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { policies } = require("../policies/all") as typeof import("../policies/all");
        const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);
        assert.deepEqual(
            mandatory.filter((m) => !VARIANTS.some((v) => v.policy === m)),
            [],
        );
        assert.ok(VARIANTS.length >= 30 && HARMLESS.length >= 8);
    });

    for (const v of VARIANTS)
        it(`catches ${v.what} (${v.policy})`, async () => {
            const rs = [...shipped.get("prod")!];
            const target = v.change(rs);
            const violations = await violationsOf(rs, [target], STACK_POLICIES.has(v.policy));
            const hit = violations.filter((x) => x.policy === v.policy && x.urn === target.urn);
            assert.ok(
                hit.length > 0,
                `expected ${v.policy} on ${target.name}; got:\n${violations.map((x) => `${x.policy} ${x.urn}: ${x.message}`).join("\n")}`,
            );
            for (const h of hit) {
                assert.equal(h.level, "mandatory");
                assert.match(h.message, new RegExp(`"${target.name}"`), "names the resource");
                assert.match(h.message, /\. Fix: \S/, "says how to fix it");
            }
        });

    for (const h of HARMLESS)
        it(`accepts ${h.what}`, async () => {
            const rs = [...shipped.get("prod")!];
            const target = h.change(rs);
            const violations = await violationsOf(rs, [target], true);
            assert.deepEqual(
                violations.map((x) => `${x.level} ${x.policy}: ${x.message}`),
                [],
            );
        });

    it("reports deletion protection at the configured level (advisory while preparing a destroy)", async () => {
        const rs = [...shipped.get("prod")!];
        const lb = find(rs, "aws-eu-central-1-alb", "aws:lb/loadBalancer:LoadBalancer");
        lb.inputs.enableDeletionProtection = false;
        try {
            await pack.configure({ "security-deletion-protection": { enforcementLevel: "advisory" } });
            const violations = await violationsOf(rs, [lb], false);
            assert.deepEqual(
                violations.map((v) => `${v.level} ${v.policy}`),
                ["advisory security-deletion-protection"],
            );
        } finally {
            await pack.configure({});
        }
    });

    it("advises on a domain that cannot survive a region or cloud outage", async () => {
        const rs = [...shipped.get("prod")!];
        const db = find(rs, "database-sql");
        const us = db.inputs.spec.domains.find((d: { name: string }) => d.name === "us");
        us.regions = us.regions.filter((r: string) => r !== "gcp-us-central1");
        const violations = await violationsOf(rs, [db], false);
        assert.deepEqual(
            violations
                .filter((v) => v.level === "advisory")
                .map((v) => v.policy)
                .sort(),
            ["resilience-multi-cloud", "resilience-region-survival"],
        );
        // The shrunk domain also breaks its super region and home rules.
        assert.ok(violations.some((v) => v.policy === "residency-database" && v.level === "mandatory"));
    });
});

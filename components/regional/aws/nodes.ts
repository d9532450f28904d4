import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { at } from "../../collections";
import { bootScript } from "../../cluster/bootstrap";
import { nodeBootSpec, readableSecrets } from "../../cluster/nodeBoot";
import { nodeFirewallRules, regionFirewallInput } from "../../cluster/firewall";
import { COCKROACH_PORT, CONSOLE_PORT } from "../../cluster/ports";
import { awsImageParameter, cpuArchitecture } from "../machines";
import { awsSecretName, awsSecurityGroupName } from "../naming";
import { nodeOutputs } from "../outputs";
import { type CockroachSpec, type NodeAddress, type NodeOutput, type SqlEndpointOutput } from "../types";
import { tierContext } from "../context";
import { sqlEndpoint, type NodeInstance } from "./sqlEndpoint";
import type { AwsContext, AwsRegion } from "./context";
import type { AwsStoredSecret } from "./data";
import type { AwsNetwork } from "./network";
import { nodeIngress, SG_DESCRIPTIONS } from "./securityGroups";

/** Arguments of `AwsDatabaseNodes`. */
export interface AwsDatabaseNodesArgs {
    /** The region: names, plan (node addresses, SQL endpoint addresses), tags, account. */
    readonly region: AwsRegion;
    /** The region's network: node `i` in private subnet `i`. */
    readonly network: AwsNetwork;
    /** Version, machine type, disk, admin networks. */
    readonly cockroach: CockroachSpec;
    /** The nodes' Elastic IPs, in node order (`NodeAddresses`). */
    readonly addresses: readonly NodeAddress[];
    /** Public address of every node of the cluster (firewall). */
    readonly clusterPublicIps: pulumi.Input<string[]>;
    /** `--join` list. */
    readonly join: pulumi.Input<string[]>;
    /** ARN of the region key (volumes, secrets). */
    readonly keyArn: pulumi.Input<string>;
    /** The region's backup bucket: the nodes read and write it, the init node names it. */
    readonly backupBucket: { readonly arn: pulumi.Input<string>; readonly name: pulumi.Input<string> };
    /** Secrets the nodes read: node `i` reads `nodeSecrets[i]`; the init node also reads `initSecrets`. */
    readonly nodeSecrets: readonly AwsStoredSecret[];
    readonly initSecrets?: {
        readonly root: AwsStoredSecret;
        readonly license?: AwsStoredSecret;
        readonly app: AwsStoredSecret;
    };
    /** The app tier's security group: the only source the SQL endpoint admits. */
    readonly appSecurityGroupId: pulumi.Input<string>;
    /** SQL user of the app, created by the init node. */
    readonly appUser: string;
    /** Termination protection on the instances and deletion protection on the NLB. Default true. */
    readonly deletionProtection?: boolean;
    /** Workload identity audience for GCS backups (mixed-cloud clusters). */
    readonly gcsAudience?: pulumi.Input<string>;
    /** The deployment's suffix in the region's secret names (`awsSecretName`). */
    readonly secretSuffix: pulumi.Input<string>;
}

/**
 * CockroachDB nodes of an AWS region: one EC2 instance per zone in the private subnet of its zone,
 * at the plan's private address, with its Elastic IP, an encrypted data volume (region key, final
 * snapshot on delete, protected), IMDSv2 only, no SSH key; an instance role that reads only this
 * region's node secrets and writes the environment's backup buckets (BackupAccess); an internal NLB on 26257 with
 * a private DNS name every node certificate names.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class AwsDatabaseNodes extends pulumi.ComponentResource {
    /** The region's nodes as the outside sees them. */
    readonly nodes: pulumi.Output<NodeOutput[]>;
    /** Internal SQL endpoint of the region. */
    readonly sqlEndpoint: pulumi.Output<SqlEndpointOutput>;
    /** The nodes' IAM role (backup access across regions and clouds is granted to it). */
    readonly role: aws.iam.Role;

    constructor(name: string, args: AwsDatabaseNodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:AwsDatabaseNodes", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        const { plan } = ctx;
        if (plan.nodes.length > args.network.privateSubnets.length)
            throw new Error(
                `backend:cockroach.nodesPerRegion: ${plan.nodes.length} nodes in ${plan.name}, but the AWS network spans ${args.network.privateSubnets.length} zones (one node per zone); use at most ${args.network.privateSubnets.length}.`,
            );
        const identity = nodeIdentity(ctx, args);
        const firewall = nodeFirewall(ctx, args);
        const instances = nodeInstances(ctx, args, identity, firewall.nodes);
        this.sqlEndpoint = sqlEndpoint(ctx, args, instances, firewall.sql);
        this.nodes = nodeOutputs(
            plan,
            instances.map((n) => n.zone),
            args.addresses.map((a) => a.publicIp),
        );
        this.role = identity.role;
        this.registerOutputs({ nodes: this.nodes, sqlEndpoint: this.sqlEndpoint });
    }
}

/** What the nodes are: their role (and instance profile), and the secrets it may read. */
interface NodeIdentity {
    readonly role: aws.iam.Role;
    readonly profile: aws.iam.InstanceProfile;
    readonly readable: readonly AwsStoredSecret[];
}

function nodeIdentity(ctx: AwsContext, input: AwsDatabaseNodesArgs): NodeIdentity {
    const { name, plan, prefix, child } = ctx;
    // Identity: read this region's node secrets (and, on the init node's region, the init secrets),
    // decrypt with the region key, read/write the region's backup bucket. Nothing else.
    const role = new aws.iam.Role(
        `${name}-node-role`,
        {
            name: `${prefix}-cockroach-node`,
            description: `CockroachDB nodes of ${plan.name}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        child,
    );
    const readable = readableSecrets(plan.nodes, { nodes: input.nodeSecrets, init: input.initSecrets }).map((r) => r.secret);
    new aws.iam.RolePolicy(
        `${name}-node-policy`,
        {
            role: role.id,
            policy: pulumi
                .all([pulumi.all(readable.map((s) => s.secret.arn)), input.keyArn, input.backupBucket.arn])
                .apply(([secretArns, keyArn, bucketArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "OwnRegionSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
                            { Sid: "RegionKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn },
                            {
                                Sid: "OwnRegionBackupBucket",
                                Effect: "Allow",
                                Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                                Resource: bucketArn,
                            },
                            {
                                Sid: "OwnRegionBackupObjects",
                                Effect: "Allow",
                                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                                Resource: `${bucketArn}/*`,
                            },
                        ],
                    }),
                ),
        },
        child,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-node-profile`, { name: `${prefix}-cockroach-node`, role: role.name }, child);
    return { role, profile, readable };
}

/**
 * The nodes' security group, from the pure rules, and the SQL endpoint's own group (the app tier
 * in, the nodes out).
 */
function nodeFirewall(ctx: AwsContext, input: AwsDatabaseNodesArgs): { nodes: aws.ec2.SecurityGroup; sql: aws.ec2.SecurityGroup } {
    const { name, plan, prefix, child, environment } = ctx;
    const { network, cockroach } = input;

    // Firewall from the pure rules: 26257 from the cluster's nodes, the app tier and admins; 8080
    // from admins and the NLB (its fixed private addresses run the health checks).
    const rules = pulumi
        .output(input.clusterPublicIps)
        .apply((clusterPublicIps) => nodeFirewallRules(regionFirewallInput(plan, clusterPublicIps, cockroach.adminCidrs)));
    // The SQL endpoint's own group: the app tier in, the nodes out.
    const lbSg = new aws.ec2.SecurityGroup(
        `${name}-sql-sg`,
        {
            name: awsSecurityGroupName(environment, plan.name, "sql"),
            description: SG_DESCRIPTIONS.sqlGroup(plan.name),
            vpcId: network.vpc.id,
            ingress: [
                {
                    description: SG_DESCRIPTIONS.sqlIngress(),
                    protocol: "tcp",
                    fromPort: COCKROACH_PORT,
                    toPort: COCKROACH_PORT,
                    securityGroups: [input.appSecurityGroupId],
                },
            ],
            egress: [
                {
                    description: SG_DESCRIPTIONS.sqlEgressNodes(),
                    protocol: "tcp",
                    fromPort: COCKROACH_PORT,
                    toPort: COCKROACH_PORT,
                    cidrBlocks: [plan.cidr],
                },
                {
                    description: SG_DESCRIPTIONS.sqlEgressHealth(),
                    protocol: "tcp",
                    fromPort: CONSOLE_PORT,
                    toPort: CONSOLE_PORT,
                    cidrBlocks: [plan.cidr],
                },
            ],
            revokeRulesOnDelete: true,
            tags: { Name: `${prefix}-sql` },
        },
        child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-node-sg`,
        {
            name: awsSecurityGroupName(environment, plan.name, "cockroach-node"),
            description: SG_DESCRIPTIONS.nodeGroup(plan.name),
            vpcId: network.vpc.id,
            ingress: pulumi.all([rules, lbSg.id]).apply(([r, sg]) => nodeIngress(r, sg)),
            egress: [
                {
                    description: SG_DESCRIPTIONS.nodeEgress(),
                    protocol: "-1",
                    fromPort: 0,
                    toPort: 0,
                    cidrBlocks: ["0.0.0.0/0"],
                },
            ],
            revokeRulesOnDelete: true,
            tags: { Name: `${prefix}-cockroach-node` },
        },
        child,
    );

    return { nodes: securityGroup, sql: lbSg };
}

/** One node: its instance and the zone it runs in. */
/** Per node: the data volume, the instance with its boot script, the volume's attachment and the Elastic IP's association. */
function nodeInstances(
    ctx: AwsContext,
    input: AwsDatabaseNodesArgs,
    identity: NodeIdentity,
    securityGroup: aws.ec2.SecurityGroup,
): NodeInstance[] {
    const { name, plan, prefix, child, environment } = ctx;
    const { network, cockroach } = input;
    const arch = cpuArchitecture("aws", cockroach.machineType);
    const deletionProtection = input.deletionProtection ?? true;
    const ami = aws.ssm.getParameterOutput({ name: awsImageParameter(arch) }, { parent: ctx.parent }).value;
    const storeRegion = plan.region;
    const instances = plan.nodes.map((node, i) => {
        const zone = network.zones.apply((z) => at(z, i, "availability zones"));
        const address = at(input.addresses, i, "node addresses");
        const volume = new aws.ebs.Volume(
            `${name}-node-${node.index}-data`,
            {
                availabilityZone: zone,
                size: cockroach.diskSizeGb,
                type: "gp3",
                iops: 3000,
                throughput: 125,
                encrypted: true,
                kmsKeyId: input.keyArn,
                finalSnapshot: true,
                tags: { Name: `${prefix}-node-${node.index}-data`, role: "cockroach-data" },
            },
            { ...child, protect: true },
        );
        const init = i === 0 && input.initSecrets ? input.initSecrets : undefined;
        const userData = pulumi
            .all([address.publicIp, zone, input.join, volume.id, input.backupBucket.name, input.gcsAudience, input.secretSuffix])
            .apply(([publicIp, z, join, volumeId, bucket, audience, suffix]) => {
                const spec = nodeBootSpec({
                    cloud: "aws",
                    environment,
                    version: cockroach.version,
                    arch,
                    crdbRegion: plan.name,
                    zone: z,
                    nodeIndex: node.index,
                    publicIp,
                    privateIp: node.privateIp,
                    join,
                    // Nitro instances name EBS volumes by id; Xen ones (i3) by the attachment's device name.
                    dataDevices: [`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`, "/dev/sdf", "/dev/xvdf"],
                    store: { kind: "aws", region: storeRegion },
                    secretName: (role) => awsSecretName(environment, plan.name, role, suffix),
                    cache: cockroach.cache,
                    maxSqlMemory: cockroach.maxSqlMemory,
                    init: init && { license: !!init.license, appUser: input.appUser, bucketUri: `s3://${bucket}` },
                    crossCloud: audience ? { kind: "gcs-from-aws", audience } : undefined,
                });
                return bootScript(spec);
            });
        const instance = new aws.ec2.Instance(
            `${name}-node-${node.index}`,
            {
                ami,
                instanceType: cockroach.machineType,
                subnetId: at(network.privateSubnets, i, "private subnets").id,
                privateIp: node.privateIp,
                vpcSecurityGroupIds: [securityGroup.id],
                iamInstanceProfile: identity.profile.name,
                userData,
                monitoring: true,
                ebsOptimized: true,
                disableApiTermination: deletionProtection,
                metadataOptions: {
                    httpTokens: "required",
                    httpEndpoint: "enabled",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                rootBlockDevice: {
                    volumeType: "gp3",
                    volumeSize: 20,
                    encrypted: true,
                    kmsKeyId: input.keyArn,
                    deleteOnTermination: true,
                    // Provider default tags do not reach the root volume.
                    tags: { ...ctx.tags, Name: `${prefix}-node-${node.index}-root` },
                },
                tags: { Name: `${prefix}-node-${node.index}`, role: "cockroach-node", zone },
            },
            // The boot script runs once per instance (cloud-init); a changed script (new region in the
            // join list, new version) must not stop/start every node at once, and a new AMI must not
            // replace them. Roll nodes one at a time with `pulumi up --replace` instead (README).
            // Boots only once its network has egress and every secret it reads has a value.
            {
                ...child,
                ignoreChanges: ["ami", "userData"],
                dependsOn: [...network.egressReady, ...identity.readable.map((s) => s.version)],
            },
        );
        new aws.ec2.VolumeAttachment(
            `${name}-node-${node.index}-data`,
            { instanceId: instance.id, volumeId: volume.id, deviceName: "/dev/sdf", stopInstanceBeforeDetaching: true },
            child,
        );
        new aws.ec2.EipAssociation(
            `${name}-node-${node.index}`,
            { allocationId: address.id, instanceId: instance.id },
            { ...child, dependsOn: [...network.egressReady] },
        );
        return { instance, zone };
    });

    return instances;
}

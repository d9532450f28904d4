import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { publicReturnRoutes } from "../../cluster/firewall";
import { regionPrefix } from "../naming";
import { resolveRegionalArgs } from "../args";
import { deploymentSuffix } from "../suffix";
import { residencyTags } from "../tags";
import {
    BACKUP_PREFIX,
    type NodeOutput,
    type OriginOutput,
    type RegionalStackArgs,
    type RegionalStackOutputs,
    type SqlEndpointOutput,
} from "../types";
import { AwsAppTier } from "./app";
import type { AwsRegion } from "./context";
import { AwsRegionalData } from "./data";
import { AwsNetwork } from "./network";
import { AwsDatabaseNodes } from "./nodes";

/**
 * One region of the environment on AWS: VPC in 3 zones, a region KMS key, backup bucket, secrets
 * in Secrets Manager (no replicas), CockroachDB nodes on EC2 behind an internal NLB, and the app on
 * ECS Fargate behind a public ALB that only Cloudflare can reach.
 *
 * Region and tags come from the explicit `aws.Provider` in `opts.provider` (index.ts makes one per
 * region with `defaultTags`). `args.hostname` and `args.originTls` (the region's validated ACM
 * certificate) are required. Pass a `random` provider in `opts.providers` (the deployment's name
 * suffixes).
 */
export class AwsRegionalStack extends pulumi.ComponentResource implements RegionalStackOutputs {
    readonly cloud = "aws" as const;
    readonly crdbRegion: string;
    readonly domain: string;
    readonly healthPath: string;
    readonly networkId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly zones: pulumi.Output<string[]>;
    readonly origin: pulumi.Output<OriginOutput>;
    readonly nodes: pulumi.Output<NodeOutput[]>;
    readonly sqlEndpoint: pulumi.Output<SqlEndpointOutput>;
    readonly backupBucketUrl: pulumi.Output<string>;
    /** AWS only: the nodes' IAM role name and the backup bucket's name (environment-wide backup access). */
    readonly nodeRoleName: pulumi.Output<string>;
    readonly backupBucketName: pulumi.Output<string>;

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:AwsRegionalStack", name, {}, opts);
        const r = resolveRegionalArgs("aws", args);
        const { plan, cluster } = r;
        this.crdbRegion = plan.name;
        this.domain = plan.domain;
        this.healthPath = args.app.healthPath;
        const child = { parent: this };
        const region: AwsRegion = {
            name,
            plan,
            environment: args.environment,
            prefix: regionPrefix(args.environment, plan.name),
            tags: residencyTags(args.environment, plan),
            accountId: aws.getCallerIdentityOutput({}, child).accountId,
            partition: aws.getPartitionOutput({}, child).partition,
        };
        // The deployment's name suffixes (./suffix.ts) stay children of the stack: data, app and nodes use them.
        const dataSuffix = deploymentSuffix(name, "data", child);
        const secretSuffix = deploymentSuffix(name, "secrets", child);
        const data = new AwsRegionalData(
            `${name}-data`,
            {
                region,
                backupRetentionDays: r.backupRetentionDays,
                dataSuffix,
                secretSuffix,
                secrets: r,
            },
            child,
        );
        const network = new AwsNetwork(
            `${name}-network`,
            {
                region,
                returnRoutes: pulumi
                    .output(cluster.clusterPublicIps)
                    .apply((ips) => publicReturnRoutes({ clusterPublicIps: ips, adminCidrs: args.cockroach.adminCidrs })),
                nodeMachineType: args.cockroach.machineType,
                natGateways: args.natGateways,
                flowLogKeyArn: data.key.arn,
            },
            child,
        );
        const app = new AwsAppTier(
            `${name}-app`,
            {
                region,
                network,
                app: args.app,
                credentials: data.secrets.app,
                environment: r.appEnv,
                keyArn: data.key.arn,
                dataSuffix,
                hostname: args.hostname!,
                originTls: args.originTls!,
                deletionProtection: r.deletionProtection,
            },
            child,
        );
        const nodes = new AwsDatabaseNodes(
            `${name}-nodes`,
            {
                region,
                network,
                cockroach: args.cockroach,
                addresses: args.addresses,
                clusterPublicIps: cluster.clusterPublicIps,
                join: cluster.join,
                keyArn: data.key.arn,
                backupBucket: { arn: data.backupBucket.arn, name: data.backupBucket.bucket },
                nodeSecrets: data.secrets.nodes,
                initSecrets: data.secrets.init,
                appSecurityGroupId: app.securityGroup.id,
                appUser: r.appUser,
                deletionProtection: r.deletionProtection,
                gcsAudience: cluster.crossCloudBackups?.gcsAudience,
                secretSuffix,
            },
            child,
        );

        this.networkId = network.vpc.id;
        this.privateSubnetIds = pulumi.all(network.privateSubnets.map((s) => s.id));
        this.zones = network.zones;
        this.origin = app.origin;
        this.nodes = nodes.nodes;
        this.sqlEndpoint = nodes.sqlEndpoint;
        this.nodeRoleName = nodes.role.name;
        this.backupBucketName = data.backupBucket.bucket;
        this.backupBucketUrl = pulumi.interpolate`s3://${data.backupBucket.bucket}/${BACKUP_PREFIX.slice(0, -1)}`;
        this.registerOutputs({
            cloud: this.cloud,
            crdbRegion: this.crdbRegion,
            domain: this.domain,
            healthPath: this.healthPath,
            networkId: this.networkId,
            privateSubnetIds: this.privateSubnetIds,
            zones: this.zones,
            origin: this.origin,
            nodes: this.nodes,
            sqlEndpoint: this.sqlEndpoint,
            backupBucketUrl: this.backupBucketUrl,
        });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { publicReturnRoutes } from "../../cluster/firewall";
import { regionPrefix } from "../naming";
import { resolveRegionalArgs } from "../args";
import { storeRegionSecrets } from "../secrets";
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
import { awsApp, awsAppSecurityGroup } from "./app";
import type { AwsContext } from "./context";
import { awsBackupBucket, awsRegionKey, awsSecret } from "./data";
import { awsFlowLogs, awsNetwork } from "./network";
import { awsNodes } from "./nodes";

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
        const ctx: AwsContext = {
            name,
            parent: this,
            child,
            plan,
            environment: args.environment,
            prefix: regionPrefix(args.environment, plan.name),
            tags: residencyTags(args.environment, plan),
            dataSuffix: deploymentSuffix(name, "data", child),
            accountId: aws.getCallerIdentityOutput({}, child).accountId,
            partition: aws.getPartitionOutput({}, child).partition,
        };
        const returnRoutes = pulumi
            .output(cluster.clusterPublicIps)
            .apply((ips) => publicReturnRoutes({ clusterPublicIps: ips, adminCidrs: args.cockroach.adminCidrs }));
        const network = awsNetwork(ctx, returnRoutes, args.cockroach.machineType, args.natGateways);
        const key = awsRegionKey(ctx);
        awsFlowLogs(ctx, network.vpc, key);
        const backupBucket = awsBackupBucket(ctx, key, r.backupRetentionDays);

        // Every secret of the region's data lives here, encrypted with the region key, unreplicated,
        // under names of this deployment (a destroyed secret's name stays reserved for a week).
        const secretSuffix = deploymentSuffix(name, "secrets", child);
        const secrets = storeRegionSecrets(r, (role, value) => awsSecret(ctx, role, value, key, secretSuffix));

        const appSecurityGroup = awsAppSecurityGroup(ctx, network);
        const nodes = awsNodes(ctx, {
            network,
            cockroach: args.cockroach,
            addresses: args.addresses,
            clusterPublicIps: cluster.clusterPublicIps,
            join: cluster.join,
            key,
            backupBucket,
            nodeSecrets: secrets.nodes,
            initSecrets: secrets.init,
            appSecurityGroup,
            appUser: r.appUser,
            deletionProtection: r.deletionProtection,
            gcsAudience: cluster.crossCloudBackups?.gcsAudience,
            secretSuffix,
        });
        const app = awsApp(ctx, {
            network,
            app: args.app,
            appSecurityGroup,
            credentials: secrets.app,
            environment: r.appEnv,
            key,
            hostname: args.hostname!,
            originTls: args.originTls!,
            deletionProtection: r.deletionProtection,
        });

        this.networkId = network.vpc.id;
        this.privateSubnetIds = pulumi.all(network.privateSubnets.map((s) => s.id));
        this.zones = network.zones;
        this.origin = app.origin;
        this.nodes = nodes.nodes;
        this.sqlEndpoint = nodes.sqlEndpoint;
        this.nodeRoleName = nodes.role.name;
        this.backupBucketName = backupBucket.bucket;
        this.backupBucketUrl = pulumi.interpolate`s3://${backupBucket.bucket}/${BACKUP_PREFIX.slice(0, -1)}`;
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

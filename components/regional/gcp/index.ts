import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
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
import { GcpAppTier } from "./app";
import type { GcpRegion } from "./context";
import { GcpRegionalData } from "./data";
import { GcpNetwork } from "./network";
import { GcpDatabaseNodes } from "./nodes";

/**
 * One region of the environment on GCP: its own VPC network, region key, backup bucket, secrets,
 * CockroachDB nodes behind an internal SQL endpoint, and the Cloud Run app tier. Create it with the
 * region's `gcp.Provider` in `opts.provider` and a `random` provider in `opts.providers` (the
 * deployment's name suffixes); every child inherits them through its parent.
 */
export class GcpRegionalStack extends pulumi.ComponentResource implements RegionalStackOutputs {
    readonly cloud = "gcp" as const;
    readonly crdbRegion: string;
    readonly domain: string;
    readonly networkId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly zones: pulumi.Output<string[]>;
    readonly origin: pulumi.Output<OriginOutput>;
    readonly healthPath: string;
    readonly nodes: pulumi.Output<NodeOutput[]>;
    readonly sqlEndpoint: pulumi.Output<SqlEndpointOutput>;
    readonly backupBucketUrl: pulumi.Output<string>;
    /** GCP only: the nodes' service account and the backup bucket's name (environment-wide backup access). */
    readonly nodeServiceAccountEmail: pulumi.Output<string>;
    readonly nodeServiceAccountUniqueId: pulumi.Output<string>;
    readonly backupBucketName: pulumi.Output<string>;

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:GcpRegionalStack", name, {}, opts);
        const r = resolveRegionalArgs("gcp", args);
        const { plan, environment, cluster } = r;
        if (!args.gcpProject)
            throw new Error(
                `GcpRegionalStack ${plan.name}: backend:gcpProject is required for a GCP region; set it with: pulumi config set backend:gcpProject <project-id>.`,
            );
        this.crdbRegion = plan.name;
        this.domain = plan.domain;
        this.healthPath = args.app.healthPath;

        const child = { parent: this };
        const region: GcpRegion = {
            name,
            plan,
            environment,
            prefix: regionPrefix(environment, plan.name),
            tags: residencyTags(environment, plan),
            project: args.gcpProject,
            projectNumber: gcp.organizations.getProjectOutput({ projectId: args.gcpProject }, child).number,
        };
        // The deployment's name suffix (./suffix.ts) stays a child of the stack.
        const data = new GcpRegionalData(
            `${name}-data`,
            { region, backupRetentionDays: r.backupRetentionDays, dataSuffix: deploymentSuffix(name, "data", child), secrets: r },
            child,
        );
        const network = new GcpNetwork(`${name}-network`, { region }, child);
        const app = new GcpAppTier(
            `${name}-app`,
            {
                region,
                network,
                app: args.app,
                environment: r.appEnv,
                credentials: data.secrets.app,
                regionKey: data.regionKey,
                deletionProtection: r.deletionProtection,
            },
            child,
        );
        const nodes = new GcpDatabaseNodes(
            `${name}-nodes`,
            {
                region,
                network,
                cockroach: args.cockroach,
                addresses: args.addresses,
                clusterPublicIps: cluster.clusterPublicIps,
                join: cluster.join,
                regionKey: data.regionKey,
                backupBucket: data.backupBucket,
                nodeSecrets: data.secrets.nodes,
                initSecrets: data.secrets.init,
                appUser: r.appUser,
                deletionProtection: r.deletionProtection,
                s3Access: cluster.crossCloudBackups && {
                    roleArn: cluster.crossCloudBackups.s3RoleArn,
                    stsRegion: cluster.crossCloudBackups.s3StsRegion,
                },
            },
            child,
        );

        this.networkId = network.network.selfLink;
        this.privateSubnetIds = pulumi.all([network.privateSubnet.id]);
        this.zones = network.zones;
        this.origin = app.origin;
        this.nodes = nodes.nodes;
        this.sqlEndpoint = nodes.sqlEndpoint;
        this.nodeServiceAccountEmail = nodes.serviceAccount.email;
        this.nodeServiceAccountUniqueId = nodes.serviceAccount.uniqueId;
        this.backupBucketName = data.backupBucket.name;
        this.backupBucketUrl = pulumi.interpolate`gs://${data.backupBucket.name}/${BACKUP_PREFIX.slice(0, -1)}`;
        this.registerOutputs({
            cloud: this.cloud,
            crdbRegion: this.crdbRegion,
            domain: this.domain,
            networkId: this.networkId,
            privateSubnetIds: this.privateSubnetIds,
            zones: this.zones,
            origin: this.origin,
            healthPath: this.healthPath,
            nodes: this.nodes,
            sqlEndpoint: this.sqlEndpoint,
            backupBucketUrl: this.backupBucketUrl,
        });
    }
}

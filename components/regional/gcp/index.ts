import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
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
import { gcpApp } from "./app";
import type { GcpContext } from "./context";
import { gcpBackupBucket, gcpRegionKey, gcpSecret } from "./data";
import { gcpNetwork } from "./network";
import { gcpNodes } from "./nodes";

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
        const project = gcp.organizations.getProjectOutput({ projectId: args.gcpProject }, child);
        const ctx: GcpContext = {
            name,
            parent: this,
            child,
            plan,
            environment,
            prefix: regionPrefix(environment, plan.name),
            tags: residencyTags(environment, plan),
            dataSuffix: deploymentSuffix(name, "data", child),
            project: args.gcpProject,
            projectNumber: project.number,
        };
        const network = gcpNetwork(ctx);
        const regionKey = gcpRegionKey(ctx);
        const backupBucket = gcpBackupBucket(ctx, regionKey, r.backupRetentionDays);

        // Every secret of the region's data lives here, encrypted with the region key, in the region only.
        const secrets = storeRegionSecrets(r, (role, value) => gcpSecret(ctx, role, value, regionKey));

        const db = gcpNodes(ctx, {
            network,
            cockroach: args.cockroach,
            addresses: args.addresses,
            clusterPublicIps: cluster.clusterPublicIps,
            join: cluster.join,
            regionKey,
            backupBucket,
            nodeSecrets: secrets.nodes,
            initSecrets: secrets.init,
            appUser: r.appUser,
            deletionProtection: r.deletionProtection,
            s3Access: cluster.crossCloudBackups && {
                roleArn: cluster.crossCloudBackups.s3RoleArn,
                stsRegion: cluster.crossCloudBackups.s3StsRegion,
            },
        });

        const app = gcpApp(ctx, {
            network,
            app: args.app,
            environment: r.appEnv,
            credentials: secrets.app,
            regionKey,
            deletionProtection: r.deletionProtection,
        });

        this.networkId = network.network.selfLink;
        this.privateSubnetIds = pulumi.all([network.privateSubnet.id]);
        this.zones = network.zones;
        this.origin = app.origin;
        this.nodes = db.nodes;
        this.sqlEndpoint = db.sqlEndpoint;
        this.nodeServiceAccountEmail = db.serviceAccount.email;
        this.nodeServiceAccountUniqueId = db.serviceAccount.uniqueId;
        this.backupBucketName = backupBucket.name;
        this.backupBucketUrl = pulumi.interpolate`gs://${backupBucket.name}/${BACKUP_PREFIX.slice(0, -1)}`;
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

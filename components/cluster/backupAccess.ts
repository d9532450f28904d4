import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
    AWS_ATTRIBUTE_MAPPING,
    crossCloudBackupRoleName,
    FEDERATION_PROVIDER_ID,
    federatedAwsRole,
    googleWebIdentityTrust,
    s3BackupPolicy,
} from "./backups";

/**
 * Object create/read/list/delete, without IAM changes (objectAdmin could grant others access):
 * what backups, restores and CHECK EXTERNAL CONNECTION need.
 */
export const BACKUP_WRITER_ROLE = "roles/storage.objectUser";

/** An AWS region's node identity and backup bucket. */
export interface AwsBackupRegion {
    readonly crdbRegion: string;
    /** Cloud region name (`us-east-1`): S3 and KMS endpoints the policy allows. */
    readonly region: string;
    readonly nodeRoleName: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
}

/** A GCP region's node identity and backup bucket. */
export interface GcpBackupRegion {
    readonly crdbRegion: string;
    readonly serviceAccountEmail: pulumi.Input<string>;
    /** Numeric unique id (the `sub` of its Google ID tokens). */
    readonly serviceAccountUniqueId: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
}

export interface BackupAccessArgs {
    /** Environment name: names the pool and the cross-cloud role. */
    readonly environment: string;
    readonly aws?: {
        readonly accountId: pulumi.Input<string>;
        /** ARN partition (`aws`, `aws-us-gov`, `aws-cn`). Default `aws`. */
        readonly partition?: pulumi.Input<string>;
        readonly regions: readonly AwsBackupRegion[];
    };
    readonly gcp?: { readonly project: string; readonly projectNumber: pulumi.Input<string>; readonly regions: readonly GcpBackupRegion[] };
    /**
     * Id of the workload identity pool (`federationPoolId`), required when the cluster spans both
     * clouds; the nodes' credentials name it before the pool exists.
     */
    readonly poolId?: pulumi.Input<string>;
}

/**
 * Lets every node of the cluster write every backup bucket of the environment, as CockroachDB's
 * locality-aware backups require (any node may coordinate a backup job): IAM grants within each
 * cloud, keyless federation across clouds (components/cluster/backups.ts). Grants cover the backup
 * buckets only; secrets stay readable in their own region alone.
 *
 * The nodes learn the federation's names before it exists (`federationAudience`,
 * `crossCloudBackupRoleArn`), so regional stacks never wait on this component.
 *
 * Providers: pass one `aws` and one `gcp` provider in `opts.providers` (IAM is global on AWS; the
 * pool and bucket grants are project-wide on GCP).
 */
export class BackupAccess extends pulumi.ComponentResource {
    constructor(name: string, args: BackupAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:cluster:BackupAccess", name, {}, opts);
        const child = { parent: this };
        const awsRegions = args.aws?.regions ?? [];
        const gcpRegions = args.gcp?.regions ?? [];
        const env = args.environment;

        // Within AWS: every node role reaches every S3 backup bucket of the environment. A GCP-only
        // environment has no S3 bucket, hence no S3 policy (s3BackupPolicy refuses an empty list).
        const partition = pulumi.output(args.aws?.partition ?? "aws");
        const s3Policy =
            awsRegions.length === 0
                ? undefined
                : pulumi.all([pulumi.all(awsRegions.map((r) => r.bucketName)), partition]).apply(([buckets, p]) =>
                      s3BackupPolicy(
                          buckets,
                          env,
                          awsRegions.map((r) => r.region),
                          p,
                      ),
                  );
        if (s3Policy)
            for (const r of awsRegions)
                new aws.iam.RolePolicy(`${name}-${r.crdbRegion}-s3`, { role: r.nodeRoleName, policy: s3Policy }, child);

        // Within GCP: every node service account reaches every GCS backup bucket (its own region's
        // grant lives with the region).
        for (const bucket of gcpRegions)
            for (const reader of gcpRegions.filter((r) => r !== bucket))
                new gcp.storage.BucketIAMMember(
                    `${name}-${reader.crdbRegion}-writes-${bucket.crdbRegion}`,
                    {
                        bucket: bucket.bucketName,
                        role: BACKUP_WRITER_ROLE,
                        member: pulumi.interpolate`serviceAccount:${reader.serviceAccountEmail}`,
                    },
                    child,
                );

        if (!args.aws || !args.gcp || !s3Policy || gcpRegions.length === 0) {
            this.registerOutputs({});
            return;
        }
        const { accountId } = args.aws;
        const { projectNumber, project } = args.gcp;
        if (args.poolId === undefined)
            throw new Error("BackupAccess: a cluster on both clouds needs args.poolId (federationPoolId with the deployment's suffix).");
        const poolId = pulumi.output(args.poolId);

        // AWS nodes into GCS: a pool whose AWS provider trusts this account; each node role's sessions
        // get object access on every GCS backup bucket.
        const pool = new gcp.iam.WorkloadIdentityPool(
            `${name}-pool`,
            {
                project,
                workloadIdentityPoolId: poolId,
                displayName: `${env} CockroachDB AWS nodes`.slice(0, 32),
                description: `AWS CockroachDB nodes of ${env} writing GCS backups`,
            },
            child,
        );
        const provider = new gcp.iam.WorkloadIdentityPoolProvider(
            `${name}-pool-aws`,
            {
                project,
                workloadIdentityPoolId: pool.workloadIdentityPoolId,
                workloadIdentityPoolProviderId: FEDERATION_PROVIDER_ID,
                displayName: "AWS nodes",
                aws: { accountId },
                attributeMapping: { ...AWS_ATTRIBUTE_MAPPING },
                // Only this environment's node roles may exchange tokens at all.
                attributeCondition: pulumi
                    .all([accountId, partition, pulumi.all(awsRegions.map((r) => r.nodeRoleName))])
                    .apply(
                        ([account, p, roles]) =>
                            `attribute.aws_role in [${roles.map((role) => `'arn:${p}:sts::${account}:assumed-role/${role}'`).join(", ")}]`,
                    ),
            },
            child,
        );
        for (const bucket of gcpRegions)
            for (const r of awsRegions)
                new gcp.storage.BucketIAMMember(
                    `${name}-${r.crdbRegion}-writes-${bucket.crdbRegion}`,
                    {
                        bucket: bucket.bucketName,
                        role: BACKUP_WRITER_ROLE,
                        member: pulumi
                            .all([projectNumber, poolId, accountId, r.nodeRoleName, partition])
                            .apply(([number, pool, account, role, p]) => federatedAwsRole(number, pool, account, role, p)),
                    },
                    { ...child, dependsOn: [provider] },
                );

        // GCP nodes into S3: a role their service accounts assume with Google ID tokens.
        const role = new aws.iam.Role(
            `${name}-from-gcp`,
            {
                name: crossCloudBackupRoleName(env),
                description: `GCP CockroachDB nodes of ${env} writing S3 backups`,
                assumeRolePolicy: pulumi.all(gcpRegions.map((r) => r.serviceAccountUniqueId)).apply((ids) => googleWebIdentityTrust(ids)),
                maxSessionDuration: 3600,
            },
            child,
        );
        new aws.iam.RolePolicy(`${name}-from-gcp-s3`, { role: role.id, policy: s3Policy }, child);
        this.registerOutputs({});
    }
}

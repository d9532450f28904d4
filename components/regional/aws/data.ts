import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedRegionalArgs } from "../args";
import { tierContext } from "../context";
import { awsSecretName, s3BucketName } from "../naming";
import { storeRegionSecrets, type RegionSecrets } from "../secrets";
import { BACKUP_PREFIX } from "../types";
import type { AwsContext, AwsRegion } from "./context";

/**
 * Elastic Load Balancing's log-delivery account of the regions opened before August 2022; newer
 * regions deliver as the service principal `logdelivery.elasticloadbalancing.amazonaws.com`.
 * Source: docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 * ("Attach a policy to your S3 bucket"), checked 2026-11.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

/** Arguments of `AwsRegionalData`. */
export interface AwsRegionalDataArgs {
    /** The region: names, plan, tags, account. */
    readonly region: AwsRegion;
    /** Days backups (`backups/`) are kept before the lifecycle rule expires them. Default 30. */
    readonly backupRetentionDays?: number;
    /** Suffix of this deployment in the names of the region's buckets (`deploymentSuffix(name, "data")`). */
    readonly dataSuffix: pulumi.Input<string>;
    /** Suffix of this deployment in the names of the region's secrets (`deploymentSuffix(name, "secrets")`). */
    readonly secretSuffix: pulumi.Input<string>;
    /** What the region's secrets hold: its nodes' certificates, the app's credentials, and on the init region the root client and licence. */
    readonly secrets: Pick<ResolvedRegionalArgs, "plan" | "cluster" | "appUser">;
}

/**
 * The region's data at rest: its KMS key, the backup bucket (and its access-log bucket), and every
 * secret of the region in Secrets Manager, encrypted with the region key, unreplicated, under
 * names of this deployment (a destroyed secret's name stays reserved for a week).
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class AwsRegionalData extends pulumi.ComponentResource {
    /** The region key (disks, buckets, secrets, logs). */
    readonly key: aws.kms.Key;
    readonly backupBucket: aws.s3.Bucket;
    readonly secrets: RegionSecrets<AwsStoredSecret>;

    constructor(name: string, args: AwsRegionalDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:AwsRegionalData", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        this.key = awsRegionKey(ctx);
        this.backupBucket = awsBackupBucket(ctx, args.dataSuffix, this.key, args.backupRetentionDays ?? 30);
        this.secrets = storeRegionSecrets(args.secrets, (role, value) => awsSecret(ctx, role, value, this.key, args.secretSuffix));
        this.registerOutputs({ keyArn: this.key.arn, backupBucketName: this.backupBucket.bucket });
    }
}

/** Stateful resources outlive mistakes: `pulumi destroy` stops at them until unprotected. */
const KEEP = { protect: true } as const;

/**
 * The region's customer-managed KMS key: EBS volumes, the backup bucket, secrets and app logs.
 * Rotated yearly; single-region (key material never leaves the region). Protected and retained on
 * delete: disks, snapshots and backups encrypted with it stay readable only while it exists.
 */
function awsRegionKey(ctx: AwsContext): aws.kms.Key {
    const { name, prefix, plan } = ctx;
    const policy = pulumi.all([ctx.accountId, ctx.partition]).apply(([account, partition]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministersThroughIam",
                    Effect: "Allow",
                    Principal: { AWS: `arn:${partition}:iam::${account}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudWatchLogsOfThisRegion",
                    Effect: "Allow",
                    Principal: { Service: `logs.${plan.region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: {
                        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${plan.region}:${account}:log-group:*` },
                    },
                },
            ],
        }),
    );
    const key = new aws.kms.Key(
        `${name}-key`,
        {
            description: `${prefix}: disks, backups, secrets and logs of ${plan.name}`,
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: 30,
            multiRegion: false,
            policy,
            tags: { Name: prefix },
        },
        { ...ctx.child, ...KEEP, retainOnDelete: true },
    );
    // No deployment suffix: a deleted alias's name can be created again at once, for any key
    // (docs.aws.amazon.com/kms/latest/developerguide/alias-delete.html).
    new aws.kms.Alias(`${name}-key`, { name: `alias/${prefix}`, targetKeyId: key.keyId }, ctx.child);
    return key;
}

/** A private bucket: owner-enforced, public access blocked, TLS only, versioned. */
function privateBucket(
    ctx: AwsContext,
    dataSuffix: pulumi.Input<string>,
    role: string,
    encryption: { sseAlgorithm: "aws:kms"; key: aws.kms.Key } | { sseAlgorithm: "AES256" },
    lifecycle: aws.types.input.s3.BucketLifecycleConfigurationRule[],
    extraStatements: (arn: string, account: string, partition: string) => pulumi.Input<object[]> = () => [],
): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const { name, prefix, plan } = ctx;
    const bucket = new aws.s3.Bucket(
        `${name}-${role}`,
        {
            bucket: pulumi
                .all([ctx.accountId, dataSuffix])
                .apply(([account, suffix]) => s3BucketName(ctx.environment, plan.name, role, account, suffix)),
            forceDestroy: false,
            tags: { Name: `${prefix}-${role}` },
        },
        { ...ctx.child, ...KEEP },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-${role}`,
        {
            bucket: bucket.id,
            rules: [
                encryption.sseAlgorithm === "aws:kms"
                    ? {
                          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.key.arn },
                          bucketKeyEnabled: true,
                      }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ],
        },
        ctx.child,
    );
    new aws.s3.BucketVersioning(`${name}-${role}`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, ctx.child);
    // ACLs off, the bucket owns every object: S3's default for new buckets, stated so it cannot drift.
    // Log delivery is then granted by bucket policy alone, as S3 and ELB document for such buckets.
    new aws.s3.BucketOwnershipControls(
        `${name}-${role}`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        ctx.child,
    );
    const block = new aws.s3.BucketPublicAccessBlock(
        `${name}-${role}`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        ctx.child,
    );
    new aws.s3.BucketLifecycleConfiguration(`${name}-${role}`, { bucket: bucket.id, rules: lifecycle }, ctx.child);
    const policy = new aws.s3.BucketPolicy(
        `${name}-${role}`,
        {
            bucket: bucket.id,
            policy: pulumi.all([bucket.arn, ctx.accountId, ctx.partition]).apply(([arn, account, partition]) =>
                pulumi.output(extraStatements(arn, account, partition)).apply((extra) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "TlsOnly",
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: [arn, `${arn}/*`],
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                            ...extra,
                        ],
                    }),
                ),
            ),
        },
        { ...ctx.child, dependsOn: [block] },
    );
    return { bucket, policy };
}

/** Days access logs (ALB, S3 server access) are kept in their in-region bucket. */
export const ACCESS_LOG_RETENTION_DAYS = 90;

/** Lifecycle of an access-log bucket: logs expire, overwritten versions go the next day. */
const ACCESS_LOG_LIFECYCLE: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
    {
        id: "expire-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: ACCESS_LOG_RETENTION_DAYS },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
    },
];

/** Key prefix of the backup bucket's server access logs in the log bucket. */
export const BACKUP_ACCESS_LOG_PREFIX = "s3/backups/";

/**
 * The region's backup bucket: SSE-KMS with the region key, versioned, public access blocked, TLS
 * only, backups expiring after `retentionDays`, every request logged (S3 server access logging) to
 * an in-region log bucket. Protected.
 */
function awsBackupBucket(ctx: AwsContext, dataSuffix: pulumi.Input<string>, key: aws.kms.Key, retentionDays: number): aws.s3.Bucket {
    const { bucket } = privateBucket(ctx, dataSuffix, "backups", { sseAlgorithm: "aws:kms", key }, [
        // CockroachDB schedules have no retention: backups under backups/ expire here. The init
        // marker (cluster/) stays. Overwritten or deleted objects stay recoverable for a week.
        {
            id: "expire-backups",
            status: "Enabled",
            filter: { prefix: `${BACKUP_PREFIX}` },
            expiration: { days: retentionDays },
        },
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 7 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
    ]);

    // Server access logs of the backup bucket (it holds customer data). AWS: the target bucket "must
    // be in the same AWS Region and AWS account as the source bucket"; its default encryption may be
    // "only" SSE-S3, "SSE-KMS is not supported"; with bucket-owner-enforced ownership (the default
    // for new buckets, ACLs disabled) delivery is granted by a bucket policy to
    // `logging.s3.amazonaws.com`, scoped by aws:SourceArn and aws:SourceAccount; no Object Lock.
    // Source: docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    // (awsdocs/amazon-s3-userguide doc_source/enable-server-access-logging.md), checked 2026-12.
    const logs = privateBucket(ctx, dataSuffix, "s3-logs", { sseAlgorithm: "AES256" }, ACCESS_LOG_LIFECYCLE, (arn, account) =>
        bucket.arn.apply((source) => [
            {
                Sid: "S3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${arn}/${BACKUP_ACCESS_LOG_PREFIX}*`,
                Condition: { ArnLike: { "aws:SourceArn": source }, StringEquals: { "aws:SourceAccount": account } },
            },
        ]),
    );
    new aws.s3.BucketLogging(
        `${ctx.name}-backups`,
        {
            bucket: bucket.id,
            targetBucket: logs.bucket.id,
            targetPrefix: BACKUP_ACCESS_LOG_PREFIX,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        // Delivery starts at once: the grant must be there first.
        { ...ctx.child, dependsOn: [logs.policy] },
    );
    return bucket;
}

/**
 * The ALB's access-log bucket. ALB log delivery supports only SSE-S3 (not KMS) on the target bucket,
 * so this bucket uses AES256; it is otherwise as locked down as the backup bucket. Logs expire after
 * 90 days. Returns the policy too: the ALB checks write access when logging is enabled.
 */
export function awsAccessLogBucket(
    ctx: AwsContext,
    dataSuffix: pulumi.Input<string>,
): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const elbAccount = ELB_LOG_ACCOUNTS[ctx.plan.region];
    return privateBucket(ctx, dataSuffix, "alb-logs", { sseAlgorithm: "AES256" }, ACCESS_LOG_LIFECYCLE, (arn, account, partition) => [
        {
            Sid: "ElbLogDelivery",
            Effect: "Allow",
            Principal: elbAccount
                ? { AWS: `arn:${partition}:iam::${elbAccount}:root` }
                : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/alb/AWSLogs/${account}/*`,
        },
    ]);
}

/** A secret and its current value; readers depend on `version` so they never find it empty. */
export interface AwsStoredSecret {
    readonly secret: aws.secretsmanager.Secret;
    readonly version: aws.secretsmanager.SecretVersion;
}

/**
 * A secret of the region, encrypted with the region key, without replicas. Its name carries the
 * deployment's `suffix` (`awsSecretName`): a destroyed secret keeps its name for the recovery window.
 */
function awsSecret(
    ctx: AwsContext,
    role: string,
    value: pulumi.Output<string>,
    key: aws.kms.Key,
    suffix: pulumi.Input<string>,
): AwsStoredSecret {
    const { name } = ctx;
    const secret = new aws.secretsmanager.Secret(
        `${name}-secret-${role}`,
        {
            name: pulumi.output(suffix).apply((s) => awsSecretName(ctx.environment, ctx.plan.name, role, s)),
            description: `${role} of ${ctx.plan.name} (${ctx.environment})`,
            kmsKeyId: key.arn,
            // No `replicas`: a secret stays in its region. A deleted secret keeps its name for the
            // recovery window (7 days, the shortest that still allows an undo).
            recoveryWindowInDays: 7,
        },
        ctx.child,
    );
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-secret-${role}`,
        { secretId: secret.id, secretString: pulumi.secret(value) },
        ctx.child,
    );
    return { secret, version };
}

/**
 * Who may write the backup buckets, decided once. CockroachDB requires every node to reach every
 * destination of a locality-aware backup: any node can claim the backup job and become its
 * coordinator, which writes the manifest to the default destination and checks every other one
 * (cockroachlabs.com/docs/stable/take-and-restore-locality-aware-backups). Each node still writes
 * the data of the ranges it exports to its own region's bucket.
 *
 * Within a cloud that is an IAM grant. Across clouds it is keyless federation, so no cloud holds a
 * long-lived credential of the other: AWS nodes reach GCS through GCP Workload Identity Federation
 * (an AWS provider that trusts the node roles), GCP nodes reach S3 by assuming an AWS role with
 * their service account's Google ID token (AssumeRoleWithWebIdentity, `accounts.google.com`).
 * Pure: names, policies and credential files.
 */

import { checkSuffix } from "../regional/naming";

/**
 * Workload identity pool ids: 4-32 characters of `[a-z0-9-]`, never starting with the reserved
 * `gcp-` (@pulumi/gcp iam.WorkloadIdentityPool `workloadIdentityPoolId`, from the IAM API).
 */
export const POOL_ID = /^(?!gcp-)[a-z0-9-]{4,32}$/;

/**
 * Workload identity pool that lets the environment's AWS nodes into GCP: `crdb-<env>-aws-<suffix>`.
 * A deleted pool is soft-deleted for about 30 days and "You cannot reuse the ID of a soft-deleted
 * pool until it is permanently deleted" (IAM API, WorkloadIdentityPool.State DELETED), so the id
 * carries a per-deployment suffix (`random.RandomId`, hex): a deployment after `pulumi destroy` gets
 * a new pool instead of meeting the deleted one. Starts with "crdb-", never the reserved "gcp-".
 */
export function federationPoolId(environment: string, suffix: string): string {
    // 5 + 16 (the longest environment name) + 5 + 6 = 32.
    const id = `crdb-${environment}-aws-${checkSuffix(suffix)}`;
    if (!POOL_ID.test(id)) throw new Error(`workload identity pool id "${id}" must be 4-32 characters of a-z, 0-9 and '-'.`);
    return id;
}

/** The pool's AWS provider (provider ids are 4-32 characters). */
export const FEDERATION_PROVIDER_ID = "aws-nodes";

/** AWS role that the environment's GCP nodes assume to write S3 backups (at most 64 characters). */
export function crossCloudBackupRoleName(environment: string): string {
    return `${environment}-crdb-backups-from-gcp`;
}

/** ARN of the cross-cloud role, from the partition and account it lives in (known before it exists). */
export function crossCloudBackupRoleArn(callerArn: string, accountId: string, environment: string): string {
    const partition = callerArn.split(":")[1] || "aws";
    return `arn:${partition}:iam::${accountId}:role/${crossCloudBackupRoleName(environment)}`;
}

/** Audience GCP nodes request their Google ID token for; the AWS role's trust policy checks it. */
export const AWS_WEB_IDENTITY_AUDIENCE = "sts.amazonaws.com";

/** `//iam.googleapis.com/...providers/aws`: the audience of AWS nodes' external-account credentials. */
export function federationAudience(projectNumber: string, poolId: string): string {
    return `//iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}/providers/${FEDERATION_PROVIDER_ID}`;
}

/**
 * The GCP principal of every session of one AWS role through the pool: the attribute
 * `aws_role` is the assumed-role ARN without its session name (the pool's attribute mapping).
 */
export function federatedAwsRole(projectNumber: string, poolId: string, accountId: string, roleName: string, partition = "aws"): string {
    return (
        `principalSet://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/` +
        `${poolId}/attribute.aws_role/arn:${partition}:sts::${accountId}:assumed-role/${roleName}`
    );
}

/** Attribute mapping of the pool's AWS provider (Google's documented default for AWS). */
export const AWS_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
    "google.subject": "assertion.arn",
    "attribute.aws_role":
        "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
};

/**
 * Google external-account credentials for an AWS instance (the file `GOOGLE_APPLICATION_CREDENTIALS`
 * names): the Google client signs a GetCallerIdentity request with the instance role's credentials
 * from IMDSv2 and exchanges it at Google STS. Holds no secret.
 * Source: cloud.google.com/iam/docs/workload-identity-federation-with-other-clouds (AWS).
 */
export function gcpExternalAccountConfig(audience: string): string {
    return JSON.stringify(
        {
            type: "external_account",
            audience,
            subject_token_type: "urn:ietf:params:aws:token-type:aws4_request",
            token_url: "https://sts.googleapis.com/v1/token",
            credential_source: {
                environment_id: "aws1",
                region_url: "http://169.254.169.254/latest/meta-data/placement/availability-zone",
                url: "http://169.254.169.254/latest/meta-data/iam/security-credentials",
                regional_cred_verification_url: "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
                imdsv2_session_token_url: "http://169.254.169.254/latest/api/token",
            },
        },
        null,
        2,
    );
}

/**
 * Trust policy of the cross-cloud role: only the named Google service accounts (by their numeric
 * unique id, the token's `sub`) with a token minted for `sts.amazonaws.com`.
 */
export function googleWebIdentityTrust(serviceAccountUniqueIds: readonly string[]): string {
    if (serviceAccountUniqueIds.length === 0) throw new Error("googleWebIdentityTrust needs at least one service account.");
    for (const id of serviceAccountUniqueIds)
        if (!/^\d{15,25}$/.test(id)) throw new Error(`"${id}" is not a Google service account's numeric unique id.`);
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: "accounts.google.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    // `sub` and `aud` (AWS maps it to the token's `azp`) are the service account's
                    // unique id; `oaud` is the token's audience.
                    StringEquals: {
                        "accounts.google.com:sub": [...serviceAccountUniqueIds].sort(),
                        "accounts.google.com:aud": [...serviceAccountUniqueIds].sort(),
                        "accounts.google.com:oaud": AWS_WEB_IDENTITY_AUDIENCE,
                    },
                },
            },
        ],
    });
}

/**
 * Access to the environment's S3 backup buckets: objects read/written, buckets listed, and the
 * region keys used only through S3 and only when tagged with this environment (the provider's
 * default tags). Attached to every AWS node role and to the cross-cloud role.
 */
export function s3BackupPolicy(
    bucketNames: readonly string[],
    environment: string,
    awsRegions: readonly string[],
    partition = "aws",
): string {
    if (bucketNames.length === 0) throw new Error("s3BackupPolicy needs at least one bucket.");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnvironmentBackupBuckets",
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                Resource: [...bucketNames].sort().map((b) => `arn:${partition}:s3:::${b}`),
            },
            {
                Sid: "EnvironmentBackupObjects",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                Resource: [...bucketNames].sort().map((b) => `arn:${partition}:s3:::${b}/*`),
            },
            {
                Sid: "EnvironmentRegionKeysThroughS3",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: {
                    StringEquals: {
                        "aws:ResourceTag/environment": environment,
                        "kms:ViaService": [...awsRegions].sort().map((r) => `s3.${r}.amazonaws.com`),
                    },
                },
            },
        ],
    });
}

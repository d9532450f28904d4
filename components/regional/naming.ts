/**
 * Cloud-side names of a region's resources, within each cloud's limits. Pure: the same inputs
 * always give the same names, so boot scripts, IAM policies and operators can rely on them.
 */
import { createHash } from "node:crypto";

/** First `length` hex characters of the SHA-256 of `text`. */
export function shortHash(text: string, length = 6): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** `name` if it fits in `max` characters, else a prefix of it plus a hash of the whole name. */
export function fitName(name: string, max: number): string {
    if (name.length <= max) return name;
    return `${name.slice(0, max - 7).replace(/[-.]+$/, "")}-${shortHash(name)}`;
}

/** `<env>-<crdb-region>`: prefix of the region's names and of `Name` tags. */
export function regionPrefix(environment: string, crdbRegion: string): string {
    return `${environment}-${crdbRegion}`;
}

/**
 * Bytes of the per-deployment suffix (`random.RandomId`, written as hex) that goes into the names a
 * cloud keeps after deletion. A region creates its suffixes with its resources, so a deployment after
 * `pulumi destroy` draws new ones and never meets the names the cloud still holds. 3 bytes: 6 hex
 * characters, 16.7 million values per region and environment.
 */
export const DEPLOYMENT_SUFFIX_BYTES = 3;

/** Throws unless `suffix` is the hex of a `DEPLOYMENT_SUFFIX_BYTES` random id. */
export function checkSuffix(suffix: string): string {
    if (!new RegExp(`^[0-9a-f]{${DEPLOYMENT_SUFFIX_BYTES * 2}}$`).test(suffix))
        throw new Error(
            `deployment suffix "${suffix}" must be ${DEPLOYMENT_SUFFIX_BYTES * 2} lowercase hex characters (a RandomId's hex).`,
        );
    return suffix;
}

/**
 * AWS Secrets Manager names: 1-512 characters of ASCII letters, digits and `/_+=.@-`
 * (docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html, `Name`).
 */
export const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * AWS Secrets Manager name: `<env>/<crdb-region>/<suffix>/<role>`. A deleted secret keeps its name
 * for its recovery window (7-30 days, docs.aws.amazon.com/secretsmanager/latest/apireference/
 * API_DeleteSecret.html), so the name carries the deployment's suffix. The suffix is a path segment,
 * not a tail: AWS warns against names ending in a hyphen and six characters (it appends that to ARNs).
 * Readers get the exact names or ARNs (boot scripts, IAM policies); operators list `<env>/<crdb-region>/`.
 */
export function awsSecretName(environment: string, crdbRegion: string, role: string, suffix: string): string {
    const name = `${environment}/${crdbRegion}/${checkSuffix(suffix)}/${role}`;
    if (!AWS_SECRET_NAME.test(name)) throw new Error(`AWS secret name "${name}" breaks Secrets Manager's naming rules.`);
    return name;
}

/**
 * Cloud KMS key ring and crypto key ids: `[a-zA-Z0-9_-]{1,63}` (cloud.google.com/kms/docs/reference/
 * rest/v1/projects.locations.keyRings/create `keyRingId`, .../keyRings.cryptoKeys/create `cryptoKeyId`).
 */
export const GCP_KMS_ID = /^[a-zA-Z0-9_-]{1,63}$/;

/**
 * Cloud KMS key ring of a region: `<env>-<crdb-region>-<suffix>`. Key rings have no delete
 * operation, and "Deleted CryptoKey names can't be reused" (cloud.google.com/kms/docs/
 * delete-kms-resources): their names stay taken forever, so a deployment after a full destroy needs
 * a new key ring, and gets one with its new suffix.
 */
export function gcpKeyRingName(environment: string, crdbRegion: string, suffix: string): string {
    return fitName(`${environment}-${crdbRegion}-${checkSuffix(suffix)}`, 63);
}

/** The region's crypto key: unique within its key ring, which is new with every deployment. */
export function gcpCryptoKeyName(environment: string, crdbRegion: string): string {
    return fitName(regionPrefix(environment, crdbRegion), 63);
}

/** GCP Secret Manager id: `<env>-<crdb-region>-<role>`. */
export function gcpSecretId(environment: string, crdbRegion: string, role: string): string {
    return fitName(`${environment}-${crdbRegion}-${role}`, 255);
}

/**
 * Prefixes AWS refuses at the start of a name, per kind of name. Every accepted environment name
 * must give valid names, and an environment called `sg`, `internal...` or `sthree` is accepted.
 * - Security groups: "Can't start with sg-" (EC2 API_CreateSecurityGroup, GroupName).
 * - Load balancers (ALB/NLB): "must not begin with internal-" (ELBv2 API_CreateLoadBalancer, Name).
 * - S3 buckets: "must not start with the prefix xn--", "sthree-" (and "sthree-configurator"),
 *   "amzn-s3-demo-" (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * Target groups, IAM roles, ECS and the other names built from the environment have no reserved
 * prefix that `<env>-` can hit (the environment is lowercase, starts with a letter).
 */
export const AWS_RESERVED_PREFIXES = {
    securityGroup: ["sg-"],
    loadBalancer: ["internal-"],
    bucket: ["xn--", "sthree-", "amzn-s3-demo-"],
} as const;

/**
 * `<env>-<crdb-region>-<rest>` (at most `max` characters), unless that begins with a prefix AWS
 * reserves for this kind of name: then `<crdb-region>-<env>-<rest>`, which begins with the cloud
 * (`aws-`) and so never does. Environments whose names were valid keep them unchanged.
 */
export function awsName(
    kind: keyof typeof AWS_RESERVED_PREFIXES,
    environment: string,
    crdbRegion: string,
    rest: string,
    max = 255,
): string {
    const reserved = (name: string) => AWS_RESERVED_PREFIXES[kind].some((p) => name.toLowerCase().startsWith(p));
    const usual = fitName(`${environment}-${crdbRegion}-${rest}`, max);
    return reserved(usual) ? fitName(`${crdbRegion}-${environment}-${rest}`, max) : usual;
}

/** Security group name (255 characters, never `sg-...`). */
export function awsSecurityGroupName(environment: string, crdbRegion: string, role: string): string {
    return awsName("securityGroup", environment, crdbRegion, role);
}

/** ALB/NLB name (32 characters, never `internal-...`). */
export function awsLoadBalancerName(environment: string, crdbRegion: string, role: string): string {
    return awsName("loadBalancer", environment, crdbRegion, role, 32);
}

/**
 * S3 bucket name (global namespace): `<env>-<crdb-region>-<role>-<account id>-<suffix>`; the account
 * id makes it unique to the account, the rest tells an operator what it holds. At most 63 characters,
 * never with a reserved prefix. The region's data suffix: a bucket left behind by a full destroy
 * (kept out of the stack with its data, or deleted, whose name "might not be available for reuse" at
 * once, docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html) never blocks the next
 * deployment.
 */
export function s3BucketName(environment: string, crdbRegion: string, role: string, accountId: string, suffix: string): string {
    return awsName("bucket", environment, crdbRegion, `${role}-${accountId}-${checkSuffix(suffix)}`, 63);
}

/**
 * GCS bucket name (global namespace): prefixed with the project id, the region's data suffix last
 * (as for S3), at most 63 characters.
 */
export function gcsBucketName(project: string, environment: string, crdbRegion: string, role: string, suffix: string): string {
    return fitName(`${project}-${environment}-${crdbRegion}-${role}-${checkSuffix(suffix)}`, 63);
}

/** GCP service account id (6-30 characters): `<env>-<role>-<region slot>`, unique per project. */
export function gcpServiceAccountId(environment: string, role: string, slot: number): string {
    const id = fitName(`${environment}-${role}-${slot}`, 30);
    return id.length >= 6 ? id : `${id}-sa`.padEnd(6, "0");
}

/** Private DNS zone of a region's SQL endpoint. */
export function sqlZoneName(environment: string, crdbRegion: string): string {
    return `${crdbRegion}.${environment}.crdb.internal`;
}

/** Name of a region's SQL endpoint; every node certificate of the region names it. */
export function sqlHostname(environment: string, crdbRegion: string): string {
    return `sql.${sqlZoneName(environment, crdbRegion)}`;
}

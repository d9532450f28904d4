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

/** AWS Secrets Manager name: `<env>/<crdb-region>/<role>` (IAM policies can name the region's path). */
export function awsSecretName(environment: string, crdbRegion: string, role: string): string {
    return `${environment}/${crdbRegion}/${role}`;
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
 * S3 bucket name (global namespace): `<env>-<crdb-region>-<role>-<account id>`; the account id makes
 * it unique to the account, the rest tells an operator what it holds. At most 63 characters, never
 * with a reserved prefix.
 */
export function s3BucketName(environment: string, crdbRegion: string, role: string, accountId: string): string {
    return awsName("bucket", environment, crdbRegion, `${role}-${accountId}`, 63);
}

/** GCS bucket name (global namespace): prefixed with the project id, at most 63 characters. */
export function gcsBucketName(project: string, environment: string, crdbRegion: string, role: string): string {
    return fitName(`${project}-${environment}-${crdbRegion}-${role}`, 63);
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

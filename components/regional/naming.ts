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
 * S3 bucket name (global namespace): `<env>-<crdb-region>-<role>-<account id>`; the account id makes
 * it unique to the account, the rest tells an operator what it holds. At most 63 characters.
 */
export function s3BucketName(environment: string, crdbRegion: string, role: string, accountId: string): string {
    return fitName(`${environment}-${crdbRegion}-${role}-${accountId}`, 63);
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

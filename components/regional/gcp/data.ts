import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedRegionalArgs } from "../args";
import { tierContext } from "../context";
import { gcpCryptoKeyName, gcpKeyRingName, gcpSecretId, gcsBucketName } from "../naming";
import { storeRegionSecrets, type RegionSecrets } from "../secrets";
import { BACKUP_PREFIX } from "../types";
import { serviceAgent, type GcpContext, type GcpRegion } from "./context";

/** Arguments of `GcpRegionalData`. */
export interface GcpRegionalDataArgs {
    /** The region: names, plan, labels, project. */
    readonly region: GcpRegion;
    /** Days backups (`backups/`) are kept before the lifecycle rule expires them. Default 30. */
    readonly backupRetentionDays?: number;
    /** Suffix of this deployment in the names of the key ring and the buckets (`deploymentSuffix(name, "data")`). */
    readonly dataSuffix: pulumi.Input<string>;
    /** What the region's secrets hold: its nodes' certificates, the app's credentials, and on the init region the root client and licence. */
    readonly secrets: Pick<ResolvedRegionalArgs, "plan" | "cluster" | "appUser">;
}

/**
 * The region's data at rest: its key ring and key (with the service agents' grants), the backup
 * bucket, and every secret of the region in Secret Manager, encrypted with the region key, in the
 * region only.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class GcpRegionalData extends pulumi.ComponentResource {
    /** The region key and the service agents' grants on it. */
    readonly regionKey: GcpRegionKey;
    readonly backupBucket: gcp.storage.Bucket;
    readonly secrets: RegionSecrets<GcpStoredSecret>;

    constructor(name: string, args: GcpRegionalDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:GcpRegionalData", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        const regionKey = gcpRegionKey(ctx, args.dataSuffix);
        this.regionKey = regionKey;
        this.backupBucket = gcpBackupBucket(ctx, args.dataSuffix, regionKey, args.backupRetentionDays ?? 30);
        this.secrets = storeRegionSecrets(args.secrets, (role, value) => gcpSecret(ctx, role, value, regionKey));
        this.registerOutputs({ keyId: regionKey.key.id, backupBucketName: this.backupBucket.name });
    }
}

/** Stateful resources outlive mistakes: `pulumi destroy` stops at them until unprotected. */
const KEEP = { protect: true } as const;

const ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/** The region key and the grants that let Google's service agents use it. */
export interface GcpRegionKey {
    readonly key: gcp.kms.CryptoKey;
    /** Grants to the service agents: resources encrypted by an agent depend on its grant. */
    readonly grants: {
        readonly compute: gcp.kms.CryptoKeyIAMMember;
        readonly storage: gcp.kms.CryptoKeyIAMMember;
        readonly secretManager: gcp.kms.CryptoKeyIAMMember;
    };
}

/**
 * The region's customer-managed key: disks, the backup bucket and secrets. In the region itself (key
 * material never leaves it), rotated every 90 days. Key rings and crypto keys cannot be deleted on
 * GCP; deleting the resource would only destroy every key version and make disks, backups and
 * secrets unreadable. So both are protected and retained on delete.
 *
 * Their names stay taken forever, so the key ring's name carries the region's data suffix
 * (`gcpKeyRingName`): the suffix lives as long as the key ring is in the stack (a protected resource
 * keeps what it depends on through `pulumi destroy --exclude-protected`), and a deployment after a
 * full destroy, which leaves the retained key ring behind, draws a new one.
 */
function gcpRegionKey(ctx: GcpContext, dataSuffix: pulumi.Input<string>): GcpRegionKey {
    const { name, plan, child } = ctx;
    const ring = new gcp.kms.KeyRing(
        `${name}-keyring`,
        { name: pulumi.output(dataSuffix).apply((s) => gcpKeyRingName(ctx.environment, plan.name, s)), location: plan.region },
        { ...child, ...KEEP, retainOnDelete: true },
    );
    const key = new gcp.kms.CryptoKey(
        `${name}-key`,
        {
            name: gcpCryptoKeyName(ctx.environment, plan.name),
            keyRing: ring.id,
            purpose: "ENCRYPT_DECRYPT",
            rotationPeriod: "7776000s",
            destroyScheduledDuration: "2592000s",
            versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "SOFTWARE" },
        },
        { ...child, ...KEEP, retainOnDelete: true },
    );

    // Cloud Storage creates its service agent on first request: ask for it rather than assume it.
    const gcsAgent = gcp.storage.getProjectServiceAccountOutput({ project: ctx.project }, { parent: ctx.parent });
    // Likewise Secret Manager's, which exists only once requested.
    const smIdentity = new gcp.projects.ServiceIdentity(
        `${name}-secretmanager-agent`,
        { project: ctx.project, service: "secretmanager.googleapis.com" },
        child,
    );
    const grant = (role: string, member: pulumi.Input<string>, dependsOn: pulumi.Resource[] = []) =>
        new gcp.kms.CryptoKeyIAMMember(
            `${name}-key-${role}`,
            { cryptoKeyId: key.id, role: ENCRYPTER_DECRYPTER, member },
            { ...child, dependsOn },
        );
    return {
        key,
        grants: {
            compute: grant("compute", serviceAgent(ctx, "compute-system.iam.gserviceaccount.com")),
            storage: grant("storage", pulumi.interpolate`serviceAccount:${gcsAgent.emailAddress}`),
            // The documented address, so the member is known at preview; the identity makes it exist.
            secretManager: grant("secretmanager", serviceAgent(ctx, "gcp-sa-secretmanager.iam.gserviceaccount.com"), [smIdentity]),
        },
    };
}

/**
 * The region's backup bucket, in the region itself: CMEK with the region key, uniform access,
 * public access prevented, versioned (an overwritten or deleted object stays recoverable for 7
 * days), backups expiring after `retentionDays`. Protected, never force-destroyed.
 */
function gcpBackupBucket(
    ctx: GcpContext,
    dataSuffix: pulumi.Input<string>,
    regionKey: GcpRegionKey,
    retentionDays: number,
): gcp.storage.Bucket {
    const { name, plan } = ctx;
    return new gcp.storage.Bucket(
        `${name}-backups`,
        {
            name: pulumi.output(dataSuffix).apply((s) => gcsBucketName(ctx.project, ctx.environment, plan.name, "backups", s)),
            location: plan.region.toUpperCase(),
            storageClass: "STANDARD",
            encryption: { defaultKmsKeyName: regionKey.key.id },
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: true },
            lifecycleRules: [
                // CockroachDB schedules have no retention: backups under backups/ expire here. The
                // init marker (cluster/) stays. Overwritten or deleted objects stay a week.
                { action: { type: "Delete" }, condition: { age: retentionDays, matchesPrefixes: [BACKUP_PREFIX], withState: "LIVE" } },
                { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 7, withState: "ARCHIVED" } },
                { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
            ],
            forceDestroy: false,
        },
        // Writing an object encrypts with the key as the storage agent: grant first.
        { ...ctx.child, ...KEEP, dependsOn: [regionKey.grants.storage] },
    );
}

/** A secret and its current value; readers depend on `version` so they never find it empty. */
export interface GcpStoredSecret {
    readonly secret: gcp.secretmanager.Secret;
    readonly version: gcp.secretmanager.SecretVersion;
}

/**
 * A secret of the region: one user-managed replica in the region, encrypted with the region key.
 * Never automatic replication, which is global. No deployment suffix in its id: Secret Manager
 * deletes a secret at once, with no recovery window (cloud.google.com/secret-manager/docs/reference/
 * rest/v1/projects.secrets/delete), unlike AWS Secrets Manager.
 */
function gcpSecret(ctx: GcpContext, role: string, value: pulumi.Output<string>, regionKey: GcpRegionKey): GcpStoredSecret {
    const { name, plan } = ctx;
    const secret = new gcp.secretmanager.Secret(
        `${name}-secret-${role}`,
        {
            secretId: gcpSecretId(ctx.environment, plan.name, role),
            replication: {
                userManaged: { replicas: [{ location: plan.region, customerManagedEncryption: { kmsKeyName: regionKey.key.id } }] },
            },
        },
        { ...ctx.child, dependsOn: [regionKey.grants.secretManager] },
    );
    const version = new gcp.secretmanager.SecretVersion(
        `${name}-secret-${role}`,
        { secret: secret.id, secretData: pulumi.secret(value) },
        ctx.child,
    );
    return { secret, version };
}

import type { StackValidationPolicy } from "@pulumi/policy";
import { json, refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

const S3_BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

/**
 * Log buckets exempt from customer-managed keys, by AWS's own rules: ALB access logs support only
 * SSE-S3 (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html),
 * and the S3 server access logging guide allows only SSE-S3 default encryption on the target
 * bucket (docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html; note
 * aws-cdk PR #25350 reports SSE-KMS working there with a key policy for the logging service, so
 * a KMS-encrypted log bucket is accepted too). They must still have default encryption.
 */
function logBuckets(all: readonly Res[]): Map<Res, string> {
    const buckets = all.filter((r) => r.type === S3_BUCKET);
    const out = new Map<Res, string>();
    for (const r of all) {
        if (r.type === "aws:s3/bucketLogging:BucketLogging") {
            const b = buckets.find((x) => refersTo(r.props.targetBucket, x) || x.props.bucket === r.props.targetBucket);
            if (b) out.set(b, "target of S3 server access logs");
        }
        const logs =
            r.type === "aws:lb/loadBalancer:LoadBalancer"
                ? (r.props.accessLogs as { bucket?: string; enabled?: boolean } | undefined)
                : undefined;
        if (logs?.enabled && logs.bucket) {
            const b = buckets.find((x) => x.props.bucket === logs.bucket);
            if (b) out.set(b, "ALB access logs accept SSE-S3 only");
        }
    }
    return out;
}

/** What is missing for a customer-managed key on one resource, or undefined when it has one. */
function missingKey(r: Res): string | undefined {
    const p = r.props;
    const has = (v: unknown) => typeof v === "string" && v !== "";
    switch (r.type) {
        case "aws:ebs/volume:Volume":
            return p.encrypted === true && has(p.kmsKeyId) ? undefined : "volume without encrypted: true and a kmsKeyId";
        case "aws:ec2/instance:Instance": {
            const devices = [p.rootBlockDevice ?? {}, ...((p.ebsBlockDevices ?? []) as unknown[])] as {
                encrypted?: boolean;
                kmsKeyId?: string;
            }[];
            return devices.every((d) => d.encrypted === true && has(d.kmsKeyId))
                ? undefined
                : "block device without encrypted: true and a kmsKeyId";
        }
        case "gcp:compute/disk:Disk": {
            const k = p.diskEncryptionKey as { kmsKeySelfLink?: string } | undefined;
            return has(k?.kmsKeySelfLink) ? undefined : "disk without diskEncryptionKey.kmsKeySelfLink";
        }
        case "gcp:compute/instance:Instance": {
            const boot = p.bootDisk as { kmsKeySelfLink?: string } | undefined;
            const attached = (p.attachedDisks ?? []) as { kmsKeySelfLink?: string }[];
            return has(boot?.kmsKeySelfLink) && attached.every((d) => has(d.kmsKeySelfLink))
                ? undefined
                : "boot or attached disk without kmsKeySelfLink";
        }
        case "gcp:storage/bucket:Bucket":
            return has((p.encryption as { defaultKmsKeyName?: string } | undefined)?.defaultKmsKeyName)
                ? undefined
                : "bucket without encryption.defaultKmsKeyName";
        case "aws:secretsmanager/secret:Secret":
            return has(p.kmsKeyId) ? undefined : "secret without kmsKeyId (AWS-managed key)";
        case "gcp:secretmanager/secret:Secret": {
            const rep = json(p.replication) as
                { userManaged?: { replicas?: { customerManagedEncryption?: { kmsKeyName?: string } }[] } } | undefined;
            const replicas = rep?.userManaged?.replicas ?? [];
            return replicas.length > 0 && replicas.every((x) => has(x.customerManagedEncryption?.kmsKeyName))
                ? undefined
                : "secret replica without customerManagedEncryption.kmsKeyName";
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            return has(p.kmsKeyId) ? undefined : "log group without kmsKeyId";
    }
    return undefined;
}

/** Customer-managed keys (the region's KMS key) for disks, buckets, secrets and logs. */
export const securityCustomerManagedKeys: StackValidationPolicy = {
    name: "security-customer-managed-keys",
    description:
        "Disks, buckets, secrets and log groups are encrypted with a customer-managed key (log buckets: SSE-S3 as AWS requires for ALB logs).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        for (const r of all) {
            const missing = missingKey(r);
            if (missing) report(violation(r, `is a ${missing}`, "encrypt it with its region's customer-managed KMS key"), r.urn);
        }
        const exempt = logBuckets(all);
        for (const b of all.filter((r) => r.type === S3_BUCKET)) {
            const sse = all.find((r) => r.type === SSE && refersTo(r.props.bucket, b));
            const rules = (
                (sse?.props.rules ?? []) as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string } }[]
            ).map((x) => x.applyServerSideEncryptionByDefault ?? {});
            const reason = exempt.get(b);
            if (reason) {
                if (!rules.some((x) => x.sseAlgorithm === "AES256" || x.sseAlgorithm?.startsWith("aws:kms")))
                    report(
                        violation(
                            b,
                            `is a log bucket (${reason}) without default encryption`,
                            "add a server-side encryption configuration with sseAlgorithm AES256",
                        ),
                        b.urn,
                    );
            } else if (
                !rules.some((x) => x.sseAlgorithm?.startsWith("aws:kms") && typeof x.kmsMasterKeyId === "string" && x.kmsMasterKeyId !== "")
            )
                report(
                    violation(
                        b,
                        "has no default encryption with a customer-managed KMS key",
                        "add a server-side encryption configuration with sseAlgorithm aws:kms and the region's kmsMasterKeyId",
                    ),
                    b.urn,
                );
        }
    },
};

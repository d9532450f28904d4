import type { ResourceValidationPolicy } from "@pulumi/policy";
import { violation } from "../lib/message";

/** Resources whose deletion loses data or makes encrypted data unreadable. */
export const STATEFUL_TYPES = new Set([
    "aws:ebs/volume:Volume",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "gcp:compute/disk:Disk",
    "gcp:storage/bucket:Bucket",
    "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKey:CryptoKey",
]);

/** Stateful resources (data disks, buckets, keys) carry Pulumi's `protect`, so no update deletes them. */
export const securityProtectStateful: ResourceValidationPolicy = {
    name: "security-protect-stateful",
    description: "Data disks, buckets and encryption keys are protected (protect: true).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!STATEFUL_TYPES.has(args.type) || args.opts.protect) return;
        report(
            violation(
                args,
                "holds data (or the key to it) but is not protected, so a replacement or destroy deletes it",
                "pass { protect: true } (and keep it retained on delete)",
            ),
        );
    },
};

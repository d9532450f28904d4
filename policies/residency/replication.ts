import type { ResourceValidationPolicy } from "@pulumi/policy";
import { json } from "../lib/facts";
import { violation } from "../lib/message";

/**
 * No copy of a bucket, secret or key leaves its region on its own: GCS multi-/dual-region or
 * custom dual-region placement, Secret Manager automatic replication, multi-Region KMS keys and
 * their replicas, S3 replication (whose destination the pack cannot place in a domain).
 */
export const residencyReplication: ResourceValidationPolicy = {
    name: "residency-no-replication",
    description:
        "No bucket, secret or key is replicated by the cloud outside its region (multi-region, automatic or cross-region replication).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const p = args.props;
        switch (args.type) {
            case "gcp:storage/bucket:Bucket":
                if (p.customPlacementConfig)
                    report(
                        violation(
                            args,
                            "is a configurable dual-region bucket (customPlacementConfig), stored in two regions",
                            "remove customPlacementConfig and set location to one region of its domain",
                        ),
                    );
                break;
            case "gcp:secretmanager/secret:Secret": {
                const rep = json(p.replication) as { auto?: unknown; automatic?: unknown } | undefined;
                if (rep?.auto !== undefined || rep?.automatic !== undefined)
                    report(
                        violation(
                            args,
                            "uses automatic replication, which stores the secret in regions Google chooses worldwide",
                            "use replication.userManaged with replicas in the secret's own region",
                        ),
                    );
                break;
            }
            case "aws:kms/key:Key":
                if (p.multiRegion === true)
                    report(
                        violation(
                            args,
                            "is a multi-Region KMS key, whose key material can be replicated to any region",
                            "set multiRegion: false",
                        ),
                    );
                break;
            case "aws:kms/replicaKey:ReplicaKey":
            case "aws:kms/replicaExternalKey:ReplicaExternalKey":
                report(violation(args, "replicates a KMS key into another region", "remove the replica key; each region has its own key"));
                break;
            case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
                report(
                    violation(
                        args,
                        "replicates a bucket's objects to another bucket, possibly in another region or account",
                        "remove the replication configuration; backups stay in their region's bucket",
                    ),
                );
                break;
        }
    },
};

import type { StackValidationPolicy } from "@pulumi/policy";
import { refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);

/**
 * Buckets are never public: every S3 bucket has a public access block with all four settings on;
 * GCS buckets enforce public access prevention and uniform bucket-level access and grant nothing
 * to allUsers/allAuthenticatedUsers.
 */
export const securityBucketPublicAccess: StackValidationPolicy = {
    name: "security-bucket-public-access",
    description: "Every bucket blocks public access.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        for (const b of all) {
            if (b.type === "aws:s3/bucket:Bucket") {
                const pab = all.find((r) => r.type === PAB && refersTo(r.props.bucket, b));
                const off = pab ? PAB_FLAGS.filter((f) => pab.props[f] !== true) : PAB_FLAGS;
                if (off.length > 0)
                    report(
                        violation(
                            b,
                            `does not block public access (${off.join(", ")} not true${pab ? "" : ": no public access block"})`,
                            `add an aws.s3.BucketPublicAccessBlock with ${PAB_FLAGS.join(", ")} all true`,
                        ),
                        b.urn,
                    );
            } else if (b.type === "gcp:storage/bucket:Bucket") {
                if (b.props.publicAccessPrevention !== "enforced")
                    report(
                        violation(
                            b,
                            `has publicAccessPrevention ${String(b.props.publicAccessPrevention ?? "inherited")}`,
                            'set publicAccessPrevention: "enforced"',
                        ),
                        b.urn,
                    );
                if (b.props.uniformBucketLevelAccess !== true)
                    report(
                        violation(b, "allows per-object ACLs (uniformBucketLevelAccess not true)", "set uniformBucketLevelAccess: true"),
                        b.urn,
                    );
            } else if (/^gcp:storage\/bucketIAM(Member|Binding):/.test(b.type)) {
                const members = [b.props.member, ...((b.props.members as unknown[]) ?? [])].filter(
                    (m): m is string => typeof m === "string",
                );
                const open = members.filter((m) => PUBLIC_MEMBERS.has(m));
                if (open.length)
                    report(
                        violation(
                            b,
                            `grants ${String(b.props.role)} on a bucket to ${open.join(", ")}`,
                            "grant bucket roles to named service accounts only",
                        ),
                        b.urn,
                    );
            }
        }
    },
};

import type { StackValidationPolicy } from "@pulumi/policy";
import { DATABASE_TYPE, specOf } from "../lib/domains";
import { refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

/**
 * Backup buckets keep overwritten and deleted objects (versioning on), so a bad or malicious
 * write cannot destroy the only copy. Backup buckets: the database's backup destinations.
 */
export const securityBackupVersioning: StackValidationPolicy = {
    name: "security-backup-versioning",
    description: "Backup buckets have versioning enabled.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        const names = new Set(
            all
                .filter((r) => r.type === DATABASE_TYPE)
                .flatMap((r) => specOf(r)?.backup?.destinations ?? [])
                .map((d) => /^(?:s3|gs):\/\/([^/?]+)/.exec(d.url)?.[1]),
        );
        for (const b of all) {
            if (b.type === "aws:s3/bucket:Bucket" && names.has(b.props.bucket as string)) {
                const v = all.find((r) => r.type === "aws:s3/bucketVersioning:BucketVersioning" && refersTo(r.props.bucket, b));
                const status = (v?.props.versioningConfiguration as { status?: string } | undefined)?.status;
                if (status !== "Enabled")
                    report(
                        violation(
                            b,
                            `holds database backups but versioning is ${status ?? "not configured"}`,
                            'add an aws.s3.BucketVersioning with status "Enabled"',
                        ),
                        b.urn,
                    );
            } else if (b.type === "gcp:storage/bucket:Bucket" && names.has(b.props.name as string)) {
                if ((b.props.versioning as { enabled?: boolean } | undefined)?.enabled !== true)
                    report(violation(b, "holds database backups but versioning is off", "set versioning: { enabled: true }"), b.urn);
            }
        }
    },
};

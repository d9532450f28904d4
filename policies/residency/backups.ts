import type { StackValidationPolicy } from "@pulumi/policy";
import { DATABASE_TYPE, domainMap, domainOfRegion, specOf } from "../lib/domains";
import { crdbName, effectiveLocation, refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

/** CockroachDB-style region a resource lives in, if it is regional. */
function regionOf(r: Res): string | undefined {
    const loc = effectiveLocation(r);
    return loc?.kind === "region" ? crdbName(loc.cloud, loc.region) : undefined;
}

const BUCKET_TYPES = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "gcp:storage/bucket:Bucket"]);
const bucketName = (r: Res): unknown => (r.type === "gcp:storage/bucket:Bucket" ? r.props.name : r.props.bucket);

/**
 * Backups and logs of a region go to a destination in the same domain: the database's backup
 * destinations (per locality), S3 server access logs, ALB access logs and VPC flow logs.
 */
export const residencyBackupsAndLogs: StackValidationPolicy = {
    name: "residency-backups-and-logs",
    description: "Backups and logs of a region are written to a destination in the same residency domain.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        const domains = domainMap(all);
        const domainOf = (region: string | undefined) => (region ? domainOfRegion(domains, region)?.name : undefined);
        const buckets = all.filter((r) => BUCKET_TYPES.has(r.type));
        const byName = (name: string) => buckets.find((b) => bucketName(b) === name);
        const byRef = (ref: unknown) => buckets.find((b) => refersTo(ref, b) || bucketName(b) === ref);
        const check = (r: Res, from: string | undefined, what: string, dest: Res | undefined, destText: string) => {
            if (!from) return;
            if (!dest) {
                report(
                    violation(
                        r,
                        `writes ${what} to ${destText}, a bucket this stack does not hold, so its domain is unknown`,
                        "write to the bucket of its own region",
                    ),
                    r.urn,
                );
                return;
            }
            const to = regionOf(dest);
            if (domainOf(to) !== domainOf(from))
                report(
                    violation(
                        r,
                        `writes ${what} of ${from} (domain ${domainOf(from)}) to ${destText} in ${to} (domain ${domainOf(to)})`,
                        `write to a bucket in domain ${domainOf(from)}, normally the region's own`,
                    ),
                    r.urn,
                );
        };
        for (const r of all) {
            if (r.type === DATABASE_TYPE) {
                const spec = specOf(r);
                for (const d of spec?.backup?.destinations ?? []) {
                    const name = /^(?:s3|gs):\/\/([^/?]+)/.exec(d.url)?.[1] ?? d.url;
                    const from = d.locality === "default" ? spec?.primaryRegion : d.locality;
                    check(r, from, `the backups of locality ${d.locality}`, byName(name), `${d.url.split("?")[0]}`);
                }
            } else if (r.type === "aws:s3/bucketLogging:BucketLogging") {
                check(
                    r,
                    regionOf(byRef(r.props.bucket) ?? r),
                    "server access logs",
                    byRef(r.props.targetBucket),
                    String(r.props.targetBucket),
                );
            } else if (r.type === "aws:lb/loadBalancer:LoadBalancer") {
                const logs = r.props.accessLogs as { bucket?: string; enabled?: boolean } | undefined;
                if (logs?.enabled && logs.bucket) check(r, regionOf(r), "access logs", byName(logs.bucket), logs.bucket);
            } else if (r.type === "aws:ec2/flowLog:FlowLog" && typeof r.props.logDestination === "string") {
                const region = /^arn:aws[\w-]*:[\w-]+:([a-z0-9-]+):/.exec(r.props.logDestination)?.[1];
                const from = regionOf(r);
                const to = region ? crdbName("aws", region) : undefined;
                if (from && to && domainOf(to) !== domainOf(from))
                    report(
                        violation(
                            r,
                            `sends flow logs of ${from} to ${r.props.logDestination} in ${to}, outside domain ${domainOf(from)}`,
                            "send them to a log group or bucket of the same region",
                        ),
                        r.urn,
                    );
            }
        }
    },
};

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { crdbName, effectiveLocation } from "../lib/facts";
import { violation } from "../lib/message";

/** The boot script of a node: AWS `userData`, GCP `metadata.startup-script`. */
function bootScript(type: string, props: Record<string, unknown>): string | undefined {
    if (type === "aws:ec2/instance:Instance") return typeof props.userData === "string" ? props.userData : undefined;
    if (type === "gcp:compute/instance:Instance") {
        const md = props.metadata as Record<string, unknown> | undefined;
        const s = md?.["startup-script"] ?? props.metadataStartupScript;
        return typeof s === "string" ? s : undefined;
    }
    return undefined;
}

/**
 * A CockroachDB node's `--locality` region tier is the cloud region the instance really runs in:
 * multi-region SQL places each row's replicas by that tier, so a wrong tier moves data out of
 * its domain without any cloud resource changing region.
 */
export const residencyNodeLocality: ResourceValidationPolicy = {
    name: "residency-node-locality",
    description: "Each CockroachDB node's --locality region is the cloud region the instance runs in.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const script = bootScript(args.type, args.props);
        if (!script || !script.includes("cockroach start")) return;
        const loc = effectiveLocation(args);
        if (loc?.kind !== "region") return;
        const here = crdbName(loc.cloud, loc.region);
        const flags = [...script.matchAll(/--locality=(\S+)/g)].map((m) => m[1] ?? "");
        if (flags.length === 0)
            report(violation(args, "starts CockroachDB without --locality", `pass --locality=cloud=${loc.cloud},region=${here},zone=...`));
        for (const flag of flags) {
            const region = /(?:^|,)region=([^,\s'"]+)/.exec(flag)?.[1];
            if (region !== here)
                report(
                    violation(
                        args,
                        `runs in ${here} but starts CockroachDB with --locality ${flag} (region ${region ?? "missing"})`,
                        `set the region tier to ${here} (components/topology.ts localityOf)`,
                    ),
                );
        }
    },
};

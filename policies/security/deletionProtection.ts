import type { ResourceValidationPolicy } from "@pulumi/policy";
import { violation } from "../lib/message";

/** Resource type -> the input that turns the cloud's own deletion protection on. */
const FLAGS: Record<string, string> = {
    "aws:ec2/instance:Instance": "disableApiTermination",
    "aws:lb/loadBalancer:LoadBalancer": "enableDeletionProtection",
    "gcp:compute/instance:Instance": "deletionProtection",
    "gcp:cloudrunv2/service:Service": "deletionProtection",
};

/**
 * Instances and load balancers keep the cloud's deletion protection on. `backend:deletionProtection:
 * false` turns it off for a `pulumi destroy`; run the pack then with this policy at `advisory`
 * (the offline plan does so itself), so the change is reported rather than silently accepted.
 */
export const securityDeletionProtection: ResourceValidationPolicy = {
    name: "security-deletion-protection",
    description: "Instances, load balancers and the Cloud Run service have deletion protection on.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const flag = FLAGS[args.type];
        if (!flag || args.props[flag] === true) return;
        // Cloud Run v2 services default to deletionProtection true (@pulumi/gcp 9 cloudrunv2.Service).
        if (args.type === "gcp:cloudrunv2/service:Service" && args.props[flag] === undefined) return;
        report(
            violation(
                args,
                `has ${flag} ${String(args.props[flag] ?? "unset")}, so it can be deleted by any API call`,
                `set ${flag}: true (backend:deletionProtection: true), or expect this report while preparing a destroy`,
            ),
        );
    },
};

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { violation } from "../lib/message";

/** EC2 instances and launch templates require IMDSv2 session tokens (metadataOptions.httpTokens). */
export const securityImdsv2: ResourceValidationPolicy = {
    name: "security-imdsv2",
    description: "EC2 instances and launch templates require IMDSv2 (httpTokens: required).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:ec2/instance:Instance" && args.type !== "aws:ec2/launchTemplate:LaunchTemplate") return;
        const md = args.props.metadataOptions as { httpTokens?: string; httpEndpoint?: string } | undefined;
        if (md?.httpEndpoint === "disabled") return;
        if (md?.httpTokens !== "required")
            report(
                violation(
                    args,
                    `allows IMDSv1 (metadataOptions.httpTokens is ${md?.httpTokens ?? "unset"})`,
                    'set metadataOptions.httpTokens: "required"',
                ),
            );
    },
};

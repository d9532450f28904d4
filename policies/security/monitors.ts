import type { ResourceValidationPolicy } from "@pulumi/policy";
import { violation } from "../lib/message";

/** Cloudflare health monitors probe over HTTPS and validate the origin's certificate. */
export const securityMonitorHttps: ResourceValidationPolicy = {
    name: "security-monitor-https",
    description: "Cloudflare monitors use HTTPS and validate the certificate.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor") return;
        if (args.props.type !== "https")
            report(violation(args, `probes with type ${String(args.props.type ?? "http (the default)")}`, 'set type: "https"'));
        if (args.props.allowInsecure === true)
            report(violation(args, "accepts invalid origin certificates (allowInsecure)", "set allowInsecure: false"));
    },
};

import type { StackValidationPolicy } from "@pulumi/policy";
import * as ipaddr from "ipaddr.js";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6 } from "../../components/regional/cloudflareRanges";
import { refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

const CLOUDFLARE = [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6].map((c) => ipaddr.parseCIDR(c));

/** Whether `cidr` lies inside one of Cloudflare's published ranges (cloudflare.com/ips). */
function insideCloudflare(cidr: string): boolean {
    try {
        const [addr, bits] = ipaddr.parseCIDR(cidr);
        return CLOUDFLARE.some(([net, netBits]) => net.kind() === addr.kind() && bits >= netBits && addr.match(net, netBits));
    } catch {
        return false;
    }
}

interface IngressView {
    readonly protocol: unknown;
    readonly fromPort: unknown;
    readonly toPort: unknown;
    readonly cidrs: string[];
}

/**
 * Origins accept HTTPS only: a public AWS load balancer listens with HTTPS (or redirects HTTP),
 * its security groups admit only Cloudflare's ranges and only on 443, Cloudflare pools reach
 * origins on 443, Cloud Run services are reached through their HTTPS URL.
 */
export const securityOriginHttps: StackValidationPolicy = {
    name: "security-origin-https",
    description: "Public origins accept HTTPS only and, on AWS, only from Cloudflare's ranges.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        const publicLbs = all.filter(
            (r) =>
                r.type === "aws:lb/loadBalancer:LoadBalancer" &&
                r.props.internal !== true &&
                (r.props.loadBalancerType ?? "application") === "application",
        );
        for (const lb of publicLbs) {
            for (const sgRef of (lb.props.securityGroups ?? []) as string[]) {
                const sg = all.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && refersTo(sgRef, r));
                if (!sg) continue;
                const inline: IngressView[] = ((sg.props.ingress ?? []) as Record<string, unknown>[]).map((r) => ({
                    protocol: r.protocol,
                    fromPort: r.fromPort,
                    toPort: r.toPort,
                    cidrs: [...((r.cidrBlocks as string[]) ?? []), ...((r.ipv6CidrBlocks as string[]) ?? [])],
                }));
                const separate: IngressView[] = all
                    .filter(
                        (r) =>
                            r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && refersTo(r.props.securityGroupId, sg),
                    )
                    .map((r) => ({
                        protocol: r.props.ipProtocol,
                        fromPort: r.props.fromPort,
                        toPort: r.props.toPort,
                        cidrs: [r.props.cidrIpv4, r.props.cidrIpv6].filter((x): x is string => typeof x === "string"),
                    }));
                for (const rule of [...inline, ...separate]) {
                    if (rule.fromPort !== 443 || rule.toPort !== 443 || String(rule.protocol) !== "tcp")
                        report(
                            violation(
                                sg,
                                `guards public load balancer ${lb.name} and admits ${String(rule.protocol)} ${String(rule.fromPort)}-${String(rule.toPort)}`,
                                "admit only tcp 443 (HTTPS)",
                            ),
                            sg.urn,
                        );
                    for (const c of rule.cidrs.filter((x) => !insideCloudflare(x)))
                        report(
                            violation(
                                sg,
                                `guards public load balancer ${lb.name} and admits ${c}, outside Cloudflare's ranges`,
                                "admit only Cloudflare's published ranges (components/regional/cloudflareRanges.ts)",
                            ),
                            sg.urn,
                        );
                }
            }
            for (const l of all.filter(
                (r) =>
                    r.type === "aws:lb/listener:Listener" &&
                    (refersTo(r.props.loadBalancerArn, lb) || String(r.props.loadBalancerArn ?? "").endsWith(`:${lb.name}`)),
            )) {
                const redirect = ((l.props.defaultActions ?? []) as { type?: string; redirect?: { protocol?: string } }[]).every(
                    (a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS",
                );
                if (l.props.protocol !== "HTTPS" && !redirect)
                    report(
                        violation(
                            l,
                            `listens with ${String(l.props.protocol)} on public load balancer ${lb.name}`,
                            "listen with HTTPS and an ACM certificate, or redirect to HTTPS",
                        ),
                        l.urn,
                    );
            }
        }
        for (const pool of all.filter((r) => r.type === "cloudflare:index/loadBalancerPool:LoadBalancerPool"))
            for (const o of (pool.props.origins ?? []) as { port?: number; name?: string }[])
                if (o.port !== undefined && o.port !== 443)
                    report(violation(pool, `reaches origin ${o.name ?? ""} on port ${o.port}`, "reach origins on 443 (HTTPS)"), pool.urn);
    },
};

import type { ResourceValidationPolicy } from "@pulumi/policy";
import * as ipaddr from "ipaddr.js";
import { ingressConfig, ingressSchema, type IngressConfig } from "../lib/config";
import { violation } from "../lib/message";

interface Rule {
    readonly protocol: string;
    /** Inclusive port ranges; empty: every port. */
    readonly ports: readonly [number, number][];
    readonly sources: readonly string[];
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const TCP = new Set(["tcp", "6"]);

function awsRule(protocol: unknown, from: unknown, to: unknown, sources: unknown[]): Rule {
    const p = String(protocol ?? "tcp").toLowerCase();
    const ports: [number, number][] = ALL_PROTOCOLS.has(p) ? [] : [[Number(from ?? 0), Number(to ?? from ?? 65535)]];
    return { protocol: p, ports, sources: sources.flat().filter((s): s is string => typeof s === "string") };
}

/** Ingress rules of the resource types that open ports: SG inline rules, rule resources, GCP firewalls. */
function ingressRules(type: string, p: Record<string, unknown>): Rule[] {
    switch (type) {
        case "aws:ec2/securityGroup:SecurityGroup":
            return ((p.ingress ?? []) as Record<string, unknown>[]).map((r) =>
                awsRule(r.protocol, r.fromPort, r.toPort, [r.cidrBlocks ?? [], r.ipv6CidrBlocks ?? []]),
            );
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return [awsRule(p.ipProtocol, p.fromPort, p.toPort, [p.cidrIpv4, p.cidrIpv6])];
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            return p.type === "ingress" ? [awsRule(p.protocol, p.fromPort, p.toPort, [p.cidrBlocks ?? [], p.ipv6CidrBlocks ?? []])] : [];
        case "gcp:compute/firewall:Firewall": {
            if ((p.direction ?? "INGRESS") !== "INGRESS") return [];
            const sources = ((p.sourceRanges ?? []) as string[]).filter((s) => typeof s === "string");
            return ((p.allows ?? []) as { protocol?: string; ports?: string[] }[]).map((a) => ({
                protocol: String(a.protocol ?? "all").toLowerCase(),
                ports: (a.ports ?? []).map((x) => {
                    const [lo, hi] = String(x).split("-").map(Number);
                    return [lo, hi ?? lo] as [number, number];
                }),
                sources,
            }));
        }
    }
    return [];
}

const opens = (rule: Rule, port: number) =>
    (ALL_PROTOCOLS.has(rule.protocol) || TCP.has(rule.protocol)) &&
    (rule.ports.length === 0 || rule.ports.some(([lo, hi]) => lo <= port && port <= hi));

/** Sources wider than the admin limit (`0.0.0.0/0`, `::/0` and anything under /8 or /32 by default). */
function tooWide(source: string, cfg: IngressConfig): boolean {
    const cidr = source.includes("/") ? source : `${source}/${source.includes(":") ? 128 : 32}`;
    try {
        const [addr, bits] = ipaddr.parseCIDR(cidr);
        return bits < (addr.kind() === "ipv4" ? cfg.widestIpv4Prefix : cfg.widestIpv6Prefix);
    } catch {
        return true; // not an address: cannot be shown to be narrow
    }
}

/**
 * No ingress to the database (26257), the DB Console (8080) or SSH (22) from the internet or any
 * source wider than the admin limit (components/cluster/firewall.ts WIDEST_SOURCE_PREFIX: IPv4 /8,
 * IPv6 /32): inline security group rules, separate rule resources and GCP firewalls alike.
 */
export const securityAdminIngress: ResourceValidationPolicy = {
    name: "security-admin-ingress",
    description: "No ingress to 26257, 8080 or 22 from 0.0.0.0/0, ::/0 or any source wider than the admin limit.",
    enforcementLevel: "mandatory",
    configSchema: ingressSchema,
    validateResource: (args, report) => {
        const cfg = ingressConfig(args.getConfig<Record<string, unknown>>());
        for (const rule of ingressRules(args.type, args.props))
            for (const port of cfg.ports)
                if (opens(rule, port))
                    for (const s of rule.sources.filter((x) => tooWide(x, cfg)))
                        report(
                            violation(
                                args,
                                `opens port ${port} to ${s}, wider than the admin limit (/${cfg.widestIpv4Prefix} IPv4, /${cfg.widestIpv6Prefix} IPv6)`,
                                "list only the operators' networks (backend:cockroach.adminCidrs) and the cluster's own addresses",
                            ),
                        );
    },
};

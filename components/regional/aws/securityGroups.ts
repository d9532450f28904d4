/**
 * Texts and rule blocks of an AWS region's security groups, decided here so they can be checked
 * without mocks: every description the regional stack gives a group or a rule comes from this file
 * (or from the pure node firewall rules in components/cluster/firewall.ts) and passes `sgText`.
 * Pure: imports AWS types only.
 */
import type { FirewallRule } from "../../cluster/firewall";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6 } from "../cloudflareRanges";

/**
 * Characters AWS accepts in security group names and descriptions and in rule descriptions:
 * `a-zA-Z0-9`, space and `._-:/()#,@[]+=&;{}!$*`, at most 255 characters. No apostrophe, no
 * quotes, no `?`. The provider rejects a rule description outside it at preview
 * (terraform-provider-aws internal/service/ec2/validate.go, `validSecurityGroupRuleDescription`,
 * citing docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html); EC2 rejects a group
 * description outside it at create (API_CreateSecurityGroup.html, GroupDescription and GroupName:
 * "Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*").
 */
export const SG_TEXT = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

/** `text` if AWS accepts it as a security group or rule description; throws naming the text otherwise. */
export function sgText(text: string): string {
    if (!SG_TEXT.test(text))
        throw new Error(
            `"${text}" is not a valid AWS security group description: use at most 255 of a-z, A-Z, 0-9, space and ._-:/()#,@[]+=&;{}!$*`,
        );
    return text;
}

/** Every group and rule description of an AWS region, by role; `region` is the CockroachDB region name. */
export const SG_DESCRIPTIONS = {
    appGroup: (region: string) => sgText(`App tasks of ${region}`),
    appEgress: () => sgText("Registries, AWS APIs, SQL endpoint"),
    appFromAlb: () => sgText("App port from the ALB"),
    albGroup: (region: string) => sgText(`Public ALB of ${region}: HTTPS from Cloudflare only`),
    albIngress: () => sgText("HTTPS from the Cloudflare edge (cloudflare.com/ips)"),
    albEgress: () => sgText("App tasks"),
    sqlGroup: (region: string) => sgText(`Internal SQL load balancer of ${region}: the app tier of the region only`),
    sqlIngress: () => sgText("SQL from the app tier of the region"),
    sqlEgressNodes: () => sgText("SQL to the nodes"),
    sqlEgressHealth: () => sgText("Health checks of the nodes"),
    nodeGroup: (region: string) => sgText(`CockroachDB nodes of ${region}`),
    nodeEgress: () => sgText("Peers, package and binary downloads, AWS APIs"),
} as const;

/** One inline ingress block, as `aws.ec2.SecurityGroup` takes it (plain values). */
export interface IngressBlock {
    readonly description: string;
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly cidrBlocks: string[];
    readonly ipv6CidrBlocks: string[];
    readonly securityGroups: string[];
}

/** Inline ingress blocks of the node group from the pure firewall rules; `lbSg` is the SQL load balancer's group. */
export function nodeIngress(rules: readonly FirewallRule[], lbSg: string): IngressBlock[] {
    return rules.map((r) => ({
        description: sgText(r.description),
        protocol: "tcp",
        fromPort: r.port,
        toPort: r.port,
        cidrBlocks: [...r.ipv4],
        ipv6CidrBlocks: [...r.ipv6],
        securityGroups: r.loadBalancerGroup ? [lbSg] : [],
    }));
}

/** The public ALB's only ingress: HTTPS from Cloudflare's published ranges. */
export function albIngress(): IngressBlock[] {
    return [
        {
            description: SG_DESCRIPTIONS.albIngress(),
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [...CLOUDFLARE_IPV4],
            ipv6CidrBlocks: [...CLOUDFLARE_IPV6],
            securityGroups: [],
        },
    ];
}

/**
 * Rules the blocks add to a group, as AWS counts them against "Inbound or outbound rules per
 * security group": one per CIDR, IPv4 and IPv6 counted separately, and a rule that references a
 * security group "counts as one rule for IPv4 and one rule for IPv6" (Amazon VPC User Guide,
 * amazon-vpc-limits.md, awsdocs/amazon-vpc-user-guide; the current quotas page says the quota "is
 * enforced separately for IPv4 rules and IPv6 rules").
 */
export function countRules(blocks: readonly IngressBlock[]): { ipv4: number; ipv6: number } {
    let ipv4 = 0;
    let ipv6 = 0;
    for (const b of blocks) {
        ipv4 += b.cidrBlocks.length + b.securityGroups.length;
        ipv6 += b.ipv6CidrBlocks.length + b.securityGroups.length;
    }
    return { ipv4, ipv6 };
}

/**
 * Default per-account quotas that a stack of this template counts against, as data with the
 * source of each figure. A template must deploy on a fresh account, so config refuses an
 * environment that needs more than a default quota (naming the quota and how to raise it), and the
 * offline plan counts the planned resources against the same figures.
 *
 * Figures are the documented defaults; an account may have had them raised (Service Quotas console
 * or `aws service-quotas get-service-quota --service-code <service> --quota-code <code>`).
 */

/** One default quota. */
export interface Quota {
    /** The quota's name as the cloud's quota console shows it. */
    readonly name: string;
    /** Service Quotas service code and quota code (AWS), or the quota metric (GCP). */
    readonly code: string;
    /** What the limit applies to. */
    readonly scope: "region" | "account" | "security group" | "route table" | "role" | "availability zone";
    /** The default value on a new account. */
    readonly limit: number;
    /** Whether the quota can be raised, and to what, as documented. */
    readonly adjustable: string;
    /** Where the figure comes from. */
    readonly source: string;
}

/**
 * AWS default quotas the regional stack relies on. Names, codes and defaults checked (2026-12)
 * against the Amazon VPC quotas page (amazon-vpc-limits.md in awsdocs/amazon-vpc-user-guide, whose
 * rows link each Service Quotas code) and, for IAM, the IAM endpoints and quotas page
 * (docs.aws.amazon.com/general/latest/gr/iam-service.html). Config checks the four that grow with
 * an environment (components/deployability/check.ts); the others take one per stack and region.
 */
export const AWS_QUOTAS = {
    // The VPC guide calls it "Elastic IP addresses per Region"; NAT gateways and node addresses both count.
    elasticIps: {
        name: "EC2-VPC Elastic IPs",
        code: "ec2/L-0263D0A3",
        scope: "region",
        limit: 5,
        adjustable: "yes, through Service Quotas",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-eips",
    },
    // "Enforced separately for IPv4 rules and IPv6 rules"; a rule naming a security group counts once in each.
    inboundRulesPerSecurityGroup: {
        name: "Inbound or outbound rules per security group",
        code: "vpc/L-0EA8095F",
        scope: "security group",
        limit: 60,
        adjustable: "yes, up to 1,000 (rules x security groups per interface may not exceed 1,000)",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups",
    },
    // Non-propagated routes, counted separately for IPv4 and IPv6.
    routesPerRouteTable: {
        name: "Routes per route table",
        code: "vpc/L-93826ACB",
        scope: "route table",
        limit: 50,
        adjustable: "yes, up to 1,000",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-route-tables",
    },
    roleTrustPolicyLength: {
        name: "Role trust policy length",
        code: "iam/L-C07B4B0D",
        scope: "role",
        limit: 2048,
        adjustable: "yes, up to 4,096 characters",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length; https://docs.aws.amazon.com/general/latest/gr/iam-service.html",
    },
    vpcsPerRegion: {
        name: "VPCs per Region",
        code: "vpc/L-F678F1CE",
        scope: "region",
        limit: 5,
        adjustable: "yes",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-vpcs-subnets",
    },
    internetGatewaysPerRegion: {
        name: "Internet gateways per Region",
        code: "vpc/L-A4707A72",
        scope: "region",
        limit: 5,
        adjustable: "yes (rises with VPCs per Region)",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-gateways",
    },
    natGatewaysPerZone: {
        name: "NAT gateways per Availability Zone",
        code: "vpc/L-FE5A380F",
        scope: "availability zone",
        limit: 5,
        adjustable: "yes",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-gateways",
    },
} as const satisfies Record<string, Quota>;

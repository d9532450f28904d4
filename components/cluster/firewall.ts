/**
 * Who may reach a CockroachDB node, decided once for both clouds. Pure: the regional stacks turn
 * these rules into security groups (AWS) or firewall rules (GCP) and never add a source of their own.
 */
import * as ipaddr from "ipaddr.js";
import type { RegionPlan } from "../topology";
import { COCKROACH_PORT, CONSOLE_PORT } from "./ports";

/**
 * Google's documented source ranges of load balancer health checks (passthrough network and
 * internal load balancers). Source: cloud.google.com/load-balancing/docs/health-check-concepts
 * ("Probe IP ranges and firewall rules"), checked 2026-11.
 */
export const GCP_HEALTH_CHECK_RANGES: readonly string[] = ["35.191.0.0/16", "130.211.0.0/22"];

/** What the node firewall of one region is built from. */
export interface NodeFirewallInput {
    /** Public address of every node of the cluster, all regions (cross-region and cross-cloud RPC). */
    readonly clusterPublicIps: readonly string[];
    /** Private addresses of this region's nodes (`--locality-advertise-addr` traffic). */
    readonly regionPrivateIps: readonly string[];
    /** Networks of the region's app tier that reach SQL (GCP: the Cloud Run egress subnet). */
    readonly appCidrs: readonly string[];
    /**
     * The SQL endpoint is a load balancer with a security group of its own (AWS NLB): the app's
     * SQL traffic and the health checks on 8080 arrive through it, and a target may name only that
     * group (never the clients'), so the wiring adds it as a source of both rules.
     */
    readonly loadBalancerGroup: boolean;
    /** Operators' networks (config `cockroach.adminCidrs`): SQL and DB Console. */
    readonly adminCidrs: readonly string[];
    /** Where the SQL load balancer's health checks come from (they probe the DB Console port). */
    readonly healthCheckCidrs: readonly string[];
}

/** One inbound rule of the node firewall. */
export interface FirewallRule {
    /** Stable short name: `sql` (26257) or `console` (8080). */
    readonly name: "sql" | "console";
    readonly port: number;
    readonly description: string;
    /** IPv4 sources, sorted, without duplicates. */
    readonly ipv4: readonly string[];
    /** IPv6 sources, sorted, without duplicates. */
    readonly ipv6: readonly string[];
    /** Whether the SQL load balancer's security group is a source too (AWS). */
    readonly loadBalancerGroup: boolean;
}

/**
 * An address as the clouds write it: dotted-quad IPv4 (ipaddr.js also takes `10.1` or `010.0.0.1`,
 * which it reads as octal, while AWS and GCP reject them) or IPv6 without a zone id.
 */
function isPlainAddress(address: string): boolean {
    return ipaddr.IPv4.isValidFourPartDecimal(address) || (ipaddr.IPv6.isValid(address) && !address.includes("%"));
}

function isPlainCidr(cidr: string): boolean {
    const [address, bits, ...rest] = cidr.split("/");
    return rest.length === 0 && /^(0|[1-9]\d{0,2})$/.test(bits ?? "") && isPlainAddress(address ?? "") && ipaddr.isValidCIDR(cidr);
}

/** `1.2.3.4` -> `1.2.3.4/32`; CIDRs pass through. Throws on anything else. */
export function asCidr(address: string): string {
    if (address.includes("/")) return address;
    if (!isPlainAddress(address)) throw new Error(`"${address}" is not an IP address or CIDR block.`);
    return `${address}/${ipaddr.parse(address).kind() === "ipv4" ? 32 : 128}`;
}

/**
 * Widest source prefix a node port admits, per address family; config validation of
 * `cockroach.adminCidrs` uses the same numbers. IPv4 /8: the widest private network (10.0.0.0/8,
 * RFC 1918) and the largest block IANA ever allocated; anything wider is a slice of the internet,
 * and two halves (0.0.0.0/1 + 128.0.0.0/1) would open a port as surely as 0.0.0.0/0. IPv6 /32:
 * the usual size of a whole provider's allocation from a regional registry. These are this
 * template's limits (no cloud enforces them): the widest network an operator plausibly owns.
 */
export const WIDEST_SOURCE_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/** Throws when a source is wider than WIDEST_SOURCE_PREFIX (or is not a CIDR at all). */
export function assertNotOpen(cidr: string, what: string): void {
    if (!isPlainCidr(cidr)) throw new Error(`${what}: "${cidr}" is not an IP address or CIDR block.`);
    const [addr, bits] = ipaddr.parseCIDR(cidr);
    const widest = WIDEST_SOURCE_PREFIX[addr.kind()];
    if (bits === 0) throw new Error(`${what}: "${cidr}" would open the port to the whole internet; list the networks that need it.`);
    if (bits < widest)
        throw new Error(
            `${what}: "${cidr}" is wider than /${widest}, the widest ${addr.kind() === "ipv4" ? "IPv4" : "IPv6"} source a node port admits; list the networks that need it.`,
        );
}

function split(sources: readonly string[], what: string): { ipv4: string[]; ipv6: string[] } {
    const ipv4 = new Set<string>();
    const ipv6 = new Set<string>();
    for (const s of sources) {
        const cidr = asCidr(s);
        assertNotOpen(cidr, what);
        (ipaddr.parseCIDR(cidr)[0].kind() === "ipv4" ? ipv4 : ipv6).add(cidr);
    }
    return { ipv4: [...ipv4].sort(), ipv6: [...ipv6].sort() };
}

/**
 * Inbound rules of a region's CockroachDB nodes: 26257 only from the cluster's own nodes (public
 * addresses of every region, private addresses of this region), the region's app tier and the
 * admin networks; 8080 only from the admin networks and the SQL load balancer's health checks.
 * Nothing else, and never a source wider than WIDEST_SOURCE_PREFIX (this function throws instead).
 */
export function nodeFirewallRules(input: NodeFirewallInput): FirewallRule[] {
    if (input.clusterPublicIps.length === 0) throw new Error("nodeFirewallRules needs the cluster's node addresses.");
    const sql = split(
        [...input.clusterPublicIps, ...input.regionPrivateIps, ...input.appCidrs, ...input.adminCidrs],
        `port ${COCKROACH_PORT} source`,
    );
    const console = split([...input.adminCidrs, ...input.healthCheckCidrs], `port ${CONSOLE_PORT} source`);
    // Descriptions become AWS security group rule descriptions too: no apostrophes or quotes
    // (regional/aws/securityGroups.ts `SG_TEXT` has the charset and its source).
    return [
        {
            name: "sql",
            port: COCKROACH_PORT,
            description: "CockroachDB RPC and SQL: cluster nodes, the app tier of the region, admin networks",
            ...sql,
            loadBalancerGroup: input.loadBalancerGroup,
        },
        {
            name: "console",
            port: CONSOLE_PORT,
            description: "CockroachDB DB Console and /health: admin networks, health checks of the SQL load balancer",
            ...console,
            loadBalancerGroup: input.loadBalancerGroup,
        },
    ];
}

/**
 * Remote IPv4 networks whose packets reach a node through its public address, so its replies must
 * leave through the internet gateway rather than the NAT gateway (AWS: nodes sit in private subnets
 * with an Elastic IP; a reply through NAT would carry the wrong source address and be dropped).
 * These are exactly the public sources of the SQL and console rules.
 */
export function publicReturnRoutes(input: Pick<NodeFirewallInput, "clusterPublicIps" | "adminCidrs">): string[] {
    const routes = new Set<string>();
    for (const s of [...input.clusterPublicIps, ...input.adminCidrs]) {
        const cidr = asCidr(s);
        assertNotOpen(cidr, "return route");
        const [addr] = ipaddr.parseCIDR(cidr);
        if (addr.kind() === "ipv4" && addr.range() !== "private") routes.add(cidr);
    }
    return [...routes].sort();
}

/**
 * The node firewall input of one region, for both clouds. AWS: the app reaches SQL through the
 * NLB, whose security group is the source (`loadBalancerGroup`), and the NLB's fixed private
 * addresses run its health checks. GCP: Cloud Run's egress subnet (`app`) reaches the nodes, and
 * Google's probe ranges run the health checks.
 */
export function regionFirewallInput(
    plan: Pick<RegionPlan, "cloud" | "nodes" | "subnets" | "sqlEndpointIps">,
    clusterPublicIps: readonly string[],
    adminCidrs: readonly string[],
): NodeFirewallInput {
    const aws = plan.cloud === "aws";
    return {
        clusterPublicIps,
        regionPrivateIps: plan.nodes.map((n) => n.privateIp),
        appCidrs: aws ? [] : plan.subnets.filter((s) => s.role === "app").map((s) => s.cidr),
        loadBalancerGroup: aws,
        adminCidrs,
        healthCheckCidrs: aws ? plan.sqlEndpointIps : GCP_HEALTH_CHECK_RANGES,
    };
}

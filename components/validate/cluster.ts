/**
 * Checks of `backend:cockroach` and `backend:database.manage` that need the cluster's own modules
 * (the firewall's widest source, the AWS network's zones, the modelled CockroachDB versions), and
 * mistakes that pass the schema but fail only at deploy time. Pure; components/validate calls them.
 */
import * as ipaddr from "ipaddr.js";
import { WIDEST_SOURCE_PREFIX } from "../cluster/firewall";
import { unmodelledVersionMessage } from "../cockroach/version";
import { keyOf, type Add, type Parsed } from "../config";
import { NETWORK_ZONES as AWS_NETWORK_ZONES } from "../topology";

/**
 * Ranges no packet from the internet carries as its source: RFC 1918, RFC 6598 shared address
 * space, 0.0.0.0/8, loopback, link-local; IPv6 unique-local (RFC 4193), link-local, site-local
 * (RFC 3879), loopback.
 */
const NOT_ON_THE_INTERNET = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "::1/128",
].map((c) => ipaddr.parseCIDR(c));

/** Whether a whole CIDR block lies inside one of the NOT_ON_THE_INTERNET ranges. */
export function isPrivateBlock(block: string): boolean {
    const [addr, bits] = ipaddr.parseCIDR(block);
    return NOT_ON_THE_INTERNET.some(([net, size]) => net.kind() === addr.kind() && bits >= size && addr.match(net, size));
}

/**
 * `database.manage` applies the schema from the machine running `pulumi up`, over TLS to the
 * primary region's first node at its public address (index.ts). Packets reach that address from
 * the machine's public address (after any NAT), so admin networks that are all private can never
 * match them, and the first `pulumi up` would time out connecting.
 */
export function adminReachIssues(manage: boolean, adminCidrs: readonly string[], add: Add): void {
    if (!manage || adminCidrs.length === 0) return;
    const valid = adminCidrs.filter((c) => ipaddr.isValidCIDR(c));
    if (valid.length < adminCidrs.length || !valid.every(isPrivateBlock)) return;
    add(
        ["database", "manage"],
        `is true, so pulumi up connects to the primary region's first node at its public address, but every network in backend:cockroach.adminCidrs (${adminCidrs.join(", ")}) is private and no packet from the internet carries such a source; add the public address of the machine running pulumi up (e.g. 198.51.100.7/32, what "curl https://checkip.amazonaws.com" prints), or set manage: false and apply the plan's database statements yourself.`,
    );
}

/**
 * Admin networks, the CockroachDB version, one node per AWS zone, and whether `pulumi up` can reach
 * the database it manages.
 */
export function clusterChecks(c: Pick<Partial<Parsed>, "cockroach" | "database" | "regions">, add: Add): void {
    if (c.cockroach) adminCidrChecks(c.cockroach.adminCidrs, add);
    if (c.cockroach) {
        const unmodelled = unmodelledVersionMessage(c.cockroach.version);
        if (unmodelled) add(["cockroach", "version"], `${unmodelled} Received "${c.cockroach.version}".`);
    }
    if (c.cockroach && c.database) adminReachIssues(c.database.manage, c.cockroach.adminCidrs, add);
    if (c.cockroach && c.regions?.some((r) => r.cloud === "aws") && c.cockroach.nodesPerRegion > AWS_NETWORK_ZONES)
        add(
            ["cockroach", "nodesPerRegion"],
            `${c.cockroach.nodesPerRegion} nodes per region, but an AWS region's network spans ${AWS_NETWORK_ZONES} zones (one node per zone); use at most ${AWS_NETWORK_ZONES}.`,
        );
    if (c.cockroach && c.database?.manage && c.cockroach.adminCidrs.length === 0)
        add(
            ["database", "manage"],
            `is true, so pulumi up applies the schema over SQL from the machine running it, but ${keyOf(["cockroach", "adminCidrs"])} is empty and no such machine may reach port 26257; add that machine's network to adminCidrs, or set manage: false and apply the plan's database statements yourself.`,
        );
}

/** Admin networks no wider than the firewall accepts, written as network addresses. */
function adminCidrChecks(adminCidrs: readonly string[], add: Add): void {
    adminCidrs.forEach((block, i) => {
        const [addr, bits] = ipaddr.parseCIDR(block);
        const v4 = addr.kind() === "ipv4";
        const network = (v4 ? ipaddr.IPv4.networkAddressFromCIDR(block) : ipaddr.IPv6.networkAddressFromCIDR(block)).toString();
        const widest = WIDEST_SOURCE_PREFIX[v4 ? "ipv4" : "ipv6"];
        if (bits < widest)
            add(
                ["cockroach", "adminCidrs", i],
                `"${block}" opens the database to ${bits === 0 ? "the whole internet" : "too wide a network"}; list your operators' addresses or small networks (at most /${WIDEST_SOURCE_PREFIX.ipv4} for IPv4, /${WIDEST_SOURCE_PREFIX.ipv6} for IPv6).`,
            );
        else if (network !== addr.toString())
            add(["cockroach", "adminCidrs", i], `"${block}" has host bits set; use the network address ${network}/${bits}.`);
    });
}

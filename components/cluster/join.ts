/**
 * The `--join` list of the cluster: pure, decided from the static public addresses allocated in the
 * first pass (`NodeAddresses`), so every region's boot script names nodes of every region without a
 * dependency between regional stacks.
 */
import { COCKROACH_PORT } from "./ports";

/** One region's nodes as the join list sees them. */
export interface JoinRegion {
    /** CockroachDB region name (`aws-us-east-1`). */
    readonly name: string;
    /** Public addresses of the region's nodes, in node order. */
    readonly publicIps: readonly string[];
}

export interface JoinListOptions {
    /** Nodes taken from each region. Default: enough for `minimum` addresses in all, at least 1. */
    readonly perRegion?: number;
    /** Fewest addresses in the list (CockroachDB recommends 3-5). Default 3. */
    readonly minimum?: number;
    /** Default COCKROACH_PORT. */
    readonly port?: number;
}

/**
 * `host:port` addresses for `--join`: the first nodes of every region, in region order, so a node
 * can find the cluster while any one region is down. Public addresses: the join list crosses clouds.
 * The list is the same on every node (CockroachDB's recommendation).
 */
export function joinList(regions: readonly JoinRegion[], options: JoinListOptions = {}): string[] {
    if (regions.length === 0) throw new Error("joinList needs at least one region.");
    const minimum = options.minimum ?? 3;
    const perRegion = options.perRegion ?? Math.max(1, Math.ceil(minimum / regions.length));
    if (!Number.isInteger(perRegion) || perRegion < 1) throw new Error(`joinList perRegion must be a positive integer; got ${perRegion}.`);
    const port = options.port ?? COCKROACH_PORT;
    // Every node's address is checked, not only the ones taken: a shared address is a wiring error
    // wherever it sits.
    const seen = new Set<string>();
    const out: string[] = [];
    for (const r of regions) {
        if (r.publicIps.length === 0) throw new Error(`region ${r.name} has no node address to join; allocate its addresses first.`);
        r.publicIps.forEach((ip, i) => {
            if (seen.has(ip))
                throw new Error(`address ${ip} of region ${r.name} appears twice in the join list; every node needs its own address.`);
            seen.add(ip);
            if (i < perRegion) out.push(`${ip}:${port}`);
        });
    }
    return out;
}

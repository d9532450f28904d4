import type { StackValidationPolicy } from "@pulumi/policy";
import { DATABASE_TYPE, domainMap, specOf } from "../lib/domains";
import { catalogOf, refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

const POOL = "cloudflare:index/loadBalancerPool:LoadBalancerPool";
const LB = "cloudflare:index/loadBalancer:LoadBalancer";

/** The region a pool stands for: its name is `<environment>-<crdb-region>` (components/traffic). */
function poolRegion(pool: Res, regions: readonly string[]): string | undefined {
    const name = String(pool.props.name ?? pool.name);
    return regions.filter((r) => name === r || name.endsWith(`-${r}`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * Where an origin address is: an AWS load balancer's DNS name carries its region
 * (`<name>-<id>.<region>.elb.amazonaws.com`); a Cloud Run origin is checked against the region's
 * own service name (`<env>-<crdb-region>-app...run.app`).
 */
function originIn(address: string, region: string): boolean {
    const entry = catalogOf(region);
    if (!entry) return false;
    if (entry.cloud === "aws") return address.endsWith(`.${entry.region}.elb.amazonaws.com`);
    return address.endsWith(".run.app") && address.includes(`-${region}-`);
}

/**
 * Every Cloudflare pool's origins are in the region the pool stands for; a pinned domain's rule
 * names only that domain's pools (fallback included) and never fails over across pools.
 */
export const residencyRouting: StackValidationPolicy = {
    name: "residency-routing",
    description:
        "Pools serve their own region; pinned routing names only in-domain pools (fallback included) and never fails over across pools.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        const domains = domainMap(all);
        const regions = [...domains.values()].flatMap((d) => [...d.regions]);
        const db = all.find((r) => r.type === DATABASE_TYPE);
        const dbRegions = specOf(db ?? ({ props: {} } as Res))?.regions ?? [];
        const known = [...new Set([...regions, ...dbRegions])];
        const pools = all.filter((r) => r.type === POOL);
        for (const pool of pools) {
            const region = poolRegion(pool, known);
            if (!region) {
                report(
                    violation(
                        pool,
                        `is named "${pool.props.name}", which names no region of the stack`,
                        "name pools <environment>-<region> as components/traffic does",
                    ),
                    pool.urn,
                );
                continue;
            }
            for (const o of (pool.props.origins ?? []) as { address?: string; name?: string }[])
                if (typeof o.address === "string" && !originIn(o.address, region))
                    report(
                        violation(
                            pool,
                            `stands for ${region} but origin "${o.name ?? o.address}" at ${o.address} is not that region's endpoint`,
                            `point the pool at the origin of ${region} only`,
                        ),
                        pool.urn,
                    );
        }
        const poolOf = (ref: unknown) => pools.find((p) => refersTo(ref, p));
        for (const lb of all.filter((r) => r.type === LB))
            for (const rule of (lb.props.rules ?? []) as {
                name?: string;
                overrides?: { defaultPools?: string[]; fallbackPool?: string; adaptiveRouting?: { failoverAcrossPools?: boolean } };
            }[]) {
                const pin = /^pin-(.+)$/.exec(rule.name ?? "")?.[1];
                if (!pin) continue;
                const domain = domains.get(pin);
                const o = rule.overrides ?? {};
                const named: [string, unknown][] = [
                    ...(o.defaultPools ?? []).map((p) => ["pool", p] as [string, unknown]),
                    ["fallback pool", o.fallbackPool],
                ];
                for (const [what, ref] of named) {
                    if (ref === undefined) {
                        report(
                            violation(
                                lb,
                                `rule ${rule.name} pins domain ${pin} but sets no ${what}, so the load balancer's own (any domain) applies`,
                                `set overrides.fallbackPool to a pool of domain ${pin}`,
                            ),
                            lb.urn,
                        );
                        continue;
                    }
                    const pool = poolOf(ref);
                    const region = pool && poolRegion(pool, known);
                    if (!region || !domain?.regions.has(region))
                        report(
                            violation(
                                lb,
                                `rule ${rule.name} pins domain ${pin} but its ${what} ${String(ref)} serves ${region ?? "an unknown region"}, outside the domain`,
                                `list only pools of domain ${pin} in the rule's defaultPools and fallbackPool`,
                            ),
                            lb.urn,
                        );
                }
                if (o.adaptiveRouting?.failoverAcrossPools !== false)
                    report(
                        violation(
                            lb,
                            `rule ${rule.name} pins domain ${pin} but lets adaptive routing fail over across pools (to any domain)`,
                            "set overrides.adaptiveRouting.failoverAcrossPools: false",
                        ),
                        lb.urn,
                    );
            }
    },
};

import type { StackValidationPolicy } from "@pulumi/policy";
import { describeDomain, domainMap, inDomain } from "../lib/domains";
import {
    catalogOf,
    cloudOf,
    crdbName,
    DOMAIN_TAG,
    effectiveLocation,
    effectiveTags,
    isClusterScoped,
    isProvider,
    json,
    REGION_TAG,
    type Res,
} from "../lib/facts";
import { violation } from "../lib/message";

/** Extra locations a resource replicates to: Secret Manager replicas, Secrets Manager replicas. */
function replicaRegions(r: Res): string[] {
    const cloud = cloudOf(r.type);
    if (r.type === "gcp:secretmanager/secret:Secret") {
        const rep = json(r.props.replication) as { userManaged?: { replicas?: { location?: string }[] } } | undefined;
        return (rep?.userManaged?.replicas ?? []).flatMap((x) => (x.location ? [crdbName("gcp", x.location.toLowerCase())] : []));
    }
    if (r.type === "aws:secretsmanager/secret:Secret" && Array.isArray(r.props.replicas))
        return (r.props.replicas as { region?: string }[]).flatMap((x) => (x.region && cloud ? [crdbName("aws", x.region)] : []));
    return [];
}

/**
 * The effective location of every regional AWS/GCP resource (own `region`/`location`/`zone`, else
 * its provider's region), and of every replica it names, lies in the domain its tags name; a
 * regional provider's region is the region its `crdb-region` tag names.
 */
export const residencyLocation: StackValidationPolicy = {
    name: "residency-location",
    description: "Every AWS and GCP resource (and replica) lies in a region of its residency domain.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const domains = domainMap(args.resources);
        for (const r of args.resources) {
            if (!cloudOf(r.type) || isClusterScoped(r)) continue;
            const tags = effectiveTags(r);
            const domainName = tags[DOMAIN_TAG];
            if (!domainName) continue; // residency-tags reports it
            const domain = domains.get(domainName);
            const loc = effectiveLocation(r);
            if (!loc) continue;
            if (loc.kind === "multi") {
                report(
                    violation(
                        r,
                        `is in multi-region location "${loc.location}" (${loc.from}), which spans countries outside domain ${describeDomain(domain, domainName)}`,
                        `set ${loc.from} to a single region of the domain`,
                    ),
                    r.urn,
                );
                continue;
            }
            const here = crdbName(loc.cloud, loc.region);
            if (isProvider(r.type) && tags[REGION_TAG] && tags[REGION_TAG] !== here)
                report(
                    violation(
                        r,
                        `is tagged ${REGION_TAG}=${tags[REGION_TAG]} but its region is ${loc.region}`,
                        `give the provider the region its tag names`,
                    ),
                    r.urn,
                );
            if (!catalogOf(here))
                report(
                    violation(
                        r,
                        `is in ${here} (${loc.from}), a region the catalog (components/regions.ts) does not place in any country`,
                        "use a catalog region of the domain",
                    ),
                    r.urn,
                );
            else if (!inDomain(domain, here))
                report(
                    violation(
                        r,
                        `is in ${here} (${loc.from}), outside its residency domain ${describeDomain(domain, domainName)}`,
                        `remove the ${loc.from} override or use a region of domain ${domainName}`,
                    ),
                    r.urn,
                );
            for (const replica of replicaRegions(r))
                if (!inDomain(domain, replica))
                    report(
                        violation(
                            r,
                            `replicates to ${replica}, outside its residency domain ${describeDomain(domain, domainName)}`,
                            `keep replicas in regions of domain ${domainName}`,
                        ),
                        r.urn,
                    );
        }
    },
};

/**
 * The residency domains, learned from the stack's own resources (no second copy of the config):
 * every regional provider carries its `residency-domain` and `crdb-region` tags (set from
 * `backend:domains` / `backend:regions` by components/providers.ts), and the database resource
 * (`pulumi-nodejs:dynamic/cockroach:DatabaseSql`) carries the full spec: each domain's countries
 * (jurisdictions expanded) and regions. A region is in a domain when the domain lists it, or when
 * the region catalog (components/regions.ts) puts it in one of the domain's countries.
 */
import { catalogOf, cloudOf, DOMAIN_TAG, isProvider, providerTags, REGION_TAG, type Res } from "./facts";

export const DATABASE_TYPE = "pulumi-nodejs:dynamic/cockroach:DatabaseSql";

export interface Domain {
    readonly name: string;
    readonly regions: Set<string>;
    /** ISO countries from the database spec; empty when the stack has no database resource. */
    readonly countries: Set<string>;
}

export interface DatabaseSpecView {
    readonly name?: string;
    readonly regions?: string[];
    readonly survivalGoal?: "zone" | "region";
    readonly domains?: { name: string; countries: string[]; regions: string[] }[];
    readonly superRegions?: { name: string; domain?: string; regions: string[] }[];
    readonly homeRules?: { countries: string[]; region: string }[];
    readonly tables?: { name: string; locality: string; residency: boolean }[];
    readonly backup?: { destinations?: { locality: string; url: string }[] };
    readonly primaryRegion?: string;
    readonly secondaryRegion?: string | null;
    readonly placement?: "default" | "restricted";
}

export function specOf(r: Res): DatabaseSpecView | undefined {
    const spec = r.props.spec;
    return spec && typeof spec === "object" ? (spec as DatabaseSpecView) : undefined;
}

export function domainMap(resources: readonly Res[]): Map<string, Domain> {
    const out = new Map<string, Domain>();
    const get = (name: string) => {
        let d = out.get(name);
        if (!d) out.set(name, (d = { name, regions: new Set(), countries: new Set() }));
        return d;
    };
    for (const r of resources) {
        if (isProvider(r.type) && cloudOf(r.type)) {
            const tags = providerTags(r.type, r.props);
            if (tags[DOMAIN_TAG] && tags[REGION_TAG]) get(tags[DOMAIN_TAG]).regions.add(tags[REGION_TAG]);
        }
        if (r.type === DATABASE_TYPE)
            for (const d of specOf(r)?.domains ?? []) {
                const domain = get(d.name);
                d.regions.forEach((x) => domain.regions.add(x));
                d.countries.forEach((x) => domain.countries.add(x));
            }
    }
    return out;
}

/** Whether the CockroachDB-style region (`aws-eu-west-3`) lies in the domain. */
export function inDomain(domain: Domain | undefined, crdbRegion: string): boolean {
    if (!domain) return false;
    if (domain.regions.has(crdbRegion)) return true;
    const entry = catalogOf(crdbRegion);
    return !!entry && domain.countries.has(entry.country);
}

/** `eu (aws-eu-central-1, gcp-europe-west1)` for messages. */
export const describeDomain = (d: Domain | undefined, name: string): string =>
    d
        ? `${d.name} (${[...d.regions].sort().join(", ")}${d.countries.size ? `; countries ${[...d.countries].sort().join(" ")}` : ""})`
        : `"${name}" (unknown domain)`;

/** Domain of a region, by the domain lists (first match). */
export function domainOfRegion(map: Map<string, Domain>, crdbRegion: string): Domain | undefined {
    return [...map.values()].find((d) => d.regions.has(crdbRegion)) ?? [...map.values()].find((d) => inDomain(d, crdbRegion));
}

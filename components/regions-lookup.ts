import { distance } from "fastest-levenshtein";
import type { CatalogRegion, Cloud } from "./catalog-types";
import { REGIONS } from "./regions";

const BY_ID = new Map(REGIONS.map((r) => [`${r.cloud}:${r.region}`, r]));

/** The catalog entry of a cloud region, or undefined when the template does not know it. */
export function findRegion(cloud: Cloud, region: string): CatalogRegion | undefined {
    return BY_ID.get(`${cloud}:${region}`);
}

/** The catalog entry of a region that config validation has already accepted. */
export function requireRegion(cloud: Cloud, region: string): CatalogRegion {
    const entry = findRegion(cloud, region);
    if (!entry) throw new Error(`${cloud} region ${region} is not in the catalog (validate config first)`);
    return entry;
}

/** Up to `count` known region names of `cloud` closest in spelling to `name`. */
export function suggestRegions(cloud: Cloud, name: string, count = 2): string[] {
    return REGIONS.filter((r) => r.cloud === cloud)
        .map((r) => ({ region: r.region, d: distance(name.toLowerCase(), r.region) }))
        .sort((a, b) => a.d - b.d || a.region.localeCompare(b.region))
        .slice(0, count)
        .map((r) => r.region);
}

/**
 * Which Cloudflare regions a country's requests arrive in, and which regions a residency pin
 * covers. Pure; used by the checks and by the routing model.
 */
import { CLOUDFLARE_REGIONS, type CloudflareRegion } from "../catalog-types";
import { domainCountries } from "../config";
import { COUNTRY_BY_CODE } from "../countries";

/**
 * Countries Cloudflare splits by state or province (the Regions API subdivides only the US and
 * Canada): their traffic arrives in both North American regions. Every other country has the one
 * region `countries.ts` gives it.
 */
export const SPLIT_COUNTRIES: Readonly<Record<string, readonly CloudflareRegion[]>> = { US: ["WNAM", "ENAM"], CA: ["WNAM", "ENAM"] };

/** What the model needs of a residency domain. */
export interface PinDomain {
    readonly name: string;
    /** ISO countries the domain serves. */
    readonly countries: readonly string[];
    /** Jurisdictions (`EU`, `EEA`) whose countries the domain also serves. */
    readonly jurisdictions?: readonly string[];
    /** Keep requests handled in the domain's Cloudflare regions on the domain's pools. */
    readonly pinRouting: boolean;
    /** Cloudflare regions the pin covers; default: the regions of the domain's countries. */
    readonly pinRegions?: readonly string[];
}

/** Cloudflare regions a country's requests arrive in. */
export function countryRegions(code: string): CloudflareRegion[] {
    const split = SPLIT_COUNTRIES[code];
    if (split) return [...split];
    const country = COUNTRY_BY_CODE.get(code);
    return country ? [country.cloudflareRegion] : [];
}

/** Regions a pinned domain covers: its `pinRegions`, else the regions of its countries. Canonical order. */
export function pinRegionsOf(d: PinDomain): CloudflareRegion[] {
    const wanted = new Set<string>(d.pinRegions ?? domainCountries(d).flatMap(countryRegions));
    return CLOUDFLARE_REGIONS.filter((r) => wanted.has(r));
}

/** `cf.load_balancer.region in {"WEU" "EEU"}`: the region of the data centre handling the request. */
export function pinCondition(regions: readonly CloudflareRegion[]): string {
    return `cf.load_balancer.region in {${regions.map((r) => `"${r}"`).join(" ")}}`;
}

/** Whether a code is one of the 13 Cloudflare regions. */
export function isRegion(code: string): code is CloudflareRegion {
    return (CLOUDFLARE_REGIONS as readonly string[]).includes(code);
}

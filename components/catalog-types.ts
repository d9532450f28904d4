/** Clouds the template deploys to. */
export type Cloud = "aws" | "gcp";

/**
 * Cloudflare Load Balancing region codes (the values of `cf.load_balancer.region` and the keys of
 * `regionPools`). Source: developers.cloudflare.com/load-balancing/reference/region-mapping-api/
 */
export const CLOUDFLARE_REGIONS = ["WNAM", "ENAM", "WEU", "EEU", "NSAM", "SSAM", "OC", "ME", "NAF", "SAF", "SAS", "SEAS", "NEAS"] as const;
export type CloudflareRegion = (typeof CLOUDFLARE_REGIONS)[number];

/** One cloud region the template accepts. */
export interface CatalogRegion {
    readonly cloud: Cloud;
    /** The cloud's own name, e.g. `us-east-1`, `europe-west1`. */
    readonly region: string;
    readonly city: string;
    /** ISO 3166-1 alpha-2 code of the country the region's data centres are in. */
    readonly country: string;
    /**
     * Legal area the data sits in: `EU` for EU member states, otherwise the ISO country code.
     * Residency domains list jurisdictions and/or countries.
     */
    readonly jurisdiction: string;
    readonly latitude: number;
    readonly longitude: number;
    /** Cloudflare Load Balancing region the location belongs to. */
    readonly cloudflareRegion: CloudflareRegion;
    /**
     * Zone suffixes in the order nodes are placed (`a`, `b`, `c` -> `us-east-1a`, ...; GCP:
     * `europe-west1-b`). Only zones open to every account (no opt-in local zones).
     */
    readonly zones: readonly string[];
    /**
     * Fixed slot of this region in the address plan: its VPC CIDR is `10.<slot>.0.0/16`. Never
     * reuse or renumber a slot: networks would be replaced. New regions take a new slot.
     */
    readonly slot: number;
}

/** One country, for mapping users to regions. */
export interface Country {
    /** ISO 3166-1 alpha-2. */
    readonly code: string;
    readonly name: string;
    /** Coordinates of the capital (a stable, documented point; centroids move with borders). */
    readonly latitude: number;
    readonly longitude: number;
    /** Cloudflare region that Cloudflare maps this country to. */
    readonly cloudflareRegion: CloudflareRegion;
}

/**
 * Pure topology planning: address plan, zones, node addresses, and which region is home to each
 * country. Everything here is decided from config and the catalog before any resource exists, so
 * certificates and join lists can name every node without cycles between regions.
 */
import type { CatalogRegion, Cloud } from "./catalog-types";
import type { RegionConfig, StackConfig } from "./config";
import { at } from "./collections";
import { COUNTRY_BY_CODE } from "./countries";
import { REGIONS } from "./regions";
import { requireRegion } from "./regions-lookup";

/** Availability zones each AWS network spans (public + private subnet in each). */
export const NETWORK_ZONES = 3;

/**
 * Why the shipped design can never deploy to a catalog region, or undefined when it can. An AWS
 * network spans NETWORK_ZONES zones (subnets, the SQL load balancer's fixed address in each), so a
 * region with fewer zones open to new accounts (us-west-1 has two: usw1-az1 and usw1-az3) would
 * fail inside `pulumi up`; config refuses it with this reason instead.
 */
export function regionRefusal(entry: CatalogRegion): string | undefined {
    if (entry.cloud !== "aws" || entry.zones.length >= NETWORK_ZONES) return undefined;
    const alternatives = REGIONS.filter(
        (r) => r.cloud === "aws" && r.zones.length >= NETWORK_ZONES && r.jurisdiction === entry.jurisdiction,
    )
        .map((r) => ({ r, km: greatCircleKm(entry.latitude, entry.longitude, r.latitude, r.longitude) }))
        .sort((a, b) => a.km - b.km)
        .slice(0, 2)
        .map(({ r }) => `${r.region} (${r.city})`);
    return (
        `aws ${entry.region} has ${entry.zones.length} availability zones open to new accounts, and the AWS network of this template spans ${NETWORK_ZONES} (a subnet, a node and a SQL load balancer address per zone), so it cannot deploy there` +
        (alternatives.length > 0 ? `; use ${alternatives.join(" or ")} instead.` : "; choose another region.")
    );
}

/** One subnet of a region's network. */
export interface SubnetPlan {
    /** `public`: load balancer and NAT (AWS); `private`: nodes, internal SQL load balancer; `app`: Cloud Run egress (GCP). */
    readonly role: "public" | "private" | "app";
    /** Zone suffix for zonal subnets (AWS); undefined for regional subnets (GCP). */
    readonly zone?: string;
    readonly cidr: string;
}

/** One CockroachDB node: its zone and fixed private address. */
export interface NodePlan {
    readonly index: number;
    /** Full zone name, e.g. `us-east-1a`, `europe-west1-b`. */
    readonly zone: string;
    readonly privateIp: string;
    /** `--locality` value of the node. */
    readonly locality: string;
}

/** Everything decided for one region before resources exist. */
export interface RegionPlan {
    /** CockroachDB region name (`aws-us-east-1`). */
    readonly name: string;
    readonly cloud: Cloud;
    readonly region: string;
    readonly domain: string;
    readonly primary: boolean;
    readonly catalog: CatalogRegion;
    /** Zones the network spans, in placement order. */
    readonly zones: readonly string[];
    /** The region's VPC (AWS) or address block (GCP): `10.<slot>.0.0/16`. */
    readonly cidr: string;
    readonly subnets: readonly SubnetPlan[];
    readonly nodes: readonly NodePlan[];
    /** Fixed private address of the internal SQL load balancer (one per private subnet on AWS). */
    readonly sqlEndpointIps: readonly string[];
}

export interface Topology {
    readonly regions: readonly RegionPlan[];
    /** CockroachDB name of the primary region. */
    readonly primary: string;
    /** ISO country -> CockroachDB region name of the nearest region of the country's own domain. */
    readonly countryHome: ReadonlyMap<string, string>;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance in km. */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
    const rad = Math.PI / 180;
    const dLat = (lat2 - lat1) * rad;
    const dLon = (lon2 - lon1) * rad;
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Full zone name: AWS appends the letter (`us-east-1a`), GCP a dash (`europe-west1-b`). */
export function zoneName(cloud: Cloud, region: string, suffix: string): string {
    return cloud === "aws" ? `${region}${suffix}` : `${region}-${suffix}`;
}

/** `cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a`: same keys, same order on every node. */
export function localityOf(cloud: Cloud, crdbRegion: string, zone: string): string {
    return `cloud=${cloud},region=${crdbRegion},zone=${cloud}-${zone}`;
}

function ipv4(slot: number, third: number, fourth: number): string {
    return `10.${slot}.${third}.${fourth}`;
}

/**
 * Address plan of one region inside `10.<slot>.0.0/16`:
 * AWS public /20s at 10.s.0/16/32.0, private /20s at 10.s.128/144/160.0; nodes at .10 of their
 * zone's private subnet, the SQL load balancer at .20. GCP: nodes' subnet 10.s.0.0/20 (nodes at
 * .10+i, load balancer at .5), Cloud Run egress subnet 10.s.16.0/20.
 */
export function planRegion(r: RegionConfig, nodesPerRegion: number): RegionPlan {
    const catalog = requireRegion(r.cloud, r.region);
    const s = catalog.slot;
    const zones = catalog.zones.slice(0, Math.max(NETWORK_ZONES, nodesPerRegion)).map((z) => zoneName(r.cloud, r.region, z));
    const nodeZones = zones.slice(0, nodesPerRegion);
    const crdb = r.crdbRegion;
    if (r.cloud === "aws") {
        const netZones = zones.slice(0, NETWORK_ZONES);
        return {
            name: crdb,
            cloud: r.cloud,
            region: r.region,
            domain: r.domain,
            primary: r.primary,
            catalog,
            zones: netZones,
            cidr: `10.${s}.0.0/16`,
            subnets: [
                ...netZones.map((zone, i) => ({ role: "public" as const, zone, cidr: `${ipv4(s, 16 * i, 0)}/20` })),
                ...netZones.map((zone, i) => ({ role: "private" as const, zone, cidr: `${ipv4(s, 128 + 16 * i, 0)}/20` })),
            ],
            nodes: nodeZones.map((zone, i) => ({
                index: i,
                zone,
                privateIp: ipv4(s, 128 + 16 * i, 10),
                locality: localityOf(r.cloud, crdb, zone),
            })),
            sqlEndpointIps: netZones.map((_, i) => ipv4(s, 128 + 16 * i, 20)),
        };
    }
    return {
        name: crdb,
        cloud: r.cloud,
        region: r.region,
        domain: r.domain,
        primary: r.primary,
        catalog,
        zones: zones.slice(0, Math.max(nodesPerRegion, Math.min(NETWORK_ZONES, zones.length))),
        cidr: `10.${s}.0.0/16`,
        subnets: [
            { role: "private", cidr: `${ipv4(s, 0, 0)}/20` },
            { role: "app", cidr: `${ipv4(s, 16, 0)}/20` },
        ],
        nodes: nodeZones.map((zone, i) => ({
            index: i,
            zone,
            privateIp: ipv4(s, 0, 10 + i),
            locality: localityOf(r.cloud, crdb, zone),
        })),
        sqlEndpointIps: [ipv4(s, 0, 5)],
    };
}

/**
 * Home region of every country a domain serves: the domain's region nearest (great-circle, from
 * the country's capital to the region's city) to it. Ties go to the earlier region in config.
 */
export function planCountryHomes(config: Pick<StackConfig, "domains" | "regions">): Map<string, string> {
    const homes = new Map<string, string>();
    for (const domain of config.domains) {
        const candidates = config.regions.filter((r) => r.domain === domain.name).map((r) => ({ r, c: requireRegion(r.cloud, r.region) }));
        for (const code of domain.countries) {
            const country = COUNTRY_BY_CODE.get(code);
            if (!country || candidates.length === 0) continue;
            let best = at(candidates, 0, `home candidates of ${code}`);
            let bestKm = Infinity;
            for (const cand of candidates) {
                const km = greatCircleKm(country.latitude, country.longitude, cand.c.latitude, cand.c.longitude);
                if (km < bestKm) {
                    best = cand;
                    bestKm = km;
                }
            }
            homes.set(code, best.r.crdbRegion);
        }
    }
    return homes;
}

/** The whole plan of an environment. */
export function planTopology(config: StackConfig): Topology {
    const regions = config.regions.map((r) => planRegion(r, config.cockroach.nodesPerRegion));
    const primary = regions.find((r) => r.primary);
    if (!primary) throw new Error("no primary region (validate config first)");
    return { regions, primary: primary.name, countryHome: planCountryHomes(config) };
}

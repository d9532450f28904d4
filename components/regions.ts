/**
 * Every AWS and GCP region the template accepts, with where it is, which jurisdiction its data sits
 * in, which Cloudflare Load Balancing region it falls in, and the zones nodes are placed in.
 *
 * Scope: the commercial AWS partition (`aws`) and every public GCP region. Not included: AWS
 * GovCloud (`us-gov-*`), AWS China (`cn-*`), the ISO partitions, the AWS European Sovereign Cloud
 * (`eusc-de-east-1`, its own partition) and GCP's allowlist-only regions (`us-central2`, `us-east7`,
 * `us-west8`, ...). AWS regions marked "opt-in" must be enabled on the account before use.
 *
 * Sources (checked while writing, 2026):
 * - AWS region codes: the `Region` enum of @pulumi/aws 7.48.0 (node_modules/@pulumi/aws/types/enums),
 *   AWS "Regions and Availability Zones" docs. Cities: AWS region display names ("US East (N.
 *   Virginia)", "Asia Pacific (Malaysia)", ...); AWS does not publish exact data-centre towns, so
 *   the city given is the metro the region is named for (us-west-2: Boardman, OR; eu-south-2:
 *   Zaragoza/Aragón; me-central-1: UAE, recorded as Dubai).
 * - AWS zone letters: AWS AZ docs and per-account `describe-availability-zones` output. Regions
 *   launched before 2019 map letters to AZ IDs per account; the letters below are the ones open to
 *   new accounts. Known irregular sets: us-west-1 (two AZs only, letters vary per account: newer
 *   accounts see a+c, older ones b+c or a+b), ap-northeast-1 (a, c, d: apne1-az3 "b" is closed to
 *   new accounts), ca-central-1 (a, b, d), us-east-1 (a-f; 1e = use1-az3 gets no new instance
 *   types, still usable).
 * - GCP regions, cities and zones: cloud.google.com/compute/docs/regions-zones (e.g. europe-west1
 *   = St. Ghislain with b, c, d; us-central1 = Council Bluffs with a, b, c, f; us-east1 = Moncks
 *   Corner with b, c, d), GCP product location pages; asia-southeast3 (Bangkok, a-c) from the
 *   AlloyDB release notes of 2026-01-20.
 * - Cloudflare regions: developers.cloudflare.com/load-balancing/reference/region-mapping-api/ (the
 *   13 codes) and the example answer of GET /accounts/{id}/load_balancers/regions in Cloudflare's
 *   API reference, which lists in WNAM: CA-AB, CA-BC, MX, US-AZ, US-CA, US-CO, US-HI, US-MN, US-MO,
 *   US-NV, US-OR, US-TX, US-UT, US-WA. Hence Dallas (TX), Calgary (AB) and Querétaro (MX) are WNAM;
 *   Virginia, Ohio, South Carolina, Québec and Ontario are ENAM. Council Bluffs (Iowa) is not in
 *   that list; it lies between MN and MO (both WNAM) and is put in WNAM. Outside North America the
 *   country's region from ./countries.ts is used. Verify against the live API before relying on it.
 * - Coordinates: the city centre (2 decimals), not the data centre.
 *
 * Slots: AWS 1-100, GCP 101-250, in the order below. Never renumber or reuse one: a region's VPC
 * CIDR is 10.<slot>.0.0/16. New regions take the next free slot of their cloud.
 */
import type { CatalogRegion } from "./catalog-types";

// prettier-ignore
export const REGIONS: readonly CatalogRegion[] = [
    // ---- AWS (slots 1..100) ----
    { cloud: "aws", region: "us-east-1", city: "Ashburn", country: "US", jurisdiction: "US", latitude: 39.04, longitude: -77.49, cloudflareRegion: "ENAM", zones: ["a", "b", "c", "d", "e", "f"], slot: 1 },
    { cloud: "aws", region: "us-east-2", city: "Columbus", country: "US", jurisdiction: "US", latitude: 39.96, longitude: -83.0, cloudflareRegion: "ENAM", zones: ["a", "b", "c"], slot: 2 },
    // Two AZs only (usw1-az1, usw1-az3); the letters differ per account (a+c on newer accounts).
    { cloud: "aws", region: "us-west-1", city: "San Jose", country: "US", jurisdiction: "US", latitude: 37.34, longitude: -121.89, cloudflareRegion: "WNAM", zones: ["a", "c"], slot: 3 },
    { cloud: "aws", region: "us-west-2", city: "Boardman", country: "US", jurisdiction: "US", latitude: 45.84, longitude: -119.7, cloudflareRegion: "WNAM", zones: ["a", "b", "c", "d"], slot: 4 },
    { cloud: "aws", region: "ca-central-1", city: "Montréal", country: "CA", jurisdiction: "CA", latitude: 45.5, longitude: -73.57, cloudflareRegion: "ENAM", zones: ["a", "b", "d"], slot: 5 },
    { cloud: "aws", region: "ca-west-1", city: "Calgary", country: "CA", jurisdiction: "CA", latitude: 51.05, longitude: -114.07, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 6 },
    { cloud: "aws", region: "eu-west-1", city: "Dublin", country: "IE", jurisdiction: "EU", latitude: 53.35, longitude: -6.26, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 7 },
    { cloud: "aws", region: "eu-west-2", city: "London", country: "GB", jurisdiction: "GB", latitude: 51.51, longitude: -0.13, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 8 },
    { cloud: "aws", region: "eu-west-3", city: "Paris", country: "FR", jurisdiction: "EU", latitude: 48.86, longitude: 2.35, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 9 },
    { cloud: "aws", region: "eu-central-1", city: "Frankfurt", country: "DE", jurisdiction: "EU", latitude: 50.11, longitude: 8.68, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 10 },
    { cloud: "aws", region: "eu-central-2", city: "Zurich", country: "CH", jurisdiction: "CH", latitude: 47.37, longitude: 8.54, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 11 },
    { cloud: "aws", region: "eu-north-1", city: "Stockholm", country: "SE", jurisdiction: "EU", latitude: 59.33, longitude: 18.07, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 12 },
    { cloud: "aws", region: "eu-south-1", city: "Milan", country: "IT", jurisdiction: "EU", latitude: 45.46, longitude: 9.19, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 13 },
    { cloud: "aws", region: "eu-south-2", city: "Zaragoza", country: "ES", jurisdiction: "EU", latitude: 41.65, longitude: -0.89, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 14 },
    { cloud: "aws", region: "ap-northeast-1", city: "Tokyo", country: "JP", jurisdiction: "JP", latitude: 35.68, longitude: 139.69, cloudflareRegion: "NEAS", zones: ["a", "c", "d"], slot: 15 },
    { cloud: "aws", region: "ap-northeast-2", city: "Seoul", country: "KR", jurisdiction: "KR", latitude: 37.57, longitude: 126.98, cloudflareRegion: "NEAS", zones: ["a", "b", "c", "d"], slot: 16 },
    { cloud: "aws", region: "ap-northeast-3", city: "Osaka", country: "JP", jurisdiction: "JP", latitude: 34.69, longitude: 135.5, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 17 },
    { cloud: "aws", region: "ap-southeast-1", city: "Singapore", country: "SG", jurisdiction: "SG", latitude: 1.35, longitude: 103.82, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 18 },
    { cloud: "aws", region: "ap-southeast-2", city: "Sydney", country: "AU", jurisdiction: "AU", latitude: -33.87, longitude: 151.21, cloudflareRegion: "OC", zones: ["a", "b", "c"], slot: 19 },
    { cloud: "aws", region: "ap-southeast-3", city: "Jakarta", country: "ID", jurisdiction: "ID", latitude: -6.21, longitude: 106.85, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 20 }, // opt-in
    { cloud: "aws", region: "ap-southeast-4", city: "Melbourne", country: "AU", jurisdiction: "AU", latitude: -37.81, longitude: 144.96, cloudflareRegion: "OC", zones: ["a", "b", "c"], slot: 21 }, // opt-in
    { cloud: "aws", region: "ap-southeast-5", city: "Kuala Lumpur", country: "MY", jurisdiction: "MY", latitude: 3.14, longitude: 101.69, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 22 }, // opt-in
    { cloud: "aws", region: "ap-south-1", city: "Mumbai", country: "IN", jurisdiction: "IN", latitude: 19.08, longitude: 72.88, cloudflareRegion: "SAS", zones: ["a", "b", "c"], slot: 23 },
    { cloud: "aws", region: "ap-south-2", city: "Hyderabad", country: "IN", jurisdiction: "IN", latitude: 17.39, longitude: 78.49, cloudflareRegion: "SAS", zones: ["a", "b", "c"], slot: 24 }, // opt-in
    { cloud: "aws", region: "ap-east-1", city: "Hong Kong", country: "HK", jurisdiction: "HK", latitude: 22.32, longitude: 114.17, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 25 }, // opt-in
    { cloud: "aws", region: "me-south-1", city: "Manama", country: "BH", jurisdiction: "BH", latitude: 26.23, longitude: 50.59, cloudflareRegion: "ME", zones: ["a", "b", "c"], slot: 26 }, // opt-in
    { cloud: "aws", region: "me-central-1", city: "Dubai", country: "AE", jurisdiction: "AE", latitude: 25.2, longitude: 55.27, cloudflareRegion: "ME", zones: ["a", "b", "c"], slot: 27 }, // opt-in
    { cloud: "aws", region: "il-central-1", city: "Tel Aviv", country: "IL", jurisdiction: "IL", latitude: 32.09, longitude: 34.78, cloudflareRegion: "ME", zones: ["a", "b", "c"], slot: 28 }, // opt-in
    { cloud: "aws", region: "af-south-1", city: "Cape Town", country: "ZA", jurisdiction: "ZA", latitude: -33.92, longitude: 18.42, cloudflareRegion: "SAF", zones: ["a", "b", "c"], slot: 29 }, // opt-in
    { cloud: "aws", region: "sa-east-1", city: "São Paulo", country: "BR", jurisdiction: "BR", latitude: -23.55, longitude: -46.63, cloudflareRegion: "SSAM", zones: ["a", "b", "c"], slot: 30 },
    { cloud: "aws", region: "mx-central-1", city: "Querétaro", country: "MX", jurisdiction: "MX", latitude: 20.59, longitude: -100.39, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 31 }, // opt-in
    { cloud: "aws", region: "ap-southeast-7", city: "Bangkok", country: "TH", jurisdiction: "TH", latitude: 13.76, longitude: 100.5, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 32 }, // opt-in
    { cloud: "aws", region: "ap-east-2", city: "Taipei", country: "TW", jurisdiction: "TW", latitude: 25.03, longitude: 121.57, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 33 }, // opt-in
    { cloud: "aws", region: "ap-southeast-6", city: "Auckland", country: "NZ", jurisdiction: "NZ", latitude: -36.85, longitude: 174.76, cloudflareRegion: "OC", zones: ["a", "b", "c"], slot: 34 }, // opt-in

    // ---- GCP (slots 101..250) ----
    { cloud: "gcp", region: "us-central1", city: "Council Bluffs", country: "US", jurisdiction: "US", latitude: 41.26, longitude: -95.86, cloudflareRegion: "WNAM", zones: ["a", "b", "c", "f"], slot: 101 },
    { cloud: "gcp", region: "us-east1", city: "Moncks Corner", country: "US", jurisdiction: "US", latitude: 33.2, longitude: -80.01, cloudflareRegion: "ENAM", zones: ["b", "c", "d"], slot: 102 },
    { cloud: "gcp", region: "us-east4", city: "Ashburn", country: "US", jurisdiction: "US", latitude: 39.04, longitude: -77.49, cloudflareRegion: "ENAM", zones: ["a", "b", "c"], slot: 103 },
    { cloud: "gcp", region: "us-east5", city: "Columbus", country: "US", jurisdiction: "US", latitude: 39.96, longitude: -83.0, cloudflareRegion: "ENAM", zones: ["a", "b", "c"], slot: 104 },
    { cloud: "gcp", region: "us-south1", city: "Dallas", country: "US", jurisdiction: "US", latitude: 32.78, longitude: -96.8, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 105 },
    { cloud: "gcp", region: "us-west1", city: "The Dalles", country: "US", jurisdiction: "US", latitude: 45.59, longitude: -121.18, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 106 },
    { cloud: "gcp", region: "us-west2", city: "Los Angeles", country: "US", jurisdiction: "US", latitude: 34.05, longitude: -118.24, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 107 },
    { cloud: "gcp", region: "us-west3", city: "Salt Lake City", country: "US", jurisdiction: "US", latitude: 40.76, longitude: -111.89, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 108 },
    { cloud: "gcp", region: "us-west4", city: "Las Vegas", country: "US", jurisdiction: "US", latitude: 36.17, longitude: -115.14, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 109 },
    { cloud: "gcp", region: "northamerica-northeast1", city: "Montréal", country: "CA", jurisdiction: "CA", latitude: 45.5, longitude: -73.57, cloudflareRegion: "ENAM", zones: ["a", "b", "c"], slot: 110 },
    { cloud: "gcp", region: "northamerica-northeast2", city: "Toronto", country: "CA", jurisdiction: "CA", latitude: 43.65, longitude: -79.38, cloudflareRegion: "ENAM", zones: ["a", "b", "c"], slot: 111 },
    { cloud: "gcp", region: "northamerica-south1", city: "Querétaro", country: "MX", jurisdiction: "MX", latitude: 20.59, longitude: -100.39, cloudflareRegion: "WNAM", zones: ["a", "b", "c"], slot: 112 },
    { cloud: "gcp", region: "southamerica-east1", city: "Osasco", country: "BR", jurisdiction: "BR", latitude: -23.53, longitude: -46.79, cloudflareRegion: "SSAM", zones: ["a", "b", "c"], slot: 113 },
    { cloud: "gcp", region: "southamerica-west1", city: "Santiago", country: "CL", jurisdiction: "CL", latitude: -33.45, longitude: -70.67, cloudflareRegion: "SSAM", zones: ["a", "b", "c"], slot: 114 },
    { cloud: "gcp", region: "europe-west1", city: "St. Ghislain", country: "BE", jurisdiction: "EU", latitude: 50.45, longitude: 3.82, cloudflareRegion: "WEU", zones: ["b", "c", "d"], slot: 115 },
    { cloud: "gcp", region: "europe-west2", city: "London", country: "GB", jurisdiction: "GB", latitude: 51.51, longitude: -0.13, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 116 },
    { cloud: "gcp", region: "europe-west3", city: "Frankfurt", country: "DE", jurisdiction: "EU", latitude: 50.11, longitude: 8.68, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 117 },
    { cloud: "gcp", region: "europe-west4", city: "Eemshaven", country: "NL", jurisdiction: "EU", latitude: 53.44, longitude: 6.83, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 118 },
    { cloud: "gcp", region: "europe-west6", city: "Zurich", country: "CH", jurisdiction: "CH", latitude: 47.37, longitude: 8.54, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 119 },
    { cloud: "gcp", region: "europe-west8", city: "Milan", country: "IT", jurisdiction: "EU", latitude: 45.46, longitude: 9.19, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 120 },
    { cloud: "gcp", region: "europe-west9", city: "Paris", country: "FR", jurisdiction: "EU", latitude: 48.86, longitude: 2.35, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 121 },
    { cloud: "gcp", region: "europe-west10", city: "Berlin", country: "DE", jurisdiction: "EU", latitude: 52.52, longitude: 13.4, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 122 },
    { cloud: "gcp", region: "europe-west12", city: "Turin", country: "IT", jurisdiction: "EU", latitude: 45.07, longitude: 7.69, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 123 },
    { cloud: "gcp", region: "europe-north1", city: "Hamina", country: "FI", jurisdiction: "EU", latitude: 60.57, longitude: 27.2, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 124 },
    { cloud: "gcp", region: "europe-north2", city: "Stockholm", country: "SE", jurisdiction: "EU", latitude: 59.33, longitude: 18.07, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 125 },
    { cloud: "gcp", region: "europe-central2", city: "Warsaw", country: "PL", jurisdiction: "EU", latitude: 52.23, longitude: 21.01, cloudflareRegion: "EEU", zones: ["a", "b", "c"], slot: 126 },
    { cloud: "gcp", region: "europe-southwest1", city: "Madrid", country: "ES", jurisdiction: "EU", latitude: 40.42, longitude: -3.7, cloudflareRegion: "WEU", zones: ["a", "b", "c"], slot: 127 },
    { cloud: "gcp", region: "asia-east1", city: "Changhua County", country: "TW", jurisdiction: "TW", latitude: 24.08, longitude: 120.54, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 128 },
    { cloud: "gcp", region: "asia-east2", city: "Hong Kong", country: "HK", jurisdiction: "HK", latitude: 22.32, longitude: 114.17, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 129 },
    { cloud: "gcp", region: "asia-northeast1", city: "Tokyo", country: "JP", jurisdiction: "JP", latitude: 35.68, longitude: 139.69, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 130 },
    { cloud: "gcp", region: "asia-northeast2", city: "Osaka", country: "JP", jurisdiction: "JP", latitude: 34.69, longitude: 135.5, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 131 },
    { cloud: "gcp", region: "asia-northeast3", city: "Seoul", country: "KR", jurisdiction: "KR", latitude: 37.57, longitude: 126.98, cloudflareRegion: "NEAS", zones: ["a", "b", "c"], slot: 132 },
    { cloud: "gcp", region: "asia-south1", city: "Mumbai", country: "IN", jurisdiction: "IN", latitude: 19.08, longitude: 72.88, cloudflareRegion: "SAS", zones: ["a", "b", "c"], slot: 133 },
    { cloud: "gcp", region: "asia-south2", city: "Delhi", country: "IN", jurisdiction: "IN", latitude: 28.61, longitude: 77.21, cloudflareRegion: "SAS", zones: ["a", "b", "c"], slot: 134 },
    { cloud: "gcp", region: "asia-southeast1", city: "Jurong West", country: "SG", jurisdiction: "SG", latitude: 1.34, longitude: 103.71, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 135 },
    { cloud: "gcp", region: "asia-southeast2", city: "Jakarta", country: "ID", jurisdiction: "ID", latitude: -6.21, longitude: 106.85, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 136 },
    { cloud: "gcp", region: "australia-southeast1", city: "Sydney", country: "AU", jurisdiction: "AU", latitude: -33.87, longitude: 151.21, cloudflareRegion: "OC", zones: ["a", "b", "c"], slot: 137 },
    { cloud: "gcp", region: "australia-southeast2", city: "Melbourne", country: "AU", jurisdiction: "AU", latitude: -37.81, longitude: 144.96, cloudflareRegion: "OC", zones: ["a", "b", "c"], slot: 138 },
    { cloud: "gcp", region: "me-central1", city: "Doha", country: "QA", jurisdiction: "QA", latitude: 25.29, longitude: 51.53, cloudflareRegion: "ME", zones: ["a", "b", "c"], slot: 139 },
    // Sold through a local reseller (Aramco JV); some projects need the region enabled first.
    { cloud: "gcp", region: "me-central2", city: "Dammam", country: "SA", jurisdiction: "SA", latitude: 26.43, longitude: 50.1, cloudflareRegion: "ME", zones: ["a", "b", "c"], slot: 140 },
    { cloud: "gcp", region: "me-west1", city: "Tel Aviv", country: "IL", jurisdiction: "IL", latitude: 32.09, longitude: 34.78, cloudflareRegion: "ME", zones: ["a", "b", "c"], slot: 141 },
    { cloud: "gcp", region: "africa-south1", city: "Johannesburg", country: "ZA", jurisdiction: "ZA", latitude: -26.2, longitude: 28.05, cloudflareRegion: "SAF", zones: ["a", "b", "c"], slot: 142 },
    { cloud: "gcp", region: "asia-southeast3", city: "Bangkok", country: "TH", jurisdiction: "TH", latitude: 13.76, longitude: 100.5, cloudflareRegion: "SEAS", zones: ["a", "b", "c"], slot: 143 },
];

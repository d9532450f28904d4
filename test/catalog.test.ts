import assert from "node:assert/strict";

import { CLOUDFLARE_REGIONS, type CatalogRegion } from "../components/catalog-types";
import { COUNTRIES, COUNTRY_BY_CODE, JURISDICTIONS } from "../components/countries";
import { REGIONS } from "../components/regions";

/**
 * Regions allowed fewer than 3 zones: AWS us-west-1 has only two Availability Zones open to
 * accounts (usw1-az1 and usw1-az3; usw1-az2 is closed to new accounts).
 */
const FEWER_THAN_THREE_ZONES = new Set(["aws/us-west-1"]);

const key = (r: CatalogRegion): string => `${r.cloud}/${r.region}`;

function find(cloud: CatalogRegion["cloud"], region: string): CatalogRegion {
    const found = REGIONS.find((r) => r.cloud === cloud && r.region === region);
    assert.ok(found, `${cloud}/${region} is missing from REGIONS`);
    return found;
}

describe("region catalog", () => {
    it("gives every region a unique integer slot in 1..250 (AWS 1..100, GCP 101..250)", () => {
        const seen = new Map<number, string>();
        for (const r of REGIONS) {
            assert.ok(Number.isInteger(r.slot), `${key(r)}: slot ${r.slot} is not an integer`);
            assert.ok(r.slot >= 1 && r.slot <= 250, `${key(r)}: slot ${r.slot} out of 1..250`);
            const [lo, hi] = r.cloud === "aws" ? [1, 100] : [101, 250];
            assert.ok(r.slot >= lo && r.slot <= hi, `${key(r)}: slot not in ${lo}..${hi}`);
            const other = seen.get(r.slot);
            assert.equal(other, undefined, `slot ${r.slot} used by ${other} and ${key(r)}`);
            seen.set(r.slot, key(r));
        }
    });

    it("lists each (cloud, region) once", () => {
        const keys = REGIONS.map(key);
        assert.equal(new Set(keys).size, keys.length);
    });

    it("places every region in a known country", () => {
        for (const r of REGIONS) {
            assert.ok(COUNTRY_BY_CODE.has(r.country), `${key(r)}: unknown country ${r.country}`);
        }
    });

    it("uses jurisdiction EU exactly for EU member states, else the country code", () => {
        const eu = new Set(JURISDICTIONS.EU);
        for (const r of REGIONS) {
            assert.equal(r.jurisdiction === "EU", eu.has(r.country), `${key(r)} (${r.country})`);
            if (!eu.has(r.country)) assert.equal(r.jurisdiction, r.country, key(r));
        }
    });

    it("has at least 3 distinct zone letters per region, except the documented exceptions", () => {
        for (const r of REGIONS) {
            assert.equal(new Set(r.zones).size, r.zones.length, `${key(r)}: duplicate zone`);
            for (const z of r.zones) assert.match(z, /^[a-z]$/, `${key(r)}: bad zone ${z}`);
            const min = FEWER_THAN_THREE_ZONES.has(key(r)) ? 2 : 3;
            assert.ok(r.zones.length >= min, `${key(r)}: ${r.zones.length} zones`);
        }
    });

    it("uses valid coordinates and Cloudflare region codes", () => {
        const codes = new Set<string>(CLOUDFLARE_REGIONS);
        for (const r of REGIONS) {
            assert.ok(r.latitude >= -90 && r.latitude <= 90, `${key(r)} latitude`);
            assert.ok(r.longitude >= -180 && r.longitude <= 180, `${key(r)} longitude`);
            assert.ok(codes.has(r.cloudflareRegion), `${key(r)}: ${r.cloudflareRegion}`);
        }
    });

    it("matches the country's Cloudflare region outside the US/CA state split", () => {
        for (const r of REGIONS) {
            if (r.country === "US" || r.country === "CA") continue;
            const country = COUNTRY_BY_CODE.get(r.country);
            assert.equal(r.cloudflareRegion, country?.cloudflareRegion, key(r));
        }
    });

    it("has the expected data for well-known regions", () => {
        const frankfurt = find("aws", "eu-central-1");
        assert.equal(frankfurt.city, "Frankfurt");
        assert.equal(frankfurt.country, "DE");
        assert.equal(frankfurt.jurisdiction, "EU");
        assert.equal(frankfurt.cloudflareRegion, "WEU");

        const belgium = find("gcp", "europe-west1");
        assert.equal(belgium.city, "St. Ghislain");
        assert.equal(belgium.country, "BE");
        assert.deepEqual(belgium.zones, ["b", "c", "d"]);

        assert.equal(find("aws", "us-east-1").cloudflareRegion, "ENAM");
        assert.equal(find("aws", "us-west-2").cloudflareRegion, "WNAM");
        // Cloudflare's table is not published; São Paulo is put in SSAM (see countries.ts).
        assert.ok(["NSAM", "SSAM"].includes(find("aws", "sa-east-1").cloudflareRegion));
        assert.equal(find("aws", "ap-southeast-2").cloudflareRegion, "OC");
        assert.equal(find("aws", "eu-west-2").jurisdiction, "GB");
        assert.equal(find("aws", "eu-central-2").jurisdiction, "CH");

        assert.deepEqual(find("aws", "us-east-1").zones, ["a", "b", "c", "d", "e", "f"]);
        assert.deepEqual(find("aws", "ap-northeast-1").zones, ["a", "c", "d"]);
        assert.deepEqual(find("gcp", "us-central1").zones, ["a", "b", "c", "f"]);
        assert.deepEqual(find("gcp", "us-east1").zones, ["b", "c", "d"]);
    });
});

describe("country catalog", () => {
    it("lists every ISO 3166-1 code once (249 + XK), with valid data", () => {
        const codes = new Set<string>(CLOUDFLARE_REGIONS);
        assert.ok(COUNTRIES.length >= 249, `${COUNTRIES.length} countries`);
        assert.equal(COUNTRY_BY_CODE.size, COUNTRIES.length, "duplicate country code");
        for (const c of COUNTRIES) {
            assert.match(c.code, /^[A-Z]{2}$/);
            assert.ok(c.name.length > 0, c.code);
            assert.ok(c.latitude >= -90 && c.latitude <= 90, `${c.code} latitude`);
            assert.ok(c.longitude >= -180 && c.longitude <= 180, `${c.code} longitude`);
            assert.ok(codes.has(c.cloudflareRegion), `${c.code}: ${c.cloudflareRegion}`);
            assert.equal(COUNTRY_BY_CODE.get(c.code), c);
        }
    });

    it("defines EU as the 27 member states and EEA as EU + IS, LI, NO", () => {
        const eu = JURISDICTIONS.EU;
        assert.ok(eu);
        assert.equal(eu.length, 27);
        assert.equal(new Set(eu).size, 27);
        for (const code of eu) assert.ok(COUNTRY_BY_CODE.has(code), code);
        assert.deepEqual([...(JURISDICTIONS.EEA ?? [])].sort(), [...eu, "IS", "LI", "NO"].sort());
        for (const code of ["GB", "CH", "NO"]) assert.ok(!eu.includes(code), code);
    });

    it("maps the countries with documented or obvious regions", () => {
        const expect: Record<string, string> = {
            US: "ENAM", // capital; the US is split by state
            CA: "ENAM", // capital; Canada is split by province
            MX: "WNAM",
            DE: "WEU",
            PL: "EEU",
            JP: "NEAS",
            SG: "SEAS",
            IN: "SAS",
            AU: "OC",
            AE: "ME",
            ZA: "SAF",
            MA: "NAF",
            AR: "SSAM",
            CO: "NSAM",
        };
        for (const [code, region] of Object.entries(expect)) {
            assert.equal(COUNTRY_BY_CODE.get(code)?.cloudflareRegion, region, code);
        }
    });
});

/**
 * Checks across keys that need only the config and the catalog: residency domains, regions,
 * the primary region, the GCP project, CockroachDB's own survival rules, app sizing and tables.
 * Each reports through `add`, so one run reports every problem. components/validate composes
 * these with the domains' checks.
 */
import { at } from "../collections";
import { COUNTRY_BY_CODE, JURISDICTIONS } from "../countries";
import { findRegion, suggestRegions } from "../regions-lookup";
import { keyOf, NAMESPACE, type Add } from "./issues";
import { countrySet, type Parsed } from "./schema";

/** Fargate CPU (vCPU) -> allowed memory (MiB) range and step. */
const FARGATE_MEMORY: Record<0.25 | 0.5 | Parsed["app"]["cpu"], { min: number; max: number; step: number }> = {
    0.25: { min: 512, max: 2048, step: 512 },
    0.5: { min: 1024, max: 4096, step: 1024 },
    1: { min: 2048, max: 8192, step: 1024 },
    2: { min: 4096, max: 16384, step: 1024 },
    4: { min: 8192, max: 30720, step: 1024 },
    8: { min: 16384, max: 61440, step: 4096 },
};
/** Cloud Run CPU -> allowed memory (MiB); below 1 vCPU Cloud Run needs concurrency 1, so not offered. */
const CLOUD_RUN_MEMORY: Record<Parsed["app"]["cpu"], { min: number; max: number }> = {
    1: { min: 512, max: 4096 },
    2: { min: 512, max: 8192 },
    4: { min: 2048, max: 16384 },
    8: { min: 4096, max: 32768 },
};

/** Domains: unique names, known jurisdictions and countries, each country in one domain. */
export function domainChecks(domains: Parsed["domains"], add: Add): void {
    const domainOfCountry = new Map<string, string>();
    const domainNames = new Set<string>();
    domains.forEach((d, i) => {
        if (domainNames.has(d.name)) add(["domains", i, "name"], `domain "${d.name}" is listed twice; give each domain a unique name.`);
        domainNames.add(d.name);
        if (d.jurisdictions.length === 0 && d.countries.length === 0)
            add(["domains", i], `domain "${d.name}" serves no country; set jurisdictions (e.g. ["EU"]) or countries (e.g. ["US", "CA"]).`);
        d.jurisdictions.forEach((j, k) => {
            if (!(j in JURISDICTIONS) && !COUNTRY_BY_CODE.has(j))
                add(
                    ["domains", i, "jurisdictions", k],
                    `unknown jurisdiction "${j}"; use ${Object.keys(JURISDICTIONS).join(", ")} or an ISO 3166-1 alpha-2 country code.`,
                );
        });
        d.countries.forEach((code, k) => {
            if (!COUNTRY_BY_CODE.has(code))
                add(["domains", i, "countries", k], `unknown country "${code}"; use an uppercase ISO 3166-1 alpha-2 code such as "DE".`);
        });
        for (const code of countrySet(d)) {
            const other = domainOfCountry.get(code);
            if (other && other !== d.name)
                add(
                    ["domains", i],
                    `country ${code} is served by both domain "${other}" and domain "${d.name}"; a country belongs to exactly one domain.`,
                );
            domainOfCountry.set(code, d.name);
        }
    });
}

/** Regions: in the catalog, listed once, in a known domain whose countries include theirs. */
export function regionChecks(domains: Parsed["domains"], regions: Parsed["regions"], cockroach: Parsed["cockroach"], add: Add): void {
    const seen = new Map<string, number>();
    const short: string[] = [];
    regions.forEach((r, i) => {
        const entry = findRegion(r.cloud, r.region);
        if (!entry) {
            const near = suggestRegions(r.cloud, r.region);
            add(
                ["regions", i, "region"],
                `"${r.region}" is not ${r.cloud === "aws" ? "an AWS" : "a GCP"} region this template knows; did you mean ${near.map((n) => `"${n}"`).join(" or ")}? (The catalog is components/regions.ts.)`,
            );
        }
        const id = `${r.cloud}-${r.region}`;
        if (seen.has(id))
            add(
                ["regions", i],
                `${r.cloud} region "${r.region}" is already listed at ${keyOf(["regions", seen.get(id)!])}; list each region once.`,
            );
        else seen.set(id, i);
        const domain = domains.find((d) => d.name === r.domain);
        if (!domain) {
            add(
                ["regions", i, "domain"],
                `"${r.domain}" is not a domain; use one of ${domains.map((d) => `"${d.name}"`).join(", ")} or add it to ${NAMESPACE}:domains.`,
            );
        } else if (entry && !countrySet(domain).has(entry.country)) {
            add(
                ["regions", i, "domain"],
                `${r.cloud} ${r.region} is in ${entry.country} (${entry.city}), outside the jurisdictions of domain "${domain.name}"; move the region to a domain that serves ${entry.country} or add ${entry.country} to the domain's countries.`,
            );
        }
        if (entry && cockroach.nodesPerRegion > entry.zones.length) short.push(`${r.cloud} ${r.region} (${entry.zones.length})`);
    });
    if (short.length > 0)
        add(
            ["cockroach", "nodesPerRegion"],
            `${cockroach.nodesPerRegion} nodes per region (one per zone), but ${short.join(", ")} ha${short.length > 1 ? "ve" : "s"} fewer zones; lower nodesPerRegion or drop those regions.`,
        );
    domains.forEach((d, i) => {
        if (!regions.some((r) => r.domain === d.name))
            add(
                ["domains", i],
                `domain "${d.name}" has no region; add a region with domain: ${d.name} to ${NAMESPACE}:regions, or remove the domain.`,
            );
    });
}

/** Exactly one primary region; a GCP project when any region is on GCP. */
export function primaryChecks(c: Pick<Partial<Parsed>, "regions" | "gcpProject">, add: Add): void {
    if (!c.regions) return;
    const primaries = c.regions.flatMap((r, i) => (r.primary ? [i] : []));
    if (primaries.length === 0)
        add(["regions"], "no region is primary; set primary: true on exactly one region (the database's primary region).");
    if (primaries.length > 1)
        add(
            ["regions", at(primaries, 1, "primary regions"), "primary"],
            `${primaries.length} regions are primary (${primaries.map((i) => keyOf(["regions", i])).join(", ")}); keep primary: true on exactly one.`,
        );
    // Absent from `c` when it failed its own check: report that problem only.
    if (c.regions.some((r) => r.cloud === "gcp") && "gcpProject" in c && !c.gcpProject)
        add(["gcpProject"], `is required because a region is on GCP; set it with: pulumi config set ${NAMESPACE}:gcpProject <project-id>.`);
}

/** Survival and placement rules CockroachDB enforces itself. */
export function survivalChecks(cockroach: Parsed["cockroach"], regions: Parsed["regions"] | undefined, add: Add): void {
    const c = { cockroach, regions: regions ?? [] };
    if (regions && c.cockroach.survivalGoal === "region" && c.regions.length < 3)
        add(
            ["cockroach", "survivalGoal"],
            `"region" needs at least 3 regions and the environment has ${c.regions.length}; add regions or use "zone".`,
        );
    if (c.cockroach.placement === "restricted" && c.cockroach.survivalGoal === "region")
        add(
            ["cockroach", "placement"],
            `"restricted" placement works only with survivalGoal "zone" (CockroachDB: PLACEMENT RESTRICTED can only be used with SURVIVE ZONE FAILURE); use placement "default".`,
        );
}

/**
 * Cloud Run deploys images from Artifact Registry, Container Registry and Docker Hub only
 * (cloud.google.com/run/docs/deploying#images); an image without a registry is on Docker Hub.
 */
export function cloudRunCanPull(image: string): boolean {
    // split() always returns at least one part.
    const [first = ""] = image.split("/");
    const hasRegistry = (image.includes("/") && /[.:]/.test(first)) || first === "localhost";
    if (!hasRegistry) return true;
    // Artifact Registry hosts are `<location>-docker.pkg.dev` (cloud.google.com/artifact-registry/docs/docker/names).
    return (
        /^[a-z0-9-]+-docker\.pkg\.dev$/.test(first) || /(^|\.)gcr\.io$/.test(first) || first === "docker.io" || first === "index.docker.io"
    );
}

/** App sizing must be valid on both clouds. */
export function appChecks(app: Parsed["app"], add: Add): void {
    const c = { app };
    const fargate = FARGATE_MEMORY[c.app.cpu];
    const run = CLOUD_RUN_MEMORY[c.app.cpu];
    const min = Math.max(fargate.min, run.min);
    const max = Math.min(fargate.max, run.max);
    if (c.app.memory < min || c.app.memory > max || c.app.memory % fargate.step !== 0)
        add(
            ["app", "memory"],
            `${c.app.memory} MiB does not fit ${c.app.cpu} vCPU on both Fargate and Cloud Run; use a multiple of ${fargate.step} between ${min} and ${max}.`,
        );
    if (c.app.minInstances > c.app.maxInstances)
        add(
            ["app", "minInstances"],
            `${c.app.minInstances} is above maxInstances (${c.app.maxInstances}); lower minInstances or raise maxInstances.`,
        );
}

export function databaseTableChecks(database: Parsed["database"], add: Add): void {
    const tableNames = new Set<string>();
    database.tables.forEach((t, i) => {
        if (tableNames.has(t.name)) add(["database", "tables", i, "name"], `table "${t.name}" is listed twice; list each table once.`);
        tableNames.add(t.name);
        if (t.residencyColumn && t.locality !== "residency")
            add(
                ["database", "tables", i, "residencyColumn"],
                `is set but locality is "${t.locality}"; only residency tables have a residency column: remove it or set locality: residency.`,
            );
    });
}

/**
 * The schema of an environment's configuration and the types it yields.
 *
 * Every key lives in the fixed `backend` namespace (`backend:regions`, `backend:app`, ...), not the
 * project's name, so a forked and renamed project keeps reading its stack files. The enums come
 * from the constants the domain code uses (traffic/constants.ts). A leaf: nothing here imports a
 * domain module; the checks across keys run in components/validate, above config and the domains.
 */
import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import type { Cloud } from "../catalog-types";
import { JURISDICTIONS } from "../countries";
import { networkSchema, quotasSchema } from "../deployability/settings";
import { CLOUDFLARE_PLANS, FAILOVER_MODES, SESSION_AFFINITIES, STEERING_POLICIES } from "../traffic/constants";
import { keyOf, zodIssues, type ConfigIssue } from "./issues";

/** `must be 'a', 'b' or 'c'` for an enum's values. */
function oneOf(values: readonly string[]): string {
    const quoted = values.map((v) => `'${v}'`);
    return `must be ${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** Machine families offered per cloud; sizes are checked by pattern. */
const AWS_MACHINE = /^(m[5-8][a-z]*|c[5-8][a-z]*|r[5-8][a-z]*|i[3-8][a-z]*|t3a?)\.(medium|large|(\d{1,2})?xlarge|metal)$/;
const GCP_MACHINE = /^(n2|n2d|n4|c3|c3d|c4|c4a|c4d|t2d|e2|m3)-(standard|highmem|highcpu)-\d{1,3}$/;

const lowerName = (what: string) =>
    z
        .string()
        .regex(
            /^[a-z][a-z0-9-]{0,14}[a-z0-9]$|^[a-z]$/,
            `${what} must be 1-16 characters of a-z, 0-9 and '-', starting with a letter (it becomes part of resource names, tags and labels)`,
        );
const sqlIdentifier = z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lowercase SQL identifier: a-z, 0-9 and '_', starting with a letter or '_'");
const cidr = z.string().refine((v) => ipaddr.isValidCIDR(v), {
    message: "must be a CIDR block such as 203.0.113.0/24 or 2001:db8::/48",
});
/** RFC 1123 hostname with at least two labels. */
const hostname = z
    .string()
    .regex(
        /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
        "must be a lowercase fully qualified hostname such as api.example.com",
    );
/** OCI image reference: [registry/]path[:tag][@digest]. */
const image = z
    .string()
    .regex(
        /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
        "must be a container image reference such as docker.io/acme/api:1.4.2 (lowercase repository, optional tag or @sha256 digest)",
    );
const cfId = z.string().regex(/^[a-f0-9]{32}$/, "must be a 32-character lowercase hex Cloudflare id (dashboard > Overview)");

const domainSchema = z.strictObject({
    /** Short name, e.g. `eu`; used in tags, labels, super region names and pool names. */
    name: lowerName("a domain name"),
    /** Jurisdictions whose countries the domain serves: `EU`, `EEA`, or ISO country codes. */
    jurisdictions: z.array(z.string()).default([]),
    /** Further ISO 3166-1 alpha-2 countries the domain serves. */
    countries: z.array(z.string()).default([]),
    /** Keep this domain's requests on its own pools (Cloudflare load-balancing rules). */
    pinRouting: z.boolean().default(false),
    /**
     * Cloudflare regions (`cf.load_balancer.region`) the pin covers. Default: the regions of the
     * domain's countries. Plain strings, so validation can suggest the nearest code.
     */
    pinRegions: z.array(z.string()).optional(),
});

const regionSchema = z.strictObject({
    cloud: z.enum(["aws", "gcp"], { message: "must be 'aws' or 'gcp'" }),
    /** The cloud's region name, e.g. `us-east-1` or `europe-west1`. */
    region: z.string(),
    /** Name of the residency domain whose data this region holds. */
    domain: z.string(),
    /** Exactly one region is the database's primary region. */
    primary: z.boolean().default(false),
});

const appSchema = z.strictObject({
    image,
    port: z.int().min(1).max(65535).default(8080),
    healthPath: z
        .string()
        .regex(/^\/[\w\-./~%]*$/, "must be a URL path starting with '/', such as /healthz")
        .default("/healthz"),
    /** vCPU per instance: 1, 2, 4 or 8 (a size both Fargate and Cloud Run offer). */
    cpu: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], { message: "must be 1, 2, 4 or 8" }).default(1),
    /** Memory per instance in MiB. */
    memory: z.int().default(2048),
    minInstances: z.int().min(0).max(1000).default(2),
    maxInstances: z.int().min(1).max(1000).default(10),
    /**
     * Region wave: these regions (CockroachDB names, `aws-eu-west-1`) run `image` while every other
     * region keeps `app.image`. Promotion: set `app.image` to the canary image and remove this key.
     */
    canary: z
        .strictObject({
            image,
            regions: z.array(z.string()).min(1, "list at least one region (CockroachDB name such as aws-eu-west-1)"),
        })
        .optional(),
});

/**
 * Acknowledged unsafe changes against the deployed record (`deployed/<stack>.json`): each names the
 * exact change, so an acknowledgment cannot let a different one through (components/changes).
 */
const acknowledgeSchema = z
    .strictObject({
        /** Regions (CockroachDB names) this update removes. */
        removeRegions: z.array(z.string()).default([]),
        /** Region (CockroachDB name) -> the domain this update moves it to. */
        moveRegions: z.record(z.string(), z.string()).default({}),
        /** This update lowers `cockroach.survivalGoal` from region to zone. */
        lowerSurvivalGoal: z.boolean().default(false),
    })
    .default({ removeRegions: [], moveRegions: {}, lowerSurvivalGoal: false });

const cockroachSchema = z.strictObject({
    /** CockroachDB release installed on every node. */
    version: z
        .string()
        .regex(/^\d{2}\.\d\.\d{1,2}$/, "must be a CockroachDB release such as 25.4.2 (no leading 'v')")
        .default("25.4.2"),
    nodesPerRegion: z.int().min(1).max(9).default(3),
    machineType: z
        .strictObject({
            aws: z.string().regex(AWS_MACHINE, "must be an EC2 instance type of a current family such as m6i.xlarge").default("m6i.xlarge"),
            gcp: z.string().regex(GCP_MACHINE, "must be a GCE machine type such as n2-standard-4").default("n2-standard-4"),
        })
        .default({ aws: "m6i.xlarge", gcp: "n2-standard-4" }),
    diskSizeGb: z.int().min(10).max(16384).default(100),
    survivalGoal: z.enum(["zone", "region"], { message: "must be 'zone' or 'region'" }).default("zone"),
    placement: z.enum(["default", "restricted"], { message: "must be 'default' or 'restricted'" }).default("default"),
    /** Networks allowed to reach SQL (26257) and the DB Console (8080). Empty: nobody outside the cluster. */
    adminCidrs: z.array(cidr).default([]),
});

const tableSchema = z.strictObject({
    name: sqlIdentifier,
    /**
     * `residency`: rows homed in their user's domain (REGIONAL BY ROW); `global`: reference data
     * read everywhere (GLOBAL); `regional`: the whole table in the primary region (REGIONAL BY TABLE).
     */
    locality: z.enum(["residency", "global", "regional"], { message: "must be 'residency', 'global' or 'regional'" }),
    /** Column holding the ISO country of a row (residency tables only). Default `country`. */
    residencyColumn: sqlIdentifier.optional(),
});

const databaseSchema = z
    .strictObject({
        name: sqlIdentifier.default("app"),
        /** Folder of plain SQL migrations, applied in file-name order. */
        migrationsDir: z.string().min(1).default("db"),
        tables: z.array(tableSchema).default([]),
        /**
         * Apply the database (regions, super regions, migrations, localities, backups) at `pulumi up`
         * from the machine running it, over TLS to the primary region's first node. That machine must
         * be inside `cockroach.adminCidrs`. `false`: apply the plan's statements yourself.
         */
        manage: z.boolean().default(true),
        /** Days each backup is kept. */
        backupRetentionDays: z.int().min(1).max(3650).default(30),
        /** Steps that lose placement or data; each runs only when set to true. */
        allowDestructive: z
            .strictObject({
                dropRegion: z.boolean().default(false),
                changeResidencyLocality: z.boolean().default(false),
                dropSuperRegion: z.boolean().default(false),
            })
            .default({ dropRegion: false, changeResidencyLocality: false, dropSuperRegion: false }),
    })
    .default({
        name: "app",
        migrationsDir: "db",
        manage: true,
        tables: [],
        backupRetentionDays: 30,
        allowDestructive: { dropRegion: false, changeResidencyLocality: false, dropSuperRegion: false },
    });

/** Unset values take the `cloudflare.failover` preset (traffic/constants.ts FAILOVER_PRESETS). */
const monitorSchema = z.strictObject({
    /** Seconds between checks; default and minimum depend on the plan (60 Pro, 15 Business, 10 Enterprise). */
    interval: z.int().max(3600).optional(),
    timeout: z.int().min(1).max(10).optional(),
    retries: z.int().min(0).max(5).optional(),
    consecutiveUp: z.int().min(1).max(10).optional(),
    consecutiveDown: z.int().min(1).max(10).optional(),
    expectedCodes: z
        .string()
        .regex(/^[1-5](\d\d|xx)$/, "must be an HTTP status code or class such as 200 or 2xx")
        .optional(),
});

const cloudflareSchema = z.strictObject({
    accountId: cfId,
    zoneId: cfId,
    /** Public hostname the load balancer answers, inside the zone. */
    hostname,
    /** Cloudflare plan of the zone; sets the monitor interval floor. */
    plan: z.enum(CLOUDFLARE_PLANS, { message: oneOf(CLOUDFLARE_PLANS) }).default("pro"),
    steeringPolicy: z.enum(STEERING_POLICIES, { message: oneOf(STEERING_POLICIES) }).default("dynamic_latency"),
    sessionAffinity: z.enum(SESSION_AFFINITIES, { message: oneOf(SESSION_AFFINITIES) }).default("none"),
    /** Request headers that identify a session under `sessionAffinity: header` (Cloudflare needs at least one). */
    sessionAffinityHeaders: z.array(z.string()).default([]),
    /** Monitor preset: `standard` (2 failed rounds, 5 s timeout) or `fast` (1 failed round, 2 s timeout). */
    failover: z.enum(FAILOVER_MODES, { message: oneOf(FAILOVER_MODES) }).default("standard"),
    monitor: monitorSchema.default({}),
});

/** Schema of the whole environment, one property per config key. */
export const configSchema = z.strictObject({
    /** Environment name (`prod`, `staging`); prefixes resource names and tags. */
    environment: lowerName("the environment name"),
    /** GCP project that holds every GCP region's resources (required when any region is on GCP). */
    gcpProject: z
        .string()
        .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id: 6-30 characters of a-z, 0-9 and '-'")
        .optional(),
    domains: z.array(domainSchema).min(1, "list at least one residency domain"),
    regions: z.array(regionSchema).min(1, "list at least one region"),
    app: appSchema,
    cockroach: cockroachSchema.default(cockroachSchema.parse({})),
    database: databaseSchema,
    cloudflare: cloudflareSchema,
    /** Network options (AWS NAT gateways). */
    network: networkSchema,
    /** Quotas raised on the account(s) this environment deploys to; default: a new account's. */
    quotas: quotasSchema,
    /**
     * The clouds' own deletion protection on instances, load balancers and the Cloud Run service.
     * Set it to false and `pulumi up` before `pulumi destroy`, which those settings otherwise refuse.
     */
    deletionProtection: z.boolean().default(true),
    /** Unsafe changes this update is allowed to make (removing or moving a region, lowering survival). */
    acknowledge: acknowledgeSchema,
});

export type RawConfig = z.input<typeof configSchema>;
/** The schema's output, before countries are expanded and regions named. */
export type Parsed = z.output<typeof configSchema>;

/** One residency domain with its jurisdictions expanded to countries. */
export interface DomainConfig extends Readonly<Omit<Parsed["domains"][number], "countries" | "jurisdictions">> {
    readonly jurisdictions: readonly string[];
    /** Every country the domain serves (jurisdictions expanded, sorted). */
    readonly countries: readonly string[];
}

/** One region of the environment, joined with its catalog entry. */
export interface RegionConfig {
    readonly cloud: Cloud;
    readonly region: string;
    readonly domain: string;
    readonly primary: boolean;
    /** CockroachDB region name: cloud-prefixed, unique across clouds (`aws-us-east-1`). */
    readonly crdbRegion: string;
}

/** The validated environment. */
export interface StackConfig extends Readonly<Omit<Parsed, "domains" | "regions">> {
    readonly domains: readonly DomainConfig[];
    readonly regions: readonly RegionConfig[];
}

/** One problem with the config: the key (Pulumi `--path` syntax) and what to do. */

/** The result of validating a config: the typed config, or every problem found. */
export type ParseResult = { ok: true; config: StackConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Parses key by key, so a bad `app` does not hide a bad region: the checks across keys run on
 * what parsed. Unknown keys are problems too. Pure.
 */
export function parseKeys(raw: Record<string, unknown>): { parsed: Partial<Parsed>; issues: ConfigIssue[] } {
    const parsed: Record<string, unknown> = {};
    const issues: ConfigIssue[] = [];
    for (const [key, schema] of Object.entries(configSchema.shape)) {
        const result = (schema as z.ZodType).safeParse(raw[key]);
        if (result.success) parsed[key] = result.data;
        else issues.push(...zodIssues(raw, result.error, [key]));
    }
    for (const key of Object.keys(raw))
        if (!(key in configSchema.shape))
            issues.push({
                key: keyOf([key]),
                message: "is not a key this program reads; remove it or check the spelling against the configuration table in README.md.",
            });
    return { parsed: parsed as Partial<Parsed>, issues };
}

/** The validated config from a parse without issues: countries expanded, regions named. */
export function stackConfigOf(c: Parsed): StackConfig {
    return {
        ...c,
        domains: c.domains.map((d) => ({ ...d, countries: domainCountries(d) })),
        regions: c.regions.map((r) => ({ ...r, crdbRegion: crdbRegionName(r.cloud, r.region) })),
    } as StackConfig;
}

/** Every country a domain serves: its countries, then its jurisdictions expanded, in that order. */
export function countrySet(d: { readonly jurisdictions?: readonly string[]; readonly countries: readonly string[] }): Set<string> {
    const out = new Set<string>(d.countries);
    for (const j of d.jurisdictions ?? []) for (const code of JURISDICTIONS[j] ?? [j]) out.add(code);
    return out;
}

/** Every country a domain serves, sorted. */
export function domainCountries(d: { readonly jurisdictions?: readonly string[]; readonly countries: readonly string[] }): string[] {
    return [...countrySet(d)].sort();
}

/** CockroachDB region name: `aws-us-east-1`, `gcp-europe-west1`. */
export function crdbRegionName(cloud: Cloud, region: string): string {
    return `${cloud}-${region}`;
}

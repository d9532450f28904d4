/**
 * The one validated configuration of an environment.
 *
 * Every key lives in the fixed `backend` namespace (`backend:regions`, `backend:app`, ...), not the
 * project's name, so a forked and renamed project keeps reading its stack files. `parseConfig` is
 * pure: it takes the raw values and returns either the typed config or every problem found, each
 * naming its key, the value received and how to fix it. `loadConfig` reads Pulumi config and
 * stops the program with those messages before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import type { Cloud } from "./catalog-types";
import { WIDEST_SOURCE_PREFIX } from "./cluster/firewall";
import { unmodelledVersionMessage } from "./cockroach/version";
import { adminReachIssues, clearTextSecretIssues, sessionAffinityIssues } from "./config-gaps";
import { COUNTRY_BY_CODE, JURISDICTIONS } from "./countries";
import { findRegion, suggestRegions } from "./regions-lookup";
import { monitorDefaults, monitorIssues, trafficChecks, type MonitorSettings } from "./traffic/steering";
import { ACM_DOMAIN_NAME_MAX_LENGTH } from "./deployability/constraints";
import { quotaIssues, regionRefusals } from "./deployability/check";
import { networkSchema, quotasSchema } from "./deployability/settings";
import { NETWORK_ZONES as AWS_NETWORK_ZONES } from "./topology";

/** Config namespace of every key this program reads. */
export const NAMESPACE = "backend";

/** Secret keys, read with `getSecret` and never part of the validated object. */
export const SECRET_KEYS = ["cockroachLicenseKey", "cloudflareApiToken"] as const;

/** Minimum health-monitor interval (seconds) per Cloudflare plan. */
export const MONITOR_MIN_INTERVAL = { pro: 60, business: 15, enterprise: 10 } as const;

/** Fargate CPU (vCPU) -> allowed memory (MiB) range and step. */
const FARGATE_MEMORY: Record<number, { min: number; max: number; step: number }> = {
    0.25: { min: 512, max: 2048, step: 512 },
    0.5: { min: 1024, max: 4096, step: 1024 },
    1: { min: 2048, max: 8192, step: 1024 },
    2: { min: 4096, max: 16384, step: 1024 },
    4: { min: 8192, max: 30720, step: 1024 },
    8: { min: 16384, max: 61440, step: 4096 },
};
/** Cloud Run CPU -> allowed memory (MiB); below 1 vCPU Cloud Run needs concurrency 1, so not offered. */
const CLOUD_RUN_MEMORY: Record<number, { min: number; max: number }> = {
    1: { min: 512, max: 4096 },
    2: { min: 512, max: 8192 },
    4: { min: 2048, max: 16384 },
    8: { min: 4096, max: 32768 },
};

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
});

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

const monitorSchema = z.strictObject({
    /** Seconds between checks; default and minimum depend on the plan (60 Pro, 15 Business, 10 Enterprise). */
    interval: z.int().max(3600).optional(),
    timeout: z.int().min(1).max(10).default(5),
    retries: z.int().min(0).max(5).default(2),
    consecutiveUp: z.int().min(1).max(10).default(2),
    consecutiveDown: z.int().min(1).max(10).default(2),
    expectedCodes: z
        .string()
        .regex(/^[1-5](\d\d|xx)$/, "must be an HTTP status code or class such as 200 or 2xx")
        .default("200"),
});

const cloudflareSchema = z.strictObject({
    accountId: cfId,
    zoneId: cfId,
    /** Public hostname the load balancer answers, inside the zone. */
    hostname,
    /** Cloudflare plan of the zone; sets the monitor interval floor. */
    plan: z.enum(["pro", "business", "enterprise"], { message: "must be 'pro', 'business' or 'enterprise'" }).default("pro"),
    steeringPolicy: z
        .enum(["dynamic_latency", "proximity", "geo", "off"], {
            message: "must be 'dynamic_latency', 'proximity', 'geo' or 'off'",
        })
        .default("dynamic_latency"),
    sessionAffinity: z
        .enum(["none", "cookie", "ip_cookie", "header"], { message: "must be 'none', 'cookie', 'ip_cookie' or 'header'" })
        .default("none"),
    /** Request headers that identify a session under `sessionAffinity: header` (Cloudflare needs at least one). */
    sessionAffinityHeaders: z.array(z.string()).default([]),
    monitor: monitorSchema.default({ timeout: 5, retries: 2, consecutiveUp: 2, consecutiveDown: 2, expectedCodes: "200" }),
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
});

export type RawConfig = z.input<typeof configSchema>;
type Parsed = z.output<typeof configSchema>;

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
export interface ConfigIssue {
    readonly key: string;
    readonly message: string;
}

export type ParseResult = { ok: true; config: StackConfig } | { ok: false; issues: ConfigIssue[] };

/** `regions[0].region` style path, prefixed with the namespace. */
export function keyOf(path: readonly PropertyKey[]): string {
    let key = NAMESPACE + ":";
    path.forEach((p, i) => {
        if (typeof p === "number") key += `[${p}]`;
        else key += (i === 0 ? "" : ".") + String(p);
    });
    return key;
}

function show(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 120 ? text.slice(0, 117) + "..." : text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    let v: unknown = raw;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

function zodIssues(raw: unknown, error: z.ZodError, base: PropertyKey[] = []): ConfigIssue[] {
    return error.issues.map((i) => {
        const issue = { ...i, path: [...base, ...i.path] } as typeof i;
        if (issue.code === "unrecognized_keys") {
            const keys = issue.keys.map((k) => keyOf([...issue.path, k]));
            return {
                key: keys[0],
                message: `unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}; remove ${keys.length > 1 ? "them" : "it"} or check the spelling against the configuration table in README.md.`,
            };
        }
        const value = valueAt(raw, issue.path);
        let message = issue.message;
        if (issue.code === "invalid_type" && value === undefined) message = "is required";
        else if (issue.code === "invalid_type")
            message = `must be ${issue.expected === "int" ? "an integer" : `a${/^[aeiou]/.test(issue.expected) ? "n" : ""} ${issue.expected}`}`;
        return { key: keyOf(issue.path), message: `${message}; received ${show(value)}.` };
    });
}

/**
 * Checks that need several keys at once. Each runs when the keys it reads have the right shape,
 * so one run reports every problem it can find, not only the first kind.
 */
function crossChecks(c: Partial<Parsed>): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: keyOf(path), message });
    if (c.domains) domainChecks(c.domains, add);
    if (c.domains && c.regions && c.cockroach) regionChecks(c.domains, c.regions, c.cockroach, add);
    if (c.regions) for (const i of regionRefusals(c.regions)) add([...i.path], i.message);
    if (c.regions) {
        const primaries = c.regions.flatMap((r, i) => (r.primary ? [i] : []));
        if (primaries.length === 0)
            add(["regions"], "no region is primary; set primary: true on exactly one region (the database's primary region).");
        if (primaries.length > 1)
            add(
                ["regions", primaries[1], "primary"],
                `${primaries.length} regions are primary (${primaries.map((i) => keyOf(["regions", i])).join(", ")}); keep primary: true on exactly one.`,
            );
        // Absent from `c` when it failed its own check: report that problem only.
        if (c.regions.some((r) => r.cloud === "gcp") && "gcpProject" in c && !c.gcpProject)
            add(
                ["gcpProject"],
                `is required because a region is on GCP; set it with: pulumi config set ${NAMESPACE}:gcpProject <project-id>.`,
            );
    }
    if (c.cockroach) cockroachChecks(c.cockroach, c.regions, add);
    if (c.cockroach) {
        const unmodelled = unmodelledVersionMessage(c.cockroach.version);
        if (unmodelled) add(["cockroach", "version"], `${unmodelled} Received "${c.cockroach.version}".`);
    }
    if (c.cockroach && c.database) adminReachIssues(c.database.manage, c.cockroach.adminCidrs, add);
    if (c.cloudflare) sessionAffinityIssues(c.cloudflare, add);
    // AWS regions serve the hostname with an ACM certificate whose domain name is the hostname.
    if (c.cloudflare && c.regions?.some((r) => r.cloud === "aws") && c.cloudflare.hostname.length > ACM_DOMAIN_NAME_MAX_LENGTH)
        add(
            ["cloudflare", "hostname"],
            `"${c.cloudflare.hostname}" is ${c.cloudflare.hostname.length} characters, but a region is on AWS and ACM issues its origin certificate only for a first domain name of at most ${ACM_DOMAIN_NAME_MAX_LENGTH} characters (docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html); use a hostname of at most ${ACM_DOMAIN_NAME_MAX_LENGTH} characters.`,
        );
    if (c.cockroach && c.regions?.some((r) => r.cloud === "aws") && c.cockroach.nodesPerRegion > AWS_NETWORK_ZONES)
        add(
            ["cockroach", "nodesPerRegion"],
            `${c.cockroach.nodesPerRegion} nodes per region, but an AWS region's network spans ${AWS_NETWORK_ZONES} zones (one node per zone); use at most ${AWS_NETWORK_ZONES}.`,
        );
    if (c.cockroach && c.database?.manage && c.cockroach.adminCidrs.length === 0)
        add(
            ["database", "manage"],
            `is true, so pulumi up applies the schema over SQL from the machine running it, but ${keyOf(["cockroach", "adminCidrs"])} is empty and no such machine may reach port 26257; add that machine's network to adminCidrs, or set manage: false and apply the plan's database statements yourself.`,
        );
    if (c.app) appChecks(c.app, add);
    if (c.app && c.regions?.some((r) => r.cloud === "gcp") && !cloudRunCanPull(c.app.image))
        add(
            ["app", "image"],
            `"${c.app.image}" is on a registry Cloud Run cannot pull from, and a region is on GCP; push the image to Artifact Registry (<region>-docker.pkg.dev/...) or Docker Hub (docker.io/...), both of which ECS pulls from too.`,
        );
    if (c.database) databaseTableChecks(c.database, add);
    if (c.cloudflare) issues.push(...monitorIssues(c.cloudflare.plan, monitorSettingsOf(c.cloudflare)));
    if (c.domains && c.cloudflare) issues.push(...trafficChecks({ domains: c.domains, cloudflare: c.cloudflare }));
    return issues;
}

type Add = (path: PropertyKey[], message: string) => void;

/** Domains: unique names, known jurisdictions and countries, each country in one domain. */
function domainChecks(domains: Parsed["domains"], add: Add): void {
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
        for (const code of expandCountries(d)) {
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
function regionChecks(domains: Parsed["domains"], regions: Parsed["regions"], cockroach: Parsed["cockroach"], add: Add): void {
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
        } else if (entry && !expandCountries(domain).has(entry.country)) {
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

/** Survival and placement rules CockroachDB enforces itself, and admin networks. */
function cockroachChecks(cockroach: Parsed["cockroach"], regions: Parsed["regions"] | undefined, add: Add): void {
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

    c.cockroach.adminCidrs.forEach((block, i) => {
        const [addr, bits] = ipaddr.parseCIDR(block);
        const v4 = addr.kind() === "ipv4";
        const network = (v4 ? ipaddr.IPv4.networkAddressFromCIDR(block) : ipaddr.IPv6.networkAddressFromCIDR(block)).toString();
        const widest = WIDEST_SOURCE_PREFIX[v4 ? "ipv4" : "ipv6"];
        if (bits < widest)
            add(
                ["cockroach", "adminCidrs", i],
                `"${block}" opens the database to ${bits === 0 ? "the whole internet" : "too wide a network"}; list your operators' addresses or small networks (at most /${WIDEST_SOURCE_PREFIX.ipv4} for IPv4, /${WIDEST_SOURCE_PREFIX.ipv6} for IPv6).`,
            );
        else if (network !== addr.toString())
            add(["cockroach", "adminCidrs", i], `"${block}" has host bits set; use the network address ${network}/${bits}.`);
    });
}

/**
 * Cloud Run deploys images from Artifact Registry, Container Registry and Docker Hub only
 * (cloud.google.com/run/docs/deploying#images); an image without a registry is on Docker Hub.
 */
export function cloudRunCanPull(image: string): boolean {
    const first = image.split("/")[0];
    const hasRegistry = (image.includes("/") && /[.:]/.test(first)) || first === "localhost";
    if (!hasRegistry) return true;
    return /(^|\.)docker\.pkg\.dev$/.test(first) || /(^|\.)gcr\.io$/.test(first) || first === "docker.io" || first === "index.docker.io";
}

/** App sizing must be valid on both clouds. */
function appChecks(app: Parsed["app"], add: Add): void {
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

function databaseTableChecks(database: Parsed["database"], add: Add): void {
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

function expandCountries(d: { jurisdictions: readonly string[]; countries: readonly string[] }): Set<string> {
    const out = new Set<string>(d.countries);
    for (const j of d.jurisdictions) for (const code of JURISDICTIONS[j] ?? [j]) out.add(code);
    return out;
}

/** Validates raw config values (key without namespace -> value). Pure. */
export function parseConfig(raw: Record<string, unknown>): ParseResult {
    // Key by key, so a bad `app` does not hide a bad region: cross-key checks run on what parsed.
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
    issues.push(...crossChecks(parsed as Partial<Parsed>));
    if (issues.length > 0) return { ok: false, issues };
    const c = parsed as Parsed;
    const config = {
        ...c,
        domains: c.domains.map((d) => ({ ...d, countries: [...expandCountries(d)].sort() })),
        regions: c.regions.map((r) => ({ ...r, crdbRegion: crdbRegionName(r.cloud, r.region) })),
    } as StackConfig;
    // Quotas are counted on the planned environment, so only once everything else is valid.
    const overQuota = quotaIssues(config).map((i) => ({ key: keyOf(i.path), message: i.message }));
    return overQuota.length > 0 ? { ok: false, issues: overQuota } : { ok: true, config };
}

/** CockroachDB region name: `aws-us-east-1`, `gcp-europe-west1`. */
export function crdbRegionName(cloud: Cloud, region: string): string {
    return `${cloud}-${region}`;
}

/** Effective monitor: the plan's defaults (interval at the plan's minimum) overlaid with config. */
export function monitorSettingsOf(cloudflare: Pick<Parsed["cloudflare"], "plan" | "monitor">): MonitorSettings {
    const configured = Object.fromEntries(Object.entries(cloudflare.monitor).filter(([, v]) => v !== undefined));
    return { ...monitorDefaults(cloudflare.plan), ...configured };
}

/** Formats issues one per line, for the CLI and the Pulumi error log. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
    return (
        `Invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${i.key}: ${i.message}`).join("\n")
    );
}

/** Thrown for invalid config; `pulumi.RunError` so the CLI shows the message without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(formatIssues(issues));
        this.name = "ConfigError";
    }
}

/** Stack config holds structured values as JSON text and scalars as plain text. */
function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * Picks this program's keys out of the whole stack config (`namespace:key` -> text), as Pulumi
 * hands it to the program. Unknown keys in the namespace are problems too: a typo must not
 * silently fall back to a default.
 */
export function readNamespace(all: Record<string, string>): { raw: Record<string, unknown>; issues: ConfigIssue[] } {
    const prefix = NAMESPACE + ":";
    const raw: Record<string, unknown> = {};
    const issues: ConfigIssue[] = [];
    const known = new Set<string>([...Object.keys(configSchema.shape), ...SECRET_KEYS]);
    for (const [full, text] of Object.entries(all)) {
        if (!full.startsWith(prefix)) continue;
        const key = full.slice(prefix.length);
        if (!known.has(key))
            issues.push({
                key: full,
                message: "is not a key this program reads; remove it or check the spelling against the configuration table in README.md.",
            });
        else if (!(SECRET_KEYS as readonly string[]).includes(key)) raw[key] = parseValue(text);
    }
    return { raw, issues };
}

/**
 * Validates the whole stack config (`namespace:key` -> text). Pure. With `isSecret` (which keys
 * Pulumi holds as secrets), a secret key written in clear text is a problem too.
 */
export function parseStackConfig(all: Record<string, string>, isSecret?: (fullKey: string) => boolean): ParseResult {
    const { raw, issues: namespaceIssues } = readNamespace(all);
    const issues = [...namespaceIssues, ...(isSecret ? clearTextSecretIssues(all, SECRET_KEYS, NAMESPACE, isSecret) : [])];
    const result = parseConfig(raw);
    if (issues.length === 0) return result;
    return { ok: false, issues: [...issues, ...(result.ok ? [] : result.issues)] };
}

/** The secret keys of the running stack, as Pulumi secrets; undefined when not set. */
export function loadSecrets(): {
    readonly cockroachLicenseKey?: pulumi.Output<string>;
    readonly cloudflareApiToken?: pulumi.Output<string>;
} {
    const c = new pulumi.Config(NAMESPACE);
    return { cockroachLicenseKey: c.getSecret("cockroachLicenseKey"), cloudflareApiToken: c.getSecret("cloudflareApiToken") };
}

/**
 * Whether the running stack holds a key as a secret. The CLI passes the secret keys to the program
 * (PULUMI_CONFIG_SECRET_KEYS, set by the language host from the run request); @pulumi/pulumi reads
 * them in `runtime.isConfigSecret` (runtime/config.js), exported at runtime but marked @internal,
 * so it is absent from the typings.
 */
function runtimeIsSecret(): ((fullKey: string) => boolean) | undefined {
    // A CLI that passed config without the secret-key list: which keys are secret is unknown.
    if (process.env.PULUMI_CONFIG !== undefined && process.env.PULUMI_CONFIG_SECRET_KEYS === undefined) return undefined;
    const fn = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return typeof fn === "function" ? fn : undefined;
}

/** Reads and validates the running stack's config; throws `ConfigError` listing every problem. */
export function loadConfig(): StackConfig {
    const result = parseStackConfig(pulumi.runtime.allConfig(), runtimeIsSecret());
    if (!result.ok) throw new ConfigError(result.issues);
    return result.config;
}

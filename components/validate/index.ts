/**
 * The one validation step of an environment's config, above config and the domains: the schema,
 * then the checks across keys (config's own, then each domain's: cluster, deployability, traffic),
 * then the quotas of the planned environment. The database checks that need the migrations run
 * when index.ts loads them (cockroach/validate.ts). `loadConfig` stops the program with every
 * problem before any resource is registered.
 */
import {
    appChecks,
    clearTextSecretIssues,
    cloudRunCanPull,
    ConfigError,
    databaseTableChecks,
    domainChecks,
    keyOf,
    NAMESPACE,
    parseKeys,
    primaryChecks,
    readNamespace,
    regionChecks,
    SECRET_KEYS,
    stackConfig,
    stackConfigOf,
    survivalChecks,
    type ConfigIssue,
    type Parsed,
    type ParseResult,
    type StackConfig,
} from "../config";
import { hostnameRefusals, quotaIssues, regionRefusals } from "../deployability/check";
import { trafficConfigChecks } from "../traffic/checks";
import { waveChecks } from "../waves/checks";
import { clusterChecks } from "./cluster";

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
    if (c.regions && c.cloudflare) for (const i of hostnameRefusals(c.regions, c.cloudflare.hostname)) add([...i.path], i.message);
    primaryChecks(c, add);
    if (c.cockroach) survivalChecks(c.cockroach, c.regions, add);
    clusterChecks(c, add);
    if (c.app) appChecks(c.app, add);
    if (c.app && c.regions?.some((r) => r.cloud === "gcp") && !cloudRunCanPull(c.app.image))
        add(
            ["app", "image"],
            `"${c.app.image}" is on a registry Cloud Run cannot pull from, and a region is on GCP; push the image to Artifact Registry (<region>-docker.pkg.dev/...) or Docker Hub (docker.io/...), both of which ECS pulls from too.`,
        );
    if (c.database) databaseTableChecks(c.database, add);
    waveChecks(c, add);
    issues.push(...trafficConfigChecks(c));
    return issues;
}

/** Validates raw config values (key without namespace -> value). Pure. */
export function parseConfig(raw: Record<string, unknown>): ParseResult {
    const { parsed, issues } = parseKeys(raw);
    issues.push(...crossChecks(parsed));
    if (issues.length > 0) return { ok: false, issues };
    const config = stackConfigOf(parsed as Parsed);
    // Quotas are counted on the planned environment, so only once everything else is valid.
    const overQuota = quotaIssues(config).map((i) => ({ key: keyOf(i.path), message: i.message }));
    return overQuota.length > 0 ? { ok: false, issues: overQuota } : { ok: true, config };
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

/** Reads and validates the running stack's config; throws `ConfigError` listing every problem. */
export function loadConfig(): StackConfig {
    const { all, isSecret } = stackConfig();
    const result = parseStackConfig(all, isSecret);
    if (!result.ok) throw new ConfigError(result.issues);
    return result.config;
}

/**
 * Generated environments, for the benchmark and test/edge-environments.test.ts: catalog regions
 * over both clouds and two residency domains that between them serve every catalog country, on
 * staging's settings, with the `backend:quotas` the config's own refusal asks for. The benchmark
 * writes them as a stack file the plan reads with `--root`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { formatIssues } from "../../components/config";
import { JURISDICTIONS } from "../../components/countries";
import { REGIONS } from "../../components/regions";
import type { CatalogRegion } from "../../components/catalog-types";
import { parseStackConfig } from "../../components/validate";
import { readStackFile, scaffoldProject } from "./stackFile";

const EU = new Set([...(JURISDICTIONS.EEA ?? []), "CH", "GB"]);
/** The generated environments' domain of a catalog region: `eu` (EEA, CH, GB) or `world`. */
export const domainOf = (r: CatalogRegion) => (EU.has(r.country) ? "eu" : "world");
/** Two domains that between them serve every catalog country. */
const DOMAINS = [
    { name: "eu", jurisdictions: ["EEA"], countries: ["CH", "GB"] },
    { name: "world", countries: [...new Set(REGIONS.map((r) => r.country).filter((c) => !EU.has(c)))].sort() },
];

export interface GeneratedEnvironment {
    readonly environment: string;
    /** The first is the primary. */
    readonly regions: readonly CatalogRegion[];
    readonly nodesPerRegion?: number;
    /** `backend:quotas`: raised AWS quota values. */
    readonly quotas?: Readonly<Record<string, number>>;
}

/** Staging's config (as the harness reads it) with this environment's name, regions, nodes and quotas. */
export function generatedConfig({ environment, regions, nodesPerRegion, quotas }: GeneratedEnvironment): Record<string, string> {
    const base = readStackFile("staging");
    const config: Record<string, string> = {
        ...base.config,
        "backend:environment": environment,
        "backend:domains": JSON.stringify(DOMAINS.filter((d) => regions.some((r) => domainOf(r) === d.name))),
        "backend:regions": JSON.stringify(
            regions.map((r, i) => ({ cloud: r.cloud, region: r.region, domain: domainOf(r), primary: i === 0 })),
        ),
    };
    if (nodesPerRegion !== undefined)
        config["backend:cockroach"] = JSON.stringify({
            ...(JSON.parse(base.config["backend:cockroach"] ?? "{}") as object),
            nodesPerRegion,
        });
    if (quotas !== undefined) config["backend:quotas"] = JSON.stringify(quotas);
    return config;
}

/** The `backend:quotas` values a config's refusal asks for (the highest per key); empty when accepted. */
export function quotasAskedFor(config: Record<string, string>): Record<string, number> {
    const refusal = parseStackConfig(config);
    const quotas: Record<string, number> = {};
    for (const [, key, value] of refusal.ok ? [] : formatIssues(refusal.issues).matchAll(/set backend:quotas\.(\w+): (\d+)\./g))
        if (key) quotas[key] = Math.max(quotas[key] ?? 0, Number(value));
    return quotas;
}

/** Staging's config with these regions (the first primary) and, if given, raised quotas. */
function configFor(regions: readonly CatalogRegion[], quotas?: Record<string, number>): Record<string, string> {
    return generatedConfig({ environment: `bench${regions.length}`, regions, quotas });
}

/**
 * `count` regions the config accepts, taken in turn from the four groups aws/world, gcp/eu,
 * aws/eu, gcp/world (catalog order within a group), so that 2 regions span both clouds and
 * both domains and larger counts stay balanced.
 */
export function benchRegions(count: number): CatalogRegion[] {
    const accepted = REGIONS.filter((r) => parseStackConfig(configFor([r])).ok);
    const groups = [
        ["aws", "world"],
        ["gcp", "eu"],
        ["aws", "eu"],
        ["gcp", "world"],
    ].map(([cloud, domain]) => accepted.filter((r) => r.cloud === cloud && domainOf(r) === domain));
    const out: CatalogRegion[] = [];
    for (let i = 0; out.length < count; i++) {
        const group = groups[i % groups.length] ?? [];
        const next = group[Math.floor(i / groups.length)];
        if (!next && groups.every((g) => g.length <= Math.floor(i / groups.length)))
            throw new Error(`the catalog has fewer than ${count} regions the config accepts`);
        if (next) out.push(next);
    }
    return out;
}

/**
 * Writes `Pulumi.yaml` and `Pulumi.bench<count>.yaml` into `dir`; returns the stack name. When the
 * config refuses the environment for quotas, it asks for `backend:quotas.<key>: <value>`; those
 * values (the highest per key) are set, as a team would after raising them.
 */
export function writeGeneratedStack(count: number, dir: string): string {
    const regions = benchRegions(count);
    const quotas = quotasAskedFor(configFor(regions));
    const config = configFor(regions, Object.keys(quotas).length > 0 ? quotas : undefined);
    const checked = parseStackConfig(config);
    if (!checked.ok) throw new Error(`generated environment of ${count} regions is invalid: ${formatIssues(checked.issues)}`);
    const stack = `bench${count}`;
    scaffoldProject(dir);
    // Values as the stack file holds them: objects and arrays as YAML, not JSON strings.
    const values = Object.fromEntries(
        Object.entries(config).map(([k, v]) => {
            try {
                const parsed: unknown = JSON.parse(v);
                return [k, typeof parsed === "object" && parsed !== null ? parsed : v];
            } catch {
                return [k, v];
            }
        }),
    );
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: values }));
    return stack;
}

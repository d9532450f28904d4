/**
 * Facts the policies read from what the engine sends: a resource's inputs, its provider resource's
 * inputs (region, default tags/labels) and, for stack policies, every other resource. Pure
 * functions of plain data, so they run the same under `pulumi preview` and the offline plan.
 */
import type { CatalogRegion, Cloud } from "../../components/catalog-types";
import { findRegion } from "../../components/regions-lookup";

/** A resource as a policy sees it (the subset of CrossGuard's args the facts need). */
export interface Res {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    readonly provider?: { readonly type: string; readonly props: Record<string, unknown> };
    readonly opts?: { readonly protect?: boolean };
}

/** Tag/label keys the program sets through every regional provider (components/regional/types.ts residencyTags). */
export const DOMAIN_TAG = "residency-domain";
export const REGION_TAG = "crdb-region";
/** `scope` tag of cluster-wide resources (components/providers.ts CLUSTER_SCOPE): no residency domain. */
export const SCOPE_TAG = "scope";
export const CLUSTER_SCOPE = "cluster";

/** `aws` / `gcp` for resources and providers of those clouds, else undefined. */
export function cloudOf(type: string): Cloud | undefined {
    const m = /^(aws|gcp):/.exec(type) ?? /^pulumi:providers:(aws|gcp)$/.exec(type);
    return m ? (m[1] as Cloud) : undefined;
}

export const isProvider = (type: string): boolean => type.startsWith("pulumi:providers:");

/** Provider inputs arrive JSON-encoded for nested values (`defaultTags`, `defaultLabels`). */
export function json(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}

function strings(v: unknown): Record<string, string> {
    const o = json(v);
    if (!o || typeof o !== "object" || Array.isArray(o)) return {};
    return Object.fromEntries(Object.entries(o as Record<string, unknown>).filter(([, x]) => typeof x === "string")) as Record<
        string,
        string
    >;
}

/** Default tags (AWS `defaultTags.tags`) or labels (GCP `defaultLabels`) of a provider's inputs. */
export function providerTags(type: string, props: Record<string, unknown>): Record<string, string> {
    if (type === "pulumi:providers:aws") return strings((json(props.defaultTags) as { tags?: unknown } | undefined)?.tags);
    if (type === "pulumi:providers:gcp") return strings(props.defaultLabels);
    return {};
}

/** Tags (AWS) / labels (GCP) a resource ends up with: its provider's defaults, then its own. */
export function effectiveTags(r: Res): Record<string, string> {
    if (isProvider(r.type)) return providerTags(r.type, r.props);
    const defaults = r.provider ? providerTags(r.provider.type, r.provider.props) : {};
    const own = cloudOf(r.type) === "gcp" ? strings(r.props.labels) : strings(r.props.tags);
    return { ...defaults, ...own };
}

/**
 * Locations that span several regions: GCS multi-regions (US, EU, ASIA) and predefined
 * dual-regions (NAM4, EUR4, EUR5, EUR7, EUR8, ASIA1; cloud.google.com/storage/docs/locations),
 * Cloud KMS multi-regions (global, us, europe, asia, nam3, eur3, nam-eur-asia1;
 * cloud.google.com/kms/docs/locations).
 */
const GCP_MULTI_LOCATIONS = /^(global|us|eu|europe|asia|nam\d+|eur\d+|asia\d+|nam-eur-asia1)$/i;

/** Where a resource lives: a cloud region, a multi-region location, or nowhere (global). */
export type Location =
    | { readonly kind: "region"; readonly cloud: Cloud; readonly region: string; readonly from: string }
    | { readonly kind: "multi"; readonly cloud: Cloud; readonly location: string; readonly from: string };

/**
 * Effective location of an AWS or GCP resource. AWS v7: the resource's own `region` input, else
 * its provider's `region`. GCP: `location`, `region`, or the region of `zone` (`us-central1-a`),
 * else the provider's `region`. Undefined for other packages.
 */
export function effectiveLocation(r: Res): Location | undefined {
    const cloud = cloudOf(r.type);
    if (!cloud) return undefined;
    const p = r.props;
    const own: [unknown, string][] =
        cloud === "aws"
            ? [[p.region, "region"]]
            : [
                  [p.location, "location"],
                  [p.region, "region"],
                  [typeof p.zone === "string" ? p.zone.replace(/-[a-z]$/, "") : undefined, "zone"],
              ];
    for (const [v, from] of own)
        if (typeof v === "string" && v !== "") {
            if (GCP_MULTI_LOCATIONS.test(v) && cloud === "gcp") return { kind: "multi", cloud, location: v, from };
            return { kind: "region", cloud, region: v.toLowerCase(), from };
        }
    const providerRegion = isProvider(r.type) ? p.region : r.provider?.props.region;
    if (typeof providerRegion === "string" && providerRegion !== "")
        return { kind: "region", cloud, region: providerRegion, from: isProvider(r.type) ? "region" : "provider region" };
    return undefined;
}

/** CockroachDB-style name of a cloud region: `aws-us-east-1`. */
export const crdbName = (cloud: Cloud, region: string): string => `${cloud}-${region}`;

/** Catalog entry of a CockroachDB-style region name (`gcp-europe-west1`). */
export function catalogOf(crdbRegion: string): CatalogRegion | undefined {
    const [, cloud, region] = /^(aws|gcp)-(.+)$/.exec(crdbRegion) ?? [];
    return cloud && region ? findRegion(cloud as Cloud, region) : undefined;
}

/** Cluster-wide resources (IAM, federation) carry `scope=cluster` and belong to no domain. */
export const isClusterScoped = (r: Res): boolean => effectiveTags(r)[SCOPE_TAG] === CLUSTER_SCOPE;

/** `{ "prod-foo": ... }` -> text of a name for messages: `aws:s3/bucket:Bucket "x"`. */
export const subject = (r: Pick<Res, "type" | "name">): string => `${r.type} "${r.name}"`;

/** Mocked or real id a resource is referenced by: the offline plan's `<name>-id`, else its props' `id`. */
export function refersTo(ref: unknown, r: Res): boolean {
    return typeof ref === "string" && (ref === `${r.name}-id` || (typeof r.props.id === "string" && ref === r.props.id));
}

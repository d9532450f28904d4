/**
 * The engine that runs the constraint table (./constraints.ts) over planned resources. Pure: it
 * reads resource inputs as the offline plan recorded them and returns one violation per broken
 * constraint; no Pulumi runtime, no mocks.
 */
import { AWS_QUOTAS } from "./quotas";
import type { CheckedAwsQuota } from "./settings";

/** A resource as the plan recorded it; `id` is the (mocked) id other resources reference it by. */
export interface PlannedInput {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** CockroachDB-style region (`aws-us-east-1`), or null when global. */
    readonly region: string | null;
    readonly id?: string | null;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** A check of one value: undefined when it passes, else what is wrong, in a few words. */
export type Check = (value: unknown) => string | undefined;

/** One documented constraint on an input property of some resource types. */
export interface Constraint {
    /** Resource type tokens it applies to. */
    readonly types: readonly string[];
    /**
     * Where the value sits in the inputs: `.`-separated keys; `*` is every element of a list or
     * every value of a map, `~` every key of a map. JSON text on the way is parsed.
     */
    readonly property: string;
    /** The rule in words, as the source states it. */
    readonly rule: string;
    readonly check: Check;
    /** Vendor documentation or provider validator source. */
    readonly source: string;
}

/** Key of a quota in AWS_QUOTAS (components/deployability/quotas.ts). */
export type AwsQuotaKey = keyof typeof AWS_QUOTAS;

/** Raised quota values from `backend:quotas`, by the same keys; absent: the default. */
export type RaisedQuotas = Readonly<Partial<Record<CheckedAwsQuota, number>>>;

/** The limit a quota is checked against: the raised value from `backend:quotas`, else the default. */
export function effectiveLimit(key: AwsQuotaKey, raised: RaisedQuotas = {}): { limit: number; raised: boolean } {
    const value = (raised as Partial<Record<AwsQuotaKey, number>>)[key];
    return value === undefined ? { limit: AWS_QUOTAS[key].limit, raised: false } : { limit: value, raised: true };
}

/** A quota counted across the plan. */
export interface CountRule {
    /** Which quota of AWS_QUOTAS; its limit is the default or the raised value passed to checkPlan. */
    readonly quota: AwsQuotaKey;
    readonly types: readonly string[];
    /** What the quota is counted per (a region, a group, a table, a zone); null: not counted. */
    readonly scope: (r: PlannedInput, index: PlanIndex) => string | null;
    /** How many quota units one resource uses, per separately counted kind (e.g. IPv4, IPv6). */
    readonly units: (r: PlannedInput, index: PlanIndex) => Readonly<Record<string, number>>;
}

export interface Violation {
    /** URN of the resource, or the scope a quota is counted in. */
    readonly resource: string;
    readonly type: string;
    readonly property: string;
    /** What is wrong with the planned value. */
    readonly problem: string;
    readonly rule: string;
    readonly source: string;
}

/** Lookups the count rules need: a resource by the id others reference it with. */
export class PlanIndex {
    private readonly byId = new Map<string, PlannedInput>();
    constructor(readonly resources: readonly PlannedInput[]) {
        for (const r of resources) if (r.id) this.byId.set(r.id, r);
    }
    find(id: unknown): PlannedInput | undefined {
        return typeof id === "string" ? this.byId.get(id) : undefined;
    }
}

/** Values the offline plan could not know (preview unknowns, secrets) are not checked. */
function opaque(v: unknown): boolean {
    return v === "[unknown]" || v === "[secret]" || v === undefined || v === null;
}

function parsed(v: unknown): unknown {
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
        try {
            return JSON.parse(v);
        } catch {
            return v;
        }
    }
    return v;
}

/** Every value at `property` (see `Constraint.property`), with its concrete path. */
export function valuesAt(inputs: unknown, property: string): { path: string; value: unknown }[] {
    let current: { path: string; value: unknown }[] = [{ path: "", value: inputs }];
    for (const key of property.split(".")) {
        const next: { path: string; value: unknown }[] = [];
        for (const { path, value } of current) {
            const v = parsed(value);
            if (v === null || typeof v !== "object") continue;
            const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
            const join = (k: string) => (path ? `${path}.${k}` : k);
            if (key === "*") next.push(...entries.map(([k, x]) => ({ path: join(k), value: x })));
            else if (key === "~") next.push(...entries.map(([k]) => ({ path: join(`${k} (key)`), value: k })));
            else if (key in (v as object)) next.push({ path: join(key), value: (v as Record<string, unknown>)[key] });
        }
        current = next;
    }
    return current.map(({ path, value }) => ({ path, value: parsed(value) })).filter(({ value }) => !opaque(value));
}

const show = (v: unknown): string => {
    const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
    return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
};

/**
 * Checks every resource against every constraint of its type, then counts the quotas against
 * their defaults or the values `raised` (the config's `backend:quotas`).
 */
export function checkPlan(
    resources: readonly PlannedInput[],
    constraints: readonly Constraint[],
    counts: readonly CountRule[],
    raised: RaisedQuotas = {},
): Violation[] {
    const out: Violation[] = [];
    for (const r of resources)
        for (const c of constraints) {
            if (!c.types.includes(r.type)) continue;
            for (const { path, value } of valuesAt(r.inputs, c.property)) {
                const problem = c.check(value);
                if (problem)
                    out.push({
                        resource: r.urn,
                        type: r.type,
                        property: path,
                        problem: `${show(value)} ${problem}`,
                        rule: c.rule,
                        source: c.source,
                    });
            }
        }
    const index = new PlanIndex(resources);
    for (const rule of counts) {
        const totals = new Map<string, Record<string, number>>();
        for (const r of resources) {
            if (!rule.types.includes(r.type)) continue;
            const scope = rule.scope(r, index);
            if (scope === null) continue;
            const sum = totals.get(scope) ?? {};
            for (const [kind, n] of Object.entries(rule.units(r, index))) sum[kind] = (sum[kind] ?? 0) + n;
            totals.set(scope, sum);
        }
        const quota = AWS_QUOTAS[rule.quota];
        const { limit, raised: isRaised } = effectiveLimit(rule.quota, raised);
        const which = isRaised ? `raised quota ${limit} (backend:quotas.${rule.quota})` : `default quota ${limit}`;
        for (const [scope, sum] of totals)
            for (const [kind, n] of Object.entries(sum))
                if (n > limit)
                    out.push({
                        resource: scope,
                        type: rule.types.join(", "),
                        property: kind,
                        problem: `${n} planned, ${which} per ${quota.scope} (${quota.code}; adjustable: ${quota.adjustable})`,
                        rule: quota.name,
                        source: quota.source,
                    });
    }
    return out;
}

/** One line per violation: the resource, the property, what is wrong, the rule and its source. */
export function formatViolation(v: Violation): string {
    return `${v.resource} ${v.property}: ${v.problem}; rule: ${v.rule} (source: ${v.source})`;
}

// ---- checks, composed by the constraint table ----

export const maxLength =
    (n: number): Check =>
    (v) =>
        typeof v === "string" && [...v].length > n ? `is ${[...v].length} characters, more than ${n}` : undefined;

export const minLength =
    (n: number): Check =>
    (v) =>
        typeof v === "string" && [...v].length < n ? `is ${[...v].length} characters, fewer than ${n}` : undefined;

/** Size in bytes of the UTF-8 text. */
export const maxBytes =
    (n: number): Check =>
    (v) => {
        if (typeof v !== "string") return undefined;
        const size = Buffer.byteLength(v, "utf8");
        return size > n ? `is ${size} bytes, more than ${n}` : undefined;
    };

export const matches =
    (re: RegExp, what: string): Check =>
    (v) =>
        typeof v === "string" && !re.test(v) ? `is not ${what}` : undefined;

/** Characters outside `allowed` (a character-class body), listed. */
export const onlyCharacters =
    (allowed: string, what: string): Check =>
    (v) => {
        if (typeof v !== "string") return undefined;
        const bad = [...new Set([...v].filter((ch) => !new RegExp(`^[${allowed}]$`, "u").test(ch)))];
        return bad.length > 0 ? `contains ${bad.map((c) => JSON.stringify(c)).join(", ")}, outside ${what}` : undefined;
    };

export const notStartingWith =
    (...prefixes: string[]): Check =>
    (v) => {
        const p = typeof v === "string" ? prefixes.find((x) => v.toLowerCase().startsWith(x)) : undefined;
        return p ? `starts with "${p}"` : undefined;
    };

export const notEndingWith =
    (...suffixes: string[]): Check =>
    (v) => {
        const s = typeof v === "string" ? suffixes.find((x) => v.endsWith(x)) : undefined;
        return s ? `ends with "${s}"` : undefined;
    };

/** One of a fixed set of values. */
export const oneOf =
    (...allowed: readonly (string | number)[]): Check =>
    (v) =>
        (typeof v === "string" || typeof v === "number") && !allowed.includes(v) ? `is not one of ${allowed.join(", ")}` : undefined;

/** Every check, first problem wins. */
export const all =
    (...checks: Check[]): Check =>
    (v) => {
        for (const c of checks) {
            const p = c(v);
            if (p) return p;
        }
        return undefined;
    };

/** Number of entries of a list or map. */
export const maxEntries =
    (n: number, what: string): Check =>
    (v) => {
        const count = Array.isArray(v) ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0;
        return count > n ? `has ${count} ${what}, more than ${n}` : undefined;
    };

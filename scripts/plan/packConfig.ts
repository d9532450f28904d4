/**
 * `npm run plan -- --policy-pack-config <file>`: the file `pulumi preview --policy-pack-config`
 * takes, read the way the CLI reads it, so one file serves both. pulumi/pulumi at 1b5949891b3c
 * (2026-08-21), pkg/resource/analyzer/config.go:
 *   - `parsePolicyPackConfig`: a JSON object; an empty file is no config; each key is a policy
 *     name, or `all`, with either an enforcement level (string) or an object whose optional
 *     `enforcementLevel` is a level and whose other keys are the policy's properties; an entry
 *     with neither is dropped;
 *   - `ReconcilePolicyPackConfig`: every policy starts from its own level and its schema's
 *     defaults (`createConfigWithDefaults`), then the config given programmatically (here: what
 *     the stack implies, `packConfigFor`), then the file (`applyConfig`: `all` sets every policy's
 *     level first, then each policy's own entry, its properties merged into what was there);
 *   - `validatePolicyPackConfig`: each policy's properties are checked against its `configSchema`
 *     as a JSON schema of type object (`convertSchema`).
 * Deliberate differences, all stricter, so that a typo fails instead of silently leaving a policy
 * as it was: a key that names no policy of the pack is refused (the CLI keeps it and nothing
 * reads it), as is a property the policy's schema does not list (`additionalProperties: false`)
 * and a property under `all`; `environments` (Pulumi ESC references, resolved by the CLI through
 * Pulumi Cloud) is refused, since the offline plan cannot resolve them.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import { closest } from "fastest-levenshtein";
import { POLICY_LEVELS, type PackConfig, type PolicyLevel } from "../policies";

/** What the file is checked against: the pack's policies (policies/all.ts). */
export interface PackPolicy {
    readonly name: string;
    /** The policy's own level; @pulumi/policy's default when it declares none is `advisory`. */
    readonly enforcementLevel?: PolicyLevel;
    readonly configSchema?: { readonly properties: Record<string, unknown>; readonly required?: readonly string[] };
}

/** A file the CLI would refuse, or that the offline plan cannot honour; the message says which key and why. */
export class PackConfigError extends Error {}

/**
 * Every policy's config for the pack's `configure` call: its own level and schema defaults, then
 * `base` (what the plan derives from the stack, e.g. deletion protection advisory while preparing
 * a destroy), then `file`.
 */
export function readPackConfigFile(file: string, pack: readonly PackPolicy[], base: PackConfig = {}): PackConfig {
    const fail = (why: string): never => {
        throw new PackConfigError(`--policy-pack-config ${file}: ${why}`);
    };
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a JSON file.`);
    }
    let raw: unknown = {};
    try {
        if (text.trim() !== "") raw = JSON.parse(text);
    } catch (e) {
        return fail(`is not JSON (${(e as Error).message}).`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        return fail(`holds ${JSON.stringify(raw)}; it must be a JSON object of policy names, e.g. {"all": "advisory"}.`);

    const names = pack.map((p) => p.name);
    const levelOf = (key: string, v: unknown): PolicyLevel | undefined => {
        if (v === undefined) return undefined;
        // The same four apitype.EnforcementLevel.IsValid accepts (sdk/go/common/apitype/policy.go).
        if (typeof v === "string" && (POLICY_LEVELS as readonly string[]).includes(v)) return v as PolicyLevel;
        return fail(`"${key}" has enforcement level ${JSON.stringify(v)}; use one of ${POLICY_LEVELS.join(", ")}.`);
    };
    const entries: { key: string; level?: PolicyLevel; props: Record<string, unknown> }[] = [];
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (key === "environments")
            fail(
                `"environments" names Pulumi ESC environments, which only the Pulumi CLI resolves; write their values into the file for the offline plan.`,
            );
        if (key !== "all" && !names.includes(key))
            fail(`"${key}" is no policy of the pack; did you mean "${closest(key, names)}"? Policies: all, ${names.join(", ")}.`);
        if (typeof value === "string") entries.push({ key, level: levelOf(key, value), props: {} });
        else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...props } = value as Record<string, unknown>;
            const level = levelOf(key, enforcementLevel);
            if (Object.keys(props).length > 0 && key !== "all" && !pack.find((p) => p.name === key)?.configSchema)
                fail(`"${key}" takes no properties (it has no configSchema); remove ${Object.keys(props).join(", ")}.`);
            if (level || Object.keys(props).length > 0) entries.push({ key, level, props });
        } else fail(`"${key}" is ${JSON.stringify(value)}; give an enforcement level or an object, e.g. {"enforcementLevel": "advisory"}.`);
    }

    const result: Record<string, { enforcementLevel?: PolicyLevel } & Record<string, unknown>> = {};
    for (const p of pack) {
        const defaults = Object.entries(p.configSchema?.properties ?? {}).flatMap(([k, v]) =>
            typeof v === "object" && v !== null && "default" in v
                ? [[k, structuredClone((v as { default: unknown }).default)] as const]
                : [],
        );
        result[p.name] = { ...Object.fromEntries(defaults), enforcementLevel: p.enforcementLevel ?? "advisory" };
    }
    for (const [name, config] of Object.entries(structuredClone(base))) result[name] = { ...result[name], ...config };
    const all = entries.find((e) => e.key === "all");
    if (all && Object.keys(all.props).length > 0)
        fail(`"all" sets only an enforcement level; move ${Object.keys(all.props).join(", ")} under the policy it belongs to.`);
    if (all?.level) for (const name of names) result[name] = { ...result[name], enforcementLevel: all.level };
    for (const e of entries) {
        if (e.key === "all") continue;
        result[e.key] = { ...result[e.key], ...e.props, ...(e.level ? { enforcementLevel: e.level } : {}) };
    }

    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const p of pack) {
        if (!p.configSchema) continue;
        const props: Record<string, unknown> = { ...result[p.name] };
        delete props.enforcementLevel;
        const schema = {
            type: "object",
            properties: p.configSchema.properties,
            required: p.configSchema.required ?? [],
            additionalProperties: false,
        };
        const validate = ajv.compile(schema);
        if (!validate(props))
            fail(
                `"${p.name}" ${(validate.errors ?? [])
                    .map(
                        (err) =>
                            `${err.instancePath ? err.instancePath.slice(1).replaceAll("/", ".") + " " : ""}${err.message ?? "is invalid"}`,
                    )
                    .join("; ")} (received ${JSON.stringify(props)}); see the policy's configSchema in policies/.`,
            );
    }
    return result;
}

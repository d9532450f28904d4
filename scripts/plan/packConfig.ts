/**
 * `npm run plan -- --policy-pack-config <file>`: the file `pulumi preview --policy-pack-config`
 * takes, read the way the CLI reads it, so one file serves both. pulumi/pulumi at 1b5949891b3c
 * (2026-08-21), pkg/resource/analyzer/config.go:
 *   - `parsePolicyPackConfig`: a JSON object; an empty file is no config; each key is a policy
 *     name, or `all`, with either an enforcement level (string) or an object whose optional
 *     `enforcementLevel` is a level and whose other keys are the policy's properties;
 *   - `applyConfig`: `all` sets the level of every policy first, then each policy's own entry
 *     applies, its properties merged into what was there;
 *   - `validatePolicyPackConfig`: each policy's properties are checked against its `configSchema`
 *     as a JSON schema of type object (`convertSchema`).
 * Two deliberate differences, both stricter: a key that names no policy of the pack is refused
 * (the CLI keeps it and nothing reads it, so a typo would silently leave a policy as it was), and
 * `environments` (Pulumi ESC references, resolved by the CLI through Pulumi Cloud) is refused,
 * since the offline plan cannot resolve them.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import { closest } from "fastest-levenshtein";
import type { PackConfig, PolicyLevel } from "../policies";

/** What the file is checked against: the pack's policies (policies/all.ts). */
export interface PackPolicy {
    readonly name: string;
    readonly configSchema?: { readonly properties: Record<string, unknown>; readonly required?: readonly string[] };
}

/** apitype.EnforcementLevel's valid values (sdk/go/common/apitype/policy.go `IsValid`). */
const LEVELS: readonly PolicyLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A file the CLI would refuse, or that the offline plan cannot honour; the message says which key and why. */
export class PackConfigError extends Error {}

/**
 * The pack config from `file` applied on top of `base` (what the plan derives from the stack,
 * e.g. deletion protection advisory while preparing a destroy), for the pack's `configure` call.
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
    if (text.trim() === "") return base;
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        return fail(`is not JSON (${(e as Error).message}).`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        return fail(`holds ${JSON.stringify(raw)}; it must be a JSON object of policy names, e.g. {"all": "advisory"}.`);

    const names = pack.map((p) => p.name);
    const levelOf = (key: string, v: unknown): PolicyLevel | undefined => {
        if (v === undefined) return undefined;
        if (typeof v === "string" && (LEVELS as readonly string[]).includes(v)) return v as PolicyLevel;
        return fail(`"${key}" has enforcement level ${JSON.stringify(v)}; use one of ${LEVELS.join(", ")}.`);
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
            entries.push({ key, level: levelOf(key, enforcementLevel), props });
        } else fail(`"${key}" is ${JSON.stringify(value)}; give an enforcement level or an object, e.g. {"enforcementLevel": "advisory"}.`);
    }

    const result: Record<string, { enforcementLevel?: PolicyLevel } & Record<string, unknown>> = structuredClone(base);
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
        const schema = { type: "object", properties: p.configSchema.properties, required: p.configSchema.required ?? [] };
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

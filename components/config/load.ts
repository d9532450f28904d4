/**
 * Reading the stack's config: picking this program's keys out of the whole stack config, the
 * secret keys, and the Pulumi runtime calls that hand them to the program.
 */
import * as pulumi from "@pulumi/pulumi";
import { foldDottedKeys, type DottedValue } from "./answers";
import { NAMESPACE, type ConfigIssue } from "./issues";
import { configSchema } from "./schema";

/** Secret keys, read with `getSecret` and never part of the validated object. */
export const SECRET_KEYS = ["cockroachLicenseKey", "cloudflareApiToken"] as const;

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
    const dotted: DottedValue[] = [];
    for (const [full, text] of Object.entries(all)) {
        if (!full.startsWith(prefix)) continue;
        const key = full.slice(prefix.length);
        // A `pulumi new` answer such as `cloudflare.hostname` (components/config/answers.ts).
        const top = key.split(".")[0] ?? key;
        if (key.includes(".") && known.has(top) && !(SECRET_KEYS as readonly string[]).includes(top))
            dotted.push({ key, value: parseValue(text) });
        else if (!known.has(key))
            issues.push({
                key: full,
                message: "is not a key this program reads; remove it or check the spelling against the configuration table in README.md.",
            });
        else if (!(SECRET_KEYS as readonly string[]).includes(key)) raw[key] = parseValue(text);
    }
    issues.push(...foldDottedKeys(raw, dotted));
    return { raw, issues };
}

/**
 * Secret keys whose value sits in clear text in the stack file (no `secure:`): the value is then
 * in git and in every copy of the file. `isSecret(fullKey)` tells whether Pulumi holds the key as
 * a secret (the CLI passes the list of secret keys to the program).
 */
export function clearTextSecretIssues(
    all: Readonly<Record<string, string>>,
    secretKeys: readonly string[],
    namespace: string,
    isSecret: (fullKey: string) => boolean,
): ConfigIssue[] {
    return secretKeys
        .map((k) => `${namespace}:${k}`)
        .filter((full) => all[full] !== undefined && !isSecret(full))
        .map((full) => ({
            key: full,
            message: `is in clear text in the stack file, so the value is in every copy of Pulumi.<stack>.yaml and in git; remove the line and set it encrypted with: pulumi config set --secret ${full} <value> (and revoke the exposed value if the file was shared).`,
        }));
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

/** The running stack's config (`namespace:key` -> text) and which keys Pulumi holds as secrets. */
export function stackConfig(): { all: Record<string, string>; isSecret?: (fullKey: string) => boolean } {
    return { all: pulumi.runtime.allConfig(), isSecret: runtimeIsSecret() };
}

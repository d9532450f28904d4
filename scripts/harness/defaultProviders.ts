/** The engine's default-provider rule (`pulumi:disable-default-providers`), applied to a recorded run. */
import type { RecordedResource, RunFailure } from "./types";

/** What `pulumi:disable-default-providers` denies: every package (`*`) or the ones listed. */
export interface DefaultProviderRule {
    readonly all: boolean;
    readonly packages: readonly string[];
}

/**
 * Reads `pulumi:disable-default-providers` from stack config (a JSON list, as the CLI passes it).
 * Same parsing as the engine: an empty value or list disables nothing; entries are trimmed.
 * Source: pulumi/pulumi pkg/resource/deploy/default_providers.go, `shouldDenyRequest`.
 */
export function defaultProviderRule(config: Readonly<Record<string, string>>): DefaultProviderRule {
    const text = config["pulumi:disable-default-providers"];
    if (text === undefined || text === "") return { all: false, packages: [] };
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list) || list.some((v) => typeof v !== "string"))
        throw new Error(`pulumi:disable-default-providers must be a list of package names; got ${text}`);
    const packages = list.map((v: string) => v.trim());
    return { all: packages.includes("*"), packages: packages.filter((p) => p !== "*") };
}

/**
 * Whether the engine would refuse a default provider for `token` (a resource type or invoke
 * token): its package is the token's first segment (`aws`, `pulumi-nodejs` for dynamic
 * resources), and only the engine's own `pulumi` package is always allowed
 * (`if req.Package().Name().String() == "pulumi"`), in default_providers.go `shouldDenyRequest`.
 */
export function defaultProviderDenied(rule: DefaultProviderRule, token: string): boolean {
    // split() always returns at least one part.
    const [pkg = ""] = token.split(":");
    if (pkg === "pulumi") return false;
    return rule.all || rule.packages.includes(pkg);
}

/** Resources and invokes that would need the default provider the stack config denies. */
export function defaultProviderFailures(
    mocks: { readonly resources: readonly RecordedResource[]; readonly invokes: readonly { token: string; provider: string | null }[] },
    rule: DefaultProviderRule,
): RunFailure[] {
    const resources = mocks.resources
        .filter((r) => r.custom && !r.provider && defaultProviderDenied(rule, r.type))
        .map((r) => ({
            kind: "default-provider" as const,
            subject: `${r.type}::${r.name}`,
            message: `default provider for '${r.type.split(":")[0]}' disabled by pulumi:disable-default-providers; pass { provider } or { parent } from the regional stack, or (a package without provider resources, such as pulumi-nodejs for dynamic resources) leave it off the list in Pulumi.yaml`,
        }));
    const invokes = [...new Set(mocks.invokes.filter((i) => !i.provider && defaultProviderDenied(rule, i.token)).map((i) => i.token))].map(
        (token) => ({
            kind: "default-provider" as const,
            subject: token,
            message: `invoke without an explicit provider, but the default provider for '${token.split(":")[0]}' is disabled by pulumi:disable-default-providers; pass { provider }`,
        }),
    );
    return [...resources, ...invokes];
}

/**
 * Template answers: the flat dotted keys `pulumi new` writes into a stack file.
 *
 * `pulumi new` parses each `template.config` key with path=false and copies the answer into the
 * stack's config as one plain string (pulumi/pulumi pkg/cmd/pulumi/project/newcmd/config.go:
 * resolveTemplateConfig -> ParseConfigKeyForProject(..., false), encryptTemplateConfig ->
 * config.NewValue, SaveConfig -> maps.Copy). So the answer to `backend:cloudflare.hostname` lands
 * as the literal key `cloudflare.hostname`, next to (not inside) any `backend:cloudflare` object
 * the shipped stack file holds. This folds such keys into the structured value, so the answer is
 * what the program reads and a bad answer is reported under the key the user answered.
 */
import { keyOf, type ConfigIssue } from "./issues";

/** One flat dotted key of the namespace (`cloudflare.hostname`) and its parsed value. */
export interface DottedValue {
    readonly key: string;
    readonly value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Sets each dotted key's field in `raw` (a copy of the objects on its path; `raw` itself is
 * updated). The answer wins over the same field of the structured value: `pulumi new` writes it
 * last, and `pulumi config set <key>` (without --path) changes that same flat key. Pure apart
 * from `raw`.
 */
export function foldDottedKeys(raw: Record<string, unknown>, dotted: readonly DottedValue[]): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    // Shorter paths first, so `app.image` lands inside a `app.x` object set by a longer key too.
    for (const { key, value } of [...dotted].sort((a, b) => a.key.split(".").length - b.key.split(".").length)) {
        const path = key.split(".");
        if (path.some((p) => p === "")) {
            issues.push({ key: keyOf([key]), message: "is not a valid key path; remove the line or fix the dots." });
            continue;
        }
        let parent: Record<string, unknown> = raw;
        let ok = true;
        for (let i = 0; i < path.length - 1; i++) {
            const seg = path[i] as string;
            const current = parent[seg];
            if (current === undefined) parent[seg] = {};
            else if (isObject(current)) parent[seg] = { ...current };
            else {
                issues.push({
                    key: keyOf([key]),
                    message: `sets a field of ${keyOf(path.slice(0, i + 1))}, which is not an object; remove one of the two.`,
                });
                ok = false;
                break;
            }
            parent = parent[seg] as Record<string, unknown>;
        }
        if (ok) parent[path[path.length - 1] as string] = value;
    }
    return issues;
}

/** Stack files: `Pulumi.yaml` and `Pulumi.<stack>.yaml` read the way the CLI hands config to a program. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { StackFile } from "./types";

export const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The project folder of `--root` (else this repository), one for the plan, `npm run wave` and the
 * program they run: it holds Pulumi.yaml, the stack files, the migrations and deployed/.
 */
export function projectFolder(root?: string): string {
    return root ? userPath(root) : ROOT;
}

/**
 * A path the user typed, resolved from where they typed it: `npm run` runs scripts from the
 * package folder and keeps the directory it was run from in INIT_CWD
 * (docs.npmjs.com/cli/v10/commands/npm-run-script#description).
 */
export function userPath(p: string): string {
    return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/**
 * Makes `dir` a project folder for generated stack files: this repository's Pulumi.yaml and its
 * migrations (db/, linked), which the program reads from the folder it runs in. Idempotent.
 */
export function scaffoldProject(dir: string): void {
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    // lstat, not exists: a dangling link left behind is still there and would make symlink fail.
    const link = path.join(dir, "db");
    if (!fs.lstatSync(link, { throwIfNoEntry: false })) fs.symlinkSync(path.join(ROOT, "db"), link, "dir");
}

/** Stand-in for a `secure:` value, which only the Pulumi CLI can decrypt. */
export const SECRET_PLACEHOLDER = "offline-plan-placeholder";

export function projectName(root = ROOT): string {
    const doc = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string };
    return doc.name;
}

/** Reads `Pulumi.<stack>.yaml` the way the CLI hands config to a program. */
export function readStackFile(stack: string, root = ROOT): StackFile {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file))
        throw new Error(`no stack file ${path.relative(process.cwd(), file)}; shipped stacks: ${shippedStacks(root).join(", ")}`);
    const project = projectName(root);
    const projectDoc = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> };
    const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    // Project-level values first (`key: {value: ...}` or a scalar), then the stack's own.
    const projectValues = Object.entries(projectDoc.config ?? {}).flatMap(([k, v]) =>
        v && typeof v === "object" && "value" in v
            ? [[k, (v as { value: unknown }).value] as const]
            : typeof v === "object"
              ? []
              : [[k, v] as const],
    );
    for (const [rawKey, value] of [...projectValues, ...Object.entries(doc.config ?? {})]) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        if (value && typeof value === "object" && "secure" in value) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { root, project, stack, config, secretKeys };
}

export function shippedStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

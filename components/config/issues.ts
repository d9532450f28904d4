/**
 * Config problems: the issue type, the `backend:...` key of a path, the messages for schema
 * failures, and the error that stops the program. Every config check reports through these.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { at } from "../collections";

/** Config namespace of every key this program reads. */
export const NAMESPACE = "backend";

/** One problem with the config: the key (Pulumi `--path` syntax) and what to do. */
export interface ConfigIssue {
    readonly key: string;
    readonly message: string;
}

/** Collects one issue at a key path; checks take it so they can report several problems. */
export type Add = (path: PropertyKey[], message: string) => void;

/** `regions[0].region` style path, prefixed with the namespace. */
export function keyOf(path: readonly PropertyKey[]): string {
    let key = NAMESPACE + ":";
    path.forEach((p, i) => {
        if (typeof p === "number") key += `[${p}]`;
        else key += (i === 0 ? "" : ".") + String(p);
    });
    return key;
}

function show(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 120 ? text.slice(0, 117) + "..." : text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    let v: unknown = raw;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

/** Schema failures as issues naming the key and the value received. */
export function zodIssues(raw: unknown, error: z.ZodError, base: PropertyKey[] = []): ConfigIssue[] {
    return error.issues.map((i) => {
        const issue = { ...i, path: [...base, ...i.path] } as typeof i;
        if (issue.code === "unrecognized_keys") {
            const keys = issue.keys.map((k) => keyOf([...issue.path, k]));
            return {
                key: at(keys, 0, "unrecognized keys"),
                message: `unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}; remove ${keys.length > 1 ? "them" : "it"} or check the spelling against the configuration table in README.md.`,
            };
        }
        const value = valueAt(raw, issue.path);
        let message = issue.message;
        if (issue.code === "invalid_type" && value === undefined) message = "is required";
        else if (issue.code === "invalid_type")
            message = `must be ${issue.expected === "int" ? "an integer" : `a${/^[aeiou]/.test(issue.expected) ? "n" : ""} ${issue.expected}`}`;
        return { key: keyOf(issue.path), message: `${message}; received ${show(value)}.` };
    });
}

/** Formats issues one per line, for the CLI and the Pulumi error log. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
    return (
        `Invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${i.key}: ${i.message}`).join("\n")
    );
}

/** Thrown for invalid config; `pulumi.RunError` so the CLI shows the message without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(formatIssues(issues));
        this.name = "ConfigError";
    }
}

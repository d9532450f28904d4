/**
 * Renders this repository the way `pulumi new <repo-url> --name <project> --stack <stack>` does,
 * without the Pulumi CLI, so a test can plan the result. Each step names the Go function it
 * follows (pulumi/pulumi at 1b5949891b3c, 2026-08-21):
 *
 * 1. copy: pkg/cmd/pulumi/templates/project_templates.go `CopyTemplateFiles`/`walkFiles`: every
 *    file but the `.git` folder and `.pulumi.template.yaml`; in text files (no NUL byte in the
 *    first 8000) `transform` replaces the project placeholder by the project name and the
 *    description placeholder by the description, YAML-quoted in `*.yaml` files (`toYAMLString`);
 *    file names get the project name too.
 * 2. project: pkg/cmd/pulumi/project/newcmd/new.go (after CopyTemplateFiles): `name` set, the
 *    description set when given, `template` removed, `pulumi:tags` gains `pulumi:template: <url>`
 *    (`Project.AddConfigStackTags`, URL without credentials or query: `sanitizeTemplate`).
 * 3. config: newcmd/config.go `resolveTemplateConfig` (a key without a colon is the project's:
 *    `ParseConfigKeyForProject(..., path=false)`; the answer, else the template default),
 *    `encryptTemplateConfig` (empty answers are not written; each is one plain string) and
 *    `SaveConfig` (`maps.Copy` into Pulumi.<stack>.yaml, which the copy may already hold).
 *
 * Differences that do not change meaning: the CLI re-marshals Pulumi.yaml and the stack file
 * (dropping comments); this edits them as YAML documents and keeps the comments. Secret answers
 * (`secret: true`) are refused: this template has none and only the CLI can encrypt.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, parseDocument, stringify } from "yaml";

// Built from parts so that `pulumi new` does not rewrite this file's own text.
const PROJECT_PLACEHOLDER = "$" + "{PROJECT}";
const DESCRIPTION_PLACEHOLDER = "$" + "{DESCRIPTION}";

/** One `template.config` entry of Pulumi.yaml. */
export interface TemplateConfigValue {
    readonly description?: string;
    readonly default?: unknown;
    readonly secret?: boolean;
}

export interface RenderOptions {
    /** The template: a checkout of this repository. */
    readonly source: string;
    /** Empty or missing folder to render into. */
    readonly dest: string;
    /** `--name`. */
    readonly projectName: string;
    /** `--description`; empty takes the template project's description. */
    readonly description?: string;
    /** The URL given to `pulumi new` (recorded as the `pulumi:template` tag). */
    readonly templateUrl: string;
    /** `--stack`. */
    readonly stack: string;
    /** Answers to the template's prompts by template key; a key left out takes the default. */
    readonly answers: Readonly<Record<string, string>>;
}

/**
 * Files a clone of the repository holds: tracked files plus new, not ignored ones (so a test sees
 * uncommitted work), read from the working tree.
 */
export function templateFiles(source: string): string[] {
    const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: source, encoding: "utf8" });
    return [...new Set(out.split("\0").filter((f) => f !== ""))]
        .filter((f) => fs.existsSync(path.join(source, f)) && !fs.lstatSync(path.join(source, f)).isDirectory())
        .filter((f) => !f.split("/").includes(".git") && path.basename(f) !== ".pulumi.template.yaml")
        .sort();
}

/** `isBinary`: a NUL byte in the first 8000 bytes, as git decides. */
export function isBinary(bytes: Buffer): boolean {
    return bytes.subarray(0, 8000).includes(0);
}

/** `toYAMLString`: the value as a YAML scalar document (with its newline, as yaml.v3 writes it). */
function toYamlString(value: string): string {
    return stringify(value);
}

/** `transform`: the two placeholders replaced, nothing else. */
export function transform(content: string, projectName: string, description: string): string {
    return content.split(PROJECT_PLACEHOLDER).join(projectName).split(DESCRIPTION_PLACEHOLDER).join(description);
}

/** Step 1: copies the template's files with the placeholders replaced. */
export function copyTemplateFiles(source: string, dest: string, projectName: string, description: string): string[] {
    const written: string[] = [];
    for (const rel of templateFiles(source)) {
        const from = path.join(source, rel);
        const to = transform(path.join(dest, rel), projectName, "");
        const bytes = fs.readFileSync(from);
        const yamlFile = from.endsWith(".yaml");
        const result = isBinary(bytes)
            ? bytes
            : Buffer.from(
                  transform(
                      bytes.toString("utf8"),
                      yamlFile ? toYamlString(projectName) : projectName,
                      yamlFile ? toYamlString(description) : description,
                  ),
              );
        fs.mkdirSync(path.dirname(to), { recursive: true });
        // At least 0600 and whatever the source had (keeps the executable bit).
        fs.writeFileSync(to, result, { flag: "wx", mode: (fs.statSync(from).mode & 0o777) | 0o600 });
        written.push(path.relative(dest, to));
    }
    return written;
}

/** `template.config` of a project file, before step 2 removes it. */
export function readTemplateConfig(dir: string): Record<string, TemplateConfigValue> {
    const doc = parseDocument(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toJS() as {
        template?: { config?: Record<string, TemplateConfigValue> };
    };
    return doc.template?.config ?? {};
}

/** `sanitizeTemplate`: credentials and query string removed from a URL. */
export function sanitizeTemplate(template: string): string {
    try {
        const url = new URL(template);
        url.username = "";
        url.password = "";
        url.search = "";
        return url.toString();
    } catch {
        return template;
    }
}

/** Step 2: the project file as `pulumi new` saves it. */
export function finishProject(dir: string, projectName: string, description: string, templateUrl: string): void {
    const file = path.join(dir, "Pulumi.yaml");
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    doc.set("name", projectName);
    if (description !== "") doc.set("description", description);
    doc.delete("template");
    const tags = doc.getIn(["config", "pulumi:tags", "value"]);
    const merged = { ...(isMap(tags) ? (tags.toJSON() as Record<string, string>) : {}), "pulumi:template": sanitizeTemplate(templateUrl) };
    doc.setIn(["config", "pulumi:tags"], doc.createNode({ value: merged }));
    fs.writeFileSync(file, doc.toString());
}

/** Step 3a: the config map `pulumi new` saves: full key -> plain string. */
export function resolveTemplateConfig(
    projectName: string,
    templateConfig: Readonly<Record<string, TemplateConfigValue>>,
    answers: Readonly<Record<string, string>>,
): Record<string, string> {
    for (const k of Object.keys(answers))
        if (!(k in templateConfig)) throw new Error(`${k} is not a template.config key (${Object.keys(templateConfig).join(", ")})`);
    const out: Record<string, string> = {};
    for (const [k, tcv] of Object.entries(templateConfig)) {
        if (tcv.secret) throw new Error(`${k}: secret template answers need the Pulumi CLI to encrypt them`);
        const key = k.includes(":") ? k : `${projectName}:${k}`;
        const fallback = tcv.default === undefined || tcv.default === null ? "" : String(tcv.default);
        const value = answers[k] ?? fallback;
        if (value !== "") out[key] = value;
    }
    return out;
}

/** Step 3b: `SaveConfig`: each key set (replaced) in Pulumi.<stack>.yaml, created if missing. */
export function saveConfig(dir: string, stack: string, config: Readonly<Record<string, string>>): string {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = parseDocument(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "config: {}\n");
    if (!isMap(doc.get("config"))) doc.set("config", doc.createNode({}));
    for (const [k, v] of Object.entries(config)) doc.setIn(["config", k], v);
    fs.writeFileSync(file, doc.toString());
    return file;
}

/** The three steps; returns the path of the new stack's file. */
export function renderTemplate(o: RenderOptions): string {
    if (fs.existsSync(o.dest) && fs.readdirSync(o.dest).length > 0)
        throw new Error(`${o.dest} is not empty (pulumi new would ask for --force)`);
    fs.mkdirSync(o.dest, { recursive: true });
    const templateConfig = readTemplateConfig(o.source);
    // pkg/workspace/templates.go `ValueOrDefaultProjectDescription`: the flag, else the template
    // project's own description unless it is the placeholder.
    const own = (parseDocument(fs.readFileSync(path.join(o.source, "Pulumi.yaml"), "utf8")).get("description") as string | undefined) ?? "";
    const description = o.description || (own !== DESCRIPTION_PLACEHOLDER ? own : "");
    copyTemplateFiles(o.source, o.dest, o.projectName, description);
    finishProject(o.dest, o.projectName, description, o.templateUrl);
    return saveConfig(o.dest, o.stack, resolveTemplateConfig(o.projectName, templateConfig, o.answers));
}

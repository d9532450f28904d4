/**
 * `pulumi new <repo-url>`: the template renders the way the CLI renders it (scripts/template.ts,
 * after pulumi/pulumi's CopyTemplateFiles, new.go and newcmd/config.go) into a temporary folder,
 * and the rendered project, renamed, plans offline with the answers in it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { cloudRunCanPull, formatIssues } from "../components/config";
import { foldDottedKeys } from "../components/config/answers";
import { readNamespace } from "../components/config/load";
import { parseStackConfig } from "../components/validate";
import { readStackFile } from "../scripts/offline";
import {
    isBinary,
    readTemplateConfig,
    renderTemplate,
    resolveTemplateConfig,
    sanitizeTemplate,
    templateFiles,
    transform,
} from "../scripts/template";
import { planCli, type CliResult } from "./support";

const ROOT = path.resolve(__dirname, "..");
const URL_ = "https://github.com/acme/multicloud-backend";
const NEW_NAME = "acme-edge";

/** What every user must supply, by template key (the prompts of `pulumi new`). */
const ANSWERS = {
    "backend:environment": "edge-stg",
    "backend:gcpProject": "acme-edge-stg-417",
    "backend:cloudflare.accountId": "aaaabbbbccccddddeeeeffff00001111",
    "backend:cloudflare.zoneId": "1111ffffeeeeddddccccbbbbaaaa0000",
    "backend:cloudflare.hostname": "edge.acme-test.dev",
    "backend:app.image": "europe-docker.pkg.dev/acme-edge/api/api:2.3.1",
} as const;

/** The offline plan run from inside a rendered project (its own copy of the program). */
async function planIn(dir: string, ...args: string[]): Promise<CliResult> {
    return planCli(args, { cwd: dir });
}

/** Renders into a fresh temporary folder and links node_modules in (what `npm ci` would install). */
function render(stack: string, answers: Record<string, string>): { dir: string; stackFile: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-new-"));
    const stackFile = renderTemplate({ source: ROOT, dest: dir, projectName: NEW_NAME, templateUrl: URL_, stack, answers });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(dir, "node_modules"), "dir");
    return { dir, stackFile };
}

const yamlOf = (file: string) => parseYaml(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
const cleanup: string[] = [];
after(() => cleanup.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("pulumi new: the template block", function () {
    const template = readTemplateConfig(ROOT);

    it("asks for exactly what every user must supply, each with a description, nothing secret", () => {
        assert.deepEqual(Object.keys(template).sort(), Object.keys(ANSWERS).sort());
        for (const [k, v] of Object.entries(template)) {
            assert.ok((v.description ?? "").length > 20, `${k} has no useful description`);
            assert.notEqual(v.secret, true, `${k}: a secret answer would need the CLI to encrypt it`);
            assert.deepEqual(
                Object.keys(v).filter((f) => !["description", "default", "secret"].includes(f)),
                [],
                `${k}: unknown field`,
            );
        }
    });

    it("keeps every key in the fixed backend namespace, whatever the project is called", () => {
        // A key without a colon would land in the project's namespace (config.go
        // resolveTemplateConfig), which `pulumi new --name` changes.
        for (const k of Object.keys(template)) assert.match(k, /^backend:/);
        const resolved = resolveTemplateConfig("any-name", { ...template, plain: { description: "x" } }, { plain: "v" });
        assert.equal(resolved["any-name:plain"], "v");
        assert.equal(resolved["backend:app.image"], template["backend:app.image"]?.default);
    });

    it("gives defaults that pass the program's own validation", () => {
        const staging = yamlOf(path.join(ROOT, "Pulumi.staging.yaml")).config as Record<string, unknown>;
        const all = Object.fromEntries(Object.entries(staging).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        for (const [k, v] of Object.entries(template))
            if (v.default !== undefined) {
                const result = parseStackConfig({ ...all, [k]: String(v.default) });
                assert.ok(result.ok, `default of ${k}: ${result.ok ? "" : JSON.stringify(result.issues)}`);
            }
    });

    it("accepts Artifact Registry images (<location>-docker.pkg.dev), the default's registry, and no look-alike", () => {
        // cloud.google.com/artifact-registry/docs/docker/names: LOCATION-docker.pkg.dev/PROJECT-ID/REPOSITORY/IMAGE
        for (const ok of [
            "us-docker.pkg.dev/cloudrun/container/hello",
            "europe-west1-docker.pkg.dev/p/r/i:1",
            "gcr.io/p/i",
            "docker.io/a/b",
        ])
            assert.equal(cloudRunCanPull(ok), true, ok);
        for (const bad of [
            "docker.pkg.dev.example.com/p/i",
            "ghcr.io/a/b",
            "123.dkr.ecr.us-east-1.amazonaws.com/a:1",
            "-docker.pkg.dev/p/r/i",
        ])
            assert.equal(cloudRunCanPull(bad), false, bad);
    });

    it("leaves an unanswered key without a default out of the stack file, as the CLI does", () => {
        const resolved = resolveTemplateConfig(NEW_NAME, template, {});
        assert.deepEqual(Object.keys(resolved), ["backend:app.image"]);
    });
});

describe("pulumi new: the shipped stack files", function () {
    /** Every `secure:` value in a parsed YAML tree, by path. */
    function secureValues(node: unknown, at: string): string[] {
        if (Array.isArray(node)) return node.flatMap((n, i) => secureValues(n, `${at}[${i}]`));
        if (node && typeof node === "object")
            return Object.entries(node).flatMap(([k, v]) => (k === "secure" ? [at] : secureValues(v, `${at}.${k}`)));
        return [];
    }
    const stackFiles = fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

    it("ships prod and staging", () => assert.deepEqual(stackFiles.sort(), ["Pulumi.prod.yaml", "Pulumi.staging.yaml"]));
    for (const f of stackFiles)
        it(`${f} holds no secure: value (ciphertext of the author's stack, which no copy can decrypt)`, () => {
            assert.deepEqual(secureValues(yamlOf(path.join(ROOT, f)), f), []);
        });
    it("the check finds a secure: value", () => {
        assert.deepEqual(secureValues(parseYaml("config:\n  backend:cloudflareApiToken:\n    secure: AAAB\n"), "x"), [
            "x.config.backend:cloudflareApiToken",
        ]);
    });
});

describe("pulumi new: the renderer follows the CLI", function () {
    it("replaces both placeholders and nothing else (transform)", () => {
        const p = "$" + "{PROJECT}";
        const d = "$" + "{DESCRIPTION}";
        assert.equal(transform(`name: ${p}\n# ${d} ${p}\n$` + "{{ x }}", "acme", "Edge"), "name: acme\n# Edge acme\n${{ x }}");
    });
    it("copies binary files untouched (a NUL byte in the first 8000)", () => {
        assert.equal(isBinary(Buffer.from("a\0b")), true);
        assert.equal(isBinary(Buffer.concat([Buffer.alloc(8000, 97), Buffer.from([0])])), false);
    });
    it("drops credentials and the query from the recorded template URL (sanitizeTemplate)", () => {
        assert.equal(sanitizeTemplate("https://user:tok@github.com/acme/x?ref=1"), "https://github.com/acme/x");
    });
    it("takes what a clone holds: no node_modules, no .git", () => {
        const files = templateFiles(ROOT);
        assert.ok(files.includes("Pulumi.yaml") && files.includes("index.ts"));
        assert.ok(!files.some((f) => f.startsWith("node_modules/") || f.startsWith(".git/")));
    });
});

describe("pulumi new --name acme-edge --stack staging: rendered and planned", function () {
    this.timeout(180_000);
    let dir: string;
    let stackFile: string;
    let planned: CliResult;

    before(async function () {
        ({ dir, stackFile } = render("staging", { ...ANSWERS }));
        cleanup.push(dir);
        planned = await planIn(dir, "--stack", "staging", "--json");
    });

    it("renames the project, drops the template block and records the template URL", () => {
        const proj = yamlOf(path.join(dir, "Pulumi.yaml"));
        assert.equal(proj.name, NEW_NAME);
        assert.equal(proj.template, undefined);
        assert.deepEqual((proj.config as Record<string, { value: unknown }>)["pulumi:tags"]?.value, { "pulumi:template": URL_ });
        assert.deepEqual(
            (proj.config as Record<string, unknown>)["pulumi:disable-default-providers"],
            yamlOf(path.join(ROOT, "Pulumi.yaml")).config &&
                (yamlOf(path.join(ROOT, "Pulumi.yaml")).config as Record<string, unknown>)["pulumi:disable-default-providers"],
        );
    });

    it("copies every other file byte for byte", () => {
        for (const f of templateFiles(ROOT).filter((f) => !["Pulumi.yaml", "Pulumi.staging.yaml"].includes(f)))
            assert.ok(fs.readFileSync(path.join(ROOT, f)).equals(fs.readFileSync(path.join(dir, f))), `${f} differs`);
    });

    it("writes each answer as one flat backend: key and keeps the shipped topology", () => {
        const config = yamlOf(stackFile).config as Record<string, unknown>;
        for (const [k, v] of Object.entries(ANSWERS)) assert.equal(config[k], v);
        assert.ok(Array.isArray(config["backend:regions"]) && Array.isArray(config["backend:domains"]));
    });

    it("plans with exit 0, under the new project name, with the answers in the plan", () => {
        assert.equal(planned.code, 0, planned.stderr);
        const doc = JSON.parse(planned.stdout) as { project: string; environment: string; resources: { urn: string }[] };
        assert.equal(doc.project, NEW_NAME);
        assert.equal(doc.environment, ANSWERS["backend:environment"]);
        assert.ok(doc.resources.every((r) => r.urn.startsWith(`urn:pulumi:staging::${NEW_NAME}::`)));
        // The old values are gone: the answers override the shipped file's fields.
        assert.ok(!planned.stdout.includes("api-staging.example.com") && !planned.stdout.includes("acme-backend-staging"));
        for (const k of [
            "backend:gcpProject",
            "backend:cloudflare.accountId",
            "backend:cloudflare.zoneId",
            "backend:cloudflare.hostname",
            "backend:app.image",
        ] as const)
            assert.ok(planned.stdout.includes(`"${ANSWERS[k]}"`), `${k} = ${ANSWERS[k]} is not in the plan`);
    });
});

describe("pulumi new: missing and bad answers are config errors naming the key", function () {
    this.timeout(180_000);

    /** The config errors the plan prints before exit 2: its own first step, in this process. */
    function configErrors(dir: string, stack: string): string {
        const result = parseStackConfig(readStackFile(stack, dir).config);
        assert.equal(result.ok, false);
        return result.ok ? "" : formatIssues(result.issues);
    }

    it("a new stack name gets only the answers, so the plan names the topology keys to add", () => {
        const { dir } = render("dev", { ...ANSWERS });
        cleanup.push(dir);
        const errors = configErrors(dir, "dev");
        assert.match(errors, /backend:domains/);
        assert.match(errors, /backend:regions/);
        assert.doesNotMatch(errors, /backend:cloudflare|backend:app|backend:environment/);
    });

    it("a missing answer on a new stack names its key", () => {
        const rest: Record<string, string> = { ...ANSWERS };
        delete rest["backend:cloudflare.hostname"];
        const { dir } = render("dev", rest);
        cleanup.push(dir);
        assert.match(configErrors(dir, "dev"), /backend:cloudflare\.hostname/);
    });

    it("a bad answer stops the plan CLI with exit 2, naming its key and the value received", async () => {
        const { dir } = render("staging", { ...ANSWERS, "backend:cloudflare.hostname": "Edge Host" });
        cleanup.push(dir);
        const r = await planIn(dir, "--stack", "staging", "--skip-policies");
        assert.equal(r.code, 2);
        assert.match(r.stderr, /backend:cloudflare\.hostname.*"Edge Host"/);
    });
});

describe("template answers: flat dotted keys folded into the structured config", function () {
    it("an answer overrides the same field of the stack file's object and keeps its siblings", () => {
        const { raw, issues } = readNamespace({
            "backend:cloudflare": JSON.stringify({ hostname: "old.example.com", plan: "business" }),
            "backend:cloudflare.hostname": "new.example.com",
        });
        assert.deepEqual(issues, []);
        assert.deepEqual(raw.cloudflare, { hostname: "new.example.com", plan: "business" });
    });

    it("an answer without the object creates it", () => {
        assert.deepEqual(readNamespace({ "backend:app.image": "docker.io/a/b:1" }).raw, { app: { image: "docker.io/a/b:1" } });
    });

    it("a dotted key under an unknown or secret key is an unknown key", () => {
        const { issues } = readNamespace({ "backend:cloudflar.hostname": "x.example.com", "backend:cloudflareApiToken.x": "y" });
        assert.deepEqual(issues.map((i) => i.key).sort(), ["backend:cloudflar.hostname", "backend:cloudflareApiToken.x"]);
    });

    it("a field of a value that is not an object is reported under the answered key", () => {
        const raw: Record<string, unknown> = { app: "docker.io/a/b:1" };
        const issues = foldDottedKeys(raw, [{ key: "app.image", value: "x" }]);
        assert.deepEqual(
            issues.map((i) => i.key),
            ["backend:app.image"],
        );
        assert.equal(raw.app, "docker.io/a/b:1");
    });

    it("an empty path segment is reported", () => {
        assert.deepEqual(
            foldDottedKeys({}, [{ key: "app..image", value: "x" }]).map((i) => i.key),
            ["backend:app..image"],
        );
    });
});

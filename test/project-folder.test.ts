/**
 * One project folder for the program, the offline plan and `npm run wave`: a project made by
 * `pulumi new` (rendered as scripts/template.ts renders it) and planned from this repository with
 * `--root <dir>` has its deployed record and its migrations read from <dir>, as `pulumi preview`
 * run in <dir> reads them (components/project.ts).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseDocument, type Document } from "yaml";
import { ConfigError } from "../components/config";
import { projectDir } from "../components/project";
import { projectFolder, readStackFile, ROOT, runProgram, userPath } from "../scripts/offline";
import type { PlanDocument } from "../scripts/plan";
import { renderTemplate } from "../scripts/template";
import { planCli, type CliResult } from "./support";

/** Index of `{ cloud: aws, region: us-west-2, domain: us }` in Pulumi.prod.yaml's backend:regions. */
const REMOVED = 2;

/** `pulumi new --name acme-edge --stack <stack>` into a fresh temporary folder; the stack file keeps its values. */
function render(stack: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "project-folder-"));
    renderTemplate({ source: ROOT, dest: dir, projectName: "acme-edge", templateUrl: "https://github.com/acme/x", stack, answers: {} });
    return dir;
}

/** `npm run wave -- <args>` from this repository, in a child process. */
async function wave(args: readonly string[]): Promise<CliResult> {
    try {
        const { stdout, stderr } = await promisify(execFile)(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/wave.ts", ...args],
            {
                cwd: ROOT,
            },
        );
        return { code: 0, stdout, stderr };
    } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
}

/** Edits the folder's stack file as a YAML document (comments kept). */
function editStack(dir: string, stack: string, edit: (doc: Document) => void): void {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    edit(doc);
    fs.writeFileSync(file, doc.toString());
}

/**
 * Removes aws-us-west-2 from backend:regions, with gcp-us-west1 in its place: survival goal
 * "region" needs three regions in domain us (a config error that would stop the plan first).
 */
function removeRegion(doc: Document): void {
    assert.equal(doc.getIn(["config", "backend:regions", REMOVED, "region"]), "us-west-2");
    doc.setIn(["config", "backend:regions", REMOVED], doc.createNode({ cloud: "gcp", region: "us-west1", domain: "us" }));
}

describe("project folder: the program's working directory", () => {
    it("is the project folder when it holds the project file (Pulumi.yaml or .yml), and refused otherwise", () => {
        assert.equal(projectDir(ROOT), ROOT);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "project-folder-"));
        try {
            assert.throws(
                () => projectDir(dir),
                (e: unknown) => e instanceof Error && e.message.includes(`runs in ${dir}, which holds no Pulumi.yaml`),
            );
            fs.writeFileSync(path.join(dir, "Pulumi.yml"), "name: x\n");
            assert.equal(projectDir(dir), dir);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("resolves a path the user typed (--root, --policy-pack-config) from where npm run was typed (INIT_CWD)", () => {
        const saved = process.env.INIT_CWD;
        try {
            process.env.INIT_CWD = "/home/user/fork/policies";
            assert.equal(userPath("config.json"), "/home/user/fork/policies/config.json");
            assert.equal(projectFolder("../stacks"), "/home/user/fork/stacks");
            assert.equal(userPath("/abs/config.json"), "/abs/config.json");
            delete process.env.INIT_CWD;
            assert.equal(userPath("config.json"), path.join(process.cwd(), "config.json"));
        } finally {
            if (saved === undefined) delete process.env.INIT_CWD;
            else process.env.INIT_CWD = saved;
        }
    });
});

describe("project folder: the deployed record of a --root folder", function () {
    this.timeout(240_000);
    let dir: string;
    let shipped: string;
    const repoRecord = path.join(ROOT, "deployed", "prod.json");
    const repoRecordBefore = fs.existsSync(repoRecord) ? fs.readFileSync(repoRecord, "utf8") : undefined;

    before(async () => {
        dir = render("prod");
        shipped = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        const recorded = await wave(["--stack", "prod", "--root", dir, "--record"]);
        assert.equal(recorded.code, 0, recorded.stderr);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    beforeEach(() => fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), shipped));

    it("npm run wave -- --root <dir> --record writes <dir>/deployed/prod.json, not this repository's", () => {
        const record = JSON.parse(fs.readFileSync(path.join(dir, "deployed", "prod.json"), "utf8")) as {
            stack: string;
            config: { regions: unknown[] };
        };
        assert.equal(record.stack, "prod");
        assert.equal(record.config.regions.length, 6);
        assert.equal(fs.existsSync(repoRecord) ? fs.readFileSync(repoRecord, "utf8") : undefined, repoRecordBefore);
    });

    it("a second --record of the same deployment leaves the file byte for byte (the deploy workflow then opens no pull request)", async () => {
        const file = path.join(dir, "deployed", "prod.json");
        const before = fs.readFileSync(file, "utf8");
        const again = await wave(["--stack", "prod", "--root", dir, "--record"]);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /already records this deployment: left unchanged/);
        assert.equal(fs.readFileSync(file, "utf8"), before);
    });

    it("the plan with --root <dir> refuses removing a recorded region, naming it and backend:acknowledge.removeRegions (exit 2)", async () => {
        editStack(dir, "prod", removeRegion);
        const r = await planCli(["--stack", "prod", "--root", dir, "--json", "--skip-policies"]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /backend:regions: removes region aws-us-west-2 of domain us, deployed per deployed\/prod\.json/);
        assert.match(r.stderr, /add "aws-us-west-2" to backend:acknowledge\.removeRegions/);
    });

    it("the plan with --root <dir> goes ahead once acknowledged and reports the change against <dir>'s record", async () => {
        editStack(dir, "prod", (doc) => {
            removeRegion(doc);
            doc.setIn(["config", "backend:acknowledge"], doc.createNode({ removeRegions: ["aws-us-west-2"] }));
            // Dropping a region is a destructive database step, allowed for this update.
            doc.setIn(["config", "backend:database", "allowDestructive"], doc.createNode({ dropRegion: true }));
        });
        const r = await planCli(["--stack", "prod", "--root", dir, "--json", "--skip-policies"]);
        assert.equal(r.code, 0, r.stderr);
        const { changes } = JSON.parse(r.stdout) as PlanDocument;
        assert.equal(changes.record?.file, path.join("deployed", "prod.json"));
        assert.deepEqual(
            changes.unsafe.map((u) => [u.region, u.ackKey, u.acknowledged]),
            [["aws-us-west-2", "backend:acknowledge.removeRegions", true]],
        );
        assert.deepEqual(changes.issues, []);
    });
});

describe("project folder: the migrations of a --root folder", function () {
    this.timeout(240_000);
    let dir: string;
    const extra = "0003_nickname.sql";

    before(() => {
        dir = render("staging");
        fs.writeFileSync(path.join(dir, "db", extra), "ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname STRING;\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    afterEach(() => fs.rmSync(path.join(dir, "db", "0004_bad.sql"), { force: true }));

    it("the plan's database statements come from <dir>/db", async () => {
        const r = await planCli(["--stack", "staging", "--root", dir, "--json", "--skip-policies"]);
        assert.equal(r.code, 0, r.stderr);
        const doc = JSON.parse(r.stdout) as PlanDocument;
        assert.ok(
            doc.database.statements.some((s) => s.includes("nickname")),
            "the plan did not read the folder's own migration",
        );
    });

    it("a migration of <dir>/db that breaks the rules stops the plan (exit 2) naming backend:database.migrationsDir and the file", async () => {
        fs.writeFileSync(path.join(dir, "db", "0004_bad.sql"), "-- copied from aws-us-east-1\nSELECT 1;\n");
        const r = await planCli(["--stack", "staging", "--root", dir, "--json", "--skip-policies"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /backend:database\.migrationsDir: 0004_bad\.sql:1 mentions region "aws-us-east-1"/);
    });

    it("npm run wave -- --record refuses the same migration (exit 2, naming the key and the file) and records nothing", async () => {
        fs.writeFileSync(path.join(dir, "db", "0004_bad.sql"), "-- copied from aws-us-east-1\nSELECT 1;\n");
        const r = await wave(["--stack", "staging", "--root", dir, "--record"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /backend:database\.migrationsDir: 0004_bad\.sql:1 mentions region "aws-us-east-1"/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace for a user mistake");
        assert.equal(fs.existsSync(path.join(dir, "deployed", "staging.json")), false);
    });

    it("the program reads them from its working directory: run with <dir>'s stack file, it refuses the same file", async () => {
        fs.writeFileSync(path.join(dir, "db", "0004_bad.sql"), "-- copied from aws-us-east-1\nSELECT 1;\n");
        const cwd = process.cwd();
        await assert.rejects(
            runProgram(readStackFile("staging", dir), undefined, { restore: true }),
            (e: unknown) => e instanceof ConfigError && /0004_bad\.sql:1 mentions region/.test(e.message),
        );
        assert.equal(process.cwd(), cwd, "the harness puts the working directory back");
    });
});

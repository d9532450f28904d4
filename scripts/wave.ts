/**
 * Region waves and the deployed record: `npm run wave -- --stack <name> [action]`.
 *
 *   (no action)                      the waves and the update against deployed/<stack>.json
 *   --canary <image> --regions a,b   start (or change) a canary: those regions run <image>
 *   --promote                        every region runs the canary image (app.image := canary.image)
 *   --abort                          drop the canary: every region back on app.image
 *   --record                         after a successful `pulumi up`: write deployed/<stack>.json
 *
 * The edits rewrite `backend:app` in Pulumi.<stack>.yaml (comments kept) and are validated like the
 * program validates them before the file is written. Nothing here talks to a cloud: the script
 * prints the commands to run next. Exit 0 when the update may go ahead, 2 when config (or the
 * update against the record) is refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseDocument } from "yaml";
import { loadMigrations } from "../components/cockroach/validate";
import { recordOf, renderChanges, updateReport, writeRecord } from "../components/changes";
import { ConfigError, formatIssues, readNamespace } from "../components/config";
import { planTopology } from "../components/topology";
import { parseStackConfig } from "../components/validate";
import { renderWaves, wavePlan } from "../components/waves";
import { projectFolder, readStackFile } from "./offline";

export type WaveAction = { kind: "canary"; image: string; regions: string[] } | { kind: "promote" } | { kind: "abort" };

/** The stack file's text with `backend:app` changed by `action`; comments and layout elsewhere kept. Pure. */
export function editStackFile(text: string, action: WaveAction): string {
    const doc = parseDocument(text);
    const app = ["config", "backend:app"];
    // `pulumi new` writes answers as flat keys (`backend:app.image`), which the program reads over
    // the `backend:app` map (components/config/answers.ts). Fold them in first, so an edit of the
    // map is what the program reads.
    const config = doc.get("config", true) as { items?: { key: unknown }[] } | undefined;
    for (const item of [...(config?.items ?? [])]) {
        const key = String((item.key as { value?: unknown })?.value ?? item.key);
        const flat = /^backend:app\.(.+)$/.exec(key)?.[1];
        if (!flat) continue;
        const value = doc.getIn(["config", key], true);
        doc.deleteIn(["config", key]);
        doc.setIn([...app, ...flat.split(".")], value);
    }
    const canary = doc.getIn([...app, "canary"], false) as { toJSON(): { image?: string } } | undefined;
    switch (action.kind) {
        case "canary":
            doc.setIn([...app, "canary"], doc.createNode({ image: action.image, regions: action.regions }));
            break;
        case "promote": {
            const image = canary?.toJSON().image;
            if (!image) throw new Error("backend:app.canary is not set: there is nothing to promote.");
            doc.setIn([...app, "image"], image);
            doc.deleteIn([...app, "canary"]);
            break;
        }
        case "abort":
            if (!canary) throw new Error("backend:app.canary is not set: there is nothing to abort.");
            doc.deleteIn([...app, "canary"]);
            break;
    }
    return doc.toString();
}

/** What to run and watch after a wave edit. */
export function nextSteps(stack: string, action: WaveAction | undefined): string[] {
    const steps = [
        `pulumi preview --stack ${stack} --policy-pack policies   # only the app tiers of the wave's regions change`,
        `pulumi up --stack ${stack} --policy-pack policies`,
        `npm run wave -- --stack ${stack} --record && git add deployed/${stack}.json Pulumi.${stack}.yaml && git commit`,
    ];
    if (action?.kind === "canary" || action?.kind === "promote")
        steps.push(
            "then watch, before the next wave: the Cloudflare pools of the wave's regions stay healthy (Traffic > Load Balancing > pools, health events);",
            "  the app's error rate and latency per region (ALB 5xx and TargetResponseTime in CloudWatch, Cloud Run request count by response class);",
            "  the CockroachDB DB Console of a node (Metrics > SQL: statement errors, P99 latency; Jobs: no failed schema change).",
        );
    return steps;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string", short: "s" },
            canary: { type: "string" },
            regions: { type: "string" },
            promote: { type: "boolean", default: false },
            abort: { type: "boolean", default: false },
            record: { type: "boolean", default: false },
            root: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
        strict: true,
    });
    const usage =
        "usage: npm run wave -- --stack <name> [--canary <image> --regions <r1,r2> | --promote | --abort | --record] [--root <project folder>]";
    if (values.help) {
        process.stdout.write(usage + "\n");
        return 0;
    }
    if (!values.stack) throw new UsageError("--stack is required");
    const actions = [values.canary !== undefined, values.promote, values.abort, values.record].filter(Boolean).length;
    if (actions > 1) throw new UsageError("give one of --canary, --promote, --abort, --record");
    if ((values.canary === undefined) !== (values.regions === undefined)) throw new UsageError("--canary and --regions go together");
    const root = projectFolder(values.root);
    const stack = values.stack;
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    let action: WaveAction | undefined;
    if (values.canary !== undefined)
        action = { kind: "canary", image: values.canary, regions: (values.regions ?? "").split(",").filter(Boolean) };
    else if (values.promote) action = { kind: "promote" };
    else if (values.abort) action = { kind: "abort" };

    let edited: string | undefined;
    if (action) {
        try {
            edited = editStackFile(fs.readFileSync(file, "utf8"), action);
        } catch (e) {
            throw new UsageError((e as Error).message);
        }
    }
    // Validate what the file would hold, as the program does, before writing it.
    const config = edited === undefined ? readStackFile(stack, root).config : configOf(edited, stack, root);
    const parsed = parseStackConfig(config);
    if (!parsed.ok) {
        process.stderr.write(`Pulumi.${stack}.yaml${edited ? " (not written)" : ""}: ${formatIssues(parsed.issues)}\n`);
        return 2;
    }
    // The migrations as the program reads and checks them: nothing it would refuse gets recorded.
    let migrations;
    try {
        migrations = loadMigrations(parsed.config, root, planTopology(parsed.config));
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        process.stderr.write(`Pulumi.${stack}.yaml${edited ? " (not written)" : ""}: ${e.message}\n`);
        return 2;
    }
    if (values.record) {
        const { file: written, written: changed } = writeRecord(root, recordOf(stack, readNamespace(config).raw, migrations, new Date()));
        const where = path.relative(process.cwd(), written);
        process.stdout.write(
            changed
                ? `recorded ${where}: commit it with Pulumi.${stack}.yaml.\n`
                : `${where} already records this deployment: left unchanged.\n`,
        );
        return 0;
    }
    const report = updateReport(root, stack, parsed.config, migrations);
    if (report.issues.length > 0) {
        process.stderr.write(`Pulumi.${stack}.yaml${edited ? " (not written)" : ""}: ${formatIssues(report.issues)}\n`);
        return 2;
    }
    if (edited !== undefined) fs.writeFileSync(file, edited);
    process.stdout.write(
        [
            renderWaves(wavePlan(parsed.config)),
            "",
            renderChanges(report),
            "",
            "Next:",
            ...nextSteps(stack, action).map((s) => `  ${s}`),
        ].join("\n") + "\n",
    );
    return 0;
}

/** The config map of a stack file's text, read as the CLI hands it to the program. */
function configOf(text: string, stack: string, root: string): Record<string, string> {
    const tmp = fs.mkdtempSync(path.join(root, ".wave-"));
    try {
        fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(tmp, "Pulumi.yaml"));
        fs.writeFileSync(path.join(tmp, `Pulumi.${stack}.yaml`), text);
        return readStackFile(stack, tmp).config;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: unknown) => {
            if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
                process.stderr.write(`wave: ${(err as Error).message}\n`);
                process.exit(2);
            }
            process.stderr.write(`wave failed: ${(err as Error).stack ?? String(err)}\n`);
            process.exit(1);
        },
    );
}

/**
 * Benchmark: `npm run bench [-- --runs 3 --no-suite]`.
 *
 * Measures side by side in one run (interleaved rounds, medians), each in its own process:
 *   - loading the four provider SDKs (@pulumi/pulumi, aws, gcp, cloudflare) with plain Node;
 *   - the offline plan of prod as `npm run plan -- --json` runs it (policy pack included), and
 *     with `--skip-policies`: the difference is what the pack adds; and with the pack configured
 *     `{"all": "disabled"}` (`--policy-pack-config`): what the analyzer path alone adds (the
 *     pack's process, `configure`, every `analyze` and `analyzeStack`), which any pack pays;
 *   - the offline plan (`--skip-policies`) of generated environments of 2, 6, 12 and 24 regions over
 *     both clouds and both domains (scripts/harness/generated.ts; 24 regions with the raised
 *     quotas config asks for);
 *   - the start-up of `pulumi up`'s language host (@pulumi/pulumi/cmd/run) as Pulumi.yaml
 *     configures it (tsconfig.deploy.json) and on Pulumi's default path (tsconfig.json: ts-node
 *     type-checks), until the program registers its first resource (scripts/harness/hostStart.js);
 * then the test suite once. Every figure is printed with "within" or "OVER" its target (issue 10:
 * the pack adds <= 1 s; issue 12 "Speed targets"). Absolute times on a shared machine are noisy;
 * the ratios, measured in the same rounds, are the result.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import Table from "cli-table3";
import { at } from "../components/collections";
import { writeGeneratedStack } from "./harness/generated";
import { readStackFile, ROOT } from "./offline";

interface Sample {
    wallMs: number;
    peakMb: number;
    stdout: string;
}

interface Mode {
    readonly key: string;
    readonly name: string;
    readonly args: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    /** The child's own figure (`host-start-ms=`) instead of the wall time seen from here. */
    readonly ownTime?: boolean;
    /** Exit codes that still give a valid measurement (the plan exits 3 on a mandatory violation). */
    readonly okCodes?: readonly number[];
}

/** Runs a command; the child reports its own peak RSS (`peak-rss-kb=`) on stderr. */
function measure(mode: Mode): Promise<Sample> {
    return new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const child = spawn(process.execPath, [...mode.args], { cwd: ROOT, env: { ...process.env, PLAN_REPORT_USAGE: "1", ...mode.env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => {
            const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
            if (!(mode.okCodes ?? [0]).includes(code ?? -1))
                return reject(new Error(`${mode.name} (${mode.args.join(" ")}) exited ${code}:\n${stderr.slice(-4000)}`));
            const peak = /peak-rss-kb=(\d+)/.exec(stderr);
            const own = /host-start-ms=(\d+)/.exec(stderr);
            if (mode.ownTime && !own) return reject(new Error(`${mode.name} reported no start-up time:\n${stderr.slice(-4000)}`));
            resolve({ wallMs: mode.ownTime && own ? Number(own[1]) : wallMs, peakMb: peak ? Number(peak[1]) / 1024 : NaN, stdout });
        });
    });
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    if (s.length === 0) return NaN; // --runs 0
    const mid = (i: number) => at(s, i, "samples");
    return s.length % 2 ? mid((s.length - 1) / 2) : (mid(s.length / 2 - 1) + mid(s.length / 2)) / 2;
}

const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp", "@pulumi/cloudflare"];
const REGION_COUNTS = [2, 6, 12, 24];

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            runs: { type: "string", default: "3" },
            "no-suite": { type: "boolean", default: false },
        },
    });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of rounds such as 3; got "${values.runs}".`);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    try {
        const plan = (stack: string, ...extra: string[]) => [
            "-r",
            "./scripts/register.js",
            "scripts/plan.ts",
            "--stack",
            stack,
            "--json",
            ...extra,
        ];
        const prod = readStackFile("prod");
        const noPolicies = path.join(dir, "all-disabled.json");
        fs.writeFileSync(noPolicies, JSON.stringify({ all: "disabled" }));
        // How pulumi-language-nodejs starts the host for `pulumi up` (see scripts/harness/hostStart.js).
        const host = (tsconfig: string | undefined): Pick<Mode, "args" | "env" | "ownTime"> => ({
            args: ["-r", "./scripts/harness/hostStart.js", "node_modules/@pulumi/pulumi/cmd/run", "--monitor", "127.0.0.1:1"].concat([
                "--project",
                prod.project,
                "--stack",
                prod.stack,
                "--pwd",
                ROOT,
                ".",
            ]),
            env: {
                PULUMI_CONFIG: JSON.stringify(prod.config),
                PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(prod.secretKeys),
                PULUMI_NODEJS_TYPESCRIPT: "true",
                ...(tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: tsconfig } : {}),
            },
            ownTime: true,
        });
        const deployTsconfig = /^\s*tsconfig:\s*(\S+)/m.exec(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"))?.[1];
        const modes: Mode[] = [
            {
                key: "sdk",
                name: "load the four provider SDKs",
                args: [
                    "-e",
                    `for (const m of ${JSON.stringify(SDKS)}) require(m); process.stderr.write("peak-rss-kb=" + process.resourceUsage().maxRSS + "\\n");`,
                ],
            },
            { key: "prod", name: "plan prod (npm run plan, policy pack)", args: plan("prod") },
            { key: "prod-skip", name: "plan prod, --skip-policies", args: plan("prod", "--skip-policies") },
            { key: "prod-none", name: "plan prod, every policy disabled", args: plan("prod", "--policy-pack-config", noPolicies) },
            ...REGION_COUNTS.map((n) => ({
                key: `gen${n}`,
                name: `plan of ${n} generated regions, --skip-policies`,
                args: plan(writeGeneratedStack(n, dir), "--root", dir, "--skip-policies"),
            })),
            {
                key: "host-deploy",
                name: `pulumi up host start-up, as configured (${deployTsconfig ?? "no tsconfig option"})`,
                ...host(deployTsconfig),
            },
            { key: "host-default", name: "pulumi up host start-up, Pulumi's default (type-check)", ...host(undefined) },
        ];

        // Warm the file system and compile caches once, then interleaved rounds, so background
        // load hits every mode alike.
        await measure(at(modes, 1, "modes"));
        const samples = new Map<string, Sample[]>(modes.map((m) => [m.key, []]));
        const resources = new Map<string, number>();
        for (let round = 0; round < runs; round++)
            for (const mode of modes) {
                const s = await measure(mode);
                samples.get(mode.key)?.push(s);
                if (mode.key === "prod" || mode.key.startsWith("gen"))
                    resources.set(mode.key, (JSON.parse(s.stdout) as { resources: unknown[] }).resources.length);
                process.stderr.write(`round ${round + 1}/${runs}: ${mode.name}: ${(s.wallMs / 1000).toFixed(2)} s\n`);
            }

        const wall = (key: string) => median((samples.get(key) ?? []).map((s) => s.wallMs));
        const peak = (key: string) => Math.max(...(samples.get(key) ?? []).map((s) => s.peakMb));
        const table = new Table({
            head: ["measured", "median (s)", "peak RSS (MB)", "resources"],
            style: { compact: true, head: [], border: [] },
        });
        for (const m of modes) table.push([m.name, (wall(m.key) / 1000).toFixed(2), peak(m.key).toFixed(0), resources.get(m.key) ?? ""]);

        const verdict = (ok: boolean) => (ok ? "within" : "OVER");
        const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
        const x = (r: number) => `${r.toFixed(2)}x`;
        const packMs = wall("prod") - wall("prod-skip");
        const pathMs = wall("prod-none") - wall("prod-skip");
        const prodVsSdk = wall("prod") / wall("sdk");
        const growth = wall("gen24") / wall("gen6");
        const hostSpeedup = wall("host-default") / wall("host-deploy");
        const lines = [
            `${runs} interleaved rounds, medians; node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"})`,
            table.toString(),
            `plan of prod: ${s(wall("prod"))}; target <= 3.00 s: ${verdict(wall("prod") <= 3000)}`,
            `plan of prod vs loading the four SDKs: ${x(prodVsSdk)}; target <= 2.50x: ${verdict(prodVsSdk <= 2.5)}`,
            `plan of prod peak RSS: ${peak("prod").toFixed(0)} MB; target <= 500 MB: ${verdict(peak("prod") <= 500)}`,
            `policy pack adds ${s(packMs)} to the plan of prod; target <= 1.00 s: ${verdict(packMs <= 1000)}`,
            `  of which the analyzer path with every policy disabled (at most; that run also checks the config file): ${s(pathMs)}; the rest: ${s(packMs - pathMs)}`,
            `24-region plan peak RSS: ${peak("gen24").toFixed(0)} MB; target < 500 MB: ${verdict(peak("gen24") < 500)}`,
            `24-region plan vs 6-region plan: ${x(growth)}; target <= 3.00x: ${verdict(growth <= 3)}`,
            `host start-up, configured vs default: ${x(hostSpeedup)} faster; target >= 5.00x: ${verdict(hostSpeedup >= 5)}`,
        ];
        if (!values["no-suite"]) {
            const suite = await measure({ key: "suite", name: "test suite", args: ["node_modules/mocha/bin/mocha.js"] });
            lines.push(
                `test suite (mocha, one run): ${(suite.wallMs / 1000).toFixed(1)} s; target <= 60 s: ${verdict(suite.wallMs <= 60000)}`,
            );
        }
        process.stdout.write(lines.join("\n") + "\n");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).message}\n`);
    process.exit(1);
});

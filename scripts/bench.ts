/**
 * Benchmark: `npm run bench [-- --runs 5 --stack prod --no-suite]`.
 *
 * Measures, side by side in one run, the offline plan of a stack loaded three ways, and the test
 * suite once:
 *   - fast: what `npm run plan` uses (SWC transpile-only, no source-mapped stack captures);
 *   - transpile-only: ts-node without type-check, as `pulumi up` runs with tsconfig.deploy.json;
 *   - type-checked: ts-node with type-check, as `pulumi up` runs without `noCheck`.
 * Absolute times on a shared 2-core machine are noisy; the ratios between modes are the result.
 * Budgets (issue 2): plan of prod <= 3 s wall and <= 500 MB peak; test suite <= 60 s.
 * Issue 10: the policy pack (started while the program runs, then every resource and the stack
 * analyzed) adds <= 1 s to the plan: "fast" against "fast, --skip-policies".
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import Table from "cli-table3";
import { at } from "../components/collections";
import { ROOT } from "./offline";

interface Sample {
    wallMs: number;
    peakMb: number;
}

/** Runs a command; the child reports its own peak RSS (`PLAN_REPORT_USAGE`) on stderr. */
function measure(args: string[], env: Record<string, string> = {}): Promise<Sample & { stdout: string }> {
    return new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PLAN_REPORT_USAGE: "1", ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => {
            const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
            if (code !== 0) return reject(new Error(`${args.join(" ")} exited ${code}:\n${stderr}`));
            const peak = /peak-rss-kb=(\d+)/.exec(stderr);
            resolve({ wallMs, peakMb: peak ? Number(peak[1]) / 1024 : NaN, stdout });
        });
    });
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    if (s.length === 0) return NaN; // --runs 0
    const mid = (i: number) => at(s, i, "samples");
    return s.length % 2 ? mid((s.length - 1) / 2) : (mid(s.length / 2 - 1) + mid(s.length / 2)) / 2;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            runs: { type: "string", default: "5" },
            stack: { type: "string", default: "prod" },
            "no-suite": { type: "boolean", default: false },
        },
    });
    const runs = Number(values.runs);
    const stack = values.stack!;
    const plan = ["scripts/plan.ts", "--stack", stack, "--json"];
    const modes: { name: string; args: string[]; env?: Record<string, string> }[] = [
        { name: "fast (npm run plan)", args: ["-r", "./scripts/register.js", ...plan] },
        { name: "fast, --skip-policies", args: ["-r", "./scripts/register.js", ...plan, "--skip-policies"] },
        // The loader comparisons leave the pack out (same work as "fast, --skip-policies").
        { name: "ts-node transpile-only, --skip-policies", args: ["-r", "ts-node/register/transpile-only", ...plan, "--skip-policies"] },
        {
            name: "ts-node type-checked, --skip-policies",
            args: ["-r", "ts-node/register", ...plan, "--skip-policies"],
            env: { TS_NODE_PROJECT: "tsconfig.json" },
        },
    ];

    // Interleaved rounds, so background load hits every mode alike.
    const samples = modes.map(() => [] as Sample[]);
    let resources = 0;
    const fast = at(modes, 0, "modes");
    await measure(fast.args); // warm the compile cache and the file system cache
    for (let round = 0; round < runs; round++) {
        for (const [i, mode] of modes.entries()) {
            const s = await measure(mode.args, mode.env);
            at(samples, i, "samples").push(s);
            if (i === 0) resources = (JSON.parse(s.stdout) as { resources: unknown[] }).resources.length;
        }
    }

    const samplesOf = (i: number) => at(samples, i, "samples");
    const fastWall = median(samplesOf(0).map((s) => s.wallMs));
    const table = new Table({
        head: ["offline plan of " + stack, "median wall (s)", "peak RSS (MB)", "wall vs fast"],
        style: { compact: true, head: [], border: [] },
    });
    modes.forEach((mode, i) => {
        const wall = median(samplesOf(i).map((s) => s.wallMs));
        const peak = Math.max(...samplesOf(i).map((s) => s.peakMb));
        table.push([mode.name, (wall / 1000).toFixed(2), peak.toFixed(0), `${(wall / fastWall).toFixed(2)}x`]);
    });
    const fastPeak = Math.max(...samplesOf(0).map((s) => s.peakMb));
    const lines = [`${resources} resources, ${runs} interleaved runs per mode, node ${process.version}`, table.toString()];
    lines.push(
        `budget: plan <= 3.00 s and <= 500 MB: ${fastWall <= 3000 && fastPeak <= 500 ? "within" : "OVER"} (${(fastWall / 1000).toFixed(2)} s, ${fastPeak.toFixed(0)} MB)`,
    );

    const packMs = fastWall - median(samplesOf(1).map((s) => s.wallMs));
    lines.push(`policy pack: adds ${(packMs / 1000).toFixed(2)} s to the plan; budget <= 1.00 s: ${packMs <= 1000 ? "within" : "OVER"}`);

    if (!values["no-suite"]) {
        const suite = await measure(["node_modules/mocha/bin/mocha.js"]);
        lines.push(
            `test suite (mocha, one run): ${(suite.wallMs / 1000).toFixed(1)} s; budget <= 60 s: ${suite.wallMs <= 60000 ? "within" : "OVER"}`,
        );
    }
    process.stdout.write(lines.join("\n") + "\n");
}

main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).message}\n`);
    process.exit(1);
});

// Loads the TypeScript sources for the offline plan and the benchmark the fastest way that keeps
// them TypeScript: transpile only (type-checking is `npm run typecheck`, once), with SWC.
require("node:module").enableCompileCache?.();
require("ts-node").register({ transpileOnly: true, swc: true });
// Pulumi captures a stack trace for every promise and resource (debug context, source
// positions); with ts-node's source-map-support each capture is source-mapped, which costs more
// than the whole plan. Plain V8 stack formatting keeps the plan fast; its traces show transpiled
// line numbers.
Error.prepareStackTrace = undefined;
// Pulumi also records a stack trace for every promise (leak diagnostics); three frames keep that
// cheap. Set PLAN_STACK_TRACE_LIMIT for deeper traces when debugging the program.
const frames = process.env.PLAN_STACK_TRACE_LIMIT ?? "3";
if (!/^\d{1,3}$/.test(frames)) {
    process.stderr.write(`PLAN_STACK_TRACE_LIMIT must be a whole number of stack frames such as 20; got "${frames}".\n`);
    process.exit(2);
}
Error.stackTraceLimit = Number(frames);

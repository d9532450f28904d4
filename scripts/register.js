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
Error.stackTraceLimit = Number(process.env.PLAN_STACK_TRACE_LIMIT ?? 3);

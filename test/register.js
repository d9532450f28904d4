// Loads the tests' TypeScript for mocha (.mocharc.json requires it, in each worker with --parallel).
// Transpile only, with SWC: type-checking is `npm run typecheck`, once. SWC transpiles the sources
// several times faster than TypeScript's own transpiler, and Node's compile cache lets the second
// worker and the plan's child processes reuse the compiled code.
require("node:module").enableCompileCache?.();
require("ts-node").register({ transpileOnly: true, swc: true });

// ts-node installs source-map-support, which maps every stack trace to the TypeScript lines. Pulumi
// captures a full-depth stack for every resource it registers (Resource.callsites, for source
// positions) and one for every promise it makes (debuggablePromise, for leak reports); mapping
// those doubled the CPU time of each program run under mocks (prod: about 10 s to 5 s measured).
// Those captures get V8's own format; every other trace (a failing test's) is still mapped.
const mapped = Error.prepareStackTrace;
const PULUMI_CAPTURES = new Set(["callsites", "debuggablePromise"]);
if (mapped)
    Error.prepareStackTrace = function (error, frames) {
        if (frames.length > 0 && PULUMI_CAPTURES.has(frames[0].getFunctionName()))
            return `${error}${frames.map((f) => `\n    at ${f}`).join("")}`;
        return mapped(error, frames);
    };

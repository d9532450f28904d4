// Loads the TypeScript sources for the offline plan, the policy pack's process and the benchmark
// the fastest way that keeps them TypeScript: transpile only (type-checking is `npm run typecheck`,
// once), with SWC called directly. ts-node's SWC mode did the same per file, but first loaded
// `typescript` (9 MB of JavaScript) and source-map-support to read tsconfig.json: about 0.6 s of
// every plan and again in the pack's process (profiled, README "Performance").
//
// The options are those ts-node 10.9.2 derives for this repository's tsconfig.json and
// policies/tsconfig.json (target ES2022, module commonjs, esModuleInterop, strict; ts-node
// dist/transpilers/swc.js createSwcOptions), so the emitted code is the same line for line.
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const swc = require("@swc/core");

// V8 code cache for every module, the transpiled ones included (Node >= 22.1). Node writes it at a
// normal exit; the policy pack's process is ended by a signal, so it writes once it has loaded.
Module.enableCompileCache?.();
setImmediate(() => Module.flushCompileCache?.());

// Modules @pulumi/pulumi loads at load time but uses only inside functions that may never run,
// deferred until first used, as a lazy require would: any use loads the real module, so behaviour
// is unchanged (profiled, README "Performance").
//   - runtime/closure/codePaths.js loads @npmcli/arborist (npm's installer: pacote, sigstore, an
//     HTTP stack) for `computeCodePaths` only, which packages function closures into archives;
//     neither the program nor the pack calls it.
//   - runtime/closure/parseFunction.js loads `typescript` (9 MB of JavaScript) to parse functions
//     it serializes: the plan's dynamic provider needs it, the policy pack's process never does.
// Together about 40% of the pack process's start-up.
const DEFERRED = [
    { request: "@npmcli/arborist", from: path.join("@pulumi", "pulumi", "runtime", "closure", "codePaths.js") },
    { request: "../../typescript-shim", from: path.join("@pulumi", "pulumi", "runtime", "closure", "parseFunction.js") },
];
const load = Module._load;
Module._load = function (request, parent, isMain) {
    if (!DEFERRED.some((d) => d.request === request && parent?.filename?.endsWith(d.from))) return load.apply(this, arguments);
    let real;
    const target = () => (real ??= load.call(this, request, parent, isMain));
    // `__esModule` lets TypeScript's __importStar hand the proxy over as it is, without enumerating it.
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : target()[key]),
            has: (_, key) => key in target(),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, key) => {
                const d = Reflect.getOwnPropertyDescriptor(target(), key);
                return d && { ...d, configurable: true };
            },
        },
    );
};

const SWC_OPTIONS = {
    swcrc: false,
    sourceMaps: false,
    module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: false },
    jsc: {
        parser: { syntax: "typescript", tsx: false, decorators: false, dynamicImport: true, importAssertions: true },
        target: "es2022",
        transform: { legacyDecorator: true, useDefineForClassFields: true },
        keepClassNames: true,
        experimental: { keepImportAttributes: true, emitAssertForImportAttributes: true },
    },
};

// Packages ship JavaScript; like ts-node, leave anything under node_modules alone.
const IGNORED = /(?:^|[\\/])node_modules[\\/]/;
const loadJs = Module._extensions[".js"];
Module._extensions[".ts"] = function (module, filename) {
    if (IGNORED.test(filename)) return loadJs(module, filename);
    const { code } = swc.transformSync(fs.readFileSync(filename, "utf8"), { ...SWC_OPTIONS, filename });
    module._compile(code, filename);
};

// Pulumi captures a stack trace for every promise and resource (debug context, source
// positions). Plain V8 stack formatting keeps that cheap; traces show transpiled line numbers.
Error.prepareStackTrace = undefined;
// Pulumi also records a stack trace for every promise (leak diagnostics); three frames keep that
// cheap. Set PLAN_STACK_TRACE_LIMIT for deeper traces when debugging the program.
const frames = process.env.PLAN_STACK_TRACE_LIMIT ?? "3";
if (!/^\d{1,3}$/.test(frames)) {
    process.stderr.write(`PLAN_STACK_TRACE_LIMIT must be a whole number of stack frames such as 20; got "${frames}".\n`);
    process.exit(2);
}
Error.stackTraceLimit = Number(frames);

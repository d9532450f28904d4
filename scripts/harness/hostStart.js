// Start-up of `pulumi up`'s Node.js language host, for scripts/bench.ts. Preloaded (`node -r`) into
// the real language host entry, @pulumi/pulumi/cmd/run, run the way pulumi-language-nodejs runs it:
// runtime option `typescript` -> PULUMI_NODEJS_TYPESCRIPT=true, `tsconfig` ->
// PULUMI_NODEJS_TSCONFIG_PATH (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go), the
// stack's config in PULUMI_CONFIG. The host then does what it always does (source-map-support,
// reads the tsconfig's own `compilerOptions.noCheck`, registers ts-node with or without the type
// check, requires index.ts and so every module of the program). Start-up ends when the program
// registers its first resource after the stack: every module is loaded and the config validated.
// There is no engine here, so Pulumi's mocks stand in for the resource monitor (only the stack
// resource reaches them); the process reports `host-start-ms=` and `peak-rss-kb=` and exits.
const Module = require("node:module");
const path = require("node:path");

const RUN = path.join("@pulumi", "pulumi", "cmd", "run", "run.js");
const load = Module._load;
Module._load = function (request, parent, isMain) {
    const exported = load.apply(this, arguments);
    if (request === "./run" && parent?.filename && path.join(path.dirname(parent.filename), "run.js").endsWith(RUN)) {
        Module._load = load;
        // Loaded by the host just before it calls `run()`: the same @pulumi/pulumi instance.
        const runtime = load("@pulumi/pulumi/runtime", parent, false);
        const resource = load("@pulumi/pulumi/runtime/resource", parent, false);
        runtime.setMocks(
            { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
            process.env.PULUMI_NODEJS_PROJECT,
            process.env.PULUMI_NODEJS_STACK,
            true,
        );
        const register = resource.registerResource;
        resource.registerResource = function (res, parentRes, type) {
            if (type !== "pulumi:pulumi:Stack") {
                process.stderr.write(`host-start-ms=${performance.now().toFixed(0)}\npeak-rss-kb=${process.resourceUsage().maxRSS}\n`);
                process.exit(0);
            }
            return register.apply(this, arguments);
        };
    }
    return exported;
};

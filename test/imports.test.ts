import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import madge from "madge";

const root = path.resolve(__dirname, "..");
const SOURCES = ["index.ts", "components", "scripts", "policies"].filter((p) => fs.existsSync(path.join(root, p)));

/** The import graph of `paths` under `baseDir` (type-only imports count: a cycle of types is still a cycle to read). */
async function graph(baseDir: string, paths: string[]) {
    return madge(
        paths.map((p) => path.join(baseDir, p)),
        { baseDir, fileExtensions: ["ts", "js"], tsConfig: path.join(root, "tsconfig.json"), includeNpm: true },
    );
}

/** Every module `from` reaches through imports, `from` included. */
function reach(deps: Record<string, string[]>, from: string[]): Set<string> {
    const seen = new Set<string>();
    const todo = [...from];
    while (todo.length > 0) {
        const m = todo.pop()!;
        if (seen.has(m)) continue;
        seen.add(m);
        todo.push(...(deps[m] ?? []));
    }
    return seen;
}

describe("imports", () => {
    let deps: Record<string, string[]>;
    let cycles: string[][];
    before(async function () {
        this.timeout(60_000);
        const g = await graph(root, SOURCES);
        deps = g.obj();
        cycles = g.circular();
        assert.deepEqual(g.warnings().skipped, [], "madge could not resolve some imports");
    });

    it("finds a cycle when there is one (the check can fail)", async function () {
        this.timeout(30_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imports-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import type { B } from "./b";\nexport type A = { b?: B };\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'import { c } from "./c";\nexport type B = number;\nexport const x = c;\n');
            fs.writeFileSync(path.join(dir, "c.ts"), 'import type { A } from "./a";\nexport const c: A = {};\n');
            assert.deepEqual((await graph(dir, ["a.ts"])).circular(), [["a.ts", "b.ts", "c.ts"]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has no import cycle in index.ts, components/, scripts/ or policies/", () => {
        assert.ok(Object.keys(deps).length > 50, "the graph should hold the whole program");
        assert.deepEqual(
            cycles.map((c) => c.join(" > ")),
            [],
        );
    });

    it("keeps config a leaf: what it imports imports no config module and no cloud SDK", () => {
        const config = Object.keys(deps).filter((m) => m.startsWith("components/config/"));
        assert.ok(config.length > 0);
        // npm modules: madge names them `node_modules/...`, or `../main/node_modules/...` when node_modules is a symlink.
        const outside = [...reach(deps, config)].filter((m) => !m.startsWith("components/config/") && !m.includes("node_modules/"));
        const offending = outside.filter((m) =>
            deps[m]!.some(
                (d) => d.startsWith("components/config/") || /(^|\/)node_modules\/@pulumi\/(aws|gcp|cloudflare|random|tls)\//.test(d),
            ),
        );
        assert.deepEqual(offending, [], `config reaches domain modules: ${offending.join(", ")}`);
        for (const m of ["components/validate/index.ts", "components/topology.ts", "components/traffic/checks.ts"])
            assert.ok(!outside.includes(m), `config must not import ${m}`);
    });
});

/**
 * `npm run plan -- --format mermaid` and the README's diagrams, read by Mermaid's own flowchart
 * grammar: the `mermaid` package (pinned), whose `parse` and `mermaidAPI.getDiagramFromText` run the
 * same jison parser and flowchart database as a browser rendering the diagram. `@mermaid-js/parser`
 * is not used: its grammars (info, packet, pie, architecture, gitGraph, radar, treemap, ...) do not
 * include flowcharts. Mermaid sanitizes labels with DOMPurify, which needs a window: jsdom gives it
 * one while mermaid loads (DOMPurify keeps that window), and the global is removed again so no other
 * test sees a browser.
 *
 * Semantic checks read the parsed graph (vertices, edges, subgraph membership), never the text, and
 * compare it with the stack config: each region in its domain's and cloud's subgraph, the load
 * balancer's default pools and fallback, each pin's pools and fallback inside its domain, each super
 * region's members exactly its domain's regions, the primary region marked.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { databaseSection } from "../components/cockroach";
import type { StackConfig } from "../components/config";
import { planTopology } from "../components/topology";
import { routingFromConfig } from "../components/traffic";
import { ROOT, scaffoldProject } from "../scripts/offline";
import { outputFormat } from "../scripts/plan";
import { renderMermaid, type DiagramInput } from "../scripts/plan/mermaid";
import { fixtureConfig, inAnotherEnvironment, planCli, shippedConfig, shippedMigrations, type CliResult } from "./support";

/** The parts of mermaid 12's API this test uses (the package's own typings need DOM lib types). */
interface MermaidApi {
    parse(text: string): Promise<{ diagramType: string }>;
    mermaidAPI: { getDiagramFromText(text: string): Promise<{ type: string; db: unknown }> };
}

/** The flowchart database after a parse (mermaid's FlowDB). */
interface FlowDb {
    getVertices(): Map<string, { id: string; text?: string; classes: string[] }>;
    getEdges(): { start: string; end: string; text: string; stroke: string }[];
    getSubGraphs(): { id: string; title: string; nodes: string[] }[];
}

interface Flow {
    readonly vertices: Map<string, { id: string; text: string; classes: string[] }>;
    readonly edges: { start: string; end: string; text: string; stroke: string }[];
    /** Node or subgraph id -> the subgraph that directly contains it. */
    readonly parent: Map<string, { id: string; title: string }>;
}

let mermaid: MermaidApi;

async function loadMermaid(): Promise<MermaidApi> {
    const { JSDOM } = await import("jsdom");
    const g = globalThis as { window?: object };
    const before = g.window;
    g.window = new JSDOM("").window;
    try {
        return (await import("mermaid")).default as unknown as MermaidApi;
    } finally {
        if (before === undefined) delete g.window;
        else g.window = before;
    }
}

/** Parses `text` with Mermaid's flowchart grammar (throws its parse error) and returns the graph. */
async function flowOf(text: string): Promise<Flow> {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    assert.match(diagram.type, /^flowchart/);
    const db = diagram.db as FlowDb;
    const parent = new Map<string, { id: string; title: string }>();
    for (const sg of db.getSubGraphs()) for (const n of sg.nodes) parent.set(n, { id: sg.id, title: sg.title });
    const vertices = new Map([...db.getVertices()].map(([id, v]) => [id, { id, text: v.text ?? id, classes: v.classes }]));
    return { vertices, edges: db.getEdges(), parent };
}

/**
 * A label's lines. Mermaid keeps `<br>` in the vertex text and holds entity codes (`#34;`) in an
 * encoded form until it renders; decoded here as the rendered label shows them.
 */
const labelLines = (text: string) => decodeEntities(text).split(/<br\s*\/?>/);
/** How a name shows in a label: on one line. */
const shown = (text: string) => text.replace(/[\r\n]+/g, " ");
const decodeEntities = (text: string) =>
    text.replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The plan document's sections the diagram reads, built the way scripts/plan.ts builds them. */
function diagramInput(stack: string, config: StackConfig): DiagramInput {
    const topology = planTopology(config);
    return {
        stack,
        environment: config.environment,
        regions: topology.regions,
        routing: routingFromConfig(config),
        database: databaseSection(config, topology, shippedMigrations()),
    };
}

/** Six GCP regions in three domains, two of them pinned. */
function gcpThreeDomains(): StackConfig {
    return fixtureConfig((raw) => {
        raw.domains = [
            { name: "us", countries: ["US", "CA"] },
            { name: "eu", jurisdictions: ["EU"], pinRouting: true },
            { name: "jp", countries: ["JP"], pinRouting: true },
        ];
        raw.regions = [
            { cloud: "gcp", region: "us-east4", domain: "us", primary: true },
            { cloud: "gcp", region: "us-central1", domain: "us" },
            { cloud: "gcp", region: "europe-west1", domain: "eu" },
            { cloud: "gcp", region: "europe-west4", domain: "eu" },
            { cloud: "gcp", region: "asia-northeast1", domain: "jp" },
            { cloud: "gcp", region: "asia-northeast2", domain: "jp" },
        ];
        // Two pins are two custom rules: more than the one a non-Enterprise load balancer gets.
        raw.cloudflare = { ...raw.cloudflare, plan: "enterprise" };
    });
}

/** What a stack's diagram must show, taken from its config rather than from the plan document. */
interface Truth {
    readonly regions: readonly { readonly name: string; readonly cloud: string; readonly domain: string }[];
    readonly primary: string;
}

const truthOf = (config: StackConfig): Truth => ({
    regions: config.regions.map((r) => ({ name: r.crdbRegion, cloud: r.cloud, domain: r.domain })),
    primary: planTopology(config).primary,
});

/**
 * The parsed graph draws the stack: checked against the config (placement of regions, super region
 * members, primary) and against the routing plan the diagram was drawn from (pool orders, fallbacks).
 */
function assertDrawsStack(flow: Flow, truth: Truth, input: DiagramInput): void {
    const domainOf = new Map(truth.regions.map((r) => [r.name, r.domain]));
    const byFirstLine = (prefix: string) => [...flow.vertices.values()].filter((v) => labelLines(v.text)[0]!.startsWith(prefix));
    const regionVertex = new Map<string, string>();
    const nameOf = new Map<string, string>();
    for (const r of truth.regions) {
        const found = [...flow.vertices.values()].filter((v) => labelLines(v.text)[0] === r.name);
        assert.equal(found.length, 1, `one vertex for region ${r.name}`);
        regionVertex.set(r.name, found[0]!.id);
        nameOf.set(found[0]!.id, r.name);
    }
    const vertexOf = (region: string) => {
        const id = regionVertex.get(region);
        assert.ok(id, `${region} is a region of the stack`);
        return id;
    };

    // Each region in a cloud subgraph inside its domain's subgraph, and nowhere else.
    for (const r of truth.regions) {
        const cloud = flow.parent.get(vertexOf(r.name));
        assert.ok(cloud, `${r.name} is in a subgraph`);
        assert.equal(cloud.title, r.cloud.toUpperCase(), `${r.name}'s cloud subgraph`);
        const domain = flow.parent.get(cloud.id);
        assert.ok(domain, `${r.name}'s cloud subgraph is in a domain subgraph`);
        assert.equal(decodeEntities(domain.title), shown(`residency domain ${r.domain}`), `${r.name}'s domain subgraph`);
        assert.equal(flow.parent.get(domain.id), undefined, "domain subgraphs are top level");
    }

    // The primary region, and only it, is marked.
    const primary = [...flow.vertices.values()].filter((v) => v.classes.includes("primary"));
    assert.deepEqual(
        primary.map((v) => nameOf.get(v.id)),
        [truth.primary],
    );
    assert.ok(labelLines(primary[0]!.text).includes("primary region"));

    // Load balancer: default pools in failover order, one dotted fallback edge.
    const [lb, ...moreLbs] = byFirstLine("Cloudflare load balancer");
    assert.ok(lb && moreLbs.length === 0, "one load balancer vertex");
    const from = (id: string) => flow.edges.filter((e) => e.start === id);
    assert.deepEqual(
        from(lb.id)
            .filter((e) => e.text.startsWith("default pool"))
            .map((e) => [e.text, nameOf.get(e.end), e.stroke]),
        input.routing.defaultPools.map((p, i) => [`default pool ${i + 1}`, p, "normal"]),
    );
    assert.deepEqual(
        from(lb.id)
            .filter((e) => e.stroke === "dotted")
            .map((e) => [e.text, nameOf.get(e.end)]),
        [["fallback", input.routing.fallback]],
    );

    // Pins: reached from the load balancer for their Cloudflare regions; pools and the fallback all
    // inside the pinned domain.
    const pins = byFirstLine("pin: domain ");
    assert.equal(pins.length, input.routing.pins.length, "one vertex per pin");
    for (const pin of input.routing.pins) {
        const [v, ...more] = byFirstLine(shown(`pin: domain ${pin.domain}`));
        assert.ok(v && more.length === 0, `one vertex for the pin of ${pin.domain}`);
        assert.deepEqual(
            from(lb.id)
                .filter((e) => e.end === v.id)
                .map((e) => e.text),
            [pin.regions.join(", ")],
        );
        const out = from(v.id);
        assert.deepEqual(
            out.filter((e) => e.stroke === "normal").map((e) => [e.text, nameOf.get(e.end)]),
            pin.pools.map((p, i) => [`pool ${i + 1}`, p]),
        );
        const fallback = out.filter((e) => e.stroke === "dotted");
        assert.deepEqual(
            fallback.map((e) => [e.text, nameOf.get(e.end)]),
            [["fallback, fails closed", pin.fallback]],
        );
        for (const e of out) assert.equal(domainOf.get(nameOf.get(e.end)!), pin.domain, `pin ${pin.domain} -> ${nameOf.get(e.end)}`);
    }

    // Super regions: members are exactly the regions of the domain they are named after.
    const superRegions = byFirstLine("super region ");
    assert.deepEqual(
        superRegions.map((v) => labelLines(v.text)[0]!.slice("super region ".length)).sort(),
        input.database.superRegions.map((s) => shown(s.name)).sort(),
    );
    for (const v of superRegions) {
        const name = labelLines(v.text)[0]!.slice("super region ".length);
        const members = flow.edges.filter((e) => e.end === v.id).map((e) => nameOf.get(e.start));
        const expected = truth.regions.filter((r) => shown(r.domain) === name).map((r) => r.name);
        assert.deepEqual(members.sort(), expected.sort(), `members of super region ${name}`);
        assert.equal(flow.parent.get(v.id)?.title, "CockroachDB: one cluster across every region");
    }
}

/** Runs the plan CLI the way `npm run plan` does. */
async function plan(...args: string[]): Promise<CliResult> {
    return planCli(args);
}

const README = path.join(ROOT, "README.md");
const PROD_BEGIN = "<!-- npm run plan -- --stack prod --format mermaid: begin -->";
const PROD_END = "<!-- npm run plan -- --stack prod --format mermaid: end -->";

/** The body of every ```mermaid block of `markdown`. */
function mermaidBlocks(markdown: string): string[] {
    return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe("plan --format mermaid", function () {
    this.timeout(120_000);

    before(async () => {
        mermaid = await loadMermaid();
        assert.equal("window" in globalThis, false, "the browser global is gone again");
    });

    describe("parsed by Mermaid's flowchart grammar", () => {
        it("rejects a syntax error, so a pass means something", async () => {
            await assert.rejects(flowOf('flowchart TB\n    a["a "quoted" word"] --> b'), /Parse error/);
            await assert.rejects(flowOf("flowchart TB\n    a --- end"), /Parse error/);
            await flowOf('flowchart TB\n    a["a #quot;quoted#quot; word"] --> b');
        });

        const cases: [string, () => StackConfig][] = [
            ["prod", () => shippedConfig("prod")],
            ["staging", () => shippedConfig("staging")],
            ["gcp-3-domains", gcpThreeDomains],
            ["restricted", () => fixtureConfig((raw) => (raw.cockroach = { ...raw.cockroach, placement: "restricted" }))],
        ];
        for (const [stack, configOf] of cases)
            it(`draws ${stack}: regions by domain and cloud, pools, pins and fallbacks, super regions, primary`, async () => {
                const config = configOf();
                const input = diagramInput(stack, config);
                assertDrawsStack(await flowOf(renderMermaid(input)), truthOf(config), input);
            });

        it("the generated environments cover what the shipped ones do not", () => {
            const gcp = diagramInput("gcp", gcpThreeDomains());
            assert.ok(gcp.regions.every((r) => r.cloud === "gcp"));
            assert.equal(new Set(gcp.regions.map((r) => r.domain)).size, 3);
            assert.equal(gcp.routing.pins.length, 2);
            assert.equal(gcp.database.superRegions.length, 3);
            const restricted = diagramInput("restricted", cases[3]![1]());
            assert.deepEqual(restricted.database.superRegions, [], "restricted placement adds no super region");
        });

        it("escapes labels and keeps ids safe for any name the document may hold", async () => {
            const hostile = 'e"u <b>#1; `x` &\nend';
            const input: DiagramInput = {
                stack: 'st"ack\nflowchart',
                environment: "env",
                regions: [
                    { name: "a-b", cloud: "aws", domain: hostile, primary: true },
                    { name: "a_b", cloud: "gcp", domain: hostile, primary: false },
                    { name: "end", cloud: "aws", domain: "z", primary: false },
                ],
                routing: {
                    steeringPolicy: "off",
                    pools: [],
                    defaultPools: ["a-b", "a_b", "end"],
                    fallback: "end",
                    pins: [
                        {
                            domain: hostile,
                            regions: ["WEU"],
                            pools: ["a-b", "a_b"],
                            fallback: "a_b",
                            condition: "",
                            unpinnedCountries: [],
                            foreignCountries: [],
                        },
                    ],
                },
                database: { superRegions: [{ name: hostile, regions: ["a-b", "a_b"] }] },
            };
            const text = renderMermaid(input);
            const flow = await flowOf(text);
            // Every region where it belongs, every edge, every name shown as written (on one line).
            assertDrawsStack(flow, { regions: input.regions, primary: "a-b" }, input);
            // Ids from [A-Za-z0-9_] only, distinct though "a-b" and "a_b" share a slug.
            const ids = [...flow.vertices.keys()];
            assert.ok(
                ids.every((id) => /^[A-Za-z0-9_]+$/.test(id)),
                ids.join(" "),
            );
            assert.equal(
                new Set(["a-b", "a_b", "end"].map((n) => [...flow.vertices.values()].find((v) => labelLines(v.text)[0] === n)?.id)).size,
                3,
            );
            const [first, second] = text.split("\n");
            assert.equal(first, "flowchart TB");
            assert.match(second!, /^ {4}%% Stack st"ack flowchart \(environment env\)/, "a line break in a name cannot start a statement");
        });

        it("gives the same text for the same document, whatever the clock, randomness or environment", () => {
            const input = diagramInput("prod", shippedConfig("prod"));
            assert.equal(
                inAnotherEnvironment(() => renderMermaid(input)),
                renderMermaid(input),
            );
        });
    });

    describe("the CLI and the README", () => {
        let prod: { code: number; stdout: string; stderr: string };
        let star: { code: number; stdout: string; stderr: string };
        let dir: string;

        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-mermaid-"));
            scaffoldProject(dir);
            const staging = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
            // Default providers disabled with "*": a failed registration, exit 1 (as in plan.test.ts).
            fs.writeFileSync(
                path.join(dir, "Pulumi.star.yaml"),
                staging.replace("config:\n", 'config:\n    pulumi:disable-default-providers: ["*"]\n'),
            );
            fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), staging.replace("region: us-east-2,", "region: us-east-9,"));
            [prod, star] = await Promise.all([
                plan("--stack", "prod", "--format", "mermaid"),
                plan("--stack", "star", "--format", "mermaid", "--skip-policies", "--root", dir),
            ]);
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("prints prod's diagram, with the policy pack, and exits 0 like the other formats", () => {
            assert.equal(prod.code, 0, prod.stderr);
            assert.equal(prod.stdout, renderMermaid(diagramInput("prod", shippedConfig("prod"))) + "\n");
        });

        it("runs the same checks: a failed registration still exits 1, the diagram on stdout and the failure on stderr", () => {
            assert.equal(star.code, 1, star.stderr);
            assert.match(star.stderr, /default-provider: pulumi-nodejs:dynamic\/cockroach:DatabaseSql::database-sql/);
            assert.equal(star.stdout, renderMermaid(diagramInput("star", shippedConfig("staging"))) + "\n");
        });

        it("exits 2 on a bad --format and on invalid config, printing nothing", async () => {
            const [bogus, bad] = await Promise.all([
                plan("--stack", "prod", "--format", "svg"),
                plan("--stack", "bad", "--format", "mermaid", "--root", dir),
            ]);
            assert.deepEqual([bogus.code, bogus.stdout], [2, ""]);
            assert.match(bogus.stderr, /--format must be one of text, json, mermaid; got "svg"/);
            assert.deepEqual([bad.code, bad.stdout], [2, ""]);
            assert.match(bad.stderr, /backend:regions\[0\]\.region: "us-east-9"/);
        });

        it("reads --format, keeps --json as --format json, and refuses --json with another format", () => {
            assert.equal(outputFormat(undefined, false), "text");
            assert.equal(outputFormat(undefined, true), "json");
            assert.equal(outputFormat("json", true), "json");
            for (const f of ["text", "json", "mermaid"] as const) assert.equal(outputFormat(f, false), f);
            assert.throws(() => outputFormat("mermaid", true), /--json is --format json; it conflicts with --format mermaid/);
            assert.throws(() => outputFormat("Mermaid", false), /--format must be one of text, json, mermaid; got "Mermaid"/);
        });

        it("the README's prod diagram is what the command prints for prod", () => {
            const readme = fs.readFileSync(README, "utf8");
            const start = readme.indexOf(PROD_BEGIN);
            const end = readme.indexOf(PROD_END);
            assert.ok(start >= 0 && end > start, `README.md has the markers ${PROD_BEGIN} ... ${PROD_END}`);
            const [block, ...more] = mermaidBlocks(readme.slice(start, end));
            assert.equal(more.length, 0);
            assert.equal(
                block,
                prod.stdout,
                "README.md's prod diagram is stale: replace the block between the markers with the output of " +
                    "`npm run -s plan -- --stack prod --format mermaid`",
            );
        });

        it("every diagram in the README parses; the architecture diagram opens the README", async () => {
            const readme = fs.readFileSync(README, "utf8");
            const blocks = mermaidBlocks(readme);
            assert.ok(blocks.length >= 2, "the architecture diagram and prod's");
            for (const b of blocks) await flowOf(b);
            assert.ok(readme.indexOf("```mermaid") < readme.indexOf("\n## ", readme.indexOf("\n## ") + 1), "before the second section");
            assert.deepEqual(blocks.filter((b) => b === prod.stdout).length, 1, "prod's diagram appears once, between its markers");
        });

        it("the README's prod diagram draws prod", async () => {
            const readme = fs.readFileSync(README, "utf8");
            const block = mermaidBlocks(readme.slice(readme.indexOf(PROD_BEGIN), readme.indexOf(PROD_END)))[0]!;
            const config = shippedConfig("prod");
            assertDrawsStack(await flowOf(block), truthOf(config), diagramInput("prod", config));
        });
    });
});

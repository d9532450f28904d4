/**
 * The plan document drawn as a Mermaid flowchart (`npm run plan -- --stack <name> --format mermaid`):
 * the Cloudflare load balancer and its default pools in failover order, its fallback pool, each
 * residency pin with its pools and its own fallback, the regions grouped by residency domain and
 * cloud (one pool per region), the primary region, and the CockroachDB super regions with their
 * member regions. Pure and deterministic: the same document gives the same text, so the README's
 * copy of prod's diagram is compared with this output by a test.
 *
 * Syntax kept to what Mermaid's flowchart grammar has accepted for years (GitHub renders with its
 * own Mermaid release): `flowchart`, `subgraph id["title"]`, `id["label"]`, `-->|"text"|`,
 * `-.->`, `---`, `classDef`/`class`. Flowchart syntax: mermaid.js.org/syntax/flowchart.html.
 */
import type { DatabaseSection } from "../../components/cockroach";
import type { RoutingPlan } from "../../components/traffic";

/** What the diagram reads from the plan document (`PlanDocument` satisfies it). */
export interface DiagramInput {
    readonly stack: string;
    readonly environment: string;
    readonly regions: readonly { readonly name: string; readonly cloud: string; readonly domain: string; readonly primary: boolean }[];
    readonly routing: Pick<RoutingPlan, "steeringPolicy" | "pools" | "defaultPools" | "fallback" | "pins">;
    readonly database: Pick<DatabaseSection, "superRegions">;
}

/**
 * A label as a quoted Mermaid string. Inside `"..."` only `"` ends the string; `#name;` and `#123;`
 * are Mermaid's entity codes ("Entity codes to escape characters", flowchart syntax page), so `#`
 * itself is escaped too, and `<`, `>`, `&` and the backtick (which would start a Markdown string)
 * are written as entities rather than reaching the HTML label.
 */
export function mermaidLabel(text: string): string {
    return `"${escapeText(text)}"`;
}

function escapeText(text: string): string {
    return text.replace(/[\r\n]+/g, " ").replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Several label lines, each escaped, joined by the line break Mermaid labels accept (`<br/>`). */
function lines(...parts: string[]): string {
    return `"${parts.map(escapeText).join("<br/>")}"`;
}

/**
 * Node and subgraph ids: a prefix, then the name with every character outside `[A-Za-z0-9]` as `_`
 * (region names have hyphens, which Mermaid would read as part of an edge). The prefix keeps ids
 * off Mermaid's keywords (`end`, `graph`, `subgraph`, ...) and off the `o`/`x` edge endings; two
 * names that map to one id get a counter, in the order they are first asked for (deterministic).
 */
class Ids {
    private readonly byKey = new Map<string, string>();
    private readonly taken = new Set<string>();

    of(prefix: string, name: string): string {
        const key = `${prefix}\u0000${name}`;
        const known = this.byKey.get(key);
        if (known) return known;
        const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
        let id = base;
        for (let n = 2; this.taken.has(id); n++) id = `${base}_${n}`;
        this.taken.add(id);
        this.byKey.set(key, id);
        return id;
    }
}

const CLOUD_TITLES: Readonly<Record<string, string>> = { aws: "AWS", gcp: "GCP" };

/** Items in order of first appearance. */
function distinct<T>(items: readonly T[]): T[] {
    return [...new Set(items)];
}

/** The Mermaid flowchart of a planned stack (ends without a newline). */
export function renderMermaid(doc: DiagramInput): string {
    const ids = new Ids();
    const { routing } = doc;
    const regionId = (name: string) => ids.of("region", name);
    const poolRegion = new Map(routing.pools.map((p) => [p.name, p.region]));
    const out: string[] = [
        // The comment inside the diagram, where the flowchart grammar itself reads it.
        "flowchart TB",
        `    %% Stack ${oneLine(doc.stack)} (environment ${oneLine(doc.environment)}) as planned, drawn by: npm run plan -- --stack ${oneLine(doc.stack)} --format mermaid`,
        `    lb[${lines("Cloudflare load balancer", `steering: ${routing.steeringPolicy}`)}]`,
    ];

    // Regions by domain, then cloud, in the order the config lists them.
    for (const domain of distinct(doc.regions.map((r) => r.domain))) {
        const inDomain = doc.regions.filter((r) => r.domain === domain);
        out.push(`    subgraph ${ids.of("domain", domain)}[${mermaidLabel(`residency domain ${domain}`)}]`);
        for (const cloud of distinct(inDomain.map((r) => r.cloud))) {
            out.push(
                `        subgraph ${ids.of("cloud", `${domain}/${cloud}`)}[${mermaidLabel(CLOUD_TITLES[cloud] ?? cloud.toUpperCase())}]`,
            );
            for (const r of inDomain.filter((x) => x.cloud === cloud)) {
                const pool = poolRegion.get(r.name);
                const label = [r.name, ...(pool ? [`pool in Cloudflare ${pool}`] : []), ...(r.primary ? ["primary region"] : [])];
                out.push(`            ${regionId(r.name)}[${lines(...label)}]`);
            }
            out.push("        end");
        }
        out.push("    end");
    }

    const superRegions = doc.database.superRegions;
    out.push(`    subgraph cockroach[${mermaidLabel("CockroachDB: one cluster across every region")}]`);
    if (superRegions.length === 0) out.push(`        sr_none[${mermaidLabel("no super regions")}]`);
    for (const sr of superRegions) out.push(`        ${ids.of("superregion", sr.name)}[(${mermaidLabel(`super region ${sr.name}`)})]`);
    out.push("    end");

    // Steering: default pools in failover order, then the fallback pool (served even when unhealthy).
    routing.defaultPools.forEach((pool, i) => out.push(`    lb -->|${mermaidLabel(`default pool ${i + 1}`)}| ${regionId(pool)}`));
    out.push(`    lb -.->|${mermaidLabel("fallback")}| ${regionId(routing.fallback)}`);
    for (const pin of routing.pins) {
        const pinId = ids.of("pin", pin.domain);
        out.push(`    ${pinId}{{${lines(`pin: domain ${pin.domain}`, `Cloudflare ${pin.regions.join(", ")}`)}}}`);
        out.push(`    lb -->|${mermaidLabel(pin.regions.join(", "))}| ${pinId}`);
        pin.pools.forEach((pool, i) => out.push(`    ${pinId} -->|${mermaidLabel(`pool ${i + 1}`)}| ${regionId(pool)}`));
        out.push(`    ${pinId} -.->|${mermaidLabel("fallback, fails closed")}| ${regionId(pin.fallback)}`);
    }
    for (const sr of superRegions)
        for (const member of sr.regions) out.push(`    ${regionId(member)} --- ${ids.of("superregion", sr.name)}`);

    out.push("    classDef primary stroke-width:4px");
    const primary = doc.regions.filter((r) => r.primary).map((r) => regionId(r.name));
    if (primary.length > 0) out.push(`    class ${primary.join(",")} primary`);
    return out.join("\n");
}

/** Free text for a `%%` comment line: no line breaks. */
function oneLine(text: string): string {
    return text.replace(/[\r\n]+/g, " ");
}

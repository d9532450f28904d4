/**
 * URNs of a shipped stack, and whether a refactor keeps every deployed resource.
 *
 * `node -r ./scripts/register.js scripts/urns.ts --write` records the URN of every resource the
 * offline plan of each shipped stack registers into test/fixtures/urns-<stack>.txt: what deployed
 * stacks hold today. test/urns.test.ts plans again and checks, with `claims` below, that every
 * recorded URN is still claimed (by a resource's URN or one of its aliases), so a move under a new
 * component shows up as a rename in `pulumi preview`, never as a delete and a create.
 * Re-record only on purpose: when resources are really added or removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { at } from "../components/collections";
import type { AliasSpec, RecordedResource } from "./offline";
import { readStackFile, ROOT, runProgram, shippedStacks } from "./offline";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export const FIXTURES = path.join(ROOT, "test", "fixtures");

export function fixturePath(stack: string): string {
    return path.join(FIXTURES, `urns-${stack}.txt`);
}

export function readFixture(stack: string): string[] {
    return fs
        .readFileSync(fixturePath(stack), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "");
}

/**
 * The resources as the engine names them. The mock monitor's URNs carry only the parent's own type
 * (`newUrn` in @pulumi/pulumi runtime/mocks.js); the engine's carry the parent's whole qualified
 * type and leave out the root stack (`generateURN` in pulumi/pulumi pkg/resource/deploy/
 * step_generator.go). `urn`, `parent` and alias parents are rewritten to the engine's form.
 */
export function asEngine(resources: readonly RecordedResource[]): RecordedResource[] {
    const byMockUrn = new Map<string, string>();
    return resources.map((r) => {
        const parent = r.parent ? byMockUrn.get(r.parent) : undefined;
        if (r.parent && parent === undefined) throw new Error(`${r.urn} registered before its parent ${r.parent}`);
        const { stack, project } = parseUrn(r.urn);
        const urn = createUrn(r.name, r.type, parent ?? "", project, stack);
        byMockUrn.set(r.urn, urn);
        const aliases = r.aliases.map((a) =>
            "urn" in a || !a.parentUrn ? a : { ...a, parentUrn: byMockUrn.get(a.parentUrn) ?? a.parentUrn },
        );
        return { ...r, urn, parent: parent ?? null, aliases };
    });
}

/** Every URN (the engine's) one offline run of `stack` registers, sorted, and the resources so named. */
export async function planUrns(stack: string): Promise<{ urns: string[]; resources: readonly RecordedResource[] }> {
    const run = await runProgram(readStackFile(stack), undefined, { restore: true });
    if (run.failures.length > 0) throw new Error(`${stack}: ${run.failures.map((f) => `${f.subject}: ${f.message}`).join("; ")}`);
    const resources = asEngine(run.mocks.resources);
    return { urns: resources.map((r) => r.urn).sort(), resources };
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` parts. */
function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; type: string; name: string } {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.*)$/.exec(urn);
    if (!m) throw new Error(`not a URN: ${urn}`);
    const part = (i: number): string => at(m, i, `parts of URN ${urn}`);
    const qualifiedType = part(3);
    return { stack: part(1), project: part(2), qualifiedType, type: qualifiedType.split("$").pop()!, name: part(4) };
}

/** The engine's `resource.CreateURN`: the parent's qualified type, `$`, the type; the root stack adds nothing. */
function createUrn(name: string, type: string, parent: string, project: string, stack: string): string {
    const parentType = parent ? parseUrn(parent).qualifiedType : ROOT_STACK_TYPE;
    const qualified = parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** What `claims` found: old URNs each resource takes over, and what would be created or deleted. */
export interface Claims {
    /** New URN -> the old URN it takes over through an alias. */
    readonly moved: ReadonlyMap<string, string>;
    /** Resources found neither by URN nor by alias: `pulumi up` creates them. */
    readonly created: readonly RecordedResource[];
    /** Old URNs nothing claims: `pulumi up` deletes them. */
    readonly deleted: readonly string[];
    /** Old URNs claimed twice (the engine refuses that). */
    readonly duplicates: readonly string[];
}

/**
 * Which old URN each registered resource takes over, the way the engine decides it in
 * pulumi/pulumi pkg/resource/deploy/step_generator.go: its own URN first, then its aliases
 * (`generateAliases`: each alias collapsed with the resource's own name, type and parent
 * (`collapseAliasToUrn`; an alias parent that itself moved stands for its old URN; the root stack
 * means no parent), then the alias inherited from a parent that moved (`inheritedChildAlias`: the
 * parent's old URN, and the parent's old name in place of its new one at the head of the child's).
 * `resources` in registration order (parents before children), named as the engine does (`asEngine`).
 */
export function claims(before: readonly string[], resources: readonly RecordedResource[]): Claims {
    const olds = new Set(before);
    /** New URN -> the old URN it matched through an alias (the engine's `sg.aliases`). */
    const matched = new Map<string, string>();
    const seen = new Map<string, number>();
    const created: RecordedResource[] = [];
    for (const r of resources) {
        const { stack, project } = parseUrn(r.urn);
        const parent = r.parent ?? "";
        const collapse = (a: AliasSpec): string => {
            if ("urn" in a) return a.urn;
            let aliasParent = a.parentUrn || parent;
            if (a.parentUrn) aliasParent = matched.get(a.parentUrn) ?? aliasParent;
            if (a.noParent || (aliasParent && parseUrn(aliasParent).qualifiedType === ROOT_STACK_TYPE)) aliasParent = "";
            return createUrn(a.name || r.name, a.type || r.type, aliasParent, a.project || project, a.stack || stack);
        };
        const inherited = (childType: string, childName: string): string | undefined => {
            const parentAlias = parent ? matched.get(parent) : undefined;
            if (!parentAlias) return undefined;
            const parentName = parseUrn(parent).name;
            const old = parseUrn(parentAlias);
            const name = childName.startsWith(parentName) ? old.name + childName.slice(parentName.length) : childName;
            return `urn:pulumi:${stack}::${project}::${old.qualifiedType}$${childType}::${name}`;
        };
        const aliases = [
            ...r.aliases.map(collapse),
            inherited(r.type, r.name),
            ...r.aliases.map(collapse).map((u) => inherited(parseUrn(u).type, parseUrn(u).name)),
        ].filter((u): u is string => u !== undefined);
        const hit = [r.urn, ...aliases].find((u) => olds.has(u));
        if (hit === undefined) created.push(r);
        else {
            seen.set(hit, (seen.get(hit) ?? 0) + 1);
            if (hit !== r.urn) matched.set(r.urn, hit);
        }
    }
    return {
        moved: matched,
        created,
        deleted: before.filter((u) => !seen.has(u)),
        duplicates: [...seen].filter(([, n]) => n > 1).map(([u]) => u),
    };
}

async function main(): Promise<void> {
    if (!process.argv.includes("--write")) {
        console.error("usage: node -r ./scripts/register.js scripts/urns.ts --write  (re-records test/fixtures/urns-<stack>.txt)");
        process.exit(2);
    }
    fs.mkdirSync(FIXTURES, { recursive: true });
    for (const stack of shippedStacks()) {
        const { urns } = await planUrns(stack);
        fs.writeFileSync(fixturePath(stack), `${urns.join("\n")}\n`);
        console.log(`${path.relative(process.cwd(), fixturePath(stack))}: ${urns.length} URNs`);
    }
}

if (require.main === module)
    main().catch((e: unknown) => {
        console.error(e);
        process.exit(1);
    });

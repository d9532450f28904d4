/**
 * No replacement from a refactor: the offline plan of each shipped stack must claim every URN that
 * deployed stacks hold today (test/fixtures/urns-<stack>.txt, recorded by scripts/urns.ts), by its
 * own URN or through an alias, the way the engine matches them; and create no custom resource.
 */
import assert from "node:assert/strict";
import { claims, planUrns, readFixture } from "../scripts/urns";
import type { AliasSpec, RecordedResource } from "../scripts/offline";

const STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
function res(urn: string, parent: string | null, aliases: AliasSpec[] = [], custom = true): RecordedResource {
    const [qualified = "", name = ""] = urn.replace(/^urn:pulumi:s::p::/, "").split("::");
    return {
        urn,
        id: null,
        type: qualified.split("$").pop()!,
        name,
        parent,
        provider: null,
        custom,
        protect: false,
        retainOnDelete: false,
        dependencies: [],
        inputs: {},
        aliases,
    };
}
const spec = (s: Partial<{ name: string; type: string; parentUrn: string; noParent: boolean }>): AliasSpec => ({
    name: "",
    type: "",
    stack: "",
    project: "",
    parentUrn: "",
    noParent: false,
    ...s,
});

describe("claims: the engine's alias matching", () => {
    const region = "urn:pulumi:s::p::backend:regional:AwsRegionalStack::r";
    const oldVpc = "urn:pulumi:s::p::backend:regional:AwsRegionalStack$aws:ec2/vpc:Vpc::r-vpc";
    const network = "urn:pulumi:s::p::backend:regional:AwsRegionalStack$backend:regional:AwsNetwork::r-network";
    const newVpc = "urn:pulumi:s::p::backend:regional:AwsRegionalStack$backend:regional:AwsNetwork$aws:ec2/vpc:Vpc::r-vpc";
    const before = [STACK, region, oldVpc];

    it("sees a move under a new component without an alias as a delete and a create", () => {
        const c = claims(before, [
            res(STACK, null, [], false),
            res(region, STACK, [], false),
            res(network, region, [], false),
            res(newVpc, network),
        ]);
        assert.deepEqual(c.deleted, [oldVpc]);
        assert.deepEqual(
            c.created.filter((r) => r.custom).map((r) => r.urn),
            [newVpc],
        );
    });

    it("matches a moved resource through `{ parent: oldParent }`", () => {
        const c = claims(before, [
            res(STACK, null, [], false),
            res(region, STACK, [], false),
            res(network, region, [], false),
            res(newVpc, network, [spec({ parentUrn: region })]),
        ]);
        assert.deepEqual(c.deleted, []);
        assert.deepEqual(
            c.created.map((r) => r.urn),
            [network],
        );
        assert.equal(c.moved.get(newVpc), oldVpc);
    });

    it("carries a parent's type alias to its children, as the engine does", () => {
        const oldDb = "urn:pulumi:s::p::backend:cockroach:RegionalDatabase::database";
        const oldSql = "urn:pulumi:s::p::backend:cockroach:RegionalDatabase$pulumi-nodejs:dynamic:Resource::database-sql";
        const newDb = "urn:pulumi:s::p::backend:cockroach:ClusterDatabase::database";
        const newSql = "urn:pulumi:s::p::backend:cockroach:ClusterDatabase$pulumi-nodejs:dynamic:Resource::database-sql";
        const run = (aliases: AliasSpec[]) =>
            claims([STACK, oldDb, oldSql], [res(STACK, null, [], false), res(newDb, STACK, aliases, false), res(newSql, newDb)]);
        assert.deepEqual(run([spec({ type: "backend:cockroach:RegionalDatabase" })]).deleted, []);
        assert.deepEqual(run([]).deleted, [oldDb, oldSql]);
    });

    it("refuses two resources claiming one old URN", () => {
        const other = "urn:pulumi:s::p::backend:regional:AwsRegionalStack$backend:regional:AwsNetwork$aws:ec2/vpc:Vpc::r-vpc2";
        const c = claims(before, [
            res(STACK, null, [], false),
            res(region, STACK, [], false),
            res(network, region, [], false),
            res(newVpc, network, [spec({ parentUrn: region })]),
            res(other, network, [spec({ parentUrn: region, name: "r-vpc" })]),
        ]);
        assert.deepEqual(c.duplicates, [oldVpc]);
    });
});

for (const stack of ["prod", "staging"]) {
    describe(`${stack}: every deployed resource keeps its identity`, function () {
        this.timeout(120_000);
        let result: ReturnType<typeof claims>;
        let fixture: string[];
        before(async () => {
            fixture = readFixture(stack);
            const { resources } = await planUrns(stack);
            result = claims(fixture, resources);
        });

        it("claims every URN of the fixture, each once", () => {
            assert.deepEqual(result.deleted, [], "pulumi up would delete these");
            assert.deepEqual(result.duplicates, []);
        });

        it("creates no custom resource: only the new components that group the regional stacks' children", () => {
            assert.deepEqual(
                result.created.filter((r) => r.custom).map((r) => r.urn),
                [],
                "pulumi up would create these (a move without an alias is a replacement)",
            );
            for (const r of result.created)
                assert.match(r.type, /^backend:regional:(Aws|Gcp)(Network|RegionalData|DatabaseNodes|AppTier)$/, r.urn);
        });
    });
}

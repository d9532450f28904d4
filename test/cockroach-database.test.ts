/**
 * RegionalDatabase under the root hook's Pulumi mocks: what it registers and with which inputs.
 */
import assert from "node:assert/strict";
import Module from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { planTopology } from "../components/topology";
import { ClusterDatabase } from "../components/cockroach/database";
import { databaseSpec } from "../components/cockroach/spec";
import { createStatements, sqlOf } from "../components/cockroach/sql";
import { registeredUnder, shippedConfig, shippedMigrations, value } from "./support";

describe("cockroach RegionalDatabase component", () => {
    const config = shippedConfig("staging");
    const spec = databaseSpec(config, planTopology(config), shippedMigrations());

    it("registers the component and one dynamic resource carrying the spec, with the key and cert secret", async () => {
        const db = new ClusterDatabase("crdb-test", {
            spec,
            connection: {
                host: "sql.staging.internal",
                caCert: "-----BEGIN CERTIFICATE-----CA",
                clientCert: "-----BEGIN CERTIFICATE-----CLIENT",
                clientKey: pulumi.secret("-----BEGIN PRIVATE KEY-----KEY"),
            },
        });
        const resources = await registeredUnder("crdb-test");
        const component = resources.find((r) => r.type === "backend:cockroach:ClusterDatabase");
        const sql = resources.find((r) => r.type === "pulumi-nodejs:dynamic/cockroach:DatabaseSql");
        assert.ok(component, resources.map((r) => r.type).join(", "));
        assert.ok(sql, resources.map((r) => r.type).join(", "));
        assert.equal(sql.name, "crdb-test-sql");
        assert.equal(sql.parent, component.urn);
        assert.equal((sql.inputs.spec as { name: string }).name, "app");
        assert.deepEqual(
            (sql.inputs.spec as { superRegions: { name: string }[] }).superRegions.map((s) => s.name),
            ["eu", "us"],
        );
        const connection = sql.inputs.connection as Record<string, unknown>;
        assert.equal(connection.clientKey, "[secret]");
        assert.equal(connection.clientCert, "[secret]");
        assert.equal(connection.host, "sql.staging.internal");
        assert.equal(connection.port, 26257);
        assert.equal(connection.user, "root");
        assert.equal(typeof sql.inputs.__provider, "string", "the serialized provider travels with the resource");

        // Load the serialized provider the way Pulumi's dynamic provider host does, and check it
        // still plans the same statements: the serialization captured everything it needs.
        const host = new Module(path.join(__dirname, "serialized-provider.js"), module) as Module & {
            _compile(code: string, file: string): void;
        };
        host.paths = module.paths;
        host._compile(String(sql.inputs.__provider), host.id);
        type Loaded = {
            check(o: unknown, n: unknown): Promise<{ inputs: { pendingStatements: string[] } }>;
            update(id: string, o: unknown, n: unknown): Promise<unknown>;
        };
        const provider = (host.exports as { handler: () => Loaded }).handler();
        const checked = await provider.check({}, { spec, connection: {} });
        assert.deepEqual(checked.inputs.pendingStatements, sqlOf(createStatements(spec)));
        // The refusal path runs before any connection is made.
        const wider = { ...spec, regions: [...spec.regions, "aws-eu-central-1"] };
        await assert.rejects(
            provider.update("app", { spec: wider, connection: {} }, { spec, connection: {} }),
            /allowDestructive\.dropRegion/,
        );

        assert.equal(await value(db.databaseName), "app");
        assert.deepEqual(await value(db.regions), ["aws-us-east-2", "gcp-europe-west1"]);
    });
});

/**
 * The builders both regional stacks use for their nodes (components/cluster/nodeBoot.ts): the boot
 * spec of a node and the secrets its identity may read. The two must agree: a secret the boot
 * script fetches but the identity cannot read leaves the node without certificates.
 */
import assert from "node:assert/strict";
import { validateBootSpec, type BootSpec } from "../components/cluster/bootSpec";
import { nodeBootSpec, nodeSecretRole, readableSecrets, type NodeBootInput } from "../components/cluster/nodeBoot";

const secretName = (role: string) => `prod-aws-eu-central-1-${role}-x1`;

function input(overrides: Partial<NodeBootInput> = {}): NodeBootInput {
    return {
        cloud: "aws",
        environment: "prod",
        version: "25.4.2",
        arch: "arm64",
        crdbRegion: "aws-eu-central-1",
        zone: "eu-central-1b",
        nodeIndex: 1,
        publicIp: "203.0.113.21",
        privateIp: "10.1.144.10",
        join: ["203.0.113.11:26257", "203.0.113.21:26257", "198.51.100.41:26257"],
        dataDevices: ["/dev/sdf"],
        store: { kind: "aws", region: "eu-central-1" },
        secretName,
        ...overrides,
    };
}

/** Every secret name the node's scripts fetch. */
function fetched(spec: BootSpec): string[] {
    const init = spec.init;
    return [spec.nodeSecret, ...(init ? [init.rootSecret, init.appSecret, ...(init.licenseSecret ? [init.licenseSecret] : [])] : [])];
}

describe("node boot builders (components/cluster/nodeBoot.ts)", () => {
    it("nodeBootSpec: the cluster is the environment, the locality comes from the zone, the node reads its own secret", () => {
        const spec = nodeBootSpec(input());
        validateBootSpec(spec);
        assert.equal(spec.clusterName, "prod");
        assert.equal(spec.locality, "cloud=aws,region=aws-eu-central-1,zone=aws-eu-central-1b");
        assert.equal(spec.nodeSecret, secretName("node-1"));
        assert.equal(spec.init, undefined);
        const gcp = nodeBootSpec(
            input({ cloud: "gcp", crdbRegion: "gcp-europe-west1", zone: "europe-west1-c", store: { kind: "gcp", project: "acme-prod" } }),
        );
        assert.equal(gcp.locality, "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-c");
    });

    it("nodeBootSpec: the init node names root, app and (only when one exists) licence secrets, and a marker under the bucket", () => {
        const withLicense = nodeBootSpec(input({ init: { license: true, appUser: "app", bucketUri: "s3://prod-backups" } }));
        validateBootSpec(withLicense);
        assert.deepEqual(withLicense.init, {
            rootSecret: secretName("root"),
            licenseSecret: secretName("license"),
            appSecret: secretName("app"),
            appUser: "app",
            markerUri: "s3://prod-backups/cluster/initialized",
        });
        const without = nodeBootSpec(input({ init: { license: false, appUser: "app", bucketUri: "s3://prod-backups" } }));
        assert.equal(without.init?.licenseSecret, undefined);
    });

    it("readableSecrets: every secret a node's boot script fetches is readable by the region's node identity", () => {
        const nodes = [{ index: 0 }, { index: 1 }, { index: 2 }];
        for (const license of [true, false]) {
            const secrets = readableSecrets(nodes, {
                nodes: nodes.map((n) => `node-secret-${n.index}`),
                init: { root: "root-secret", app: "app-secret", license: license ? "license-secret" : undefined },
            });
            const readable = new Set(secrets.map((s) => secretName(s.role)));
            for (const n of nodes) {
                const init = n.index === 0 ? { license, appUser: "app", bucketUri: "s3://prod-backups" } : undefined;
                for (const name of fetched(nodeBootSpec(input({ nodeIndex: n.index, init }))))
                    assert.ok(readable.has(name), `node ${n.index} fetches ${name}, which its identity cannot read`);
            }
            // Nothing more: the identity reads exactly what the region's nodes fetch.
            assert.equal(secrets.length, nodes.length + 2 + (license ? 1 : 0));
        }
    });

    it("readableSecrets: pairs each node's secret with its node index, in node order; no init secrets outside the init region", () => {
        const nodes = [{ index: 3 }, { index: 4 }];
        assert.deepEqual(readableSecrets(nodes, { nodes: ["a", "b"] }), [
            { role: nodeSecretRole(3), secret: "a" },
            { role: nodeSecretRole(4), secret: "b" },
        ]);
        assert.equal(nodeSecretRole(3), "node-3");
        assert.deepEqual(
            readableSecrets([{ index: 0 }], { nodes: ["n"], init: { root: "r", app: "p", license: "l" } }).map((s) => s.role),
            ["node-0", "root", "app", "license"],
        );
    });

    it("readableSecrets: refuses a node secret count that does not match the nodes", () => {
        assert.throws(() => readableSecrets([{ index: 0 }, { index: 1 }], { nodes: ["only-one"] }), {
            message: "readableSecrets: 1 node secrets for 2 nodes; pass one per node.",
        });
    });
});

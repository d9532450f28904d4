import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { ClusterCertificates, nodeCertificateSans, type CertificateRegion, type NodeEndpoints } from "../components/cluster/certificates";
import { sqlHostname } from "../components/regional/naming";
import { REGIONS } from "../components/regions";
import { registeredUnder, value } from "./support";

const NODE: NodeEndpoints = {
    privateIp: "10.1.144.10",
    publicIp: "203.0.113.21",
    sqlEndpointIps: ["10.1.128.20", "10.1.144.20", "10.1.160.20"],
    sqlHost: "sql.aws-us-east-1.prod.crdb.internal",
};

describe("cluster certificates (components/cluster/certificates.ts)", () => {
    describe("nodeCertificateSans", () => {
        it("names the node's private and public address, the SQL endpoint's addresses and name, and localhost", () => {
            assert.deepEqual(nodeCertificateSans(NODE), {
                ipAddresses: ["10.1.144.10", "203.0.113.21", "10.1.128.20", "10.1.144.20", "10.1.160.20", "127.0.0.1", "::1"],
                dnsNames: ["localhost", "sql.aws-us-east-1.prod.crdb.internal"],
            });
        });

        it("lists an address once even when it serves twice", () => {
            const sans = nodeCertificateSans({
                ...NODE,
                publicIp: NODE.privateIp,
                sqlEndpointIps: ["10.1.144.20", "10.1.144.20", "127.0.0.1"],
            });
            assert.deepEqual(sans.ipAddresses, ["10.1.144.10", "10.1.144.20", "127.0.0.1", "::1"]);
        });

        it("accepts the SQL host name of every catalog region", () => {
            for (const r of REGIONS)
                for (const env of ["prod", "staging"]) {
                    const sqlHost = sqlHostname(env, `${r.cloud}-${r.region}`);
                    assert.deepEqual(nodeCertificateSans({ ...NODE, sqlHost }).dnsNames, ["localhost", sqlHost]);
                }
        });

        it("rejects what is not an IP address, including forms Go's parser rejects", () => {
            for (const bad of ["10.1.144", "010.1.144.10", "3232235777", "not-an-ip", "", "fe80::1%eth0", "10.1.144.10/32"]) {
                const message = `node certificate: "${bad}" is not an IP address.`;
                assert.throws(() => nodeCertificateSans({ ...NODE, privateIp: bad }), { message });
                assert.throws(() => nodeCertificateSans({ ...NODE, publicIp: bad }), { message });
                assert.throws(() => nodeCertificateSans({ ...NODE, sqlEndpointIps: ["10.1.128.20", bad] }), { message });
            }
        });

        it("rejects what is not a DNS name", () => {
            for (const sqlHost of [
                "SQL.example.internal",
                "sql host.internal",
                "sql_host.internal",
                "sql..internal",
                "-sql.internal",
                "sql-.internal",
                ".sql.internal",
                "",
                `${"a".repeat(64)}.internal`,
            ])
                assert.throws(() => nodeCertificateSans({ ...NODE, sqlHost }), {
                    message: `node certificate: "${sqlHost}" is not a DNS name.`,
                });
        });
    });

    describe("ClusterCertificates (under mocks)", () => {
        const regions = (name: string): CertificateRegion[] => [
            {
                name: "aws-us-east-1",
                sqlEndpointIps: ["10.1.128.20", "10.1.144.20", "10.1.160.20"],
                sqlHost: sqlHostname(name, "aws-us-east-1"),
                nodes: [
                    { index: 0, privateIp: "10.1.128.10", publicIp: "203.0.113.11" },
                    { index: 1, privateIp: "10.1.144.10", publicIp: pulumi.output("203.0.113.12") },
                    { index: 2, privateIp: "10.1.160.10", publicIp: "203.0.113.13" },
                ],
            },
            {
                name: "gcp-europe-west1",
                sqlEndpointIps: ["10.115.0.5"],
                sqlHost: sqlHostname(name, "gcp-europe-west1"),
                nodes: [{ index: 0, privateIp: "10.115.0.10", publicIp: "198.51.100.21" }],
            },
        ];

        async function build(name: string, appUser?: string) {
            const tlsProvider = new tls.Provider(`p-${name}-provider-tls`, {});
            const randomProvider = new random.Provider(`p-${name}-provider-random`, {});
            const certs = new ClusterCertificates(name, { regions: regions(name), appUser }, { providers: [tlsProvider, randomProvider] });
            const resources = await registeredUnder(name);
            const ofType = (type: string) => resources.filter((r) => r.type === type);
            const named = (n: string) => {
                const found = resources.find((r) => r.name === n);
                assert.ok(found, `${n} was not registered; got ${resources.map((r) => r.name).join(", ")}`);
                return found;
            };
            return {
                certs,
                resources,
                ofType,
                named,
                refs: {
                    tls: `${await value(tlsProvider.urn)}::p-${name}-provider-tls-provider-id`,
                    random: `${await value(randomProvider.urn)}::p-${name}-provider-random-provider-id`,
                },
            };
        }

        it("makes one self-signed CA and nothing but ECDSA P-256 keys", async () => {
            const { ofType, named } = await build("ccert-ca");
            const cas = ofType("tls:index/selfSignedCert:SelfSignedCert");
            assert.equal(cas.length, 1);
            const ca = named("ccert-ca-ca");
            assert.equal(ca.inputs.isCaCertificate, true);
            assert.deepEqual(ca.inputs.subject, { commonName: "Cockroach CA", organization: "Cockroach" });
            assert.ok((ca.inputs.allowedUses as string[]).includes("certSigning"));
            assert.equal(ca.inputs.validityPeriodHours, 87600);
            const keys = ofType("tls:index/privateKey:PrivateKey");
            // CA + 4 nodes + root + app.
            assert.equal(keys.length, 7);
            for (const key of keys) assert.deepEqual(key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" }, key.name);
        });

        it("issues each node a certificate with common name node naming every address and name it is reached by", async () => {
            const { ofType, named } = await build("ccert-node");
            assert.equal(ofType("tls:index/locallySignedCert:LocallySignedCert").length, 6);
            for (const region of regions("ccert-node"))
                for (const node of region.nodes) {
                    const id = `ccert-node-${region.name}-node-${node.index}`;
                    const csr = named(`${id}-csr`);
                    assert.deepEqual(csr.inputs.subject, { commonName: "node", organization: "Cockroach" });
                    const publicIp = typeof node.publicIp === "string" ? node.publicIp : "203.0.113.12";
                    assert.deepEqual(csr.inputs.ipAddresses, [node.privateIp, publicIp, ...region.sqlEndpointIps, "127.0.0.1", "::1"], id);
                    assert.deepEqual(csr.inputs.dnsNames, ["localhost", region.sqlHost], id);
                    const cert = named(`${id}-cert`);
                    const uses = cert.inputs.allowedUses as string[];
                    assert.ok(uses.includes("serverAuth") && uses.includes("clientAuth"), `${id}: ${uses.join(",")}`);
                    assert.ok(!uses.includes("certSigning"), id);
                }
            assert.deepEqual(
                (named("ccert-node-gcp-europe-west1-node-0-csr").inputs.dnsNames as string[])[1],
                "sql.gcp-europe-west1.ccert-node.crdb.internal",
            );
        });

        it("issues client certificates for root and the app user, for client authentication only", async () => {
            const { named } = await build("ccert-client");
            for (const [user, id] of [
                ["root", "ccert-client-root"],
                ["app", "ccert-client-app"],
            ]) {
                const csr = named(`${id}-csr`);
                assert.deepEqual(csr.inputs.subject, { commonName: user, organization: "Cockroach" });
                assert.equal(csr.inputs.ipAddresses, undefined);
                assert.equal(csr.inputs.dnsNames, undefined);
                assert.deepEqual(named(`${id}-cert`).inputs.allowedUses, ["digitalSignature", "keyEncipherment", "clientAuth"]);
            }
        });

        it("names the app's client certificate after a custom app user", async () => {
            const { named } = await build("ccert-custom", "svc_api");
            assert.deepEqual(named("ccert-custom-svc_api-csr").inputs.subject, { commonName: "svc_api", organization: "Cockroach" });
            assert.equal(named("ccert-custom-svc_api-password").type, "random:index/randomPassword:RandomPassword");
        });

        it("makes a 32-character letters-and-digits password and keeps it and every private key secret", async () => {
            const { certs, named } = await build("ccert-secret");
            assert.deepEqual(named("ccert-secret-app-password").inputs, { length: 32, special: false });
            assert.equal(await pulumi.isSecret(certs.appPassword), true);
            assert.equal(await pulumi.isSecret(certs.root.keyPem), true);
            assert.equal(await pulumi.isSecret(certs.app.keyPem), true);
            for (const pairs of Object.values(certs.nodes))
                for (const pair of pairs) assert.equal(await pulumi.isSecret(pair.keyPem), true);
            assert.deepEqual(Object.keys(certs.nodes).sort(), ["aws-us-east-1", "gcp-europe-west1"]);
            assert.equal(certs.nodes["aws-us-east-1"]!.length, 3);
        });

        it("uses the given tls and random providers and parents everything under the component", async () => {
            const { resources, refs } = await build("ccert-prov");
            const component = resources.find((r) => r.type === "backend:cluster:ClusterCertificates");
            assert.ok(component);
            for (const r of resources.filter((x) => x.custom)) {
                assert.equal(r.parent, component.urn, r.name);
                assert.equal(r.provider, r.type.startsWith("random:") ? refs.random : refs.tls, r.name);
            }
        });
    });
});

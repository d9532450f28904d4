import assert from "node:assert/strict";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { OriginCertificate } from "../components/traffic";
import { registeredUnder } from "./hooks";

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("OriginCertificate (under mocks)", () => {
    async function build(name: string, args: Partial<ConstructorParameters<typeof OriginCertificate>[1]> = {}) {
        const cf = new cloudflare.Provider(`p-${name}-provider-cf`, { apiToken: "offline-token-0123456789" });
        const tlsProvider = new tls.Provider(`p-${name}-provider-tls`, {});
        const cert = new OriginCertificate(name, { hostnames: ["api.example.com"], ...args }, { providers: [cf, tlsProvider] });
        await value(cert.expiresOn);
        const resources = await registeredUnder(name);
        const byType = (type: string) => resources.find((r) => r.type === type)!;
        return {
            cert,
            key: byType("tls:index/privateKey:PrivateKey"),
            csr: byType("tls:index/certRequest:CertRequest"),
            origin: byType("cloudflare:index/originCaCertificate:OriginCaCertificate"),
            resources,
            refs: {
                cf: `${await value(cf.urn)}::p-${name}-provider-cf-provider-id`,
                tls: `${await value(tlsProvider.urn)}::p-${name}-provider-tls-provider-id`,
            },
        };
    }

    it("makes an RSA key and CSR for the hostname and has Cloudflare's Origin CA sign it", async () => {
        const { key, csr, origin, resources, refs } = await build("toc-rsa");
        assert.deepEqual(resources.map((r) => r.name).sort(), ["toc-rsa", "toc-rsa-cert", "toc-rsa-csr", "toc-rsa-key"]);
        assert.deepEqual(key.inputs, { algorithm: "RSA", rsaBits: 2048 });
        assert.deepEqual(csr.inputs.dnsNames, ["api.example.com"]);
        assert.deepEqual(csr.inputs.subject, { commonName: "api.example.com" });
        assert.equal(origin.inputs.requestType, "origin-rsa");
        assert.equal(origin.inputs.requestedValidity, 5475);
        assert.deepEqual(origin.inputs.hostnames, ["api.example.com"]);
        assert.equal(key.provider, refs.tls);
        assert.equal(csr.provider, refs.tls);
        assert.equal(origin.provider, refs.cf);
    });

    it("offers ECDSA P-256 (origin-ecc) and a shorter validity", async () => {
        const { key, origin } = await build("toc-ecc", { keyAlgorithm: "ECDSA", validityDays: 365 });
        assert.deepEqual(key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
        assert.equal(origin.inputs.requestType, "origin-ecc");
        assert.equal(origin.inputs.requestedValidity, 365);
    });

    it("outputs the certificate and the private key as secrets", async () => {
        const { cert } = await build("toc-secret");
        assert.equal(await pulumi.isSecret(cert.certificatePem), true);
        assert.equal(await pulumi.isSecret(cert.privateKeyPem), true);
    });
});

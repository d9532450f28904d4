/**
 * The AWS origins' publicly trusted certificates: the pure choice of the one validation record,
 * the component under mocks, and the whole program through the offline plan's document.
 */
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { acmValidationRecord, OriginCertificates, originTlsSummary, type AcmValidationOption } from "../components/traffic";
import { shippedStacks, type RecordedResource } from "../scripts/offline";
import type { PlanDocument } from "../scripts/plan";
import { recorded, registeredUnder, shippedPlan, value } from "./support";

/** What ACM returns for `api.example.com` in one account (the same record in every region). */
const option = (domainName = "api.example.com", token = "a79865eb4cd1a6ab990a45779b4e0b96"): AcmValidationOption => ({
    domainName,
    resourceRecordName: `_${token}.${domainName}.`,
    resourceRecordType: "CNAME",
    resourceRecordValue: `_424c7224e9b0146f9a8808af955727d0.${token.slice(0, 10)}.acm-validations.aws.`,
});

describe("acmValidationRecord (pure)", () => {
    it("gives one record for every region asking the same, without the trailing dots Cloudflare strips", () => {
        const record = acmValidationRecord("api.example.com", {
            "aws-us-east-1": [option()],
            "aws-eu-central-1": [option()],
            "aws-eu-west-1": [option()],
        });
        assert.deepEqual(record, {
            name: "_a79865eb4cd1a6ab990a45779b4e0b96.api.example.com",
            type: "CNAME",
            content: "_424c7224e9b0146f9a8808af955727d0.a79865eb4c.acm-validations.aws",
        });
    });

    it("works for a single region and matches the hostname case-insensitively", () => {
        assert.equal(acmValidationRecord("API.example.com", { "aws-us-east-1": [option()] }).type, "CNAME");
    });

    it("refuses regions asking for different records, naming them (one record cannot validate both)", () => {
        assert.throws(
            () =>
                acmValidationRecord("api.example.com", {
                    "aws-us-east-1": [option()],
                    "aws-eu-west-1": [option("api.example.com", "0ther")],
                }),
            /different validation records for api\.example\.com: aws-us-east-1 _a79865eb4cd1a6ab990a45779b4e0b96\.api\.example\.com -> .*; aws-eu-west-1 _0ther\.api\.example\.com -> .*different AWS accounts/,
        );
    });

    it("refuses a region whose certificate has no option for the hostname, or no region at all", () => {
        assert.throws(
            () => acmValidationRecord("api.example.com", { "aws-us-east-1": [option("www.example.com")] }),
            /aws-us-east-1 has no DNS validation option for api\.example\.com \(it lists www\.example\.com\)/,
        );
        assert.throws(() => acmValidationRecord("api.example.com", {}), /no AWS region/);
    });
});

describe("originTlsSummary (pure)", () => {
    it("says which certificate each origin serves and why the monitor trusts it", () => {
        const [a, g] = originTlsSummary(
            [
                { name: "aws-us-east-1", cloud: "aws" },
                { name: "gcp-europe-west1", cloud: "gcp" },
            ],
            "api.example.com",
        );
        assert.equal(a!.region, "aws-us-east-1");
        assert.match(a!.serves, /^ACM .*api\.example\.com/);
        assert.match(a!.trustedBecause, /public CA/);
        assert.equal(g!.region, "gcp-europe-west1");
        assert.match(g!.serves, /\*\.run\.app/);
        assert.match(g!.trustedBecause, /public CA.*Host header/);
    });
});

describe("OriginCertificates (under mocks)", () => {
    const REGIONS = { "aws-us-east-1": "us-east-1", "aws-eu-central-1": "eu-central-1" } as const;

    async function build(name: string, regions: readonly (keyof typeof REGIONS)[]) {
        const cf = new cloudflare.Provider(`${name}-cf`, { apiToken: "offline-token-0123456789" });
        const providers = regions.map((r) => new aws.Provider(`${name}-${r}-p`, { region: REGIONS[r] }));
        const certs = new OriginCertificates(
            name,
            {
                zoneId: "fedcba9876543210fedcba9876543210",
                hostname: "api.example.com",
                regions: regions.map((r, i) => ({ name: r, provider: providers[i]! })),
            },
            { provider: cf },
        );
        // A listener as the regional stack makes it, to see what it waits for.
        const listener = new aws.lb.Listener(
            `${name}-listener`,
            {
                loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1",
                port: 443,
                protocol: "HTTPS",
                certificateArn: certs.certificateArns[regions[0]!],
                defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
            },
            { provider: providers[0] },
        );
        await value(listener.arn);
        const resources = (await registeredUnder(name)).filter((r) => !r.type.startsWith("pulumi:providers:"));
        const refOf = async (p: pulumi.ProviderResource, n: string) => `${await value(p.urn)}::${n}-provider-id`;
        return {
            certs,
            resources,
            listener: resources.find((r) => r.name === `${name}-listener`)!,
            ofType: (type: string) => resources.filter((r) => r.type === type),
            cfRef: await refOf(cf, `${name}-cf`),
            awsRefs: await Promise.all(regions.map((r, i) => refOf(providers[i]!, `${name}-${r}-p`))),
        };
    }

    it("requests a DNS-validated certificate per region through that region's provider, and writes one DNS-only record", async () => {
        const { ofType, cfRef, awsRefs } = await build("otls-two", ["aws-us-east-1", "aws-eu-central-1"]);
        const certificates = ofType("aws:acm/certificate:Certificate");
        const validations = ofType("aws:acm/certificateValidation:CertificateValidation");
        const records = ofType("cloudflare:index/dnsRecord:DnsRecord");
        assert.deepEqual(
            certificates.map((c) => [c.name, c.inputs.domainName, c.inputs.validationMethod, c.provider]),
            [
                ["otls-two-aws-us-east-1", "api.example.com", "DNS", awsRefs[0]],
                ["otls-two-aws-eu-central-1", "api.example.com", "DNS", awsRefs[1]],
            ],
        );
        assert.ok(
            certificates.every((c) => c.inputs.certificateBody === undefined && c.inputs.privateKey === undefined),
            "requested, not imported",
        );
        assert.equal(records.length, 1, "one validation record for every region");
        const [record] = records;
        assert.equal(record!.provider, cfRef);
        assert.equal(record!.inputs.zoneId, "fedcba9876543210fedcba9876543210");
        assert.equal(record!.inputs.type, "CNAME");
        assert.equal(record!.inputs.proxied, false);
        assert.match(String(record!.inputs.name), /^_[0-9a-f]+\.api\.example\.com$/);
        assert.match(String(record!.inputs.content), /\.acm-validations\.aws$/);
        assert.ok(
            certificates.every((c) => record!.dependencies.includes(c.urn)),
            "the record is written once every region's certificate asked for it",
        );
        assert.deepEqual(
            validations.map((v) => [v.inputs.certificateArn, v.inputs.validationRecordFqdns, v.provider]),
            [
                ["arn:aws:acm:us-east-1:123456789012:otls-two-aws-us-east-1", [record!.inputs.name], awsRefs[0]],
                ["arn:aws:acm:eu-central-1:123456789012:otls-two-aws-eu-central-1", [record!.inputs.name], awsRefs[1]],
            ],
        );
        assert.ok(
            validations.every((v) => v.dependencies.includes(record!.urn)),
            "every validation waits on the record",
        );
    });

    it("hands out the validated ARN, so a listener using it waits for validation", async () => {
        const { certs, listener, ofType } = await build("otls-arn", ["aws-us-east-1"]);
        const [validation] = ofType("aws:acm/certificateValidation:CertificateValidation");
        assert.equal(await value(certs.certificateArns["aws-us-east-1"]), "arn:aws:acm:us-east-1:123456789012:otls-arn-aws-us-east-1");
        assert.ok(listener.dependencies.includes(validation!.urn), "the listener depends on the CertificateValidation");
        assert.deepEqual(await value(certs.validationRecord), {
            name: `_${Buffer.from("api.example.com").toString("hex").slice(0, 32)}.api.example.com`,
            type: "CNAME",
            content: `_${Buffer.from("api.example.com").toString("hex").slice(0, 32)}.offline.acm-validations.aws`,
        });
    });

    it("refuses an empty or repeated region list before registering anything", () => {
        const before = recorded.length;
        const cf = new cloudflare.Provider("otls-bad-cf", { apiToken: "offline-token-0123456789" });
        const p = new aws.Provider("otls-bad-p", { region: "us-east-1" });
        assert.throws(
            () => new OriginCertificates("otls-empty", { zoneId: "z", hostname: "api.example.com", regions: [] }, { provider: cf }),
            /OriginCertificates "otls-empty": regions is empty/,
        );
        assert.throws(
            () =>
                new OriginCertificates(
                    "otls-repeat",
                    {
                        zoneId: "z",
                        hostname: "api.example.com",
                        regions: [
                            { name: "aws-us-east-1", provider: p },
                            { name: "aws-us-east-1", provider: p },
                        ],
                    },
                    { provider: cf },
                ),
            /repeat a name/,
        );
        assert.ok(!recorded.slice(before).some((r: RecordedResource) => r.type.startsWith("aws:acm/")));
    });
});

describe("origin TLS in the offline plan of every shipped stack", function () {
    const docs = new Map<string, PlanDocument>();
    before(async function () {
        this.timeout(180000);
        // The plan document as `npm run plan -- --json` prints it, made once per test process.
        for (const stack of shippedStacks()) docs.set(stack, await shippedPlan(stack));
    });

    for (const stack of shippedStacks()) {
        it(`${stack}: a certificate and its validation in each AWS region, one record, listeners on their own region's certificate`, () => {
            const doc = docs.get(stack)!;
            const of = (type: string) => doc.resources.filter((r) => r.type === type);
            const awsRegions = doc.regions.filter((r) => r.cloud === "aws").map((r) => r.name);
            assert.ok(awsRegions.length > 0);
            assert.deepEqual(
                of("aws:acm/certificate:Certificate")
                    .map((r) => r.region)
                    .sort(),
                [...awsRegions].sort(),
            );
            assert.deepEqual(
                of("aws:acm/certificateValidation:CertificateValidation")
                    .map((r) => r.region)
                    .sort(),
                [...awsRegions].sort(),
            );
            const records = of("cloudflare:index/dnsRecord:DnsRecord");
            assert.equal(records.length, 1);
            assert.equal(records[0]!.inputs.proxied, false);
            for (const v of of("aws:acm/certificateValidation:CertificateValidation"))
                assert.deepEqual(v.inputs.validationRecordFqdns, [records[0]!.inputs.name]);
            const https = of("aws:lb/listener:Listener").filter((l) => l.inputs.protocol === "HTTPS");
            assert.equal(https.length, awsRegions.length);
            for (const l of https) {
                const cert = of("aws:acm/certificate:Certificate").find((c) => c.region === l.region)!;
                assert.match(String(l.inputs.certificateArn), new RegExp(`^arn:aws:acm:[a-z0-9-]+:\\d{12}:${cert.name}$`), l.name);
            }
        });

        it(`${stack}: nothing of the Origin CA remains, and every monitor validates certificates`, () => {
            const doc = docs.get(stack)!;
            assert.deepEqual(
                // The cluster's own CA and certificates (ClusterCertificates) are the only tls resources.
                doc.resources
                    .filter(
                        (r) =>
                            /originCaCertificate/.test(r.type) ||
                            (r.type.startsWith("tls:") && !r.urn.includes("backend:cluster:ClusterCertificates$")),
                    )
                    .map((r) => r.urn),
                [],
            );
            assert.ok(!doc.resources.some((r) => r.type === "aws:acm/certificate:Certificate" && r.inputs.certificateBody !== undefined));
            const monitors = doc.resources.filter((r) => r.type === "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor");
            assert.ok(monitors.length > 0);
            for (const m of monitors) assert.equal(m.inputs.allowInsecure, false, m.name);
        });

        it(`${stack}: the outputs say which certificate each origin serves`, () => {
            const doc = docs.get(stack)!;
            const tls = doc.outputs.originTls as { region: string; cloud: string; serves: string; trustedBecause: string }[];
            assert.deepEqual(
                tls.map((t) => t.region),
                doc.regions.map((r) => r.name),
            );
            for (const t of tls) assert.match(t.serves, t.cloud === "aws" ? /^ACM / : /run\.app/);
        });
    }
});

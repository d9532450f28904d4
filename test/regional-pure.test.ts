import assert from "node:assert/strict";
import { validateBootSpec, type BootSpec } from "../components/cluster/bootSpec";
import { CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS, startupFailureThreshold } from "../components/regional/gcp/app";
import { awsImageParameter, cpuArchitecture, gcpDiskTypes, gcpImage } from "../components/regional/machines";
import {
    AWS_SECRET_NAME,
    awsSecretName,
    checkSuffix,
    DEPLOYMENT_SUFFIX_BYTES,
    fitName,
    GCP_KMS_ID,
    gcpCryptoKeyName,
    gcpKeyRingName,
    gcpSecretId,
    gcpServiceAccountId,
    gcsBucketName,
    regionPrefix,
    s3BucketName,
    shortHash,
    sqlHostname,
    sqlZoneName,
} from "../components/regional/naming";
import { REGIONS } from "../components/regions";

/** Environment names config accepts (1-16 of a-z, 0-9, '-', starting with a letter), short and longest. */
const ENVIRONMENTS = ["a", "prod", "staging", "preview-2026-eu", "abcdefghijklmnop"];
/** GCP project ids: 6-30 characters. */
const PROJECTS = ["acme-backend-prod", "p12345", "a-thirty-character-project-id0"];
const AWS_REGIONS = REGIONS.filter((r) => r.cloud === "aws").map((r) => `aws-${r.region}`);
const GCP_REGIONS = REGIONS.filter((r) => r.cloud === "gcp");

/** S3 bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** GCS bucket names without dots: 3-63 characters. */
const GCS_BUCKET = /^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/;
/** GCP service account id (the part before `@`): 6-30 characters. */
const GCP_SERVICE_ACCOUNT = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** GCP Secret Manager secret id. */
const GCP_SECRET = /^[A-Za-z0-9_-]{1,255}$/;

/** A boot spec that only varies the secret name, to check names against the boot script's rules. */
function specWithSecret(cloud: "aws" | "gcp", nodeSecret: string): BootSpec {
    return {
        cloud,
        clusterName: "prod",
        version: "25.4.2",
        arch: "amd64",
        crdbRegion: cloud === "aws" ? "aws-us-east-1" : "gcp-europe-west1",
        locality:
            cloud === "aws"
                ? "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a"
                : "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-b",
        publicIp: "203.0.113.10",
        privateIp: "10.1.128.10",
        join: ["203.0.113.10:26257"],
        dataDevices: ["/dev/sdf"],
        store: cloud === "aws" ? { kind: "aws", region: "us-east-1" } : { kind: "gcp", project: "acme-backend-prod" },
        nodeSecret,
    };
}

describe("regional naming (components/regional/naming.ts)", () => {
    describe("fitName and shortHash", () => {
        it("leaves a name that fits unchanged", () => {
            assert.equal(fitName("prod-aws-us-east-1-backups", 63), "prod-aws-us-east-1-backups");
            assert.equal(fitName("x".repeat(30), 30), "x".repeat(30));
        });

        it("shortens a long name to the limit with a hash of the whole name, the same every time", () => {
            const long = "preview-2026-eu-gcp-northamerica-northeast2-backups-0123456789abcdef";
            for (const max of [20, 30, 63]) {
                const fitted = fitName(long, max);
                assert.ok(fitted.length <= max, `${fitted} is longer than ${max}`);
                assert.equal(fitted, fitName(long, max));
                assert.ok(fitted.endsWith(`-${shortHash(long)}`), fitted);
                assert.ok(fitted.startsWith(long.slice(0, 5)), fitted);
            }
        });

        it("keeps long names that differ only at the end apart", () => {
            const a = fitName(`${"a".repeat(70)}-one`, 30);
            const b = fitName(`${"a".repeat(70)}-two`, 30);
            assert.notEqual(a, b);
            assert.equal(a.length, 30);
        });

        it("drops a trailing dash or dot before the hash", () => {
            const fitted = fitName("abcdefghijklmnopqrstuv-.-wxyz-0123456789", 30);
            assert.doesNotMatch(fitted, /[-.]{2}/);
            assert.ok(fitted.length <= 30);
        });

        it("hashes into lowercase hex of the requested length, deterministically", () => {
            assert.match(shortHash("prod"), /^[0-9a-f]{6}$/);
            assert.equal(shortHash("prod"), shortHash("prod"));
            assert.notEqual(shortHash("prod"), shortHash("prod2"));
            assert.equal(shortHash("prod", 12).length, 12);
            // SHA-256 of "abc" starts ba7816bf.
            assert.equal(shortHash("abc", 8), "ba7816bf");
        });
    });

    it("keeps S3 bucket names within 63 characters and S3's rules for every AWS region", () => {
        for (const env of ENVIRONMENTS)
            for (const region of AWS_REGIONS)
                for (const role of ["backups", "s3-logs", "alb-logs"]) {
                    const name = s3BucketName(env, region, role, "123456789012", "0a1b2c");
                    assert.ok(name.length <= 63, `${name}: ${name.length} characters`);
                    assert.match(name, S3_BUCKET);
                    assert.doesNotMatch(name, /\.\./);
                    assert.equal(name, s3BucketName(env, region, role, "123456789012", "0a1b2c"));
                    assert.notEqual(name, s3BucketName(env, region, role, "123456789012", "d4e5f6"), "a redeploy meets the old bucket");
                }
        assert.equal(
            s3BucketName("prod", "aws-us-east-1", "backups", "123456789012", "0a1b2c"),
            "prod-aws-us-east-1-backups-123456789012-0a1b2c",
        );
        assert.notEqual(
            s3BucketName("abcdefghijklmnop", "aws-ap-southeast-5", "backups", "123456789012", "0a1b2c"),
            s3BucketName("abcdefghijklmnop", "aws-ap-southeast-5", "backups", "210987654321", "0a1b2c"),
        );
    });

    it("keeps GCS bucket names within 63 characters and GCS's rules for every GCP region", () => {
        for (const project of PROJECTS)
            for (const env of ENVIRONMENTS)
                for (const r of GCP_REGIONS) {
                    const name = gcsBucketName(project, env, `gcp-${r.region}`, "backups", "0a1b2c");
                    assert.ok(name.length <= 63, `${name}: ${name.length} characters`);
                    assert.match(name, GCS_BUCKET);
                    assert.doesNotMatch(name, /google|^goog/);
                    assert.notEqual(
                        name,
                        gcsBucketName(project, env, `gcp-${r.region}`, "backups", "d4e5f6"),
                        "a redeploy meets the old bucket",
                    );
                }
        assert.equal(
            gcsBucketName("acme-backend-prod", "prod", "gcp-europe-west1", "backups", "0a1b2c"),
            "acme-backend-prod-prod-gcp-europe-west1-backups-0a1b2c",
        );
    });

    it("keeps GCP service account ids at 6-30 characters of GCP's pattern for every slot", () => {
        const seen = new Set<string>();
        for (const env of ENVIRONMENTS)
            for (const role of ["app", "crdb", "a-long-role-name-for-a-service"])
                for (const r of GCP_REGIONS) {
                    const id = gcpServiceAccountId(env, role, r.slot);
                    assert.ok(id.length >= 6 && id.length <= 30, `${id}: ${id.length} characters`);
                    assert.match(id, GCP_SERVICE_ACCOUNT);
                    assert.equal(id, gcpServiceAccountId(env, role, r.slot));
                    assert.ok(!seen.has(id), `${id} is given twice`);
                    seen.add(id);
                }
        assert.equal(gcpServiceAccountId("prod", "crdb", 115), "prod-crdb-115");
        assert.equal(gcpServiceAccountId("a", "b", 1), "a-b-1-sa");
    });

    it("names secrets so the boot script accepts them, with the region in the name", () => {
        for (const env of ENVIRONMENTS) {
            const aws = awsSecretName(env, "aws-us-east-1", "node-0", "0a1b2c");
            assert.equal(aws, `${env}/aws-us-east-1/0a1b2c/node-0`);
            assert.doesNotThrow(() => validateBootSpec(specWithSecret("aws", aws)));
            for (const r of GCP_REGIONS) {
                const id = gcpSecretId(env, `gcp-${r.region}`, "node-2");
                assert.match(id, GCP_SECRET);
                assert.ok(id.includes(`gcp-${r.region}`), id);
                assert.doesNotThrow(() => validateBootSpec(specWithSecret("gcp", id)));
            }
        }
        assert.equal(gcpSecretId("prod", "gcp-europe-west1", "root"), "prod-gcp-europe-west1-root");
    });

    describe("names the cloud keeps after deletion", () => {
        /** Two deployments of the same environment: one before `pulumi destroy`, one after. */
        const SUFFIXES = [
            ["0a1b2c", "d4e5f6"],
            ["000000", "ffffff"],
        ] as const;
        const ROLES = [...Array.from({ length: 9 }, (_, i) => `node-${i}`), "app", "root", "license"];

        it("names AWS secrets differently in two deployments, within Secrets Manager's rules", () => {
            for (const env of ENVIRONMENTS)
                for (const region of AWS_REGIONS)
                    for (const role of ROLES)
                        for (const [a, b] of SUFFIXES) {
                            const first = awsSecretName(env, region, role, a);
                            const second = awsSecretName(env, region, role, b);
                            assert.notEqual(first, second);
                            for (const name of [first, second]) {
                                assert.match(name, AWS_SECRET_NAME);
                                assert.ok(name.startsWith(`${env}/${region}/`), `${name}: operators list a region by its path`);
                                // AWS appends "-" and six characters to a secret's ARN; a name ending so confuses lookups.
                                assert.doesNotMatch(name, /-[A-Za-z0-9]{6}$/, name);
                                assert.doesNotThrow(() => validateBootSpec(specWithSecret("aws", name)));
                            }
                        }
        });

        it("names GCP key rings differently in two deployments, within Cloud KMS's id rules; keys fit too", () => {
            for (const env of ENVIRONMENTS)
                for (const r of GCP_REGIONS)
                    for (const [a, b] of SUFFIXES) {
                        const first = gcpKeyRingName(env, `gcp-${r.region}`, a);
                        const second = gcpKeyRingName(env, `gcp-${r.region}`, b);
                        assert.notEqual(first, second);
                        for (const id of [first, second, gcpCryptoKeyName(env, `gcp-${r.region}`)]) assert.match(id, GCP_KMS_ID);
                    }
            assert.equal(gcpKeyRingName("prod", "gcp-europe-west1", "0a1b2c"), "prod-gcp-europe-west1-0a1b2c");
            assert.equal(gcpCryptoKeyName("prod", "gcp-europe-west1"), "prod-gcp-europe-west1");
        });

        it("hold the limits on both sides", () => {
            assert.match("a".repeat(512), AWS_SECRET_NAME);
            assert.doesNotMatch("a".repeat(513), AWS_SECRET_NAME);
            assert.match("a/_+=.@-Z9", AWS_SECRET_NAME);
            assert.doesNotMatch("prod/#", AWS_SECRET_NAME);
            assert.doesNotMatch("", AWS_SECRET_NAME);
            assert.match("a".repeat(63), GCP_KMS_ID);
            assert.doesNotMatch("a".repeat(64), GCP_KMS_ID);
            assert.match("aZ_-09", GCP_KMS_ID);
            assert.doesNotMatch("prod.ring", GCP_KMS_ID);
            assert.doesNotMatch("", GCP_KMS_ID);
        });

        it("take only the hex of a 3-byte random id as the suffix", () => {
            assert.equal(DEPLOYMENT_SUFFIX_BYTES, 3);
            for (const ok of ["000000", "abcdef", "0a1b2c"]) assert.equal(checkSuffix(ok), ok);
            for (const bad of ["", "abcde", "abcdef0", "ABCDEF", "abcdeg", "undefined"])
                assert.throws(() => checkSuffix(bad), /suffix/, bad);
            assert.throws(() => awsSecretName("prod", "aws-us-east-1", "app", "undefined"), /suffix/);
            assert.throws(() => gcpKeyRingName("prod", "gcp-europe-west1", ""), /suffix/);
        });
    });

    it("names the region prefix and the SQL endpoint's private zone and host", () => {
        assert.equal(regionPrefix("prod", "aws-us-east-1"), "prod-aws-us-east-1");
        assert.equal(sqlZoneName("prod", "gcp-europe-west1"), "gcp-europe-west1.prod.crdb.internal");
        assert.equal(sqlHostname("prod", "gcp-europe-west1"), "sql.gcp-europe-west1.prod.crdb.internal");
        for (const r of REGIONS)
            for (const env of ENVIRONMENTS) {
                const host = sqlHostname(env, `${r.cloud}-${r.region}`);
                assert.ok(host.length <= 253, host);
                for (const label of host.split(".")) assert.match(label, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, host);
            }
    });
});

describe("Cloud Run startup probe (components/regional/gcp/app.ts)", () => {
    it("is 240 s, Cloud Run's documented maximum of failureThreshold x periodSeconds", () => {
        assert.equal(CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS, 240);
    });

    it("allows as many failures as fit in 240 s, never more", () => {
        for (const period of [1, 3, 7, 10, 11, 60, 239, 240]) {
            const threshold = startupFailureThreshold(period);
            assert.ok(threshold >= 1, `${period} s`);
            assert.ok(threshold * period <= 240, `${threshold} x ${period} s`);
            assert.ok((threshold + 1) * period > 240, `${threshold + 1} x ${period} s would still fit`);
        }
        assert.equal(startupFailureThreshold(10), 24);
        assert.equal(startupFailureThreshold(240), 1);
    });

    it("refuses a period no threshold can fit", () => {
        for (const period of [0, 241, 2.5, -10]) assert.throws(() => startupFailureThreshold(period), /from 1 to 240/, String(period));
    });
});

describe("machine facts (components/regional/machines.ts)", () => {
    it("knows Graviton instance types are arm64 and the others amd64", () => {
        const cases: [string, "amd64" | "arm64"][] = [
            ["m7g.xlarge", "arm64"],
            ["m6i.xlarge", "amd64"],
            ["m6i.large", "amd64"],
            ["c7gn.2xlarge", "arm64"],
            ["r8gd.xlarge", "arm64"],
            ["t4g.medium", "arm64"],
            ["m6gd.large", "arm64"],
            ["g5g.xlarge", "arm64"],
            ["g5.xlarge", "amd64"],
            ["g4dn.xlarge", "amd64"],
            ["m7i-flex.large", "amd64"],
            ["m7a.xlarge", "amd64"],
            ["i4i.xlarge", "amd64"],
        ];
        for (const [type, arch] of cases) assert.equal(cpuArchitecture("aws", type), arch, type);
    });

    it("knows Axion and Ampere machine types are arm64 and the others amd64", () => {
        const cases: [string, "amd64" | "arm64"][] = [
            ["c4a-standard-4", "arm64"],
            ["c4a-highmem-8", "arm64"],
            ["t2a-standard-4", "arm64"],
            ["n4a-standard-4", "arm64"],
            ["n2-standard-4", "amd64"],
            ["n2d-standard-4", "amd64"],
            ["c4-standard-4", "amd64"],
            ["c4d-standard-4", "amd64"],
            ["e2-standard-4", "amd64"],
        ];
        for (const [type, arch] of cases) assert.equal(cpuArchitecture("gcp", type), arch, type);
    });

    it("gives fourth-generation GCE series Hyperdisk and the others pd-ssd data disks", () => {
        const hyperdisk = { boot: "hyperdisk-balanced", data: "hyperdisk-balanced" };
        const persistent = { boot: "pd-balanced", data: "pd-ssd" };
        for (const type of ["c4a-standard-4", "c4-standard-4", "c4d-standard-8", "n4-standard-4", "n4d-standard-4", "n4a-standard-4"])
            assert.deepEqual(gcpDiskTypes(type), hyperdisk, type);
        for (const type of ["n2-standard-4", "n2d-standard-4", "t2a-standard-4", "e2-standard-4", "c3-standard-4", "c2d-standard-4"])
            assert.deepEqual(gcpDiskTypes(type), persistent, type);
    });

    it("picks the Amazon Linux 2023 and Debian 12 image of the architecture", () => {
        assert.equal(awsImageParameter("arm64"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
        assert.equal(awsImageParameter("amd64"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        assert.equal(gcpImage("arm64"), "debian-cloud/debian-12-arm64");
        assert.equal(gcpImage("amd64"), "debian-cloud/debian-12");
    });
});

/**
 * The pack as a package (layout, versions, levels), the facts its policies read, and the offline
 * plan's use of it: exit code 3 and the `policies` section on a non-compliant stack.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify } from "yaml";
import { policies } from "../policies/all";
import { domainMap, inDomain } from "../policies/lib/domains";
import { effectiveLocation, effectiveTags, type Res } from "../policies/lib/facts";
import { registryOf } from "../policies/security/registries";
import { ROOT, scaffoldProject } from "../scripts/offline";
import { providerUrn } from "../scripts/plan";

const POLICIES = path.join(ROOT, "policies");
const readJson = (f: string) => JSON.parse(fs.readFileSync(f, "utf8")) as Record<string, Record<string, string>>;

describe("policy pack package", () => {
    it("has a version and pins every dependency to the root's version, so it resolves from the root node_modules", () => {
        const pack = readJson(path.join(POLICIES, "package.json"));
        const root = readJson(path.join(ROOT, "package.json"));
        assert.match(String(pack.version), /^\d+\.\d+\.\d+$/);
        for (const [name, version] of Object.entries({ ...pack.dependencies, ...pack.devDependencies })) {
            assert.equal(version, root.dependencies![name] ?? root.devDependencies![name], `${name} in policies/package.json`);
            // What Node loads from policies/ is the root's copy at that version.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const installed = require(require.resolve(`${name}/package.json`, { paths: [POLICIES] })) as { version: string };
            assert.equal(installed.version.replace(/^v/, ""), version, `${name} resolved from policies/`);
        }
        assert.equal(
            (parseYaml(fs.readFileSync(path.join(POLICIES, "PulumiPolicy.yaml"), "utf8")) as { runtime: string }).runtime,
            "nodejs",
        );
    });

    it("constructs the PolicyPack in index.ts only", () => {
        const files = fs.readdirSync(POLICIES, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        const constructing = files.filter((f) => /new PolicyPack\(/.test(fs.readFileSync(path.join(POLICIES, f), "utf8")));
        assert.deepEqual(constructing, ["index.ts"]);
    });

    it("makes residency and security mandatory and resilience advisory, with unique names", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length);
        for (const p of policies) {
            const want = p.name.startsWith("resilience-") ? "advisory" : "mandatory";
            assert.ok(/^(residency|security|resilience)-/.test(p.name), p.name);
            assert.equal(p.enforcementLevel, want, p.name);
            assert.ok(p.description, p.name);
        }
    });

    it("documents every policy in the README", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const p of policies) assert.ok(readme.includes(`| \`${p.name}\``), p.name);
        assert.ok(readme.includes("pulumi preview --stack prod --policy-pack policies\n"));
        assert.ok(readme.includes("--policy-pack-config policies/config.destroy.json"));
    });

    // The CLI's own entry point for Node packs (ts-node with type-check, policies/tsconfig.json):
    // slow (a type-check of the pack and what it imports), so opt-in.
    (process.env.POLICY_PACK_CLI ? it : it.skip)(
        "starts under @pulumi/pulumi's run-policy-pack, as `pulumi preview --policy-pack` runs it",
        async function () {
            this.timeout(300000);
            const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICIES] });
            const child = spawn(process.execPath, [entry, "127.0.0.1:1", "."], { cwd: POLICIES });
            try {
                const port = await new Promise<string>((resolve, reject) => {
                    let out = "";
                    let err = "";
                    child.stdout.on("data", (d) => {
                        out += d;
                        const m = /^(\d+)\s*$/m.exec(out);
                        if (m) resolve(m[1]!);
                    });
                    child.stderr.on("data", (d) => (err += d));
                    child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
                });
                assert.match(port, /^\d+$/);
            } finally {
                child.kill();
            }
        },
    );
});

const aws = (props: Record<string, unknown>, provider: Record<string, unknown> = { region: "eu-central-1" }): Res => ({
    type: "aws:s3/bucket:Bucket",
    name: "b",
    urn: "urn:b",
    props,
    provider: { type: "pulumi:providers:aws", props: provider },
});

describe("policy facts", () => {
    it("takes an AWS resource's own region, else its provider's", () => {
        assert.deepEqual(effectiveLocation(aws({})), { kind: "region", cloud: "aws", region: "eu-central-1", from: "provider region" });
        assert.deepEqual(effectiveLocation(aws({ region: "us-east-1" })), {
            kind: "region",
            cloud: "aws",
            region: "us-east-1",
            from: "region",
        });
    });

    it("takes a GCP resource's location, region or zone, else its provider's; multi-regions are not regions", () => {
        const gcp = (props: Record<string, unknown>): Res => ({
            type: "gcp:compute/disk:Disk",
            name: "d",
            urn: "u",
            props,
            provider: { type: "pulumi:providers:gcp", props: { region: "europe-west1" } },
        });
        assert.equal((effectiveLocation(gcp({ zone: "us-central1-a" })) as { region: string }).region, "us-central1");
        assert.equal((effectiveLocation(gcp({ location: "EUROPE-WEST1" })) as { region: string }).region, "europe-west1");
        assert.equal((effectiveLocation(gcp({})) as { region: string }).region, "europe-west1");
        for (const multi of ["US", "EU", "NAM4", "eur4", "global", "europe", "nam-eur-asia1"])
            assert.equal(effectiveLocation(gcp({ location: multi }))?.kind, "multi", multi);
    });

    it("merges the provider's default tags under the resource's own", () => {
        const tags = effectiveTags(
            aws(
                { tags: { Name: "x", "crdb-region": "aws-eu-west-1" } },
                { defaultTags: JSON.stringify({ tags: { "residency-domain": "eu", "crdb-region": "aws-eu-central-1" } }) },
            ),
        );
        assert.deepEqual(tags, { "residency-domain": "eu", "crdb-region": "aws-eu-west-1", Name: "x" });
    });

    it("puts a region in a domain by its list or by the catalog country of the region", () => {
        const providers: Res[] = [
            {
                type: "pulumi:providers:aws",
                name: "p",
                urn: "p",
                props: { region: "eu-central-1", defaultTags: { tags: { "residency-domain": "eu", "crdb-region": "aws-eu-central-1" } } },
            },
        ];
        const db: Res = {
            type: "pulumi-nodejs:dynamic/cockroach:DatabaseSql",
            name: "db",
            urn: "db",
            props: { spec: { domains: [{ name: "eu", countries: ["DE", "FR"], regions: ["aws-eu-central-1"] }] } },
        };
        const withoutSpec = domainMap(providers).get("eu");
        const withSpec = domainMap([...providers, db]).get("eu");
        assert.ok(inDomain(withoutSpec, "aws-eu-central-1"));
        assert.ok(!inDomain(withoutSpec, "aws-eu-west-3"), "Paris is not listed and no countries are known");
        assert.ok(inDomain(withSpec, "aws-eu-west-3"), "Paris is in FR");
        assert.ok(!inDomain(withSpec, "aws-eu-west-2"), "London is in GB, not a country of the domain");
    });

    it("reads an image's registry as Docker Hub when the first segment is not a host", () => {
        assert.equal(registryOf("acme/api:1"), "docker.io");
        assert.equal(registryOf("europe-docker.pkg.dev/p/r/api:1"), "europe-docker.pkg.dev");
        assert.equal(registryOf("localhost:5000/api"), "localhost:5000");
    });

    it("takes the provider's URN from its `urn::id` reference", () => {
        assert.equal(
            providerUrn("urn:pulumi:prod::proj::pulumi:providers:aws::aws-us-east-1::aws-us-east-1-provider-id"),
            "urn:pulumi:prod::proj::pulumi:providers:aws::aws-us-east-1",
        );
        assert.equal(providerUrn(null), null);
    });
});

describe("offline plan with the policy pack", function () {
    this.timeout(300000);
    let dir: string;

    /** Staging with a ghcr.io image (not an allowed registry), prepared for a destroy. */
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-plan-"));
        scaffoldProject(dir);
        const doc = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, unknown> };
        doc.config["backend:regions"] = [
            { cloud: "aws", region: "us-east-2", domain: "us", primary: true },
            { cloud: "aws", region: "eu-central-1", domain: "eu" },
        ];
        (doc.config["backend:app"] as Record<string, unknown>).image = "ghcr.io/acme/api:1.0.0";
        doc.config["backend:deletionProtection"] = false;
        fs.writeFileSync(path.join(dir, "Pulumi.violating.yaml"), stringify(doc));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    type Violation = { policy: string; level: string; urn: string; message: string };
    const planViolating = (...extra: string[]) => {
        const res = spawnSync(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/plan.ts", "--stack", "violating", "--root", dir, "--json", ...extra],
            { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
        );
        const report = res.stdout
            ? (JSON.parse(res.stdout) as { policies: { pack: string; violations: Violation[] } }).policies
            : undefined;
        const levels = (policy: string) => [...new Set(report?.violations.filter((v) => v.policy === policy).map((v) => v.level))];
        return { res, policies: report, levels };
    };
    const packConfig = (config: unknown) => {
        const file = path.join(dir, `pack-config-${Math.random().toString(36).slice(2)}.json`);
        fs.writeFileSync(file, JSON.stringify(config));
        return file;
    };

    it("exits 3 on a mandatory violation, lists it, and reports deletion protection as advisory while preparing a destroy", () => {
        const { res, policies: plan, levels } = planViolating();
        assert.equal(res.status, 3, res.stderr);
        assert.equal(plan?.pack, "multicloud-residency");
        assert.deepEqual(levels("security-image-registries"), ["mandatory"]);
        assert.deepEqual(levels("security-deletion-protection"), ["advisory"]);
        assert.ok(
            plan?.violations.some(
                (v) =>
                    v.policy === "security-image-registries" &&
                    v.urn.endsWith("aws:ecs/taskDefinition:TaskDefinition::aws-eu-central-1-app"),
            ),
        );
        assert.match(res.stderr, /mandatory security-image-registries: .*ghcr\.io/);
        assert.doesNotMatch(res.stderr, /security-deletion-protection/, "advisory violations are not on stderr");
    });

    it("takes a --policy-pack-config file as the CLI does: `all` first, then each policy's own level", () => {
        const {
            res,
            policies: plan,
            levels,
        } = planViolating("--policy-pack-config", packConfig({ all: "disabled", "security-image-registries": "mandatory" }));
        assert.equal(res.status, 3, res.stderr);
        assert.deepEqual([...new Set(plan?.violations.map((v) => v.policy))], ["security-image-registries"]);
        assert.deepEqual(levels("security-image-registries"), ["mandatory"]);
    });

    it("passes a policy's properties from the file to the pack, on top of what the stack implies", () => {
        const { res, levels } = planViolating(
            "--policy-pack-config",
            packConfig({ "security-image-registries": { allowedRegistries: ["ghcr.io"] } }),
        );
        assert.equal(res.status, 0, res.stderr);
        assert.deepEqual(levels("security-image-registries"), []);
        assert.deepEqual(levels("security-deletion-protection"), ["advisory"], "the destroy preparation still applies");
    });

    it("refuses a file the pack cannot take before planning anything (exit 2, nothing on stdout)", () => {
        const { res } = planViolating("--policy-pack-config", packConfig({ "security-imdsv3": "advisory" }));
        assert.equal(res.status, 2);
        assert.equal(res.stdout, "");
        assert.match(res.stderr, /"security-imdsv3" is no policy of the pack; did you mean "security-imdsv2"\?/);
    });
});

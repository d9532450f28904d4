import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatIssues } from "../components/config";
import { parseStackConfig } from "../components/validate";
import { CONSTRAINTS, COUNTS, RESOURCE_TYPES_WITHOUT_CONSTRAINTS } from "../components/deployability";
import { defaultProviderRule, readStackFile, ROOT, scaffoldProject, shippedStacks } from "../scripts/offline";
import type { PlanDocument } from "../scripts/plan";
import { planCli, type CliResult } from "./support";

/** Runs the plan CLI the way `npm run plan` does, in a child process (its own Pulumi runtime). */
async function plan(...args: string[]): Promise<CliResult> {
    return planWithEnv({}, ...args);
}

/** Child plans started ahead (`startPlans`), by their arguments; each is awaited by its own test. */
const ahead = new Map<string, Promise<CliResult>>();

/** Starts these plans now, side by side, for the tests that ask for the same arguments later. */
function startPlans(...argLists: string[][]): void {
    for (const args of argLists) ahead.set(JSON.stringify(args), planWithEnv({}, ...args));
}

/** The plan CLI with extra environment variables (a plan started ahead with the same arguments, if any). */
async function planWithEnv(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
    const started = Object.keys(env).length === 0 ? ahead.get(JSON.stringify(args)) : undefined;
    if (started) {
        ahead.delete(JSON.stringify(args));
        return started;
    }
    return planCli(args, { env });
}

describe("offline plan CLI", function () {
    // Every test waits for at least one plan in a child process: seconds each, more on a busy machine.
    this.timeout(300000);
    const docs = new Map<string, PlanDocument>();
    let text: CliResult;

    before(async function () {
        // Shipped stacks are planned concurrently: each child process has its own Pulumi runtime.
        const results = await Promise.all([...shippedStacks().map((s) => plan("--stack", s, "--json")), plan("--stack", "staging")]);
        shippedStacks().forEach((s, i) => {
            // 0 when deployable, 1 with the deployability section filled in; its own test says which.
            assert.ok([0, 1].includes(results[i]!.code), `plan of ${s} failed:\n${results[i]!.stderr}`);
            docs.set(s, JSON.parse(results[i]!.stdout) as PlanDocument);
            const { violations, failures } = docs.get(s)!.deployability;
            assert.equal(results[i]!.code, violations.length + failures.length > 0 ? 1 : 0, results[i]!.stderr);
        });
        text = results[results.length - 1]!;
    });

    for (const stack of shippedStacks()) {
        describe(`stack ${stack}`, () => {
            const doc = () => docs.get(stack)!;
            const config = () => {
                const r = parseStackConfig(readStackFile(stack).config);
                assert.ok(r.ok);
                return r.config;
            };

            it("prints one JSON document with the stack and every region", () => {
                assert.equal(doc().stack, stack);
                assert.deepEqual(
                    doc().regions.map((r) => r.name),
                    config().regions.map((r) => r.crdbRegion),
                );
                for (const r of doc().regions) {
                    assert.deepEqual(Object.keys(r).sort(), ["cidr", "cloud", "domain", "name", "primary", "region", "zones"]);
                    assert.equal(r.name, `${r.cloud}-${r.region}`);
                    assert.match(r.cidr, /^10\.\d+\.0\.0\/16$/);
                    assert.ok(r.zones.length >= 3);
                }
                assert.equal(doc().regions.filter((r) => r.primary).length, 1);
            });

            it("registers every resource the program constructs, each with the provider the engine would demand", () => {
                assert.deepEqual(doc().deployability.failures, []);
            });

            it("breaks no documented constraint or default quota of the resources it plans", () => {
                assert.deepEqual(
                    doc().deployability.violations.map((v) => `${v.resource} ${v.property}: ${v.problem}`),
                    [],
                );
            });

            it("checks every registered cloud resource type, or says why no constraint applies", () => {
                const covered = new Set([...CONSTRAINTS.flatMap((c) => c.types), ...COUNTS.flatMap((c) => c.types)]);
                const types = new Set(
                    doc()
                        .resources.filter((r) => r.id !== null && r.type !== "pulumi:pulumi:Stack")
                        .map((r) => r.type),
                );
                const unaccounted = [...types].filter((t) => !covered.has(t) && !(t in RESOURCE_TYPES_WITHOUT_CONSTRAINTS));
                assert.deepEqual(unaccounted, []);
            });

            it("disables the default provider of every package whose resources it registers", () => {
                const rule = defaultProviderRule(readStackFile(stack).config);
                const packages = new Set(
                    doc()
                        .resources.filter((r) => r.id !== null && !r.type.startsWith("pulumi:"))
                        .map((r) => r.type.split(":")[0])
                        .filter((p) => p !== "pulumi-nodejs"),
                );
                assert.deepEqual(
                    [...packages].filter((p) => !rule.packages.includes(p!)),
                    [],
                );
            });

            it("lists every resource with urn, type, name, parent, region and inputs", () => {
                const urns = new Set(doc().resources.map((r) => r.urn));
                for (const r of doc().resources) {
                    for (const key of ["urn", "type", "name", "parent", "region", "inputs"]) assert.ok(key in r, `${r.urn} lacks ${key}`);
                    if (r.type !== "pulumi:pulumi:Stack") assert.ok(r.parent && urns.has(r.parent), `${r.urn} has no registered parent`);
                }
            });

            it("makes one explicit provider per region, with the residency tags/labels", () => {
                const providers = doc().resources.filter(
                    (r) => /^pulumi:providers:(aws|gcp)$/.test(r.type) && !r.name.startsWith("global-"),
                );
                assert.deepEqual(
                    providers.map((p) => p.name).sort(),
                    config()
                        .regions.map((r) => r.crdbRegion)
                        .sort(),
                );
                for (const p of providers) {
                    const region = doc().regions.find((r) => r.name === p.name)!;
                    assert.equal(p.inputs.region, region.region);
                    assert.equal(p.region, region.name);
                    const tags = (
                        p.type === "pulumi:providers:aws"
                            ? JSON.parse(p.inputs.defaultTags as string).tags
                            : JSON.parse(p.inputs.defaultLabels as string)
                    ) as Record<string, string>;
                    assert.equal(tags["residency-domain"], region.domain);
                    assert.equal(tags.environment, config().environment);
                    assert.equal(tags["crdb-region"], region.name);
                }
            });

            it("makes the global providers once each: tls, random and cloudflare", () => {
                const global = doc().resources.filter((r) => /^pulumi:providers:(tls|random|cloudflare)$/.test(r.type));
                assert.deepEqual(global.map((p) => p.type).sort(), [
                    "pulumi:providers:cloudflare",
                    "pulumi:providers:random",
                    "pulumi:providers:tls",
                ]);
                assert.ok(global.every((p) => p.region === null));
            });

            it("puts every regional resource in its own region", () => {
                for (const region of doc().regions) {
                    const component = doc().resources.find((r) => r.name === region.name && r.type.startsWith("backend:regional:"));
                    assert.ok(component, `no regional stack for ${region.name}`);
                    const inside = (urn: string | null): boolean =>
                        !!urn && (urn === component.urn || inside(doc().resources.find((r) => r.urn === urn)?.parent ?? null));
                    // Cloud resources; a tls key made inside a region (self-signed origin) is global by nature.
                    const children = doc().resources.filter((r) => inside(r.parent) && /^(aws|gcp|backend):/.test(r.type));
                    assert.ok(children.length >= 5, `${region.name} has only ${children.length} resources`);
                    for (const child of children)
                        assert.equal(child.region, region.name, `${child.urn} is in ${child.region}, not ${region.name}`);
                }
            });

            it("adds the routing section: one pool per region, every Cloudflare region served, in-domain pins", () => {
                const routing = doc().routing;
                assert.equal(routing.steeringPolicy, config().cloudflare.steeringPolicy);
                assert.deepEqual(
                    routing.pools.map((p) => p.name),
                    doc().regions.map((r) => r.name),
                );
                assert.equal(Object.keys(routing.byCloudflareRegion).length, 13);
                assert.ok(routing.pools.some((p) => p.name === routing.fallback));
                assert.ok(routing.failoverDetectionSeconds > 0);
                const domainOf = new Map(doc().regions.map((r) => [r.name, r.domain]));
                for (const pin of routing.pins)
                    for (const pool of [...pin.pools, pin.fallback])
                        assert.equal(domainOf.get(pool), pin.domain, `pin ${pin.domain} names ${pool}`);
                for (const d of config().domains.filter((d) => d.pinRouting)) assert.ok(routing.pins.some((p) => p.domain === d.name));
            });

            it("points one Cloudflare pool at each region's HTTPS origin, with its Host header", () => {
                const pools = doc().resources.filter((r) => r.type === "cloudflare:index/loadBalancerPool:LoadBalancerPool");
                assert.equal(pools.length, doc().regions.length);
                const outputs = doc().outputs.regionOutputs as { name: string; origin: { address: string; hostHeader: string } }[];
                for (const region of outputs) {
                    const pool = pools.find((p) => (p.inputs.origins as { name: string }[])[0]!.name.includes(region.name));
                    assert.ok(pool, `no pool for ${region.name}`);
                    const [origin] = pool.inputs.origins as { address: string; header: { hosts: string[] } }[];
                    assert.equal(origin!.address, region.origin.address);
                    assert.deepEqual(origin!.header.hosts, [region.origin.hostHeader]);
                }
                const lb = doc().resources.find((r) => r.type === "cloudflare:index/loadBalancer:LoadBalancer")!;
                assert.equal(lb.inputs.name, config().cloudflare.hostname);
                assert.equal(lb.inputs.proxied, true);
            });

            it("adds the database section: ordered statements, a placement entry per object, no residency violation", () => {
                const db = doc().database;
                assert.match(
                    db.statements.find((s) => s.startsWith("CREATE DATABASE"))!,
                    new RegExp(`PRIMARY REGION "${doc().regions.find((r) => r.primary)!.name}"`),
                );
                const indexOf = (re: RegExp) => db.statements.findIndex((s) => re.test(s));
                assert.ok(indexOf(/^CREATE DATABASE/) < indexOf(/^CREATE TABLE IF NOT EXISTS users/));
                assert.ok(indexOf(/^CREATE TABLE IF NOT EXISTS users/) < indexOf(/SET LOCALITY REGIONAL BY ROW/));
                assert.ok(indexOf(/^CREATE SCHEDULE/) === db.statements.length - 1, "the backup schedule comes last");
                for (const region of doc().outputs.regionOutputs as { name: string; backupBucketUrl: string }[])
                    assert.ok(
                        db.statements[db.statements.length - 1]!.includes(region.backupBucketUrl),
                        `backup misses ${region.backupBucketUrl}`,
                    );
                const residencyTables = config().database.tables.filter((t) => t.locality === "residency");
                for (const t of residencyTables) {
                    const partitions = db.placement.filter((p) => p.table === t.name);
                    assert.deepEqual(
                        partitions.map((p) => p.partition).sort(),
                        doc()
                            .regions.map((r) => r.name)
                            .sort(),
                    );
                    for (const p of partitions) {
                        assert.equal(p.residency, true);
                        assert.equal(p.leaseholder, p.partition);
                        assert.ok(p.zoneConfig, "zone configuration fields");
                    }
                }
                assert.deepEqual(db.residencyViolations, []);
            });

            it("lets every node write every region's backup bucket, across clouds without a stored key", () => {
                const res = doc().resources;
                const awsRegions = doc().regions.filter((r) => r.cloud === "aws");
                const gcpRegions = doc().regions.filter((r) => r.cloud === "gcp");
                const outputs = doc().outputs.regionOutputs as { name: string; backupBucketUrl: string }[];
                const bucketOf = (region: string) =>
                    outputs.find((o) => o.name === region)!.backupBucketUrl.replace(/^\w+:\/\/([^/]+).*$/, "$1");
                // AWS node roles: one environment-wide S3 policy each, naming every S3 backup bucket.
                for (const region of awsRegions) {
                    const policy = res.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `backups-${region.name}-s3`);
                    assert.ok(policy, `no backup policy for ${region.name}`);
                    const doc_ = JSON.parse(policy.inputs.policy as string) as { Statement: { Resource: string | string[] }[] };
                    const objects = [doc_.Statement[1]!.Resource].flat();
                    assert.deepEqual(objects, awsRegions.map((r) => `arn:aws:s3:::${bucketOf(r.name)}/*`).sort());
                }
                // GCS buckets: every other node identity, GCP service accounts and federated AWS roles alike.
                const members = res.filter(
                    (r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember" && r.name.startsWith("backups-"),
                );
                for (const bucket of gcpRegions) {
                    const writers = members.filter((m) => m.inputs.bucket === bucketOf(bucket.name)).map((m) => String(m.inputs.member));
                    assert.equal(writers.length, doc().regions.length - 1, `${bucket.name}: ${writers.join(", ")}`);
                    for (const w of writers)
                        assert.match(
                            w,
                            /^(serviceAccount:|principalSet:\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/)/,
                        );
                    assert.ok(members.every((m) => m.inputs.role === "roles/storage.objectUser"));
                }
                const instances = res.filter((r) => r.type === "aws:ec2/instance:Instance" || r.type === "gcp:compute/instance:Instance");
                const crossCloud = awsRegions.length > 0 && gcpRegions.length > 0;
                assert.equal(
                    res.some((r) => r.type === "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"),
                    crossCloud,
                );
                for (const i of instances) {
                    const script = i.type.startsWith("aws:")
                        ? String(i.inputs.userData)
                        : String((i.inputs.metadata as Record<string, string>)["startup-script"]);
                    const marker = i.type.startsWith("aws:") ? "GOOGLE_APPLICATION_CREDENTIALS=" : "AWS_ROLE_ARN=";
                    assert.equal(script.includes(marker), crossCloud, `${i.name}: ${marker}`);
                    assert.doesNotMatch(script, /private_key|AWS_SECRET_ACCESS_KEY/);
                }
                if (crossCloud) {
                    const role = res.find((r) => r.type === "aws:iam/role:Role" && r.name === "backups-from-gcp")!;
                    const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as {
                        Statement: { Condition: { StringEquals: Record<string, string[]> } }[];
                    };
                    assert.equal(trust.Statement[0]!.Condition.StringEquals["accounts.google.com:sub"]!.length, gcpRegions.length);
                    // The pool's id carries this deployment's suffix, and AWS nodes' credentials name that pool.
                    const pool = res.find((r) => r.type === "gcp:iam/workloadIdentityPool:WorkloadIdentityPool")!;
                    const poolId = String(pool.inputs.workloadIdentityPoolId);
                    assert.match(poolId, new RegExp(`^crdb-${config().environment}-aws-[0-9a-f]{6}$`));
                    for (const i of instances.filter((x) => x.type.startsWith("aws:")))
                        assert.ok(String(i.inputs.userData).includes(`/workloadIdentityPools/${poolId}/providers/`), i.name);
                }
            });

            it("gives each region a network in its planned CIDR", () => {
                for (const region of doc().regions) {
                    const mine = doc().resources.filter((r) => r.region === region.name);
                    if (region.cloud === "aws") {
                        const vpc = mine.find((r) => r.type === "aws:ec2/vpc:Vpc");
                        assert.equal(vpc?.inputs.cidrBlock, region.cidr);
                        const subnets = mine.filter((r) => r.type === "aws:ec2/subnet:Subnet");
                        assert.equal(subnets.length, 6);
                        assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
                        // One NAT gateway per region by default (backend:network.natGateways: single).
                        assert.equal(mine.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length, 1);
                    } else {
                        const subnets = mine.filter((r) => r.type === "gcp:compute/subnetwork:Subnetwork");
                        assert.ok(subnets.every((s) => s.inputs.region === region.region && s.inputs.privateIpGoogleAccess === true));
                        assert.ok(subnets.some((s) => s.inputs.ipCidrRange === region.cidr.replace("/16", "/20")));
                        assert.ok(mine.some((r) => r.type === "gcp:compute/routerNat:RouterNat"));
                    }
                }
            });
        });
    }

    it("prints a readable summary without --json", () => {
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, /Regions/);
        assert.match(text.stdout, /Resources per region/);
        assert.match(text.stdout, /aws-us-east-2/);
        assert.match(text.stdout, /gcp-europe-west1/);
        assert.match(text.stdout, /Routing: dynamic_latency/);
        assert.match(text.stdout, /Database: \d+ statements on first pulumi up/);
        assert.match(text.stdout, /Placement \(replicas per region/);
        assert.match(text.stdout, /Residency: no replica of a domain's data outside the domain\./);
        assert.match(text.stdout, /detected within 45 s/);
        assert.match(text.stdout, /^Deployability: /m);
        assert.throws(() => JSON.parse(text.stdout));
    });

    describe("exit codes", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
            scaffoldProject(dir);
            const bad = fs
                .readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")
                .replace("region: us-east-1,", "region: us-east-9,")
                .replace("hostname: api.example.com", "hostname: api..example.com");
            fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), bad);
            const noMigrations = fs
                .readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")
                .replace("migrationsDir: db", "migrationsDir: no-such-dir");
            fs.writeFileSync(path.join(dir, "Pulumi.nodb.yaml"), noMigrations);
            const unmanaged = fs
                .readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")
                .replace("        migrationsDir: db\n", "        migrationsDir: db\n        manage: false\n")
                .replace("adminCidrs: [198.51.100.0/28]", "adminCidrs: []");
            assert.ok(unmanaged.includes("manage: false") && unmanaged.includes("adminCidrs: []"));
            fs.writeFileSync(path.join(dir, "Pulumi.nomanage.yaml"), unmanaged);
            // The stack file may set the project's keys too; "*" comes back through it.
            const star = fs
                .readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")
                .replace("config:\n", 'config:\n    pulumi:disable-default-providers: ["*"]\n');
            fs.writeFileSync(path.join(dir, "Pulumi.star.yaml"), star);
            // An environment called "internal" once named its load balancers internal-..., which ELB
            // refuses; names no longer start with the environment (regression fixture).
            fs.writeFileSync(
                path.join(dir, "Pulumi.internal.yaml"),
                fs
                    .readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")
                    .replace("backend:environment: staging", "backend:environment: internal"),
            );
            // The tests below wait for one child plan each; these start together, so that a test's
            // plan runs while the others' do (each still asserts only on its own).
            startPlans(
                ["--stack", "bad", "--json", "--root", dir],
                ["--stack", "nodb", "--json", "--root", dir],
                ["--stack", "nomanage", "--json", "--root", dir],
                ["--stack", "star", "--json", "--root", dir, "--skip-policies"],
                ["--stack", "internal", "--json", "--root", dir],
                ["--stack", "nope"],
            );
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("counts the plan against the quotas backend:quotas raises, as config does, and refuses one below", async () => {
            // 45 admin networks: more node security group rules and private routes than a new account allows.
            const cidrs = Array.from({ length: 45 }, (_, i) => `198.51.100.${i * 4}/30`);
            const staging = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
            const many = staging.replace("adminCidrs: [198.51.100.0/28]", `adminCidrs: [${cidrs.join(", ")}]`);
            assert.notEqual(many, staging);
            const refusal = parseStackConfig({
                ...readStackFile("staging").config,
                "backend:cockroach": JSON.stringify({
                    ...(JSON.parse(readStackFile("staging").config["backend:cockroach"]!) as object),
                    adminCidrs: cidrs,
                }),
            });
            assert.ok(!refusal.ok);
            const asked = Object.fromEntries(
                [...formatIssues(refusal.issues).matchAll(/set backend:quotas\.(\w+): (\d+)\./g)].map(([, k, v]) => [k, Number(v)]),
            );
            assert.deepEqual(Object.keys(asked).sort(), ["inboundRulesPerSecurityGroup", "routesPerRouteTable"]);
            const withQuotas = (q: Record<string, number>) =>
                many.replace("config:\n", `config:\n    backend:quotas: ${JSON.stringify(q)}\n`);
            fs.writeFileSync(path.join(dir, "Pulumi.raised.yaml"), withQuotas(asked));
            const low = { ...asked, routesPerRouteTable: asked.routesPerRouteTable - 1 };
            fs.writeFileSync(path.join(dir, "Pulumi.raisedlow.yaml"), withQuotas(low));

            const raised = await plan("--stack", "raised", "--json", "--root", dir);
            assert.equal(raised.code, 0, raised.stderr);
            const doc = JSON.parse(raised.stdout) as PlanDocument;
            assert.deepEqual(doc.deployability.violations, []);
            const lowRun = await plan("--stack", "raisedlow", "--json", "--root", dir);
            assert.equal(lowRun.code, 2);
            assert.match(
                lowRun.stderr,
                new RegExp(`above the raised value in backend:quotas ${low.routesPerRouteTable} of the AWS quota "Routes per route table"`),
            );
        });

        it("exits 2 on invalid config, with every problem on stderr and nothing on stdout", async () => {
            const r = await plan("--stack", "bad", "--json", "--root", dir);
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            assert.match(r.stderr, /backend:regions\[0\]\.region: "us-east-9"/);
            assert.match(r.stderr, /did you mean "us-east-1"/);
            assert.match(r.stderr, /backend:cloudflare\.hostname/);
            assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace for a user mistake");
        });

        it("exits 2 when the migrations folder is missing, naming the key, before running the program", async () => {
            const r = await plan("--stack", "nodb", "--json", "--root", dir);
            assert.equal(r.code, 2, r.stderr);
            assert.equal(r.stdout, "");
            assert.match(r.stderr, /backend:database\.migrationsDir: migrations folder .*no-such-dir does not exist/);
            assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace for a user mistake");
        });

        it("exits 2 on a malformed PLAN_STACK_TRACE_LIMIT, naming it", async () => {
            const bad = await planWithEnv({ PLAN_STACK_TRACE_LIMIT: "lots" }, "--stack", "prod", "--json");
            assert.equal(bad.code, 2);
            assert.equal(bad.stdout, "");
            assert.match(bad.stderr, /PLAN_STACK_TRACE_LIMIT must be a whole number of stack frames such as 20; got "lots"/);
        });

        it("plans without the database resource when database.manage is false, still printing its statements", async () => {
            const r = await plan("--stack", "nomanage", "--json", "--root", dir);
            const doc = JSON.parse(r.stdout) as PlanDocument;
            assert.equal(r.code, doc.deployability.violations.length > 0 ? 1 : 0, r.stderr);
            assert.deepEqual(doc.deployability.failures, []);
            assert.ok(
                !doc.resources.some((x) => x.type.startsWith("pulumi-nodejs:dynamic/") || x.type === "backend:cockroach:ClusterDatabase"),
            );
            assert.ok(doc.database.statements.some((st) => st.startsWith("CREATE DATABASE")));
        });

        it("exits 1 when default providers are disabled with '*': the database's dynamic resource has no provider", async () => {
            // Exit 1 outranks the pack's 3, so the pack could not change what this test sees.
            const r = await plan("--stack", "star", "--json", "--root", dir, "--skip-policies");
            assert.equal(r.code, 1, r.stderr);
            const doc = JSON.parse(r.stdout) as PlanDocument;
            assert.deepEqual(
                doc.deployability.failures.map((f) => `${f.kind} ${f.subject}`),
                ["default-provider pulumi-nodejs:dynamic/cockroach:DatabaseSql::database-sql"],
            );
            assert.match(
                r.stderr,
                /^ {2}default-provider: pulumi-nodejs:dynamic\/cockroach:DatabaseSql::database-sql: default provider for 'pulumi-nodejs' disabled/m,
            );
        });

        it('plans an environment named "internal" with no violation: no load balancer name starts with internal-', async () => {
            const r = await plan("--stack", "internal", "--json", "--root", dir);
            assert.equal(r.code, 0, r.stderr);
            const doc = JSON.parse(r.stdout) as PlanDocument;
            assert.equal(doc.environment, "internal");
            assert.deepEqual(doc.deployability.violations, []);
            const lbs = doc.resources.filter((x) => x.type === "aws:lb/loadBalancer:LoadBalancer");
            assert.ok(lbs.length > 0 && lbs.every((lb) => !String(lb.inputs.name).startsWith("internal-")));
        });

        it("exits 1 on a deployability violation, one stderr line naming the resource, the rule and its source", async () => {
            // A fork of the program that reintroduces a defect: a Cloud Run startup window of 300 s
            // (30 x 10 s), which Cloud Run rejects. The constraint table keeps its own 240.
            const fork = fs.mkdtempSync(path.join(os.tmpdir(), "plan-fork-"));
            try {
                for (const entry of [
                    "index.ts",
                    "components",
                    "scripts",
                    "policies",
                    "db",
                    "Pulumi.yaml",
                    "Pulumi.staging.yaml",
                    "package.json",
                ])
                    fs.cpSync(path.join(ROOT, entry), path.join(fork, entry), { recursive: true });
                for (const f of fs.readdirSync(ROOT).filter((f) => /^tsconfig.*\.json$/.test(f)))
                    fs.copyFileSync(path.join(ROOT, f), path.join(fork, f));
                fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(fork, "node_modules"), "dir");
                const app = path.join(fork, "components/regional/gcp/app.ts");
                const source = fs.readFileSync(app, "utf8");
                const broken = source.replace(
                    "export const CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS = 240;",
                    "export const CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS = 300;",
                );
                assert.notEqual(broken, source, "the fork changes the probe limit");
                fs.writeFileSync(app, broken);

                // Exit 1 outranks the pack's 3, so the pack could not change what this test sees.
                const args = ["--stack", "staging", "--json", "--skip-policies"];
                const r = await planCli(args, { cwd: fork });
                assert.equal(r.code, 1, r.stderr);
                const doc = JSON.parse(r.stdout) as PlanDocument;
                assert.deepEqual(doc.deployability.failures, []);
                const [violation, ...others] = doc.deployability.violations;
                assert.deepEqual(others, [], r.stderr);
                assert.equal(violation!.type, "gcp:cloudrunv2/service:Service");
                assert.equal(violation!.property, "template.containers.0.startupProbe");
                assert.match(violation!.problem, /allows 30 x 10 s = 300 s, more than 240 s$/);
                assert.equal(violation!.source, "https://cloud.google.com/run/docs/configuring/healthchecks");
                const lines = r.stderr.split("\n").filter((l) => l.startsWith("  violation: "));
                assert.equal(lines.length, 1, r.stderr);
                assert.match(
                    lines[0]!,
                    /^ {2}violation: urn:pulumi:staging::multicloud-backend::.*gcp:cloudrunv2\/service:Service::gcp-europe-west1-\S+ template\.containers\.0\.startupProbe: .*allows 30 x 10 s = 300 s, more than 240 s; rule: startup probe: failureThreshold x periodSeconds at most 240 s .*\(source: https:\/\/cloud\.google\.com\/run\/docs\/configuring\/healthchecks\)$/,
                );
            } finally {
                fs.rmSync(fork, { recursive: true, force: true });
            }
        });

        it("exits 2 for a stack file that does not exist, naming the shipped ones", async () => {
            const r = await plan("--stack", "nope");
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            assert.match(r.stderr, /prod/);
        });
    });
});

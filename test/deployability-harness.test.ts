/**
 * The offline harness reports what a real run would stop on: the engine's default-provider rule,
 * registrations that never happen, invokes the mocks do not model; and hands out unique addresses.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as random from "@pulumi/random";
import { parse as parseYaml } from "yaml";
import {
    ADDRESS_CAPACITY,
    AddressPool,
    defaultProviderDenied,
    defaultProviderRule,
    messageOf,
    projectName,
    readStackFile,
    ROOT,
    runProgram,
    type ProgramRun,
} from "../scripts/offline";
import { registeredUnder } from "./support";

/** Runs `entry` through the harness, then gives the other specs back the root hook's mocks and config. */
function isolatedRun(config: Record<string, string>, entry: string): Promise<ProgramRun> {
    return runProgram({ root: ROOT, project: projectName(), stack: "harness", config, secretKeys: [] }, entry, { restore: true });
}

describe("offline harness: default providers", () => {
    it("applies the engine's rule: '*' denies every package but pulumi, including pulumi-nodejs", () => {
        const star = defaultProviderRule({ "pulumi:disable-default-providers": '["*"]' });
        assert.equal(defaultProviderDenied(star, "pulumi-nodejs:dynamic/cockroach:DatabaseSql"), true);
        assert.equal(defaultProviderDenied(star, "aws:s3/bucket:Bucket"), true);
        assert.equal(defaultProviderDenied(star, "pulumi:providers:aws"), false);
        assert.equal(defaultProviderDenied(star, "pulumi:pulumi:StackReference"), false);
        const listed = defaultProviderRule({ "pulumi:disable-default-providers": '[" aws ", "gcp"]' });
        assert.equal(defaultProviderDenied(listed, "aws:s3/bucket:Bucket"), true, "entries are trimmed, as the engine does");
        assert.equal(defaultProviderDenied(listed, "gcp:kms/keyRing:KeyRing"), true);
        assert.equal(defaultProviderDenied(listed, "random:index/randomPassword:RandomPassword"), false);
        assert.equal(defaultProviderDenied(listed, "pulumi-nodejs:dynamic/cockroach:DatabaseSql"), false);
        const none: Record<string, string>[] = [
            {},
            { "pulumi:disable-default-providers": "" },
            { "pulumi:disable-default-providers": "[]" },
        ];
        for (const config of none) assert.equal(defaultProviderDenied(defaultProviderRule(config), "aws:s3/bucket:Bucket"), false);
        assert.throws(() => defaultProviderRule({ "pulumi:disable-default-providers": "[1]" }), /list of package names/);
    });

    it("Pulumi.yaml disables default providers per package, never with '*' (it would deny the database's dynamic provider)", () => {
        const doc = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { value: string[] }>;
        };
        const listed = doc.config["pulumi:disable-default-providers"]!.value;
        assert.ok(!listed.includes("*"));
        assert.ok(!listed.includes("pulumi-nodejs"));
        for (const cloud of ["aws", "gcp", "cloudflare", "tls", "random"]) assert.ok(listed.includes(cloud), cloud);
        // The stack config the harness reads carries the same list.
        const rule = defaultProviderRule(readStackFile("prod").config);
        assert.deepEqual([...rule.packages].sort(), [...listed].sort());
    });
});

describe("offline harness: addresses", () => {
    it("hands out distinct documentation addresses up to its capacity, then refuses", () => {
        const pool = new AddressPool();
        const seen = new Set<string>();
        for (let i = 0; i < ADDRESS_CAPACITY; i++) seen.add(pool.allocate(`r${i}`));
        assert.equal(seen.size, ADDRESS_CAPACITY);
        for (const a of seen) assert.match(a, /^(203\.0\.113|192\.0\.2|198\.51\.100)\.(\d+)$/);
        assert.ok([...seen].every((a) => Number(a.split(".")[3]) >= 1 && Number(a.split(".")[3]) <= 254));
        assert.equal(pool.allocate("r7"), [...seen][7], "one name, one address");
        assert.throws(() => pool.allocate("one-too-many"), /ran out of documentation addresses \(762\) at one-too-many/);
    });
});

describe("offline harness: failures a real run would stop on", () => {
    let dir: string;
    let run: ProgramRun;
    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-"));
        const entry = path.join(dir, "program.js");
        const req = (m: string) => JSON.stringify(require.resolve(m, { paths: [ROOT] }));
        // A tiny program with one of each failure, next to resources that are fine.
        fs.writeFileSync(
            entry,
            `const pulumi = require(${req("@pulumi/pulumi")});
const aws = require(${req("@pulumi/aws")});
const random = require(${req("@pulumi/random")});
const p = new random.Provider("random");
const a = new aws.Provider("aws", { region: "us-east-1" });
new random.RandomPassword("fine", { length: 8 }, { provider: p });
new random.RandomPassword("no-provider", { length: 8 });
const length = pulumi.output(8).apply(() => { throw new Error("address 203.0.113.1 appears twice"); });
new random.RandomPassword("bad-input", { length }, { provider: p });
exports.vpc = aws.ec2.getVpcOutput({ default: true }, { provider: a }).id;
exports.zones = aws.getAvailabilityZonesOutput({}).names;
`,
        );
        run = await isolatedRun({ "pulumi:disable-default-providers": '["aws", "random"]' }, entry);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("names a resource whose input threw, and the cause", () => {
        assert.ok(run.mocks.resources.some((r) => r.name === "fine"));
        assert.ok(
            run.failures.some((f) => f.kind === "registration" && f.subject === "random:index/randomPassword:RandomPassword::bad-input"),
            JSON.stringify(run.failures, null, 2),
        );
        assert.ok(
            run.failures.some((f) => f.kind === "rejection" && /address 203\.0\.113\.1 appears twice \(input length\)/.test(f.message)),
        );
    });

    it("refuses an invoke it does not model, naming the token", () => {
        assert.ok(
            run.failures.some((f) => f.kind === "rejection" && f.message.includes("do not model invoke aws:ec2/getVpc:getVpc")),
            JSON.stringify(run.failures, null, 2),
        );
    });

    it("reports resources and invokes that would need a denied default provider", () => {
        const denied = run.failures.filter((f) => f.kind === "default-provider").map((f) => f.subject);
        assert.deepEqual(denied.sort(), [
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            "random:index/randomPassword:RandomPassword::no-provider",
        ]);
    });

    it("gives the other specs their mocks back", async () => {
        const provider = new random.Provider("harness-after-provider");
        new random.RandomPassword("harness-after", { length: 8 }, { provider });
        assert.deepEqual((await registeredUnder("harness-after")).map((r) => r.type).sort(), [
            "pulumi:providers:random",
            "random:index/randomPassword:RandomPassword",
        ]);
    });

    it("reports a failure's cause without the SDK's nesting", () => {
        assert.equal(
            messageOf(new Error('error serializing property "a": error serializing property "a": boom')).split(" at ")[0],
            "boom (input a)",
        );
    });
});

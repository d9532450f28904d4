import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NODE_PATHS, validateBootSpec, type BootSpec } from "../components/cluster/bootSpec";
import { bootScript } from "../components/cluster/bootstrap";
import { fetchCertsScript, initScript } from "../components/cluster/nodeScripts";
import { startFlags } from "../components/cluster/systemd";
import { LangVariant, parse as parseShell, type ParseError } from "sh-syntax";
import { inAnotherEnvironment } from "./support";

/**
 * Parses `script` as bash with sh-syntax (mvdan/sh, the parser behind shfmt, compiled to WASM and
 * installed from npm), so every machine that runs `npm test` checks the syntax of every generated
 * script. Throws naming the line and column of the first error.
 */
async function parseBash(name: string, script: string): Promise<void> {
    try {
        await parseShell(script, { variant: LangVariant.LangBash, filepath: `${name}.sh` });
    } catch (e) {
        const err = e as ParseError;
        assert.fail(
            `${name}.sh does not parse as bash${err.Pos ? ` at line ${err.Pos.Line}, column ${err.Pos.Col}` : ""}: ${err.Text ?? err.message}`,
        );
    }
}

/** Whether shellcheck is on the PATH (checked once). */
const SHELLCHECK_INSTALLED = !spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).error;

/** CI (`.ci/run`) installs shellcheck, so there a missing shellcheck is a failure, never a skip. */
const IN_CI = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());

/**
 * Skips the calling test, saying why in its title, when shellcheck is not installed outside CI;
 * fails it in CI. A plain `npm test` on a machine with only Node and npm then reports the
 * shellcheck tests as skipped while the bash parse tests still run.
 */
function requireShellcheck(ctx: Mocha.Context): void {
    if (SHELLCHECK_INSTALLED) return;
    if (IN_CI) assert.fail("shellcheck is not installed, but CI is set and .ci/run installs it: apt-get install shellcheck");
    if (ctx.test) ctx.test.title += " [skipped: shellcheck not installed; apt-get install shellcheck]";
    ctx.skip();
}

/**
 * Runs shellcheck on `script` as bash at the strictest severity (`-S style`: every finding, style
 * included, fails the test). Call requireShellcheck first; here a missing shellcheck fails.
 */
function shellcheck(name: string, script: string, env: NodeJS.ProcessEnv = process.env): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crdb-boot-"));
    const file = path.join(dir, `${name}.sh`);
    try {
        fs.writeFileSync(file, script);
        const run = spawnSync("shellcheck", ["-s", "bash", "-S", "style", "-x", file], { encoding: "utf8", env });
        if (run.error) {
            const code = (run.error as NodeJS.ErrnoException).code;
            assert.fail(
                code === "ENOENT"
                    ? "shellcheck is not installed; install the Debian package: apt-get install shellcheck"
                    : `shellcheck could not run: ${run.error.message}`,
            );
        }
        assert.equal(run.status, 0, `shellcheck reported findings in ${name} (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Files the boot script writes with a quoted heredoc: path -> content. */
function heredocs(script: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const m of script.matchAll(/^cat >(\S+) <<'COCKROACH_EOF'\n([\s\S]*?)^COCKROACH_EOF$/gm)) files.set(m[1]!, m[2]!);
    return files;
}

/** The single flag `--name=...` of a `cockroach start` argument list, without its name. */
function flag(flags: readonly string[], name: string): string {
    const found = flags.filter((f) => f.startsWith(`--${name}=`));
    assert.equal(found.length, 1, `expected exactly one --${name} in ${flags.join(" ")}`);
    return found[0]!.slice(name.length + 3);
}

const JOIN = [
    "203.0.113.11:26257",
    "203.0.113.21:26257",
    "203.0.113.31:26257",
    "198.51.100.41:26257",
    "198.51.100.51:26257",
    "198.51.100.61:26257",
];

/** A node of aws-us-east-1 as components/regional/aws/nodes.ts builds it. */
function awsNode(overrides: Partial<BootSpec> = {}): BootSpec {
    return {
        cloud: "aws",
        clusterName: "prod",
        version: "25.4.2",
        arch: "amd64",
        crdbRegion: "aws-us-east-1",
        locality: "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1b",
        publicIp: "203.0.113.21",
        privateIp: "10.1.144.10",
        join: JOIN,
        dataDevices: ["/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0", "/dev/sdf", "/dev/xvdf"],
        store: { kind: "aws", region: "us-east-1" },
        nodeSecret: "prod/aws-us-east-1/node-1",
        ...overrides,
    };
}

/** A node of gcp-europe-west1 (Axion, arm64). */
function gcpNode(overrides: Partial<BootSpec> = {}): BootSpec {
    return {
        cloud: "gcp",
        clusterName: "prod",
        version: "25.4.2",
        arch: "arm64",
        crdbRegion: "gcp-europe-west1",
        locality: "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-c",
        publicIp: "198.51.100.51",
        privateIp: "10.115.0.11",
        join: JOIN,
        dataDevices: ["/dev/disk/by-id/google-cockroach-data"],
        store: { kind: "gcp", project: "acme-backend-prod" },
        nodeSecret: "prod-gcp-europe-west1-node-1",
        cache: "8GiB",
        maxSqlMemory: "25%",
        ...overrides,
    };
}

/** The init node: first node of the primary region (aws-us-east-1). */
function initNode(withLicense: boolean, overrides: Partial<BootSpec> = {}): BootSpec {
    return awsNode({
        locality: "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a",
        publicIp: "203.0.113.11",
        privateIp: "10.1.128.10",
        nodeSecret: "prod/aws-us-east-1/node-0",
        init: {
            rootSecret: "prod/aws-us-east-1/root",
            licenseSecret: withLicense ? "prod/aws-us-east-1/license" : undefined,
            appSecret: "prod/aws-us-east-1/app",
            appUser: "app",
            markerUri: "s3://prod-aws-us-east-1-backups-123456789012/cluster/initialized",
        },
        ...overrides,
    });
}

const SPECS: Record<string, () => BootSpec> = {
    "an AWS node": () => awsNode(),
    "a GCP node": () => gcpNode(),
    "the init node with a licence": () => initNode(true),
    "the init node without a licence": () => initNode(false),
};

const AUDIENCE = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/crdb-prod-aws/providers/aws-nodes";
const S3 = { kind: "s3-from-gcp", roleArn: "arn:aws:iam::123456789012:role/prod-crdb-backups-from-gcp", stsRegion: "us-east-1" } as const;

/** A GCP init node (gs:// marker, gcloud store). */
const gcpInit = () =>
    gcpNode({
        init: {
            rootSecret: "prod-gcp-europe-west1-root",
            appSecret: "prod-gcp-europe-west1-app",
            licenseSecret: "prod-gcp-europe-west1-license",
            appUser: "app",
            markerUri: "gs://acme-backend-prod-prod-gcp-europe-west1-backups/cluster/initialized",
        },
    });

/** One generated script: whose it is, its file name, and where the boot script embeds it. */
interface GeneratedScript {
    readonly what: string;
    readonly name: string;
    readonly script: () => string;
    readonly embedded?: { readonly boot: () => string; readonly path: string };
}

/** Every script the template generates, for every kind of node: each is parsed and shellchecked. */
const SCRIPTS: readonly GeneratedScript[] = [
    ...Object.entries({ ...SPECS, "a GCP init node": gcpInit }).flatMap(([what, spec]): GeneratedScript[] => [
        { what, name: "boot", script: () => bootScript(spec()) },
        {
            what,
            name: "fetch-certs",
            script: () => fetchCertsScript(spec()),
            embedded: { boot: () => bootScript(spec()), path: NODE_PATHS.fetchCerts },
        },
        ...(spec().init
            ? [
                  {
                      what,
                      name: "init-cluster",
                      script: () => initScript(spec()),
                      embedded: { boot: () => bootScript(spec()), path: NODE_PATHS.initCluster },
                  },
              ]
            : []),
    ]),
    {
        what: "an AWS node reading GCS backups",
        name: "boot",
        script: () => bootScript(awsNode({ crossCloud: { kind: "gcs-from-aws", audience: AUDIENCE } })),
    },
    { what: "a GCP node writing S3 backups", name: "boot", script: () => bootScript(gcpNode({ crossCloud: S3 })) },
    {
        what: "a GCP node writing S3 backups",
        name: "fetch-aws-token",
        script: () => heredocs(bootScript(gcpNode({ crossCloud: S3 }))).get(NODE_PATHS.fetchAwsToken)!,
    },
];

describe("cluster boot script (components/cluster/bootstrap.ts)", () => {
    describe("bash syntax (sh-syntax), on every machine", () => {
        it("rejects a broken script, naming the line, so a clean parse means something", async () => {
            await assert.rejects(
                parseBash("bad", "#!/bin/bash\nif true; then\n    echo ok\n"),
                /bad\.sh does not parse as bash at line 2.*must end with `fi`/,
            );
            await assert.rejects(parseBash("bad", '#!/bin/bash\necho "${x\n'), /bad\.sh does not parse as bash/);
        });

        for (const { what, name, script, embedded } of SCRIPTS)
            it(`parses the ${name} script of ${what}${embedded ? ", alone and as embedded in the boot script" : ""}`, async () => {
                await parseBash(name, script());
                if (embedded) assert.equal(heredocs(embedded.boot()).get(embedded.path), script());
            });
    });

    describe("shellcheck -s bash -S style (skipped only where shellcheck is absent and CI is not set)", () => {
        it("finds the unquoted expansion in a deliberately bad script, so a clean result means something", function () {
            requireShellcheck(this);
            assert.throws(() => shellcheck("bad", "#!/bin/bash\ndir=$1\nrm -rf $dir/*\n"), /SC2086|SC2115/);
        });

        it("fails, naming the Debian package, when shellcheck is not on the PATH", () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-shellcheck-"));
            try {
                assert.throws(
                    () => shellcheck("any", "#!/bin/bash\necho ok\n", { ...process.env, PATH: empty }),
                    /apt-get install shellcheck/,
                );
            } finally {
                fs.rmSync(empty, { recursive: true, force: true });
            }
        });

        for (const { what, name, script } of SCRIPTS)
            it(`passes for the ${name} script of ${what}`, function () {
                requireShellcheck(this);
                shellcheck(name, script());
            });
    });

    describe("start flags", () => {
        it("advertise the public address, the zone locality and the private address inside the region", () => {
            const flags = startFlags(awsNode());
            assert.equal(flags[0], "start");
            assert.equal(flag(flags, "locality"), "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1b");
            assert.equal(flag(flags, "advertise-addr"), "203.0.113.21:26257");
            assert.equal(flag(flags, "locality-advertise-addr"), "region=aws-us-east-1@10.1.144.10:26257");
            assert.equal(flag(flags, "listen-addr"), ":26257");
            assert.equal(flag(flags, "http-addr"), ":8080");
        });

        it("name the whole join list, the cluster, the clock offset, memory and the certificate directory", () => {
            const flags = startFlags(awsNode());
            assert.deepEqual(flag(flags, "join").split(","), JOIN);
            assert.equal(flag(flags, "cluster-name"), "prod");
            assert.equal(flag(flags, "max-offset"), "250ms");
            assert.equal(flag(flags, "cache"), ".25");
            assert.equal(flag(flags, "max-sql-memory"), ".25");
            assert.equal(flag(flags, "certs-dir"), "/etc/cockroach/certs");
            assert.equal(flag(flags, "store"), "path=/var/lib/cockroach/data");
        });

        it("carry the cloud prefix on a GCP node's region and zone and take its memory settings", () => {
            const flags = startFlags(gcpNode());
            assert.equal(flag(flags, "locality"), "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-c");
            assert.equal(flag(flags, "advertise-addr"), "198.51.100.51:26257");
            assert.equal(flag(flags, "locality-advertise-addr"), "region=gcp-europe-west1@10.115.0.11:26257");
            assert.equal(flag(flags, "cache"), "8GiB");
            assert.equal(flag(flags, "max-sql-memory"), "25%");
        });

        it("are exactly what the cockroach unit starts, with a percent sign escaped for systemd", () => {
            for (const spec of [awsNode(), gcpNode(), initNode(true)]) {
                const unit = heredocs(bootScript(spec)).get("/etc/systemd/system/cockroach.service");
                assert.ok(unit, "the boot script writes no cockroach.service");
                const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1];
                assert.ok(exec, "cockroach.service has no ExecStart");
                // systemd reads `%%` as one `%` (a lone `%` is a specifier and breaks the unit).
                assert.deepEqual(exec.replace(/%%/g, "%").split(" "), [NODE_PATHS.binary, ...startFlags(spec)]);
                assert.doesNotMatch(exec.replace(/%%/g, ""), /%/, `unescaped % in ${exec}`);
                assert.match(unit, /^ExecStartPre=\+\/usr\/local\/sbin\/cockroach-fetch-certs$/m);
            }
            assert.match(bootScript(gcpNode()), /--max-sql-memory=25%%/);
        });
    });

    describe("content", () => {
        it("holds no certificate, key, licence or password, only the names of the secrets", () => {
            for (const spec of Object.values(SPECS).map((s) => s())) {
                const script = bootScript(spec);
                assert.doesNotMatch(script, /BEGIN/);
                assert.doesNotMatch(script, /PRIVATE KEY/);
                assert.doesNotMatch(script, /crl-0-/, "CockroachDB licence keys start with crl-0-");
                assert.ok(script.includes(`write_bundle '${spec.nodeSecret}' ${NODE_PATHS.certs} cockroach`));
                if (spec.init?.licenseSecret) assert.ok(script.includes(`license=$(retry fetch_secret '${spec.init.licenseSecret}')`));
                if (spec.init) assert.ok(script.includes(`password=$(retry fetch_secret '${spec.init.appSecret}' | jq -r .password)`));
            }
        });

        it("reads secrets with the node's own cloud tools", () => {
            assert.match(bootScript(awsNode()), /aws secretsmanager get-secret-value --region 'us-east-1'/);
            assert.doesNotMatch(bootScript(awsNode()), /gcloud/);
            assert.match(bootScript(gcpNode()), /gcloud secrets versions access latest --secret="\$1" --project='acme-backend-prod'/);
            assert.doesNotMatch(bootScript(gcpNode()), /aws secretsmanager/);
        });

        it("installs the requested CockroachDB release and architecture and checks its checksum", () => {
            const script = bootScript(gcpNode());
            assert.match(script, /^readonly VERSION='25\.4\.2'$/m);
            assert.match(script, /^readonly ARCH='arm64'$/m);
            assert.match(script, /^readonly DATA_DEVICES=\('\/dev\/disk\/by-id\/google-cockroach-data'\)$/m);
            assert.match(script, /sha256sum/);
        });

        it("initializes the cluster only on the init node", () => {
            for (const spec of [awsNode(), gcpNode()]) {
                const script = bootScript(spec);
                assert.ok(!script.includes(NODE_PATHS.initCluster), "a plain node writes the init script");
                assert.doesNotMatch(script, /cockroach-init\.service/);
                assert.doesNotMatch(script, / init --cluster-name/);
                assert.doesNotMatch(script, /root-certs/);
                assert.match(script, /^systemctl enable cockroach\.service cockroach-certs-refresh\.timer$/m);
                assert.throws(() => initScript(spec), /boot script: initScript needs spec\.init/);
            }
            const script = bootScript(initNode(true));
            const files = heredocs(script);
            assert.ok(files.has(NODE_PATHS.initCluster));
            assert.ok(files.has("/etc/systemd/system/cockroach-init.service"));
            assert.match(script, /^systemctl enable cockroach\.service cockroach-certs-refresh\.timer cockroach-init\.service$/m);
            assert.match(script, /write_bundle 'prod\/aws-us-east-1\/root' \/etc\/cockroach\/root-certs root/);
            assert.match(
                files.get(NODE_PATHS.initCluster)!,
                /cockroach init --cluster-name=prod --certs-dir=\/etc\/cockroach\/root-certs --host="\$HOST"/,
            );
        });

        it("guards init with the local and the remote marker and applies the licence only when one is configured", () => {
            const withLicense = initScript(initNode(true));
            assert.match(withLicense, /^readonly REMOTE_MARKER='s3:\/\/prod-aws-us-east-1-backups-123456789012\/cluster\/initialized'$/m);
            assert.match(withLicense, /^ {4}remote=\$\(retry marker_state "\$REMOTE_MARKER"\)$/m);
            assert.match(withLicense, /^if \[ "\$remote" = absent \]; then$/m);
            assert.match(withLicense, /SET CLUSTER SETTING enterprise\.license/);
            assert.match(withLicense, /CREATE USER IF NOT EXISTS app;/);
            const without = initScript(initNode(false));
            assert.doesNotMatch(without, /enterprise\.license/);
            assert.doesNotMatch(without, /license=/);
            assert.match(without, /no licence secret configured/);
            assert.match(without, /ALTER USER app WITH PASSWORD/);
        });

        it("depends on the spec alone: another clock, Math.random or environment gives the same text", () => {
            for (const spec of [awsNode(), gcpNode(), initNode(true), gcpInit()])
                assert.equal(
                    inAnotherEnvironment(() => bootScript(spec)),
                    bootScript(spec),
                    spec.locality,
                );
        });
    });

    describe("validateBootSpec", () => {
        it("accepts every spec the other tests use", () => {
            for (const spec of Object.values(SPECS)) assert.doesNotThrow(() => validateBootSpec(spec()));
        });

        it("rejects a version that is not a CockroachDB release", () => {
            for (const version of ["v25.4.2", "25.4", "latest", "25.4.2; rm -rf /"])
                assert.throws(() => validateBootSpec(awsNode({ version })), {
                    message: `boot script: version "${version}" is not a CockroachDB release such as 25.4.2.`,
                });
        });

        it("rejects a locality naming another cloud", () => {
            assert.throws(() => validateBootSpec(awsNode({ locality: "cloud=gcp,region=aws-us-east-1,zone=aws-us-east-1a" })), {
                message:
                    'boot script: locality "cloud=gcp,region=aws-us-east-1,zone=aws-us-east-1a" names cloud gcp, but the node runs on aws.',
            });
        });

        it("rejects a locality naming another region", () => {
            assert.throws(() => validateBootSpec(awsNode({ locality: "cloud=aws,region=aws-us-west-2,zone=aws-us-west-2a" })), {
                message:
                    'boot script: locality "cloud=aws,region=aws-us-west-2,zone=aws-us-west-2a" names region aws-us-west-2, but the node is in aws-us-east-1.',
            });
        });

        it("rejects a locality whose region or zone lacks the cloud prefix or is malformed", () => {
            assert.throws(
                () => validateBootSpec(awsNode({ crdbRegion: "us-east-1", locality: "cloud=aws,region=us-east-1,zone=us-east-1a" })),
                /region and zone must carry the cloud prefix "aws-"/,
            );
            assert.throws(
                () => validateBootSpec(awsNode({ locality: "region=aws-us-east-1,zone=aws-us-east-1a,cloud=aws" })),
                /must read cloud=<aws\|gcp>/,
            );
            assert.throws(
                () => validateBootSpec(awsNode({ locality: "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a,rack=1" })),
                /must read cloud=/,
            );
        });

        it("rejects a zone that is not in the node's region", () => {
            const cases: [BootSpec, string][] = [
                [
                    awsNode({ locality: "cloud=aws,region=aws-us-east-1,zone=aws-us-east-2a" }),
                    "zone aws-us-east-2a is not in region aws-us-east-1",
                ],
                [
                    awsNode({ locality: "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1" }),
                    "zone aws-us-east-1 is not in region aws-us-east-1",
                ],
                [
                    awsNode({ locality: "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1-a" }),
                    "zone aws-us-east-1-a is not in region aws-us-east-1",
                ],
                // A prefix match would take europe-west10's zone for one of europe-west1.
                [
                    gcpNode({ locality: "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west10-a" }),
                    "zone gcp-europe-west10-a is not in region gcp-europe-west1",
                ],
                [
                    gcpNode({ locality: "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1b" }),
                    "zone gcp-europe-west1b is not in region gcp-europe-west1",
                ],
            ];
            for (const [spec, message] of cases)
                assert.throws(() => validateBootSpec(spec), { message: `boot script: locality "${spec.locality}": ${message}.` });
        });

        it("rejects join addresses that are not <IPv4>:26257, and an empty join list", () => {
            for (const bad of [
                "203.0.113.11",
                "203.0.113.11:26258",
                "203.0.113.11:26257:1",
                "node1.example.com:26257",
                "[2001:db8::1]:26257",
                "203.0.113.300:26257",
            ])
                assert.throws(() => validateBootSpec(awsNode({ join: [...JOIN, bad] })), {
                    message: `boot script: join address "${bad}" must be <IPv4>:26257.`,
                });
            assert.throws(() => validateBootSpec(awsNode({ join: [] })), { message: "boot script: the join list is empty." });
        });

        it("rejects a data device outside /dev, and no data device at all", () => {
            for (const device of ["/tmp/disk.img", "sdf", "/dev/sdf; mkfs /dev/sda", "/dev/../etc/passwd", "/dev/sd f"])
                assert.throws(() => validateBootSpec(awsNode({ dataDevices: ["/dev/sdf", device] })), {
                    message: `boot script: data device "${device}" is not a /dev path.`,
                });
            assert.throws(() => validateBootSpec(awsNode({ dataDevices: [] })), { message: "boot script: no data device given." });
        });

        it("rejects a secret name a shell word may not carry, on plain and init nodes", () => {
            const unsafe = ["prod/node 1", "x';touch /tmp/p;'", "$(id)", "a`b`", 'q"uote', "semi;colon"];
            const init = initNode(true).init!;
            for (const name of unsafe) {
                const message = `boot script: secret name "${name}" has characters a shell word may not carry.`;
                assert.throws(() => validateBootSpec(awsNode({ nodeSecret: name })), { message });
                assert.throws(() => validateBootSpec(initNode(true, { init: { ...init, rootSecret: name } })), { message });
                assert.throws(() => validateBootSpec(initNode(true, { init: { ...init, appSecret: name } })), { message });
                assert.throws(() => validateBootSpec(initNode(true, { init: { ...init, licenseSecret: name } })), { message });
            }
        });

        it("rejects a marker URI in the other cloud's storage, or not an object URI at all", () => {
            const init = initNode(true).init!;
            const gsMarker = "gs://acme-backups/cluster/initialized";
            assert.throws(() => validateBootSpec(initNode(true, { init: { ...init, markerUri: gsMarker } })), {
                message: `boot script: marker URI "${gsMarker}" is not in the node's own cloud.`,
            });
            const s3Marker = "s3://acme-backups/cluster/initialized";
            assert.throws(() => validateBootSpec(gcpNode({ init: { ...init, markerUri: s3Marker } })), {
                message: `boot script: marker URI "${s3Marker}" is not in the node's own cloud.`,
            });
            for (const markerUri of ["https://acme-backups.s3.amazonaws.com/x", "s3://acme-backups", "s3://Acme/x", "s3://acme/x y"])
                assert.throws(() => validateBootSpec(initNode(true, { init: { ...init, markerUri } })), {
                    message: `boot script: marker URI "${markerUri}" must be s3://bucket/key or gs://bucket/key.`,
                });
        });

        it("rejects addresses that are not dotted-quad IPv4, including leading zeros", () => {
            for (const publicIp of ["203.0.113", "203.0.113.256", "2001:db8::1", "0203.0.113.1", "203.0.113.01"])
                assert.throws(() => validateBootSpec(awsNode({ publicIp })), {
                    message: `boot script: public address "${publicIp}" is not an IPv4 address.`,
                });
            assert.throws(
                () => validateBootSpec(awsNode({ privateIp: "10.1.144" })),
                /private address "10\.1\.144" is not an IPv4 address/,
            );
        });

        it("rejects the secret store of the other cloud, bad store names, cluster names, app users and memory sizes", () => {
            assert.throws(() => validateBootSpec(awsNode({ store: { kind: "gcp", project: "acme-backend-prod" } })), {
                message: "boot script: secret store of gcp for a node on aws.",
            });
            assert.throws(
                () => validateBootSpec(awsNode({ store: { kind: "aws", region: "us-east-1'" } })),
                /AWS region "us-east-1'" is not valid/,
            );
            assert.throws(
                () => validateBootSpec(gcpNode({ store: { kind: "gcp", project: "Acme" } })),
                /GCP project "Acme" is not a project id/,
            );
            assert.throws(() => validateBootSpec(awsNode({ clusterName: "Prod env" })), /cluster name "Prod env" must be lowercase/);
            assert.throws(
                () => validateBootSpec(initNode(true, { init: { ...initNode(true).init!, appUser: "app; DROP" } })),
                /app user "app; DROP" is not a SQL identifier/,
            );
            for (const cache of ["25", "lots", "8 GiB", "-1GiB"])
                assert.throws(() => validateBootSpec(awsNode({ cache })), {
                    message: `boot script: memory size "${cache}" must be a fraction (.25), a percentage or a size (8GiB).`,
                });
        });

        it("is applied by every generator, so no invalid spec reaches a script", () => {
            const bad = awsNode({ join: ["203.0.113.11"] });
            assert.throws(() => startFlags(bad), /join address/);
            assert.throws(() => fetchCertsScript(bad), /join address/);
            assert.throws(() => bootScript(bad), /join address/);
            assert.throws(() => initScript(initNode(true, { join: ["203.0.113.11"] })), /join address/);
        });
    });
});

describe("cluster boot script: cross-cloud backup access", () => {
    const ROLE = S3.roleArn;

    it("gives an AWS node Google external-account credentials for GCS, and nothing secret", () => {
        const script = bootScript(awsNode({ crossCloud: { kind: "gcs-from-aws", audience: AUDIENCE } }));
        const files = heredocs(script);
        const credentials = JSON.parse(files.get(NODE_PATHS.gcpCredentials)!) as Record<string, unknown>;
        assert.equal(credentials.type, "external_account");
        assert.equal(credentials.audience, AUDIENCE);
        assert.equal((credentials.credential_source as { environment_id: string }).environment_id, "aws1");
        assert.ok(!("private_key" in credentials), "external-account credentials carry no key");
        const unit = files.get("/etc/systemd/system/cockroach.service")!;
        assert.match(unit, new RegExp(`^Environment=GOOGLE_APPLICATION_CREDENTIALS=${NODE_PATHS.gcpCredentials}$`, "m"));
        assert.doesNotMatch(unit, /AWS_ROLE_ARN/);
    });

    it("lets a GCP node assume the AWS role with its ID token, refreshed every 15 minutes", () => {
        const script = bootScript(gcpNode({ crossCloud: S3 }));
        const files = heredocs(script);
        assert.match(files.get(NODE_PATHS.fetchAwsToken)!, /identity\?audience=sts\.amazonaws\.com&format=full/);
        const unit = files.get("/etc/systemd/system/cockroach.service")!;
        assert.match(
            unit,
            new RegExp(`^ExecStartPre=-\\+${NODE_PATHS.fetchAwsToken}$`, "m"),
            "a failed token fetch must not stop the node",
        );
        assert.match(unit, /^Environment=AWS_REGION=us-east-1$/m);
        assert.match(unit, new RegExp(`^Environment=AWS_ROLE_ARN=${ROLE}$`, "m"));
        assert.match(unit, new RegExp(`^Environment=AWS_WEB_IDENTITY_TOKEN_FILE=${NODE_PATHS.awsToken}$`, "m"));
        assert.match(files.get("/etc/systemd/system/cockroach-aws-token.timer")!, /^OnUnitActiveSec=15min$/m);
        assert.match(script, /^systemctl enable cockroach\.service cockroach-certs-refresh\.timer cockroach-aws-token\.timer$/m);
    });

    it("writes neither without cross-cloud access", () => {
        for (const spec of [awsNode(), gcpNode()]) {
            const script = bootScript(spec);
            assert.ok(!script.includes(NODE_PATHS.gcpCredentials) && !script.includes(NODE_PATHS.fetchAwsToken));
        }
    });

    it("rejects the other cloud's kind of access, a malformed audience and a malformed role ARN", () => {
        assert.throws(() => bootScript(awsNode({ crossCloud: S3 })), /cross-cloud access "s3-from-gcp" for a node on aws/);
        assert.throws(
            () => bootScript(awsNode({ crossCloud: { kind: "gcs-from-aws", audience: "//iam.googleapis.com/projects/x" } })),
            /workload identity audience .* is not a pool provider's resource name/,
        );
        assert.throws(
            () => bootScript(gcpNode({ crossCloud: { ...S3, roleArn: "arn:aws:iam::123:role/x; rm -rf /" } })),
            /is not a role ARN/,
        );
    });
});

describe("cluster boot script: the init marker", () => {
    /** Runs `marker_state` from the init script with a stub CLI that prints `output` and exits `code`. */
    function markerState(spec: BootSpec, cli: "aws" | "gcloud", output: string, code: number): { status: number | null; stdout: string } {
        const uri = spec.init!.markerUri;
        const script = initScript(spec);
        const fn = /^marker_state\(\) \{\n[\s\S]*?^\}$/m.exec(script);
        assert.ok(fn, "the init script defines marker_state");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crdb-marker-"));
        try {
            fs.writeFileSync(path.join(dir, cli), `#!/bin/bash\necho ${JSON.stringify(output)} >&2\nexit ${code}\n`, { mode: 0o755 });
            const run = spawnSync("bash", ["-c", `set -euo pipefail\n${fn[0]}\nmarker_state "$1"`, "marker", uri], {
                encoding: "utf8",
                env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
            });
            return { status: run.status, stdout: run.stdout.trim() };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }

    it("reads present and absent from the store, and refuses to guess on any other error", () => {
        const aws = initNode(true);
        assert.deepEqual(markerState(aws, "aws", "", 0), { status: 0, stdout: "present" });
        assert.deepEqual(markerState(aws, "aws", "An error occurred (404) when calling the HeadObject operation: Not Found", 254), {
            status: 0,
            stdout: "absent",
        });
        // Throttling or a missing permission must not start a second cluster.
        for (const error of [
            "An error occurred (403) when calling the HeadObject operation: Forbidden",
            "Could not connect to the endpoint URL",
        ]) {
            const r = markerState(aws, "aws", error, 254);
            assert.notEqual(r.status, 0, error);
            assert.notEqual(r.stdout, "absent", error);
        }
        const gcp = initNode(true, {
            cloud: "gcp",
            store: { kind: "gcp", project: "acme-backend-prod" },
            crdbRegion: "gcp-europe-west1",
            locality: "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-b",
            init: { ...initNode(true).init!, markerUri: "gs://bucket/cluster/initialized" },
        });
        assert.deepEqual(
            markerState(gcp, "gcloud", "ERROR: (gcloud.storage.objects.describe) gs://bucket/cluster/initialized not found: 404.", 1),
            {
                status: 0,
                stdout: "absent",
            },
        );
        // Only the store's own 404 counts: a missing CLI or any other "not found" does not.
        for (const error of [
            "ERROR: (gcloud.storage.objects.describe) HTTPError 503",
            "bash: gcloud: command not found",
            "metadata: service account not found",
        ])
            assert.notEqual(markerState(gcp, "gcloud", error, 1).stdout, "absent", error);
    });
});

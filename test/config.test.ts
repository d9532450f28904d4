import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, formatIssues, type ConfigIssue } from "../components/config";
import { CLOUDFLARE_PLANS, SESSION_AFFINITIES, STEERING_POLICIES } from "../components/traffic/constants";
import { loadConfig, parseStackConfig } from "../components/validate";
import { readStackFile, shippedStacks } from "../scripts/offline";
import { recorded } from "./support";

type Raw = Record<string, unknown>;

/** The prod stack's config as structured values (`backend:key` -> value). */
function prodValues(): Raw {
    const { config } = readStackFile("prod");
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
}

function asStackConfig(values: Raw): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

function mutated(mutate: (v: Raw & Record<string, any>) => void): Raw {
    const values = structuredClone(prodValues()) as Raw & Record<string, any>;
    mutate(values);
    return values;
}

function issuesOf(values: Raw): ConfigIssue[] {
    const result = parseStackConfig(asStackConfig(values));
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.issues;
}

const entry = path.resolve(__dirname, "..", "index.ts");

/** Runs index.ts with `values` as the stack config under the root hook's mocks; returns what it threw. */
function runIndexWith(values: Raw): unknown {
    pulumi.runtime.setAllConfig(asStackConfig(values));
    delete require.cache[require.resolve(entry)];
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh run of the program module
        require(entry);
        return undefined;
    } catch (e) {
        return e;
    }
}

describe("config validation", () => {
    for (const stack of shippedStacks()) {
        it(`accepts the shipped stack ${stack}`, () => {
            const result = parseStackConfig(readStackFile(stack).config);
            assert.ok(result.ok, result.ok ? "" : result.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
        });
    }

    it("keeps the clouds' deletion protection on unless backend:deletionProtection is false", () => {
        const on = parseStackConfig(asStackConfig(prodValues()));
        assert.ok(on.ok && on.config.deletionProtection === true);
        const off = parseStackConfig({ ...asStackConfig(prodValues()), "backend:deletionProtection": "false" });
        assert.ok(off.ok && off.config.deletionProtection === false);
        const issues = issuesOf(mutated((v) => (v["backend:deletionProtection"] = "no")));
        assert.deepEqual(
            issues.map((i) => i.key),
            ["backend:deletionProtection"],
        );
    });

    it("fills stated defaults for omitted keys", () => {
        const result = parseStackConfig(readStackFile("staging").config);
        assert.ok(result.ok);
        const c = result.config;
        assert.equal(c.app.port, 8080);
        assert.equal(c.app.healthPath, "/healthz");
        assert.equal(c.cockroach.nodesPerRegion, 3);
        assert.equal(c.cockroach.survivalGoal, "zone");
        assert.equal(c.cockroach.placement, "default");
        assert.equal(c.database.manage, true);
        assert.equal(c.cloudflare.steeringPolicy, "dynamic_latency");
        assert.equal(c.cloudflare.sessionAffinity, "none");
        assert.equal(c.database.name, "app");
        assert.equal(c.regions[0]!.crdbRegion, "aws-us-east-2");
        assert.equal(c.regions[1]!.crdbRegion, "gcp-europe-west1");
    });

    it("expands jurisdictions into the countries a domain serves", () => {
        const result = parseStackConfig(readStackFile("prod").config);
        assert.ok(result.ok);
        const eu = result.config.domains.find((d) => d.name === "eu")!;
        for (const code of ["DE", "FR", "IE", "NO", "IS", "LI", "CH", "GB"]) assert.ok(eu.countries.includes(code), code);
        assert.ok(!eu.countries.includes("US"));
    });

    // Each case: what is wrong, the key the message must name, and a fragment it must show.
    const cases: { what: string; key: string; shows?: string; mutate: (v: Record<string, any>) => void }[] = [
        {
            what: "an unknown cloud",
            key: "backend:regions[0].cloud",
            shows: '"azure"',
            mutate: (v) => (v["backend:regions"][0].cloud = "azure"),
        },
        {
            what: "an unknown region, with the nearest names suggested",
            key: "backend:regions[0].region",
            shows: '"us-east-1"',
            mutate: (v) => (v["backend:regions"][0].region = "us-east-9"),
        },
        {
            what: "a GCP name on AWS",
            key: "backend:regions[1].region",
            shows: "europe-west1",
            mutate: (v) => (v["backend:regions"][1] = { cloud: "aws", region: "europe-west1", domain: "eu" }),
        },
        {
            what: "a region listed twice",
            key: "backend:regions[6]",
            shows: "already listed",
            mutate: (v) => v["backend:regions"].push({ cloud: "aws", region: "us-west-2", domain: "us" }),
        },
        {
            what: "a region outside its domain's jurisdictions",
            key: "backend:regions[3].domain",
            shows: "DE",
            mutate: (v) => (v["backend:regions"][3].domain = "us"),
        },
        {
            what: "a region in an unknown domain",
            key: "backend:regions[0].domain",
            shows: '"apac"',
            mutate: (v) => (v["backend:regions"][0].domain = "apac"),
        },
        { what: "no primary region", key: "backend:regions", shows: "primary", mutate: (v) => (v["backend:regions"][0].primary = false) },
        {
            what: "two primary regions",
            key: "backend:regions[3].primary",
            shows: "exactly one",
            mutate: (v) => (v["backend:regions"][3].primary = true),
        },
        { what: "no regions at all", key: "backend:regions", mutate: (v) => (v["backend:regions"] = []) },
        {
            what: "regions that are not a list",
            key: "backend:regions",
            shows: '"us-east-1"',
            mutate: (v) => (v["backend:regions"] = "us-east-1"),
        },
        {
            what: "REGION survival with fewer than 3 regions",
            key: "backend:cockroach.survivalGoal",
            shows: "at least 3",
            mutate: (v) =>
                (v["backend:regions"] = v["backend:regions"].slice(0, 1).concat([{ cloud: "aws", region: "eu-central-1", domain: "eu" }])),
        },
        {
            what: "a domain with no region",
            key: "backend:domains[2]",
            shows: '"apac"',
            mutate: (v) => v["backend:domains"].push({ name: "apac", countries: ["JP"] }),
        },
        {
            what: "a domain listed twice",
            key: "backend:domains[1].name",
            shows: '"eu"',
            mutate: (v) => (v["backend:domains"][1].name = "eu"),
        },
        {
            what: "an unknown jurisdiction",
            key: "backend:domains[0].jurisdictions[0]",
            shows: '"EUR"',
            mutate: (v) => (v["backend:domains"][0].jurisdictions = ["EUR"]),
        },
        {
            what: "an unknown country",
            key: "backend:domains[1].countries[0]",
            shows: '"XX"',
            mutate: (v) => (v["backend:domains"][1].countries[0] = "XX"),
        },
        {
            what: "a country in two domains",
            key: "backend:domains[1]",
            shows: "DE",
            mutate: (v) => v["backend:domains"][1].countries.push("DE"),
        },
        {
            what: "a domain name unfit for labels",
            key: "backend:domains[0].name",
            shows: '"EU"',
            mutate: (v) => (v["backend:domains"][0].name = "EU"),
        },
        {
            what: "a malformed environment name",
            key: "backend:environment",
            shows: '"Prod!"',
            mutate: (v) => (v["backend:environment"] = "Prod!"),
        },
        {
            what: "a malformed CIDR",
            key: "backend:cockroach.adminCidrs[0]",
            shows: "10.0.0.0/33",
            mutate: (v) => (v["backend:cockroach"].adminCidrs = ["10.0.0.0/33"]),
        },
        {
            what: "an admin CIDR open to the world",
            key: "backend:cockroach.adminCidrs[0]",
            shows: "0.0.0.0/0",
            mutate: (v) => (v["backend:cockroach"].adminCidrs = ["0.0.0.0/0"]),
        },
        {
            what: "an IPv6 admin CIDR open to the world",
            key: "backend:cockroach.adminCidrs[1]",
            shows: "::/0",
            mutate: (v) => v["backend:cockroach"].adminCidrs.push("::/0"),
        },
        {
            what: "an admin CIDR with host bits",
            key: "backend:cockroach.adminCidrs[0]",
            shows: "198.51.100.0/24",
            mutate: (v) => (v["backend:cockroach"].adminCidrs = ["198.51.100.7/24"]),
        },
        {
            what: "an image on a registry Cloud Run cannot pull from, with a GCP region",
            key: "backend:app.image",
            shows: "ghcr.io/acme/api:1.0.0",
            mutate: (v) => (v["backend:app"].image = "ghcr.io/acme/api:1.0.0"),
        },
        {
            what: "more nodes per region than an AWS network's zones",
            key: "backend:cockroach.nodesPerRegion",
            shows: "at most 3",
            mutate: (v) => {
                v["backend:regions"] = v["backend:regions"].filter((r: { region: string }) =>
                    ["us-east-1", "us-central1"].includes(r.region),
                );
                v["backend:cockroach"].nodesPerRegion = 4;
            },
        },
        {
            what: "schema management with no admin network to reach SQL from",
            key: "backend:database.manage",
            shows: "backend:cockroach.adminCidrs",
            mutate: (v) => (v["backend:cockroach"].adminCidrs = []),
        },
        {
            what: "a machine type the cloud does not have",
            key: "backend:cockroach.machineType.gcp",
            shows: "m6i.xlarge",
            mutate: (v) => (v["backend:cockroach"].machineType = { aws: "m6i.xlarge", gcp: "m6i.xlarge" }),
        },
        {
            what: "a malformed hostname",
            key: "backend:cloudflare.hostname",
            shows: "api..example.com",
            mutate: (v) => (v["backend:cloudflare"].hostname = "api..example.com"),
        },
        {
            what: "a malformed image",
            key: "backend:app.image",
            shows: "Acme/API:latest!",
            mutate: (v) => (v["backend:app"].image = "Acme/API:latest!"),
        },
        { what: "a missing image", key: "backend:app.image", shows: "required", mutate: (v) => delete v["backend:app"].image },
        { what: "a port out of range", key: "backend:app.port", shows: "70000", mutate: (v) => (v["backend:app"].port = 70000) },
        {
            what: "a health path without a slash",
            key: "backend:app.healthPath",
            shows: '"healthz"',
            mutate: (v) => (v["backend:app"].healthPath = "healthz"),
        },
        { what: "a CPU size neither cloud offers", key: "backend:app.cpu", shows: "3", mutate: (v) => (v["backend:app"].cpu = 3) },
        {
            what: "memory that does not fit the CPU",
            key: "backend:app.memory",
            shows: "1000",
            mutate: (v) => (v["backend:app"].memory = 1000),
        },
        {
            what: "minInstances above maxInstances",
            key: "backend:app.minInstances",
            shows: "30",
            mutate: (v) => (v["backend:app"].minInstances = 30),
        },
        {
            what: "zero nodes per region",
            key: "backend:cockroach.nodesPerRegion",
            shows: "0",
            mutate: (v) => (v["backend:cockroach"].nodesPerRegion = 0),
        },
        {
            what: "more nodes per region than a region has zones",
            key: "backend:cockroach.nodesPerRegion",
            shows: "europe-west1",
            mutate: (v) => (v["backend:cockroach"].nodesPerRegion = 4),
        },
        {
            what: "an EC2 type that does not exist",
            key: "backend:cockroach.machineType.aws",
            shows: "m6i.huge",
            mutate: (v) => (v["backend:cockroach"].machineType.aws = "m6i.huge"),
        },
        {
            what: "a GCE type that does not exist",
            key: "backend:cockroach.machineType.gcp",
            shows: "n2-superfast-4",
            mutate: (v) => (v["backend:cockroach"].machineType.gcp = "n2-superfast-4"),
        },
        {
            what: "a malformed CockroachDB version",
            key: "backend:cockroach.version",
            shows: "v25.4",
            mutate: (v) => (v["backend:cockroach"].version = "v25.4"),
        },
        {
            what: "an unknown survival goal",
            key: "backend:cockroach.survivalGoal",
            shows: "cloud",
            mutate: (v) => (v["backend:cockroach"].survivalGoal = "cloud"),
        },
        {
            what: "restricted placement with region survival",
            key: "backend:cockroach.placement",
            shows: "SURVIVE ZONE",
            mutate: (v) => (v["backend:cockroach"].placement = "restricted"),
        },
        {
            what: "a GCP region without a GCP project",
            key: "backend:gcpProject",
            shows: "gcpProject",
            mutate: (v) => delete v["backend:gcpProject"],
        },
        {
            what: "a malformed Cloudflare account id",
            key: "backend:cloudflare.accountId",
            shows: "acme",
            mutate: (v) => (v["backend:cloudflare"].accountId = "acme"),
        },
        {
            what: "a missing Cloudflare zone id",
            key: "backend:cloudflare.zoneId",
            shows: "required",
            mutate: (v) => delete v["backend:cloudflare"].zoneId,
        },
        {
            what: "an unknown steering policy",
            key: "backend:cloudflare.steeringPolicy",
            shows: "random",
            mutate: (v) => (v["backend:cloudflare"].steeringPolicy = "random"),
        },
        {
            what: "an unknown Cloudflare plan",
            key: "backend:cloudflare.plan",
            shows: "free",
            mutate: (v) => (v["backend:cloudflare"].plan = "free"),
        },
        {
            what: "a monitor interval below the plan's minimum",
            key: "backend:cloudflare.monitor.interval",
            shows: "60",
            mutate: (v) => Object.assign(v["backend:cloudflare"], { plan: "pro", monitor: { interval: 30 } }),
        },
        {
            what: "a monitor timeout not shorter than the interval",
            key: "backend:cloudflare.monitor.timeout",
            shows: "10",
            mutate: (v) => (v["backend:cloudflare"].monitor = { interval: 10, timeout: 10 }),
        },
        {
            what: "a missing cloudflare section",
            key: "backend:cloudflare",
            shows: "required",
            mutate: (v) => delete v["backend:cloudflare"],
        },
        {
            what: "a table listed twice",
            key: "backend:database.tables[1].name",
            shows: '"users"',
            mutate: (v) => (v["backend:database"].tables[1].name = "users"),
        },
        {
            what: "an unknown table locality",
            key: "backend:database.tables[0].locality",
            shows: "everywhere",
            mutate: (v) => (v["backend:database"].tables[0].locality = "everywhere"),
        },
        {
            what: "a residency column on a GLOBAL table",
            key: "backend:database.tables[2].residencyColumn",
            shows: "global",
            mutate: (v) => (v["backend:database"].tables[2].residencyColumn = "country"),
        },
        {
            what: "a table name that is not an identifier",
            key: "backend:database.tables[0].name",
            shows: "User Data",
            mutate: (v) => (v["backend:database"].tables[0].name = "User Data"),
        },
        { what: "a misspelt top-level key", key: "backend:regoins", mutate: (v) => (v["backend:regoins"] = []) },
        { what: "a misspelt nested key", key: "backend:app.imagee", mutate: (v) => (v["backend:app"].imagee = "x") },
    ];

    for (const c of cases) {
        it(`rejects ${c.what}, naming ${c.key}, and the program registers nothing`, () => {
            const values = mutated(c.mutate);
            const issues = issuesOf(values);
            const hit = issues.find((i) => i.key === c.key);
            assert.ok(hit, `no issue names ${c.key}; got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
            if (c.shows) assert.ok(hit.message.includes(c.shows), `message for ${c.key} does not show ${c.shows}: ${hit.message}`);
            // Every message says how to fix it, not only what is wrong.
            assert.match(hit.message, /;|use |set |add |remove |list /i);

            const before = recorded.length;
            const error = runIndexWith(values);
            assert.ok(error instanceof ConfigError, `the program should stop with a ConfigError, got ${String(error)}`);
            assert.ok(error.message.includes(c.key));
            assert.equal(recorded.length, before, "no resource may be registered for invalid config");
        });
    }

    it("reports every problem at once, one per key", () => {
        const issues = issuesOf(
            mutated((v) => {
                v["backend:regions"][0].region = "us-east-9";
                v["backend:cloudflare"].plan = "free";
                v["backend:app"].port = 0;
            }),
        );
        assert.deepEqual(
            issues.map((i) => i.key).sort(),
            ["backend:app.port", "backend:cloudflare.plan", "backend:regions[0].region"].sort(),
        );
    });

    it("takes the Cloudflare enums from the traffic constants: accepts each value the traffic code supports, names them all when refusing", () => {
        const enums = [
            ["plan", CLOUDFLARE_PLANS],
            ["steeringPolicy", STEERING_POLICIES],
            ["sessionAffinity", SESSION_AFFINITIES],
        ] as const;
        for (const [key, values] of enums) {
            for (const value of values) {
                const result = parseStackConfig(
                    asStackConfig(
                        mutated((v) => {
                            v["backend:cloudflare"][key] = value;
                            // header affinity needs a header; geo steering pins at most one domain
                            if (value === "header") v["backend:cloudflare"].sessionAffinityHeaders = ["x-session-id"];
                            if (value === "geo") v["backend:domains"].forEach((d: Raw) => (d.pinRouting = false));
                            if (value === "pro") v["backend:cloudflare"].monitor = { interval: 60 };
                            if (value === "pro" || value === "business") v["backend:domains"].forEach((d: Raw) => (d.pinRouting = false));
                        }),
                    ),
                );
                assert.ok(result.ok, `${key} ${value}: ${result.ok ? "" : formatIssues(result.issues)}`);
            }
            const [issue] = issuesOf(mutated((v) => (v["backend:cloudflare"][key] = "nope")));
            assert.equal(issue!.key, `backend:cloudflare.${key}`);
            for (const value of values) assert.ok(issue!.message.includes(`'${value}'`), `${issue!.message} should name ${value}`);
        }
    });

    describe("in the program", () => {
        it("stops with a ConfigError (no stack trace) before registering any resource", async () => {
            const before = recorded.length;
            const values = prodValues();
            (values["backend:regions"] as Raw[])[0]!.region = "us-east-9";
            (values["backend:app"] as Raw).port = "eighty";
            // Two problems of different kinds: both are reported.
            const error = runIndexWith(values);
            assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
            assert.ok(error instanceof pulumi.RunError, "RunError makes the CLI print the message without a stack trace");
            assert.match(error.message, /backend:regions\[0\]\.region/);
            assert.match(error.message, /backend:app\.port/);
            await new Promise((r) => setTimeout(r, 50));
            assert.equal(recorded.length, before, "no resource may be registered for invalid config");
        });
    });
});

describe("config validation: limits, both sides", () => {
    function adminIssues(adminCidrs: string[]): ConfigIssue[] {
        const values = mutated((v) => (v["backend:cockroach"].adminCidrs = adminCidrs));
        const result = parseStackConfig(asStackConfig(values));
        return result.ok ? [] : result.issues.filter((i) => i.key.startsWith("backend:cockroach.adminCidrs"));
    }

    it("refuses admin networks wider than the node firewall admits (/7, IPv6 /31) and accepts /8 and IPv6 /32", () => {
        assert.deepEqual(
            adminIssues(["10.0.0.0/7", "2001:db8::/31", "0.0.0.0/1", "128.0.0.0/1"]).map((i) => i.key),
            [0, 1, 2, 3].map((i) => `backend:cockroach.adminCidrs[${i}]`),
        );
        assert.match(
            adminIssues(["10.0.0.0/7"])[0]!.message,
            /"10\.0\.0\.0\/7" opens the database to too wide a network.*at most \/8 for IPv4, \/32 for IPv6/,
        );
        assert.deepEqual(adminIssues(["10.0.0.0/8", "2001:db8::/32"]), []);
    });
});

describe("config validation: gaps a user can hit", () => {
    const keysOf = (values: Raw) => {
        const result = parseStackConfig(asStackConfig(values));
        return result.ok ? [] : result.issues.map((i) => i.key);
    };

    it("accepts only the CockroachDB release lines the placement model implements (25.4), naming them", () => {
        const withVersion = (version: string) => mutated((v) => (v["backend:cockroach"].version = version));
        for (const version of ["21.2.17", "22.1.0", "24.3.9", "25.1.4", "25.3.1", "26.1.0", "26.2.0"]) {
            const issues = issuesOf(withVersion(version));
            assert.deepEqual(
                issues.map((i) => i.key),
                ["backend:cockroach.version"],
                version,
            );
            assert.match(issues[0]!.message, /implements 25\.4\.x only/);
            assert.match(issues[0]!.message, new RegExp(`Received "${version.replace(/\./g, "\\.")}"`));
        }
        assert.match(issuesOf(withVersion("21.2.17"))[0]!.message, /no super regions \(added in 22\.1\)/);
        for (const version of ["25.4.0", "25.4.2", "25.4.10"]) assert.deepEqual(keysOf(withVersion(version)), [], version);
    });

    it("refuses database.manage when every admin network is private, and accepts one public network among them", () => {
        const withAdmin = (adminCidrs: string[], manage = true) =>
            mutated((v) => {
                v["backend:cockroach"].adminCidrs = adminCidrs;
                v["backend:database"].manage = manage;
            });
        for (const privateOnly of [
            ["10.0.0.0/8"],
            ["172.16.0.0/12", "192.168.1.0/24"],
            ["100.64.0.0/10"],
            ["fd12:3456:789a::/48"],
            ["10.1.0.0/16", "fe80::/64"],
        ]) {
            const issues = issuesOf(withAdmin(privateOnly));
            assert.deepEqual(
                issues.map((i) => i.key),
                ["backend:database.manage"],
                privateOnly.join(", "),
            );
            assert.match(issues[0]!.message, /is private and no packet from the internet carries such a source/);
            assert.match(issues[0]!.message, new RegExp(privateOnly[0]!.replace(/[./]/g, "\\$&")));
        }
        assert.deepEqual(keysOf(withAdmin(["10.0.0.0/8", "198.51.100.0/28"])), []);
        assert.deepEqual(keysOf(withAdmin(["172.0.0.0/8"])), [], "172.0.0.0/8 is mostly public");
        assert.deepEqual(keysOf(withAdmin(["2001:db8::/48"])), []);
        assert.deepEqual(keysOf(withAdmin(["10.0.0.0/8"], false)), [], "manage: false needs no reachable network");
    });

    it("refuses sessionAffinity header without a header, and more headers than the plan allows (1; Enterprise 5)", () => {
        const withAffinity = (sessionAffinity: string, headers?: string[], plan = "pro") =>
            mutated((v) => {
                v["backend:cloudflare"].plan = plan;
                v["backend:cloudflare"].sessionAffinity = sessionAffinity;
                if (headers) v["backend:cloudflare"].sessionAffinityHeaders = headers;
            });
        const none = issuesOf(withAffinity("header"));
        assert.deepEqual(
            none.map((i) => i.key),
            ["backend:cloudflare.sessionAffinityHeaders"],
        );
        assert.match(none[0]!.message, /no header is named, and Cloudflare requires at least one/);
        assert.deepEqual(keysOf(withAffinity("header", ["x-session-id"])), []);
        assert.deepEqual(keysOf(withAffinity("header", ["cookie:session,cart"])), []);
        assert.deepEqual(keysOf(withAffinity("header", ["x-a", "x-b"])), ["backend:cloudflare.sessionAffinityHeaders"]);
        assert.deepEqual(keysOf(withAffinity("header", ["a", "b", "c", "d", "e"], "enterprise")), []);
        assert.deepEqual(keysOf(withAffinity("header", ["a", "b", "c", "d", "e", "f"], "enterprise")), [
            "backend:cloudflare.sessionAffinityHeaders",
        ]);
        assert.deepEqual(keysOf(withAffinity("header", ["x session"])), ["backend:cloudflare.sessionAffinityHeaders[0]"]);
        assert.deepEqual(keysOf(withAffinity("cookie", ["x-session-id"])), ["backend:cloudflare.sessionAffinityHeaders"]);
        assert.deepEqual(keysOf(withAffinity("cookie")), []);
    });

    describe("secrets in clear text", () => {
        const root = path.resolve(__dirname, "..");
        /** A copy of the prod stack file with `lines` appended under config:, read the way the CLI does. */
        function stackWith(lines: string): ReturnType<typeof readStackFile> {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
            fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.x.yaml"), fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8") + lines);
            return readStackFile("x", dir);
        }

        it("refuses a licence key or API token written in clear text, pointing at pulumi config set --secret", () => {
            const stack = stackWith("    backend:cockroachLicenseKey: crl-0-plain\n    backend:cloudflareApiToken: plain-token\n");
            const result = parseStackConfig(stack.config, (k) => stack.secretKeys.includes(k));
            assert.ok(!result.ok);
            assert.deepEqual(
                result.issues.map((i) => i.key),
                ["backend:cockroachLicenseKey", "backend:cloudflareApiToken"],
            );
            assert.match(result.issues[0]!.message, /pulumi config set --secret backend:cockroachLicenseKey <value>/);
            assert.ok(!result.issues.some((i) => i.message.includes("crl-0-plain")), "a message must not repeat the secret");
        });

        it("accepts secure: values", () => {
            const stack = stackWith("    backend:cockroachLicenseKey:\n        secure: AAABAKzq\n");
            assert.deepEqual(stack.secretKeys, ["backend:cockroachLicenseKey"]);
            assert.ok(parseStackConfig(stack.config, (k) => stack.secretKeys.includes(k)).ok);
        });

        it("stops the program when the CLI hands it a secret key that is not secret", () => {
            const stack = stackWith("    backend:cloudflareApiToken: plain-token\n");
            pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
            try {
                assert.throws(
                    () => loadConfig(),
                    (e: unknown) => e instanceof ConfigError && /backend:cloudflareApiToken: is in clear text/.test(e.message),
                );
                pulumi.runtime.setAllConfig(stack.config, ["backend:cloudflareApiToken"]);
                assert.doesNotThrow(() => loadConfig());
            } finally {
                pulumi.runtime.setAllConfig({});
            }
        });
    });
});

/**
 * `--policy-pack-config <file>` read as `pulumi preview --policy-pack-config` reads it
 * (scripts/plan/packConfig.ts), against the pack's real policies and config schemas.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { policies } from "../policies/all";
import { PackConfigError, readPackConfigFile } from "../scripts/plan/packConfig";

describe("policy pack config file (--policy-pack-config)", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    let n = 0;
    const write = (text: string) => {
        const file = path.join(dir, `config-${n++}.json`);
        fs.writeFileSync(file, text);
        return file;
    };
    const read = (config: unknown, base = {}) => readPackConfigFile(write(JSON.stringify(config)), policies, base);
    const refused = (config: unknown, message: RegExp) =>
        assert.throws(
            () => read(config),
            (e: unknown) => e instanceof PackConfigError && message.test(e.message),
        );

    it("reads a level, an object with a level, and a policy's properties; every other policy keeps its own level and defaults", () => {
        const out = read({
            "security-imdsv2": "advisory",
            "residency-tags": { enforcementLevel: "disabled" },
            "security-image-registries": { allowedRegistries: ["ghcr.io"] },
        });
        assert.deepEqual(out["security-imdsv2"], { enforcementLevel: "advisory" });
        assert.deepEqual(out["residency-tags"], { enforcementLevel: "disabled" });
        assert.deepEqual(out["security-image-registries"], { enforcementLevel: "mandatory", allowedRegistries: ["ghcr.io"] });
        assert.deepEqual(out["residency-location"], { enforcementLevel: "mandatory" });
        assert.deepEqual(out["resilience-multi-cloud"], { enforcementLevel: "advisory" });
        assert.deepEqual(out["security-admin-ingress"], {
            enforcementLevel: "mandatory",
            ports: [22, 8080, 26257],
            widestIpv4Prefix: 8,
            widestIpv6Prefix: 32,
        });
        assert.deepEqual(Object.keys(out).sort(), policies.map((p) => p.name).sort());
    });

    it("never raises a policy's level: an entry with properties only, or an empty one, keeps the policy's own", () => {
        const out = read({
            "resilience-multi-cloud": {},
            "resilience-region-survival": {},
            "security-image-registries": { allowedRegistries: [] },
        });
        assert.equal(out["resilience-multi-cloud"]?.enforcementLevel, "advisory");
        assert.equal(out["resilience-region-survival"]?.enforcementLevel, "advisory");
        assert.equal(out["security-image-registries"]?.enforcementLevel, "mandatory");
    });

    it("applies `all` to every policy first, then each policy's own entry, wherever the keys stand", () => {
        for (const config of [
            { all: "advisory", "security-imdsv2": "mandatory" },
            { "security-imdsv2": "mandatory", all: "advisory" },
        ]) {
            const out = read(config);
            assert.equal(Object.keys(out).length, policies.length);
            assert.equal(out["security-imdsv2"]?.enforcementLevel, "mandatory");
            assert.ok(
                policies.filter((p) => p.name !== "security-imdsv2").every((p) => out[p.name]?.enforcementLevel === "advisory"),
                JSON.stringify(out),
            );
        }
    });

    it("applies the file on top of what the stack implies, merging a policy's level and properties", () => {
        const base = { "security-deletion-protection": { enforcementLevel: "advisory" as const } };
        assert.deepEqual(read({ "security-imdsv2": "disabled" }, base)["security-deletion-protection"], { enforcementLevel: "advisory" });
        assert.deepEqual(read({ "security-deletion-protection": "mandatory" }, base)["security-deletion-protection"], {
            enforcementLevel: "mandatory",
        });
        assert.deepEqual(read({ all: "disabled" }, base)["security-deletion-protection"], { enforcementLevel: "disabled" });
        const registries = { "security-image-registries": { enforcementLevel: "advisory" as const } };
        assert.deepEqual(
            read({ "security-image-registries": { allowedRegistries: ["ghcr.io"] } }, registries)["security-image-registries"],
            {
                enforcementLevel: "advisory",
                allowedRegistries: ["ghcr.io"],
            },
        );
        // The base is not changed in place.
        assert.deepEqual(base, { "security-deletion-protection": { enforcementLevel: "advisory" } });
    });

    it("treats an empty file as no config, as the CLI does", () => {
        const base = { "security-deletion-protection": { enforcementLevel: "advisory" as const } };
        assert.deepEqual(readPackConfigFile(write("  \n"), policies, base), read({}, base));
    });

    it("refuses a property no schema lists, and properties for a policy without a configSchema", () => {
        refused(
            { "security-image-registries": { allowedRegistry: ["ghcr.io"] } },
            /"security-image-registries" must NOT have additional properties/,
        );
        refused(
            { "security-imdsv2": { enforcementLevel: "advisory", ports: [22] } },
            /"security-imdsv2" takes no properties \(it has no configSchema\); remove ports/,
        );
    });

    it("refuses an unreadable file, a file that is not JSON and a JSON value that is not an object", () => {
        assert.throws(() => readPackConfigFile(path.join(dir, "missing.json"), policies), /missing\.json: cannot be read \(ENOENT\)/);
        assert.throws(() => readPackConfigFile(write("{ all: advisory }"), policies), /is not JSON/);
        refused(["advisory"], /it must be a JSON object of policy names/);
    });

    it("refuses an enforcement level the CLI does not know, as a string or in an object", () => {
        for (const level of ["advisory", "mandatory", "remediate", "disabled"])
            assert.doesNotThrow(() => read({ "security-imdsv2": level }));
        refused(
            { "security-imdsv2": "warn" },
            /"security-imdsv2" has enforcement level "warn"; use one of advisory, mandatory, disabled, remediate/,
        );
        refused({ "security-imdsv2": { enforcementLevel: 1 } }, /"security-imdsv2" has enforcement level 1/);
        refused({ all: "Mandatory" }, /"all" has enforcement level "Mandatory"/);
        refused({ "security-imdsv2": 3 }, /"security-imdsv2" is 3; give an enforcement level or an object/);
    });

    it("refuses a key that names no policy, naming the closest one", () => {
        refused({ "security-imdsv1": "advisory" }, /"security-imdsv1" is no policy of the pack; did you mean "security-imdsv2"\?/);
    });

    it("refuses Pulumi ESC environments and properties under `all`, which the offline plan cannot honour", () => {
        refused({ environments: ["acme/policies"] }, /"environments" names Pulumi ESC environments/);
        refused(
            { all: { enforcementLevel: "advisory", ports: [22] } },
            /"all" sets only an enforcement level; move ports under the policy/,
        );
    });

    it("checks a policy's properties against its configSchema, on both sides of each limit", () => {
        assert.doesNotThrow(() => read({ "security-admin-ingress": { ports: [0, 65535], widestIpv4Prefix: 32, widestIpv6Prefix: 0 } }));
        refused({ "security-admin-ingress": { ports: [65536] } }, /"security-admin-ingress" ports\.0 must be <= 65535/);
        refused({ "security-admin-ingress": { widestIpv4Prefix: 33 } }, /widestIpv4Prefix must be <= 32/);
        refused({ "security-admin-ingress": { widestIpv6Prefix: -1 } }, /widestIpv6Prefix must be >= 0/);
        refused({ "security-image-registries": { allowedRegistries: "ghcr.io" } }, /allowedRegistries must be array \(received/);
    });
});

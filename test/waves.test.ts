/**
 * Region waves: the per-region image (pure and on the planned resources of the real program), the
 * checks of backend:app.canary with both sides of each, the pinned-domain note, the image registry
 * policy on a canary image, and the wave script's edits of a stack file.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig } from "../components/validate";
import { appFor, regionImage, wavePlan } from "../components/waves";
import { securityImageRegistries } from "../policies/security/registries";
import { readStackFile, ROOT, runProgram } from "../scripts/offline";
import { plannedResources, type PlannedResource } from "../scripts/plan";
import { editStackFile } from "../scripts/wave";
import { parse as parseYaml } from "yaml";
import { shippedConfig } from "./support";

type Values = Record<string, any>;
const CURRENT = "docker.io/acme/api:1.0.0";
const NEXT = "docker.io/acme/api:1.1.0";

/** The prod stack's config map with `backend:app.canary` (or other values) changed. */
function prodWith(mutate: (v: Values) => void): Record<string, string> {
    const { config } = readStackFile("prod");
    const values: Values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    mutate(values);
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}
const canary = (image: string, regions: string[]) => (v: Values) => (v["backend:app"].canary = { image, regions });
function issuesOf(config: Record<string, string>) {
    const r = parseStackConfig(config);
    return r.ok ? [] : r.issues;
}

describe("region waves: images per region", () => {
    it("runs the canary image in the canary regions (wave 1) and the current image elsewhere (wave 2, changed by promotion)", () => {
        const config = shippedConfig("prod", canary(NEXT, ["aws-eu-west-1", "gcp-us-central1"]));
        const plan = wavePlan(config);
        assert.deepEqual(
            plan.regions.map((r) => [r.region, r.wave, r.image, r.onPromotion]),
            [
                ["aws-us-east-1", 2, CURRENT, NEXT],
                ["gcp-us-central1", 1, NEXT, null],
                ["aws-us-west-2", 2, CURRENT, NEXT],
                ["aws-eu-central-1", 2, CURRENT, NEXT],
                ["gcp-europe-west1", 2, CURRENT, NEXT],
                ["aws-eu-west-1", 1, NEXT, null],
            ],
        );
        assert.deepEqual(plan.canary, { image: NEXT, regions: ["aws-eu-west-1", "gcp-us-central1"] });
        assert.equal(appFor(config.app, "aws-eu-west-1").image, NEXT);
        assert.equal(appFor(config.app, "aws-us-east-1").image, CURRENT);
        assert.ok(!("canary" in appFor(config.app, "aws-us-east-1")), "the regional stacks get no wave keys");
    });

    it("without a canary every region runs backend:app.image in one wave", () => {
        const plan = wavePlan(shippedConfig("prod"));
        assert.ok(plan.regions.every((r) => r.image === CURRENT && r.wave === 1 && r.onPromotion === null));
        assert.equal(plan.canary, null);
        assert.equal(regionImage({ image: CURRENT }, "aws-us-east-1"), CURRENT);
    });

    it("says so when a pinned domain is wholly in the canary, and not when one of its regions stays on the current image", () => {
        // staging: domain eu is pinned and has one region.
        const whole = wavePlan(shippedConfig("staging", canary(NEXT, ["gcp-europe-west1"])));
        assert.equal(whole.notes.length, 1);
        assert.match(whole.notes[0]!, /domain eu is pinned and every one of its regions is in the canary/);
        const part = wavePlan(shippedConfig("prod", canary(NEXT, ["aws-eu-west-1", "gcp-europe-west1"])));
        assert.deepEqual(part.notes, []);
        // us is not pinned: Cloudflare may fail its users over to other pools.
        assert.deepEqual(wavePlan(shippedConfig("staging", canary(NEXT, ["aws-us-east-2"]))).notes, []);
    });
});

describe("region waves: config checks", () => {
    const cases: { what: string; key: string; shows: string; mutate: (v: Values) => void }[] = [
        {
            what: "an unknown region",
            key: "backend:app.canary.regions[1]",
            shows: '"aws-eu-west-9" is not a region of this environment',
            mutate: canary(NEXT, ["aws-eu-west-1", "aws-eu-west-9"]),
        },
        {
            what: "a cloud region name instead of a CockroachDB one",
            key: "backend:app.canary.regions[0]",
            shows: '"eu-west-1"',
            mutate: canary(NEXT, ["eu-west-1"]),
        },
        {
            what: "a region listed twice",
            key: "backend:app.canary.regions[1]",
            shows: "listed twice",
            mutate: canary(NEXT, ["aws-eu-west-1", "aws-eu-west-1"]),
        },
        {
            what: "the current image",
            key: "backend:app.canary.image",
            shows: "is the current image",
            mutate: canary(CURRENT, ["aws-eu-west-1"]),
        },
        {
            what: "every region (a promotion)",
            key: "backend:app.canary.regions",
            shows: 'Set backend:app.image to "docker.io/acme/api:1.1.0"',
            mutate: canary(NEXT, [
                "aws-us-east-1",
                "gcp-us-central1",
                "aws-us-west-2",
                "aws-eu-central-1",
                "gcp-europe-west1",
                "aws-eu-west-1",
            ]),
        },
        { what: "no region", key: "backend:app.canary.regions", shows: "at least one region", mutate: canary(NEXT, []) },
        {
            what: "a malformed image",
            key: "backend:app.canary.image",
            shows: "container image reference",
            mutate: canary("Acme API", ["aws-eu-west-1"]),
        },
        {
            what: "an image Cloud Run cannot pull, on a GCP canary region",
            key: "backend:app.canary.image",
            shows: "Cloud Run cannot pull",
            mutate: canary("ghcr.io/acme/api:1.1.0", ["gcp-europe-west1"]),
        },
        {
            what: "an unknown key",
            key: "backend:app.canary.percent",
            shows: "unknown key",
            mutate: (v) => (v["backend:app"].canary = { image: NEXT, regions: ["aws-eu-west-1"], percent: 10 }),
        },
    ];
    for (const c of cases)
        it(`refuses ${c.what}, naming ${c.key} and the value`, () => {
            const issues = issuesOf(prodWith(c.mutate));
            const hit = issues.find((i) => i.key === c.key);
            assert.ok(hit, `no issue names ${c.key}; got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
            assert.ok(hit.message.includes(c.shows), hit.message);
        });

    it("accepts the other side of each: known regions once, a new image, all but one region, a ghcr.io image on AWS canary regions only", () => {
        for (const mutate of [
            canary(NEXT, ["aws-eu-west-1"]),
            canary(NEXT, ["aws-us-east-1", "gcp-us-central1", "aws-us-west-2", "aws-eu-central-1", "gcp-europe-west1"]),
            canary("ghcr.io/acme/api:1.1.0", ["aws-eu-west-1", "aws-us-west-2"]),
        ])
            assert.deepEqual(
                issuesOf(prodWith(mutate)).map((i) => `${i.key}: ${i.message}`),
                [],
            );
    });
});

describe("region waves: the planned resources of each region", () => {
    let resources: PlannedResource[];
    before(async () => {
        const stack = { ...readStackFile("prod"), config: prodWith(canary(NEXT, ["aws-eu-west-1", "gcp-us-central1"])) };
        const run = await runProgram(stack, undefined, { restore: true });
        assert.deepEqual(run.failures, []);
        resources = plannedResources(run);
    });

    it("gives each ECS task definition and Cloud Run service its region's image", () => {
        const images = new Map<string, string>();
        for (const r of resources) {
            if (r.type === "aws:ecs/taskDefinition:TaskDefinition")
                images.set(r.region!, (JSON.parse(r.inputs.containerDefinitions as string) as { image: string }[])[0]!.image);
            if (r.type === "gcp:cloudrunv2/service:Service")
                images.set(r.region!, (r.inputs.template as { containers: { image: string }[] }).containers[0]!.image);
        }
        assert.deepEqual(Object.fromEntries([...images].sort()), {
            "aws-eu-central-1": CURRENT,
            "aws-eu-west-1": NEXT,
            "aws-us-east-1": CURRENT,
            "aws-us-west-2": CURRENT,
            "gcp-europe-west1": CURRENT,
            "gcp-us-central1": NEXT,
        });
    });

    it("keeps the image registry policy on canary images: an allowed registry passes, another is a violation", () => {
        const taskDefinition = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.region === "aws-eu-west-1")!;
        const check = (props: Record<string, unknown>) => {
            const found: string[] = [];
            const args = { type: taskDefinition.type, name: taskDefinition.name, urn: taskDefinition.urn, props, getConfig: () => ({}) };
            (securityImageRegistries.validateResource as (a: unknown, report: (m: string) => void) => void)(args, (m) => found.push(m));
            return found;
        };
        assert.deepEqual(check(taskDefinition.inputs), []);
        const ghcr = (taskDefinition.inputs.containerDefinitions as string).replace(NEXT, "ghcr.io/acme/api:1.1.0");
        assert.match(
            check({ ...taskDefinition.inputs, containerDefinitions: ghcr }).join("\n"),
            /ghcr\.io\/acme\/api:1\.1\.0 from registry ghcr\.io/,
        );
    });
});

describe("region waves: the wave script's stack file edits", () => {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");

    it("starts a canary, promotes it, or aborts it, keeping the file's comments", () => {
        const started = editStackFile(text, { kind: "canary", image: NEXT, regions: ["aws-eu-west-1"] });
        assert.ok(started.includes("# Production: six regions"), "comments kept");
        const read = (t: string) => {
            const tmp = fs.mkdtempSync(path.join(ROOT, ".wave-test-"));
            try {
                fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(tmp, "Pulumi.yaml"));
                fs.writeFileSync(path.join(tmp, "Pulumi.prod.yaml"), t);
                const r = parseStackConfig(readStackFile("prod", tmp).config);
                assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.issues));
                return r.config.app;
            } finally {
                fs.rmSync(tmp, { recursive: true, force: true });
            }
        };
        assert.deepEqual(read(started).canary, { image: NEXT, regions: ["aws-eu-west-1"] });
        assert.equal(read(started).image, CURRENT);
        const promoted = editStackFile(started, { kind: "promote" });
        assert.equal(read(promoted).image, NEXT);
        assert.equal(read(promoted).canary, undefined);
        const aborted = editStackFile(started, { kind: "abort" });
        assert.equal(read(aborted).image, CURRENT);
        assert.equal(read(aborted).canary, undefined);
    });

    it("promotes in a stack file pulumi new wrote, whose image is a flat backend:app.image answer", () => {
        // The flat key wins over the map in the program's config (answers.ts): an edit of the map
        // alone would leave every region, the canary's included, on the old image.
        const answered = text.replace(/^config:\n/m, `config:\n    backend:app.image: ${CURRENT}\n`);
        assert.notEqual(answered, text);
        const promoted = editStackFile(editStackFile(answered, { kind: "canary", image: NEXT, regions: ["aws-eu-west-1"] }), {
            kind: "promote",
        });
        assert.doesNotMatch(promoted, /backend:app\.image/);
        const config = (parseYaml(promoted) as { config: Record<string, { image?: string; canary?: unknown }> }).config;
        assert.equal(config["backend:app"]?.image, NEXT);
        assert.equal(config["backend:app"]?.canary, undefined);
    });

    it("refuses to promote or abort without a canary", () => {
        assert.throws(() => editStackFile(text, { kind: "promote" }), /nothing to promote/);
        assert.throws(() => editStackFile(text, { kind: "abort" }), /nothing to abort/);
    });
});

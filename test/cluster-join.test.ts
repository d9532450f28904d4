import assert from "node:assert/strict";
import { validateBootSpec, type BootSpec } from "../components/cluster/bootSpec";
import { nodeBootSpec } from "../components/cluster/nodeBoot";
import { startFlags } from "../components/cluster/systemd";
import { joinList, type JoinRegion } from "../components/cluster/join";
import { COCKROACH_PORT } from "../components/cluster/ports";
import { planTopology, type RegionPlan } from "../components/topology";
import { shippedConfig } from "./support";

/** Fake public address of node `n` of region number `r` (documentation ranges, all distinct). */
function fakePublicIp(r: number, n: number): string {
    return `${r % 2 === 0 ? "203.0.113" : "198.51.100"}.${10 * (r + 1) + n}`;
}

/** The join inputs of a topology, as the wiring builds them from the first pass's addresses. */
function joinRegions(regions: readonly RegionPlan[]): JoinRegion[] {
    return regions.map((plan, r) => ({ name: plan.name, publicIps: plan.nodes.map((n) => fakePublicIp(r, n.index)) }));
}

/** Region of each join entry. */
function regionsReached(list: readonly string[], regions: readonly JoinRegion[]): Set<string> {
    const byIp = new Map(regions.flatMap((r) => r.publicIps.map((ip) => [ip, r.name] as const)));
    return new Set(
        list.map((entry) => {
            const region = byIp.get(entry.split(":")[0]!);
            assert.ok(region, `${entry} is no node's address`);
            return region;
        }),
    );
}

/** Boot spec of one node of `plan`, with `join`, built by the same function both clouds' wiring calls. */
function specOf(plan: RegionPlan, nodeIndex: number, publicIp: string, join: string[]): BootSpec {
    const node = plan.nodes[nodeIndex];
    return nodeBootSpec({
        cloud: plan.cloud,
        environment: "prod",
        version: "25.4.2",
        arch: "amd64",
        crdbRegion: plan.name,
        zone: node!.zone,
        nodeIndex: node!.index,
        publicIp,
        privateIp: node!.privateIp,
        join,
        dataDevices: ["/dev/sdf"],
        store: plan.cloud === "aws" ? { kind: "aws", region: plan.region } : { kind: "gcp", project: "acme-backend-prod" },
        secretName: (role) => `prod-${plan.name}-${role}`,
    });
}

describe("cluster join list (components/cluster/join.ts)", () => {
    it("reaches every region of the prod topology with at least three distinct addresses on port 26257", () => {
        const regions = joinRegions(planTopology(shippedConfig("prod")).regions);
        assert.equal(regions.length, 6);
        const list = joinList(regions);
        assert.ok(list.length >= 3, `only ${list.length} addresses`);
        assert.equal(new Set(list).size, list.length, `duplicates in ${list.join(",")}`);
        for (const entry of list) assert.match(entry, /^\d+\.\d+\.\d+\.\d+:26257$/);
        assert.deepEqual([...regionsReached(list, regions)].sort(), regions.map((r) => r.name).sort());
    });

    it("reaches both regions of staging with at least three addresses", () => {
        const regions = joinRegions(planTopology(shippedConfig("staging")).regions);
        const list = joinList(regions);
        assert.ok(list.length >= 3, `only ${list.length} addresses`);
        assert.equal(new Set(list).size, list.length);
        assert.deepEqual([...regionsReached(list, regions)].sort(), regions.map((r) => r.name).sort());
    });

    it("lists regions in topology order, and every node of every region starts with that one list", () => {
        const topology = planTopology(shippedConfig("prod"));
        const regions = joinRegions(topology.regions);
        const list = joinList(regions);
        const byIp = new Map(regions.flatMap((r) => r.publicIps.map((ip) => [ip, r.name] as const)));
        const order = list.map((entry) => byIp.get(entry.split(":")[0]!));
        // One run per region (no interleaving), in topology order.
        assert.deepEqual(
            order.filter((r, i) => i === 0 || r !== order[i - 1]),
            topology.regions.map((r) => r.name),
        );
        // Within a region, its first nodes.
        for (const r of regions) {
            const taken = list.filter((e) => r.publicIps.includes(e.split(":")[0]!)).map((e) => e.split(":")[0]);
            assert.deepEqual(taken, r.publicIps.slice(0, taken.length), r.name);
        }
        const joinFlags = new Set<string>();
        topology.regions.forEach((plan, r) =>
            plan.nodes.forEach((node) => {
                const spec = specOf(plan, node.index, regions[r]!.publicIps[node.index]!, joinList(regions));
                assert.doesNotThrow(() => validateBootSpec(spec));
                joinFlags.add(startFlags(spec).find((f) => f.startsWith("--join="))!);
            }),
        );
        assert.deepEqual([...joinFlags], [`--join=${list.join(",")}`]);
    });

    it("takes the first nodes of each region, in region order, enough for the minimum", () => {
        const regions: JoinRegion[] = [
            { name: "aws-us-east-1", publicIps: ["203.0.113.1", "203.0.113.2", "203.0.113.3"] },
            { name: "gcp-europe-west1", publicIps: ["198.51.100.1", "198.51.100.2", "198.51.100.3"] },
        ];
        assert.deepEqual(joinList(regions), ["203.0.113.1:26257", "203.0.113.2:26257", "198.51.100.1:26257", "198.51.100.2:26257"]);
        assert.deepEqual(joinList(regions.slice(0, 1)), ["203.0.113.1:26257", "203.0.113.2:26257", "203.0.113.3:26257"]);
        assert.deepEqual(joinList(regions, { perRegion: 1 }), ["203.0.113.1:26257", "198.51.100.1:26257"]);
        assert.deepEqual(joinList(regions, { minimum: 6 }).length, 6);
        assert.deepEqual(joinList(regions, { perRegion: 1, port: 26258 }), ["203.0.113.1:26258", "198.51.100.1:26258"]);
        assert.equal(COCKROACH_PORT, 26257);
    });

    it("refuses no regions, a region without addresses and a bad perRegion", () => {
        assert.throws(() => joinList([]), { message: "joinList needs at least one region." });
        assert.throws(
            () =>
                joinList([
                    { name: "aws-us-east-1", publicIps: ["203.0.113.1"] },
                    { name: "gcp-us-central1", publicIps: [] },
                ]),
            {
                message: "region gcp-us-central1 has no node address to join; allocate its addresses first.",
            },
        );
        for (const perRegion of [0, -1, 1.5])
            assert.throws(
                () => joinList([{ name: "aws-us-east-1", publicIps: ["203.0.113.1"] }], { perRegion }),
                /perRegion must be a positive integer/,
            );
    });

    it("refuses an address given to two nodes, even one beyond the nodes the list takes", () => {
        const twice = [
            { name: "aws-us-east-1", publicIps: ["203.0.113.1", "203.0.113.2", "203.0.113.3"] },
            { name: "gcp-us-central1", publicIps: ["203.0.113.1", "198.51.100.2", "198.51.100.3"] },
        ];
        assert.throws(() => joinList(twice), {
            message: "address 203.0.113.1 of region gcp-us-central1 appears twice in the join list; every node needs its own address.",
        });
        const hidden = [
            { name: "aws-us-east-1", publicIps: ["203.0.113.1", "203.0.113.2", "203.0.113.3"] },
            { name: "gcp-us-central1", publicIps: ["198.51.100.1", "198.51.100.2", "203.0.113.3"] },
        ];
        assert.throws(() => joinList(hidden, { perRegion: 1 }), /address 203\.0\.113\.3 of region gcp-us-central1 appears twice/);
        assert.throws(() => joinList([{ name: "aws-us-east-1", publicIps: ["203.0.113.1", "203.0.113.1"] }]), /appears twice/);
    });
});

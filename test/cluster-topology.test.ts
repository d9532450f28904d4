import assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";
import { validateBootSpec } from "../components/cluster/bootSpec";
import { findRegion } from "../components/regions-lookup";
import { localityOf, planTopology, zoneName } from "../components/topology";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig } from "./support";

function inside(cidr: string, address: string): boolean {
    const [net, bits] = ipaddr.parseCIDR(cidr);
    const ip = ipaddr.parse(address);
    return ip.kind() === net.kind() && ip.match(net, bits);
}

const LOCALITY = /^cloud=([^,]+),region=([^,]+),zone=([^,]+)$/;

describe("node localities of the shipped stacks (components/topology.ts)", () => {
    it("plans every configured region of prod and staging, in config order, on both clouds", () => {
        for (const stack of ["prod", "staging"]) {
            assert.ok(shippedStacks().includes(stack), `Pulumi.${stack}.yaml is missing`);
            const config = shippedConfig(stack);
            const plans = planTopology(config).regions;
            assert.deepEqual(
                plans.map((p) => [p.cloud, p.region, p.domain, p.primary]),
                config.regions.map((r) => [r.cloud, r.region, r.domain, r.primary]),
                stack,
            );
            assert.deepEqual(new Set(plans.map((p) => p.cloud)), new Set(["aws", "gcp"]), `${stack} spans both clouds`);
            for (const p of plans) assert.equal(p.nodes.length, config.cockroach.nodesPerRegion, `${stack} ${p.name}`);
        }
    });

    for (const stack of shippedStacks()) {
        describe(`stack ${stack}`, () => {
            it("gives every region nodesPerRegion nodes", () => {
                const config = shippedConfig(stack);
                const topology = planTopology(config);
                assert.equal(topology.regions.length, config.regions.length);
                for (const plan of topology.regions) assert.equal(plan.nodes.length, config.cockroach.nodesPerRegion, plan.name);
            });

            it("names in every node's locality its cloud, its cloud-prefixed region and a catalog zone of that region", () => {
                for (const plan of planTopology(shippedConfig(stack)).regions) {
                    const catalog = findRegion(plan.cloud, plan.region);
                    assert.ok(catalog, `${plan.cloud} ${plan.region} is not in the catalog`);
                    const catalogZones = catalog.zones.map((z) => zoneName(plan.cloud, plan.region, z));
                    assert.equal(plan.name, `${plan.cloud}-${plan.region}`);
                    for (const node of plan.nodes) {
                        const m = LOCALITY.exec(node.locality);
                        assert.ok(m, `${plan.name} node ${node.index}: locality "${node.locality}" does not read cloud=,region=,zone=`);
                        const [, cloud, region, zone] = m;
                        assert.equal(cloud, plan.cloud, node.locality);
                        assert.equal(region, `${plan.cloud}-${plan.region}`, node.locality);
                        assert.equal(zone, `${plan.cloud}-${node.zone}`, node.locality);
                        assert.ok(
                            catalogZones.includes(node.zone),
                            `${plan.name} node ${node.index}: zone ${node.zone} is not one of ${plan.region}'s zones ${catalogZones.join(", ")}`,
                        );
                        assert.equal(node.locality, localityOf(plan.cloud, plan.name, node.zone));
                    }
                }
            });

            it("places a region's nodes in distinct zones", () => {
                for (const plan of planTopology(shippedConfig(stack)).regions) {
                    const zones = plan.nodes.map((n) => n.zone);
                    assert.equal(new Set(zones).size, zones.length, `${plan.name}: nodes share a zone (${zones.join(", ")})`);
                    const localities = plan.nodes.map((n) => n.locality);
                    assert.equal(new Set(localities).size, localities.length, `${plan.name}: nodes share a locality`);
                }
            });

            it("gives every node a private address in its region's private subnet (in its own zone's on AWS)", () => {
                for (const plan of planTopology(shippedConfig(stack)).regions) {
                    const privateSubnets = plan.subnets.filter((s) => s.role === "private");
                    assert.ok(privateSubnets.length > 0, `${plan.name} has no private subnet`);
                    for (const node of plan.nodes) {
                        assert.ok(inside(plan.cidr, node.privateIp), `${plan.name}: ${node.privateIp} outside ${plan.cidr}`);
                        assert.equal(ipaddr.parse(node.privateIp).range(), "private", node.privateIp);
                        const subnets = privateSubnets.filter((s) => inside(s.cidr, node.privateIp));
                        assert.equal(subnets.length, 1, `${plan.name}: ${node.privateIp} is in ${subnets.length} private subnets`);
                        if (plan.cloud === "aws")
                            assert.equal(subnets[0]!.zone, node.zone, `${plan.name}: ${node.privateIp} is not in ${node.zone}'s subnet`);
                        assert.ok(
                            !plan.sqlEndpointIps.includes(node.privateIp),
                            `${plan.name}: ${node.privateIp} is also the SQL endpoint`,
                        );
                    }
                    const ips = plan.nodes.map((n) => n.privateIp);
                    assert.equal(new Set(ips).size, ips.length, `${plan.name}: two nodes share an address`);
                }
            });

            it("gives localities the boot script accepts", () => {
                for (const plan of planTopology(shippedConfig(stack)).regions)
                    for (const node of plan.nodes)
                        assert.doesNotThrow(() =>
                            validateBootSpec({
                                cloud: plan.cloud,
                                clusterName: stack,
                                version: "25.4.2",
                                arch: "amd64",
                                crdbRegion: plan.name,
                                locality: node.locality,
                                publicIp: "203.0.113.10",
                                privateIp: node.privateIp,
                                join: ["203.0.113.10:26257"],
                                dataDevices: ["/dev/sdf"],
                                store:
                                    plan.cloud === "aws"
                                        ? { kind: "aws", region: plan.region }
                                        : { kind: "gcp", project: "acme-backend-prod" },
                                nodeSecret: `${stack}/${plan.name}/node-${node.index}`,
                            }),
                        );
            });
        });
    }

    it("places prod's nodes in the zones each cloud really has (europe-west1 has no zone a)", () => {
        const byName = new Map(planTopology(shippedConfig("prod")).regions.map((r) => [r.name, r.nodes.map((n) => n.locality)]));
        assert.deepEqual(byName.get("aws-us-east-1"), [
            "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a",
            "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1b",
            "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1c",
        ]);
        assert.deepEqual(byName.get("gcp-europe-west1"), [
            "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-b",
            "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-c",
            "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-d",
        ]);
        assert.deepEqual(byName.get("gcp-us-central1"), [
            "cloud=gcp,region=gcp-us-central1,zone=gcp-us-central1-a",
            "cloud=gcp,region=gcp-us-central1,zone=gcp-us-central1-b",
            "cloud=gcp,region=gcp-us-central1,zone=gcp-us-central1-c",
        ]);
    });
});

import assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";
import type { RegionConfig, StackConfig } from "../components/config";
import { REGIONS } from "../components/regions";
import { greatCircleKm, planRegion, planTopology, zoneName } from "../components/topology";
import { shippedConfig } from "./support";

const prod = (): StackConfig => shippedConfig("prod");

function contains(outer: string, inner: string): boolean {
    const [net, bits] = ipaddr.parseCIDR(outer);
    const [addr, innerBits] = inner.includes("/") ? ipaddr.parseCIDR(inner) : [ipaddr.parse(inner), 32];
    return innerBits >= bits && addr.match(net, bits);
}

function overlaps(a: string, b: string): boolean {
    return contains(a, b) || contains(b, a);
}

/** Every catalog region planned as if all were in one environment. */
const everyRegion = REGIONS.map((r) =>
    planRegion(
        { cloud: r.cloud, region: r.region, domain: "all", primary: false, crdbRegion: `${r.cloud}-${r.region}` } as RegionConfig,
        3,
    ),
);

describe("topology", () => {
    it("gives every region of both clouds its own /16, none overlapping", () => {
        for (let i = 0; i < everyRegion.length; i++)
            for (let j = i + 1; j < everyRegion.length; j++)
                assert.ok(
                    !overlaps(everyRegion[i]!.cidr, everyRegion[j]!.cidr),
                    `${everyRegion[i]!.name} ${everyRegion[i]!.cidr} overlaps ${everyRegion[j]!.name} ${everyRegion[j]!.cidr}`,
                );
    });

    it("keeps subnets inside their region's block and apart from each other", () => {
        for (const plan of everyRegion) {
            for (const s of plan.subnets) assert.ok(contains(plan.cidr, s.cidr), `${plan.name}: ${s.cidr} outside ${plan.cidr}`);
            for (let i = 0; i < plan.subnets.length; i++)
                for (let j = i + 1; j < plan.subnets.length; j++)
                    assert.ok(!overlaps(plan.subnets[i]!.cidr, plan.subnets[j]!.cidr), `${plan.name} subnets overlap`);
        }
    });

    it("places one node per zone at a fixed private address inside a private subnet", () => {
        for (const plan of everyRegion) {
            const zones = plan.nodes.map((n) => n.zone);
            assert.equal(new Set(zones).size, zones.length, `${plan.name}: two nodes share a zone`);
            const ips = [...plan.nodes.map((n) => n.privateIp), ...plan.sqlEndpointIps];
            assert.equal(new Set(ips).size, ips.length, `${plan.name}: address used twice`);
            const privateSubnets = plan.subnets.filter((s) => s.role === "private");
            for (const node of plan.nodes) {
                const subnet = privateSubnets.find((s) => contains(s.cidr, node.privateIp));
                assert.ok(subnet, `${plan.name}: ${node.privateIp} in no private subnet`);
                if (plan.cloud === "aws") assert.equal(subnet.zone, node.zone, "an AWS node sits in its own zone's subnet");
                // The first four and the last address of a subnet are reserved by both clouds.
                assert.ok(Number(node.privateIp.split(".")[3]) >= 4);
            }
        }
    });

    it("names zones and localities the way each cloud and CockroachDB expect", () => {
        const [useast, euwest] = [planRegion(prod().regions[0]!, 3), planRegion(prod().regions[4]!, 3)];
        assert.deepEqual(
            useast.nodes.map((n) => n.zone),
            ["us-east-1a", "us-east-1b", "us-east-1c"],
        );
        assert.equal(useast.nodes[0]!.locality, "cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a");
        assert.deepEqual(
            euwest.nodes.map((n) => n.zone),
            ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
        );
        assert.equal(euwest.nodes[2]!.locality, "cloud=gcp,region=gcp-europe-west1,zone=gcp-europe-west1-d");
        assert.equal(zoneName("gcp", "us-central1", "a"), "us-central1-a");
    });

    it("is deterministic: the same config gives the same plan", () => {
        const a = planTopology(prod());
        const b = planTopology(prod());
        assert.deepEqual(a.regions, b.regions);
        assert.deepEqual([...a.countryHome], [...b.countryHome]);
    });

    it("measures great-circle distances like published city distances", () => {
        // London (51.51, -0.13) to Paris (48.86, 2.35): 344 km; New York to Los Angeles: 3,936 km.
        assert.ok(Math.abs(greatCircleKm(51.51, -0.13, 48.86, 2.35) - 344) < 5);
        assert.ok(Math.abs(greatCircleKm(40.71, -74.01, 34.05, -118.24) - 3936) < 20);
    });

    describe("country homes (nearest region of the country's own domain)", () => {
        const topology = planTopology(prod());
        const home = (c: string) => topology.countryHome.get(c);

        // Capitals to the regions' cities: Berlin-Frankfurt 424 km < St. Ghislain 650 km < Dublin 1,316 km.
        it("homes Germany in Frankfurt", () => assert.equal(home("DE"), "aws-eu-central-1"));
        // Paris-St. Ghislain ~210 km, Paris-Frankfurt ~480 km.
        it("homes France in Belgium (europe-west1)", () => assert.equal(home("FR"), "gcp-europe-west1"));
        it("homes Ireland in Dublin", () => assert.equal(home("IE"), "aws-eu-west-1"));
        // London-St. Ghislain ~300 km beats London-Dublin ~460 km.
        it("homes the UK in Belgium", () => assert.equal(home("GB"), "gcp-europe-west1"));
        // Washington-Ashburn ~50 km.
        it("homes the US in N. Virginia", () => assert.equal(home("US"), "aws-us-east-1"));
        // Mexico City-Council Bluffs ~2,500 km beats Ashburn ~3,000 km and Boardman ~3,100 km.
        it("homes Mexico in Iowa (us-central1)", () => assert.equal(home("MX"), "gcp-us-central1"));

        it("never homes a country outside its own domain, even when another domain is nearer", () => {
            const c = prod();
            const domainOf = new Map(c.regions.map((r) => [r.crdbRegion, r.domain]));
            for (const d of c.domains)
                for (const code of d.countries) assert.equal(domainOf.get(home(code)!), d.name, `${code} homed outside ${d.name}`);
            // Reykjavik-Dublin ~1,500 km: Iceland (EEA) is homed in Ireland, not in a nearer-by-longitude US region.
            assert.equal(home("IS"), "aws-eu-west-1");
            assert.equal(home("JP"), undefined, "countries no domain serves have no home");
        });
    });
});

import assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";
import {
    asCidr,
    assertNotOpen,
    GCP_HEALTH_CHECK_RANGES,
    nodeFirewallRules,
    publicReturnRoutes,
    regionFirewallInput,
    type FirewallRule,
    type NodeFirewallInput,
    WIDEST_SOURCE_PREFIX,
} from "../components/cluster/firewall";
import { planTopology, type RegionPlan } from "../components/topology";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig } from "./support";

/** Every region's rules of a shipped stack with fake public node addresses. */
function stackRules(stack: string): { plan: RegionPlan; input: NodeFirewallInput; rules: FirewallRule[] }[] {
    const config = shippedConfig(stack);
    const topology = planTopology(config);
    const clusterPublicIps = topology.regions.flatMap((plan, r) => plan.nodes.map((n) => `203.0.113.${10 * (r + 1) + n.index}`));
    return topology.regions.map((plan) => {
        const input = regionFirewallInput(plan, clusterPublicIps, config.cockroach.adminCidrs);
        return { plan, input, rules: nodeFirewallRules(input) };
    });
}

function rule(rules: readonly FirewallRule[], port: number): FirewallRule {
    const found = rules.filter((r) => r.port === port);
    assert.equal(found.length, 1, `expected one rule for port ${port}`);
    return found[0]!;
}

/** Whether any source of the rule admits `address`. */
function admits(r: FirewallRule, address: string): boolean {
    const ip = ipaddr.parse(address);
    return [...r.ipv4, ...r.ipv6].some((cidr) => {
        const [net, bits] = ipaddr.parseCIDR(cidr);
        return net.kind() === ip.kind() && ip.match(net, bits);
    });
}

const INTERNET_HOSTS = ["8.8.8.8", "1.1.1.1", "52.94.76.1", "34.117.59.81", "2001:4860:4860::8888"];

describe("node firewall (components/cluster/firewall.ts)", () => {
    for (const stack of shippedStacks()) {
        it(`never opens 26257 or 8080 to 0.0.0.0/0, ::/0 or an arbitrary internet host in stack ${stack}`, () => {
            for (const { plan, rules } of stackRules(stack)) {
                assert.deepEqual(rules.map((r) => [r.name, r.port]).sort(), [
                    ["console", 8080],
                    ["sql", 26257],
                ]);
                for (const r of rules) {
                    for (const open of ["0.0.0.0/0", "::/0"])
                        assert.ok(![...r.ipv4, ...r.ipv6].includes(open), `${plan.name} ${r.name} holds ${open}`);
                    for (const cidr of [...r.ipv4, ...r.ipv6])
                        assert.ok(ipaddr.parseCIDR(cidr)[1] >= 8, `${plan.name} ${r.name}: ${cidr} is very wide`);
                    for (const host of INTERNET_HOSTS) assert.ok(!admits(r, host), `${plan.name} port ${r.port} admits ${host}`);
                }
            }
        });
    }

    it("lets into 26257 exactly the cluster's public addresses, the region's nodes, its app tier and the admins", () => {
        for (const { plan, input, rules } of stackRules("prod")) {
            const sql = rule(rules, 26257);
            const expected = [...input.clusterPublicIps, ...input.regionPrivateIps, ...input.appCidrs, ...input.adminCidrs].map(asCidr);
            assert.deepEqual(sql.ipv4, [...new Set(expected)].sort(), plan.name);
            assert.deepEqual(sql.ipv6, []);
            assert.equal(sql.loadBalancerGroup, plan.cloud === "aws");
            for (const ip of input.clusterPublicIps) assert.ok(admits(sql, ip), `${plan.name}: node ${ip} cannot reach 26257`);
            if (plan.cloud === "gcp") assert.ok(admits(sql, plan.subnets.find((s) => s.role === "app")!.cidr.replace(/0\/20$/, "7")));
        }
    });

    it("lets into 8080 only the admin networks and the health checks, never the nodes or the app", () => {
        for (const { plan, input, rules } of stackRules("prod")) {
            const console = rule(rules, 8080);
            assert.deepEqual(console.ipv4, [...input.adminCidrs, ...input.healthCheckCidrs].map(asCidr).sort(), plan.name);
            // Health checks come through the SQL load balancer's group on AWS; no network of the app.
            assert.equal(console.loadBalancerGroup, plan.cloud === "aws");
            for (const ip of input.clusterPublicIps) assert.ok(!admits(console, ip), `${plan.name}: 8080 admits node ${ip}`);
            for (const cidr of input.appCidrs) assert.ok(!console.ipv4.includes(cidr), `${plan.name}: 8080 admits the app tier`);
        }
        const prod = shippedConfig("prod");
        assert.deepEqual(prod.cockroach.adminCidrs, ["198.51.100.0/28"], "the prod stack's admin network changed; update this test");
    });

    it("regionFirewallInput: AWS takes SQL and health checks through the NLB, GCP from Cloud Run's subnet and Google's probes", () => {
        const topology = planTopology(shippedConfig("prod"));
        const ips = ["203.0.113.10", "198.51.100.20"];
        const admin = ["192.0.2.0/28"];
        const awsPlan = topology.regions.find((p) => p.cloud === "aws")!;
        const gcpPlan = topology.regions.find((p) => p.cloud === "gcp")!;
        assert.deepEqual(regionFirewallInput(awsPlan, ips, admin), {
            clusterPublicIps: ips,
            regionPrivateIps: awsPlan.nodes.map((n) => n.privateIp),
            appCidrs: [],
            loadBalancerGroup: true,
            adminCidrs: admin,
            healthCheckCidrs: awsPlan.sqlEndpointIps,
        });
        const gcpApp = gcpPlan.subnets.filter((s) => s.role === "app").map((s) => s.cidr);
        assert.equal(gcpApp.length, 1, "the GCP plan has one Cloud Run egress subnet");
        assert.deepEqual(regionFirewallInput(gcpPlan, ips, admin), {
            clusterPublicIps: ips,
            regionPrivateIps: gcpPlan.nodes.map((n) => n.privateIp),
            appCidrs: gcpApp,
            loadBalancerGroup: false,
            adminCidrs: admin,
            healthCheckCidrs: GCP_HEALTH_CHECK_RANGES,
        });
        // An AWS plan never carries app subnets today; if it did, AWS still admits the app only through the NLB group.
        const awsWithApp = { ...awsPlan, subnets: [...awsPlan.subnets, { role: "app" as const, cidr: "10.9.16.0/20" }] };
        assert.deepEqual(regionFirewallInput(awsWithApp, ips, admin).appCidrs, []);
    });

    it("deduplicates and sorts its sources, IPv4 and IPv6 apart", () => {
        const [sql, console] = nodeFirewallRules({
            clusterPublicIps: ["203.0.113.9", "203.0.113.10", "203.0.113.9/32", "198.51.100.7"],
            regionPrivateIps: ["10.1.128.10", "10.1.128.10"],
            appCidrs: ["10.1.16.0/20"],
            loadBalancerGroup: false,
            adminCidrs: ["2001:db8:1::/48", "192.0.2.0/28", "2001:db8:1::/48"],
            healthCheckCidrs: ["35.191.0.0/16", "130.211.0.0/22", "35.191.0.0/16"],
        });
        assert.deepEqual(sql!.ipv4, [
            "10.1.128.10/32",
            "10.1.16.0/20",
            "192.0.2.0/28",
            "198.51.100.7/32",
            "203.0.113.10/32",
            "203.0.113.9/32",
        ]);
        assert.deepEqual(sql!.ipv6, ["2001:db8:1::/48"]);
        assert.deepEqual(console!.ipv4, ["130.211.0.0/22", "192.0.2.0/28", "35.191.0.0/16"]);
        assert.deepEqual(console!.ipv6, ["2001:db8:1::/48"]);
    });

    it("throws instead of opening a port to the whole internet, naming the port", () => {
        const base: NodeFirewallInput = {
            clusterPublicIps: ["203.0.113.9"],
            regionPrivateIps: [],
            appCidrs: [],
            loadBalancerGroup: true,
            adminCidrs: [],
            healthCheckCidrs: [],
        };
        assert.throws(() => nodeFirewallRules({ ...base, adminCidrs: ["0.0.0.0/0"] }), {
            message: 'port 26257 source: "0.0.0.0/0" would open the port to the whole internet; list the networks that need it.',
        });
        assert.throws(() => nodeFirewallRules({ ...base, appCidrs: ["::/0"] }), /port 26257 source: "::\/0" would open the port/);
        assert.throws(
            () => nodeFirewallRules({ ...base, healthCheckCidrs: ["0.0.0.0/0"] }),
            /port 8080 source: "0\.0\.0\.0\/0" would open the port/,
        );
        assert.throws(() => nodeFirewallRules({ ...base, healthCheckCidrs: ["::/0"] }), /port 8080 source: "::\/0"/);
        assert.throws(() => nodeFirewallRules({ ...base, clusterPublicIps: [] }), {
            message: "nodeFirewallRules needs the cluster's node addresses.",
        });
        assert.throws(
            () => nodeFirewallRules({ ...base, adminCidrs: ["office.example.com"] }),
            /"office\.example\.com" is not an IP address or CIDR block/,
        );
    });

    describe("assertNotOpen", () => {
        it("throws for 0.0.0.0/0 and ::/0", () => {
            assert.throws(() => assertNotOpen("0.0.0.0/0", "admin"), {
                message: 'admin: "0.0.0.0/0" would open the port to the whole internet; list the networks that need it.',
            });
            assert.throws(() => assertNotOpen("::/0", "admin"), {
                message: 'admin: "::/0" would open the port to the whole internet; list the networks that need it.',
            });
        });

        it("throws for what is not a CIDR block, including forms the clouds reject", () => {
            for (const bad of [
                "anywhere",
                "10.0.0.0",
                "10.0.0.0/33",
                "2001:db8::/129",
                "10.0.0.0/8/8",
                "10.1/16",
                "010.0.0.0/8",
                "10.0.0.0/08",
                "",
                "/0",
            ])
                assert.throws(() => assertNotOpen(bad, "src"), { message: `src: "${bad}" is not an IP address or CIDR block.` });
        });

        it("refuses any source wider than WIDEST_SOURCE_PREFIX (/8 IPv4, /32 IPv6) and accepts the limit itself", () => {
            assert.deepEqual(WIDEST_SOURCE_PREFIX, { ipv4: 8, ipv6: 32 });
            for (const wide of ["0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/7", "2001:db8::/31", "2000::/3"])
                assert.throws(() => assertNotOpen(wide, "src"), {
                    message: new RegExp(`^src: "${wide.replace(/[./]/g, "\\$&")}" is wider than /(8|32)`),
                });
            for (const limit of ["10.0.0.0/8", "2001:db8::/32"]) assert.doesNotThrow(() => assertNotOpen(limit, "src"));
            // The two halves of the internet would otherwise pass one by one.
            const base: NodeFirewallInput = {
                clusterPublicIps: ["203.0.113.9"],
                regionPrivateIps: [],
                appCidrs: [],
                loadBalancerGroup: false,
                adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"],
                healthCheckCidrs: [],
            };
            assert.throws(() => nodeFirewallRules(base), /port 26257 source: "0\.0\.0\.0\/1" is wider than \/8/);
            assert.throws(() => publicReturnRoutes(base), /return route: "0\.0\.0\.0\/1" is wider than \/8/);
        });

        it("accepts ordinary networks and hosts", () => {
            for (const ok of ["10.0.0.0/8", "198.51.100.0/28", "203.0.113.7/32", "2001:db8::/32", "2001:db8::1/128", "35.191.0.0/16"])
                assert.doesNotThrow(() => assertNotOpen(ok, "src"));
        });
    });

    describe("asCidr", () => {
        it("turns addresses into host blocks and passes blocks through", () => {
            assert.equal(asCidr("203.0.113.7"), "203.0.113.7/32");
            assert.equal(asCidr("2001:db8::1"), "2001:db8::1/128");
            assert.equal(asCidr("10.0.0.0/8"), "10.0.0.0/8");
        });

        it("throws for what is not a plain address", () => {
            for (const bad of ["not-an-ip", "10.1", "010.0.0.1", "3232235777"])
                assert.throws(() => asCidr(bad), { message: `"${bad}" is not an IP address or CIDR block.` });
        });
    });

    describe("publicReturnRoutes", () => {
        it("keeps the public IPv4 sources and drops private networks and IPv6", () => {
            const routes = publicReturnRoutes({
                clusterPublicIps: ["203.0.113.20", "198.51.100.7", "203.0.113.20", "10.2.128.10", "2001:db8::5"],
                adminCidrs: ["198.51.100.0/28", "10.0.0.0/8", "172.16.0.0/12", "192.168.10.0/24", "2001:db8::/48"],
            });
            assert.deepEqual(routes, ["198.51.100.0/28", "198.51.100.7/32", "203.0.113.20/32"]);
        });

        it("routes every node of the prod cluster and the admin network back through the internet gateway", () => {
            const { input } = stackRules("prod")[0]!;
            const routes = publicReturnRoutes(input);
            assert.deepEqual(routes, [...input.clusterPublicIps.map(asCidr), "198.51.100.0/28"].sort());
        });

        it("refuses a default route for replies", () => {
            assert.throws(
                () => publicReturnRoutes({ clusterPublicIps: ["203.0.113.1"], adminCidrs: ["0.0.0.0/0"] }),
                /return route: "0\.0\.0\.0\/0" would open/,
            );
        });
    });
});

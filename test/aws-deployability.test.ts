/**
 * What a first `pulumi up` on a fresh AWS account would reject, checked on the pure builders the
 * AWS regional stack uses: security group texts, names built from the environment, and the default
 * quotas an environment counts against.
 */
import assert from "node:assert/strict";
import { nodeFirewallRules } from "../components/cluster/firewall";
import { nodeIngress, SG_DESCRIPTIONS, SG_TEXT, sgText } from "../components/regional/aws/securityGroups";
import { planTopology } from "../components/topology";
import { shippedStacks } from "../scripts/offline";
import { shippedConfig } from "./support";

/** The charset of EC2's API reference, written out independently of SG_TEXT. */
const ALLOWED = new Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*");
const inCharset = (text: string) => text.length <= 255 && [...text].every((c) => ALLOWED.has(c));

describe("AWS security group texts", () => {
    it("accepts exactly EC2's charset, and nothing else", () => {
        assert.ok(SG_TEXT.test("a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*"));
        for (const bad of [
            "Cloudflare's edge",
            'say "hi"',
            "why?",
            "tab\there",
            "caf\u00e9",
            "back\\slash",
            "<html>",
            "100%",
            "a|b",
            "~",
            "`",
            "^",
        ]) {
            assert.ok(!SG_TEXT.test(bad), bad);
            assert.throws(() => sgText(bad), /not a valid AWS security group description/);
        }
        assert.ok(SG_TEXT.test("x".repeat(255)));
        assert.ok(!SG_TEXT.test("x".repeat(256)));
    });

    it("builds every group and rule description inside the charset", () => {
        for (const [role, build] of Object.entries(SG_DESCRIPTIONS)) {
            const text = build("aws-ap-southeast-3");
            assert.ok(inCharset(text), `${role}: "${text}"`);
        }
    });

    it("keeps the node firewall's rule descriptions inside the charset, on every shipped stack", () => {
        for (const stack of shippedStacks()) {
            const topology = planTopology(shippedConfig(stack));
            const ips = topology.regions.flatMap((p, r) => p.nodes.map((n) => `203.0.113.${10 * r + n.index + 1}`));
            for (const plan of topology.regions) {
                const rules = nodeFirewallRules({
                    clusterPublicIps: ips,
                    regionPrivateIps: plan.nodes.map((n) => n.privateIp),
                    appCidrs: [],
                    loadBalancerGroup: true,
                    adminCidrs: ["198.51.100.0/28"],
                    healthCheckCidrs: plan.sqlEndpointIps,
                });
                for (const block of nodeIngress(rules, "sg-0123456789abcdef0"))
                    assert.ok(inCharset(String(block.description)), `${stack} ${plan.name}: "${String(block.description)}"`);
            }
        }
    });
});

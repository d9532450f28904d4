/**
 * Failover budget: its arithmetic against hand-computed cases on both sides of the 15 s target,
 * the shipped stacks' figures, and the `backend:cloudflare.failover` presets.
 */
import assert from "node:assert/strict";
import * as cloudflare from "@pulumi/cloudflare";
import { ConfigError } from "../components/config";
import {
    failoverBudget,
    failoverBudgetOf,
    FAILOVER_TARGET_SECONDS,
    LAZY_LEASE_ACQUISITION_SECONDS,
    LEADER_LEASE_FAILOVER_SECONDS,
    renderBudget,
} from "../components/drills";
import {
    failoverDetectionSeconds,
    GlobalLoadBalancer,
    monitorDefaults,
    monitorSettings,
    MONITOR_MIN_INTERVAL,
} from "../components/traffic";
import { parseConfig } from "../components/validate";
import { FIXTURE, one, registeredUnder, shippedConfig, value } from "./support";

const budget = (interval: number, timeout: number, retries: number, consecutiveDown: number, pinnedDomains: string[] = []) =>
    failoverBudgetOf({ monitor: { interval, timeout, retries, consecutiveDown }, failoverAcrossPools: true, pinnedDomains });

describe("failover budget", () => {
    it("uses the documented figures", () => {
        assert.equal(FAILOVER_TARGET_SECONDS, 15);
        assert.equal(LEADER_LEASE_FAILOVER_SECONDS, 6.7); // 3 + 0.1 + 2 + 1.2 + 0.4 (pkg/base/config.go)
        assert.equal(LAZY_LEASE_ACQUISITION_SECONDS, 0.4);
        assert.deepEqual(MONITOR_MIN_INTERVAL, { pro: 60, business: 15, enterprise: 10 });
    });

    it("adds detection and the lazy lease acquisition when detection is the longer clock: 14.4 s is within 15", () => {
        // 10 x 1 + 2 x (1 + 1) = 14; max(14 + 0.4, 6.7) = 14.4.
        const b = budget(10, 2, 1, 1);
        assert.deepEqual([b.routingSeconds, b.databaseSeconds, b.totalSeconds, b.withinTarget], [14, 6.7, 14.4, true]);
        assert.deepEqual(
            b.parts.filter((p) => p.counted).map((p) => p.name),
            ["monitor detection", "lazy lease acquisition"],
        );
    });

    it("is over the target one second later: 15.4 s", () => {
        // 10 x 1 + 5 x (0 + 1) = 15; 15 + 0.4 = 15.4 > 15.
        const b = budget(10, 5, 0, 1);
        assert.deepEqual([b.routingSeconds, b.totalSeconds, b.withinTarget], [15, 15.4, false]);
    });

    it("is the lease failover when detection is shorter than it (the clocks run in parallel, they do not add)", () => {
        // 3 x 1 + 1 x 1 = 4; max(4.4, 6.7) = 6.7.
        const b = budget(3, 1, 0, 1);
        assert.deepEqual([b.routingSeconds, b.totalSeconds], [4, 6.7]);
        assert.deepEqual(
            b.parts.filter((p) => p.counted).map((p) => p.name),
            ["lease failover"],
        );
    });

    it("gives the standard Enterprise monitor 35.4 s and the Business and Pro floors more", () => {
        assert.equal(
            failoverBudgetOf({ monitor: monitorDefaults("enterprise"), failoverAcrossPools: true, pinnedDomains: [] }).totalSeconds,
            35.4,
        );
        assert.equal(
            failoverBudgetOf({ monitor: monitorDefaults("business", "fast"), failoverAcrossPools: true, pinnedDomains: [] }).totalSeconds,
            19.4,
        );
        assert.equal(
            failoverBudgetOf({ monitor: monitorDefaults("pro", "fast"), failoverAcrossPools: true, pinnedDomains: [] }).totalSeconds,
            64.4,
        );
    });

    it("says zero-downtime failover does not help pinned domains", () => {
        const retry = budget(10, 2, 1, 1, ["eu"]).parts.find((p) => p.name === "zero-downtime retry")!;
        assert.equal(retry.counted, false);
        assert.match(retry.how, /not for eu/);
        assert.match(retry.how, /19 s/);
    });

    it("brings the shipped prod (Enterprise, failover: fast) within 15 s, and says standard would not", () => {
        const prod = failoverBudget(shippedConfig("prod"));
        assert.deepEqual([prod.totalSeconds, prod.withinTarget, prod.pinnedDomains], [14.4, true, ["eu"]]);
        const standard = failoverBudget(
            shippedConfig("prod", (v) => Object.assign(v["backend:cloudflare"] as object, { failover: "standard" })),
        );
        assert.deepEqual([standard.routingSeconds, standard.totalSeconds, standard.withinTarget], [35, 35.4, false]);
        assert.match(renderBudget(prod), /14\.4 s, target 15 s: within/);
    });

    it("gives staging (Business, standard) 45.4 s", () => {
        assert.equal(failoverBudget(shippedConfig("staging")).totalSeconds, 45.4);
    });
});

describe("failover presets (backend:cloudflare.failover)", () => {
    it("fills the monitor values config leaves out, and explicit values win", () => {
        assert.deepEqual(monitorSettings("enterprise", {}, "fast"), {
            interval: 10,
            timeout: 2,
            retries: 1,
            consecutiveUp: 2,
            consecutiveDown: 1,
            expectedCodes: "200",
        });
        const overridden = monitorSettings("enterprise", { timeout: 3 }, "fast");
        assert.equal(failoverDetectionSeconds(overridden), 16); // 10 x 1 + 3 x 2
        assert.equal(failoverDetectionSeconds(monitorSettings("enterprise", {}, "standard")), 35);
    });

    it("keeps the plan's interval floor under fast", () => {
        assert.equal(monitorSettings("business", {}, "fast").interval, 15);
        assert.throws(
            () => monitorSettings("business", { interval: 10 }, "fast"),
            (e) => e instanceof ConfigError && e.issues[0]?.key === "backend:cloudflare.monitor.interval",
        );
    });

    it("refuses an unknown preset, naming the key and the choices", () => {
        const raw = structuredClone(FIXTURE) as Record<string, any>;
        raw.cloudflare = { ...raw.cloudflare, failover: "quick" };
        const result = parseConfig(raw);
        assert.ok(!result.ok);
        const issue = result.issues.find((i) => i.key === "backend:cloudflare.failover");
        assert.ok(issue, JSON.stringify(result.issues));
        assert.match(issue.message, /'standard' or 'fast'/);
    });
});

describe("GlobalLoadBalancer with failover: fast (under mocks)", () => {
    it("registers the fast preset's monitor", async () => {
        const cf = new cloudflare.Provider("failover-fast-cf", { apiToken: "offline-token-0123456789" });
        const lb = new GlobalLoadBalancer(
            "failover-fast",
            {
                accountId: "0123456789abcdef0123456789abcdef",
                zoneId: "fedcba9876543210fedcba9876543210",
                hostname: "api.example.com",
                plan: "enterprise",
                failover: "fast",
                origins: [
                    {
                        region: "aws-us-east-1",
                        domain: "us",
                        address: "a.example.com",
                        hostHeader: "api.example.com",
                        latitude: 39.04,
                        longitude: -77.49,
                    },
                    {
                        region: "gcp-us-central1",
                        domain: "us",
                        address: "b.a.run.app",
                        hostHeader: "b.a.run.app",
                        latitude: 41.26,
                        longitude: -95.86,
                    },
                ],
                domains: [{ name: "us", countries: ["US"], pinRouting: false }],
            },
            { provider: cf },
        );
        await value(lb.loadBalancerId);
        const monitor = one(await registeredUnder("failover-fast"), "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor");
        const { interval, timeout, retries, consecutiveDown, consecutiveUp } = monitor.inputs;
        assert.deepEqual(
            { interval, timeout, retries, consecutiveDown, consecutiveUp },
            { interval: 10, timeout: 2, retries: 1, consecutiveDown: 1, consecutiveUp: 2 },
        );
        assert.equal(lb.routing.failoverDetectionSeconds, 14);
    });
});

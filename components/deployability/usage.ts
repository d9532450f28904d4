/**
 * What an environment needs of each AWS default quota, counted with the same pure builders the
 * regional stacks and BackupAccess use (firewall rules, route lists, trust policy, NAT plan), so
 * config and the resources can never disagree. Public node addresses do not exist before
 * `pulumi up`; distinct placeholders stand in for them (only their number matters).
 */
import { crossCloudBackupRoleName, googleWebIdentityTrust } from "../cluster/backups";
import { nodeFirewallRules, publicReturnRoutes, regionFirewallInput } from "../cluster/firewall";
import type { StackConfig } from "../config";
import { regionElasticIps, privateRoutes } from "../regional/aws/routing";
import { albIngress, countRules, nodeIngress, type IngressBlock } from "../regional/aws/securityGroups";
import { planTopology } from "../topology";
import type { CheckedAwsQuota } from "./settings";

/** What one part of the environment needs of one quota. */
export interface QuotaUse {
    readonly quota: CheckedAwsQuota;
    /** AWS region the quota is counted in (undefined: account-wide, IAM). */
    readonly region?: string;
    /** Which resource, e.g. `aws-us-east-1: node security group, IPv4 inbound rules`. */
    readonly what: string;
    readonly needs: number;
    /** Config key (path under the namespace) whose value drives the need. */
    readonly key: readonly (string | number)[];
    /** How to need less without raising the quota. */
    readonly reduce: string;
}

/** `n` distinct public IPv4 addresses from 198.18.0.0/15 (benchmarking range: never private, never real nodes). */
export function placeholderPublicIps(n: number): string[] {
    return Array.from({ length: n }, (_, i) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
}

/**
 * A Google service account's unique id as it appears in the trust policy: 21 digits (the `sub` of
 * its ID tokens; googleWebIdentityTrust accepts 15-25).
 */
export function placeholderServiceAccountIds(n: number): string[] {
    return Array.from({ length: n }, (_, i) => String(100000000000000000000n + BigInt(i)));
}

/**
 * Local routes AWS adds to every route table (the VPC's own CIDR). Counted against "Routes per
 * route table" to be safe: the quota counts non-propagated routes and AWS does not say whether the
 * local route is one of them.
 */
export const LOCAL_ROUTES = 1;

/** Every quota use of the environment, per AWS region and account-wide. */
export function awsQuotaUsage(config: StackConfig): QuotaUse[] {
    const topology = planTopology(config);
    const totalNodes = topology.regions.reduce((n, p) => n + p.nodes.length, 0);
    const clusterPublicIps = placeholderPublicIps(totalNodes);
    const adminCidrs = config.cockroach.adminCidrs;
    const uses: QuotaUse[] = [];
    const rulesOf = (region: string, group: string, blocks: IngressBlock[], key: QuotaUse["key"], reduce: string) => {
        const n = countRules(blocks);
        for (const family of ["ipv4", "ipv6"] as const)
            uses.push({
                quota: "inboundRulesPerSecurityGroup",
                region,
                what: `${group}, ${family === "ipv4" ? "IPv4" : "IPv6"} inbound rules`,
                needs: n[family],
                key,
                reduce,
            });
    };
    for (const plan of topology.regions.filter((p) => p.cloud === "aws")) {
        const natGateways = config.network.natGateways;
        uses.push({
            quota: "elasticIps",
            region: plan.region,
            what: `${plan.name}: ${plan.nodes.length} node addresses + ${natGateways === "perZone" ? `${plan.zones.length} NAT gateways (network.natGateways: perZone)` : "1 NAT gateway (network.natGateways: single)"}`,
            needs: regionElasticIps(plan.nodes.length, plan.zones.length, natGateways),
            key: natGateways === "perZone" ? ["network", "natGateways"] : ["cockroach", "nodesPerRegion"],
            reduce: natGateways === "perZone" ? "set network.natGateways: single" : "lower cockroach.nodesPerRegion",
        });
        const nodeRules = nodeIngress(nodeFirewallRules(regionFirewallInput(plan, clusterPublicIps, adminCidrs)), "sg-placeholder");
        rulesOf(
            plan.region,
            `${plan.name}: node security group (one rule per node of the cluster, per admin network)`,
            nodeRules,
            ["regions"],
            "run fewer regions or nodes per region, or list fewer admin networks",
        );
        rulesOf(
            plan.region,
            `${plan.name}: ALB security group (Cloudflare ranges)`,
            albIngress(),
            ["regions"],
            "none: the ranges are Cloudflare's",
        );
        const returns = publicReturnRoutes({ clusterPublicIps, adminCidrs });
        uses.push({
            quota: "routesPerRouteTable",
            region: plan.region,
            what: `${plan.name}: private route table (default route, the local route, a return route per node of the cluster and per IPv4 admin network)`,
            needs: privateRoutes("nat-placeholder", "igw-placeholder", returns).length + LOCAL_ROUTES,
            key: ["regions"],
            reduce: "run fewer regions or nodes per region, or list fewer admin networks",
        });
    }
    const gcpRegions = topology.regions.filter((p) => p.cloud === "gcp");
    if (gcpRegions.length > 0 && topology.regions.some((p) => p.cloud === "aws"))
        uses.push({
            quota: "roleTrustPolicyLength",
            what: `cross-cloud backup role ${crossCloudBackupRoleName(config.environment)}: trust policy naming ${gcpRegions.length} GCP node service accounts`,
            needs: googleWebIdentityTrust(placeholderServiceAccountIds(gcpRegions.length)).length,
            key: ["regions"],
            reduce: "run fewer GCP regions",
        });
    return uses;
}

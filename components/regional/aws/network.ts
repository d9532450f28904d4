import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { at } from "../../collections";
import { NETWORK_ZONES } from "../../topology";
import { fitName } from "../naming";
import { tierContext } from "../context";
import type { AwsContext, AwsRegion } from "./context";
import { natPlan, privateRoutes, type NatGatewayMode } from "./routing";

/** Arguments of `AwsNetwork`. */
export interface AwsNetworkArgs {
    /** The region: names, plan (CIDRs, zones), tags, account. */
    readonly region: AwsRegion;
    /**
     * Destinations the private subnets reach through the internet gateway rather than NAT: the
     * cluster's public node addresses and the admin networks (`publicReturnRoutes`).
     */
    readonly returnRoutes: pulumi.Input<string[]>;
    /** Instance type of the CockroachDB nodes: only zones that offer it are used. */
    readonly nodeMachineType: string;
    /** NAT gateways: `single` (one for the region) or `perZone`. Default `single` (./routing.ts says why). */
    readonly natGateways?: NatGatewayMode;
    /** ARN of the region key that encrypts the VPC's flow logs. */
    readonly flowLogKeyArn: pulumi.Input<string>;
}

/**
 * VPC with a public and a private subnet in each of 3 availability zones, an internet gateway and
 * NAT gateways as `natGateways` says (one for the region by default, or one per zone: see
 * ./routing.ts for the Elastic IP quota behind that choice). Private route tables send `returnRoutes` (the cluster's public node
 * addresses and admin networks) to the internet gateway: nodes have Elastic IPs, and their replies
 * to those peers must leave with that address, not through NAT. Everything else leaves through NAT.
 * Flow logs of the whole VPC go to an encrypted log group of the region.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class AwsNetwork extends pulumi.ComponentResource {
    readonly vpc: aws.ec2.Vpc;
    /** Zone `i` hosts public subnet `i` and private subnet `i` (and node `i`). */
    readonly zones: pulumi.Output<string[]>;
    readonly publicSubnets: readonly aws.ec2.Subnet[];
    readonly privateSubnets: readonly aws.ec2.Subnet[];
    /**
     * What makes the private subnets reach the internet (NAT routes, gateway): instances whose boot
     * script downloads packages depend on it, or they boot into the main route table without egress.
     */
    readonly egressReady: readonly pulumi.Resource[];

    constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:AwsNetwork", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        const network = vpc(ctx, args.returnRoutes, args.nodeMachineType, args.natGateways ?? "single");
        this.vpc = network.vpc;
        this.zones = network.zones;
        this.publicSubnets = network.publicSubnets;
        this.privateSubnets = network.privateSubnets;
        this.egressReady = network.egressReady;
        awsFlowLogs(ctx, this.vpc, args.flowLogKeyArn);
        this.registerOutputs({ vpcId: this.vpc.id, zones: this.zones });
    }
}

function vpc(
    ctx: AwsContext,
    returnRoutes: pulumi.Input<string[]>,
    nodeMachineType: string,
    natGateways: NatGatewayMode,
): Pick<AwsNetwork, "vpc" | "zones" | "publicSubnets" | "privateSubnets" | "egressReady"> {
    const { name, plan, prefix, child } = ctx;
    // Zone names are per account: take the real ones, never the catalog's letters, and only zones
    // that offer the nodes' instance type (not every zone has every type).
    const azs = aws.getAvailabilityZonesOutput(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        { parent: ctx.parent },
    );
    const offered = aws.ec2.getInstanceTypeOfferingsOutput(
        { locationType: "availability-zone", filters: [{ name: "instance-type", values: [nodeMachineType] }] },
        { parent: ctx.parent },
    );
    const zones = pulumi.all([azs.names, offered.locations]).apply(([names, locations]) => {
        const usable = names.filter((z) => locations.includes(z));
        if (usable.length < NETWORK_ZONES)
            throw new Error(
                `${plan.region} offers ${nodeMachineType} in ${usable.length} availability zones of this account (${usable.join(", ") || "none"}); the network needs ${NETWORK_ZONES}. Choose another backend:cockroach.machineType.aws or region.`,
            );
        return usable.slice(0, NETWORK_ZONES);
    });

    const vpc = new aws.ec2.Vpc(
        `${name}-vpc`,
        { cidrBlock: plan.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: prefix } },
        child,
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: prefix } }, child);
    const publicRoutes = new aws.ec2.RouteTable(
        `${name}-public-rt`,
        { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: { Name: `${prefix}-public` } },
        child,
    );

    const publicPlans = plan.subnets.filter((s) => s.role === "public");
    const privatePlans = plan.subnets.filter((s) => s.role === "private");
    const publicSubnets: aws.ec2.Subnet[] = [];
    const egressReady: pulumi.Resource[] = [igw];
    // NAT gateways are made zone by zone, and a zone routes through its own or an earlier zone's.
    const nats = natPlan(natGateways, privatePlans.length);
    const natIds: pulumi.Output<string>[] = [];
    const privateSubnets = privatePlans.map((sp, i) => {
        const zone = zones.apply((z) => at(z, i, "availability zones"));
        const pub = new aws.ec2.Subnet(
            `${name}-public-${i}`,
            {
                vpcId: vpc.id,
                cidrBlock: at(publicPlans, i, "public subnet plans").cidr,
                availabilityZone: zone,
                mapPublicIpOnLaunch: false,
                tags: { Name: `${prefix}-public-${i}`, tier: "public" },
            },
            child,
        );
        publicSubnets.push(pub);
        new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, child);
        if (nats.natZones.includes(i)) {
            const natIp = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${prefix}-nat-${i}` } }, child);
            const nat = new aws.ec2.NatGateway(
                `${name}-nat-${i}`,
                { allocationId: natIp.id, subnetId: pub.id, tags: { Name: `${prefix}-nat-${i}` } },
                { ...child, dependsOn: [igw] },
            );
            natIds.push(nat.id);
        }
        const priv = new aws.ec2.Subnet(
            `${name}-private-${i}`,
            {
                vpcId: vpc.id,
                cidrBlock: sp.cidr,
                availabilityZone: zone,
                mapPublicIpOnLaunch: false,
                tags: { Name: `${prefix}-private-${i}`, tier: "private" },
            },
            child,
        );
        const routes = pulumi
            .all([at(natIds, at(nats.routeVia, i, "NAT routes"), "NAT gateways"), igw.id, returnRoutes])
            .apply(([natId, igwId, peers]) => privateRoutes(natId, igwId, peers));
        const rt = new aws.ec2.RouteTable(
            `${name}-private-rt-${i}`,
            { vpcId: vpc.id, routes, tags: { Name: `${prefix}-private-${i}` } },
            child,
        );
        egressReady.push(new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: priv.id, routeTableId: rt.id }, child));
        return priv;
    });
    return { vpc, zones, publicSubnets, privateSubnets, egressReady };
}

// --- VPC flow logs -------------------------------------------------------------------------------

/**
 * Days the VPC's flow logs are kept in their in-region log group; one of the values CloudWatch Logs
 * accepts (1, 3, 5, 7, 14, 30, 60, 90, ...: `retentionInDays` of @pulumi/aws cloudwatch.LogGroup).
 */
export const FLOW_LOG_RETENTION_DAYS = 90;

/**
 * Flow logs of every interface in the VPC (accepted and rejected traffic), the counterpart of the GCP
 * subnets' flow logs (network.ts of gcp: all metadata, 5 s aggregation). Delivered to a CloudWatch
 * Logs group in the region, encrypted with the region key (its key policy admits this region's
 * CloudWatch Logs for this account's log groups), through a role only the flow-logs service of this
 * account may assume, allowed to write that one group.
 * Source: docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html (permissions, trust
 * policy with aws:SourceAccount / aws:SourceArn), checked 2026-12. Aggregation: 60 s, the shorter of
 * the two values the API takes (60 or 600, @pulumi/aws ec2.FlowLog `maxAggregationInterval`), the
 * nearest to GCP's 5 s. Records keep AWS's default (version 2) fields; GCP adds all metadata.
 */
function awsFlowLogs(ctx: AwsContext, vpc: aws.ec2.Vpc, keyArn: pulumi.Input<string>): aws.ec2.FlowLog {
    const { name, prefix, plan, child } = ctx;
    const group = new aws.cloudwatch.LogGroup(
        `${name}-flow-logs`,
        {
            name: `/vpc/${prefix}/flow-logs`,
            retentionInDays: FLOW_LOG_RETENTION_DAYS,
            kmsKeyId: keyArn,
            tags: { Name: `${prefix}-flow-logs` },
        },
        child,
    );
    const role = new aws.iam.Role(
        `${name}-flow-logs`,
        {
            // IAM role names: at most 64 characters (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
            name: fitName(`${prefix}-flow-logs`, 64),
            description: `VPC flow logs of ${plan.name} into their log group`,
            assumeRolePolicy: pulumi.all([ctx.accountId, ctx.partition]).apply(([account, partition]) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: {
                                StringEquals: { "aws:SourceAccount": account },
                                ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${plan.region}:${account}:vpc-flow-log/*` },
                            },
                        },
                    ],
                }),
            ),
        },
        child,
    );
    const policy = new aws.iam.RolePolicy(
        `${name}-flow-logs`,
        {
            role: role.id,
            policy: pulumi.all([group.arn, ctx.accountId, ctx.partition]).apply(([arn, account, partition]) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            // The documented minimum, scoped to this one group (which already exists).
                            Sid: "WriteOwnLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [arn, `${arn}:*`],
                        },
                        {
                            Sid: "FindLogGroups",
                            Effect: "Allow",
                            Action: "logs:DescribeLogGroups",
                            Resource: `arn:${partition}:logs:${plan.region}:${account}:log-group:*`,
                        },
                    ],
                }),
            ),
        },
        child,
    );
    return new aws.ec2.FlowLog(
        `${name}-flow-logs`,
        {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: group.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: { Name: `${prefix}-flow-logs` },
        },
        // Creating the flow log checks that the role may write the group.
        { ...child, dependsOn: [policy] },
    );
}

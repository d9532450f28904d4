import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NETWORK_ZONES } from "../../topology";
import type { AwsContext } from "./context";
import { natPlan, privateRoutes, type NatGatewayMode } from "./routing";

/** The region's VPC as the rest of the stack uses it. */
export interface AwsNetwork {
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
}

/**
 * VPC with a public and a private subnet in each of 3 availability zones, an internet gateway and
 * NAT gateways as `natGateways` says (one for the region by default, or one per zone: see
 * ./routing.ts for the Elastic IP quota behind that choice). Private route tables send `returnRoutes` (the cluster's public node
 * addresses and admin networks) to the internet gateway: nodes have Elastic IPs, and their replies
 * to those peers must leave with that address, not through NAT. Everything else leaves through NAT.
 */
export function awsNetwork(
    ctx: AwsContext,
    returnRoutes: pulumi.Input<string[]>,
    nodeMachineType: string,
    natGateways: NatGatewayMode = "single",
): AwsNetwork {
    const { name, plan, prefix, child } = ctx;
    // Zone names are per account: take the real ones, never the catalog's letters, and only zones
    // that offer the nodes' instance type (not every zone has every type).
    const azs = aws.getAvailabilityZonesOutput(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        child,
    );
    const offered = aws.ec2.getInstanceTypeOfferingsOutput(
        { locationType: "availability-zone", filters: [{ name: "instance-type", values: [nodeMachineType] }] },
        child,
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
        const zone = zones.apply((z) => z[i]);
        const pub = new aws.ec2.Subnet(
            `${name}-public-${i}`,
            {
                vpcId: vpc.id,
                cidrBlock: publicPlans[i].cidr,
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
                { parent: ctx.parent, dependsOn: [igw] },
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
            .all([natIds[nats.routeVia[i]], igw.id, returnRoutes])
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

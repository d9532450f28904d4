import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NETWORK_ZONES } from "../topology";
import type { RegionalStackArgs, RegionalStackOutputs } from "./types";

/**
 * One region of the environment on AWS. Region and tags come from the explicit `aws.Provider`
 * passed in `opts.provider` (index.ts makes one per region, with `defaultTags`).
 */
export class AwsRegionalStack extends pulumi.ComponentResource implements RegionalStackOutputs {
    readonly crdbRegion: string;
    readonly domain: string;
    readonly networkId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly zones: pulumi.Output<string[]>;

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:AwsRegionalStack", name, {}, opts);
        const { plan } = args;
        if (plan.cloud !== "aws") throw new Error(`AwsRegionalStack got a ${plan.cloud} region (${plan.name}); use GcpRegionalStack.`);
        this.crdbRegion = plan.name;
        this.domain = plan.domain;
        const child = { parent: this };
        const prefix = `${args.environment}-${plan.name}`;

        // Zone names are per account: take the real ones, never the catalog's letters.
        const azs = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            child,
        );
        this.zones = azs.names.apply((names) => {
            if (names.length < NETWORK_ZONES)
                throw new Error(
                    `${plan.region} offers ${names.length} availability zones to this account; the network needs ${NETWORK_ZONES}.`,
                );
            return names.slice(0, NETWORK_ZONES);
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
        const privateSubnets = privatePlans.map((sp, i) => {
            const zone = this.zones.apply((z) => z[i]);
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
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, child);
            // One NAT per zone: a zone outage must not cut the others' egress.
            const natIp = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${prefix}-nat-${i}` } }, child);
            const nat = new aws.ec2.NatGateway(
                `${name}-nat-${i}`,
                { allocationId: natIp.id, subnetId: pub.id, tags: { Name: `${prefix}-nat-${i}` } },
                { parent: this, dependsOn: [igw] },
            );
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
            const rt = new aws.ec2.RouteTable(
                `${name}-private-rt-${i}`,
                { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: { Name: `${prefix}-private-${i}` } },
                child,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: priv.id, routeTableId: rt.id }, child);
            return priv;
        });

        this.networkId = vpc.id;
        this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
        this.registerOutputs({ networkId: this.networkId, privateSubnetIds: this.privateSubnetIds, zones: this.zones });
    }
}

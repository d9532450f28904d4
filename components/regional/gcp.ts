import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { RegionalStackArgs, RegionalStackOutputs } from "./types";

/**
 * One region of the environment on GCP. Each region has its own VPC network (regional routing):
 * regions share nothing but the CockroachDB cluster, which crosses regions and clouds over public
 * addresses restricted to the cluster's own nodes.
 */
export class GcpRegionalStack extends pulumi.ComponentResource implements RegionalStackOutputs {
    readonly crdbRegion: string;
    readonly domain: string;
    readonly networkId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly zones: pulumi.Output<string[]>;

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:GcpRegionalStack", name, {}, opts);
        const { plan } = args;
        if (plan.cloud !== "gcp") throw new Error(`GcpRegionalStack got a ${plan.cloud} region (${plan.name}); use AwsRegionalStack.`);
        this.crdbRegion = plan.name;
        this.domain = plan.domain;
        const child = { parent: this };
        const prefix = `${args.environment}-${plan.name}`;

        const network = new gcp.compute.Network(
            `${name}-vpc`,
            { name: prefix, autoCreateSubnetworks: false, routingMode: "REGIONAL" },
            child,
        );
        const cidrOf = (role: string) => plan.subnets.find((s) => s.role === role)!.cidr;
        const nodes = new gcp.compute.Subnetwork(
            `${name}-private`,
            {
                name: `${prefix}-private`,
                region: plan.region,
                network: network.id,
                ipCidrRange: cidrOf("private"),
                privateIpGoogleAccess: true,
                logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
            },
            child,
        );
        // Cloud Run Direct VPC egress takes its addresses from a subnet of its own.
        new gcp.compute.Subnetwork(
            `${name}-app`,
            { name: `${prefix}-app`, region: plan.region, network: network.id, ipCidrRange: cidrOf("app"), privateIpGoogleAccess: true },
            child,
        );
        const router = new gcp.compute.Router(`${name}-router`, { name: prefix, region: plan.region, network: network.id }, child);
        new gcp.compute.RouterNat(
            `${name}-nat`,
            {
                name: prefix,
                region: plan.region,
                router: router.name,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            child,
        );

        this.networkId = network.selfLink;
        this.privateSubnetIds = pulumi.output([nodes.id]) as pulumi.Output<string[]>;
        this.zones = pulumi.output([...plan.zones]);
        this.registerOutputs({ networkId: this.networkId, privateSubnetIds: this.privateSubnetIds, zones: this.zones });
    }
}

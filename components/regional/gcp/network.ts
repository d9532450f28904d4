import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { tierContext } from "../context";
import type { GcpContext, GcpRegion } from "./context";

/** Arguments of `GcpNetwork`. */
export interface GcpNetworkArgs {
    /** The region: names, plan (CIDRs, zones), labels, project. */
    readonly region: GcpRegion;
}

/**
 * A VPC network of its own per region (regional routing, no auto subnets): regions share nothing
 * but the CockroachDB cluster, which crosses regions and clouds over public addresses restricted to
 * the cluster's nodes. Two regional subnets (nodes, Cloud Run egress) with flow logs, and Cloud NAT.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class GcpNetwork extends pulumi.ComponentResource {
    readonly network: gcp.compute.Network;
    /** Nodes and the internal SQL load balancer. */
    readonly privateSubnet: gcp.compute.Subnetwork;
    /** Cloud Run Direct VPC egress. */
    readonly appSubnet: gcp.compute.Subnetwork;
    /** The plan's zones that are up in the region (every node's zone among them, checked). */
    readonly zones: pulumi.Output<string[]>;

    constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:GcpNetwork", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        const network = vpc(ctx);
        this.network = network.network;
        this.privateSubnet = network.privateSubnet;
        this.appSubnet = network.appSubnet;
        this.zones = network.zones;
        this.registerOutputs({ networkId: this.network.selfLink, zones: this.zones });
    }
}

function vpc(ctx: GcpContext): Pick<GcpNetwork, "network" | "privateSubnet" | "appSubnet" | "zones"> {
    const { name, plan, prefix, child } = ctx;
    const cidrOf = (role: "private" | "app") => {
        const subnet = plan.subnets.find((s) => s.role === role);
        if (!subnet) throw new Error(`the plan of ${plan.name} has no ${role} subnet.`);
        return subnet.cidr;
    };

    // The catalog's zones may not all be up (or open to this project): check the nodes' zones.
    const up = gcp.compute.getZonesOutput({ region: plan.region, status: "UP" }, { parent: ctx.parent });
    const zones = up.names.apply((names) => {
        if (plan.nodes.length > names.length)
            throw new Error(
                `backend:cockroach.nodesPerRegion: ${plan.nodes.length} nodes in ${plan.name}, but ${plan.region} has ${names.length} zones up (one node per zone); use at most ${names.length}.`,
            );
        const missing = plan.nodes.filter((n) => !names.includes(n.zone)).map((n) => n.zone);
        if (missing.length > 0)
            throw new Error(`${plan.region}: zone ${missing.join(", ")} of the plan is not up (up: ${names.join(", ")}).`);
        return plan.zones.filter((z) => names.includes(z));
    });

    const network = new gcp.compute.Network(
        `${name}-vpc`,
        { name: prefix, description: `${plan.name} (${ctx.environment})`, autoCreateSubnetworks: false, routingMode: "REGIONAL" },
        child,
    );
    const privateSubnet = new gcp.compute.Subnetwork(
        `${name}-private`,
        {
            name: `${prefix}-private`,
            region: plan.region,
            network: network.id,
            ipCidrRange: cidrOf("private"),
            // Nodes reach Secret Manager and Cloud Storage without leaving Google's network.
            privateIpGoogleAccess: true,
            logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
        },
        child,
    );
    // Cloud Run Direct VPC egress takes its addresses from a subnet of its own; the node firewall
    // admits this range on 26257.
    const appSubnet = new gcp.compute.Subnetwork(
        `${name}-app`,
        {
            name: `${prefix}-app`,
            region: plan.region,
            network: network.id,
            ipCidrRange: cidrOf("app"),
            privateIpGoogleAccess: true,
            logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
        },
        child,
    );
    const router = new gcp.compute.Router(`${name}-router`, { name: prefix, region: plan.region, network: network.id }, child);
    // Nodes leave with their own static address (an instance with an external address bypasses NAT);
    // NAT serves whatever else in the network has none.
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
    return { network, privateSubnet, appSubnet, zones };
}

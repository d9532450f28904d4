import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { RegionPlan } from "../topology";
import { regionPrefix } from "./naming";
import type { NodeAddress } from "./types";

export interface NodeAddressesArgs {
    /** Environment name (`prod`); prefixes cloud-side names. */
    readonly environment: string;
    /** The region's plan; one address per planned node. */
    readonly plan: RegionPlan;
}

/**
 * First pass of a region: the static public address of each CockroachDB node (AWS Elastic IP, GCP
 * static external address). Every region's boot scripts, firewalls and node certificates name the
 * nodes of all regions, so the addresses exist before any regional stack, and the stacks depend on
 * addresses only, never on each other.
 *
 * Create it with the region's provider in `opts.provider`. Addresses are not protected: losing one
 * costs a certificate re-issue and a rolling restart, not data (the README says so).
 */
export class NodeAddresses extends pulumi.ComponentResource {
    /** One address per node, in node order. */
    readonly addresses: readonly NodeAddress[];
    /** The public addresses, in node order. */
    readonly publicIps: pulumi.Output<string[]>;

    constructor(name: string, args: NodeAddressesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:NodeAddresses", name, {}, opts);
        const { plan } = args;
        const prefix = regionPrefix(args.environment, plan.name);
        const child = { parent: this };
        this.addresses = plan.nodes.map((node): NodeAddress => {
            if (plan.cloud === "aws") {
                const eip = new aws.ec2.Eip(
                    `${name}-node-${node.index}`,
                    { domain: "vpc", tags: { Name: `${prefix}-node-${node.index}`, role: "cockroach-node" } },
                    child,
                );
                return { publicIp: eip.publicIp, id: eip.allocationId };
            }
            const address = new gcp.compute.Address(
                `${name}-node-${node.index}`,
                {
                    name: `${prefix}-node-${node.index}`,
                    region: plan.region,
                    addressType: "EXTERNAL",
                    networkTier: "PREMIUM",
                    description: `CockroachDB node ${node.index} of ${plan.name}`,
                },
                child,
            );
            return { publicIp: address.address, id: address.selfLink };
        });
        this.publicIps = pulumi.all(this.addresses.map((a) => a.publicIp));
        this.registerOutputs({ publicIps: this.publicIps });
    }
}

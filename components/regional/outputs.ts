import * as pulumi from "@pulumi/pulumi";
import { at } from "../collections";
import { localityOf, type RegionPlan } from "../topology";
import type { NodeOutput } from "./types";

/** The region's nodes as both clouds report them: the planned private address, the zone the instance landed in. */
export function nodeOutputs(
    plan: Pick<RegionPlan, "cloud" | "name" | "nodes">,
    zones: readonly pulumi.Input<string>[],
    publicIps: readonly pulumi.Input<string>[],
): pulumi.Output<NodeOutput[]> {
    return pulumi.all(
        plan.nodes.map((node, i) =>
            pulumi.all([at(zones, i, "node zones"), at(publicIps, i, "node public addresses")]).apply(([zone, publicIp]) => ({
                index: node.index,
                zone,
                privateIp: node.privateIp,
                publicIp,
                locality: localityOf(plan.cloud, plan.name, zone),
            })),
        ),
    );
}

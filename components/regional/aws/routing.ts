/**
 * Egress of an AWS region's private subnets, decided here so config can count what the network
 * will create (Elastic IPs, routes) with the same functions the network uses. Pure.
 */

/**
 * `single`: one NAT gateway in the first zone for the whole region (default); `perZone`: one per
 * zone, each zone's private subnet routed through its own.
 *
 * Why `single` by default: every NAT gateway holds an Elastic IP, and a region also gives each
 * CockroachDB node one; with three nodes, `perZone` needs 6 of the 5 Elastic IPs a new account has
 * per region (EC2-VPC Elastic IPs, ec2/L-0263D0A3; components/deployability/quotas.ts), so the
 * first `pulumi up` would fail with AddressLimitExceeded. AWS's regional NAT gateway
 * (`availabilityMode: "regional"`, @pulumi/aws 7.48 ec2/natGateway.d.ts) saves no address: it
 * takes Elastic IPs per zone it serves (`availabilityZoneAddresses`, or allocated by AWS in
 * automatic mode; EC2 API reference, AvailabilityZoneAddress), so it costs what `perZone` costs.
 *
 * The trade-off of `single`: while the NAT's zone is down, the app tasks in the other zones have
 * no outbound internet (image pulls from public registries, third-party APIs), and nodes cannot
 * download packages at first boot. CockroachDB traffic between regions is unaffected: it leaves
 * through the internet gateway with each node's own Elastic IP (the return routes below).
 */
export const NAT_GATEWAY_MODES = ["single", "perZone"] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

/** Where the NAT gateways go and which one each zone's private subnet uses (zone indexes). */
export interface NatPlan {
    /** Zones that hold a NAT gateway (each with its own Elastic IP). */
    readonly natZones: readonly number[];
    /** For each zone, the index into `natZones` of the NAT gateway its private route table uses. */
    readonly routeVia: readonly number[];
}

export function natPlan(mode: NatGatewayMode, zoneCount: number): NatPlan {
    const zones = [...Array(zoneCount).keys()];
    return mode === "perZone" ? { natZones: zones, routeVia: zones } : { natZones: [0], routeVia: zones.map(() => 0) };
}

/** Elastic IPs one AWS region allocates: one per CockroachDB node (NodeAddresses) and one per NAT gateway. */
export function regionElasticIps(nodes: number, zoneCount: number, mode: NatGatewayMode): number {
    return nodes + natPlan(mode, zoneCount).natZones.length;
}

/** One route of a private route table. */
export interface PrivateRoute {
    readonly cidrBlock: string;
    readonly natGatewayId?: string;
    readonly gatewayId?: string;
}

/**
 * Routes of a private subnet's route table: the default route through NAT, and each return route
 * (the cluster's public node addresses and admin networks, components/cluster/firewall.ts
 * `publicReturnRoutes`) through the internet gateway, so replies leave with the node's own address.
 */
export function privateRoutes(natGatewayId: string, internetGatewayId: string, returnRoutes: readonly string[]): PrivateRoute[] {
    return [{ cidrBlock: "0.0.0.0/0", natGatewayId }, ...returnRoutes.map((cidrBlock) => ({ cidrBlock, gatewayId: internetGatewayId }))];
}

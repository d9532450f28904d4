import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { at } from "../../collections";
import { COCKROACH_PORT, CONSOLE_PORT } from "../../cluster/ports";
import { awsLoadBalancerName, fitName, sqlHostname, sqlZoneName } from "../naming";
import type { SqlEndpointOutput } from "../types";
import type { AwsContext } from "./context";
import type { AwsNetwork } from "./network";

/** One database node's instance and its zone. */
export interface NodeInstance {
    readonly instance: aws.ec2.Instance;
    readonly zone: pulumi.Output<string>;
}

/** What the SQL endpoint needs of the database nodes' args. */
export interface SqlEndpointInput {
    readonly network: AwsNetwork;
    /** The load balancer's deletion protection, where the cloud has it. Default true. */
    readonly deletionProtection?: boolean;
}

/**
 * Internal NLB at the plan's fixed addresses, its targets and listener, and a fixed private name
 * for it in a private zone of the VPC: node certificates name it, so the app can verify them.
 */
export function sqlEndpoint(
    ctx: AwsContext,
    input: SqlEndpointInput,
    instances: readonly NodeInstance[],
    lbSg: aws.ec2.SecurityGroup,
): pulumi.Output<SqlEndpointOutput> {
    const { name, plan, prefix, child, environment } = ctx;
    const { network } = input;
    const deletionProtection = input.deletionProtection ?? true;
    // Internal NLB at the plan's fixed addresses, cross-zone, health-checked on /health?ready=1 (a
    // draining or not-yet-ready node leaves the pool).
    const nlb = new aws.lb.LoadBalancer(
        `${name}-sql`,
        {
            name: awsLoadBalancerName(environment, plan.name, "sql"),
            internal: true,
            loadBalancerType: "network",
            subnetMappings: plan.sqlEndpointIps.map((ip, i) => ({
                subnetId: at(network.privateSubnets, i, "private subnets").id,
                privateIpv4Address: ip,
            })),
            securityGroups: [lbSg.id],
            enableCrossZoneLoadBalancing: true,
            enableDeletionProtection: deletionProtection,
            tags: { Name: `${prefix}-sql` },
        },
        child,
    );
    const targets = new aws.lb.TargetGroup(
        `${name}-sql`,
        {
            name: fitName(`${prefix}-sql`, 32),
            port: COCKROACH_PORT,
            protocol: "TCP",
            targetType: "instance",
            vpcId: network.vpc.id,
            preserveClientIp: "true",
            deregistrationDelay: 30,
            healthCheck: {
                protocol: "HTTPS",
                port: String(CONSOLE_PORT),
                path: "/health?ready=1",
                matcher: "200",
                interval: 10,
                // HTTPS checks default to a 10 s timeout, and ELB requires it below the interval.
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
            },
            tags: { Name: `${prefix}-sql` },
        },
        child,
    );
    instances.forEach(
        ({ instance }, i) =>
            new aws.lb.TargetGroupAttachment(
                `${name}-sql-${i}`,
                { targetGroupArn: targets.arn, targetId: instance.id, port: COCKROACH_PORT },
                child,
            ),
    );
    new aws.lb.Listener(
        `${name}-sql`,
        {
            loadBalancerArn: nlb.arn,
            port: COCKROACH_PORT,
            protocol: "TCP",
            defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
        },
        child,
    );

    // A fixed private name for the SQL endpoint: node certificates name it, so the app can verify them.
    const zoneName = sqlZoneName(environment, plan.name);
    const dnsZone = new aws.route53.Zone(
        `${name}-sql-zone`,
        { name: zoneName, comment: `SQL endpoint of ${plan.name}`, vpcs: [{ vpcId: network.vpc.id }], forceDestroy: false },
        child,
    );
    const host = sqlHostname(environment, plan.name);
    new aws.route53.Record(
        `${name}-sql-record`,
        { zoneId: dnsZone.zoneId, name: host, type: "A", aliases: [{ name: nlb.dnsName, zoneId: nlb.zoneId, evaluateTargetHealth: true }] },
        child,
    );

    return pulumi.output({ host, port: COCKROACH_PORT, addresses: [...plan.sqlEndpointIps] });
}

import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { at } from "../../collections";
import { COCKROACH_PORT, CONSOLE_PORT } from "../../cluster/ports";
import { fitName, sqlHostname, sqlZoneName } from "../naming";
import type { SqlEndpointOutput } from "../types";
import type { GcpContext } from "./context";
import type { GcpNetwork } from "./network";

/** One database node's instance and its zone. */
export interface NodeInstance {
    readonly instance: gcp.compute.Instance;
    readonly zone: pulumi.Output<string>;
}

/** What the SQL endpoint needs of the database nodes' args. */
export interface SqlEndpointInput {
    readonly network: GcpNetwork;
    /** The load balancer's deletion protection, where the cloud has it. Default true. */
    readonly deletionProtection?: boolean;
}

/**
 * Internal passthrough load balancer at the plan's fixed address (one unmanaged group per zone) and
 * a fixed private name for it in a private zone of the network: node certificates name it.
 */
export function sqlEndpoint(
    ctx: GcpContext,
    input: SqlEndpointInput,
    instances: readonly NodeInstance[],
): pulumi.Output<SqlEndpointOutput> {
    const { name, plan, prefix, child, environment } = ctx;
    const { network } = input;
    // Internal passthrough load balancer at the plan's fixed address: one unmanaged group per zone,
    // health-checked on /health?ready=1 (a draining or not-yet-ready node leaves the pool).
    const groups = instances.map(({ instance, zone }, i) => {
        const { index } = at(plan.nodes, i, "planned nodes");
        return new gcp.compute.InstanceGroup(
            `${name}-sql-${index}`,
            {
                name: fitName(`${prefix}-sql-${index}`, 63),
                zone,
                network: network.network.id,
                instances: [instance.selfLink],
                description: `CockroachDB node ${index} of ${plan.name}`,
            },
            child,
        );
    });
    const healthCheck = new gcp.compute.RegionHealthCheck(
        `${name}-sql`,
        {
            name: fitName(`${prefix}-sql`, 63),
            region: plan.region,
            checkIntervalSec: 10,
            timeoutSec: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
            httpsHealthCheck: { port: CONSOLE_PORT, requestPath: "/health?ready=1" },
            logConfig: { enable: false },
        },
        child,
    );
    const backend = new gcp.compute.RegionBackendService(
        `${name}-sql`,
        {
            name: fitName(`${prefix}-sql`, 63),
            region: plan.region,
            loadBalancingScheme: "INTERNAL",
            protocol: "TCP",
            network: network.network.id,
            healthChecks: healthCheck.id,
            connectionDrainingTimeoutSec: 30,
            backends: groups.map((g) => ({ group: g.id, balancingMode: "CONNECTION" })),
        },
        child,
    );
    const [sqlIp] = plan.sqlEndpointIps;
    const address = new gcp.compute.Address(
        `${name}-sql`,
        {
            name: fitName(`${prefix}-sql`, 63),
            region: plan.region,
            addressType: "INTERNAL",
            purpose: "GCE_ENDPOINT",
            subnetwork: network.privateSubnet.id,
            address: sqlIp,
            description: `SQL endpoint of ${plan.name}`,
        },
        child,
    );
    new gcp.compute.ForwardingRule(
        `${name}-sql`,
        {
            name: fitName(`${prefix}-sql`, 63),
            region: plan.region,
            loadBalancingScheme: "INTERNAL",
            ipProtocol: "TCP",
            ports: [String(COCKROACH_PORT)],
            ipAddress: address.address,
            network: network.network.id,
            subnetwork: network.privateSubnet.id,
            backendService: backend.id,
            allowGlobalAccess: false,
        },
        child,
    );

    // A fixed private name for the SQL endpoint: node certificates name it, so the app can verify them.
    const zoneName = sqlZoneName(environment, plan.name);
    const dnsZone = new gcp.dns.ManagedZone(
        `${name}-sql-zone`,
        {
            name: fitName(`${prefix}-sql`, 63),
            dnsName: `${zoneName}.`,
            description: `SQL endpoint of ${plan.name}`,
            visibility: "private",
            privateVisibilityConfig: { networks: [{ networkUrl: network.network.id }] },
            forceDestroy: false,
        },
        child,
    );
    const host = sqlHostname(environment, plan.name);
    new gcp.dns.RecordSet(
        `${name}-sql-record`,
        { managedZone: dnsZone.name, name: `${host}.`, type: "A", ttl: 60, rrdatas: [address.address] },
        child,
    );

    return address.address.apply((ip) => ({ host, port: COCKROACH_PORT, addresses: [ip] }));
}

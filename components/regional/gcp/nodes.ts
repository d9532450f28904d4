import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { bootScript, nodeBootSpec } from "../../cluster/bootstrap";
import { GCP_HEALTH_CHECK_RANGES, nodeFirewallRules, type FirewallRule } from "../../cluster/firewall";
import { COCKROACH_PORT, CONSOLE_PORT } from "../../cluster/ports";
import { cpuArchitecture, gcpDiskTypes, gcpImage } from "../machines";
import { fitName, gcpSecretId, gcpServiceAccountId, sqlHostname, sqlZoneName } from "../naming";
import { nodeOutputs } from "../outputs";
import { type CockroachSpec, type NodeAddress, type NodeOutput, type SqlEndpointOutput } from "../types";
import type { GcpContext } from "./context";
import type { GcpRegionKey, GcpStoredSecret } from "./data";
import type { GcpNetwork } from "./network";

/** Network tag of the nodes: the firewall rules target it. */
export const NODE_TAG = "cockroach-node";
/** Device name of the data disk; the guest sees `/dev/disk/by-id/google-<device name>`. */
const DATA_DEVICE_NAME = "cockroach-data";

export interface GcpNodesInput {
    readonly network: GcpNetwork;
    readonly cockroach: CockroachSpec;
    readonly addresses: readonly NodeAddress[];
    readonly clusterPublicIps: pulumi.Input<string[]>;
    readonly join: pulumi.Input<string[]>;
    readonly regionKey: GcpRegionKey;
    readonly backupBucket: gcp.storage.Bucket;
    /** Secrets the nodes read: node `i` reads `nodeSecrets[i]`; the init node also reads `initSecrets`. */
    readonly nodeSecrets: readonly GcpStoredSecret[];
    readonly initSecrets?: {
        readonly root: GcpStoredSecret;
        readonly license?: GcpStoredSecret;
        readonly app: GcpStoredSecret;
    };
    readonly appUser: string;
    readonly deletionProtection: boolean;
    /** AWS role for S3 backups and a region for its STS client (mixed-cloud clusters). */
    readonly s3Access?: { readonly roleArn: pulumi.Input<string>; readonly stsRegion: string };
}

export interface GcpNodes {
    readonly nodes: pulumi.Output<NodeOutput[]>;
    readonly sqlEndpoint: pulumi.Output<SqlEndpointOutput>;
    readonly serviceAccount: gcp.serviceaccount.Account;
}

/**
 * CockroachDB nodes of a GCP region: one instance per planned zone in the private subnet, at the
 * plan's private address, with its static external address, a CMEK data disk (protected), Shielded
 * VM, OS Login and no project SSH keys; a service account that reads only this region's node
 * secrets and writes the environment's backup buckets (BackupAccess); an internal passthrough load balancer on
 * 26257 with a private DNS name every node certificate names.
 */
export function gcpNodes(ctx: GcpContext, input: GcpNodesInput): GcpNodes {
    const { name, plan, prefix, child, environment } = ctx;
    const { network, cockroach, regionKey } = input;
    if (plan.nodes.length > plan.zones.length)
        throw new Error(
            `backend:cockroach.nodesPerRegion: ${plan.nodes.length} nodes in ${plan.name}, but the plan spans ${plan.zones.length} zones (one node per zone); use at most ${plan.zones.length}.`,
        );
    const arch = cpuArchitecture("gcp", cockroach.machineType);
    const disks = gcpDiskTypes(cockroach.machineType);

    // Identity: read this region's node secrets (and, in the init node's region, the init secrets),
    // read/write the region's backup bucket, write logs and metrics. Nothing else. No key grant: the
    // Secret Manager and Cloud Storage agents decrypt on the nodes' behalf.
    // No deployment suffix: a deleted service account's name can be used again at once, for a new
    // identity (cloud.google.com/iam/docs/service-accounts-delete-undelete); grants follow the new one.
    const serviceAccount = new gcp.serviceaccount.Account(
        `${name}-node-sa`,
        {
            accountId: gcpServiceAccountId(environment, "crdb", plan.catalog.slot),
            displayName: `CockroachDB nodes of ${plan.name}`,
            description: `${prefix}: node secrets and backups of ${plan.name}`,
        },
        child,
    );
    const member = pulumi.interpolate`serviceAccount:${serviceAccount.email}`;
    const readable: { role: string; secret: GcpStoredSecret }[] = [
        ...input.nodeSecrets.map((secret, i) => ({ role: `node-${plan.nodes[i].index}`, secret })),
        ...(input.initSecrets
            ? [
                  { role: "root", secret: input.initSecrets.root },
                  { role: "app", secret: input.initSecrets.app },
              ]
            : []),
        ...(input.initSecrets?.license ? [{ role: "license", secret: input.initSecrets.license }] : []),
    ];
    const grants: pulumi.Resource[] = readable.map(
        ({ role, secret }) =>
            new gcp.secretmanager.SecretIamMember(
                `${name}-node-reads-${role}`,
                { secretId: secret.secret.id, role: "roles/secretmanager.secretAccessor", member },
                child,
            ),
    );
    grants.push(
        new gcp.storage.BucketIAMMember(
            `${name}-node-backups`,
            { bucket: input.backupBucket.name, role: "roles/storage.objectUser", member },
            child,
        ),
    );
    new gcp.projects.IAMMember(`${name}-node-logs`, { project: ctx.project, role: "roles/logging.logWriter", member }, child);
    new gcp.projects.IAMMember(`${name}-node-metrics`, { project: ctx.project, role: "roles/monitoring.metricWriter", member }, child);

    // Firewall from the pure rules: 26257 from the cluster's nodes, the Cloud Run egress subnet and
    // admins; 8080 from admins and Google's health checkers. The network is IPv4 only.
    const appCidrs = plan.subnets.filter((s) => s.role === "app").map((s) => s.cidr);
    const rules = pulumi.output(input.clusterPublicIps).apply((clusterPublicIps) =>
        nodeFirewallRules({
            clusterPublicIps,
            regionPrivateIps: plan.nodes.map((n) => n.privateIp),
            appCidrs,
            loadBalancerGroup: false,
            adminCidrs: cockroach.adminCidrs,
            healthCheckCidrs: GCP_HEALTH_CHECK_RANGES,
        }),
    );
    const ruleNamed = (ruleName: FirewallRule["name"]) =>
        rules.apply((all) => {
            const rule = all.find((r) => r.name === ruleName);
            if (!rule) throw new Error(`nodeFirewallRules returned no ${ruleName} rule.`);
            return rule;
        });
    for (const ruleName of ["sql", "console"] as const) {
        const rule = ruleNamed(ruleName);
        new gcp.compute.Firewall(
            `${name}-fw-${ruleName}`,
            {
                name: fitName(`${prefix}-cockroach-${ruleName}`, 63),
                network: network.network.id,
                direction: "INGRESS",
                priority: 1000,
                description: rule.description,
                allows: rule.apply((r) => [{ protocol: "tcp", ports: [String(r.port)] }]),
                sourceRanges: rule.apply((r) => [...r.ipv4]),
                targetTags: [NODE_TAG],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            },
            child,
        );
    }

    const instances = plan.nodes.map((node, i) => {
        // Through the checked zone list: a zone that is down stops the node, not the deployment later.
        const zone = network.zones.apply(() => node.zone);
        const dataDisk = new gcp.compute.Disk(
            `${name}-node-${node.index}-data`,
            {
                name: fitName(`${prefix}-node-${node.index}-data`, 63),
                zone,
                size: cockroach.diskSizeGb,
                type: disks.data,
                diskEncryptionKey: { kmsKeySelfLink: regionKey.key.id },
                labels: { role: "cockroach-data" },
            },
            { ...child, protect: true, dependsOn: [regionKey.grants.compute] },
        );
        const init = i === 0 && input.initSecrets ? input.initSecrets : undefined;
        const startupScript = pulumi
            .all([input.addresses[i].publicIp, input.join, input.backupBucket.name, input.s3Access?.roleArn])
            .apply(([publicIp, join, bucket, roleArn]) => {
                const spec = nodeBootSpec({
                    cloud: "gcp",
                    environment,
                    version: cockroach.version,
                    arch,
                    crdbRegion: plan.name,
                    zone: node.zone,
                    nodeIndex: node.index,
                    publicIp,
                    privateIp: node.privateIp,
                    join,
                    dataDevices: [`/dev/disk/by-id/google-${DATA_DEVICE_NAME}`],
                    store: { kind: "gcp", project: ctx.project },
                    secretName: (role) => gcpSecretId(environment, plan.name, role),
                    cache: cockroach.cache,
                    maxSqlMemory: cockroach.maxSqlMemory,
                    init: init && { license: !!init.license, appUser: input.appUser, bucketUri: `gs://${bucket}` },
                    crossCloud:
                        roleArn && input.s3Access ? { kind: "s3-from-gcp", roleArn, stsRegion: input.s3Access.stsRegion } : undefined,
                });
                return bootScript(spec);
            });
        const instance = new gcp.compute.Instance(
            `${name}-node-${node.index}`,
            {
                name: fitName(`${prefix}-node-${node.index}`, 63),
                zone,
                machineType: cockroach.machineType,
                description: `CockroachDB node ${node.index} of ${plan.name}`,
                bootDisk: {
                    autoDelete: true,
                    kmsKeySelfLink: regionKey.key.id,
                    initializeParams: {
                        image: gcpImage(arch),
                        type: disks.boot,
                        size: 20,
                        // Provider default labels do not reach the boot disk.
                        labels: { ...ctx.tags, role: "cockroach-boot" },
                    },
                },
                attachedDisks: [
                    { source: dataDisk.selfLink, deviceName: DATA_DEVICE_NAME, mode: "READ_WRITE", kmsKeySelfLink: regionKey.key.id },
                ],
                networkInterfaces: [
                    {
                        subnetwork: network.privateSubnet.id,
                        networkIp: node.privateIp,
                        accessConfigs: [{ natIp: input.addresses[i].publicIp, networkTier: "PREMIUM" }],
                    },
                ],
                metadata: { "startup-script": startupScript, "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
                serviceAccount: { email: serviceAccount.email, scopes: ["cloud-platform"] },
                shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
                scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
                tags: [NODE_TAG],
                labels: { role: "cockroach-node" },
                deletionProtection: input.deletionProtection,
                allowStoppingForUpdate: true,
            },
            // GCE runs the startup script at every boot (it is idempotent) and a metadata change applies
            // in place without a restart: a changed script (join list, version) takes effect at each
            // node's next restart, one at a time. A new Debian image must not replace the nodes.
            // Boots once it may read its secrets and they have values.
            {
                ...child,
                dependsOn: [regionKey.grants.compute, ...grants, ...readable.map((r) => r.secret.version)],
                ignoreChanges: ["bootDisk.initializeParams.image"],
            },
        );
        return { instance, zone };
    });

    // Internal passthrough load balancer at the plan's fixed address: one unmanaged group per zone,
    // health-checked on /health?ready=1 (a draining or not-yet-ready node leaves the pool).
    const groups = instances.map(
        ({ instance, zone }, i) =>
            new gcp.compute.InstanceGroup(
                `${name}-sql-${plan.nodes[i].index}`,
                {
                    name: fitName(`${prefix}-sql-${plan.nodes[i].index}`, 63),
                    zone,
                    network: network.network.id,
                    instances: [instance.selfLink],
                    description: `CockroachDB node ${plan.nodes[i].index} of ${plan.name}`,
                },
                child,
            ),
    );
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

    const nodes = nodeOutputs(
        plan,
        instances.map((n) => n.zone),
        input.addresses.map((a) => a.publicIp),
    );
    const sqlEndpoint = address.address.apply((ip) => ({ host, port: COCKROACH_PORT, addresses: [ip] }));
    return { nodes, sqlEndpoint, serviceAccount };
}

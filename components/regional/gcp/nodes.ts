import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { at } from "../../collections";
import { bootScript } from "../../cluster/bootstrap";
import { nodeBootSpec, readableSecrets } from "../../cluster/nodeBoot";
import { nodeFirewallRules, regionFirewallInput, type FirewallRule } from "../../cluster/firewall";
import { cpuArchitecture, gcpDiskTypes, gcpImage } from "../machines";
import { fitName, gcpSecretId, gcpServiceAccountId } from "../naming";
import { nodeOutputs } from "../outputs";
import { type CockroachSpec, type NodeAddress, type NodeOutput, type SqlEndpointOutput } from "../types";
import { tierContext } from "../context";
import { sqlEndpoint, type NodeInstance } from "./sqlEndpoint";
import type { GcpContext, GcpRegion } from "./context";
import type { GcpRegionKey, GcpStoredSecret } from "./data";
import type { GcpNetwork } from "./network";

/** Network tag of the nodes: the firewall rules target it. */
export const NODE_TAG = "cockroach-node";
/** Device name of the data disk; the guest sees `/dev/disk/by-id/google-<device name>`. */
const DATA_DEVICE_NAME = "cockroach-data";

/** Arguments of `GcpDatabaseNodes`. */
export interface GcpDatabaseNodesArgs {
    /** The region: names, plan (zones, node addresses, SQL endpoint address), labels, project. */
    readonly region: GcpRegion;
    /** The region's network: the nodes in its private subnet. */
    readonly network: GcpNetwork;
    /** Version, machine type, disk, admin networks. */
    readonly cockroach: CockroachSpec;
    /** The nodes' static external addresses, in node order (`NodeAddresses`). */
    readonly addresses: readonly NodeAddress[];
    /** Public address of every node of the cluster (firewall). */
    readonly clusterPublicIps: pulumi.Input<string[]>;
    /** `--join` list. */
    readonly join: pulumi.Input<string[]>;
    /** The region key (disks) and the Compute Engine agent's grant on it. */
    readonly regionKey: GcpRegionKey;
    /** The region's backup bucket: the nodes read and write it, the init node names it. */
    readonly backupBucket: { readonly name: pulumi.Input<string> };
    /** Secrets the nodes read: node `i` reads `nodeSecrets[i]`; the init node also reads `initSecrets`. */
    readonly nodeSecrets: readonly GcpStoredSecret[];
    readonly initSecrets?: {
        readonly root: GcpStoredSecret;
        readonly license?: GcpStoredSecret;
        readonly app: GcpStoredSecret;
    };
    /** SQL user of the app, created by the init node. */
    readonly appUser: string;
    /** Deletion protection on the instances. Default true. */
    readonly deletionProtection?: boolean;
    /** AWS role for S3 backups and a region for its STS client (mixed-cloud clusters). */
    readonly s3Access?: { readonly roleArn: pulumi.Input<string>; readonly stsRegion: string };
}

/**
 * CockroachDB nodes of a GCP region: one instance per planned zone in the private subnet, at the
 * plan's private address, with its static external address, a CMEK data disk (protected), Shielded
 * VM, OS Login and no project SSH keys; a service account that reads only this region's node
 * secrets and writes the environment's backup buckets (BackupAccess); an internal passthrough load balancer on
 * 26257 with a private DNS name every node certificate names.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class GcpDatabaseNodes extends pulumi.ComponentResource {
    /** The region's nodes as the outside sees them. */
    readonly nodes: pulumi.Output<NodeOutput[]>;
    /** Internal SQL endpoint of the region. */
    readonly sqlEndpoint: pulumi.Output<SqlEndpointOutput>;
    /** The nodes' service account (backup access across regions and clouds is granted to it). */
    readonly serviceAccount: gcp.serviceaccount.Account;

    constructor(name: string, args: GcpDatabaseNodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:GcpDatabaseNodes", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        const { plan } = ctx;
        if (plan.nodes.length > plan.zones.length)
            throw new Error(
                `backend:cockroach.nodesPerRegion: ${plan.nodes.length} nodes in ${plan.name}, but the plan spans ${plan.zones.length} zones (one node per zone); use at most ${plan.zones.length}.`,
            );
        const identity = nodeIdentity(ctx, args);
        nodeFirewall(ctx, args);
        const instances = nodeInstances(ctx, args, identity);
        this.sqlEndpoint = sqlEndpoint(ctx, args, instances);
        this.nodes = nodeOutputs(
            plan,
            instances.map((n) => n.zone),
            args.addresses.map((a) => a.publicIp),
        );
        this.serviceAccount = identity.serviceAccount;
        this.registerOutputs({ nodes: this.nodes, sqlEndpoint: this.sqlEndpoint });
    }
}

/** What the nodes are: their service account, the secrets it may read, and its grants. */
interface NodeIdentity {
    readonly serviceAccount: gcp.serviceaccount.Account;
    readonly readable: readonly { readonly role: string; readonly secret: GcpStoredSecret }[];
    /** Grants the nodes need before they boot. */
    readonly grants: readonly pulumi.Resource[];
}

function nodeIdentity(ctx: GcpContext, input: GcpDatabaseNodesArgs): NodeIdentity {
    const { name, plan, prefix, child, environment } = ctx;
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
    const readable = readableSecrets(plan.nodes, { nodes: input.nodeSecrets, init: input.initSecrets });
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
    return { serviceAccount, readable, grants };
}

/** The nodes' firewall rules, from the pure rules. */
function nodeFirewall(ctx: GcpContext, input: GcpDatabaseNodesArgs): void {
    const { name, plan, prefix, child } = ctx;
    const { network, cockroach } = input;

    // Firewall from the pure rules: 26257 from the cluster's nodes, the Cloud Run egress subnet and
    // admins; 8080 from admins and Google's health checkers. The network is IPv4 only.
    const rules = pulumi
        .output(input.clusterPublicIps)
        .apply((clusterPublicIps) => nodeFirewallRules(regionFirewallInput(plan, clusterPublicIps, cockroach.adminCidrs)));
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
}

/** One node: its instance and the zone it runs in. */
/** Per node: the CMEK data disk and the instance with its startup script. */
function nodeInstances(ctx: GcpContext, input: GcpDatabaseNodesArgs, identity: NodeIdentity): NodeInstance[] {
    const { name, plan, prefix, child, environment } = ctx;
    const { network, cockroach, regionKey } = input;
    const arch = cpuArchitecture("gcp", cockroach.machineType);
    const disks = gcpDiskTypes(cockroach.machineType);
    const deletionProtection = input.deletionProtection ?? true;
    return plan.nodes.map((node, i) => {
        // Through the checked zone list: a zone that is down stops the node, not the deployment later.
        const zone = network.zones.apply(() => node.zone);
        const address = at(input.addresses, i, "node addresses");
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
            .all([address.publicIp, input.join, input.backupBucket.name, input.s3Access?.roleArn])
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
                        accessConfigs: [{ natIp: address.publicIp, networkTier: "PREMIUM" }],
                    },
                ],
                metadata: { "startup-script": startupScript, "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
                serviceAccount: { email: identity.serviceAccount.email, scopes: ["cloud-platform"] },
                shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
                scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
                tags: [NODE_TAG],
                labels: { role: "cockroach-node" },
                deletionProtection,
                allowStoppingForUpdate: true,
            },
            // GCE runs the startup script at every boot (it is idempotent) and a metadata change applies
            // in place without a restart: a changed script (join list, version) takes effect at each
            // node's next restart, one at a time. A new Debian image must not replace the nodes.
            // Boots once it may read its secrets and they have values.
            {
                ...child,
                dependsOn: [regionKey.grants.compute, ...identity.grants, ...identity.readable.map((r) => r.secret.version)],
                ignoreChanges: ["bootDisk.initializeParams.image"],
            },
        );
        return { instance, zone };
    });
}

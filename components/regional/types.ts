import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../catalog-types";
import { COCKROACH_PORT } from "../cluster/ports";
import { localityOf, type RegionPlan } from "../topology";
import { sqlHostname } from "./naming";

/** The app tier's container and scaling, as validated by config (`backend:app`). */
export interface AppSpec {
    /** Container image reference. */
    readonly image: string;
    /** Port the container listens on. */
    readonly port: number;
    /** Path of the health endpoint (load balancer and Cloudflare monitor). */
    readonly healthPath: string;
    /** vCPU per instance. */
    readonly cpu: number;
    /** Memory per instance, MiB. */
    readonly memory: number;
    readonly minInstances: number;
    readonly maxInstances: number;
}

/** The region's CockroachDB nodes (`backend:cockroach`, machine type already chosen for the cloud). */
export interface CockroachSpec {
    /** Release installed on every node, e.g. `25.4.2`. */
    readonly version: string;
    /** Machine type of this cloud (`m6i.xlarge`, `n2-standard-4`). */
    readonly machineType: string;
    /** Data disk per node, GB. */
    readonly diskSizeGb: number;
    /** Operators' networks allowed to reach SQL and the DB Console. */
    readonly adminCidrs: readonly string[];
    /** `--cache`. Default `.25`. */
    readonly cache?: string;
    /** `--max-sql-memory`. Default `.25`. */
    readonly maxSqlMemory?: string;
}

/** A certificate and its private key (PEM); the key should be a Pulumi secret. */
export interface TlsKeyPair {
    readonly certPem: pulumi.Input<string>;
    readonly keyPem: pulumi.Input<string>;
}

/** One static public address of a node, allocated by `NodeAddresses` in the first pass. */
export interface NodeAddress {
    /** The public IPv4 address. */
    readonly publicIp: pulumi.Output<string>;
    /** AWS: the Elastic IP's allocation id; GCP: the address resource's self link. */
    readonly id: pulumi.Output<string>;
}

/** What every region receives from the cluster-wide pass (certificates, join list, addresses). */
export interface ClusterInputs {
    /** Public address of every node of every region (firewalls and return routes). */
    readonly clusterPublicIps: pulumi.Input<string[]>;
    /** `--join` list from `joinList`. */
    readonly join: pulumi.Input<string[]>;
    /** The cluster CA certificate (public). */
    readonly caCertPem: pulumi.Input<string>;
    /** Node certificates, one per node of the plan, in node order. */
    readonly nodeCertificates: readonly TlsKeyPair[];
    /** Client certificate of the app user. */
    readonly appClient: TlsKeyPair;
    /** The app user's SQL password (secret). */
    readonly appPassword: pulumi.Input<string>;
    /**
     * Set on exactly one region: its first node initializes the cluster, applies the licence and
     * creates the app user; the root client certificate and the licence are stored only there.
     */
    /**
     * Keyless access to the other cloud's backup buckets, set when the cluster spans both clouds
     * (components/cluster/backups.ts): AWS nodes get Google external-account credentials for
     * `gcsAudience`, GCP nodes assume `s3RoleArn` with their ID token.
     */
    readonly crossCloudBackups?: {
        readonly gcsAudience: pulumi.Input<string>;
        readonly s3RoleArn: pulumi.Input<string>;
        /** An AWS region of the environment, for the STS client of GCP nodes. */
        readonly s3StsRegion: string;
    };
    readonly init?: {
        readonly rootClient: TlsKeyPair;
        /** CockroachDB licence key (secret). Omitted: none is applied (7-day grace). */
        readonly licenseKey?: pulumi.Input<string>;
    };
}

/** Certificate of the public HTTPS origin (AWS ALB). */
export interface OriginTls {
    /**
     * ARN of an issued, publicly trusted ACM certificate for `hostname` in the stack's region: the
     * validated ARN from `OriginCertificates` (components/traffic/originTls.ts), so the listener
     * waits for validation. Cloudflare's health monitor validates it against a public CA.
     */
    readonly certificateArn: pulumi.Input<string>;
}

/**
 * Arguments every regional stack takes, whichever cloud it runs on. Cloud-specific choices
 * (machine families, managed services) stay inside each implementation.
 */
export interface RegionalStackArgs {
    /** Environment name (`prod`); prefixes cloud-side names and is the CockroachDB cluster name. */
    readonly environment: string;
    /** The region's plan from `planTopology`: zones, CIDRs, node addresses, domain. */
    readonly plan: RegionPlan;
    /** App tier container and scaling. */
    readonly app: AppSpec;
    /** CockroachDB nodes of the region. */
    readonly cockroach: CockroachSpec;
    /** Static public addresses of the region's nodes, in node order (from `NodeAddresses`). */
    readonly addresses: readonly NodeAddress[];
    /** Certificates, password, join list and addresses from the cluster-wide pass. */
    readonly cluster: ClusterInputs;
    /** GCP project of the region's resources (required on GCP; names buckets, read by the boot script). */
    readonly gcpProject?: string;
    /** Database the app uses. Default `app`. */
    readonly databaseName?: string;
    /** SQL user of the app. Default `app`. */
    readonly appUser?: string;
    /**
     * Public hostname Cloudflare serves (`api.example.com`): the `Host` header (and SNI) Cloudflare
     * sends to an ALB origin and the name of its certificate. Required on AWS; GCP ignores it
     * (Cloud Run routes by its own `*.run.app` host).
     */
    readonly hostname?: pulumi.Input<string>;
    /**
     * Certificate of the AWS ALB's HTTPS listener: a publicly trusted ACM certificate for
     * `hostname`, so Cloudflare's monitor (certificate validation on) and SSL mode Full (strict)
     * accept it. Required on AWS; GCP ignores it (Cloud Run serves its own `*.run.app` certificate).
     */
    readonly originTls?: OriginTls;
    /** Cloud-side deletion protection on instances, load balancers and the Cloud Run service. Default true. */
    readonly deletionProtection?: boolean;
    /** Days backups (`backups/` in the bucket) are kept before the lifecycle rule expires them. Default 30. */
    readonly backupRetentionDays?: number;
    /**
     * AWS: NAT gateways of the region's network, `single` (default) or `perZone`
     * (components/regional/aws/routing.ts has the quota and availability trade-off). GCP ignores it.
     */
    readonly natGateways?: "single" | "perZone";
}

/** The public HTTPS origin Cloudflare connects to. */
export interface OriginOutput {
    /** Hostname Cloudflare connects to (ALB DNS name, Cloud Run host). */
    readonly address: string;
    /** `Host` header (and TLS server name) the origin expects. */
    readonly hostHeader: string;
    readonly port: number;
}

/** One CockroachDB node as the outside sees it. */
export interface NodeOutput {
    readonly index: number;
    /** Zone as the cloud names it (`us-east-1a`, `europe-west1-b`). */
    readonly zone: string;
    readonly privateIp: string;
    readonly publicIp: string;
    /** The node's `--locality`. */
    readonly locality: string;
}

/** The region's SQL endpoint for the app (internal load balancer). */
export interface SqlEndpointOutput {
    /** Private DNS name, named by every node certificate of the region. */
    readonly host: string;
    readonly port: number;
    /** The load balancer's private addresses. */
    readonly addresses: string[];
}

/** What every regional stack exposes, with the same keys on both clouds. */
export interface RegionalStackOutputs {
    readonly cloud: Cloud;
    /** CockroachDB region name (`aws-us-east-1`). */
    readonly crdbRegion: string;
    /** Residency domain whose data the region holds. */
    readonly domain: string;
    /** Id of the region's network (AWS VPC id, GCP network self link). */
    readonly networkId: pulumi.Output<string>;
    /** Ids of the private subnets that hold the database nodes and the SQL endpoint. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Zones the network actually spans, as the cloud names them. */
    readonly zones: pulumi.Output<string[]>;
    /** Public HTTPS origin for the Cloudflare pool. */
    readonly origin: pulumi.Output<OriginOutput>;
    /** Health path of the app (Cloudflare monitor). */
    readonly healthPath: string;
    /** The region's CockroachDB nodes. */
    readonly nodes: pulumi.Output<NodeOutput[]>;
    /** Internal SQL endpoint of the region. */
    readonly sqlEndpoint: pulumi.Output<SqlEndpointOutput>;
    /** `s3://bucket/backups` or `gs://bucket/backups`: the region's backup collection. */
    readonly backupBucketUrl: pulumi.Output<string>;
}

/** Folder of the backup collection in each region's bucket (the lifecycle rules expire it). */
export const BACKUP_PREFIX = "backups/";

/** The output keys both implementations expose (the interface, as data for tests and docs). */
export const REGIONAL_OUTPUT_KEYS = [
    "backupBucketUrl",
    "cloud",
    "crdbRegion",
    "domain",
    "healthPath",
    "networkId",
    "nodes",
    "origin",
    "privateSubnetIds",
    "sqlEndpoint",
    "zones",
] as const satisfies readonly (keyof RegionalStackOutputs)[];

/** Labels (GCP) / tags (AWS) every taggable resource of a region carries, so policies can tell its domain. */
export function residencyTags(environment: string, plan: Pick<RegionPlan, "name" | "domain">): Record<string, string> {
    return {
        environment,
        "crdb-region": plan.name,
        "residency-domain": plan.domain,
        "managed-by": "pulumi",
    };
}

/** Environment variable holding the app's database credentials (JSON, from the secret store). */
export const APP_CREDENTIALS_ENV = "DATABASE_CREDENTIALS";

/**
 * Plain environment of the app container, the same on both clouds. Credentials (user, password,
 * CA and client certificate) come separately from the region's secret store as
 * `DATABASE_CREDENTIALS` (JSON with `user`, `password`, `ca.crt`, `client.crt`, `client.key`).
 */
export function appEnvironment(i: {
    readonly environment: string;
    readonly crdbRegion: string;
    readonly domain: string;
    readonly sqlHost: string;
    readonly databaseName: string;
    readonly appUser: string;
}): Record<string, string> {
    return {
        ENVIRONMENT: i.environment,
        CRDB_REGION: i.crdbRegion,
        RESIDENCY_DOMAIN: i.domain,
        DATABASE_HOST: i.sqlHost,
        DATABASE_PORT: String(COCKROACH_PORT),
        DATABASE_NAME: i.databaseName,
        DATABASE_USER: i.appUser,
        DATABASE_SSLMODE: "verify-full",
    };
}

/** Secret payloads (JSON); every value that reaches a secret store goes through these. */
export const secretPayload = {
    /** A node's certificates: `ca.crt`, `node.crt`, `node.key`. */
    node: (ca: pulumi.Input<string>, pair: TlsKeyPair) =>
        pulumi.secret(
            pulumi
                .all([ca, pair.certPem, pair.keyPem])
                .apply(([c, crt, key]) => JSON.stringify({ "ca.crt": c, "node.crt": crt, "node.key": key })),
        ),
    /** Root client: `ca.crt`, `client.root.crt`, `client.root.key`. */
    root: (ca: pulumi.Input<string>, pair: TlsKeyPair) =>
        pulumi.secret(
            pulumi
                .all([ca, pair.certPem, pair.keyPem])
                .apply(([c, crt, key]) => JSON.stringify({ "ca.crt": c, "client.root.crt": crt, "client.root.key": key })),
        ),
    /** The app's credentials: `user`, `password`, `ca.crt`, `client.crt`, `client.key`. */
    app: (user: string, password: pulumi.Input<string>, ca: pulumi.Input<string>, pair: TlsKeyPair) =>
        pulumi.secret(
            pulumi
                .all([password, ca, pair.certPem, pair.keyPem])
                .apply(([pw, c, crt, key]) => JSON.stringify({ user, password: pw, "ca.crt": c, "client.crt": crt, "client.key": key })),
        ),
};

/** The region's nodes as both clouds report them: the planned private address, the zone the instance landed in. */
export function nodeOutputs(
    plan: Pick<RegionPlan, "cloud" | "name" | "nodes">,
    zones: readonly pulumi.Input<string>[],
    publicIps: readonly pulumi.Input<string>[],
): pulumi.Output<NodeOutput[]> {
    return pulumi.all(
        plan.nodes.map((node, i) =>
            pulumi.all([zones[i], publicIps[i]]).apply(([zone, publicIp]) => ({
                index: node.index,
                zone,
                privateIp: node.privateIp,
                publicIp,
                locality: localityOf(plan.cloud, plan.name, zone),
            })),
        ),
    );
}

/** `RegionalStackArgs` with the stated defaults applied, and what both clouds derive from it alike. */
export interface ResolvedRegionalArgs extends RegionalStackArgs {
    readonly databaseName: string;
    readonly appUser: string;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
    /** The app container's plain environment (`appEnvironment`). */
    readonly appEnv: Record<string, string>;
}

/**
 * Checks that the args fit the implementation's cloud and the plan's node count (a wiring mistake,
 * not user input: config validation has run), then applies the stated defaults.
 */
export function resolveRegionalArgs(cloud: Cloud, args: RegionalStackArgs): ResolvedRegionalArgs {
    const { plan, cluster } = args;
    const component = cloud === "aws" ? "AwsRegionalStack" : "GcpRegionalStack";
    if (plan.cloud !== cloud)
        throw new Error(
            `${component} got a ${plan.cloud} region (${plan.name}); use ${plan.cloud === "aws" ? "AwsRegionalStack" : "GcpRegionalStack"}.`,
        );
    if (args.addresses.length !== plan.nodes.length)
        throw new Error(`${component} ${plan.name}: ${args.addresses.length} node addresses for ${plan.nodes.length} nodes.`);
    if (cluster.nodeCertificates.length !== plan.nodes.length)
        throw new Error(`${component} ${plan.name}: ${cluster.nodeCertificates.length} node certificates for ${plan.nodes.length} nodes.`);
    if (cloud === "aws" && (!args.hostname || !args.originTls))
        throw new Error(
            `${component} ${plan.name}: args.hostname and args.originTls are required on AWS (got ${args.hostname ? "hostname" : "no hostname"}, ` +
                `${args.originTls ? "originTls" : "no originTls"}): the ALB serves a publicly trusted certificate for the hostname ` +
                "(OriginCertificates in components/traffic/originTls.ts), the only kind Cloudflare's health monitor accepts with validation on.",
        );
    const databaseName = args.databaseName ?? "app";
    const appUser = args.appUser ?? "app";
    return {
        ...args,
        databaseName,
        appUser,
        deletionProtection: args.deletionProtection ?? true,
        backupRetentionDays: args.backupRetentionDays ?? 30,
        appEnv: appEnvironment({
            environment: args.environment,
            crdbRegion: plan.name,
            domain: plan.domain,
            sqlHost: sqlHostname(args.environment, plan.name),
            databaseName,
            appUser,
        }),
    };
}

/** The secrets one region stores, whatever the store. */
export interface RegionSecrets<S> {
    /** One per node, in node order: its certificates. */
    readonly nodes: readonly S[];
    /** The app's credentials. */
    readonly app: S;
    /** On the init region only: what the init node reads besides its own certificates. */
    readonly init?: { readonly root: S; readonly app: S; readonly license?: S };
}

/**
 * Stores every secret of a region with `store(role, value)`: each node's certificates
 * (`node-<i>`), the app's credentials (`app`), and on the init region the root client certificate
 * (`root`) and the licence (`license`, when one is set).
 */
export function storeRegionSecrets<S>(
    args: Pick<ResolvedRegionalArgs, "plan" | "cluster" | "appUser">,
    store: (role: string, value: pulumi.Output<string>) => S,
): RegionSecrets<S> {
    const { plan, cluster, appUser } = args;
    const ca = cluster.caCertPem;
    const nodes = plan.nodes.map((node, i) => store(`node-${node.index}`, secretPayload.node(ca, cluster.nodeCertificates[i])));
    const app = store("app", secretPayload.app(appUser, cluster.appPassword, ca, cluster.appClient));
    const init = cluster.init && {
        root: store("root", secretPayload.root(ca, cluster.init.rootClient)),
        app,
        license:
            cluster.init.licenseKey === undefined ? undefined : store("license", pulumi.secret(pulumi.output(cluster.init.licenseKey))),
    };
    return { nodes, app, init };
}

import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../catalog-types";
import type { RegionPlan } from "../topology";

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

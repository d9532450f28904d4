/**
 * What one node's boot script is generated from (`BootSpec`), the paths it uses on the node, and
 * the validation every value passes before it reaches a shell word. Pure.
 */
import type { Cloud } from "../catalog-types";
import { at } from "../collections";
import { COCKROACH_PORT } from "./ports";

/** Where the node reads its secrets and markers; both use the instance's identity. */
export type SecretStore =
    | {
          /** AWS Secrets Manager and S3 through the AWS CLI (Amazon Linux 2023 ships it). */
          readonly kind: "aws";
          readonly region: string;
      }
    | {
          /** GCP Secret Manager and Cloud Storage through gcloud (Debian GCE images ship it). */
          readonly kind: "gcp";
          readonly project: string;
      };

/** What the init node does besides `cockroach init`. */
export interface InitSpec {
    /** Secret (name/id) with `ca.crt`, `client.root.crt`, `client.root.key` (JSON). */
    readonly rootSecret: string;
    /** Secret holding the licence key; omitted: no licence is applied (7-day grace, then throttling). */
    readonly licenseSecret?: string;
    /** Secret with the app's credentials (JSON with `user` and `password`). */
    readonly appSecret: string;
    /** SQL user of the app (created if missing, password set from `appSecret`). */
    readonly appUser: string;
    /**
     * Object URI (`s3://bucket/key`, `gs://bucket/key`) written after a successful init; its presence
     * stops a second init even if the init node's disk is ever lost.
     */
    readonly markerUri: string;
}

/** Everything one node's boot script is generated from. */
export interface BootSpec {
    readonly cloud: Cloud;
    /** Cluster name (`--cluster-name`): the environment; a node refuses to join another cluster. */
    readonly clusterName: string;
    /** CockroachDB release, e.g. `25.4.2`. */
    readonly version: string;
    readonly arch: "amd64" | "arm64";
    /** CockroachDB region name (`aws-us-east-1`): the `region` tier of the locality. */
    readonly crdbRegion: string;
    /** `cloud=aws,region=aws-us-east-1,zone=aws-us-east-1a`. */
    readonly locality: string;
    /** Static public address: `--advertise-addr` (cross-region and cross-cloud traffic). */
    readonly publicIp: string;
    /** Private address from the plan: `--locality-advertise-addr` inside the region. */
    readonly privateIp: string;
    /** `host:port` list from `joinList`. */
    readonly join: readonly string[];
    /** Block devices that may be the data disk, tried in order (names differ between instance types). */
    readonly dataDevices: readonly string[];
    readonly store: SecretStore;
    /** Secret (name/id) with this node's `ca.crt`, `node.crt`, `node.key` (JSON). */
    readonly nodeSecret: string;
    /** `--cache`: fraction of memory or size. Default `.25`. */
    readonly cache?: string;
    /** `--max-sql-memory`. Default `.25`. */
    readonly maxSqlMemory?: string;
    /** Set on exactly one node of the cluster. */
    readonly init?: InitSpec;
    /** Keyless access to the other cloud's backup buckets (see components/cluster/backups.ts). */
    readonly crossCloud?: CrossCloudAccess;
}

/**
 * How a node reaches the other cloud's buckets: an AWS node uses Google external-account
 * credentials (Workload Identity Federation); a GCP node assumes an AWS role with its Google ID token.
 */
export type CrossCloudAccess =
    | { readonly kind: "gcs-from-aws"; readonly audience: string }
    | {
          readonly kind: "s3-from-gcp";
          readonly roleArn: string;
          /** An AWS region for STS: the SDK builds its web-identity client before CockroachDB sets one. */
          readonly stsRegion: string;
      };

/** Paths on the node. */
export const NODE_PATHS = {
    binary: "/usr/local/bin/cockroach",
    data: "/var/lib/cockroach",
    store: "/var/lib/cockroach/data",
    certs: "/etc/cockroach/certs",
    rootCerts: "/etc/cockroach/root-certs",
    fetchCerts: "/usr/local/sbin/cockroach-fetch-certs",
    initCluster: "/usr/local/sbin/cockroach-init-cluster",
    initMarker: "/var/lib/cockroach/.cluster-initialized",
    gcpCredentials: "/etc/cockroach/gcp-external-account.json",
    awsToken: "/etc/cockroach/aws-web-identity-token",
    fetchAwsToken: "/usr/local/sbin/cockroach-fetch-aws-token",
} as const;

// Dotted decimal without leading zeros: Go's net.ParseIP (CockroachDB) rejects `010.1.1.1`.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LOCALITY = /^cloud=(aws|gcp),region=([a-z0-9-]+),zone=([a-z0-9-]+)$/;
const SAFE = /^[A-Za-z0-9_./:@+=-]+$/;

/** Throws the boot script's error: every message starts with `boot script:`. */
export function bootFail(message: string): never {
    throw new Error(`boot script: ${message}`);
}

/** Checks the spec; every value that reaches the script is validated here, so quoting cannot break. */
export function validateBootSpec(spec: BootSpec): void {
    if (!/^\d{2}\.\d\.\d{1,2}$/.test(spec.version)) bootFail(`version "${spec.version}" is not a CockroachDB release such as 25.4.2.`);
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(spec.clusterName))
        bootFail(`cluster name "${spec.clusterName}" must be lowercase letters, digits and '-'.`);
    if (!IPV4.test(spec.publicIp)) bootFail(`public address "${spec.publicIp}" is not an IPv4 address.`);
    if (!IPV4.test(spec.privateIp)) bootFail(`private address "${spec.privateIp}" is not an IPv4 address.`);
    const m = LOCALITY.exec(spec.locality);
    if (!m) bootFail(`locality "${spec.locality}" must read cloud=<aws|gcp>,region=<cloud>-<region>,zone=<cloud>-<zone>.`);
    // The pattern has three mandatory groups.
    const group = (i: number) => at(m, i, `locality "${spec.locality}" group`);
    const [cloud, region, zone] = [group(1), group(2), group(3)];
    if (cloud !== spec.cloud) bootFail(`locality "${spec.locality}" names cloud ${cloud}, but the node runs on ${spec.cloud}.`);
    if (region !== spec.crdbRegion) bootFail(`locality "${spec.locality}" names region ${region}, but the node is in ${spec.crdbRegion}.`);
    if (!region.startsWith(`${cloud}-`) || !zone.startsWith(`${cloud}-`))
        bootFail(`locality "${spec.locality}": region and zone must carry the cloud prefix "${cloud}-".`);
    // A zone is its region plus a letter (AWS `us-east-1a`, GCP `europe-west1-b`); a prefix test
    // would take europe-west10-a for a zone of europe-west1.
    const cloudRegion = region.slice(cloud.length + 1);
    const zoneSuffix = zone.slice(cloud.length + 1);
    const letter = zoneSuffix.slice(-1);
    if (!/^[a-z]$/.test(letter) || zoneSuffix !== `${cloudRegion}${cloud === "aws" ? "" : "-"}${letter}`)
        bootFail(`locality "${spec.locality}": zone ${zone} is not in region ${region}.`);
    if (spec.join.length === 0) bootFail("the join list is empty.");
    for (const j of spec.join) {
        const [host, port, ...rest] = j.split(":");
        if (!IPV4.test(host ?? "") || port !== String(COCKROACH_PORT) || rest.length > 0)
            bootFail(`join address "${j}" must be <IPv4>:${COCKROACH_PORT}.`);
    }
    if (spec.dataDevices.length === 0) bootFail("no data device given.");
    for (const d of spec.dataDevices)
        if (!/^\/dev\/[A-Za-z0-9/_.-]+$/.test(d) || d.split("/").includes("..")) bootFail(`data device "${d}" is not a /dev path.`);
    for (const v of [spec.cache ?? ".25", spec.maxSqlMemory ?? ".25"])
        if (!/^(0?\.\d+|\d+%|\d+(\.\d+)?(MiB|GiB|MB|GB))$/.test(v))
            bootFail(`memory size "${v}" must be a fraction (.25), a percentage or a size (8GiB).`);
    const names = [spec.nodeSecret, ...(spec.init ? [spec.init.rootSecret, spec.init.appSecret, spec.init.licenseSecret ?? "x"] : [])];
    for (const n of names) if (!SAFE.test(n)) bootFail(`secret name "${n}" has characters a shell word may not carry.`);
    if (spec.init) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(spec.init.appUser)) bootFail(`app user "${spec.init.appUser}" is not a SQL identifier.`);
        if (!/^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,62}\/[A-Za-z0-9/_.-]+$/.test(spec.init.markerUri))
            bootFail(`marker URI "${spec.init.markerUri}" must be s3://bucket/key or gs://bucket/key.`);
        if (!spec.init.markerUri.startsWith(spec.store.kind === "aws" ? "s3://" : "gs://"))
            bootFail(`marker URI "${spec.init.markerUri}" is not in the node's own cloud.`);
    }
    if (spec.store.kind !== spec.cloud) bootFail(`secret store of ${spec.store.kind} for a node on ${spec.cloud}.`);
    if (spec.crossCloud) {
        const expected = spec.cloud === "aws" ? "gcs-from-aws" : "s3-from-gcp";
        if (spec.crossCloud.kind !== expected)
            bootFail(`cross-cloud access "${spec.crossCloud.kind}" for a node on ${spec.cloud}; use "${expected}".`);
        if (
            spec.crossCloud.kind === "gcs-from-aws" &&
            !/^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/.test(
                spec.crossCloud.audience,
            )
        )
            bootFail(`workload identity audience "${spec.crossCloud.audience}" is not a pool provider's resource name.`);
        if (
            spec.crossCloud.kind === "s3-from-gcp" &&
            !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@-]{1,64}$/.test(spec.crossCloud.roleArn)
        )
            bootFail(`AWS role ARN "${spec.crossCloud.roleArn}" is not a role ARN.`);
        if (spec.crossCloud.kind === "s3-from-gcp" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(spec.crossCloud.stsRegion))
            bootFail(`AWS region "${spec.crossCloud.stsRegion}" for STS is not valid.`);
    }
    if (spec.store.kind === "aws" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(spec.store.region))
        bootFail(`AWS region "${spec.store.region}" is not valid.`);
    if (spec.store.kind === "gcp" && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(spec.store.project))
        bootFail(`GCP project "${spec.store.project}" is not a project id.`);
}

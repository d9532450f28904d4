/**
 * The boot script of a CockroachDB node (EC2 user data / GCE startup script), as a pure function of
 * the node's spec. It holds no secret: the node fetches its certificates, and the init node the root
 * certificate, licence and app password, from the region's secret store with its own identity.
 *
 * The script is idempotent (GCE runs it at every boot): it formats the data disk only when it has no
 * filesystem, installs CockroachDB only when the installed version differs, rewrites its unit files
 * and starts what is not running. `cockroach start` runs under systemd with the flags of
 * `startFlags`; one node (the first of the primary region) initializes the cluster exactly once.
 */
import type { Cloud } from "../catalog-types";
import { localityOf } from "../topology";
import { AWS_WEB_IDENTITY_AUDIENCE, gcpExternalAccountConfig } from "./backups";
import { COCKROACH_PORT, CONSOLE_PORT } from "./ports";

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

function fail(message: string): never {
    throw new Error(`boot script: ${message}`);
}

/** Checks the spec; every value that reaches the script is validated here, so quoting cannot break. */
export function validateBootSpec(spec: BootSpec): void {
    if (!/^\d{2}\.\d\.\d{1,2}$/.test(spec.version)) fail(`version "${spec.version}" is not a CockroachDB release such as 25.4.2.`);
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(spec.clusterName))
        fail(`cluster name "${spec.clusterName}" must be lowercase letters, digits and '-'.`);
    if (!IPV4.test(spec.publicIp)) fail(`public address "${spec.publicIp}" is not an IPv4 address.`);
    if (!IPV4.test(spec.privateIp)) fail(`private address "${spec.privateIp}" is not an IPv4 address.`);
    const m = LOCALITY.exec(spec.locality);
    if (!m) fail(`locality "${spec.locality}" must read cloud=<aws|gcp>,region=<cloud>-<region>,zone=<cloud>-<zone>.`);
    const [, cloud, region, zone] = m;
    if (cloud !== spec.cloud) fail(`locality "${spec.locality}" names cloud ${cloud}, but the node runs on ${spec.cloud}.`);
    if (region !== spec.crdbRegion) fail(`locality "${spec.locality}" names region ${region}, but the node is in ${spec.crdbRegion}.`);
    if (!region.startsWith(`${cloud}-`) || !zone.startsWith(`${cloud}-`))
        fail(`locality "${spec.locality}": region and zone must carry the cloud prefix "${cloud}-".`);
    // A zone is its region plus a letter (AWS `us-east-1a`, GCP `europe-west1-b`); a prefix test
    // would take europe-west10-a for a zone of europe-west1.
    const cloudRegion = region.slice(cloud.length + 1);
    const zoneSuffix = zone.slice(cloud.length + 1);
    const letter = zoneSuffix.slice(-1);
    if (!/^[a-z]$/.test(letter) || zoneSuffix !== `${cloudRegion}${cloud === "aws" ? "" : "-"}${letter}`)
        fail(`locality "${spec.locality}": zone ${zone} is not in region ${region}.`);
    if (spec.join.length === 0) fail("the join list is empty.");
    for (const j of spec.join) {
        const [host, port, ...rest] = j.split(":");
        if (!IPV4.test(host) || port !== String(COCKROACH_PORT) || rest.length > 0)
            fail(`join address "${j}" must be <IPv4>:${COCKROACH_PORT}.`);
    }
    if (spec.dataDevices.length === 0) fail("no data device given.");
    for (const d of spec.dataDevices)
        if (!/^\/dev\/[A-Za-z0-9/_.-]+$/.test(d) || d.split("/").includes("..")) fail(`data device "${d}" is not a /dev path.`);
    for (const v of [spec.cache ?? ".25", spec.maxSqlMemory ?? ".25"])
        if (!/^(0?\.\d+|\d+%|\d+(\.\d+)?(MiB|GiB|MB|GB))$/.test(v))
            fail(`memory size "${v}" must be a fraction (.25), a percentage or a size (8GiB).`);
    const names = [spec.nodeSecret, ...(spec.init ? [spec.init.rootSecret, spec.init.appSecret, spec.init.licenseSecret ?? "x"] : [])];
    for (const n of names) if (!SAFE.test(n)) fail(`secret name "${n}" has characters a shell word may not carry.`);
    if (spec.init) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(spec.init.appUser)) fail(`app user "${spec.init.appUser}" is not a SQL identifier.`);
        if (!/^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,62}\/[A-Za-z0-9/_.-]+$/.test(spec.init.markerUri))
            fail(`marker URI "${spec.init.markerUri}" must be s3://bucket/key or gs://bucket/key.`);
        if (!spec.init.markerUri.startsWith(spec.store.kind === "aws" ? "s3://" : "gs://"))
            fail(`marker URI "${spec.init.markerUri}" is not in the node's own cloud.`);
    }
    if (spec.store.kind !== spec.cloud) fail(`secret store of ${spec.store.kind} for a node on ${spec.cloud}.`);
    if (spec.crossCloud) {
        const expected = spec.cloud === "aws" ? "gcs-from-aws" : "s3-from-gcp";
        if (spec.crossCloud.kind !== expected)
            fail(`cross-cloud access "${spec.crossCloud.kind}" for a node on ${spec.cloud}; use "${expected}".`);
        if (
            spec.crossCloud.kind === "gcs-from-aws" &&
            !/^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/.test(
                spec.crossCloud.audience,
            )
        )
            fail(`workload identity audience "${spec.crossCloud.audience}" is not a pool provider's resource name.`);
        if (
            spec.crossCloud.kind === "s3-from-gcp" &&
            !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@-]{1,64}$/.test(spec.crossCloud.roleArn)
        )
            fail(`AWS role ARN "${spec.crossCloud.roleArn}" is not a role ARN.`);
        if (spec.crossCloud.kind === "s3-from-gcp" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(spec.crossCloud.stsRegion))
            fail(`AWS region "${spec.crossCloud.stsRegion}" for STS is not valid.`);
    }
    if (spec.store.kind === "aws" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(spec.store.region))
        fail(`AWS region "${spec.store.region}" is not valid.`);
    if (spec.store.kind === "gcp" && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(spec.store.project))
        fail(`GCP project "${spec.store.project}" is not a project id.`);
}

/** The arguments of `cockroach start` (after the binary), in a fixed order. */
export function startFlags(spec: BootSpec): string[] {
    validateBootSpec(spec);
    return [
        "start",
        `--certs-dir=${NODE_PATHS.certs}`,
        `--store=path=${NODE_PATHS.store}`,
        `--listen-addr=:${COCKROACH_PORT}`,
        `--advertise-addr=${spec.publicIp}:${COCKROACH_PORT}`,
        `--locality=${spec.locality}`,
        `--locality-advertise-addr=region=${spec.crdbRegion}@${spec.privateIp}:${COCKROACH_PORT}`,
        `--http-addr=:${CONSOLE_PORT}`,
        `--join=${spec.join.join(",")}`,
        `--cluster-name=${spec.clusterName}`,
        "--max-offset=250ms",
        `--cache=${spec.cache ?? ".25"}`,
        `--max-sql-memory=${spec.maxSqlMemory ?? ".25"}`,
    ];
}

/** Single-quoted shell word (values are validated; this is belt and braces). */
function q(value: string): string {
    return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * Shell functions reading the store: `fetch_secret <name>`, `write_marker <uri>`, and
 * `marker_state <uri>`, which prints `present` or `absent` and fails when it cannot tell (an
 * unreadable marker must never count as absent: a second init would start a second cluster).
 */
function storeFunctions(store: SecretStore): string {
    if (store.kind === "aws")
        return `fetch_secret() {
    aws secretsmanager get-secret-value --region ${q(store.region)} --secret-id "$1" --query SecretString --output text
}
marker_state() {
    local path=\${1#s3://} out
    if out=$(aws s3api head-object --region ${q(store.region)} --bucket "\${path%%/*}" --key "\${path#*/}" 2>&1); then
        echo present
    elif grep -q "(404)" <<<"$out"; then
        echo absent
    else
        echo "cannot read $1: $out" >&2
        return 1
    fi
}
write_marker() {
    date -u +%Y-%m-%dT%H:%M:%SZ | aws s3 cp --region ${q(store.region)} - "$1"
}`;
    return `fetch_secret() {
    gcloud secrets versions access latest --secret="$1" --project=${q(store.project)} --quiet
}
marker_state() {
    local out
    if out=$(gcloud storage objects describe "$1" --format='value(name)' 2>&1); then
        echo present
    elif grep -qF "$1 not found: 404" <<<"$out"; then
        echo absent
    else
        echo "cannot read $1: $out" >&2
        return 1
    fi
}
write_marker() {
    date -u +%Y-%m-%dT%H:%M:%SZ | gcloud storage cp - "$1"
}`;
}

const RETRY = `# Network calls and fresh IAM grants fail for a while after an instance starts: retry for 5 minutes.
retry() {
    local attempt=1
    until "$@"; do
        if [ "$attempt" -ge 30 ]; then
            echo "giving up after $attempt attempts: $*" >&2
            return 1
        fi
        attempt=$((attempt + 1))
        sleep 10
    done
}`;

/**
 * `/usr/local/sbin/cockroach-fetch-certs [--reload]`: writes the node's certificates (and on the
 * init node the root client certificate) from the secret store; with `--reload` it sends SIGHUP so a
 * running node picks up rotated certificates. Runs before every start and from a daily timer.
 */
export function fetchCertsScript(spec: BootSpec): string {
    validateBootSpec(spec);
    const bundles = [`write_bundle ${q(spec.nodeSecret)} ${NODE_PATHS.certs} cockroach`];
    if (spec.init) bundles.push(`write_bundle ${q(spec.init.rootSecret)} ${NODE_PATHS.rootCerts} root`);
    return `#!/bin/bash
# Fetches this node's certificates from the region's secret store with the instance's identity.
# Generated by components/cluster/bootstrap.ts.
set -euo pipefail
umask 077

${storeFunctions(spec.store)}

${RETRY}

# write_bundle <secret> <dir> <owner>: one file per key of the secret's JSON (ca.crt, node.crt, ...).
write_bundle() {
    local secret=$1 dir=$2 owner=$3 json tmp key
    json=$(retry fetch_secret "$secret")
    tmp=$(mktemp -d "$dir.new.XXXXXX")
    while IFS= read -r key; do
        if [[ ! $key =~ ^[a-z][a-z.]*\\.(crt|key)$ ]]; then
            echo "unexpected key '$key' in secret $secret" >&2
            return 1
        fi
        jq -r --arg k "$key" '.[$k]' <<<"$json" >"$tmp/$key"
        if [[ $key == *.key ]]; then chmod 0600 "$tmp/$key"; else chmod 0644 "$tmp/$key"; fi
    done < <(jq -r 'keys[]' <<<"$json")
    chmod 0700 "$tmp"
    chown -R "$owner:$owner" "$tmp"
    rm -rf "$dir.old"
    if [ -d "$dir" ]; then mv "$dir" "$dir.old"; fi
    mv "$tmp" "$dir"
    rm -rf "$dir.old"
}

mkdir -p /etc/cockroach
${bundles.join("\n")}

if [ "\${1:-}" = "--reload" ] && systemctl is-active --quiet cockroach.service; then
    systemctl kill --signal=SIGHUP cockroach.service
fi
`;
}

/**
 * `/usr/local/sbin/cockroach-init-cluster` (init node only): `cockroach init` once, guarded by a
 * marker on the data disk and one in the region's backup bucket, and treating "already initialized"
 * as success; then the licence and the app user, idempotent statements applied at every run so a
 * rotated value lands at the next boot.
 */
export function initScript(spec: BootSpec): string {
    validateBootSpec(spec);
    const init = spec.init;
    if (!init) fail("initScript needs spec.init (only the init node runs it).");
    const license = init.licenseSecret
        ? `license=$(retry fetch_secret ${q(init.licenseSecret)})
if [[ ! $license =~ ^[A-Za-z0-9+/=_.-]+$ ]]; then
    echo "the licence key has unexpected characters; not applied" >&2
    exit 1
fi
printf "SET CLUSTER SETTING enterprise.license = '%s';\\n" "$license" >>"$sql_file"`
        : `echo "no licence secret configured: the cluster runs on the grace period (set backend:cockroachLicenseKey)" >&2`;
    return `#!/bin/bash
# Initializes the CockroachDB cluster exactly once, then applies the licence and the app user.
# Generated by components/cluster/bootstrap.ts.
set -euo pipefail
umask 077

readonly MARKER=${NODE_PATHS.initMarker}
readonly REMOTE_MARKER=${q(init.markerUri)}
readonly HOST=localhost:${COCKROACH_PORT}

${storeFunctions(spec.store)}

${RETRY}

sql() {
    ${NODE_PATHS.binary} sql --certs-dir=${NODE_PATHS.rootCerts} --host="$HOST" "$@"
}

remote=present
if [ ! -f "$MARKER" ]; then
    remote=$(retry marker_state "$REMOTE_MARKER")
fi
if [ "$remote" = absent ]; then
    attempt=1
    # RPC commands must name the cluster: nodes run with --cluster-name and refuse others.
    until output=$(${NODE_PATHS.binary} init --cluster-name=${spec.clusterName} --certs-dir=${NODE_PATHS.rootCerts} --host="$HOST" 2>&1); do
        if grep -q "already been initialized" <<<"$output"; then
            break
        fi
        if [ "$attempt" -ge 60 ]; then
            echo "cockroach init failed $attempt times: $output" >&2
            exit 1
        fi
        attempt=$((attempt + 1))
        sleep 10
    done
    retry write_marker "$REMOTE_MARKER"
fi
touch "$MARKER"

sql_file=$(mktemp)
trap 'rm -f "$sql_file"' EXIT
${license}
password=$(retry fetch_secret ${q(init.appSecret)} | jq -r .password)
if [[ ! $password =~ ^[A-Za-z0-9]{16,}$ ]]; then
    echo "the app password must be 16 or more letters and digits" >&2
    exit 1
fi
printf 'CREATE USER IF NOT EXISTS ${init.appUser};\\nALTER USER ${init.appUser} WITH PASSWORD '"'"'%s'"'"';\\n' "$password" >>"$sql_file"
retry sql --file="$sql_file"
`;
}

/** Unit files; `%` in ExecStart is a systemd specifier, so `--cache=25%` is written `25%%`. */
function systemdUnits(spec: BootSpec): Record<string, string> {
    const units: Record<string, string> = {
        "cockroach.service": `[Unit]
Description=CockroachDB node (${spec.locality})
Wants=network-online.target
After=network-online.target time-sync.target
RequiresMountsFor=${NODE_PATHS.data}

[Service]
Type=notify
User=cockroach
Group=cockroach
ExecStartPre=+${NODE_PATHS.fetchCerts}
${crossCloudUnitLines(spec)}ExecStart=${NODE_PATHS.binary} ${startFlags(spec).join(" ").replace(/%/g, "%%")}
Restart=always
RestartSec=10
TimeoutStartSec=600
TimeoutStopSec=300
KillSignal=SIGTERM
LimitNOFILE=65536
SyslogIdentifier=cockroach

[Install]
WantedBy=multi-user.target
`,
        "cockroach-certs-refresh.service": `[Unit]
Description=Refresh CockroachDB certificates from the secret store

[Service]
Type=oneshot
ExecStart=${NODE_PATHS.fetchCerts} --reload
`,
        "cockroach-certs-refresh.timer": `[Unit]
Description=Daily CockroachDB certificate refresh

[Timer]
OnCalendar=daily
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target
`,
    };
    if (spec.crossCloud?.kind === "s3-from-gcp") {
        units["cockroach-aws-token.service"] = `[Unit]
Description=Refresh the Google ID token CockroachDB exchanges for AWS credentials (S3 backups)

[Service]
Type=oneshot
ExecStart=${NODE_PATHS.fetchAwsToken}
`;
        // Tokens live an hour; the AWS SDK re-reads the file whenever its credentials expire.
        units["cockroach-aws-token.timer"] = `[Unit]
Description=Refresh the AWS web identity token every 15 minutes

[Timer]
OnBootSec=1min
OnUnitActiveSec=15min

[Install]
WantedBy=timers.target
`;
    }
    if (spec.init)
        units["cockroach-init.service"] = `[Unit]
Description=Initialize the CockroachDB cluster once, apply licence and app user
Wants=cockroach.service
After=cockroach.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${NODE_PATHS.initCluster}
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
`;
    return units;
}

/** Environment (and token refresh) of `cockroach start` for cross-cloud backups. */
function crossCloudUnitLines(spec: BootSpec): string {
    // `-` on the token fetch: a failure costs backups through this node, never the node itself.
    const c = spec.crossCloud;
    if (!c) return "";
    if (c.kind === "gcs-from-aws") return `Environment=GOOGLE_APPLICATION_CREDENTIALS=${NODE_PATHS.gcpCredentials}\n`;
    return (
        `ExecStartPre=-+${NODE_PATHS.fetchAwsToken}\n` +
        `Environment=AWS_REGION=${c.stsRegion}\n` +
        `Environment=AWS_ROLE_ARN=${c.roleArn}\n` +
        `Environment=AWS_WEB_IDENTITY_TOKEN_FILE=${NODE_PATHS.awsToken}\n` +
        `Environment=AWS_ROLE_SESSION_NAME=${spec.crdbRegion}\n`
    );
}

/**
 * `/usr/local/sbin/cockroach-fetch-aws-token` (GCP nodes with S3 destinations): writes the
 * service account's Google ID token for `sts.amazonaws.com` from the metadata server, readable by
 * the cockroach user only.
 */
export function awsTokenScript(): string {
    return `#!/bin/bash
# Writes this instance's Google ID token for AWS STS (AssumeRoleWithWebIdentity).
# Generated by components/cluster/bootstrap.ts.
set -euo pipefail
umask 077
tmp=$(mktemp ${NODE_PATHS.awsToken}.XXXXXX)
trap 'rm -f "$tmp"' EXIT
curl -fsS --retry 5 --retry-connrefused -H 'Metadata-Flavor: Google' -o "$tmp" \\
    'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=${AWS_WEB_IDENTITY_AUDIENCE}&format=full'
chown cockroach:cockroach "$tmp"
chmod 0400 "$tmp"
mv "$tmp" ${NODE_PATHS.awsToken}
trap - EXIT
`;
}

/** Writes `content` to `path` with a quoted heredoc (no expansion inside). */
function writeFile(path: string, content: string, mode: string): string {
    const tag = "COCKROACH_EOF";
    if (content.split("\n").includes(tag)) fail(`file ${path} contains the heredoc delimiter.`);
    return `cat >${path} <<'${tag}'\n${content.endsWith("\n") ? content : content + "\n"}${tag}\nchmod ${mode} ${path}`;
}

/** The whole boot script (bash). */
export function bootScript(spec: BootSpec): string {
    validateBootSpec(spec);
    const units = systemdUnits(spec);
    const files = [
        writeFile(NODE_PATHS.fetchCerts, fetchCertsScript(spec), "0755"),
        ...(spec.init ? [writeFile(NODE_PATHS.initCluster, initScript(spec), "0755")] : []),
        ...(spec.crossCloud?.kind === "gcs-from-aws"
            ? [writeFile(NODE_PATHS.gcpCredentials, gcpExternalAccountConfig(spec.crossCloud.audience), "0644")]
            : []),
        ...(spec.crossCloud?.kind === "s3-from-gcp" ? [writeFile(NODE_PATHS.fetchAwsToken, awsTokenScript(), "0755")] : []),
        ...Object.entries(units).map(([unit, text]) => writeFile(`/etc/systemd/system/${unit}`, text, "0644")),
    ];
    const enable = [
        "cockroach.service",
        "cockroach-certs-refresh.timer",
        ...(spec.crossCloud?.kind === "s3-from-gcp" ? ["cockroach-aws-token.timer"] : []),
        ...(spec.init ? ["cockroach-init.service"] : []),
    ].join(" ");
    return `#!/bin/bash
# CockroachDB node ${spec.locality}, generated by components/cluster/bootstrap.ts.
# Holds no secret: certificates, licence and passwords come from the region's secret store.
# Idempotent: safe to run at every boot.
set -euo pipefail
exec > >(tee -a /var/log/cockroach-boot.log) 2>&1

readonly VERSION=${q(spec.version)}
readonly ARCH=${q(spec.arch)}
readonly DATA_DIR=${NODE_PATHS.data}
readonly DATA_DEVICES=(${spec.dataDevices.map(q).join(" ")})

${RETRY}

install_packages() {
    if command -v dnf >/dev/null 2>&1; then
        dnf install -y -q jq e2fsprogs tar gzip
    else
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q jq e2fsprogs tar gzip curl
    fi
}

# The data disk is attached after the instance starts (AWS): wait for it, format it only when it
# has no filesystem, mount it by UUID.
prepare_data_disk() {
    local device="" uuid attempt candidate
    for attempt in $(seq 1 120); do
        for candidate in "\${DATA_DEVICES[@]}"; do
            if [ -b "$candidate" ]; then
                device=$candidate
                break 2
            fi
        done
        echo "waiting for the data disk (attempt $attempt)"
        sleep 5
    done
    if [ -z "$device" ]; then
        echo "no data disk among \${DATA_DEVICES[*]}" >&2
        exit 1
    fi
    if ! blkid "$device" >/dev/null 2>&1; then
        mkfs.ext4 -q -L cockroach-data "$device"
    fi
    uuid=$(blkid -s UUID -o value "$device")
    mkdir -p "$DATA_DIR"
    if ! grep -q "^UUID=$uuid " /etc/fstab; then
        echo "UUID=$uuid $DATA_DIR ext4 defaults,noatime,nofail 0 2" >>/etc/fstab
    fi
    if ! mountpoint -q "$DATA_DIR"; then
        mount "$DATA_DIR"
    fi
    chown cockroach:cockroach "$DATA_DIR"
}

install_cockroach() {
    local name="cockroach-v\${VERSION}.linux-\${ARCH}" tmp expected actual
    if [ -x ${NODE_PATHS.binary} ] && [ "$(${NODE_PATHS.binary} version --build-tag 2>/dev/null)" = "v\${VERSION}" ]; then
        return 0
    fi
    tmp=$(mktemp -d)
    retry curl -fsSL -o "$tmp/$name.tgz" "https://binaries.cockroachdb.com/$name.tgz"
    retry curl -fsSL -o "$tmp/$name.tgz.sha256sum" "https://binaries.cockroachdb.com/$name.tgz.sha256sum"
    expected=$(cut -d' ' -f1 "$tmp/$name.tgz.sha256sum")
    actual=$(sha256sum "$tmp/$name.tgz" | cut -d' ' -f1)
    if [ "$expected" != "$actual" ]; then
        echo "checksum mismatch for $name.tgz" >&2
        exit 1
    fi
    tar -xzf "$tmp/$name.tgz" -C "$tmp"
    install -m 0755 "$tmp/$name/cockroach" ${NODE_PATHS.binary}
    mkdir -p /usr/local/lib/cockroach
    if [ -d "$tmp/$name/lib" ]; then
        cp "$tmp/$name"/lib/* /usr/local/lib/cockroach/
    fi
    rm -rf "$tmp"
}

if ! id cockroach >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA_DIR" --shell /sbin/nologin cockroach
fi
# The network may come up after the script starts (NAT routes, DNS): retry what needs it.
retry install_packages
prepare_data_disk
install_cockroach
mkdir -p /etc/cockroach

${files.join("\n\n")}

systemctl daemon-reload
systemctl enable ${enable}
systemctl start --no-block ${enable}
`;
}

/** What a regional stack knows about one node when it writes its boot script. */
export interface NodeBootInput {
    readonly cloud: Cloud;
    /** Environment: the cluster name. */
    readonly environment: string;
    readonly version: string;
    readonly arch: "amd64" | "arm64";
    /** CockroachDB region name (`aws-us-east-1`). */
    readonly crdbRegion: string;
    /** Zone as the cloud names it (`us-east-1a`). */
    readonly zone: string;
    readonly nodeIndex: number;
    readonly publicIp: string;
    readonly privateIp: string;
    readonly join: readonly string[];
    readonly dataDevices: readonly string[];
    readonly store: SecretStore;
    /** The region's secret name (AWS) or id (GCP) of a role: `node-0`, `root`, `app`, `license`. */
    readonly secretName: (role: string) => string;
    readonly cache?: string;
    readonly maxSqlMemory?: string;
    /** Set on the init node: whether a licence secret exists, the app user, the backup bucket URI. */
    readonly init?: { readonly license: boolean; readonly appUser: string; readonly bucketUri: string };
    readonly crossCloud?: CrossCloudAccess;
}

/** The boot spec of one node, the same way on both clouds. Pure. */
export function nodeBootSpec(n: NodeBootInput): BootSpec {
    return {
        cloud: n.cloud,
        clusterName: n.environment,
        version: n.version,
        arch: n.arch,
        crdbRegion: n.crdbRegion,
        locality: localityOf(n.cloud, n.crdbRegion, n.zone),
        publicIp: n.publicIp,
        privateIp: n.privateIp,
        join: n.join,
        dataDevices: n.dataDevices,
        store: n.store,
        nodeSecret: n.secretName(`node-${n.nodeIndex}`),
        cache: n.cache,
        maxSqlMemory: n.maxSqlMemory,
        init: n.init && {
            rootSecret: n.secretName("root"),
            licenseSecret: n.init.license ? n.secretName("license") : undefined,
            appSecret: n.secretName("app"),
            appUser: n.init.appUser,
            markerUri: `${n.init.bucketUri}/cluster/initialized`,
        },
        crossCloud: n.crossCloud,
    };
}

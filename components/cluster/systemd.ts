/**
 * How systemd runs a node: the flags of `cockroach start` and the unit files (the node, the daily
 * certificate refresh, the token refresh of GCP nodes writing to S3, the one-shot cluster init).
 */
import { NODE_PATHS, validateBootSpec, type BootSpec } from "./bootSpec";
import { CONSOLE_PORT, COCKROACH_PORT } from "./ports";

/**
 * `--max-offset`: 250 ms, as CockroachDB recommends for multi-region clusters because GLOBAL
 * tables' writes wait it out (https://www.cockroachlabs.com/docs/stable/global-tables).
 */
export const MAX_CLOCK_OFFSET_MS = 250;

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
        `--max-offset=${MAX_CLOCK_OFFSET_MS}ms`,
        `--cache=${spec.cache ?? ".25"}`,
        `--max-sql-memory=${spec.maxSqlMemory ?? ".25"}`,
    ];
}

/** Unit files; `%` in ExecStart is a systemd specifier, so `--cache=25%` is written `25%%`. */
export function systemdUnits(spec: BootSpec): Record<string, string> {
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

import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { fitName, gcpServiceAccountId } from "../naming";
import { APP_CREDENTIALS_ENV } from "../args";
import { type AppSpec, type OriginOutput } from "../types";
import { tierContext } from "../context";
import { serviceAgent, type GcpContext, type GcpRegion } from "./context";
import type { GcpRegionKey, GcpStoredSecret } from "./data";
import type { GcpNetwork } from "./network";

/** Arguments of `GcpAppTier`. */
export interface GcpAppTierArgs {
    /** The region: names, plan, labels, project. */
    readonly region: GcpRegion;
    /** The region's network: Direct VPC egress into its app subnet. */
    readonly network: GcpNetwork;
    /** Container image, port, health path, size and scaling. */
    readonly app: AppSpec;
    /** Plain environment from `appEnvironment`. */
    readonly environment: Record<string, string>;
    /** The app's credentials (`DATABASE_CREDENTIALS`). */
    readonly credentials: GcpStoredSecret;
    /** The region key: CMEK of the deployed image (Artifact Registry images). */
    readonly regionKey: GcpRegionKey;
    /** Deletion protection on the Cloud Run service. Default true. */
    readonly deletionProtection?: boolean;
}

/**
 * The app tier: a Cloud Run service in the region with its own service account (reads only the app
 * credentials), Direct VPC egress into the app subnet for private addresses (the SQL endpoint),
 * CMEK with the region key. Cloudflare reaches it at its `*.run.app` host over HTTPS.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class GcpAppTier extends pulumi.ComponentResource {
    /** Public HTTPS origin for the Cloudflare pool. */
    readonly origin: pulumi.Output<OriginOutput>;

    constructor(name: string, args: GcpAppTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:GcpAppTier", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        this.origin = appService(ctx, args);
        this.registerOutputs({ origin: this.origin });
    }
}

/** The service account, its grants, the Cloud Run service and its public invoker; returns the origin. */
function appService(ctx: GcpContext, input: GcpAppTierArgs): pulumi.Output<OriginOutput> {
    const { name, plan, prefix, child, environment } = ctx;
    const { app, network } = input;

    const serviceAccount = new gcp.serviceaccount.Account(
        `${name}-app-sa`,
        {
            accountId: gcpServiceAccountId(environment, "app", plan.catalog.slot),
            displayName: `App tier of ${plan.name}`,
            description: `${prefix}: Cloud Run service identity`,
        },
        child,
    );
    const readsCredentials = new gcp.secretmanager.SecretIamMember(
        `${name}-app-reads-app`,
        {
            secretId: input.credentials.secret.id,
            role: "roles/secretmanager.secretAccessor",
            member: pulumi.interpolate`serviceAccount:${serviceAccount.email}`,
        },
        child,
    );
    // Cloud Run keeps the deployed image encrypted with the key as its service agent. A disabled key
    // stops new instances from starting.
    const runKeyGrant = new gcp.kms.CryptoKeyIAMMember(
        `${name}-key-run`,
        {
            cryptoKeyId: input.regionKey.key.id,
            role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            member: serviceAgent(ctx, "serverless-robot-prod.iam.gserviceaccount.com"),
        },
        child,
    );

    const probe = { httpGet: { path: app.healthPath, port: app.port }, periodSeconds: PROBE_PERIOD_SECONDS, timeoutSeconds: 3 };
    const service = new gcp.cloudrunv2.Service(
        `${name}-app`,
        {
            name: fitName(`${prefix}-app`, 49),
            location: plan.region,
            description: `App tier of ${plan.name}`,
            // Cloudflare must reach the service. Restricting it to Cloudflare's ranges would take an
            // external load balancer with Cloud Armor, which this template does not add.
            ingress: "INGRESS_TRAFFIC_ALL",
            deletionProtection: input.deletionProtection ?? true,
            template: {
                serviceAccount: serviceAccount.email,
                // CMEK on Cloud Run encrypts the deployed image, which Google documents for Artifact
                // Registry images; others keep Google-managed encryption rather than fail to deploy.
                encryptionKey: onArtifactRegistry(app.image) ? input.regionKey.key.id : undefined,
                scaling: { minInstanceCount: app.minInstances, maxInstanceCount: app.maxInstances },
                vpcAccess: {
                    networkInterfaces: [{ network: network.network.id, subnetwork: network.appSubnet.id }],
                    // All traffic through the VPC: the SQL endpoint's name is in a private Cloud DNS
                    // zone of this network, and internet egress leaves through the region's Cloud NAT.
                    egress: "ALL_TRAFFIC",
                },
                containers: [
                    {
                        image: app.image,
                        ports: { containerPort: app.port },
                        resources: { limits: { cpu: String(app.cpu), memory: `${app.memory}Mi` } },
                        startupProbe: { ...probe, failureThreshold: startupFailureThreshold(PROBE_PERIOD_SECONDS) },
                        livenessProbe: { ...probe, failureThreshold: 3 },
                        envs: [
                            ...Object.entries(input.environment).map(([envName, value]) => ({ name: envName, value })),
                            {
                                name: APP_CREDENTIALS_ENV,
                                valueSource: { secretKeyRef: { secret: input.credentials.secret.secretId, version: "latest" } },
                            },
                        ],
                    },
                ],
            },
        },
        // A revision resolves "latest" when it is created: the version must exist by then.
        { ...child, dependsOn: [readsCredentials, runKeyGrant, input.credentials.version] },
    );
    // A public origin, like the AWS ALB. An IAM binding rather than `invokerIamDisabled`, so the
    // exposure shows in IAM like every other grant (an org policy restricting member domains blocks it).
    new gcp.cloudrunv2.ServiceIamMember(
        `${name}-app-public`,
        { name: service.name, location: plan.region, role: "roles/run.invoker", member: "allUsers" },
        child,
    );

    return service.uri.apply((uri) => {
        const host = new URL(uri).host;
        return { address: host, hostHeader: host, port: 443 };
    });
}

/** Seconds between health probes of the app container. */
export const PROBE_PERIOD_SECONDS = 10;

/**
 * Longest startup window Cloud Run accepts: `failureThreshold x periodSeconds` "cannot exceed 240
 * seconds" for a service's startup probe (cloud.google.com/run/docs/configuring/healthchecks, HTTP
 * startup probe; the default TCP startup probe is 240 s x 1). A longer window is rejected at deploy.
 */
export const CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS = 240;

/** The most startup probe failures that keep `threshold x periodSeconds` within Cloud Run's limit. */
export function startupFailureThreshold(periodSeconds: number): number {
    if (!Number.isInteger(periodSeconds) || periodSeconds < 1 || periodSeconds > CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS)
        throw new Error(
            `Cloud Run startup probe period ${periodSeconds} s: use a whole number of seconds from 1 to ${CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS}.`,
        );
    return Math.floor(CLOUD_RUN_STARTUP_PROBE_MAX_SECONDS / periodSeconds);
}

/** Whether an image is on Artifact Registry (`<location>-docker.pkg.dev/...`). */
export function onArtifactRegistry(image: string): boolean {
    return /^[a-z0-9-]+-docker\.pkg\.dev\//.test(image);
}

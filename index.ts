/**
 * Composition root: config -> topology -> per-region providers and node addresses -> cluster
 * certificates -> one regional stack per region -> the database and the Cloudflare load balancer.
 * Decisions live in components/ (pure functions); this file only wires them together.
 */
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import {
    BackupAccess,
    ClusterCertificates,
    crossCloudBackupRoleArn,
    federationAudience,
    federationPoolId,
    joinList,
} from "./components/cluster";
import { assertSafeUpdate } from "./components/changes";
import { APP_USER, ClusterDatabase, databaseSpec, loadMigrations } from "./components/cockroach";
import { at, entry } from "./components/collections";
import { loadSecrets } from "./components/config";
import { loadConfig } from "./components/validate";
import { projectDir } from "./components/project";
import { clusterProviders, regionProvider } from "./components/providers";
import { AwsRegionalStack, GcpRegionalStack, type RegionalStackArgs } from "./components/regional";
import { NodeAddresses } from "./components/regional/addresses";
import { DEPLOYMENT_SUFFIX_BYTES, sqlHostname } from "./components/regional/naming";
import { planTopology } from "./components/topology";
import { GlobalLoadBalancer, OriginCertificates, originTlsSummary } from "./components/traffic";
import { appFor } from "./components/waves";

// Everything that can be wrong with the config fails here, before any resource is registered.
const config = loadConfig();
const topology = planTopology(config);
// The migrations and deployed/<stack>.json of the project folder, as pulumi preview runs the program.
const root = projectDir();
const migrations = loadMigrations(config, root, topology);
// Unsafe changes and mixed waves against deployed/<stack>.json, also before any resource.
assertSafeUpdate(root, pulumi.getStack(), config, migrations);
const secrets = loadSecrets();

const tlsProvider = new tls.Provider("tls");
const randomProvider = new random.Provider("random");
// Token from `pulumi config set --secret backend:cloudflareApiToken`, else CLOUDFLARE_API_TOKEN.
const cloudflareProvider = new cloudflare.Provider(
    "cloudflare",
    secrets.cloudflareApiToken ? { apiToken: secrets.cloudflareApiToken } : {},
);

// First pass: every node's static public address, so certificates, join lists and firewalls can
// name the nodes of all regions without one regional stack depending on another.
const regions = topology.regions.map((plan) => {
    const provider = regionProvider(config, plan);
    const addresses = new NodeAddresses(`${plan.name}-addresses`, { environment: config.environment, plan }, { provider });
    return { plan, provider, addresses };
});
const clusterPublicIps = pulumi.all(regions.map((r) => r.addresses.publicIps)).apply((ips) => ips.flat());
const join = pulumi.all(regions.map((r) => r.addresses.publicIps.apply((publicIps) => ({ name: r.plan.name, publicIps })))).apply(joinList);
const certificates = new ClusterCertificates(
    "cluster",
    {
        appUser: APP_USER,
        regions: regions.map(({ plan, addresses }) => ({
            name: plan.name,
            sqlEndpointIps: plan.sqlEndpointIps,
            sqlHost: sqlHostname(config.environment, plan.name),
            nodes: plan.nodes.map((n, i) => ({
                index: n.index,
                privateIp: n.privateIp,
                publicIp: at(addresses.addresses, i, `node addresses of ${plan.name}`).publicIp,
            })),
        })),
    },
    { providers: [tlsProvider, randomProvider] },
);
// Backups: every node must reach every region's bucket (any node may coordinate a backup job).
// Across clouds that is keyless federation, whose names are known before the regional stacks.
const { aws: awsProvider, gcp: gcpProvider } = clusterProviders(config, topology.regions);
const awsCaller = awsProvider && aws.getCallerIdentityOutput({}, { provider: awsProvider });
const gcpProject = gcpProvider && gcp.organizations.getProjectOutput({ projectId: config.gcpProject }, { provider: gcpProvider });
// The pool's id carries a suffix of this deployment: GCP keeps a deleted pool's id for 30 days.
const federationPoolIdOutput =
    awsCaller && gcpProject
        ? new random.RandomId("federation-suffix", { byteLength: DEPLOYMENT_SUFFIX_BYTES }, { provider: randomProvider }).hex.apply((s) =>
              federationPoolId(config.environment, s),
          )
        : undefined;
const crossCloudBackups =
    awsCaller && gcpProject && federationPoolIdOutput
        ? {
              gcsAudience: pulumi.all([gcpProject.number, federationPoolIdOutput]).apply(([n, pool]) => federationAudience(n, pool)),
              s3RoleArn: pulumi
                  .all([awsCaller.arn, awsCaller.accountId])
                  .apply(([arn, account]) => crossCloudBackupRoleArn(arn, account, config.environment)),
              s3StsRegion: regions.find((r) => r.plan.cloud === "aws")!.plan.region,
          }
        : undefined;

// The ALBs' publicly trusted certificates (one per AWS region, one validation record in the zone):
// Cloudflare's health monitor validates origin certificates against public CAs.
const awsRegions = regions.filter((r) => r.plan.cloud === "aws");
const originCertificates =
    awsRegions.length > 0
        ? new OriginCertificates(
              "origin",
              {
                  zoneId: config.cloudflare.zoneId,
                  hostname: config.cloudflare.hostname,
                  regions: awsRegions.map(({ plan, provider }) => ({ name: plan.name, provider })),
              },
              { provider: cloudflareProvider },
          )
        : undefined;

const placed = regions.map(({ plan, provider, addresses }) => {
    const args: RegionalStackArgs = {
        environment: config.environment,
        plan,
        // The region's image: the canary's when it is in backend:app.canary (components/waves).
        app: appFor(config.app, plan.name),
        cockroach: { ...config.cockroach, machineType: config.cockroach.machineType[plan.cloud] },
        addresses: addresses.addresses,
        cluster: {
            clusterPublicIps,
            join,
            caCertPem: certificates.caCertPem,
            nodeCertificates: entry(certificates.nodes, plan.name, "node certificates"),
            appClient: certificates.app,
            appPassword: certificates.appPassword,
            init: plan.primary ? { rootClient: certificates.root, licenseKey: secrets.cockroachLicenseKey } : undefined,
            crossCloudBackups,
        },
        gcpProject: config.gcpProject,
        databaseName: config.database.name,
        appUser: APP_USER,
        hostname: config.cloudflare.hostname,
        originTls:
            originCertificates && plan.cloud === "aws"
                ? { certificateArn: entry(originCertificates.certificateArns, plan.name, "origin certificates") }
                : undefined,
        backupRetentionDays: config.database.backupRetentionDays,
        natGateways: config.network.natGateways,
        deletionProtection: config.deletionProtection,
    };
    const opts = { provider, providers: [randomProvider] };
    const stack = plan.cloud === "aws" ? new AwsRegionalStack(plan.name, args, opts) : new GcpRegionalStack(plan.name, args, opts);
    return { plan, stack };
});
const stacks = placed.map((p) => p.stack);
new BackupAccess(
    "backups",
    {
        environment: config.environment,
        poolId: federationPoolIdOutput,
        aws: awsCaller && {
            accountId: awsCaller.accountId,
            partition: awsCaller.arn.apply((arn) => at(arn.split(":"), 1, `partition of the caller ARN ${arn}`)),
            regions: placed.flatMap(({ plan, stack }) =>
                stack instanceof AwsRegionalStack
                    ? [{ crdbRegion: plan.name, region: plan.region, nodeRoleName: stack.nodeRoleName, bucketName: stack.backupBucketName }]
                    : [],
            ),
        },
        gcp: gcpProject && {
            project: config.gcpProject!,
            projectNumber: gcpProject.number,
            regions: placed.flatMap(({ plan, stack }) =>
                stack instanceof GcpRegionalStack
                    ? [
                          {
                              crdbRegion: plan.name,
                              serviceAccountEmail: stack.nodeServiceAccountEmail,
                              serviceAccountUniqueId: stack.nodeServiceAccountUniqueId,
                              bucketName: stack.backupBucketName,
                          },
                      ]
                    : [],
            ),
        },
    },
    { providers: [...(awsProvider ? [awsProvider] : []), ...(gcpProvider ? [gcpProvider] : [])] },
);

const backupUrls = pulumi
    .all(stacks.map((s) => s.backupBucketUrl.apply((url) => [s.crdbRegion, url] as const)))
    .apply((urls) => Object.fromEntries(urls));
const primary = regions.find((r) => r.plan.primary)!;
const database = config.database.manage
    ? new ClusterDatabase(
          "database",
          {
              spec: backupUrls.apply((urls) => databaseSpec(config, topology, migrations, urls)),
              connection: {
                  host: at(primary.addresses.addresses, 0, "primary region node addresses").publicIp,
                  caCert: certificates.caCertPem,
                  clientCert: certificates.root.certPem,
                  clientKey: certificates.root.keyPem,
              },
          },
          { dependsOn: stacks },
      )
    : undefined;

const loadBalancer = new GlobalLoadBalancer(
    "traffic",
    {
        accountId: config.cloudflare.accountId,
        zoneId: config.cloudflare.zoneId,
        hostname: config.cloudflare.hostname,
        plan: config.cloudflare.plan,
        steeringPolicy: config.cloudflare.steeringPolicy,
        sessionAffinity: config.cloudflare.sessionAffinity,
        sessionAffinityHeaders: config.cloudflare.sessionAffinityHeaders,
        healthPath: config.app.healthPath,
        monitor: config.cloudflare.monitor,
        failover: config.cloudflare.failover,
        poolNamePrefix: config.environment,
        domains: config.domains,
        origins: placed.map(({ plan, stack }) => ({
            region: plan.name,
            domain: plan.domain,
            address: stack.origin.address,
            hostHeader: stack.origin.hostHeader,
            port: 443,
            latitude: plan.catalog.latitude,
            longitude: plan.catalog.longitude,
            cloudflareRegion: plan.catalog.cloudflareRegion,
        })),
    },
    { provider: cloudflareProvider },
);

export const environment = config.environment;
export const primaryRegion = topology.primary;
export const hostname = loadBalancer.hostname;
export const caCertificate = certificates.caCertPem;
export const regionOutputs = placed.map(({ plan, stack }) => ({
    name: plan.name,
    cloud: plan.cloud,
    domain: plan.domain,
    cidr: plan.cidr,
    zones: stack.zones,
    origin: stack.origin,
    healthPath: stack.healthPath,
    nodes: stack.nodes,
    sqlEndpoint: stack.sqlEndpoint,
    backupBucketUrl: stack.backupBucketUrl,
}));
export const databaseRegions = database?.regions;
/** Which certificate each origin serves and why the health monitor (validation on) trusts it. */
export const originTls = originTlsSummary(
    topology.regions.map((p) => ({ name: p.name, cloud: p.cloud })),
    config.cloudflare.hostname,
);

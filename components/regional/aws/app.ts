import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsLoadBalancerName, awsSecurityGroupName, fitName } from "../naming";
import { APP_CREDENTIALS_ENV } from "../args";
import { type AppSpec, type OriginOutput, type OriginTls } from "../types";
import { tierContext } from "../context";
import type { AwsContext, AwsRegion } from "./context";
import { awsAccessLogBucket, type AwsStoredSecret } from "./data";
import type { AwsNetwork } from "./network";
import { albIngress, SG_DESCRIPTIONS } from "./securityGroups";

/** TLS 1.2+ with forward secrecy only; Cloudflare negotiates TLS 1.3 with origins that offer it. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/** Arguments of `AwsAppTier`. */
export interface AwsAppTierArgs {
    /** The region: names, plan, tags, account. */
    readonly region: AwsRegion;
    /** The region's network: the ALB in its public subnets, the tasks in its private ones. */
    readonly network: AwsNetwork;
    /** Container image, port, health path, size and scaling. */
    readonly app: AppSpec;
    /** Secret with the app's database credentials (JSON), injected as `DATABASE_CREDENTIALS`. */
    readonly credentials: AwsStoredSecret;
    /** Plain environment (`appEnvironment`). */
    readonly environment: pulumi.Input<Record<string, string>>;
    /** ARN of the region key (app logs, the credentials secret). */
    readonly keyArn: pulumi.Input<string>;
    /** Suffix of this deployment in the access-log bucket's name (`deploymentSuffix(name, "data")`). */
    readonly dataSuffix: pulumi.Input<string>;
    /** `Host` header (and SNI) Cloudflare sends: the name the certificate covers. */
    readonly hostname: pulumi.Input<string>;
    /** The validated ACM certificate for `hostname` in this region. */
    readonly originTls: OriginTls;
    /** Deletion protection on the ALB. Default true. */
    readonly deletionProtection?: boolean;
}

/**
 * The app tier on AWS: an ECS Fargate service in the private subnets behind a public ALB whose only
 * listener is HTTPS on 443, reachable only from Cloudflare's published ranges, with access logs in
 * an in-region bucket. The service scales between min and max instances on CPU. Its security group
 * (`securityGroup`) is the source the SQL endpoint admits: Fargate tasks have no fixed addresses.
 *
 * A child of the regional stack (`opts.parent`); its resources keep the region's names.
 */
export class AwsAppTier extends pulumi.ComponentResource {
    /** The tasks' security group. */
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** Public HTTPS origin for the Cloudflare pool. */
    readonly origin: pulumi.Output<OriginOutput>;

    constructor(name: string, args: AwsAppTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:regional:AwsAppTier", name, {}, opts);
        const ctx = tierContext(args.region, this, opts);
        this.securityGroup = appSecurityGroup(ctx, args.network);
        this.origin = appService(ctx, args, this.securityGroup);
        this.registerOutputs({ origin: this.origin });
    }
}

/** The app tasks' security group. Ingress is added by `appService` (from the ALB only). */
function appSecurityGroup(ctx: AwsContext, network: AwsNetwork): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        `${ctx.name}-app-sg`,
        {
            name: awsSecurityGroupName(ctx.environment, ctx.plan.name, "app"),
            description: SG_DESCRIPTIONS.appGroup(ctx.plan.name),
            vpcId: network.vpc.id,
            // Egress is open: tasks pull images from any registry and call AWS APIs; the database
            // side restricts 26257 to this group.
            egress: [{ description: SG_DESCRIPTIONS.appEgress(), protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            revokeRulesOnDelete: true,
            tags: { Name: `${ctx.prefix}-app` },
        },
        ctx.child,
    );
}

/** The ALB, its logs, the ECS service and its scaling; returns the origin. */
function appService(ctx: AwsContext, input: AwsAppTierArgs, appSecurityGroup: aws.ec2.SecurityGroup): pulumi.Output<OriginOutput> {
    const { name, plan, prefix, child } = ctx;
    const { network, app } = input;
    const deletionProtection = input.deletionProtection ?? true;

    const albSg = new aws.ec2.SecurityGroup(
        `${name}-alb-sg`,
        {
            name: awsSecurityGroupName(ctx.environment, plan.name, "alb"),
            description: SG_DESCRIPTIONS.albGroup(plan.name),
            vpcId: network.vpc.id,
            ingress: albIngress(),
            egress: [
                {
                    description: SG_DESCRIPTIONS.albEgress(),
                    protocol: "tcp",
                    fromPort: app.port,
                    toPort: app.port,
                    cidrBlocks: [plan.cidr],
                },
            ],
            revokeRulesOnDelete: true,
            tags: { Name: `${prefix}-alb` },
        },
        child,
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-app-from-alb`,
        {
            securityGroupId: appSecurityGroup.id,
            description: SG_DESCRIPTIONS.appFromAlb(),
            ipProtocol: "tcp",
            fromPort: app.port,
            toPort: app.port,
            referencedSecurityGroupId: albSg.id,
        },
        child,
    );

    const logs = awsAccessLogBucket(ctx, input.dataSuffix);
    const alb = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            name: awsLoadBalancerName(ctx.environment, plan.name, "app"),
            internal: false,
            loadBalancerType: "application",
            subnets: network.publicSubnets.map((s) => s.id),
            securityGroups: [albSg.id],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: deletionProtection,
            accessLogs: { bucket: logs.bucket.bucket, prefix: "alb", enabled: true },
            tags: { Name: `${prefix}-app` },
        },
        { ...child, dependsOn: [logs.policy] },
    );
    const hostHeader = pulumi.output(input.hostname);

    const targets = new aws.lb.TargetGroup(
        `${name}-app`,
        {
            name: fitName(`${prefix}-app`, 32),
            port: app.port,
            protocol: "HTTP",
            targetType: "ip",
            vpcId: network.vpc.id,
            deregistrationDelay: 30,
            healthCheck: { path: app.healthPath, matcher: "200-399", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
            tags: { Name: `${prefix}-app` },
        },
        child,
    );
    // HTTPS only: Cloudflare reaches origins over TLS in Full (strict); there is no port 80 listener.
    // The one (default) certificate is the validated ACM certificate for the hostname, so every
    // handshake gets it, whatever SNI it sends; the listener waits for its validation.
    const listener = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: alb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: ALB_SSL_POLICY,
            certificateArn: input.originTls.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
        },
        child,
    );

    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-app-logs`,
        { name: `/ecs/${prefix}-app`, retentionInDays: 30, kmsKeyId: input.keyArn },
        child,
    );
    const assume = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    // The execution role pulls the image, writes logs and reads only this region's app secret.
    const executionRole = new aws.iam.Role(
        `${name}-app-execution`,
        { name: fitName(`${prefix}-app-execution`, 64), assumeRolePolicy: assume },
        child,
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-app-execution`,
        {
            role: executionRole.name,
            policyArn: ctx.partition.apply((p) => `arn:${p}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`),
        },
        child,
    );
    new aws.iam.RolePolicy(
        `${name}-app-execution-secret`,
        {
            role: executionRole.id,
            policy: pulumi.all([input.credentials.secret.arn, input.keyArn]).apply(([secretArn, keyArn]) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "AppCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
                        { Sid: "RegionKey", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
                    ],
                }),
            ),
        },
        child,
    );
    // The task itself gets no AWS permissions: the app needs only its database.
    const taskRole = new aws.iam.Role(`${name}-app-task`, { name: fitName(`${prefix}-app-task`, 64), assumeRolePolicy: assume }, child);

    const containerDefinitions = pulumi
        .all([input.environment, input.credentials.secret.arn, logGroup.name])
        .apply(([env, secretArn, group]) =>
            JSON.stringify([
                {
                    name: "app",
                    image: app.image,
                    essential: true,
                    portMappings: [{ containerPort: app.port, protocol: "tcp" }],
                    environment: Object.entries(env)
                        .sort(([a], [b]) => a.localeCompare(b))
                        .map(([n, value]) => ({ name: n, value })),
                    secrets: [{ name: APP_CREDENTIALS_ENV, valueFrom: secretArn }],
                    logConfiguration: {
                        logDriver: "awslogs",
                        options: { "awslogs-group": group, "awslogs-region": plan.region, "awslogs-stream-prefix": "app" },
                    },
                },
            ]),
        );
    const taskDefinition = new aws.ecs.TaskDefinition(
        `${name}-app`,
        {
            family: `${prefix}-app`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(app.cpu * 1024),
            memory: String(app.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            containerDefinitions,
        },
        child,
    );
    const cluster = new aws.ecs.Cluster(
        `${name}-app`,
        { name: `${prefix}-app`, settings: [{ name: "containerInsights", value: "enabled" }] },
        child,
    );
    const service = new aws.ecs.Service(
        `${name}-app`,
        {
            name: `${prefix}-app`,
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            launchType: "FARGATE",
            desiredCount: app.minInstances,
            networkConfiguration: {
                subnets: network.privateSubnets.map((s) => s.id),
                securityGroups: [appSecurityGroup.id],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: targets.arn, containerName: "app", containerPort: app.port }],
            healthCheckGracePeriodSeconds: 60,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
        },
        // Autoscaling owns the running count after the first deployment.
        { ...child, dependsOn: [listener, input.credentials.version], ignoreChanges: ["desiredCount"] },
    );
    const scaling = new aws.appautoscaling.Target(
        `${name}-app`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity: app.minInstances,
            maxCapacity: app.maxInstances,
        },
        child,
    );
    new aws.appautoscaling.Policy(
        `${name}-app-cpu`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: scaling.serviceNamespace,
            scalableDimension: scaling.scalableDimension,
            resourceId: scaling.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                targetValue: 60,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                scaleInCooldown: 120,
                scaleOutCooldown: 60,
            },
        },
        child,
    );

    const origin = pulumi
        .all([alb.dnsName, hostHeader])
        .apply(([address, host]): OriginOutput => ({ address, hostHeader: host, port: 443 }));
    return origin;
}

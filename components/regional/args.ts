import type { Cloud } from "../catalog-types";
import { COCKROACH_PORT } from "../cluster/ports";
import { sqlHostname } from "./naming";
import type { RegionalStackArgs } from "./types";

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

/**
 * Typed pack config. Each policy's settings arrive through `--policy-pack-config` (or the offline
 * plan's `configure` call) and are validated by the engine against the policy's `configSchema`;
 * `getConfig()` returns `{}` when nothing is set, so the defaults live here as well.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { COCKROACH_PORT, CONSOLE_PORT } from "../../components/cluster/ports";
import { WIDEST_SOURCE_PREFIX } from "../../components/cluster/firewall";

/** Ports the admin-ingress rule guards: SQL/RPC, DB Console, SSH. */
export const ADMIN_PORTS = [22, CONSOLE_PORT, COCKROACH_PORT];

export interface IngressConfig {
    readonly ports: readonly number[];
    readonly widestIpv4Prefix: number;
    readonly widestIpv6Prefix: number;
}

export const ingressSchema: PolicyConfigSchema = {
    properties: {
        ports: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, default: ADMIN_PORTS },
        widestIpv4Prefix: { type: "integer", minimum: 0, maximum: 32, default: WIDEST_SOURCE_PREFIX.ipv4 },
        widestIpv6Prefix: { type: "integer", minimum: 0, maximum: 128, default: WIDEST_SOURCE_PREFIX.ipv6 },
    },
};

export function ingressConfig(raw: Record<string, unknown>): IngressConfig {
    return {
        ports: Array.isArray(raw.ports) ? (raw.ports as number[]) : ADMIN_PORTS,
        widestIpv4Prefix: typeof raw.widestIpv4Prefix === "number" ? raw.widestIpv4Prefix : WIDEST_SOURCE_PREFIX.ipv4,
        widestIpv6Prefix: typeof raw.widestIpv6Prefix === "number" ? raw.widestIpv6Prefix : WIDEST_SOURCE_PREFIX.ipv6,
    };
}

/**
 * Registries the template's images may come from: the ones both ECS and Cloud Run pull from
 * (Docker Hub, Artifact Registry, Container Registry; cloud.google.com/run/docs/deploying#images)
 * and ECR. `*` stands for one or more characters other than `/`. Artifact Registry hosts are
 * `<location>-docker.pkg.dev` (cloud.google.com/artifact-registry/docs/docker/names).
 */
export const DEFAULT_REGISTRIES = ["docker.io", "index.docker.io", "*-docker.pkg.dev", "gcr.io", "*.gcr.io", "*.dkr.ecr.*.amazonaws.com"];

export const registrySchema: PolicyConfigSchema = {
    properties: { allowedRegistries: { type: "array", items: { type: "string" }, default: DEFAULT_REGISTRIES } },
};

export function allowedRegistries(raw: Record<string, unknown>): readonly string[] {
    return Array.isArray(raw.allowedRegistries) ? (raw.allowedRegistries as string[]) : DEFAULT_REGISTRIES;
}

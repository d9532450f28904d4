/**
 * Config keys of deployability: how many NAT gateways an AWS region gets, and the quotas an account
 * has had raised. Schemas only (components/config.ts adds them to the environment's schema).
 */
import { z } from "zod";
import { NAT_GATEWAY_MODES } from "../regional/aws/routing";
import { AWS_QUOTAS } from "./quotas";

/** `backend:network`. */
export const networkSchema = z
    .strictObject({
        /**
         * `single` (default): one NAT gateway per AWS region; `perZone`: one per zone. See
         * components/regional/aws/routing.ts for the Elastic IP and availability trade-off.
         */
        natGateways: z
            .enum(NAT_GATEWAY_MODES, { message: `must be ${NAT_GATEWAY_MODES.map((m) => `'${m}'`).join(" or ")}` })
            .default("single"),
    })
    .default({ natGateways: "single" });

/** Keys of `backend:quotas`: the AWS quotas config checks an environment against. */
export const CHECKED_AWS_QUOTAS = ["elasticIps", "inboundRulesPerSecurityGroup", "routesPerRouteTable", "roleTrustPolicyLength"] as const;
export type CheckedAwsQuota = (typeof CHECKED_AWS_QUOTAS)[number] & keyof typeof AWS_QUOTAS;

/**
 * `backend:quotas`: values of quotas this account has had raised (Service Quotas), by key. Absent
 * keys mean the default of a new account (components/deployability/quotas.ts).
 */
export const quotasSchema = z
    .strictObject(
        Object.fromEntries(CHECKED_AWS_QUOTAS.map((k) => [k, z.int().min(1).optional()])) as Record<
            CheckedAwsQuota,
            z.ZodOptional<z.ZodInt>
        >,
    )
    .default({});

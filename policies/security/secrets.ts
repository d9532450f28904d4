import type { ResourceValidationPolicy } from "@pulumi/policy";
import { json } from "../lib/facts";
import { violation } from "../lib/message";

/** Names of variables that hold credentials. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|CREDENTIALS?|LICEN[CS]E_?KEY)/i;
/** Text that is a credential whatever its name: PEM private keys, URLs with a password. */
const SECRET_TEXT = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/i, /--license-key=\S/, /AKIA[0-9A-Z]{16}/];

const secretText = (s: string) => SECRET_TEXT.find((re) => re.test(s));
/** The offline plan and the engine mark secret inputs; a marked value is not clear text. */
const isMarkedSecret = (v: unknown) => v === "[secret]";

/** `[name, value]` pairs of plain environment variables and the texts the resource stores in clear. */
function clearValues(type: string, p: Record<string, unknown>): { env: [string, unknown][]; texts: [string, string][] } {
    switch (type) {
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const defs = (json(p.containerDefinitions) ?? []) as { name?: string; environment?: { name: string; value: unknown }[] }[];
            return { env: defs.flatMap((d) => (d.environment ?? []).map((e) => [e.name, e.value] as [string, unknown])), texts: [] };
        }
        case "gcp:cloudrunv2/service:Service": {
            const containers = ((p.template as { containers?: unknown[] } | undefined)?.containers ?? []) as {
                envs?: { name: string; value?: unknown }[];
            }[];
            return {
                env: containers.flatMap((c) =>
                    (c.envs ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value] as [string, unknown]),
                ),
                texts: [],
            };
        }
        case "aws:ec2/instance:Instance":
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { env: [], texts: typeof p.userData === "string" ? [["userData", p.userData]] : [] };
        case "gcp:compute/instance:Instance": {
            const md = (p.metadata ?? {}) as Record<string, unknown>;
            return {
                env: [],
                texts: [...Object.entries(md), ["metadataStartupScript", p.metadataStartupScript]].filter(
                    (e): e is [string, string] => typeof e[1] === "string",
                ),
            };
        }
    }
    return { env: [], texts: [] };
}

/**
 * No credential in clear text in task definitions, environment variables or instance metadata:
 * they go to the region's secret store and are read at run time (ECS `secrets`, Cloud Run
 * `valueSource.secretKeyRef`, the node boot script's secret fetch).
 */
export const securityNoClearTextSecrets: ResourceValidationPolicy = {
    name: "security-no-clear-text-secrets",
    description: "No secret in clear text in task definitions, environment variables or instance metadata.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const { env, texts } = clearValues(args.type, args.props);
        for (const [name, value] of env) {
            if (isMarkedSecret(value)) continue;
            const text = typeof value === "string" ? value : JSON.stringify(value);
            if (SECRET_NAME.test(name) || secretText(text ?? ""))
                report(
                    violation(
                        args,
                        `sets environment variable ${name} in clear text`,
                        "store it in the region's secret store and reference it (ECS secrets / Cloud Run valueSource.secretKeyRef)",
                    ),
                );
        }
        for (const [key, text] of texts) {
            const hit = secretText(text);
            if (hit)
                report(
                    violation(
                        args,
                        `has credential-like text in ${key} (matches ${hit.source})`,
                        "fetch it from the region's secret store at boot instead of embedding it",
                    ),
                );
        }
    },
};

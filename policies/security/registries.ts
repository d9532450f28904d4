import type { ResourceValidationPolicy } from "@pulumi/policy";
import { allowedRegistries, registrySchema } from "../lib/config";
import { json } from "../lib/facts";
import { violation } from "../lib/message";

/** Registry host of an OCI reference; Docker Hub when the first segment is not a host. */
export function registryOf(image: string): string {
    const [first = ""] = image.split("/");
    return image.includes("/") && (/[.:]/.test(first) || first === "localhost") ? first : "docker.io";
}

const matches = (host: string, pattern: string) =>
    new RegExp(
        `^${pattern
            .split("*")
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join("[^/]+")}$`,
    ).test(host);

function images(type: string, p: Record<string, unknown>): string[] {
    if (type === "aws:ecs/taskDefinition:TaskDefinition")
        return ((json(p.containerDefinitions) ?? []) as { image?: string }[]).flatMap((c) =>
            typeof c.image === "string" ? [c.image] : [],
        );
    if (type === "gcp:cloudrunv2/service:Service")
        return (((p.template as { containers?: { image?: string }[] } | undefined)?.containers ?? []) as { image?: string }[]).flatMap(
            (c) => (typeof c.image === "string" ? [c.image] : []),
        );
    return [];
}

/** Container images come only from the registries the pack's config allows. */
export const securityImageRegistries: ResourceValidationPolicy = {
    name: "security-image-registries",
    description: "Container images come only from the allowed registries.",
    enforcementLevel: "mandatory",
    configSchema: registrySchema,
    validateResource: (args, report) => {
        const allowed = allowedRegistries(args.getConfig<Record<string, unknown>>());
        for (const image of images(args.type, args.props)) {
            const host = registryOf(image);
            if (!allowed.some((a) => matches(host, a)))
                report(
                    violation(
                        args,
                        `runs image ${image} from registry ${host}, which is not allowed (${allowed.join(", ")})`,
                        "push the image to an allowed registry, or add the registry to allowedRegistries in the pack config",
                    ),
                );
        }
    },
};

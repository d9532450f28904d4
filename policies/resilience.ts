import type { ResourceValidationPolicy } from "@pulumi/policy";
import { catalogOf } from "./lib/facts";
import { DATABASE_TYPE, specOf } from "./lib/domains";
import { violation } from "./lib/message";

/** REGION survival inside a domain needs 3 regions of that domain (CockroachDB super region rule). */
export const resilienceRegionSurvival: ResourceValidationPolicy = {
    name: "resilience-region-survival",
    description: "A domain under REGION survival has at least 3 regions.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type !== DATABASE_TYPE) return;
        const spec = specOf(args);
        if (spec?.survivalGoal !== "region") return;
        for (const d of spec.domains ?? [])
            if (d.regions.length > 0 && d.regions.length < 3)
                report(
                    violation(
                        args,
                        `domain ${d.name} has ${d.regions.length} region(s) under REGION survival; its data cannot survive losing one of them`,
                        `give domain ${d.name} at least 3 regions`,
                    ),
                );
    },
};

/** A domain on a single cloud goes down with that cloud's outage. */
export const resilienceMultiCloud: ResourceValidationPolicy = {
    name: "resilience-multi-cloud",
    description: "A domain on one cloud only does not survive that cloud's outage.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type !== DATABASE_TYPE) return;
        for (const d of specOf(args)?.domains ?? []) {
            const clouds = new Set(d.regions.map((r) => catalogOf(r)?.cloud ?? r.split("-")[0]));
            if (d.regions.length > 0 && clouds.size === 1)
                report(
                    violation(
                        args,
                        `domain ${d.name} runs on ${[...clouds][0]} only, so it does not survive an outage of that cloud`,
                        `add a region of the other cloud to domain ${d.name}`,
                    ),
                );
        }
    },
};

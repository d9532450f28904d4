import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlacementInput } from "../../components/cockroach/placement";
import { residencyReport } from "../../components/cockroach/residency";
import { DATABASE_TYPE, specOf } from "../lib/domains";
import { violation } from "../lib/message";

/**
 * The database resource's spec (what its statements are generated from) keeps residency: every
 * residency table is REGIONAL BY ROW, each home rule sends a country's rows to a region of that
 * country's domain, each domain has one super region holding exactly its regions, and the
 * placement model (components/cockroach/placement.ts, the CockroachDB line the template installs)
 * puts no replica of a domain's rows outside the domain.
 */
export const residencyDatabase: ResourceValidationPolicy = {
    name: "residency-database",
    description:
        "Residency tables are REGIONAL BY ROW homed in-domain, one super region per domain with exactly its regions, no replica outside its domain.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== DATABASE_TYPE) return;
        const spec = specOf(args);
        if (!spec?.domains) return;
        const domainOfCountry = new Map<string, (typeof spec.domains)[number]>();
        for (const d of spec.domains) for (const c of d.countries) domainOfCountry.set(c, d);
        for (const t of spec.tables ?? [])
            if (t.residency && t.locality !== "residency")
                report(
                    violation(
                        args,
                        `table ${t.name} holds residency-scoped rows but has locality ${t.locality.toUpperCase()}, which keeps copies outside their domain`,
                        `set its locality to residency (REGIONAL BY ROW) in backend:database.tables`,
                    ),
                );
        for (const rule of spec.homeRules ?? [])
            for (const c of rule.countries) {
                const d = domainOfCountry.get(c);
                if (d && !d.regions.includes(rule.region))
                    report(
                        violation(
                            args,
                            `homes rows of ${c} (domain ${d.name}) in ${rule.region}, outside the domain`,
                            `home ${c} in a region of domain ${d.name} (${d.regions.join(", ")})`,
                        ),
                    );
            }
        for (const d of spec.domains) {
            if (d.regions.length === 0) continue;
            const mine = (spec.superRegions ?? []).filter((s) => s.domain === d.name || s.name === d.name);
            const want = [...d.regions].sort().join(",");
            const [only] = mine;
            if (mine.length !== 1 || !only)
                report(
                    violation(
                        args,
                        `domain ${d.name} has ${mine.length} super regions`,
                        `declare exactly one super region for domain ${d.name} with regions ${want}`,
                    ),
                );
            else if ([...only.regions].sort().join(",") !== want)
                report(
                    violation(
                        args,
                        `super region ${only.name} holds ${[...only.regions].sort().join(",")}, not exactly domain ${d.name}'s regions ${want}`,
                        `make the super region hold exactly ${want}`,
                    ),
                );
        }
        try {
            for (const v of residencyReport(spec as unknown as PlacementInput))
                report(
                    violation(
                        args,
                        `placement model: ${v.message}`,
                        "pin the table's replicas to its domain (REGIONAL BY ROW with a super region per domain)",
                    ),
                );
        } catch (e) {
            report(violation(args, `placement model could not run on the spec: ${(e as Error).message}`, "fix the database spec"));
        }
    },
};

/** The plan's text section for the waves: which image each region runs and in which wave. */
import Table from "cli-table3";
import type { WavePlan } from "./model";

export function renderWaves(plan: WavePlan): string {
    const head = plan.canary
        ? `Waves: canary ${plan.canary.image} in ${plan.canary.regions.join(", ")} (wave 1); the rest keep ${plan.current} until promotion (wave 2)`
        : `Waves: every region runs ${plan.current} (no canary)`;
    const table = new Table({
        head: ["region", "cloud", "domain", "wave", "image", "on promotion"],
        style: { compact: true, head: [], border: [] },
    });
    for (const r of plan.regions) table.push([r.region, r.cloud, r.domain, r.wave, r.image, r.onPromotion ?? ""]);
    return [head, table.toString(), ...plan.notes.map((n) => `Note: ${n}`)].join("\n");
}

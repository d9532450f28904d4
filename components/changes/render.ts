/** The plan's text section for the update against the deployed record. */
import type { ChangeReport } from "./check";

export function renderChanges(report: ChangeReport): string {
    if (!report.record) return "Changes: no deployed record (deployed/<stack>.json): planned as a first deployment.";
    const lines = [`Changes against ${report.record.file} (recorded ${report.record.recordedAt}):`];
    for (const r of report.addedRegions) lines.push(`  adds region ${r}`);
    for (const u of report.unsafe) {
        lines.push(`  ${u.acknowledged ? "acknowledged" : "REFUSED"}: ${u.summary} (${u.ackKey})`);
        for (const m of u.dataMoves) lines.push(`    ${m}`);
        lines.push(`    drills: ${u.drills}`);
    }
    for (const c of report.wave) lines.push(`  wave: ${c.region} ${c.from} -> ${c.to}`);
    for (const s of report.schemaSteps) lines.push(`  schema: ${s.key}: ${s.what}`);
    if (lines.length === 1) lines.push("  none");
    return lines.join("\n");
}

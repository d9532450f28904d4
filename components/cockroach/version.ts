/**
 * CockroachDB releases the template accepts: only the release lines whose multi-region placement
 * rules the placement model implements (components/cockroach/placement.ts), so the residency
 * report describes what the installed nodes really do. No runtime imports: config.ts loads this.
 *
 * Why not others (sources in placement.ts):
 * - before 22.1: no super regions, which residency domains rely on;
 * - 22.1 up to 25.1: no implicit super region for three regions under REGION survival
 *   (cockroach#142838, first in 25.1.x patches), and super region constraints changed
 *   (cockroach#150413);
 * - 25.2 and 25.3: not checked against the model's logic tests;
 * - 26.1 and later: 26.2 spreads super region replicas with `distributeReplicasAcrossRegions`
 *   (cockroach#164285, #165113), which the model does not implement.
 */
export const MODELED_COCKROACH_LINES = ["25.4"] as const;

/** `MAJOR.MINOR` of a `MAJOR.MINOR.PATCH` release. */
export function releaseLine(version: string): string {
    return version.split(".").slice(0, 2).join(".");
}

/**
 * Why a CockroachDB release is not accepted, or undefined when its line is modelled. Expects the
 * `MAJOR.MINOR.PATCH` shape (config's schema checks it first).
 */
export function unmodelledVersionMessage(version: string): string | undefined {
    const line = releaseLine(version);
    if ((MODELED_COCKROACH_LINES as readonly string[]).includes(line)) return undefined;
    // NaN (no comparison holds) if the shape were wrong, as a missing part.
    const [major = NaN, minor = NaN] = line.split(".").map(Number);
    const why =
        major < 22 || (major === 22 && minor < 1)
            ? "has no super regions (added in 22.1), which keep each residency domain's replicas inside it"
            : `is a release line whose placement rules the template's model does not implement`;
    const lines = MODELED_COCKROACH_LINES.map((l) => `${l}.x`).join(", ");
    return `CockroachDB ${version} ${why}; the placement model (components/cockroach/placement.ts) implements ${lines} only, so use a ${lines} release such as ${MODELED_COCKROACH_LINES[0]}.2.`;
}

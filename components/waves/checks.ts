/**
 * Checks of `backend:app.canary` against the regions: named regions of this environment, listed
 * once, a new image, not every region (that is a promotion), pullable by Cloud Run when a canary
 * region is on GCP. Reports through `add`; components/validate composes it.
 */
import { cloudRunCanPull, crdbRegionName, keyOf, type Add, type Parsed } from "../config";

export function waveChecks(c: Pick<Partial<Parsed>, "app" | "regions">, add: Add): void {
    const canary = c.app?.canary;
    if (!c.app || !canary || !c.regions) return;
    const names = c.regions.map((r) => crdbRegionName(r.cloud, r.region));
    const seen = new Set<string>();
    canary.regions.forEach((region, i) => {
        if (!names.includes(region))
            add(
                ["app", "canary", "regions", i],
                `"${region}" is not a region of this environment; use CockroachDB region names from ${keyOf(["regions"])}: ${names.map((n) => `"${n}"`).join(", ")}.`,
            );
        else if (seen.has(region)) add(["app", "canary", "regions", i], `"${region}" is listed twice; list each canary region once.`);
        seen.add(region);
    });
    if (canary.image === c.app.image)
        add(
            ["app", "canary", "image"],
            `"${canary.image}" is the current image (${keyOf(["app", "image"])}); a canary runs a new image: set the new one here, or remove ${keyOf(["app", "canary"])}.`,
        );
    if (names.length > 0 && names.every((n) => seen.has(n)))
        add(
            ["app", "canary", "regions"],
            `covers every region (${names.join(", ")}), which leaves no region on the current image: that is a promotion, not a canary. Set ${keyOf(["app", "image"])} to "${canary.image}" and remove ${keyOf(["app", "canary"])}.`,
        );
    const gcpCanary = c.regions.some((r) => r.cloud === "gcp" && seen.has(crdbRegionName(r.cloud, r.region)));
    if (gcpCanary && !cloudRunCanPull(canary.image))
        add(
            ["app", "canary", "image"],
            `"${canary.image}" is on a registry Cloud Run cannot pull from, and a canary region is on GCP; push the image to Artifact Registry (<region>-docker.pkg.dev/...) or Docker Hub (docker.io/...), both of which ECS pulls from too.`,
        );
}

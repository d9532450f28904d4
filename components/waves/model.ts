/**
 * Region waves: which app image each region runs. `backend:app.image` is the current image;
 * `backend:app.canary` gives a set of regions a new image (wave 1) while every other region keeps
 * the current one and its pool keeps serving (wave 2, reached by promotion: `app.image` becomes the
 * canary image and `app.canary` goes). Pure: the regional stacks get `appFor(...)` per region.
 */
import type { Parsed, StackConfig } from "../config";
import type { AppSpec } from "../regional/types";

type App = Parsed["app"];

/** The image `region` (CockroachDB name) runs: the canary image when it is in the canary, else the current one. */
export function regionImage(app: Pick<App, "image" | "canary">, region: string): string {
    return app.canary?.regions.includes(region) ? app.canary.image : app.image;
}

/** The app spec of one region: `backend:app` with that region's image and without the wave keys. */
export function appFor(app: App, region: string): AppSpec {
    return {
        image: regionImage(app, region),
        port: app.port,
        healthPath: app.healthPath,
        cpu: app.cpu,
        memory: app.memory,
        minInstances: app.minInstances,
        maxInstances: app.maxInstances,
    };
}

/** One region's place in the waves. */
export interface RegionWave {
    /** CockroachDB region name. */
    readonly region: string;
    readonly cloud: string;
    readonly domain: string;
    /** Image the region runs with this config. */
    readonly image: string;
    /** 1: the canary (runs the new image now); 2: the rest (gets it on promotion). Without a canary, every region is wave 1. */
    readonly wave: 1 | 2;
    /** Image the region gets on promotion; null when promotion changes nothing for it. */
    readonly onPromotion: string | null;
}

/** The plan document's `waves` section. */
export interface WavePlan {
    /** `backend:app.image`. */
    readonly current: string;
    /** `backend:app.canary`, or null when every region runs the current image. */
    readonly canary: { readonly image: string; readonly regions: readonly string[] } | null;
    readonly regions: readonly RegionWave[];
    /** What to know about this wave (e.g. a pinned domain wholly in the canary). */
    readonly notes: readonly string[];
}

/** Which image each region runs and in which wave. Pure. */
export function wavePlan(config: Pick<StackConfig, "app" | "regions" | "domains">): WavePlan {
    const canary = config.app.canary ?? null;
    const regions = config.regions.map((r): RegionWave => {
        const inCanary = canary?.regions.includes(r.crdbRegion) ?? false;
        return {
            region: r.crdbRegion,
            cloud: r.cloud,
            domain: r.domain,
            image: regionImage(config.app, r.crdbRegion),
            wave: canary && !inCanary ? 2 : 1,
            onPromotion: canary && !inCanary ? canary.image : null,
        };
    });
    return {
        current: config.app.image,
        canary: canary && { image: canary.image, regions: [...canary.regions] },
        regions,
        notes: waveNotes(config),
    };
}

/**
 * A pinned domain whose every region is in the canary has no pool left on the current image, and
 * its pin fails closed (its users are never sent to another domain's pools): a canary that starts
 * but serves errors reaches all of that domain's users. Accepted (a one-region domain can only be
 * waved whole), and said.
 */
function waveNotes(config: Pick<StackConfig, "app" | "regions" | "domains">): string[] {
    const canary = config.app.canary;
    if (!canary) return [];
    return config.domains
        .filter((d) => d.pinRouting)
        .filter((d) => {
            const members = config.regions.filter((r) => r.domain === d.name);
            return members.length > 0 && members.every((r) => canary.regions.includes(r.crdbRegion));
        })
        .map(
            (d) =>
                `domain ${d.name} is pinned and every one of its regions is in the canary: its users have no pool on ${config.app.image} to fall back to, so a canary that passes its health check but fails requests reaches all of them. Keep one of its regions out of the canary to limit that, or watch the domain closely.`,
        );
}

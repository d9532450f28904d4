/** Region waves: per-region app images from `backend:app.canary`, their checks and the plan section. */
export { appFor, regionImage, wavePlan, type RegionWave, type WavePlan } from "./model";
export { waveChecks } from "./checks";
export { renderWaves } from "./render";

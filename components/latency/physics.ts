/**
 * Round trips from distances: the physical floor and the modelled figure.
 *
 * - Light in fibre travels at about c / 1.47, 204,000 km/s, so a round trip over a great-circle
 *   distance d takes 2d / 204,000 s: about 1 ms per 100 km of distance (0.0098 ms/km; rounded to
 *   0.01 here). That is the floor no route can beat (REFERENCE.md "Physical floor for latency").
 * - Real paths are longer than the great circle and cross routers. Bozkurt et al., "Dissecting
 *   Latency in the Internet's Fiber Infrastructure" (arXiv:1811.10737, 2018): "Previous measurement
 *   campaigns suggest the following rule of thumb for estimating Internet latency: multiply
 *   line-of-sight distance by 2.1, then divide by the speed of light in fiber." ROUTE_FACTOR uses
 *   that 2.1. It is pessimistic for long cloud-backbone paths (us-east-1 to eu-west-1 measures
 *   about 80 ms against a 53 ms floor, a factor of 1.5, REFERENCE.md) and close for short ones
 *   (Frankfurt to Dublin, 1,090 km: 23 ms modelled). The same paper finds 1.3 along the shortest
 *   fibre conduits: callers can pass another factor.
 * - Round trips inside one region (between its zones) are below 1 ms and count as 0.
 */
import { greatCircleKm } from "../topology";

/** Round-trip milliseconds per km of great-circle distance at the speed of light in fibre. */
export const MS_PER_KM_ROUND_TRIP = 0.01;

/** Route inflation over the great circle (Bozkurt et al. 2018, rule of thumb from measurements). */
export const ROUTE_FACTOR = 2.1;

export interface Point {
    readonly latitude: number;
    readonly longitude: number;
}

/** Great-circle km between two points. */
export function distanceKm(a: Point, b: Point): number {
    return greatCircleKm(a.latitude, a.longitude, b.latitude, b.longitude);
}

/** Modelled round trip in ms between two points: distance x 0.01 ms/km x route factor. */
export function roundTripMs(a: Point, b: Point, routeFactor: number = ROUTE_FACTOR): number {
    return distanceKm(a, b) * MS_PER_KM_ROUND_TRIP * routeFactor;
}

/** Physical floor in ms: the great circle at the speed of light in fibre (route factor 1). */
export function floorMs(a: Point, b: Point): number {
    return roundTripMs(a, b, 1);
}

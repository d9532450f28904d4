/**
 * Deployability checks: documented constraints and default quotas of the resource types the
 * program creates, run over the offline plan (scripts/plan.ts).
 */
import { CONSTRAINTS, COUNTS } from "./constraints";
import { checkPlan, type PlannedInput, type Violation } from "./engine";

export { CONSTRAINTS, COUNTS, RESOURCE_TYPES_WITHOUT_CONSTRAINTS } from "./constraints";
export { checkPlan, formatViolation, valuesAt, type Constraint, type CountRule, type PlannedInput, type Violation } from "./engine";
export { AWS_QUOTAS, type Quota } from "./quotas";

/** Every violation of the table and the quotas in a planned set of resources. */
export function deployabilityViolations(resources: readonly PlannedInput[]): Violation[] {
    return checkPlan(resources, CONSTRAINTS, COUNTS);
}

/**
 * Deployability checks: documented constraints and quotas (default, or raised in `backend:quotas`)
 * of the resource types the program creates, run over the offline plan (scripts/plan.ts).
 */
import { CONSTRAINTS, COUNTS } from "./constraints";
import { checkPlan, type PlannedInput, type RaisedQuotas, type Violation } from "./engine";

export { CONSTRAINTS, COUNTS, RESOURCE_TYPES_WITHOUT_CONSTRAINTS } from "./constraints";
export {
    checkPlan,
    effectiveLimit,
    formatViolation,
    valuesAt,
    type AwsQuotaKey,
    type Constraint,
    type CountRule,
    type PlannedInput,
    type RaisedQuotas,
    type Violation,
} from "./engine";
export { AWS_QUOTAS, type Quota } from "./quotas";

/**
 * Every violation of the table and the quotas in a planned set of resources. `raised`: the
 * config's `backend:quotas`, so the plan counts against the same limits config checks.
 */
export function deployabilityViolations(resources: readonly PlannedInput[], raised: RaisedQuotas = {}): Violation[] {
    return checkPlan(resources, CONSTRAINTS, COUNTS, raised);
}

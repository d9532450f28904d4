import { subject, type Res } from "./facts";

/** Every violation names the resource, the rule broken and the fix. */
export const violation = (r: Pick<Res, "type" | "name">, rule: string, fix: string): string => `${subject(r)}: ${rule}. Fix: ${fix}`;

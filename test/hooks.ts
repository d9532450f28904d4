/**
 * Root hook: Pulumi's mocks are process-global, so they are installed once here for every spec.
 * Specs create what they need with unique names and read what was registered from `recorded`.
 */
import { installMocks, projectName, RecordingMocks, settle } from "../scripts/offline";

export const mocks = new RecordingMocks();
/** Every resource registered in this test process, in registration order. */
export const recorded = mocks.resources;

/** Waits for all pending registrations, then returns those whose name starts with `prefix`. */
export async function registeredUnder(prefix: string) {
    await settle();
    return recorded.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
}

export const mochaHooks = {
    async beforeAll(this: unknown) {
        await installMocks(mocks, projectName(), "test");
    },
};

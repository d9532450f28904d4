/** Shapes the offline harness records and returns (no runtime code). */

/** A resource as the program registered it. Secret inputs read `[secret]`. */
export interface RecordedResource {
    readonly urn: string;
    /** The id the (mock) engine gave it, which other resources reference it by; null for components. */
    readonly id: string | null;
    readonly type: string;
    readonly name: string;
    /** URN of the parent, or null for the stack itself. */
    readonly parent: string | null;
    /** `urn::id` reference of the provider the resource uses, or null. */
    readonly provider: string | null;
    readonly custom: boolean;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependencies: readonly string[];
    readonly inputs: Record<string, unknown>;
    /** The `aliases` option as the engine receives it (RegisterResourceRequest `aliases`); empty when none. */
    readonly aliases: readonly AliasSpec[];
}

/**
 * One alias of a registration: an old URN, or the parts the engine fills in from the resource
 * (empty name/type/stack/project mean "the resource's own"; `parentUrn` or `noParent` replace its parent).
 */
export type AliasSpec =
    | { readonly urn: string }
    | {
          readonly name: string;
          readonly type: string;
          readonly stack: string;
          readonly project: string;
          readonly parentUrn: string;
          readonly noParent: boolean;
      };

/** Stack config in the form `pulumi.runtime.setAllConfig` takes, with the secret keys named. */
export interface StackFile {
    /** The project folder (Pulumi.yaml, the stack file, migrations, deployed/): the program runs in it. */
    readonly root: string;
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

/** Something a real `pulumi preview`/`up` would stop on, found while running the program offline. */
export interface RunFailure {
    /**
     * `registration`: a resource the program constructed never reached the engine, or the engine
     * refused it; `rejection`: a promise the program left rejected (a throwing `apply`, an invoke
     * the mocks do not model); `default-provider`: the engine would deny the default provider.
     */
    readonly kind: "registration" | "rejection" | "default-provider";
    /** The resource (`type::name`), invoke token, or `program`. */
    readonly subject: string;
    readonly message: string;
}

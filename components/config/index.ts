/**
 * The environment's configuration: schema and types, issues and errors, reading the stack. A leaf:
 * it imports no domain module. Validation across keys and domains is components/validate.
 */
export { domainChecks, primaryChecks, regionChecks, survivalChecks, appChecks, cloudRunCanPull, databaseTableChecks } from "./checks";
export { ConfigError, formatIssues, keyOf, NAMESPACE, type Add, type ConfigIssue } from "./issues";
export { clearTextSecretIssues, loadSecrets, readNamespace, SECRET_KEYS, stackConfig } from "./load";
export {
    configSchema,
    countrySet,
    crdbRegionName,
    domainCountries,
    parseKeys,
    stackConfigOf,
    type DomainConfig,
    type Parsed,
    type ParseResult,
    type RawConfig,
    type RegionConfig,
    type StackConfig,
} from "./schema";

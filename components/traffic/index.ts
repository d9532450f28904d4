export * from "./steering";
export { GlobalLoadBalancer, type GlobalLoadBalancerArgs, type LoadBalancerOrigin } from "./loadBalancer";
export {
    acmValidationRecord,
    OriginCertificates,
    originTlsSummary,
    type AcmValidationOption,
    type OriginCertificateRegion,
    type OriginCertificatesArgs,
    type OriginTlsSummary,
    type ValidationRecord,
} from "./originTls";

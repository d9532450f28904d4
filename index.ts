/**
 * Composition root: config -> topology -> one provider and one regional stack per region -> outputs.
 * Decisions live in components/ (pure functions); this file only wires them together.
 */
import { loadConfig } from "./components/config";
import { regionProvider } from "./components/providers";
import { AwsRegionalStack, GcpRegionalStack } from "./components/regional";
import { planTopology } from "./components/topology";

const config = loadConfig();
const topology = planTopology(config);

const stacks = topology.regions.map((plan) => {
    const provider = regionProvider(config, plan);
    const args = { environment: config.environment, plan };
    return plan.cloud === "aws" ? new AwsRegionalStack(plan.name, args, { provider }) : new GcpRegionalStack(plan.name, args, { provider });
});

export const environment = config.environment;
export const primaryRegion = topology.primary;
export const regions = stacks.map((s, i) => ({
    name: s.crdbRegion,
    domain: s.domain,
    cidr: topology.regions[i].cidr,
    networkId: s.networkId,
    zones: s.zones,
}));

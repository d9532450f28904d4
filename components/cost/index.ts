export {
    costModel,
    cpuOf,
    versionsInFirstYear,
    CATEGORIES,
    NOT_MODELLED,
    type Category,
    type CostConfig,
    type CostLine,
    type CostReport,
    type CostResource,
    type CostSummary,
    type UnknownCost,
} from "./model";
export { PRICE_TABLE_DATE, PRICES, priceOf, type PriceEntry, type PriceUnit } from "./prices";
export { DEFAULT_ASSUMPTIONS, assumptionLines, type UsageAssumptions } from "./assumptions";
export { renderCost } from "./render";

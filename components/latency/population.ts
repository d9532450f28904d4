/**
 * Population model of the latency estimate: how many people live in each country a shipped
 * domain serves, and the point their requests are modelled from. Figures are official estimates
 * for 2023/2024 (the date is on each entry); they weight the percentiles, so an error of a few
 * per cent moves no figure by more than a fraction of a millisecond.
 *
 * Sources (read 2026-12-01):
 * - EU27: Eurostat, population on 1 January 2024 (news release "EU population increases again in
 *   2024", 11 July 2024), as tabulated at wikimili.com/en/List_of_European_Union_member_states_by_population.
 *   Eurostat's EU total for that date is EU27_TOTAL_2024 below; the test checks the 27 add up to it.
 * - IS: UN World Population Prospects 2024, 1 July 2023 (danso.info/en/population-of-iceland/,
 *   citing WPP 2024; Statistics Iceland re-based its series in 2024 and published no 1 January
 *   2024 figure in the sources found).
 * - LI: Amt für Statistik Liechtenstein, permanent population on 31 December 2023 (definitive,
 *   statistikportal.li/de/themen/bevoelkerung/bevoelkerungsstand, 26.09.2024).
 * - NO: Statistics Norway, population at the beginning of 2024 (ssb.no/en/befolkning/statistikker/folkemengde).
 * - CH: Federal Statistical Office (STATPOP), permanent resident population on 1 January 2024
 *   (8,962.3 thousand at bfs.admin.ch/bfs/en/home/statistiken/bevoelkerung/migration-integration/nach-geburtsort.html;
 *   exact figure from the FSO series at dataseries.org/d/ch_fso_pop).
 * - GB: Office for National Statistics, mid-2023 estimate (ons.gov.uk, "Population estimates for
 *   England and Wales / UK: mid-2023", 68,265,209).
 * - US, MX, CA: UN World Population Prospects 2022, 1 July 2023 (en.wikipedia.org/wiki/
 *   List_of_North_American_countries_by_population, which reproduces the UN figures).
 *
 * Points: each country is modelled as one point, its capital from ../countries.ts (the same point
 * the topology homes the country's rows by), except where a population-weighted centre is
 * published: the US (Census Bureau, 2020 center of population near Hartville, Missouri,
 * census.gov/newsroom/press-kits/2021/2020-center-of-population.html). One point per country is
 * coarse: every resident of a country gets the same modelled latency.
 */

export interface CountryPopulation {
    /** ISO 3166-1 alpha-2. */
    readonly code: string;
    readonly population: number;
    /** Reference date of the figure (ISO). */
    readonly date: string;
    /** Short source key, see SOURCES. */
    readonly source: keyof typeof SOURCES;
    /** Population-weighted point when published; otherwise the capital (countries.ts) is used. */
    readonly point?: { readonly latitude: number; readonly longitude: number; readonly what: string };
}

export const SOURCES = {
    eurostat: "Eurostat, population on 1 January 2024 (news release 11 July 2024)",
    wpp2024: "UN World Population Prospects 2024, 1 July 2023",
    wpp2022: "UN World Population Prospects 2022, 1 July 2023",
    li: "Amt für Statistik Liechtenstein, 31 December 2023",
    ssb: "Statistics Norway, 1 January 2024",
    fso: "Swiss Federal Statistical Office (STATPOP), 1 January 2024",
    ons: "Office for National Statistics, mid-2023",
} as const;

/** Eurostat's EU27 total on 1 January 2024 (same release): the 27 entries below sum to within 400 of it (rounding of the published figures). */
export const EU27_TOTAL_2024 = 449_206_600;

// prettier-ignore
export const POPULATION: readonly CountryPopulation[] = [
    { code: "AT", population: 9_158_800, date: "2024-01-01", source: "eurostat" },
    { code: "BE", population: 11_832_000, date: "2024-01-01", source: "eurostat" },
    { code: "BG", population: 6_445_500, date: "2024-01-01", source: "eurostat" },
    { code: "CY", population: 933_500, date: "2024-01-01", source: "eurostat" },
    { code: "CZ", population: 10_900_600, date: "2024-01-01", source: "eurostat" },
    { code: "DE", population: 83_445_000, date: "2024-01-01", source: "eurostat" },
    { code: "DK", population: 5_961_200, date: "2024-01-01", source: "eurostat" },
    { code: "EE", population: 1_374_700, date: "2024-01-01", source: "eurostat" },
    { code: "ES", population: 48_610_500, date: "2024-01-01", source: "eurostat" },
    { code: "FI", population: 5_603_900, date: "2024-01-01", source: "eurostat" },
    { code: "FR", population: 68_402_000, date: "2024-01-01", source: "eurostat" },
    { code: "GR", population: 10_397_200, date: "2024-01-01", source: "eurostat" },
    { code: "HR", population: 3_862_000, date: "2024-01-01", source: "eurostat" },
    { code: "HU", population: 9_584_600, date: "2024-01-01", source: "eurostat" },
    { code: "IE", population: 5_343_800, date: "2024-01-01", source: "eurostat" },
    { code: "IT", population: 58_989_700, date: "2024-01-01", source: "eurostat" },
    { code: "LT", population: 2_885_900, date: "2024-01-01", source: "eurostat" },
    { code: "LU", population: 672_100, date: "2024-01-01", source: "eurostat" },
    { code: "LV", population: 1_871_900, date: "2024-01-01", source: "eurostat" },
    { code: "MT", population: 563_000, date: "2024-01-01", source: "eurostat" },
    { code: "NL", population: 17_942_900, date: "2024-01-01", source: "eurostat" },
    { code: "PL", population: 36_621_000, date: "2024-01-01", source: "eurostat" },
    { code: "PT", population: 10_639_700, date: "2024-01-01", source: "eurostat" },
    { code: "RO", population: 19_064_400, date: "2024-01-01", source: "eurostat" },
    { code: "SE", population: 10_551_700, date: "2024-01-01", source: "eurostat" },
    { code: "SI", population: 2_123_900, date: "2024-01-01", source: "eurostat" },
    { code: "SK", population: 5_424_700, date: "2024-01-01", source: "eurostat" },
    { code: "IS", population: 387_558, date: "2023-07-01", source: "wpp2024" },
    { code: "LI", population: 40_015, date: "2023-12-31", source: "li" },
    { code: "NO", population: 5_550_203, date: "2024-01-01", source: "ssb" },
    { code: "CH", population: 8_962_258, date: "2024-01-01", source: "fso" },
    { code: "GB", population: 68_265_209, date: "2023-06-30", source: "ons" },
    {
        code: "US", population: 339_996_564, date: "2023-07-01", source: "wpp2022",
        point: { latitude: 37.415725, longitude: -92.346525, what: "2020 center of population (Census Bureau), near Hartville, MO" },
    },
    { code: "MX", population: 128_455_567, date: "2023-07-01", source: "wpp2022" },
    { code: "CA", population: 38_781_292, date: "2023-07-01", source: "wpp2022" },
];

export const POPULATION_BY_CODE: ReadonlyMap<string, CountryPopulation> = new Map(POPULATION.map((p) => [p.code, p]));

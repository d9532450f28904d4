/**
 * Countries and territories (ISO 3166-1 alpha-2, all 249 assigned codes, plus XK for Kosovo, which
 * Cloudflare's geolocation returns) with the coordinates of their capital and the Cloudflare Load
 * Balancing region Cloudflare maps them to.
 *
 * Sources (checked while writing, 2026):
 * - Codes and short names: ISO 3166-1 (English short names, shortened where usual: "Bolivia",
 *   "Iran", "Czechia", ...).
 * - Capitals: the seat named as capital by each country's constitution or, for territories, the
 *   administrative centre (e.g. Sucre for BO, Dodoma for TZ, Gitega for BI, Naypyidaw for MM,
 *   Sri Jayawardenepura Kotte for LK, Ngerulmud for PW, Brades for MS, Ramallah (seat of the
 *   Palestinian Authority) for PS). Places with no capital use their main settlement or station:
 *   AQ McMurdo Station, BV and HM the island, TK Atafu, UM Wake Island, GS King Edward Point.
 *   Coordinates rounded to 2 decimals; cross-checked against the widely used "country-capitals"
 *   table (CountryName,CapitalName,CapitalLatitude,CapitalLongitude,...).
 * - Cloudflare regions: the 13 codes are documented at
 *   developers.cloudflare.com/load-balancing/reference/region-mapping-api/. The full
 *   country-to-region table is served only by the authenticated API
 *   (GET /accounts/{account_id}/load_balancers/regions); Cloudflare's docs do not print it. What
 *   the docs do show (the example answer of that endpoint) is WNAM = CA (AB, BC), HT, MX and US
 *   (AZ, CA, CO, HI, MN, MO, NV, OR, TX, UT, WA); those entries follow it. The other assignments
 *   are reconstructed by geography (UN M49 sub-regions split along Cloudflare's 13 regions) and
 *   must be checked against the live API before they are relied on. The least certain ones are
 *   marked "(unsure)" below: where Cloudflare puts Brazil (NSAM vs SSAM), Central America and
 *   the Caribbean, Finland, Greece/Cyprus/Türkiye, the Caucasus, Central Asia, and the line
 *   between NAF and SAF.
 * - US and CA are split by state/province in Cloudflare's mapping (WNAM/ENAM). The country-level
 *   entry here carries the region of the capital: US (Washington, DC) -> ENAM, CA (Ottawa,
 *   Ontario) -> ENAM. Use ./regions.ts for a cloud region's own WNAM/ENAM assignment.
 */
import type { Country } from "./catalog-types";

// prettier-ignore
export const COUNTRIES: readonly Country[] = [
    { code: "AD", name: "Andorra", latitude: 42.51, longitude: 1.52, cloudflareRegion: "WEU" },
    { code: "AE", name: "United Arab Emirates", latitude: 24.45, longitude: 54.38, cloudflareRegion: "ME" },
    { code: "AF", name: "Afghanistan", latitude: 34.56, longitude: 69.21, cloudflareRegion: "SAS" },
    { code: "AG", name: "Antigua and Barbuda", latitude: 17.13, longitude: -61.85, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "AI", name: "Anguilla", latitude: 18.22, longitude: -63.06, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "AL", name: "Albania", latitude: 41.33, longitude: 19.82, cloudflareRegion: "EEU" },
    { code: "AM", name: "Armenia", latitude: 40.18, longitude: 44.5, cloudflareRegion: "EEU" }, // Caucasus (unsure: ME?)
    { code: "AO", name: "Angola", latitude: -8.84, longitude: 13.23, cloudflareRegion: "SAF" },
    { code: "AQ", name: "Antarctica", latitude: -77.85, longitude: 166.67, cloudflareRegion: "OC" }, // McMurdo Station (unsure)
    { code: "AR", name: "Argentina", latitude: -34.6, longitude: -58.38, cloudflareRegion: "SSAM" },
    { code: "AS", name: "American Samoa", latitude: -14.28, longitude: -170.7, cloudflareRegion: "OC" },
    { code: "AT", name: "Austria", latitude: 48.21, longitude: 16.37, cloudflareRegion: "WEU" },
    { code: "AU", name: "Australia", latitude: -35.28, longitude: 149.13, cloudflareRegion: "OC" },
    { code: "AW", name: "Aruba", latitude: 12.51, longitude: -70.01, cloudflareRegion: "NSAM" }, // Caribbean (unsure)
    { code: "AX", name: "Åland Islands", latitude: 60.1, longitude: 19.93, cloudflareRegion: "WEU" }, // as FI (unsure)
    { code: "AZ", name: "Azerbaijan", latitude: 40.41, longitude: 49.87, cloudflareRegion: "EEU" }, // Caucasus (unsure: ME?)
    { code: "BA", name: "Bosnia and Herzegovina", latitude: 43.86, longitude: 18.41, cloudflareRegion: "EEU" },
    { code: "BB", name: "Barbados", latitude: 13.11, longitude: -59.61, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "BD", name: "Bangladesh", latitude: 23.81, longitude: 90.41, cloudflareRegion: "SAS" },
    { code: "BE", name: "Belgium", latitude: 50.85, longitude: 4.35, cloudflareRegion: "WEU" },
    { code: "BF", name: "Burkina Faso", latitude: 12.37, longitude: -1.52, cloudflareRegion: "NAF" },
    { code: "BG", name: "Bulgaria", latitude: 42.7, longitude: 23.32, cloudflareRegion: "EEU" },
    { code: "BH", name: "Bahrain", latitude: 26.23, longitude: 50.59, cloudflareRegion: "ME" },
    { code: "BI", name: "Burundi", latitude: -3.43, longitude: 29.92, cloudflareRegion: "SAF" },
    { code: "BJ", name: "Benin", latitude: 6.5, longitude: 2.63, cloudflareRegion: "NAF" },
    { code: "BL", name: "Saint Barthélemy", latitude: 17.9, longitude: -62.85, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "BM", name: "Bermuda", latitude: 32.29, longitude: -64.78, cloudflareRegion: "ENAM" },
    { code: "BN", name: "Brunei", latitude: 4.9, longitude: 114.94, cloudflareRegion: "SEAS" },
    { code: "BO", name: "Bolivia", latitude: -19.02, longitude: -65.26, cloudflareRegion: "SSAM" },
    { code: "BQ", name: "Bonaire, Sint Eustatius and Saba", latitude: 12.15, longitude: -68.27, cloudflareRegion: "NSAM" }, // Caribbean (unsure)
    { code: "BR", name: "Brazil", latitude: -15.79, longitude: -47.88, cloudflareRegion: "SSAM" }, // (unsure: NSAM?)
    { code: "BS", name: "Bahamas", latitude: 25.04, longitude: -77.35, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "BT", name: "Bhutan", latitude: 27.47, longitude: 89.64, cloudflareRegion: "SAS" },
    { code: "BV", name: "Bouvet Island", latitude: -54.42, longitude: 3.36, cloudflareRegion: "SAF" },
    { code: "BW", name: "Botswana", latitude: -24.63, longitude: 25.92, cloudflareRegion: "SAF" },
    { code: "BY", name: "Belarus", latitude: 53.9, longitude: 27.56, cloudflareRegion: "EEU" },
    { code: "BZ", name: "Belize", latitude: 17.25, longitude: -88.76, cloudflareRegion: "NSAM" }, // Central America (unsure)
    // Split by province in Cloudflare's mapping (AB, BC, ... WNAM; ON, QC, ... ENAM). Ottawa -> ENAM.
    { code: "CA", name: "Canada", latitude: 45.42, longitude: -75.7, cloudflareRegion: "ENAM" },
    { code: "CC", name: "Cocos (Keeling) Islands", latitude: -12.19, longitude: 96.83, cloudflareRegion: "OC" }, // (unsure: SEAS?)
    { code: "CD", name: "DR Congo", latitude: -4.44, longitude: 15.27, cloudflareRegion: "SAF" },
    { code: "CF", name: "Central African Republic", latitude: 4.39, longitude: 18.56, cloudflareRegion: "NAF" }, // (unsure)
    { code: "CG", name: "Congo", latitude: -4.26, longitude: 15.24, cloudflareRegion: "SAF" },
    { code: "CH", name: "Switzerland", latitude: 46.95, longitude: 7.45, cloudflareRegion: "WEU" },
    { code: "CI", name: "Côte d'Ivoire", latitude: 6.83, longitude: -5.29, cloudflareRegion: "NAF" },
    { code: "CK", name: "Cook Islands", latitude: -21.21, longitude: -159.78, cloudflareRegion: "OC" },
    { code: "CL", name: "Chile", latitude: -33.45, longitude: -70.67, cloudflareRegion: "SSAM" },
    { code: "CM", name: "Cameroon", latitude: 3.85, longitude: 11.5, cloudflareRegion: "NAF" }, // (unsure)
    { code: "CN", name: "China", latitude: 39.9, longitude: 116.41, cloudflareRegion: "NEAS" },
    { code: "CO", name: "Colombia", latitude: 4.71, longitude: -74.07, cloudflareRegion: "NSAM" },
    { code: "CR", name: "Costa Rica", latitude: 9.93, longitude: -84.09, cloudflareRegion: "NSAM" }, // Central America (unsure)
    { code: "CU", name: "Cuba", latitude: 23.11, longitude: -82.37, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "CV", name: "Cabo Verde", latitude: 14.93, longitude: -23.51, cloudflareRegion: "NAF" },
    { code: "CW", name: "Curaçao", latitude: 12.12, longitude: -68.88, cloudflareRegion: "NSAM" }, // Caribbean (unsure)
    { code: "CX", name: "Christmas Island", latitude: -10.42, longitude: 105.68, cloudflareRegion: "OC" }, // (unsure: SEAS?)
    { code: "CY", name: "Cyprus", latitude: 35.19, longitude: 33.38, cloudflareRegion: "EEU" }, // (unsure: ME?)
    { code: "CZ", name: "Czechia", latitude: 50.08, longitude: 14.44, cloudflareRegion: "EEU" },
    { code: "DE", name: "Germany", latitude: 52.52, longitude: 13.4, cloudflareRegion: "WEU" },
    { code: "DJ", name: "Djibouti", latitude: 11.59, longitude: 43.15, cloudflareRegion: "NAF" }, // (unsure: ME?)
    { code: "DK", name: "Denmark", latitude: 55.68, longitude: 12.57, cloudflareRegion: "WEU" },
    { code: "DM", name: "Dominica", latitude: 15.3, longitude: -61.39, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "DO", name: "Dominican Republic", latitude: 18.49, longitude: -69.93, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "DZ", name: "Algeria", latitude: 36.75, longitude: 3.06, cloudflareRegion: "NAF" },
    { code: "EC", name: "Ecuador", latitude: -0.18, longitude: -78.47, cloudflareRegion: "NSAM" },
    { code: "EE", name: "Estonia", latitude: 59.44, longitude: 24.75, cloudflareRegion: "EEU" },
    { code: "EG", name: "Egypt", latitude: 30.04, longitude: 31.24, cloudflareRegion: "NAF" }, // (unsure: ME?)
    { code: "EH", name: "Western Sahara", latitude: 27.15, longitude: -13.2, cloudflareRegion: "NAF" },
    { code: "ER", name: "Eritrea", latitude: 15.32, longitude: 38.93, cloudflareRegion: "NAF" },
    { code: "ES", name: "Spain", latitude: 40.42, longitude: -3.7, cloudflareRegion: "WEU" },
    { code: "ET", name: "Ethiopia", latitude: 8.98, longitude: 38.76, cloudflareRegion: "NAF" }, // (unsure: SAF?)
    { code: "FI", name: "Finland", latitude: 60.17, longitude: 24.94, cloudflareRegion: "WEU" }, // (unsure: EEU?)
    { code: "FJ", name: "Fiji", latitude: -18.14, longitude: 178.44, cloudflareRegion: "OC" },
    { code: "FK", name: "Falkland Islands", latitude: -51.7, longitude: -57.85, cloudflareRegion: "SSAM" },
    { code: "FM", name: "Micronesia", latitude: 6.92, longitude: 158.16, cloudflareRegion: "OC" },
    { code: "FO", name: "Faroe Islands", latitude: 62.01, longitude: -6.77, cloudflareRegion: "WEU" },
    { code: "FR", name: "France", latitude: 48.86, longitude: 2.35, cloudflareRegion: "WEU" },
    { code: "GA", name: "Gabon", latitude: 0.42, longitude: 9.47, cloudflareRegion: "SAF" }, // (unsure)
    { code: "GB", name: "United Kingdom", latitude: 51.51, longitude: -0.13, cloudflareRegion: "WEU" },
    { code: "GD", name: "Grenada", latitude: 12.06, longitude: -61.75, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "GE", name: "Georgia", latitude: 41.72, longitude: 44.83, cloudflareRegion: "EEU" }, // Caucasus (unsure: ME?)
    { code: "GF", name: "French Guiana", latitude: 4.94, longitude: -52.33, cloudflareRegion: "NSAM" },
    { code: "GG", name: "Guernsey", latitude: 49.46, longitude: -2.54, cloudflareRegion: "WEU" },
    { code: "GH", name: "Ghana", latitude: 5.6, longitude: -0.19, cloudflareRegion: "NAF" },
    { code: "GI", name: "Gibraltar", latitude: 36.14, longitude: -5.35, cloudflareRegion: "WEU" },
    { code: "GL", name: "Greenland", latitude: 64.18, longitude: -51.69, cloudflareRegion: "ENAM" }, // (unsure: WEU?)
    { code: "GM", name: "Gambia", latitude: 13.45, longitude: -16.58, cloudflareRegion: "NAF" },
    { code: "GN", name: "Guinea", latitude: 9.64, longitude: -13.58, cloudflareRegion: "NAF" },
    { code: "GP", name: "Guadeloupe", latitude: 16.0, longitude: -61.73, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "GQ", name: "Equatorial Guinea", latitude: 3.75, longitude: 8.74, cloudflareRegion: "NAF" }, // (unsure)
    { code: "GR", name: "Greece", latitude: 37.98, longitude: 23.73, cloudflareRegion: "EEU" }, // (unsure: WEU?)
    { code: "GS", name: "South Georgia and the South Sandwich Islands", latitude: -54.28, longitude: -36.49, cloudflareRegion: "SSAM" },
    { code: "GT", name: "Guatemala", latitude: 14.63, longitude: -90.51, cloudflareRegion: "NSAM" }, // Central America (unsure)
    { code: "GU", name: "Guam", latitude: 13.48, longitude: 144.75, cloudflareRegion: "OC" },
    { code: "GW", name: "Guinea-Bissau", latitude: 11.86, longitude: -15.6, cloudflareRegion: "NAF" },
    { code: "GY", name: "Guyana", latitude: 6.8, longitude: -58.16, cloudflareRegion: "NSAM" },
    { code: "HK", name: "Hong Kong", latitude: 22.32, longitude: 114.17, cloudflareRegion: "NEAS" },
    { code: "HM", name: "Heard Island and McDonald Islands", latitude: -53.08, longitude: 73.5, cloudflareRegion: "OC" },
    { code: "HN", name: "Honduras", latitude: 14.07, longitude: -87.19, cloudflareRegion: "NSAM" }, // Central America (unsure)
    { code: "HR", name: "Croatia", latitude: 45.82, longitude: 15.98, cloudflareRegion: "EEU" },
    { code: "HT", name: "Haiti", latitude: 18.59, longitude: -72.31, cloudflareRegion: "WNAM" }, // as in Cloudflare's documented example
    { code: "HU", name: "Hungary", latitude: 47.5, longitude: 19.04, cloudflareRegion: "EEU" },
    { code: "ID", name: "Indonesia", latitude: -6.21, longitude: 106.85, cloudflareRegion: "SEAS" },
    { code: "IE", name: "Ireland", latitude: 53.35, longitude: -6.26, cloudflareRegion: "WEU" },
    { code: "IL", name: "Israel", latitude: 31.77, longitude: 35.21, cloudflareRegion: "ME" },
    { code: "IM", name: "Isle of Man", latitude: 54.15, longitude: -4.48, cloudflareRegion: "WEU" },
    { code: "IN", name: "India", latitude: 28.61, longitude: 77.21, cloudflareRegion: "SAS" },
    { code: "IO", name: "British Indian Ocean Territory", latitude: -7.32, longitude: 72.42, cloudflareRegion: "SAS" },
    { code: "IQ", name: "Iraq", latitude: 33.32, longitude: 44.37, cloudflareRegion: "ME" },
    { code: "IR", name: "Iran", latitude: 35.69, longitude: 51.39, cloudflareRegion: "ME" },
    { code: "IS", name: "Iceland", latitude: 64.15, longitude: -21.94, cloudflareRegion: "WEU" },
    { code: "IT", name: "Italy", latitude: 41.9, longitude: 12.5, cloudflareRegion: "WEU" },
    { code: "JE", name: "Jersey", latitude: 49.19, longitude: -2.11, cloudflareRegion: "WEU" },
    { code: "JM", name: "Jamaica", latitude: 18.02, longitude: -76.81, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "JO", name: "Jordan", latitude: 31.95, longitude: 35.91, cloudflareRegion: "ME" },
    { code: "JP", name: "Japan", latitude: 35.68, longitude: 139.69, cloudflareRegion: "NEAS" },
    { code: "KE", name: "Kenya", latitude: -1.29, longitude: 36.82, cloudflareRegion: "SAF" },
    { code: "KG", name: "Kyrgyzstan", latitude: 42.87, longitude: 74.57, cloudflareRegion: "EEU" }, // Central Asia (unsure: SAS?)
    { code: "KH", name: "Cambodia", latitude: 11.56, longitude: 104.93, cloudflareRegion: "SEAS" },
    { code: "KI", name: "Kiribati", latitude: 1.33, longitude: 172.98, cloudflareRegion: "OC" },
    { code: "KM", name: "Comoros", latitude: -11.72, longitude: 43.25, cloudflareRegion: "SAF" },
    { code: "KN", name: "Saint Kitts and Nevis", latitude: 17.3, longitude: -62.72, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "KP", name: "North Korea", latitude: 39.04, longitude: 125.76, cloudflareRegion: "NEAS" },
    { code: "KR", name: "South Korea", latitude: 37.57, longitude: 126.98, cloudflareRegion: "NEAS" },
    { code: "KW", name: "Kuwait", latitude: 29.38, longitude: 47.98, cloudflareRegion: "ME" },
    { code: "KY", name: "Cayman Islands", latitude: 19.29, longitude: -81.37, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "KZ", name: "Kazakhstan", latitude: 51.17, longitude: 71.45, cloudflareRegion: "EEU" }, // Central Asia (unsure: SAS?)
    { code: "LA", name: "Laos", latitude: 17.98, longitude: 102.63, cloudflareRegion: "SEAS" },
    { code: "LB", name: "Lebanon", latitude: 33.89, longitude: 35.5, cloudflareRegion: "ME" },
    { code: "LC", name: "Saint Lucia", latitude: 14.01, longitude: -60.99, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "LI", name: "Liechtenstein", latitude: 47.14, longitude: 9.52, cloudflareRegion: "WEU" },
    { code: "LK", name: "Sri Lanka", latitude: 6.89, longitude: 79.92, cloudflareRegion: "SAS" },
    { code: "LR", name: "Liberia", latitude: 6.31, longitude: -10.8, cloudflareRegion: "NAF" },
    { code: "LS", name: "Lesotho", latitude: -29.32, longitude: 27.49, cloudflareRegion: "SAF" },
    { code: "LT", name: "Lithuania", latitude: 54.69, longitude: 25.28, cloudflareRegion: "EEU" },
    { code: "LU", name: "Luxembourg", latitude: 49.61, longitude: 6.13, cloudflareRegion: "WEU" },
    { code: "LV", name: "Latvia", latitude: 56.95, longitude: 24.11, cloudflareRegion: "EEU" },
    { code: "LY", name: "Libya", latitude: 32.89, longitude: 13.19, cloudflareRegion: "NAF" },
    { code: "MA", name: "Morocco", latitude: 34.02, longitude: -6.84, cloudflareRegion: "NAF" },
    { code: "MC", name: "Monaco", latitude: 43.74, longitude: 7.42, cloudflareRegion: "WEU" },
    { code: "MD", name: "Moldova", latitude: 47.01, longitude: 28.86, cloudflareRegion: "EEU" },
    { code: "ME", name: "Montenegro", latitude: 42.43, longitude: 19.26, cloudflareRegion: "EEU" },
    { code: "MF", name: "Saint Martin (French part)", latitude: 18.07, longitude: -63.08, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "MG", name: "Madagascar", latitude: -18.88, longitude: 47.51, cloudflareRegion: "SAF" },
    { code: "MH", name: "Marshall Islands", latitude: 7.09, longitude: 171.38, cloudflareRegion: "OC" },
    { code: "MK", name: "North Macedonia", latitude: 42.0, longitude: 21.43, cloudflareRegion: "EEU" },
    { code: "ML", name: "Mali", latitude: 12.64, longitude: -8.0, cloudflareRegion: "NAF" },
    { code: "MM", name: "Myanmar", latitude: 19.76, longitude: 96.08, cloudflareRegion: "SEAS" },
    { code: "MN", name: "Mongolia", latitude: 47.89, longitude: 106.91, cloudflareRegion: "NEAS" },
    { code: "MO", name: "Macao", latitude: 22.2, longitude: 113.54, cloudflareRegion: "NEAS" },
    { code: "MP", name: "Northern Mariana Islands", latitude: 15.18, longitude: 145.75, cloudflareRegion: "OC" },
    { code: "MQ", name: "Martinique", latitude: 14.6, longitude: -61.06, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "MR", name: "Mauritania", latitude: 18.07, longitude: -15.96, cloudflareRegion: "NAF" },
    { code: "MS", name: "Montserrat", latitude: 16.79, longitude: -62.21, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "MT", name: "Malta", latitude: 35.9, longitude: 14.51, cloudflareRegion: "WEU" },
    { code: "MU", name: "Mauritius", latitude: -20.16, longitude: 57.5, cloudflareRegion: "SAF" },
    { code: "MV", name: "Maldives", latitude: 4.18, longitude: 73.51, cloudflareRegion: "SAS" },
    { code: "MW", name: "Malawi", latitude: -13.96, longitude: 33.77, cloudflareRegion: "SAF" },
    { code: "MX", name: "Mexico", latitude: 19.43, longitude: -99.13, cloudflareRegion: "WNAM" }, // as in Cloudflare's documented example
    { code: "MY", name: "Malaysia", latitude: 3.14, longitude: 101.69, cloudflareRegion: "SEAS" },
    { code: "MZ", name: "Mozambique", latitude: -25.97, longitude: 32.57, cloudflareRegion: "SAF" },
    { code: "NA", name: "Namibia", latitude: -22.56, longitude: 17.07, cloudflareRegion: "SAF" },
    { code: "NC", name: "New Caledonia", latitude: -22.28, longitude: 166.46, cloudflareRegion: "OC" },
    { code: "NE", name: "Niger", latitude: 13.51, longitude: 2.13, cloudflareRegion: "NAF" },
    { code: "NF", name: "Norfolk Island", latitude: -29.06, longitude: 167.96, cloudflareRegion: "OC" },
    { code: "NG", name: "Nigeria", latitude: 9.08, longitude: 7.4, cloudflareRegion: "NAF" },
    { code: "NI", name: "Nicaragua", latitude: 12.11, longitude: -86.24, cloudflareRegion: "NSAM" }, // Central America (unsure)
    { code: "NL", name: "Netherlands", latitude: 52.37, longitude: 4.9, cloudflareRegion: "WEU" },
    { code: "NO", name: "Norway", latitude: 59.91, longitude: 10.75, cloudflareRegion: "WEU" },
    { code: "NP", name: "Nepal", latitude: 27.72, longitude: 85.32, cloudflareRegion: "SAS" },
    { code: "NR", name: "Nauru", latitude: -0.55, longitude: 166.92, cloudflareRegion: "OC" },
    { code: "NU", name: "Niue", latitude: -19.05, longitude: -169.92, cloudflareRegion: "OC" },
    { code: "NZ", name: "New Zealand", latitude: -41.29, longitude: 174.78, cloudflareRegion: "OC" },
    { code: "OM", name: "Oman", latitude: 23.59, longitude: 58.38, cloudflareRegion: "ME" },
    { code: "PA", name: "Panama", latitude: 8.98, longitude: -79.52, cloudflareRegion: "NSAM" }, // Central America (unsure)
    { code: "PE", name: "Peru", latitude: -12.05, longitude: -77.04, cloudflareRegion: "NSAM" },
    { code: "PF", name: "French Polynesia", latitude: -17.53, longitude: -149.57, cloudflareRegion: "OC" },
    { code: "PG", name: "Papua New Guinea", latitude: -9.44, longitude: 147.18, cloudflareRegion: "OC" },
    { code: "PH", name: "Philippines", latitude: 14.6, longitude: 120.98, cloudflareRegion: "SEAS" },
    { code: "PK", name: "Pakistan", latitude: 33.68, longitude: 73.05, cloudflareRegion: "SAS" },
    { code: "PL", name: "Poland", latitude: 52.23, longitude: 21.01, cloudflareRegion: "EEU" },
    { code: "PM", name: "Saint Pierre and Miquelon", latitude: 46.78, longitude: -56.18, cloudflareRegion: "ENAM" },
    { code: "PN", name: "Pitcairn Islands", latitude: -25.07, longitude: -130.1, cloudflareRegion: "OC" },
    { code: "PR", name: "Puerto Rico", latitude: 18.47, longitude: -66.11, cloudflareRegion: "ENAM" },
    { code: "PS", name: "Palestine", latitude: 31.9, longitude: 35.2, cloudflareRegion: "ME" },
    { code: "PT", name: "Portugal", latitude: 38.72, longitude: -9.14, cloudflareRegion: "WEU" },
    { code: "PW", name: "Palau", latitude: 7.5, longitude: 134.62, cloudflareRegion: "OC" },
    { code: "PY", name: "Paraguay", latitude: -25.26, longitude: -57.58, cloudflareRegion: "SSAM" },
    { code: "QA", name: "Qatar", latitude: 25.29, longitude: 51.53, cloudflareRegion: "ME" },
    { code: "RE", name: "Réunion", latitude: -20.88, longitude: 55.45, cloudflareRegion: "SAF" },
    { code: "RO", name: "Romania", latitude: 44.43, longitude: 26.1, cloudflareRegion: "EEU" },
    { code: "RS", name: "Serbia", latitude: 44.81, longitude: 20.46, cloudflareRegion: "EEU" },
    { code: "RU", name: "Russia", latitude: 55.76, longitude: 37.62, cloudflareRegion: "EEU" },
    { code: "RW", name: "Rwanda", latitude: -1.94, longitude: 30.06, cloudflareRegion: "SAF" },
    { code: "SA", name: "Saudi Arabia", latitude: 24.71, longitude: 46.68, cloudflareRegion: "ME" },
    { code: "SB", name: "Solomon Islands", latitude: -9.45, longitude: 159.97, cloudflareRegion: "OC" },
    { code: "SC", name: "Seychelles", latitude: -4.62, longitude: 55.45, cloudflareRegion: "SAF" },
    { code: "SD", name: "Sudan", latitude: 15.5, longitude: 32.56, cloudflareRegion: "NAF" },
    { code: "SE", name: "Sweden", latitude: 59.33, longitude: 18.07, cloudflareRegion: "WEU" },
    { code: "SG", name: "Singapore", latitude: 1.29, longitude: 103.85, cloudflareRegion: "SEAS" },
    { code: "SH", name: "Saint Helena, Ascension and Tristan da Cunha", latitude: -15.92, longitude: -5.72, cloudflareRegion: "SAF" }, // (unsure)
    { code: "SI", name: "Slovenia", latitude: 46.06, longitude: 14.51, cloudflareRegion: "EEU" },
    { code: "SJ", name: "Svalbard and Jan Mayen", latitude: 78.22, longitude: 15.63, cloudflareRegion: "WEU" },
    { code: "SK", name: "Slovakia", latitude: 48.15, longitude: 17.11, cloudflareRegion: "EEU" },
    { code: "SL", name: "Sierra Leone", latitude: 8.47, longitude: -13.23, cloudflareRegion: "NAF" },
    { code: "SM", name: "San Marino", latitude: 43.94, longitude: 12.45, cloudflareRegion: "WEU" },
    { code: "SN", name: "Senegal", latitude: 14.72, longitude: -17.47, cloudflareRegion: "NAF" },
    { code: "SO", name: "Somalia", latitude: 2.05, longitude: 45.32, cloudflareRegion: "NAF" }, // (unsure: SAF?)
    { code: "SR", name: "Suriname", latitude: 5.85, longitude: -55.2, cloudflareRegion: "NSAM" },
    { code: "SS", name: "South Sudan", latitude: 4.85, longitude: 31.58, cloudflareRegion: "SAF" }, // (unsure: NAF?)
    { code: "ST", name: "São Tomé and Príncipe", latitude: 0.34, longitude: 6.73, cloudflareRegion: "SAF" }, // (unsure)
    { code: "SV", name: "El Salvador", latitude: 13.69, longitude: -89.22, cloudflareRegion: "NSAM" }, // Central America (unsure)
    { code: "SX", name: "Sint Maarten", latitude: 18.03, longitude: -63.05, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "SY", name: "Syria", latitude: 33.51, longitude: 36.28, cloudflareRegion: "ME" },
    { code: "SZ", name: "Eswatini", latitude: -26.31, longitude: 31.14, cloudflareRegion: "SAF" },
    { code: "TC", name: "Turks and Caicos Islands", latitude: 21.46, longitude: -71.14, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "TD", name: "Chad", latitude: 12.13, longitude: 15.06, cloudflareRegion: "NAF" },
    { code: "TF", name: "French Southern Territories", latitude: -49.35, longitude: 70.22, cloudflareRegion: "SAF" },
    { code: "TG", name: "Togo", latitude: 6.13, longitude: 1.22, cloudflareRegion: "NAF" },
    { code: "TH", name: "Thailand", latitude: 13.76, longitude: 100.5, cloudflareRegion: "SEAS" },
    { code: "TJ", name: "Tajikistan", latitude: 38.56, longitude: 68.79, cloudflareRegion: "EEU" }, // Central Asia (unsure: SAS?)
    { code: "TK", name: "Tokelau", latitude: -8.55, longitude: -172.5, cloudflareRegion: "OC" },
    { code: "TL", name: "Timor-Leste", latitude: -8.56, longitude: 125.56, cloudflareRegion: "SEAS" },
    { code: "TM", name: "Turkmenistan", latitude: 37.96, longitude: 58.33, cloudflareRegion: "EEU" }, // Central Asia (unsure: SAS?)
    { code: "TN", name: "Tunisia", latitude: 36.81, longitude: 10.18, cloudflareRegion: "NAF" },
    { code: "TO", name: "Tonga", latitude: -21.14, longitude: -175.2, cloudflareRegion: "OC" },
    { code: "TR", name: "Türkiye", latitude: 39.93, longitude: 32.86, cloudflareRegion: "EEU" }, // (unsure: ME?)
    { code: "TT", name: "Trinidad and Tobago", latitude: 10.66, longitude: -61.51, cloudflareRegion: "NSAM" }, // Caribbean (unsure)
    { code: "TV", name: "Tuvalu", latitude: -8.52, longitude: 179.2, cloudflareRegion: "OC" },
    { code: "TW", name: "Taiwan", latitude: 25.03, longitude: 121.57, cloudflareRegion: "NEAS" },
    { code: "TZ", name: "Tanzania", latitude: -6.16, longitude: 35.75, cloudflareRegion: "SAF" },
    { code: "UA", name: "Ukraine", latitude: 50.45, longitude: 30.52, cloudflareRegion: "EEU" },
    { code: "UG", name: "Uganda", latitude: 0.35, longitude: 32.58, cloudflareRegion: "SAF" },
    { code: "UM", name: "United States Minor Outlying Islands", latitude: 19.28, longitude: 166.65, cloudflareRegion: "OC" },
    // Split by state in Cloudflare's mapping (AZ, CA, CO, HI, MN, MO, NV, OR, TX, UT, WA, ... WNAM;
    // the east ENAM). Washington, DC -> ENAM.
    { code: "US", name: "United States", latitude: 38.91, longitude: -77.04, cloudflareRegion: "ENAM" },
    { code: "UY", name: "Uruguay", latitude: -34.9, longitude: -56.16, cloudflareRegion: "SSAM" },
    { code: "UZ", name: "Uzbekistan", latitude: 41.3, longitude: 69.24, cloudflareRegion: "EEU" }, // Central Asia (unsure: SAS?)
    { code: "VA", name: "Vatican City", latitude: 41.9, longitude: 12.45, cloudflareRegion: "WEU" },
    { code: "VC", name: "Saint Vincent and the Grenadines", latitude: 13.16, longitude: -61.22, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "VE", name: "Venezuela", latitude: 10.48, longitude: -66.9, cloudflareRegion: "NSAM" },
    { code: "VG", name: "British Virgin Islands", latitude: 18.43, longitude: -64.62, cloudflareRegion: "ENAM" }, // Caribbean (unsure)
    { code: "VI", name: "U.S. Virgin Islands", latitude: 18.34, longitude: -64.93, cloudflareRegion: "ENAM" },
    { code: "VN", name: "Vietnam", latitude: 21.03, longitude: 105.85, cloudflareRegion: "SEAS" },
    { code: "VU", name: "Vanuatu", latitude: -17.73, longitude: 168.32, cloudflareRegion: "OC" },
    { code: "WF", name: "Wallis and Futuna", latitude: -13.28, longitude: -176.17, cloudflareRegion: "OC" },
    { code: "WS", name: "Samoa", latitude: -13.83, longitude: -171.77, cloudflareRegion: "OC" },
    { code: "XK", name: "Kosovo", latitude: 42.66, longitude: 21.17, cloudflareRegion: "EEU" }, // user-assigned code, used by Cloudflare
    { code: "YE", name: "Yemen", latitude: 15.37, longitude: 44.19, cloudflareRegion: "ME" },
    { code: "YT", name: "Mayotte", latitude: -12.78, longitude: 45.23, cloudflareRegion: "SAF" },
    { code: "ZA", name: "South Africa", latitude: -25.75, longitude: 28.19, cloudflareRegion: "SAF" },
    { code: "ZM", name: "Zambia", latitude: -15.39, longitude: 28.32, cloudflareRegion: "SAF" },
    { code: "ZW", name: "Zimbabwe", latitude: -17.83, longitude: 31.05, cloudflareRegion: "SAF" },
];

/**
 * Jurisdictions a residency domain can name, as lists of country codes.
 * EU: the 27 member states (since 2020-02-01). Their outermost regions with their own ISO codes
 * (AX, GF, GP, MF, MQ, RE, YT) are EU territory too but are not listed: no cloud region is there.
 * EEA: the EU plus Iceland, Liechtenstein and Norway.
 */
// prettier-ignore
export const JURISDICTIONS: Readonly<Record<string, readonly string[]>> = {
    EU: [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ],
    EEA: [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        "IS", "LI", "NO",
    ],
};

export const COUNTRY_BY_CODE: ReadonlyMap<string, Country> = new Map(COUNTRIES.map((country) => [country.code, country]));

/** The part of jsdom's API (lib/api.js) the Mermaid test uses; the package ships no typings. */
declare module "jsdom" {
    export class JSDOM {
        constructor(html?: string);
        readonly window: object;
    }
}

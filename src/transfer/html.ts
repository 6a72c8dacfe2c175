export { escapeHtml } from "../lib/escape-html.ts";

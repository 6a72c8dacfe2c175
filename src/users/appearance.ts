// Appearance settings beyond the theme: accent colour, message density and font size. Pages are
// rendered the same for everyone; these become rules in the per-user stylesheet (/me.css), which
// loads after app.css and before the instance's custom CSS (so the admin's CSS still wins).
import type { User } from "../auth/table.ts";

export const FONT_SIZES = [12, 14, 15, 16, 18, 20, 24] as const;
export const DENSITIES = ["cozy", "compact"] as const;
/** "" keeps the theme's own accent; otherwise a #rrggbb colour (what <input type="color"> sends). */
export const ACCENT_PATTERN = /^(#[0-9a-f]{6})?$/;

/** Relative luminance (WCAG 2) of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Text on the accent: whichever of black and white contrasts more, so a pale accent stays readable. */
export function textOnAccent(hex: string): string {
  const l = luminance(hex);
  return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05) ? "#ffffff" : "#000000";
}

export function appearanceCss(user: Pick<User, "accent" | "density" | "fontSize">): string {
  const rules: string[] = [];
  if (ACCENT_PATTERN.test(user.accent) && user.accent) {
    rules.push(`:root { --accent: ${user.accent}; --accent-text: ${textOnAccent(user.accent)}; --text-on-accent: ${textOnAccent(user.accent)}; }`);
  }
  if (user.fontSize !== 16) {
    // The body sets 16px in app.css; rem-sized parts follow the root.
    rules.push(`html, body { font-size: ${Math.trunc(user.fontSize)}px; }`);
  }
  if (user.density === "compact") {
    rules.push(
      ".messages { gap: 0; }",
      ".message { padding: 1px 8px; gap: 8px; }",
      ".message .avatar, .message > .avatar-link img { width: 24px; height: 24px; }",
      ".message-content p { margin: 0; }",
    );
  }
  return rules.length ? `/* appearance */\n${rules.join("\n")}\n` : "";
}

-- Appearance settings beyond the theme (issue 9): accent colour, message density and font size.
-- The per-user stylesheet (/me.css) turns them into CSS variables, so pages stay rendered once.
ALTER TABLE users ADD COLUMN accent TEXT NOT NULL DEFAULT '';               -- '' = the theme's accent, else '#rrggbb'
ALTER TABLE users ADD COLUMN density TEXT NOT NULL DEFAULT 'cozy' CHECK (density IN ('cozy', 'compact'));
ALTER TABLE users ADD COLUMN font_size INTEGER NOT NULL DEFAULT 16 CHECK (font_size BETWEEN 12 AND 24);

"""The page in a real browser (chromium + playwright-core + axe-core)."""

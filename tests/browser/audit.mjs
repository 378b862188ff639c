// axe-core, injected from node_modules (never a CDN), run against the page as it is now.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export async function audit(page, name, report) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  const violations = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  report.audits.push({ name, violations: violations.length, blocking: blocking.length, details: violations });
  if (blocking.length) throw new Error(`axe: ${blocking.length} serious/critical on ${name}: ${JSON.stringify(blocking)}`);
  return violations;
}

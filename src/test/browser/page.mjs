// Drives Reelflow's page (served at /) in Debian's Chromium, as a person would: paste a key,
// submit a 5-second video, watch the card until it says succeeded, play it, and record what the
// page showed. BASE_URL, API_KEY and SCREENSHOT come from the environment; prints one JSON line.
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const key = process.env.API_KEY;
const screenshot = process.env.SCREENSHOT;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${base}/`);
  await page.fill("#api-key", key);
  await page.click("#key-form button");
  await page.locator("#key-state", { hasText: "Key accepted" }).waitFor({ timeout: 15000 });

  await page.fill("#prompt", "Create a 5-sec ad for a lemonade stand on a sunny street");
  await page.selectOption("#duration", "5");
  await page.selectOption("#aspect", "16:9");
  await page.selectOption("#resolution", "480p");
  await page.click("#submit-button");

  const card = page.locator("li.video").first();
  await card.waitFor({ timeout: 15000 });
  // Every status and explanation the card showed, in order, until it succeeded.
  const seen = [];
  const deadline = Date.now() + 120000;
  for (;;) {
    const status = await card.getAttribute("data-status");
    const what = await card.locator(".what").textContent();
    const last = seen[seen.length - 1];
    if (!last || last.status !== status || last.what !== what) seen.push({ status, what });
    if (status === "succeeded" || status === "failed" || status === "canceled") break;
    if (Date.now() > deadline) throw new Error(`still ${status} after 120 s`);
    await page.waitForTimeout(100);
  }

  await card.locator("button", { hasText: "Play" }).click();
  const handle = await page.waitForFunction(() => {
    const v = document.querySelector("li.video video");
    return v && Number.isFinite(v.duration) && v.duration > 0 ? v.duration : null;
  }, null, { timeout: 30000 });
  const duration = await handle.jsonValue();
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ duration, seen }));
} finally {
  await browser.close();
}

// pa11y (HTML_CodeSniffer, WCAG 2 AA) on a list of pages, in Debian's Chromium; run by
// tests/support/pa11y.py. Reads the pages as JSON on stdin:
//   [{"name", "url", "cookies": [{"name", "value", "url"}], "actions": [pa11y action, …],
//     "viewport": {"width", "height"}, "locale", "ignore": [pa11y code, …]}]
// and prints {name: [issue, …]} as JSON (errors only: pa11y's default level). One browser for
// every page, each page in a browser context of its own (its own cookies).
import pa11y from "pa11y";
import puppeteer from "puppeteer";

const CHROMIUM = process.env.PA11Y_CHROMIUM || "/usr/bin/chromium";

async function read(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function audit(browser, item) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    if (item.locale) await page.setExtraHTTPHeaders({ "Accept-Language": item.locale });
    if (item.cookies && item.cookies.length) await context.setCookie(...item.cookies);
    const result = await pa11y(item.url, {
      browser, page, runners: ["htmlcs"], standard: "WCAG2AA",
      actions: item.actions || [], ignore: item.ignore || [], viewport: item.viewport || { width: 1280, height: 900 },
      timeout: 60000,
    });
    return result.issues.map(({ code, message, selector, context: html }) => ({ code, message, selector, html }));
  } finally {
    await context.close();
  }
}

const pages = await read(process.stdin);
const browser = await puppeteer.launch({
  executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const found = {};
try {
  for (const item of pages) found[item.name] = await audit(browser, item);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(found));

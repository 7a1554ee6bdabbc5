// Screenshots of the release build (dist/) for the README and for looking at the page:
//   node scripts/screenshot.mjs [query] [name] [width] [height] [light|dark]
// Writes docs/<name>.png.
import { launchBrowser, openPage, waitForFit } from '../tests/e2e/helpers.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const [query = '', name = 'screenshot', width = '1280', height = '900', scheme = 'light'] =
  process.argv.slice(2);
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, close } = await openPage(browser, server.url + query);
  await page.setViewportSize({ width: Number(width), height: Number(height) });
  await page.emulateMedia({ colorScheme: scheme });
  await waitForFit(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${name.startsWith("/") ? name : "docs/" + name}.png`, fullPage: true });
  await close();
  console.log(`${name.startsWith("/") ? name : "docs/" + name}.png`);
} finally {
  await browser.close();
  await server.close();
}

// A screenshot of the backtest panel after a rollout (for looking at it, and the README):
//   node scripts/shot-backtest.mjs [query] [file] [lang]
import { launchBrowser, openPage, waitForFit } from '../tests/e2e/helpers.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const [query = '?preset=olmo-ladder', file = 'docs/backtest.png', lang = 'en'] = process.argv.slice(2);
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, close } = await openPage(browser, server.url + query);
  await page.setViewportSize({ width: 1280, height: 900 });
  await waitForFit(page, { states: ['ok'] });
  if (lang !== 'en') await page.locator('[data-testid=lang-select]').selectOption(lang);
  const panel = page.locator('[data-testid=backtest]');
  await panel.locator('summary').click();
  await page.locator('[data-testid=backtest-run]').click();
  await page.locator('[data-testid=backtest-state][data-state=done]').waitFor({ timeout: 300_000 });
  await page.waitForTimeout(500);
  await panel.screenshot({ path: file });
  console.log(file, await page.locator('[data-testid=backtest-verdict]').innerText());
  await close();
} finally {
  await browser.close();
  await server.close();
}

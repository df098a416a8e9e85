// Times, in Debian's Chromium, a specialist's queue: from the navigation to its first page of
// rows shown, against two raw limits measured in the same run: the same first page asked of
// the API directly, and a navigation to a page that loads nothing (the console's not-found page).
// Used by bench/console.py: node scripts/bench-queue.mjs URL NAME PASSWORD [ROUNDS]
import { chromium } from '@playwright/test'

const [url, name, password, rounds = '5'] = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } })
await page.goto(`${url}/sign-in`)
await page.getByLabel(/账号|Account/).fill(name)
await page.getByLabel(/^(密码|Password)$/).fill(password)
await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click()
await page.waitForURL(/\/specialist/)

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const queue = [], api = [], blank = []
for (let round = 0; round < Number(rounds); round += 1) {
  // Each page settled before the next navigation: a reload while the console's silent refresh is
  // in flight loses the rotated cookie, and the spent one then ends the session.
  await page.goto(`${url}/no-such-page`)
  await page.waitForLoadState('networkidle')
  let started = Date.now()
  await page.goto(`${url}/specialist`)
  await page.locator('.el-table__body tr').first().waitFor({ timeout: 30_000 }).catch(async (error) => {
    await page.screenshot({ path: 'test-results/bench-queue-failed.png' })
    throw error
  })
  queue.push(Date.now() - started)
  await page.waitForLoadState('networkidle')
  api.push(await page.evaluate(async () => {
    // A token of this session (the page keeps its own in memory), then the first page alone, timed.
    const answer = await fetch('/api/v1/sessions/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    const { access_token: token } = await answer.json()
    const started = performance.now()
    await fetch('/api/v1/demands?per_page=20', { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json())
    return performance.now() - started
  }))
  started = Date.now()
  await page.goto(`${url}/no-such-page`)
  await page.locator('main').first().waitFor()
  blank.push(Date.now() - started)
  await page.waitForLoadState('networkidle')
}
console.log(JSON.stringify({ queue: median(queue), queueMax: Math.max(...queue), api: median(api), blank: median(blank), rounds: queue.length }))
await browser.close()

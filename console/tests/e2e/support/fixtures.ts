import { test as base, expect, type Page, type TestInfo } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { Platform } from './platform'
import { startEmbedded } from './embedded'
import { readState, type E2eState, type Person } from './state'

/**
 * The specs' `test`: the console's URL as baseURL, the seeded platform, and a page that fails
 * its test on any error in the browser's console or any uncaught exception.
 */
export const test = base.extend<{ platform: Platform; state: E2eState; consoleErrors: string[] }>({
  state: async ({}, use) => use(readState()),
  baseURL: async ({}, use) => use(readState().consoleUrl),
  platform: async ({}, use) => use(Platform.fromState()),
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() !== 'error') return
        // The browser logs every 4xx answer; a 401 of the session routes is the expected answer
        // to "no session yet" (the silent refresh on load) and to "a code is needed".
        const expected = /Failed to load resource.*\b401\b/.test(message.text()) &&
          /\/api\/v1\/sessions(\/refresh)?$/.test(new URL(message.location().url || 'http://x/').pathname)
        if (!expected) errors.push(`${message.text()} (${message.location().url})`)
      })
      page.on('pageerror', (error) => errors.push(String(error)))
      await use(errors)
      expect(errors, 'errors in the browser console').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

/**
 * The specs' `test` on an embedded platform of its own, started once per worker when a test asks
 * for it with `settings` (ONESTOP_* variables) the shared one must not have; its people are kept
 * in memory only. `log` names its log in test-results/.
 */
export function testOnOwnPlatform(log: string, settings: Record<string, string>) {
  return test.extend<object, { own: { platform: Platform; state: E2eState } }>({
    own: [
      async ({}, use) => {
        const embedded = await startEmbedded(log, settings)
        try {
          const platform = new Platform(embedded.apiUrl, () => {})
          const operator = await platform.firstOperator(embedded.dataDir)
          await use({
            platform,
            state: { apiUrl: embedded.apiUrl, consoleUrl: embedded.apiUrl, dataDir: embedded.dataDir, pid: embedded.pid, people: { operator } },
          })
        } finally {
          await embedded.stop()
        }
      },
      { scope: 'worker' },
    ],
    state: async ({ own }, use) => use(own.state),
    baseURL: async ({ own }, use) => use(own.state.consoleUrl),
    platform: async ({ own }, use) => use(own.platform),
  })
}

/**
 * A platform whose periods are short enough to be lived through in a test (the shared one keeps
 * the defaults, which other specs rely on):
 * - an enterprise's feedback window of 5 seconds (ONESTOP_FEEDBACK_WINDOW_DAYS), checked twice
 *   a second: a completed service left unrated becomes a specialist's revisit at once;
 * - a retention of -1 years (ONESTOP_RETENTION_YEARS): a dossier's retention ends the year
 *   before it is sealed, so it is due for disposal as soon as it is sealed. The platform has no
 *   controlled clock (the server tests set the archive's clock in-process), and a retention
 *   date is a day: no positive setting makes one due within a test.
 */
export const testWithShortPeriods = testOnOwnPlatform('platform-short-periods.log', {
  ONESTOP_FEEDBACK_WINDOW_DAYS: (5 / 86400).toFixed(8),
  ONESTOP_EVALUATION_CHECK_INTERVAL: '0.5',
  ONESTOP_RETENTION_YEARS: '-1',
})

/**
 * An error answer a test provoked on purpose (a form sent with what the API refuses): the
 * browser logs it, and once seen it is taken off the console errors that would fail the test.
 */
export async function forgive(errors: string[], status: number, path: RegExp): Promise<void> {
  const index = () => errors.findIndex((error) => error.includes(`status of ${status}`) && path.test(error))
  await expect.poll(index, { message: `the browser's log of the ${status} answer` }).toBeGreaterThanOrEqual(0)
  errors.splice(index(), 1)
}

/**
 * Checks a main page: no serious or critical axe-core violation, and a full-page screenshot at
 * test-results/screenshots/<name>.png (kept as an artefact of the run).
 */
export async function checkPage(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.waitForLoadState('networkidle')
  // The page as it rests: no control under the pointer (a hovered button has its own colours).
  await page.mouse.move(0, 0)
  // Transitions still fading in (a form's message, a dialog) would be measured half transparent.
  // (A function, not a string: the console's content policy forbids evaluating strings.)
  await page.waitForFunction(() =>
    ((globalThis as unknown as { document: { getAnimations(): { playState: string }[] } }).document
      .getAnimations().every((animation) => animation.playState !== 'running')))
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true })
  // A toast fades in and out over its three seconds: measured mid-fade it is half transparent.
  // Its colours at rest (theme.css: each base colour on its light-9 background) are 4.7:1 or more.
  const results = await new AxeBuilder({ page }).exclude('.el-message')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const grave = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
  await testInfo.attach(`axe-${name}`, { body: JSON.stringify(grave, null, 2), contentType: 'application/json' })
  expect(
    grave.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => `${node.target.join(' ')}: ${node.html.slice(0, 160)} ${node.failureSummary ?? ''}`).join(', ')})`),
    `serious or critical accessibility violations on ${name}`,
  ).toEqual([])
}

/** Signs the browser page in as a person through the sign-in form (with a code where they have one). */
export async function signIn(page: Page, platform: Platform, person: Person): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel(/账号|Account/).fill(person.name)
  await page.getByLabel(/^(密码|Password)$/).fill(person.password)
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click()
  if (person.secret) {
    const code = page.getByLabel(/验证码|Code/)
    await code.waitFor()
    await code.fill(await platform.code(person))
    await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click()
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

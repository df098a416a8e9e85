import { test, expect, checkPage } from './support/fixtures'

test('the operator signs in with a password and a code, by keyboard, switches language and signs out', async ({ page, platform, state }, testInfo) => {
  const operator = state.people.operator!
  await page.goto('/')
  await expect(page).toHaveURL(/\/sign-in$/)
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()
  await checkPage(page, testInfo, 'sign-in')

  // The form works with the keyboard alone: Tab between the fields, Enter to send.
  await page.getByLabel('账号').focus()
  await page.keyboard.type(operator.name)
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('密码', { exact: true })).toBeFocused()
  await page.keyboard.type(operator.password)
  await page.keyboard.press('Enter')
  // Operators have a second factor: the form asks for the code, with the cursor in it.
  const code = page.getByLabel('验证码')
  await expect(code).toBeFocused()
  await checkPage(page, testInfo, 'sign-in-code')
  await page.keyboard.type(await platform.code(operator))
  await page.keyboard.press('Enter')

  await expect(page).toHaveURL(/\/operator$/)
  await expect(page.getByRole('heading', { name: '平台运营工作台' })).toBeVisible()
  await expect(page.getByTestId('person-name')).toHaveText('平台运营员') // the first operator's name
  await expect(page.getByRole('menuitem', { name: '首页' })).toBeVisible()
  await expect(page.getByTestId('notification-bell')).toHaveCount(0) // operators have no inbox
  await checkPage(page, testInfo, 'operator-home')

  await page.getByTestId('language-switch').click()
  await page.getByRole('menuitem', { name: 'English' }).click()
  await expect(page.getByRole('heading', { name: 'Operations' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('menuitem', { name: 'English' })).toBeHidden() // the menu has closed
  await checkPage(page, testInfo, 'operator-home-en')
  // The choice is remembered over a reload; the session too (the refresh cookie), not in storage.
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Operations' })).toBeVisible()
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
  expect(stored).not.toMatch(/eyJ/) // no JWT anywhere in storage
  await page.getByTestId('language-switch').click()
  await page.getByRole('menuitem', { name: '简体中文' }).click()
  await expect(page.getByRole('heading', { name: '平台运营工作台' })).toBeVisible()

  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  // Signed out for good: the refresh cookie was cleared, so a reload stays on the sign-in page.
  await page.goto('/operator')
  await expect(page).toHaveURL(/\/sign-in\?redirect=(%2F|\/)operator$/)
})

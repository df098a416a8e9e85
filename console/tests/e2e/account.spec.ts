import type { Locator, Page } from '@playwright/test'
import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { creditCode } from './support/platform'
import { totp } from './support/totp'
import type { Person } from './support/state'

/** A form item's error text, the item found by its field's label. */
function errorOf(page: Page, field: Locator): Locator {
  return page.locator('.el-form-item').filter({ has: field }).locator('.el-form-item__error')
}

/** Six digits that none of the three steps an authenticator's code is accepted for gives now. */
function wrongCode(secret: string): string {
  const step = Math.floor(Date.now() / 30_000)
  const accepted = new Set([-2, -1, 0, 1, 2].map((offset) => totp(secret, step + offset)))
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (!accepted.has(code)) return code
  }
}

test('a supervisor given a one-time password changes it, sets up an authenticator, and signs in with both', async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(180_000) // each code serves once: a sign-in may wait for the next 30-second step
  const stamp = Date.now().toString(36)
  const name = `zhou.jian.${stamp}`
  const chosen = 'Panyu-Jianguan-2026!'

  // Seeded through the API: the district's bureau and a supervisor the operator creates, with
  // the one-time password the operator hands over.
  const ops = await platform.signIn(state.people.operator!)
  const agency = await platform.organisation(ops, 'agency', `PY-AMR-ACC-${stamp}`, '广州市番禺区市场监督管理局')
  const made = await platform.ok(201, 'POST', '/api/v1/persons', ops, {
    organisation_id: agency, sign_in_name: name, name: '周建国', roles: ['supervisor'],
  })
  const once: string = made.one_time_password

  // Signed in with the one-time password, by keyboard: sent to change it first.
  await page.goto('/sign-in')
  await page.getByLabel('账号').focus()
  await page.keyboard.type(name)
  await page.keyboard.press('Tab')
  await page.keyboard.type(once)
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/account\/password$/)
  await expect(page.getByRole('heading', { name: '修改密码' })).toBeVisible()
  await checkPage(page, testInfo, 'account-password')

  const current = page.getByLabel('当前密码')
  const fresh = page.getByLabel('新密码', { exact: true })
  const repeat = page.getByLabel('确认新密码')
  /** Fills the three fields by keyboard (Tab from one to the next) and sends the form with Enter. */
  async function send(values: [string, string, string]) {
    for (const field of [current, fresh, repeat]) await field.fill('')
    await current.focus()
    await page.keyboard.type(values[0])
    await page.keyboard.press('Tab')
    await expect(fresh).toBeFocused()
    await page.keyboard.type(values[1])
    await page.keyboard.press('Tab')
    await expect(repeat).toBeFocused()
    await page.keyboard.type(values[2])
    await page.keyboard.press('Enter')
  }

  // Too short: the API's rule, in Chinese, under the new password.
  await send([once, 'Ab1!x', 'Ab1!x'])
  await expect(errorOf(page, fresh)).toContainText('长度须为 10 至 128 个字符')
  await forgive(consoleErrors, 422, /\/api\/v1\/me\/password\)$/)
  await checkPage(page, testInfo, 'account-password-refused')

  // The two new ones differ: said under the repeat, before anything is sent.
  await send([once, chosen, `${chosen}x`])
  await expect(errorOf(page, repeat)).toHaveText('两次输入的新密码不一致')

  // The same as the one-time password: refused under the new password.
  await send([once, once, once])
  await expect(errorOf(page, fresh)).toHaveText('新密码不能与当前密码相同')
  await forgive(consoleErrors, 409, /\/api\/v1\/me\/password\)$/)

  // A wrong current password: said under that field, and the person stays on the page, signed in.
  await send(['Not-the-password-1', chosen, chosen])
  await expect(errorOf(page, current)).toHaveText('当前密码不正确')
  await forgive(consoleErrors, 401, /\/api\/v1\/me\/password\)$/)
  await expect(page).toHaveURL(/\/account\/password$/)

  // A good one: signed in again with it, and sent on to set up an authenticator.
  await send([once, chosen, chosen])
  await expect(page).toHaveURL(/\/account\/second-factor$/)
  await expect(page.getByRole('heading', { name: '设置身份验证器' })).toBeVisible()
  await expect(page.getByRole('img', { name: '身份验证器二维码' })).toBeVisible()
  const secret = (await page.getByTestId('second-factor-secret').textContent())!.trim()
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
  await checkPage(page, testInfo, 'account-second-factor')

  // A wrong code, then the right one, typed and sent by keyboard.
  const code = page.getByLabel('验证码')
  await code.focus()
  await page.keyboard.type(wrongCode(secret))
  await page.keyboard.press('Enter')
  await expect(errorOf(page, code)).toHaveText('验证码不正确，请核对身份验证器的时间后重试')
  await forgive(consoleErrors, 422, /\/second-factor\/confirmation\)$/)
  await checkPage(page, testInfo, 'account-second-factor-refused')
  const person: Person = { name, password: chosen, secret, used: -1 }
  await code.fill('')
  await code.focus()
  await page.keyboard.type(await platform.code(person))
  await page.keyboard.press('Enter')
  await expect(page.getByText('身份验证器已设置，请重新登录')).toBeVisible()

  // Sign in again: the name kept, the password and a code asked.
  await expect(page).toHaveURL(/\/sign-in\?name=/)
  await expect(page.getByLabel('账号')).toHaveValue(name)
  await page.getByLabel('密码', { exact: true }).focus()
  await page.keyboard.type(chosen)
  await page.keyboard.press('Enter')
  await expect(page.getByLabel('验证码')).toBeFocused()
  await page.keyboard.type(await platform.code(person))
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/supervisor$/)
  await expect(page.getByTestId('person-name')).toHaveText('周建国')

  // Signed out and in again with the new password and a code.
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  await signIn(page, platform, person)
  await expect(page).toHaveURL(/\/supervisor$/)
  await expect(page.getByRole('heading', { name: '服务档案查询' })).toBeVisible()

  // Through the API: the one-time password no longer works; the new one does, with a code.
  const old = await platform.call('POST', '/api/v1/sessions', null, { sign_in_name: name, password: once })
  expect(old.status).toBe(401)
  const token = await platform.signIn(person)
  expect(await platform.ok(200, 'GET', '/api/v1/me', token)).toMatchObject({
    sign_in_name: name, must_change_password: false, second_factor: true, roles: ['supervisor'],
  })
})

test("a station's person holding both of its roles acts as its specialist: one role, so no switcher, and no role of another kind can be given", async ({ page, platform, state }, testInfo) => {
  const stamp = Date.now().toString(36)
  const ops = await platform.signIn(state.people.operator!)
  const station = await platform.ok(201, 'POST', '/api/v1/stations', ops, {
    name: `角色测试站${stamp}`, park: `roles-park-${stamp}`, address: '广州市番禺区角色路1号',
    operating_institution: { name: `番禺角色服务${stamp}有限公司`, credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30', auto_accept: [],
  })
  const stationOrg = await platform.organisation(ops, 'station', station.id, station.name)
  // The two roles a station's people may hold (the accounts API allows no role of another kind).
  const manager = await platform.person(ops, stationOrg, `manager.${stamp}`, ['specialist', 'station_manager'], undefined, '黄站长')
  const managerToken = await platform.signIn(manager)
  const me = await platform.ok(200, 'GET', '/api/v1/me', managerToken)
  expect(me.roles).toEqual(['specialist', 'station_manager'])
  await platform.ok(201, 'POST', `/api/v1/stations/${station.id}/specialists`, ops, { staff_id: me.id, name: '黄站长', trained: true })
  const refused = await platform.call('POST', `/api/v1/persons/${me.id}/roles`, ops, { role: 'supervisor', action: 'grant', reason: '兼任监管' })
  expect([refused.status, refused.body.details.allowed_roles]).toEqual([409, ['specialist', 'station_manager']])
  const both = await platform.call('POST', '/api/v1/persons', ops, {
    organisation_id: stationOrg, sign_in_name: `both.${stamp}`, name: '两个角色', roles: ['specialist', 'supervisor'],
  })
  expect(both.status).toBe(409)

  // Both roles act as the station's specialist: the header names that one role, with no switcher.
  await signIn(page, platform, manager)
  await expect(page).toHaveURL(/\/specialist$/)
  await expect(page.getByTestId('role')).toHaveText('服务专员')
  await expect(page.getByTestId('role-switch')).toHaveCount(0)
  await checkPage(page, testInfo, 'specialist-queue-manager')

  // The layout by keyboard: the skip link first, then the menu.
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: '跳到主要内容' })
  await expect(skip).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('#main')).toBeFocused()
  // From the brand link on, Tab reaches each menu entry in turn, and Enter opens one.
  await page.getByRole('link', { name: '一站式服务平台' }).focus()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('menuitem', { name: '需求队列' })).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('menuitem', { name: '登记需求' })).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('menuitem', { name: '回访' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/specialist\/revisits$/)
  await expect(page.getByRole('heading', { name: '回访' })).toBeVisible()

  // Another role's page sends them to their own home.
  await page.goto('/supervisor/retention')
  await expect(page).toHaveURL(/\/specialist$/)
  await expect(page.getByRole('heading', { name: '本站需求队列' })).toBeVisible()
})

import { test, expect, checkPage, signIn } from './support/fixtures'
import { creditCode } from './support/platform'

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

test('the operator registers a station, its organisation and a specialist, disables and enables an account, and finds no dead letter', async ({ page, platform, state }, testInfo) => {
  const operator = state.people.operator!
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`
  const stationName = `番禺节能科技园工作站 ${suffix}`
  const park = `panyu-ops-${suffix}`
  const signInName = `ops.specialist.${suffix}`
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  /** A main page checked with the pointer off the buttons (a hovered button is lighter). */
  const look = async (name: string) => {
    await page.mouse.move(1, 760)
    await checkPage(page, testInfo, name)
  }
  await signIn(page, platform, operator)

  // Stations: the list, then the registration form, first with a field left out.
  await page.getByRole('menuitem', { name: '工作站' }).click()
  await expect(page.getByRole('heading', { name: '工作站', exact: true })).toBeVisible()
  await look('operator-stations')
  await page.getByRole('button', { name: '登记工作站' }).click()
  await expect(page.getByRole('heading', { name: '登记工作站' })).toBeVisible()
  await page.getByLabel('工作站名称').fill(stationName)
  await page.getByLabel('运营单位名称').fill('广州市番禺区质量技术监督检测所')
  await page.getByLabel('运营单位统一社会信用代码').fill(creditCode())
  await page.getByLabel('地址', { exact: true }).fill('广州市番禺区石楼镇节能科技园 3 号楼 1 层')
  await page.getByLabel('对外开放时间').fill('工作日 9:00-17:30')
  await page.locator('.el-checkbox').filter({ hasText: /^计量服务$/ }).click()
  await expect(page.getByRole('checkbox', { name: '计量服务' })).toBeChecked()
  await page.getByRole('button', { name: '提交' }).click()
  // The API names the missing park id; its message stands next to the field.
  const parkItem = page.locator('.el-form-item').filter({ has: page.getByLabel('园区编号') })
  await expect(parkItem.locator('.el-form-item__error')).toBeVisible()
  await expect(page.locator('.el-form-item__error')).toHaveCount(1)
  await look('operator-station-form-error')
  await page.getByLabel('园区编号').fill(park)
  await page.getByRole('button', { name: '提交' }).click()

  await expect(page).toHaveURL(/\/operator\/stations\/[0-9a-f-]{36}$/)
  const stationId = page.url().split('/').pop()!
  await expect(page.getByRole('heading', { name: stationName })).toBeVisible()
  await expect(page.getByTestId('station-details')).toContainText(park)
  await expect(page.getByTestId('station-details')).toContainText('计量服务')
  await expect(page.getByText('尚无服务专员')).toBeVisible()
  await look('operator-station')

  // Its organisation was registered with it: a person for it, a specialist.
  await page.getByRole('link', { name: '查看机构账号' }).click()
  await expect(page.getByRole('heading', { name: stationName })).toBeVisible()
  await expect(page.getByTestId('organisation-details')).toContainText(stationId)
  await page.getByRole('button', { name: '新建账号' }).click()
  const create = page.getByRole('dialog', { name: '新建账号' })
  await create.getByLabel('登录账号').fill(signInName)
  await create.getByLabel('姓名').fill('王敏')
  await create.locator('.el-checkbox').filter({ hasText: /^服务专员$/ }).click()
  await create.getByRole('button', { name: '提交' }).click()

  // The one-time password, shown once with a warning and a copy button.
  const shown = page.getByRole('dialog', { name: '一次性密码' })
  await expect(shown).toBeVisible()
  await expect(shown).toContainText('只显示这一次')
  const password = await shown.getByTestId('one-time-password').inputValue()
  expect(password.length).toBeGreaterThanOrEqual(10)
  await shown.getByRole('button', { name: '复制密码' }).click()
  await expect(page.getByText('已复制到剪贴板')).toBeVisible()
  expect(await page.evaluate(() =>
    (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(password)
  await look('operator-one-time-password')
  await shown.getByRole('button', { name: '我已妥善交付，关闭' }).click()
  await expect(shown).toBeHidden()
  await expect(page.getByTestId('one-time-password')).toHaveCount(0) // gone for good
  await expect(page.getByTestId('persons-table')).toContainText(signInName)
  await look('operator-organisation')
  // The password works, once: it must be changed at the first sign-in.
  const first = await platform.ok(201, 'POST', '/api/v1/sessions', null, { sign_in_name: signInName, password })
  expect(first.pending).toBe('password_change')
  const personId: string = first.person.id

  // The person joins the station's staff.
  await page.getByRole('link', { name: '查看工作站' }).click()
  await expect(page.getByRole('heading', { name: stationName })).toBeVisible()
  await page.getByRole('button', { name: '添加服务专员' }).first().click()
  const add = page.getByRole('dialog', { name: '添加服务专员' })
  await add.getByTestId('specialist-person').click()
  await page.getByRole('option', { name: new RegExp(signInName.replace(/\./g, '\\.')) }).click()
  await expect(add.getByLabel('人员编号')).toHaveValue(personId)
  await expect(add.getByLabel('姓名')).toHaveValue('王敏')
  await add.getByLabel('联系电话').fill('13800138000')
  await add.getByRole('button', { name: '添加服务专员' }).click()
  await expect(add).toBeHidden()
  await expect(page.getByTestId('specialists-table')).toContainText('王敏')
  await expect(page.getByTestId('specialists-table')).toContainText(personId)

  // Disabled, then enabled again, each with its reason (none: the API names the field).
  await page.goto(`/operator/persons/${personId}`)
  await expect(page.getByRole('heading', { name: '王敏' })).toBeVisible()
  await expect(page.getByTestId('person-status')).toHaveText('正常')
  await look('operator-person')
  await page.getByRole('button', { name: '停用账号' }).click()
  const disable = page.getByRole('dialog', { name: '停用 王敏 的账号' })
  await disable.getByRole('button', { name: '停用账号' }).click()
  await expect(disable.locator('.el-form-item__error')).toBeVisible()
  await look('operator-person-disable')
  await disable.getByLabel('原因').fill('借调至区市场监管局三个月')
  await disable.getByRole('button', { name: '停用账号' }).click()
  await expect(disable).toBeHidden()
  await expect(page.getByTestId('person-status')).toHaveText('已停用')
  await page.getByRole('button', { name: '启用账号' }).click()
  const enable = page.getByRole('dialog', { name: '启用 王敏 的账号' })
  await enable.getByLabel('原因').fill('借调结束，返回工作站')
  await enable.getByRole('button', { name: '启用账号' }).click()
  await expect(enable).toBeHidden()
  await expect(page.getByTestId('person-status')).toHaveText('正常')
  await expect(page.getByTestId('audit-table')).toContainText('借调结束，返回工作站')

  // Dead letters: none on this platform, the empty state says so.
  await page.getByRole('menuitem', { name: '死信处理' }).click()
  await expect(page.getByRole('heading', { name: '死信处理' })).toBeVisible()
  await expect(page.getByTestId('dead-letters-empty')).toContainText('没有死信')
  await look('operator-dead-letters')

  // The other pages of the section.
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  await expect(page.getByTestId('audit-table')).toContainText('停用账号')
  await look('operator-audit')
  await page.getByRole('menuitem', { name: '合作方接入' }).click()
  await expect(page.getByText('onestop partners grant <institution id>', { exact: true })).toBeVisible()
  await look('operator-partners')
  await page.getByRole('menuitem', { name: '监控看板' }).click()
  await expect(page.getByTestId('grafana-not-configured')).toBeVisible()
  await expect(page.getByText('deploy/grafana/operators.json')).toBeVisible()
  await look('operator-dashboards')
  await page.getByRole('menuitem', { name: '监管机构' }).click()
  await expect(page.getByRole('heading', { name: '监管机构' })).toBeVisible()
  await look('operator-agencies')

  // Checked through the API.
  const ops = await platform.signIn(operator)
  const station = await platform.ok(200, 'GET', `/api/v1/stations/${stationId}`, ops)
  expect(station).toMatchObject({ name: stationName, park, auto_accept: ['metrology'] })
  expect(station.specialists).toEqual([{ staff_id: personId, name: '王敏', phone: '13800138000', trained: true }])
  const organisations = await platform.ok(200, 'GET', '/api/v1/organisations?kind=station&per_page=100', ops)
  const organisation = organisations.items.find((item: { party: string }) => item.party === stationId)
  expect(organisation).toMatchObject({ kind: 'station', name: stationName })
  const person = await platform.ok(200, 'GET', `/api/v1/persons/${personId}`, ops)
  expect(person).toMatchObject({ sign_in_name: signInName, organisation_id: organisation.id, roles: ['specialist'], disabled: false })
  const audit = await platform.ok(200, 'GET', `/api/v1/audit?person_id=${personId}`, ops)
  const reasons = audit.items.map((item: { event: string; reason?: string }) => [item.event, item.reason])
  expect(reasons).toContainEqual(['PersonDisabled', '借调至区市场监管局三个月'])
  expect(reasons).toContainEqual(['PersonEnabled', '借调结束，返回工作站'])
  const letters = await platform.ok(200, 'GET', '/api/v1/dead-letters', ops)
  expect(letters.items).toEqual([])
})

test("the operator gives an institution its user on the partner exchange, a new password, and takes it away", async ({ page, platform, state }, testInfo) => {
  const operator = state.people.operator!
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`
  const ops = await platform.signIn(operator)
  // Arranged through the API: a registered institution and its organisation.
  const name = `广州电器检测院${suffix}`
  const lab = await platform.ok(201, 'POST', '/api/v1/institutions', ops, {
    name, credit_code: creditCode(), categories: ['inspection_testing'], parks: [`partner-park-${suffix}`], capacity: 5,
    qualifications: [{ type: 'CMA', number: `CMA-P-${suffix}`, scope: ['家用电器'], valid_from: '2025-01-01', valid_until: '2029-12-31' }],
  })
  const organisation = await platform.organisation(ops, 'institution', lab.id, name)
  const path = `/api/v1/institutions/${lab.id}/partner-access`
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await signIn(page, platform, operator)

  await page.goto(`/operator/organisations/${organisation}`)
  const panel = page.getByTestId('partner-access')
  await expect(panel.getByTestId('partner-access-status')).toHaveText('未开通')
  await expect(panel).toContainText(`partner.${lab.id}.*`)

  // Granted: the password shown once, and the institution's user there (the API says so).
  await panel.getByTestId('partner-access-grant').click()
  const shown = page.getByRole('dialog', { name: '消息通道账号的密码' })
  const first = await shown.getByTestId('one-time-password').inputValue()
  expect(first.length).toBeGreaterThanOrEqual(24)
  await page.mouse.move(1, 760)
  await checkPage(page, testInfo, 'operator-partner-access-password')
  await shown.getByRole('button', { name: '我已妥善交付，关闭' }).click()
  await expect(panel.getByTestId('partner-access-status')).toHaveText('已开通')
  expect(await platform.ok(200, 'GET', path, ops)).toMatchObject({ granted: true, password: null })

  // A new password, by the keyboard.
  await panel.getByTestId('partner-access-grant').focus()
  await page.keyboard.press('Enter')
  const renewed = await page.getByRole('dialog', { name: '消息通道账号的密码' }).getByTestId('one-time-password').inputValue()
  expect(renewed).not.toBe(first)
  await page.keyboard.press('Escape')

  // Revoked, with the reason asked for first.
  await panel.getByTestId('partner-access-revoke').click()
  const revoke = page.getByRole('dialog', { name: `撤销 ${name} 的消息通道账号` })
  await revoke.getByRole('button', { name: '撤销' }).click()
  await expect(revoke.getByText('请填写原因')).toBeVisible()
  await revoke.getByLabel('原因').fill('合作协议终止')
  await revoke.getByRole('button', { name: '撤销' }).click()
  await expect(revoke).toBeHidden()
  await expect(panel.getByTestId('partner-access-status')).toHaveText('未开通')
  await page.mouse.move(1, 760)
  await checkPage(page, testInfo, 'operator-partner-access')
  expect(await platform.ok(200, 'GET', path, ops)).toMatchObject({ granted: false })
})

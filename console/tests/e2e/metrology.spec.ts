import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { seedEnterprise, seedInstitution, seedStation } from './support/scene'

/**
 * The metrology register as an enterprise uses it: it opens its register, registers a pressure
 * gauge that was never verified (so it is due today, whatever day the test runs), sees the
 * reminder in its inbox and makes the demand for its verification with one click.
 */
test('an enterprise registers an instrument due soon, is reminded of it and asks for its verification with one click', async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(120_000)
  page.setDefaultTimeout(15_000)
  const stamp = Date.now().toString(36)
  const park = `metrology-park-${stamp}`
  const ops = await platform.signIn(state.people.operator!)
  await seedStation(platform, ops, { park, name: '番禺计量服务站', specialist: { signInName: `chen.m.${stamp}`, name: '陈专员' } })
  await seedInstitution(platform, ops, {
    name: `广州计量院${stamp}`, categories: ['metrology'], parks: [park], capacity: 10, auto_accept_offers: true,
    qualifications: [{ type: 'METROLOGY', number: `(粤)法计-${stamp}`, scope: ['压力表'], valid_from: '2021-01-01', valid_until: '2099-12-31' }],
  }, { signInName: `lab.m.${stamp}`, name: '王检定' })
  const { admin, token } = await seedEnterprise(platform, ops, {
    name: `番禺精密制造有限公司${stamp}`, admin: { signInName: `wang.m.${stamp}`, name: '王工' },
  })

  // The register is opened once, with the enterprise's park.
  await signIn(page, platform, admin)
  await page.getByRole('menuitem', { name: '计量器具台账' }).click()
  await expect(page).toHaveURL(/\/enterprise\/instruments$/)
  await expect(page.getByRole('heading', { name: '开通台账' })).toBeVisible()
  // The browser logs the API's 404 for a register not opened yet, which the page answers with the form.
  await forgive(consoleErrors, 404, /\/api\/v1\/metrology\/register\?/)
  await expect(page.getByLabel('企业名称')).toHaveValue(`番禺精密制造有限公司${stamp}`)
  await page.getByLabel('联系电话').fill('020-8888 0001')
  await page.getByLabel('所在园区代码').fill(park)
  await page.getByTestId('open-register-submit').click()
  await expect(page.getByTestId('register-summary')).toBeVisible()

  // A pressure gauge under mandatory verification, never verified: due today.
  await page.getByTestId('add-instrument').click()
  const dialog = page.getByTestId('instrument-dialog')
  await dialog.getByLabel('器具名称').fill('压力表')
  await dialog.getByLabel('型号规格').fill('Y-100')
  await dialog.getByLabel('出厂编号').fill(`PG-${stamp}`)
  await dialog.getByLabel('安装位置').fill('锅炉房')
  await dialog.getByTestId('save-instrument').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId(`due-PG-${stamp}`)).toHaveText('即将到期')
  await checkPage(page, testInfo, 'metrology-register')

  // The reminder reaches the inbox.
  await platform.until(async () => (await platform.ok(200, 'GET', '/api/v1/notifications', token)).items
    .some((notice: { kind: string }) => notice.kind === 'verification_due'), 30, 'the reminder')
  await page.getByTestId('notification-bell').click()
  await expect(page).toHaveURL(/\/inbox$/)
  await expect(page.getByTestId('inbox-table')).toContainText(`计量器具即将到期：压力表（PG-${stamp}）`)

  // One click: the demand for its verification, and its page.
  await page.getByRole('menuitem', { name: '计量器具台账' }).click()
  await page.getByTestId(`request-PG-${stamp}`).click()
  await expect(page).toHaveURL(/\/enterprise\/demands\/[0-9a-f-]{36}$/)
  const demandId = page.url().split('/').pop()!
  const demand = await platform.ok(200, 'GET', `/api/v1/demands/${demandId}`, token)
  expect(demand).toMatchObject({ category: 'metrology', items: ['压力表'], park })
  expect(demand.description).toContain(`PG-${stamp}`)
  await expect(page.getByRole('heading', { name: `压力表检定（PG-${stamp}）` })).toBeVisible()

  // Back on the register, the instrument names its open demand; a second request is refused.
  await page.goBack()
  await expect(page.getByRole('link', { name: '办理中的需求' })).toBeVisible()
  const register = await platform.ok(200, 'GET', '/api/v1/metrology/register', token)
  expect(register.instruments[0].open_demand).toBe(demandId)
  await platform.ok(409, 'POST', `/api/v1/metrology/instruments/${register.instruments[0].id}/demand`, token, {})
})

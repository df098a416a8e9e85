import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { seedEnterprise, seedStation } from './support/scene'

/**
 * An enterprise phones the station: its specialist enters the demand for it, with the
 * catalogue's sub-item and the fields it asks. A wrong credit code is refused under its field,
 * in Chinese, and nothing is stored; corrected, the demand is the enterprise's, marked as
 * having come by phone.
 */
test("a specialist enters an enterprise's phoned-in demand with its sub-item", async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(120_000)
  const suffix = Date.now().toString(36)
  const park = `window-park-${suffix}`
  const operator = await platform.signIn(state.people.operator!)
  const { specialist, specialistToken } = await seedStation(platform, operator, {
    park, name: `窗口测试站${suffix}`, autoAccept: [],
    specialist: { signInName: `window.${suffix}`, name: '周敏' },
  })
  const enterprise = await seedEnterprise(platform, operator, {
    name: `番禺电子${suffix}有限公司`, admin: { signInName: `dianzi.${suffix}`, name: '黄磊' },
  })

  await signIn(page, platform, specialist)
  await page.getByRole('menuitem', { name: '登记需求' }).click()
  await expect(page).toHaveURL(/\/specialist\/demands\/new$/)
  await expect(page.getByRole('heading', { name: '登记企业需求' })).toBeVisible()
  await expect(page.getByLabel('所在园区代码')).toHaveValue(park)  // the specialist's own station's

  const form = page.getByTestId('window-demand-form')
  await form.getByTestId('channel').getByText('电话', { exact: true }).click()
  await page.getByTestId('category').click()
  await page.getByRole('option', { name: '计量服务' }).click()
  await page.getByTestId('sub-item').click()
  await page.getByRole('option', { name: '校准', exact: true }).click()
  await page.getByTestId('detail-instrument').getByRole('textbox').fill('数字万用表')
  await page.getByTestId('detail-quantity').getByRole('spinbutton').fill('3')
  const title = `万用表校准${suffix}`
  await page.getByLabel('需求名称').fill(title)
  await page.getByLabel('需求描述').fill('生产线用数字万用表三台，年度校准')
  await page.getByLabel('企业名称').fill(enterprise.name)
  await page.getByLabel('统一社会信用代码').fill('12345')
  await page.getByLabel('联系人').fill('黄磊')
  await page.getByLabel('联系电话').fill('+86 20 8888 0000')
  await page.getByTestId('submit-window-demand').click()

  const creditCodeItem = page.locator('.el-form-item').filter({ hasText: '统一社会信用代码' })
  await expect(creditCodeItem.locator('.el-form-item__error')).toContainText(/[\u4e00-\u9fa5]/)
  await forgive(consoleErrors, 422, /\/api\/v1\/demands\)$/)
  await expect(page).toHaveURL(/\/specialist\/demands\/new$/)
  const none = await platform.ok(200, 'GET', '/api/v1/demands', specialistToken)  // the station's: none yet
  expect(none.items).toEqual([])
  await page.mouse.move(0, 0)
  await checkPage(page, testInfo, 'specialist-window-demand-refused')

  await page.getByLabel('统一社会信用代码').fill(enterprise.code)
  await page.getByTestId('submit-window-demand').click()
  await page.waitForURL(/\/specialist\/demands\/[0-9a-f-]{36}$/)
  await expect(page.getByRole('heading', { name: title })).toBeVisible()

  const id = page.url().split('/').pop()!
  const entered = await platform.ok(200, 'GET', `/api/v1/demands/${id}`, specialistToken)
  expect([entered.channel, entered.sub_items, entered.details, entered.park])
    .toEqual(['phone', ['calibration'], { instrument: '数字万用表', quantity: 3 }, park])
  const theirs = await platform.ok(200, 'GET', '/api/v1/demands', enterprise.token)
  expect(theirs.items.map((item: { id: string }) => item.id)).toContain(id)
})

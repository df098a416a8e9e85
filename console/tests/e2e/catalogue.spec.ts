import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { seedEnterprise, seedStation } from './support/scene'

/**
 * A supervisor adds a sub-item to testing, with a field a demand of it must carry, and publishes
 * the new version of the service catalogue with the reason (refused first without one, the
 * message under the field); an enterprise then submits a demand of that sub-item, refused
 * without the field and accepted with it. A sub-item of the journey's own: other journeys'
 * demands do not meet it.
 */
test('a supervisor changes the service catalogue and an enterprise submits a demand with the new sub-item\'s field', async ({ page, platform, state, consoleErrors }, testInfo) => {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
  const operatorToken = await platform.signIn(state.people.operator!)
  const park = `cat-park-${tag}`
  await seedStation(platform, operatorToken, {
    park, name: `目录测试工作站${tag}`, specialist: { signInName: `cat.specialist.${tag}`, name: '陈专员' }, autoAccept: [],
  })
  const enterprise = await seedEnterprise(platform, operatorToken, {
    name: `广州目录灯具有限公司${tag}`, admin: { signInName: `cat.owner.${tag}`, name: '李华' },
  })
  const agency = await platform.organisation(operatorToken, 'agency', `CAT-AMR-${tag}`, '广州市番禺区市场监督管理局')
  const supervisor = await platform.person(operatorToken, agency, `cat.regulator.${tag}`, ['supervisor'], undefined, '张监管')
  const supervisorToken = await platform.signIn(supervisor)
  const before = (await platform.ok(200, 'GET', '/api/v1/service-catalogue', supervisorToken)).version as number
  const code = `led_photometry_${tag}`
  const subItemName = `LED光度测试${tag}`

  // The supervisor: the current version, then a new sub-item with its field.
  await signIn(page, platform, supervisor)
  await page.getByRole('menuitem', { name: '服务目录' }).click()
  await expect(page.getByRole('heading', { name: '服务目录' })).toBeVisible()
  await expect(page.getByTestId('catalogue-version')).toHaveText(`第 ${before} 版`)
  await page.getByRole('button', { name: '检验检测服务' }).click()
  await expect(page.getByTestId('catalogue-inspection_testing')).toContainText('产品检测')
  await checkPage(page, testInfo, 'supervisor-catalogue')

  await page.getByTestId('catalogue-edit').click()
  const testing = page.getByTestId('edit-category-inspection_testing')
  await testing.getByTestId('add-sub-item-inspection_testing').click()
  const added = testing.locator('[data-testid^="edit-sub-item-"]').last()
  await added.getByLabel('编码', { exact: true }).fill(code)
  await added.getByLabel('中文名称').fill(subItemName)
  await added.getByLabel('英文名称').fill(`LED photometry ${tag}`)
  await added.getByTestId('add-field').click()
  const field = added.getByTestId('edit-field').last()
  await field.getByLabel('字段编码').fill('flux_lm')
  await field.getByLabel('中文标签').fill('标称光通量（流明）')
  await field.getByLabel('英文标签').fill('Rated luminous flux (lm)')
  await field.getByTestId('field-kind').click()
  await page.getByRole('option', { name: '数字' }).click()
  await field.getByTestId('field-required').click()

  // Without a reason the server refuses, and says so under the reason.
  await page.getByTestId('catalogue-publish').click()
  const reasonItem = page.locator('.el-form-item').filter({ has: page.getByTestId('catalogue-reason') })
  await expect(reasonItem.locator('.el-form-item__error')).toBeVisible()
  await forgive(consoleErrors, 422, /\/api\/v1\/service-catalogue\)$/)
  await checkPage(page, testInfo, 'supervisor-catalogue-refused')
  await page.getByTestId('catalogue-reason').fill(`新增LED光度测试子项${tag}`)
  await page.getByTestId('catalogue-publish').click()
  await expect(page.getByTestId('catalogue-version')).toHaveText(`第 ${before + 1} 版`)
  await expect(page.getByTestId('catalogue-history')).toContainText(`新增LED光度测试子项${tag}`)

  const published = await platform.ok(200, 'GET', '/api/v1/service-catalogue', supervisorToken)
  const testingNow = published.catalogue.categories.find((c: { code: string }) => c.code === 'inspection_testing')
  const subItem = testingNow.sub_items.find((s: { code: string }) => s.code === code)
  expect(subItem.fields).toEqual([{ name: 'flux_lm', label: { 'zh-CN': '标称光通量（流明）', en: 'Rated luminous flux (lm)' },
    kind: 'number', required: true, choices: [] }])

  // The enterprise: a demand of the new sub-item, refused without its field, then with it.
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  await signIn(page, platform, enterprise.admin)
  await page.goto('/enterprise/demands/new')
  await page.getByTestId('category').click()
  await page.getByRole('option', { name: '检验检测服务' }).click()
  await page.getByTestId('sub-item').click()
  await page.getByRole('option', { name: subItemName }).click()
  await expect(page.getByTestId('detail-flux_lm')).toBeVisible()
  await page.getByLabel('需求名称').fill(`LED面板灯光度测试${tag}`)
  await page.getByLabel('需求描述').fill('新款LED面板灯的光通量与光效测试')
  await page.getByLabel('所在园区代码').fill(park)
  await page.getByLabel('联系电话').fill('+86 20 8888 0000')
  await page.getByTestId('submit-demand').click()
  await expect(page.getByTestId('detail-flux_lm').locator('.el-form-item__error')).toBeVisible()
  await forgive(consoleErrors, 422, /\/api\/v1\/demands\)$/)
  await checkPage(page, testInfo, 'enterprise-demand-sub-item')
  await page.getByTestId('detail-flux_lm').getByRole('spinbutton').fill('3600')
  await page.getByTestId('submit-demand').click()
  await page.waitForURL(/\/enterprise\/demands\/[0-9a-f-]{36}$/)

  const mine = await platform.ok(200, 'GET', '/api/v1/demands?per_page=1', enterprise.token)
  const demand = await platform.ok(200, 'GET', `/api/v1/demands/${mine.items[0].id}`, enterprise.token)
  expect(demand.sub_items).toEqual([code])
  expect(demand.details).toEqual({ flux_lm: 3600 })
  expect(demand.catalogue_version).toBe(before + 1)
})

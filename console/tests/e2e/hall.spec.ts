import type { Page, TestInfo } from '@playwright/test'
import { test, expect, checkPage as check, signIn } from './support/fixtures'
import { seedEnterprise, seedInstitution, seedStation } from './support/scene'

/** The page's check (screenshot, accessibility) with the pointer away from the controls. */
async function checkPage(page: Page, testInfo: TestInfo, name: string) {
  await page.mouse.move(0, 0)
  await check(page, testInfo, name)
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
}

function qualification(number: string, scope: string[]) {
  return { type: 'CMA', number, issuer: '广东省市场监督管理局', scope, valid_from: '2024-01-01', valid_until: '2099-12-31' }
}

test("a station opens its demand hall; an institution expresses interest in a listed demand and is assigned it when the listing ends", async ({ page, platform, state }, testInfo) => {
  test.setTimeout(180_000)
  const suffix = Date.now().toString(36)
  const park = `hall-park-${suffix}`
  // Seeded through the API: a station with its specialist, an enterprise, and three testing
  // institutions of the park: one keen, one that would win without interest (its home park),
  // one whose qualification does not cover the item.
  const operator = await platform.signIn(state.people.operator!)
  const { specialist: zhou, specialistToken } = await seedStation(platform, operator, {
    park, name: `大厅测试站${suffix}`, specialist: { signInName: `zhou.hall.${suffix}`, name: '周敏' },
  })
  const enterprise = await seedEnterprise(platform, operator, {
    name: `广州明灯${suffix}有限公司`, admin: { signInName: `li.hall.${suffix}`, name: '李明' },
  })
  const lab = (name: string, scope: string[], extra: Record<string, unknown> = {}) => ({
    name, categories: ['inspection_testing'], qualifications: [qualification(`CMA-${name}`, scope)],
    parks: [park], capacity: 10, auto_accept_offers: true, ...extra,
  })
  const keen = await seedInstitution(platform, operator, lab(`番禺灯具检测中心${suffix}`, ['LED筒灯']),
    { signInName: `wang.hall.${suffix}`, name: '王工' })
  const rival = await seedInstitution(platform, operator, lab(`园区质检所${suffix}`, ['LED筒灯'], { home_park: park }),
    { signInName: `zhao.hall.${suffix}`, name: '赵工' })
  const narrow = await seedInstitution(platform, operator, lab(`电池检测站${suffix}`, ['锂电池']),
    { signInName: `sun.hall.${suffix}`, name: '孙工' })

  // The specialist opens the hall for testing demands on the station's page.
  await signIn(page, platform, zhou)
  await page.getByRole('menuitem', { name: '工作站设置' }).click()
  const settings = page.getByTestId('station-form')
  await settings.getByRole('combobox', { name: '公示的服务类别' }).click({ force: true })
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: /检验检测/ }).click()
  await page.keyboard.press('Escape')
  await settings.getByLabel('修改原因').fill('检测类需求先在大厅公示')
  await checkPage(page, testInfo, 'specialist-station-hall')
  await settings.getByRole('button', { name: '保存设置' }).click()
  await expect(page.getByText('设置已保存')).toBeVisible()
  const station = await platform.ok(200, 'GET', '/api/v1/me/station', specialistToken)
  expect(station.hall).toEqual({ categories: ['inspection_testing'], window_hours: 4 })
  await signOut(page)

  // The enterprise's demand waits in the hall.
  const title = `LED筒灯光生物安全检测${suffix}`
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', enterprise.token, {
    enterprise: enterprise.party, park, category: 'inspection_testing', title,
    description: '新款筒灯出口前的光生物安全检测。', items: ['LED筒灯'],
  })
  await platform.until(async () => (await platform.ok(200, 'GET', '/api/v1/hall', keen.token)).items.length > 0, 30, 'the demand in the hall')
  const refused = await fetch(`${platform.apiUrl}/api/v1/hall/${demand.id}/interest`, {
    method: 'POST', headers: { Authorization: `Bearer ${narrow.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ note: '我们也可以做' }),
  })
  expect(refused.status).toBe(409)
  expect(((await refused.json()) as { message: string }).message).toContain('机构没有覆盖以下项目的有效资质：LED筒灯')

  // The keen institution's person finds it in the hall, without who asks, and expresses interest.
  await signIn(page, platform, keen.member)
  await page.getByRole('menuitem', { name: '需求大厅' }).click()
  await expect(page.getByRole('heading', { name: '需求大厅' })).toBeVisible()
  const row = page.getByTestId('hall-table').getByRole('row').filter({ hasText: title })
  await expect(row).toContainText('检验检测')
  await expect(row.getByTestId('hall-countdown')).toContainText(/剩余/)
  await expect(page.getByText(enterprise.name)).toHaveCount(0)
  await checkPage(page, testInfo, 'institution-hall')
  await row.getByRole('button', { name: '表达意向' }).click()
  const dialog = page.getByRole('dialog', { name: '表达服务意向' })
  await dialog.getByLabel('意向说明').fill('本中心每周检测LED筒灯，可三个工作日内出具报告。')
  await dialog.getByRole('button', { name: '提交' }).click()
  await expect(page.getByText('已表达意向').first()).toBeVisible()
  await expect(row.getByRole('button', { name: '撤回意向' })).toBeVisible()
  const listed = await platform.ok(200, 'GET', `/api/v1/hall/${demand.id}`, keen.token)
  expect([listed.interest_count, listed.my_interest.note]).toEqual([1, '本中心每周检测LED筒灯，可三个工作日内出具报告。'])
  await signOut(page)

  // The specialist sees who is interested on the demand's page, ends the listing, and matching
  // gives the demand to the interested institution.
  await signIn(page, platform, zhou)
  await page.goto(`/specialist/demands/${demand.id}`)
  const hall = page.getByTestId('hall-panel')
  await expect(hall).toContainText('公示中')
  await expect(hall.getByTestId('hall-interests')).toContainText(keen.institution.name)
  await checkPage(page, testInfo, 'specialist-demand-hall')
  await hall.getByRole('button', { name: '结束公示并匹配' }).click()
  await expect(hall).toContainText('已结束公示')
  await expect(hall).toContainText('服务站提前结束公示')
  const assigned = await platform.until(async () => {
    const shown = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, specialistToken)
    return shown.status === 'assigned' ? shown : null
  }, 30, 'the assignment')
  expect(assigned.assignment.institution_id).toBe(keen.institution.id)
  expect(assigned.assignment.institution_id).not.toBe(rival.institution.id)
  await page.reload()
  await expect(page.getByTestId('matching')).toContainText('意向')
})

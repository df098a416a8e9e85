import type { Page } from '@playwright/test'
import { test, expect, checkPage, signIn } from './support/fixtures'
import { attach, seedStation } from './support/scene'

/** Records an item through its dialog: a measure's number, a note and a file. */
async function record(page: Page, code: string, measure: number, fileName: string) {
  await page.getByTestId(`act-${code}`).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('record-measure').getByRole('spinbutton').fill(String(measure))
  await dialog.getByTestId('record-note').fill('园区服务中心一楼')
  await dialog.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7 ${fileName}`) })
  await dialog.getByTestId('record-save').click()
  await expect(dialog).toBeHidden()
}

test("a station records its requirements with evidence, fails the area minimum, a supervisor sees it named and confirms, and the fix makes it conform", async ({ page, browser, platform, state }, testInfo) => {
  test.setTimeout(150_000)
  const suffix = Date.now().toString(36)
  const operatorToken = await platform.signIn(state.people.operator!)
  const { station, specialist, specialistToken } = await seedStation(platform, operatorToken, {
    park: `req-park-${suffix}`, name: `达标测试站${suffix}`, specialist: { signInName: `req.chen.${suffix}`, name: '陈静' },
  })
  // A second trained specialist: staffing is counted from the staff, never typed.
  await platform.ok(201, 'POST', `/api/v1/stations/${station.id}/specialists`, operatorToken, {
    staff_id: `req-second-${suffix}`, name: '林芳', trained: true,
  })
  // Every other item recorded through the API, each with its evidence.
  const path = `/api/v1/stations/${station.id}/requirements`
  const checklist = await platform.ok(200, 'GET', path, specialistToken)
  for (const item of checklist.items) {
    if (item.derived || item.code === 'area_m2') continue
    const evidence = [await attach(platform, specialistToken, `${item.code}.pdf`, `%PDF-1.7 ${item.code}`, 'application/pdf')]
    const value = item.kind === 'fact' ? { value: true } : {}
    await platform.ok(200, 'PUT', `${path}/${item.code}`, specialistToken, { ...value, evidence })
  }
  const agency = await platform.organisation(operatorToken, 'agency', `REQ-AMR-${suffix}`, '广州市番禺区市场监督管理局')
  const supervisor = await platform.person(operatorToken, agency, `req.regulator.${suffix}`, ['supervisor'], undefined, '张监管')

  // The specialist records the floor area, below the minimum, with its floor plan.
  await signIn(page, platform, specialist)
  await page.getByRole('menuitem', { name: '建设与管理要求' }).click()
  await expect(page.getByRole('heading', { name: '工作站建设与管理要求' })).toBeVisible()
  await expect(page.getByTestId('conformity')).toHaveText('未填报完整')
  await record(page, 'area_m2', 0.5, 'floor-plan.pdf')
  await expect(page.getByTestId('state-area_m2')).toHaveText('未达标')
  await expect(page.getByTestId('conformity')).toHaveText('未达标')
  await expect(page.getByTestId('failing-items')).toContainText('办公场所面积')
  await expect(page.getByTestId('requirements-table')).toContainText('0.5 m² 低于最低要求 20 m²')
  await checkPage(page, testInfo, 'specialist-requirements')
  const failing = await platform.ok(200, 'GET', path, specialistToken)
  expect(failing.conformity.status).toBe('non_conforming')
  expect(failing.conformity.failing).toEqual(['area_m2'])

  // The supervisor sees the station non-conforming with the item named, opens it and confirms the site.
  const supervising = await browser.newContext({ baseURL: state.consoleUrl })
  const supervisorPage = await supervising.newPage()
  await signIn(supervisorPage, platform, supervisor)
  await supervisorPage.getByRole('menuitem', { name: '工作站达标情况' }).click()
  const row = supervisorPage.getByTestId('stations-table').getByRole('row').filter({ hasText: station.name })
  await expect(row).toContainText('未达标')
  await expect(row).toContainText('area_m2')
  await row.getByRole('button', { name: '查看' }).click()
  await expect(supervisorPage.getByTestId('failing-items')).toContainText('办公场所面积')
  await supervisorPage.getByTestId('act-site').click()
  const confirmation = supervisorPage.getByRole('dialog')
  await confirmation.locator('textarea').fill('现场查看属实')
  await confirmation.getByRole('button', { name: '确认' }).last().click()
  await expect(confirmation).toBeHidden()
  await expect(supervisorPage.getByTestId('act-site')).toHaveCount(0)
  await checkPage(supervisorPage, testInfo, 'supervisor-requirements')
  const confirmed = await platform.ok(200, 'GET', path, specialistToken)
  const site = confirmed.items.find((item: { code: string }) => item.code === 'site')
  expect(site.record.confirmation_note).toBe('现场查看属实')
  expect(site.record.confirmed_by.role).toBe('supervisor')
  await supervising.close()

  // The fix: the area recorded again, now above the minimum; the station conforms.
  await record(page, 'area_m2', 120.5, 'floor-plan-2026.pdf')
  await expect(page.getByTestId('state-area_m2')).toHaveText('已达标')
  await expect(page.getByTestId('conformity')).toHaveText('达标')
  await expect(page.getByTestId('failing-items')).toHaveCount(0)
  const fixed = await platform.ok(200, 'GET', path, specialistToken)
  expect(fixed.conformity.status).toBe('conforming')
  expect(fixed.items.find((item: { code: string }) => item.code === 'area_m2').record.evidence[0].name).toBe('floor-plan-2026.pdf')
})

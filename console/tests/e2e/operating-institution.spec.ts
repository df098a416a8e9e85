import { test, expect, checkPage, signIn } from './support/fixtures'
import { seedStation } from './support/scene'

test('an operating institution lists the station it runs and records its own items only, with a file', async ({ page, platform, state }, testInfo) => {
  test.setTimeout(120_000)
  const suffix = Date.now().toString(36)
  const operatorToken = await platform.signIn(state.people.operator!)
  const { station } = await seedStation(platform, operatorToken, {
    park: `oi-park-${suffix}`, name: `运营测试站${suffix}`, specialist: { signInName: `oi.chen.${suffix}`, name: '陈静' },
  })
  const code = (station.operating_institution as { credit_code: string }).credit_code
  const organisation = await platform.organisation(operatorToken, 'operating_institution', code, `运营机构${suffix}`)
  const member = await platform.person(operatorToken, organisation, `oi.li.${suffix}`, ['operating_institution_member'], undefined, '李运营')

  await signIn(page, platform, member)
  await expect(page.getByRole('heading', { name: '本机构运营的工作站' })).toBeVisible()
  const row = page.getByTestId('operated-stations').getByRole('row').filter({ hasText: station.name })
  // One specialist, fewer than the checklist's minimum of two: non-conforming already.
  await expect(row).toContainText('未达标')
  await row.getByRole('button', { name: '建设与管理要求' }).click()
  await expect(page.getByRole('heading', { name: station.name })).toBeVisible()
  await expect(page.getByTestId('act-site')).toHaveCount(0) // the station's own item
  await expect(page.getByTestId('owned-met')).toContainText('0 / 3')

  await page.getByTestId('act-institution_rules').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('record-note').fill('2026 版管理制度')
  await dialog.locator('input[type=file]').setInputFiles({ name: 'rules.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 rules') })
  await dialog.getByTestId('record-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('state-institution_rules')).toHaveText('已达标')
  await expect(page.getByTestId('owned-met')).toContainText('1 / 3')
  await checkPage(page, testInfo, 'operating-institution-requirements')

  const recorded = await platform.ok(200, 'GET', `/api/v1/stations/${station.id}/requirements`, operatorToken)
  const rules = recorded.items.find((item: { code: string }) => item.code === 'institution_rules')
  expect(rules.record.recorded_by.role).toBe('operating_institution')
  expect(rules.record.recorded_by.subject).toBe(code)
  expect(rules.record.evidence[0].name).toBe('rules.pdf')
})

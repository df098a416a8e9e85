import type { Page } from '@playwright/test'
import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { seedEnterprise, seedInstitution, seedStation } from './support/scene'

/** An Element Plus input or textarea by its test id (on the control itself, or on a wrapper). */
function field(page: Page, testId: string) {
  return page.locator(`:is(input, textarea)[data-testid="${testId}"], [data-testid="${testId}"] :is(input, textarea)`).first()
}

/** Tomorrow's date where the instrument is (Asia/Shanghai): its 10:00 is always ahead. */
function tomorrowInShanghai(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  const [year, month, day] = today.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10)
}

test('an enterprise books a slot of a shared instrument, a slot taken meanwhile is refused with the reason, and the owner confirms', async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(180_000)
  const unique = `${Date.now()}`
  const tomorrow = tomorrowInShanghai()
  // Seeded through the API: a park's station, an institution sharing a tensile tester there
  // (open every day 08:00-18:00 in hour slots), and two enterprises.
  const operatorToken = await platform.signIn(state.people.operator!)
  const park = `share-park-${unique}`
  await seedStation(platform, operatorToken, { park, name: '番禺共享设备服务站', specialist: { signInName: `chen.share.${unique}`, name: '陈专员' } })
  const lab = await seedInstitution(platform, operatorToken, {
    name: `番禺材料检测中心${unique.slice(-4)}`, categories: ['equipment_sharing'], parks: [park], capacity: 20,
    qualifications: [{ type: 'CMA', number: `CMA-${unique}`, scope: ['拉伸强度'], valid_from: '2024-01-01', valid_until: '2099-12-31' }],
  }, { signInName: `wang.share.${unique}`, name: '王工' })
  const name = `万能材料试验机 ${unique.slice(-4)}`
  const instrument = await platform.ok(201, 'POST', '/api/v1/instruments', lab.token, {
    code: `UTM-${unique}`, name, model: 'WDW-100', capabilities: ['拉伸强度', '弯曲试验'], park,
    address: '番禺节能科技园 3 号楼 101', fees: [{ amount_cny: '200.00', unit: 'per_hour' }],
    calendar: { timezone: 'Asia/Shanghai', slot_minutes: 60, weekly: Object.fromEntries(
      ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, ['08:00-18:00']])) },
  })
  const liHua = await seedEnterprise(platform, operatorToken, { name: '广州明辉灯具有限公司', admin: { signInName: `li.hua.share.${unique}`, name: '李华' } })
  const rival = await seedEnterprise(platform, operatorToken, { name: '广州恒达五金有限公司', admin: { signInName: `zhao.share.${unique}`, name: '赵六' } })

  // The enterprise finds the instrument by what it does and opens its week.
  await signIn(page, platform, liHua.admin)
  await page.getByRole('menuitem', { name: '共享设备' }).click()
  await field(page, 'instrument-search').fill('拉伸')
  await page.getByRole('button', { name: '查找' }).click()
  await page.getByTestId('instrument-table').getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { name })).toBeVisible()
  await expect(page.getByText('200.00 元/小时')).toBeVisible()

  // It chooses tomorrow 10:00 and fills in the booking; meanwhile another enterprise takes it.
  await page.getByTestId(`slot-${tomorrow}T10:00`).click()
  await expect(page.getByTestId('chosen-slot')).toContainText(`${tomorrow} 10:00`)
  await field(page, 'booking-purpose').fill('LED 灯具外壳拉伸强度测试，5 个样品')
  await field(page, 'booking-enterprise').fill('广州明辉灯具有限公司')
  await field(page, 'booking-contact').fill('李华')
  await platform.ok(201, 'POST', `/api/v1/instruments/${instrument.id}/bookings`, rival.token, {
    start: `${tomorrow}T10:00:00+08:00`, end: `${tomorrow}T11:00:00+08:00`, purpose: '五金件拉伸测试',
    enterprise_name: rival.name, contact: '赵六',
  })
  await page.getByTestId('booking-submit').click()
  // Refused with the reason, the slot it clashed with named (never who holds it).
  await expect(page.getByRole('alert').filter({ hasText: '该时段已被预约，请另选时段' })).toBeVisible()
  await expect(page.getByTestId('slot-clash')).toContainText(`与已预约的时段冲突：${tomorrow} 10:00`)
  await expect(page.getByText(rival.name)).toHaveCount(0)
  await forgive(consoleErrors, 409, /\/bookings/)
  await expect(page.getByTestId(`slot-${tomorrow}T10:00`)).toHaveAttribute('data-state', 'taken')

  // The next hour is free: booked.
  await page.getByTestId(`slot-${tomorrow}T11:00`).click()
  await page.getByTestId('booking-submit').click()
  await expect(page.getByText('预约已提交，等待机构确认')).toBeVisible()
  await expect(page.getByTestId(`slot-${tomorrow}T11:00`)).toHaveAttribute('data-state', 'mine')
  await checkPage(page, testInfo, 'enterprise-instrument-booking')
  const booked = await platform.ok(200, 'GET', '/api/v1/bookings', liHua.token)
  expect(booked.items.map((b: { start: string; status: string }) => [b.start, b.status])).toEqual([[`${tomorrow}T11:00:00+08:00`, 'requested']])

  await page.getByRole('link', { name: '返回共享设备' }).click()
  await expect(page.getByTestId('my-bookings')).toContainText(name)
  await expect(page.getByTestId('my-bookings')).toContainText('待确认')

  // The owner confirms it on its own page.
  await page.context().clearCookies()
  await signIn(page, platform, lab.member)
  await page.getByRole('menuitem', { name: '共享仪器' }).click()
  await expect(page.getByTestId('owned-instruments')).toContainText(name)
  const row = page.getByTestId('instrument-bookings').getByRole('row').filter({ hasText: '广州明辉灯具有限公司' })
  await expect(row).toContainText('待确认')
  await row.getByTestId('booking-confirm').click()
  await expect(row).toContainText('已确认')
  await checkPage(page, testInfo, 'institution-instruments')
  const confirmed = await platform.ok(200, 'GET', '/api/v1/bookings?status=confirmed', liHua.token)
  expect(confirmed.items).toHaveLength(1)
})

import { test, expect, checkPage, signIn } from './support/fixtures'
import type { Page } from '@playwright/test'
import { creditCode } from './support/platform'
import { attach, seedEnterprise, seedInstitution } from './support/scene'

/**
 * The browser logs each 4xx answer as an error; the ones this journey provokes on purpose (to
 * see the API's message next to the field) are taken out of the fixture's list, no others.
 */
function expectRefusals(errors: string[], answers: [number, RegExp][]): void {
  for (const [status, path] of answers) {
    const index = errors.findIndex((error) => error.includes(`status of ${status}`) && path.test(error))
    expect(index, `a ${status} answer of ${path}`).toBeGreaterThanOrEqual(0)
    errors.splice(index, 1)
  }
}

/** An Element Plus input by its test id (on the input itself, or on a wrapper around it). */
function field(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
}

test("an institution's person answers an offer, serves it, sets its webhook and edits its capacity", async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(180_000)
  const unique = `${Date.now()}`
  // Seeded through the API: a station of a park of its own, an institution of that park and
  // category that answers offers by hand, its person, and an enterprise's demand with a file.
  const operatorToken = await platform.signIn(state.people.operator!)
  const park = `inst-park-${unique}`
  await platform.ok(201, 'POST', '/api/v1/stations', operatorToken, {
    name: '番禺检测服务站', park, address: '广州市番禺区科学路8号',
    operating_institution: { name: '番禺质量服务有限公司', credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30',
  })
  const { institution, token: labToken, member: wang } = await seedInstitution(platform, operatorToken, {
    name: `广州产品质量检测中心${unique.slice(-4)}`, categories: ['inspection_testing'],
    qualifications: [{ type: 'CMA', number: `CMA-${unique}`, issuer: '广东省市场监督管理局', scope: ['LED筒灯'], valid_from: '2024-01-01', valid_until: '2099-12-31' }],
    parks: [park], capacity: 20, auto_accept_offers: false,
    price_list: [{ item: 'LED筒灯型式试验', price_cny: '3800.00', unit: '每型号' }],
  }, { signInName: `wang.lab.${unique}`, name: '王工' })
  const { party, token: enterpriseToken } = await seedEnterprise(platform, operatorToken, {
    name: '广州明辉灯具有限公司', admin: { signInName: `li.hua.inst.${unique}`, name: '李华' },
  })
  const sample = await attach(platform, enterpriseToken, '样品说明.pdf', '%PDF-1.7 样品说明', 'application/pdf')
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', enterpriseToken, {
    enterprise: party, park, category: 'inspection_testing', title: `LED筒灯型式试验 ${unique}`,
    description: '出口欧盟前的型式试验，样品3件。', items: ['LED筒灯'], attachments: [sample],
  })
  const second = await platform.ok(201, 'POST', '/api/v1/demands', enterpriseToken, {
    enterprise: party, park, category: 'inspection_testing', title: `LED筒灯色温测试 ${unique}`,
    description: '色温与显色指数测试。', items: ['LED筒灯'],
  })
  const offer = await platform.until(async () => {
    const page = await platform.ok(200, 'GET', '/api/v1/assignments?status=offered', labToken)
    return page.items.find((item: { demand_id: string }) => item.demand_id === demand.id)
  }, 30, 'the offer')

  // Home: the offer with its countdown.
  await signIn(page, platform, wang)
  await expect(page).toHaveURL(/\/institution$/)
  await expect(page.getByRole('heading', { name: '服务邀约与承接' })).toBeVisible()
  const row = page.getByTestId('assignments-table').getByRole('row').filter({ hasText: `LED筒灯型式试验 ${unique}` })
  await expect(row).toContainText('待响应')
  await expect(row.getByTestId('offer-countdown')).toContainText(/剩余/)
  await expect(row).toContainText('检验检测')
  await checkPage(page, testInfo, 'institution-offers')

  // The offer's page: the whole request, not who asks.
  await row.getByRole('button', { name: '去响应' }).click()
  await expect(page).toHaveURL(new RegExp(`/institution/assignments/${offer.assignment_id}$`))
  const details = page.getByTestId('request-details')
  await expect(details).toContainText('出口欧盟前的型式试验')
  await expect(details).toContainText('样品说明.pdf')
  await expect(details).toContainText('接受邀约后可下载')
  await expect(page.getByText('广州明辉灯具有限公司')).toHaveCount(0)
  await checkPage(page, testInfo, 'institution-offer')

  // A date in the past: the API's message next to the field.
  const date = page.getByRole('combobox', { name: '承诺完成日期' })
  await date.fill('2020-01-01')
  await date.press('Enter')
  await page.getByRole('button', { name: '接受邀约' }).click()
  const dateItem = page.locator('.el-form-item').filter({ has: date })
  await expect(dateItem.locator('.el-form-item__error')).toContainText('不能早于今天')
  const promised = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
  await date.fill(promised)
  await date.press('Enter')
  await page.getByRole('button', { name: '接受邀约' }).click()
  await expect(page.getByTestId('assignment-status')).toHaveText('服务中')
  await expect(page.getByTestId('enterprise-details')).toContainText('广州明辉灯具有限公司')
  await expect(page.getByTestId('request-files').getByRole('button', { name: '样品说明.pdf' })).toBeVisible()

  // Progress, then completion with an uploaded evidence file.
  await page.getByLabel('进度节点').fill('样品已收到')
  await page.getByLabel('备注').fill('3件样品完好')
  await page.getByRole('button', { name: '记录进度' }).click()
  await expect(page.getByTestId('progress-timeline')).toContainText('样品已收到')
  await page.getByRole('button', { name: '提交完成' }).click()
  await expect(page.getByText('须填写报告编号或证书编号')).toBeVisible()
  await page.getByLabel('报告编号').fill(`GZJC-${unique}`)
  await page.getByTestId('evidence-upload').locator('input[type=file]').setInputFiles({
    name: '检测报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7 检测报告 ${unique}`),
  })
  await expect(page.getByTestId('evidence-list')).toContainText('检测报告.pdf')
  await checkPage(page, testInfo, 'institution-assignment')
  await page.getByRole('button', { name: '提交完成' }).click()
  await expect(page.getByTestId('assignment-status')).toHaveText('已完成')
  await expect(page.getByTestId('evidence-details')).toContainText(`GZJC-${unique}`)
  await expect(page.getByTestId('evidence-details')).toContainText('检测报告.pdf')

  const served = await platform.until(async () => {
    const page = await platform.ok(200, 'GET', '/api/v1/assignments?status=completed', labToken)
    return page.items.find((item: { assignment_id: string }) => item.assignment_id === offer.assignment_id)
  }, 20, 'the completed assignment')
  expect(served.promised_date).toBe(promised)
  expect(served.progress.map((step: { milestone: string }) => step.milestone)).toEqual(['样品已收到'])
  expect(served.evidence.report_number).toBe(`GZJC-${unique}`)
  expect(served.evidence.documents.map((doc: { name: string }) => doc.name)).toEqual(['检测报告.pdf'])

  // The second offer, declined with the reason.
  await page.getByRole('menuitem', { name: '邀约与服务' }).click()
  await page.getByTestId('status-filter').getByText('待响应').click()
  const secondRow = page.getByTestId('assignments-table').getByRole('row').filter({ hasText: `LED筒灯色温测试 ${unique}` })
  await secondRow.getByRole('button', { name: '去响应' }).click()
  await expect(page.getByTestId('request-details')).toContainText('色温与显色指数测试')
  await page.getByRole('button', { name: '谢绝邀约' }).click()
  const dialog = page.getByRole('dialog', { name: '谢绝邀约' })
  await dialog.getByLabel('谢绝原因').fill('检测设备检修中，无法按期完成')
  await dialog.getByRole('button', { name: '谢绝邀约' }).click()
  await expect(page.getByTestId('assignment-status')).toHaveText('已谢绝')
  await platform.until(async () => {
    const page = await platform.ok(200, 'GET', '/api/v1/assignments?status=declined', labToken)
    return page.items.some((item: { demand_id: string }) => item.demand_id === second.id)
  }, 20, 'the declined offer')

  // Webhook: a private address refused next to the field, then one the platform takes; the
  // secret shown once.
  await page.getByRole('menuitem', { name: '回调设置' }).click()
  await expect(page.getByRole('heading', { name: '回调设置' })).toBeVisible()
  await expect(page.getByText('尚未登记回调地址')).toBeVisible()
  await field(page, 'webhook-url').fill('https://10.1.2.3/onestop')
  await page.getByRole('button', { name: '登记地址' }).click()
  const urlItem = page.locator('.el-form-item').filter({ has: field(page, 'webhook-url') })
  await expect(urlItem.locator('.el-form-item__error')).toContainText('不是公网地址')
  await field(page, 'webhook-url').fill('https://127.0.0.1:9/onestop')
  await page.getByRole('button', { name: '登记地址' }).click()
  await expect(page.getByTestId('webhook-secret')).toContainText('仅显示这一次')
  const secret = await field(page, 'webhook-secret-value').inputValue()
  expect(secret).toMatch(/^whsec_/)
  await expect(page.getByTestId('webhook-details')).toContainText('https://127.0.0.1:9/onestop')
  await checkPage(page, testInfo, 'institution-webhook')
  await page.getByRole('button', { name: '我已保存密钥' }).click()
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0)
  const webhook = await platform.ok(200, 'GET', '/api/v1/partner/webhook', labToken)
  expect(webhook.url).toBe('https://127.0.0.1:9/onestop')
  expect(webhook.secret).toBeUndefined()

  // A new secret (shown once again), and redelivery from the first event.
  await page.getByRole('button', { name: '重新生成密钥' }).click()
  await page.getByRole('dialog').getByRole('button', { name: '确认' }).click()
  await expect(page.getByTestId('webhook-secret')).toBeVisible()
  expect(await field(page, 'webhook-secret-value').inputValue()).not.toBe(secret)
  const first = (await platform.ok(200, 'GET', '/api/v1/partner/events?limit=1', labToken)).items[0].event_id as string
  await page.getByLabel('起始事件 ID').fill(first)
  await page.getByRole('button', { name: '重新推送' }).click()
  await expect(page.getByTestId('webhook-log')).toContainText('重新推送起点')
  const rotated = await platform.ok(200, 'GET', '/api/v1/partner/webhook', labToken)
  expect(rotated.previous_secret_valid_until).not.toBeNull()
  expect(rotated.log.some((line: { rewound?: boolean; event_id: string }) => line.rewound && line.event_id === first)).toBe(true)

  // The event stream.
  await page.getByRole('menuitem', { name: '事件流' }).click()
  await expect(page.getByTestId('events-table')).toContainText('offer.made')
  await checkPage(page, testInfo, 'institution-events')

  // The profile: capacity changed, with the reason.
  await page.getByRole('menuitem', { name: '机构信息' }).click()
  await expect(page.getByTestId('profile-details')).toContainText(institution.name)
  await expect(page.getByText(`CMA-${unique}`)).toBeVisible()
  const capacity = field(page, 'capacity')
  await capacity.fill('35')
  await capacity.press('Tab')
  await page.getByRole('button', { name: '保存修改' }).click()
  const reasonItem = page.locator('.el-form-item').filter({ has: page.getByLabel('变更原因') })
  await expect(reasonItem.locator('.el-form-item__error')).toBeVisible()
  await page.getByLabel('变更原因').fill('新增一条检测线')
  await page.getByRole('button', { name: '保存修改' }).click()
  await expect(page.getByTestId('profile-capacity')).toHaveText('35')
  await page.mouse.move(0, 0) // a hovered button is lighter: measure it at rest
  await checkPage(page, testInfo, 'institution-profile')
  const profile = await platform.ok(200, 'GET', `/api/v1/institutions/${institution.id}`, labToken)
  expect(profile.capacity).toBe(35)
  expect(profile.auto_accept_offers).toBe(false)

  // A complaint of the enterprise about it, answered with its statement.
  const complaint = await platform.ok(201, 'POST', '/api/v1/complaints', enterpriseToken, {
    demand_id: demand.id, against: { kind: 'institution', id: institution.id }, summary: `报告延迟发放 ${unique}`,
  })
  await page.getByRole('menuitem', { name: '投诉处理' }).click()
  const complaintRow = page.getByTestId('complaints-table').getByRole('row').filter({ hasText: `报告延迟发放 ${unique}` })
  await expect(complaintRow).toContainText('已受理')
  await checkPage(page, testInfo, 'institution-complaints')
  await complaintRow.getByRole('button', { name: '答复' }).click()
  const answerDialog = page.getByRole('dialog', { name: '答复投诉' })
  await answerDialog.getByLabel('情况说明').fill('报告已于承诺日期前出具，已电话联系企业说明。')
  await answerDialog.getByRole('button', { name: '提交' }).click()
  await expect(page.getByText('已提交答复')).toBeVisible()
  const answered = await platform.ok(200, 'GET', `/api/v1/complaints/${complaint.id}`, labToken)
  expect(JSON.stringify(answered.history)).toContain('报告已于承诺日期前出具')

  expectRefusals(consoleErrors, [
    [422, /\/acceptance\)$/], // the date in the past
    [422, /\/completion\)$/], // no report number
    [404, /\/partner\/webhook\)$/], // no webhook yet
    [422, /\/partner\/webhook\)$/], // a private address
    [422, /\/institutions\/[^/]+\)$/], // no reason
  ])
})

import { testOnOwnPlatform, expect, checkPage, signIn } from './support/fixtures'
import { seedEnterprise, seedInstitution, seedStation } from './support/scene'

/**
 * Testing with a quote first: the laboratory quotes on its assignment, the enterprise accepts
 * the quote on its demand's page, the laboratory records the sample and completes with a report
 * number, and the number is found on the register's page. On a platform of its own that quotes
 * testing and certification (the shared one serves testing straight away).
 */
const test = testOnOwnPlatform('platform-quotes.log', {
  ONESTOP_QUOTE_CATEGORIES: '[inspection_testing, certification_accreditation]',
})

test('a testing demand waits for the enterprise to accept the quote, and its report is found by number', async ({ page, browser, platform, state }, testInfo) => {
  test.setTimeout(240_000)
  const unique = `${Date.now()}`
  const operatorToken = await platform.signIn(state.people.operator!)
  const park = `quote-park-${unique}`
  await seedStation(platform, operatorToken, { park, name: '番禺检测服务站', specialist: { signInName: `chen.quote.${unique}`, name: '陈静' } })
  const { token: labToken, member: wang } = await seedInstitution(platform, operatorToken, {
    name: `广州产品质量检测中心${unique.slice(-4)}`, categories: ['inspection_testing'],
    qualifications: [{ type: 'CMA', number: `CMA-${unique}`, scope: ['LED筒灯'], valid_from: '2024-01-01', valid_until: '2099-12-31' }],
    parks: [park], capacity: 20, auto_accept_offers: true,
  }, { signInName: `wang.quote.${unique}`, name: '王工' })
  const { party, token: enterpriseToken, admin: li } = await seedEnterprise(platform, operatorToken, {
    name: '广州明辉灯具有限公司', admin: { signInName: `li.quote.${unique}`, name: '李华' },
  })
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', enterpriseToken, {
    enterprise: party, park, category: 'inspection_testing', title: `LED筒灯安全检测 ${unique}`,
    description: 'GB 7000.1 安全检测，样品3件。', items: ['LED筒灯'],
  })
  const assignment = await platform.until(async () => {
    const found = await platform.ok(200, 'GET', '/api/v1/assignments', labToken)
    return found.items.find((item: { demand_id: string }) => item.demand_id === demand.id)
  }, 30, 'the assignment')

  // The laboratory: the assignment waits for a quote, which it gives on screen.
  await signIn(page, platform, wang)
  await page.goto(`/institution/assignments/${assignment.assignment_id}`)
  await expect(page.getByTestId('assignment-status')).toHaveText('待企业确认报价')
  const quote = page.getByTestId('quote-panel')
  await quote.getByLabel('项目', { exact: true }).first().fill('GB 7000.1 安全检测')
  await quote.getByLabel('金额（元）').first().fill('3000')
  await quote.getByRole('button', { name: '添加项目' }).click()
  await quote.getByLabel('项目', { exact: true }).nth(1).fill('报告副本')
  await quote.getByLabel('金额（元）').nth(1).fill('600.50')
  await expect(page.getByTestId('quote-total')).toHaveText('3600.50 元')
  const until = quote.getByRole('combobox', { name: '报价有效期至' })
  await until.fill('2099-12-31')
  await until.press('Enter')
  await quote.getByRole('button', { name: '提交报价' }).click()
  await expect(page.getByTestId('quote-given')).toContainText('待企业确认')
  await expect(page.getByTestId('quote-given')).toContainText('3600.50 元')
  await checkPage(page, testInfo, 'quotes-institution-quote')

  // The enterprise, in its own browser: accepts the quote on its demand's page.
  const enterprise = await browser.newContext({ baseURL: state.consoleUrl })
  const enterprisePage = await enterprise.newPage()
  await signIn(enterprisePage, platform, li)
  await enterprisePage.goto(`/enterprise/demands/${demand.id}`)
  await expect(enterprisePage.getByTestId('quote')).toContainText('3600.50 元')
  await enterprisePage.getByRole('button', { name: '接受报价' }).click()
  await expect(enterprisePage.getByTestId('quote')).toContainText('已接受')
  const served = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, enterpriseToken)
  expect(served.institution.status).toBe('in_service')
  expect(served.institution.quote.answer).toBe('accepted')

  // The laboratory: the work starts; a sample, then the completion with its report number.
  await page.reload()
  await expect(page.getByTestId('assignment-status')).toHaveText('服务中')
  const samples = page.getByTestId('samples-panel')
  await samples.getByLabel('样品编号').fill(`S-${unique}`)
  await samples.getByLabel('样品名称').fill('LED筒灯')
  await samples.getByLabel('样品状态').fill('封样完好')
  await samples.getByRole('button', { name: '登记收样' }).click()
  await expect(page.getByTestId('samples-table')).toContainText(`S-${unique}`)
  const number = `GZJC-${unique}`
  await page.getByLabel('报告编号').fill(number)
  await page.getByLabel('范围').fill('GB 7000.1 全项')
  await page.getByRole('button', { name: '提交完成' }).click()
  await expect(page.getByTestId('assignment-status')).toHaveText('已完成')
  await expect(page.getByTestId('evidence-details')).toContainText(number)

  // The enterprise finds the report on the register's page by the number's beginning: valid
  // today, with who issued it.
  await enterprisePage.getByRole('menuitem', { name: '报告证书查询' }).click()
  await enterprisePage.getByLabel('报告或证书编号').fill(number.slice(0, 10))
  await enterprisePage.getByRole('button', { name: '查询' }).click()
  const found = enterprisePage.getByTestId('reports').getByRole('row').filter({ hasText: number })
  await expect(found).toContainText('报告')
  await expect(found).toContainText('今日有效')
  await expect(found).toContainText('广州产品质量检测中心')
  await checkPage(enterprisePage, testInfo, 'quotes-register')
  await enterprise.close()
  const register = await platform.ok(200, 'GET', `/api/v1/reports?number=${number}`, enterpriseToken)
  expect(register.items.map((item: { number: string; kind: string; valid_today: boolean }) => [item.number, item.kind, item.valid_today]))
    .toEqual([[number, 'report', true]])
})

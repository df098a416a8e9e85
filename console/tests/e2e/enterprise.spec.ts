import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { creditCode } from './support/platform'
import { attach, seedEnterprise, seedInstitution, seedStation } from './support/scene'

test("an enterprise submits a demand, follows it to its institution, rates the service and complains", async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(120_000)
  page.setDefaultTimeout(15_000)
  const stamp = Date.now()
  const ops = await platform.signIn(state.people.operator!)

  // Seeded through the API: a park's station (accepting testing demands by its rules) with a
  // specialist, an institution that accepts offers at once with its prices, an enterprise and its person.
  const park = `ent-park-${stamp}`
  const station = await platform.ok(201, 'POST', '/api/v1/stations', ops, {
    name: '番禺灯具产业园质量服务站', park, address: '广州市番禺区市桥街1号',
    operating_institution: { name: '番禺质量服务有限公司', credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30', auto_accept: ['inspection_testing'],
  })
  await platform.ok(201, 'POST', `/api/v1/stations/${station.id}/specialists`, ops, { staff_id: `S-${stamp}`, name: '陈专员', trained: true })
  const institutionName = `广州灯具检测院${stamp % 100000}`
  const { institution, member: tester } = await seedInstitution(platform, ops, {
    name: institutionName, categories: ['inspection_testing'], parks: [park], capacity: 10,
    auto_accept_offers: true,
    qualifications: [{ type: 'CMA', number: `CMA-${stamp}`, scope: ['LED筒灯'], valid_from: '2025-01-01', valid_until: '2029-12-31' }],
    price_list: [{ item: 'LED筒灯', price_cny: '1200.00', unit: '每样品' }],
  }, { signInName: `tester.${stamp}`, name: '王检测' })
  const { name: enterpriseName, code, admin: liHua, token } = await seedEnterprise(platform, ops, {
    name: `广州明亮灯具有限公司${stamp % 100000}`, admin: { signInName: `li.hua.e.${stamp}`, name: '李华' },
  })

  // Home: the cases at a glance (none yet) and the way to submit.
  await signIn(page, platform, liHua)
  await expect(page).toHaveURL(/\/enterprise$/)
  await expect(page.getByRole('heading', { name: '企业工作台' })).toBeVisible()
  await expect(page.getByTestId('demand-counts')).toContainText('全部需求')
  await checkPage(page, testInfo, 'enterprise-home')

  // The form: the enterprise's details prefilled; the title left out first, to see the API's error.
  await page.getByRole('link', { name: '提交新需求' }).click()
  await expect(page).toHaveURL(/\/enterprise\/demands\/new$/)
  await expect(page.getByLabel('企业名称')).toHaveValue(enterpriseName)
  await expect(page.getByLabel('统一社会信用代码')).toHaveValue(code)
  await expect(page.getByLabel('联系人')).toHaveValue('李华')
  await page.getByTestId('category').click()
  await page.getByRole('option', { name: '检验检测服务' }).click()
  await page.getByLabel('需求描述').fill('出口欧盟前的LED筒灯型式试验，样品3件。')
  const items = page.getByLabel('服务项目')
  await items.fill('LED筒灯')
  await items.press('Enter')
  await page.getByLabel('联系电话').fill('020-8888 0000')
  await page.getByLabel('所在园区代码').fill(park)
  await page.locator('input[type=file]').setInputFiles({ name: '产品说明书.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 LED downlight') })
  await expect(page.getByTestId('uploaded-files')).toContainText('产品说明书.pdf')
  await page.getByTestId('submit-demand').click()
  const titleItem = page.locator('.el-form-item').filter({ has: page.getByLabel('需求名称') })
  await expect(titleItem.locator('.el-form-item__error')).toHaveText('不能为空')
  await expect(page).toHaveURL(/\/enterprise\/demands\/new$/)
  // The browser logs the API's 422 answer, which is what this step expects: that one only is forgiven.
  const refused = consoleErrors.findIndex((error) => /status of 422.*\/api\/v1\/demands\)$/.test(error))
  expect(refused).toBeGreaterThanOrEqual(0)
  consoleErrors.splice(refused, 1)
  await page.mouse.move(0, 0)
  await checkPage(page, testInfo, 'enterprise-demand-form')

  const title = `LED筒灯型式试验 ${stamp}`
  await page.getByLabel('需求名称').fill(title)
  await page.getByTestId('submit-demand').click()
  await expect(page).toHaveURL(/\/enterprise\/demands\/[0-9a-f-]{36}$/)
  const demandId = page.url().split('/').pop()!
  const submitted = await platform.ok(200, 'GET', `/api/v1/demands/${demandId}`, token)
  expect(submitted.title).toBe(title)
  expect(submitted.enterprise).toMatchObject({ name: enterpriseName, credit_code: code, contact: '李华' })
  expect(submitted.attachments.map((file: { name: string }) => file.name)).toEqual(['产品说明书.pdf'])

  // The rules accept it and the institution takes the offer at once: the page shows who serves it, at what price.
  await platform.until(async () => (await platform.ok(200, 'GET', `/api/v1/demands/${demandId}`, token)).status === 'assigned', 30, 'the assignment')
  await page.reload()
  await expect(page.getByRole('heading', { name: title })).toBeVisible()
  await expect(page.getByTestId('case-status')).toHaveText('服务中')
  const panel = page.getByTestId('institution')
  await expect(panel).toContainText(institutionName)
  await expect(panel).toContainText(`CMA CMA-${stamp}`)
  await expect(page.getByTestId('institution-prices')).toContainText('¥1200.00 / 每样品')
  const timeline = page.getByTestId('case-timeline')
  await expect(timeline).toContainText('提交需求')
  await expect(timeline).toContainText('确定服务机构')
  await expect(timeline).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
  await expect(page.getByTestId('case-files')).toContainText('产品说明书.pdf')
  await expect(page.getByRole('button', { name: '取消服务' })).toBeVisible()
  await checkPage(page, testInfo, 'enterprise-demand')

  // The institution records progress and completes the service with its report (through the API).
  const testerToken = await platform.signIn(tester)
  const assignmentId = (await platform.ok(200, 'GET', `/api/v1/demands/${demandId}`, token)).assignment.assignment_id
  await platform.ok(201, 'POST', `/api/v1/assignments/${assignmentId}/progress`, testerToken, { milestone: '样品已收到', note: '3件' })
  const report = await attach(platform, testerToken, '检测报告.pdf', '%PDF-1.4 report', 'application/pdf')
  await platform.ok(200, 'POST', `/api/v1/assignments/${assignmentId}/completion`, testerToken, {
    report_number: `R-${stamp}`, documents: [{ name: '检测报告.pdf', sha256: report }],
  })
  await platform.until(async () => (await platform.ok(200, 'GET', `/api/v1/demands/${demandId}`, token)).status === 'completed', 30, 'the completion')

  await page.reload()
  await expect(page.getByTestId('case-status')).toHaveText('已完成')
  await expect(panel).toContainText('样品已收到')
  await expect(page.getByText(`R-${stamp}`)).toBeVisible()
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: '下载 检测报告.pdf' }).click()
  expect((await download).suggestedFilename()).toBe('检测报告.pdf')

  // Feedback on the five dimensions (ElRate), sent through the form.
  const feedback = page.getByTestId('feedback-form')
  for (const [dimension, stars] of [['overall', 5], ['timeliness', 4], ['professionalism', 5], ['attitude', 5], ['outcome', 4]] as const) {
    await feedback.getByTestId(`rate-${dimension}`).locator('.el-rate__item').nth(stars - 1).click()
  }
  await feedback.getByLabel('评价意见').fill('报告及时，服务专业。')
  await checkPage(page, testInfo, 'enterprise-feedback')
  await feedback.getByRole('button', { name: '提交评价' }).click()
  await expect(page.getByTestId('feedback-given')).toBeVisible()
  const rated = await platform.until(async () => {
    const dossier = await platform.ok(200, 'GET', `/api/v1/archive/demands/${demandId}`, token)
    return dossier.events.find((event: { name: string }) => event.name === 'FeedbackGiven')
  }, 30, 'the feedback in the dossier')
  expect(JSON.stringify(rated.data)).toContain('报告及时')

  // A complaint about the institution, then its page and the list.
  await page.getByRole('button', { name: '投诉', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: '提出投诉' })
  await expect(dialog.getByRole('radio', { name: new RegExp(institutionName) })).toBeChecked()
  await dialog.getByLabel('投诉事由').fill('报告比承诺晚了两天')
  await dialog.getByLabel('详细情况').fill('承诺周三出具报告，周五才收到。')
  await checkPage(page, testInfo, 'enterprise-complaint-form')
  await dialog.getByRole('button', { name: '提交投诉' }).click()
  await expect(page).toHaveURL(/\/enterprise\/complaints\/[0-9a-f-]{36}$/)
  await expect(page.getByRole('heading', { name: '报告比承诺晚了两天' })).toBeVisible()
  await expect(page.getByTestId('complaint-status')).toHaveText('已受理')
  await expect(page.getByTestId('complaint-history')).toContainText('企业')
  await expect(page.getByText(`服务机构：${institutionName}`)).toBeVisible()
  await checkPage(page, testInfo, 'enterprise-complaint')
  const complaints = await platform.ok(200, 'GET', '/api/v1/complaints', token)
  const complaint = complaints.items.find((item: { summary: string }) => item.summary === '报告比承诺晚了两天')
  expect(complaint).toMatchObject({ demand_id: demandId, against: { kind: 'institution', id: institution.id }, status: 'received' })

  await page.getByRole('menuitem', { name: '我的投诉' }).click()
  await expect(page.getByTestId('complaint-table').getByRole('row').filter({ hasText: '报告比承诺晚了两天' })).toContainText('已受理')
  await checkPage(page, testInfo, 'enterprise-complaints')

  // The list, filtered by status (server-side), with the station's times.
  await page.getByRole('menuitem', { name: '我的需求' }).click()
  const row = page.getByTestId('demand-table').getByRole('row').filter({ hasText: title })
  await expect(row).toContainText('已完成')
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
  await page.getByTestId('status-filter').click()
  await page.getByRole('option', { name: '服务中' }).click()
  await expect(page).toHaveURL(/status=assigned/)
  await expect(page.getByText('还没有需求')).toBeVisible()
  await page.getByTestId('status-filter').click()
  await page.getByRole('option', { name: '已完成' }).click()
  await expect(row).toBeVisible()
  await checkPage(page, testInfo, 'enterprise-demands')

  // The home counts it, and its notices lead to the case.
  await page.getByRole('menuitem', { name: '首页' }).click()
  await expect(page.getByTestId('demand-counts')).toContainText('已完成')
  await page.getByTestId('latest-notices').getByRole('link', { name: new RegExp(title) }).first().click()
  await expect(page).toHaveURL(new RegExp(`/enterprise/demands/${demandId}$`))

  // A second demand, not accepted by rules: withdrawn with a reason from its page.
  const second = await platform.ok(201, 'POST', '/api/v1/demands', token, {
    enterprise: { name: enterpriseName, credit_code: code, contact: '李华', phone: '020-8888 0000' },
    park, category: 'metrology', title: `万用表校准 ${stamp}`, description: '两台万用表', items: ['万用表'],
  })
  await page.goto(`/enterprise/demands/${second.id}`)
  await expect(page.getByTestId('case-status')).toHaveText('已提交')
  await page.getByRole('button', { name: '撤回需求' }).click()
  const withdraw = page.getByRole('dialog', { name: '撤回需求' })
  await withdraw.getByLabel('原因').fill('已自行送检')
  await withdraw.getByRole('button', { name: '确认撤回' }).click()
  await expect(page.getByTestId('case-status')).toHaveText('已撤回')
  expect((await platform.ok(200, 'GET', `/api/v1/demands/${second.id}`, token)).status).toBe('withdrawn')

  // On a phone's width: the case page still reads top to bottom.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`/enterprise/demands/${demandId}`)
  await expect(page.getByTestId('institution')).toContainText(institutionName)
  await checkPage(page, testInfo, 'enterprise-demand-phone')
  await page.goto('/enterprise/demands/new')
  await expect(page.getByLabel('企业名称')).toHaveValue(enterpriseName)
  await checkPage(page, testInfo, 'enterprise-demand-form-phone')
})

test("an enterprise's person signs in and reads a notice in the inbox", async ({ page, platform, state }, testInfo) => {
  // Seeded through the API: the park's station, an enterprise with a person, and a demand of
  // theirs, whose receipt is a notice for the enterprise.
  const operatorToken = await platform.signIn(state.people.operator!)
  const stations = await platform.call('POST', '/api/v1/stations', operatorToken, {
    name: '番禺节能科技园质量服务站', park: 'panyu-energy-park', address: '广州市番禺区科学路1号',
    operating_institution: { name: '番禺质量服务有限公司', credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30',
  })
  expect([201, 409]).toContain(stations.status)
  const { party, admin: liHua, token } = await seedEnterprise(platform, operatorToken, {
    name: '广州灯具有限公司', admin: { signInName: `li.hua.${Date.now()}`, name: '李华' },
  })
  await platform.ok(201, 'POST', '/api/v1/demands', token, {
    enterprise: party,
    park: 'panyu-energy-park', category: 'inspection_testing', title: 'LED筒灯型式试验',
    description: '出口前的型式试验', items: ['LED筒灯'],
  })
  await platform.until(async () => (await platform.ok(200, 'GET', '/api/v1/notifications', token)).unread > 0, 30, 'a notice')

  await signIn(page, platform, liHua)
  await expect(page).toHaveURL(/\/enterprise$/)
  await expect(page.getByRole('heading', { name: '企业工作台' })).toBeVisible()
  await expect(page.getByTestId('person-name')).toHaveText('李华')
  const bell = page.getByTestId('notification-bell')
  await expect(bell).toContainText(/[1-9]/)
  await checkPage(page, testInfo, 'enterprise-home-notice')

  await bell.click()
  await expect(page).toHaveURL(/\/inbox$/)
  await expect(page.getByRole('heading', { name: '消息中心' })).toBeVisible()
  const row = page.getByTestId('inbox-table').getByRole('row').filter({ hasText: 'LED筒灯型式试验' }).first()
  await expect(row).toContainText('未读')
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
  await checkPage(page, testInfo, 'inbox')

  const unread = (await platform.ok(200, 'GET', '/api/v1/notifications?unread=true', token)).unread as number
  await row.getByRole('button', { name: '标为已读' }).click()
  await expect(row).toContainText('已读')
  expect((await platform.ok(200, 'GET', '/api/v1/notifications?unread=true', token)).unread).toBe(unread - 1)
})

test("an enterprise answers the station's request for information with a file, by keyboard, and its demand goes back to assessment", async ({ page, platform, state, consoleErrors }, testInfo) => {
  const stamp = Date.now().toString(36)
  const park = `info-park-${stamp}`
  const ops = await platform.signIn(state.people.operator!)

  // Seeded through the API: a station that accepts nothing by rule and its specialist, an
  // enterprise with its person, and a demand of theirs on which the specialist asks for more.
  const { specialistToken: chenToken } = await seedStation(platform, ops, {
    park, name: `补充材料测试站${stamp}`, address: '广州市番禺区市桥街2号', autoAccept: [],
    specialist: { signInName: `chen.info.${stamp}`, name: '陈静' },
  })
  const { party, admin: liHua, token: liToken } = await seedEnterprise(platform, ops, {
    name: `广州灯饰补充${stamp}有限公司`, admin: { signInName: `li.hua.info.${stamp}`, name: '李华' },
  })
  const title = `LED面板灯能效检测 ${stamp}`
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', liToken, {
    enterprise: party, park, category: 'inspection_testing', title, description: '出口前的能效检测', items: ['LED面板灯'],
  })
  const questions = '请提供灯具的规格书，并说明出口目的国。'
  await platform.ok(200, 'POST', `/api/v1/demands/${demand.id}/assessment`, chenToken, { decision: 'request_info', questions })
  expect((await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, liToken)).status).toBe('awaiting_information')

  // The enterprise finds its case in its list: the station's questions stand on top.
  await signIn(page, platform, liHua)
  await page.getByRole('menuitem', { name: '我的需求' }).click()
  await page.getByTestId('demand-table').getByRole('link', { name: title }).click()
  await expect(page).toHaveURL(new RegExp(`/enterprise/demands/${demand.id}$`))
  await expect(page.getByTestId('case-status')).toHaveText('待补充材料')
  const alert = page.getByRole('alert').filter({ hasText: '服务站请您补充材料' })
  await expect(alert).toContainText(questions)
  await checkPage(page, testInfo, 'enterprise-demand-information')

  // The answer, by keyboard: the button, the text, the file chooser (Enter on the upload), sending.
  const supply = page.getByRole('button', { name: '补充材料', exact: true })
  await supply.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: '补充材料' })
  await expect(dialog).toContainText(questions)
  // Sent empty first: the API's message stands under the field.
  await dialog.getByRole('button', { name: '提交补充材料' }).focus()
  await page.keyboard.press('Enter')
  const answerItem = dialog.locator('.el-form-item').filter({ hasText: '补充说明' })
  await expect(answerItem.locator('.el-form-item__error')).toHaveText('不能为空')
  await forgive(consoleErrors, 422, /\/information\)$/)
  const answer = '规格书已附上，出口目的国为德国。'
  await dialog.getByLabel('补充说明').focus()
  await page.keyboard.type(answer)
  await page.keyboard.press('Tab')
  const upload = dialog.getByRole('button', { name: /选择文件上传/ })
  await expect(upload).toBeFocused()
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Enter')
  await (await chooser).setFiles({ name: '规格书.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 LED panel specification') })
  await expect(dialog.getByTestId('uploaded-files')).toContainText('规格书.pdf')
  await checkPage(page, testInfo, 'enterprise-supply-dialog')
  await dialog.getByRole('button', { name: '提交补充材料' }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByText('材料已补充，服务站将继续评估')).toBeVisible()

  // Back to assessment, on screen and through the API.
  await expect(page.getByTestId('case-status')).toHaveText('已提交')
  await expect(alert).toHaveCount(0)
  await expect(page.getByRole('button', { name: '补充材料', exact: true })).toHaveCount(0)
  const answered = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, chenToken)
  expect(answered.status).toBe('submitted')
  expect(answered.information).toMatchObject([{ questions, information: answer }])
  expect(answered.information[0].supplied_at).toBeTruthy()
  expect(answered.attachments.map((file: { name: string }) => file.name)).toEqual(['规格书.pdf'])
  expect(answered.deadlines.assessment).toBeTruthy()
  const information = page.locator('.demand-case__information')
  await expect(information).toContainText(questions)
  await expect(information).toContainText(answer)
  await expect(page.getByTestId('case-files')).toContainText('规格书.pdf')
  await checkPage(page, testInfo, 'enterprise-demand-answered')
})

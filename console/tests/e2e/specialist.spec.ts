import type { Page, TestInfo } from '@playwright/test'
import { test, testWithShortPeriods, expect, checkPage as check, forgive, signIn } from './support/fixtures'
import { creditCode, PASSWORD } from './support/platform'
import { seedEnterprise, seedInstitution, seedStation } from './support/scene'
import type { Person } from './support/state'

/** Picks an option of an Element Plus select by its label (the select found by its form item's label). */
async function choose(page: Page, field: string | RegExp, option: string) {
  await page.getByRole('combobox', { name: field }).first().click({ force: true })
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click()
}

/** Checks a page with the mouse moved off what it last clicked (a hovered button is lighter). */
async function checkPage(page: Page, testInfo: TestInfo, name: string) {
  await page.mouse.move(0, 0)
  await check(page, testInfo, name)
}

test("a station's specialist assesses a demand, assigns it by hand, reviews and onboards institutions, verifies an enterprise and sets a holiday", async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(150_000)
  const suffix = Date.now().toString(36)
  const park = `spec-park-${suffix}`

  // Seeded through the API: a station of its own park that accepts nothing automatically, its
  // specialist, an enterprise and its demand, and an enterprise that registered itself.
  const operator = await platform.signIn(state.people.operator!)
  const { specialist: chen, specialistToken: chenToken } = await seedStation(platform, operator, {
    park, name: `专员测试站${suffix}`, autoAccept: [],
    specialist: { signInName: `chen.jing.${suffix}`, name: '陈静' },
  })
  const { party, token: liToken } = await seedEnterprise(platform, operator, {
    name: `广州灯饰${suffix}有限公司`, admin: { signInName: `li.hua.${suffix}`, name: '李华' },
  })
  const title = `LED筒灯光生物安全检测${suffix}`
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', liToken, {
    enterprise: party, park, category: 'inspection_testing', title, description: '出口欧盟前的光生物安全检测', items: ['光生物安全'],
  })
  const newcomer = `佛山陶瓷${suffix}有限公司`
  await platform.ok(201, 'POST', '/api/v1/enterprise-registrations', null, {
    credit_code: creditCode(), organisation_name: newcomer, sign_in_name: `fs.ceramics.${suffix}`,
    name: '王芳', mobile: '13900000000', password: PASSWORD,
  })

  // An institution that registered itself applies to serve the park.
  const applicantCode = creditCode()
  const applicantName = `番禺${suffix}计量校准有限公司`
  const applicant: Person = { name: `calib.${suffix}`, password: PASSWORD }
  await platform.ok(201, 'POST', '/api/v1/institution-registrations', null, {
    credit_code: applicantCode, organisation_name: applicantName, sign_in_name: applicant.name,
    name: '赵强', mobile: '13700000000', password: PASSWORD,
  })
  const pending = await platform.ok(201, 'POST', '/api/v1/sessions', null, { sign_in_name: applicant.name, password: PASSWORD })
  if (pending.pending === 'second_factor_setup') await platform.enrolSecondFactor(applicant, pending.access_token)
  const applied = await platform.ok(201, 'POST', '/api/v1/institutions', await platform.signIn(applicant), {
    name: applicantName, credit_code: applicantCode, categories: ['metrology'], parks: [park], capacity: 5,
    qualifications: [{ type: 'METROLOGY', number: `JL-${suffix}`, scope: ['电能表'], valid_from: '2024-01-01', valid_until: '2030-12-31' }],
  })
  expect(applied.status).toBe('applied')

  // The queue: the demand with its countdowns.
  await signIn(page, platform, chen)
  await expect(page).toHaveURL(/\/specialist$/)
  await expect(page.getByRole('heading', { name: '本站需求队列' })).toBeVisible()
  const row = page.getByTestId('queue-table').getByRole('row').filter({ hasText: title })
  await expect(row).toContainText('已提交')
  await expect(row).toContainText(/需求评估 · 剩余/)
  await checkPage(page, testInfo, 'specialist-queue')

  // The demand: an assessment missing what its decision needs, then a request for information.
  await row.getByRole('link', { name: title }).click()
  await expect(page).toHaveURL(new RegExp(`/specialist/demands/${demand.id}$`))
  await expect(page.getByRole('heading', { name: title })).toBeVisible()
  await expect(page.getByTestId('demand-request')).toContainText('光生物安全')
  await expect(page.getByTestId('demand-deadlines')).toContainText('需求评估')
  await checkPage(page, testInfo, 'specialist-demand')

  const assessment = page.getByTestId('assessment-form')
  await assessment.getByText('请企业补充材料', { exact: true }).click()
  await expect(assessment.getByLabel('不予受理的理由')).toHaveCount(0)
  await assessment.getByRole('button', { name: '提交评估' }).click()
  const questions = assessment.locator('.el-form-item').filter({ hasText: '需补充的内容' })
  await expect(questions.locator('.el-form-item__error')).toBeVisible()
  await forgive(consoleErrors, 422, /\/assessment\)$/)
  await checkPage(page, testInfo, 'specialist-assessment-error')
  await questions.getByRole('textbox').fill('请提供灯具的规格书和出口目的国。')
  await assessment.getByRole('button', { name: '提交评估' }).click()
  await expect(page.getByTestId('demand-status')).toHaveText('待补充材料')
  expect((await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, chenToken)).status).toBe('awaiting_information')

  // The enterprise answers; the specialist accepts; no institution serves the park: matching fails.
  await platform.ok(200, 'POST', `/api/v1/demands/${demand.id}/information`, liToken, { information: '规格书已上传，出口德国。' })
  await page.reload()
  await expect(page.getByTestId('demand-history')).toContainText('规格书已上传')
  await page.getByTestId('assessment-form').getByText('受理', { exact: true }).click()
  await page.getByTestId('assessment-form').getByRole('button', { name: '提交评估' }).click()
  await platform.until(async () =>
    (await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, chenToken)).status === 'matching_failed', 30, 'matching to fail')
  await page.reload()
  await expect(page.getByTestId('demand-status')).toHaveText('匹配未成功')
  await expect(page.getByTestId('matching')).toContainText('匹配失败')

  // An institution for the park is onboarded.
  const institutionName = `番禺${suffix}检测技术有限公司`
  await page.getByRole('menuitem', { name: '服务机构' }).click()
  await expect(page.getByRole('heading', { name: '服务机构', exact: true })).toBeVisible()
  await checkPage(page, testInfo, 'specialist-institutions')
  // The application is reviewed.
  await choose(page, '状态', '待审核')
  await page.getByTestId('institution-filters').getByRole('button', { name: '搜索' }).click()
  const application = page.getByTestId('institutions-table').getByRole('row').filter({ hasText: applicantName })
  await application.getByRole('button', { name: '审核' }).click()
  const review = page.getByRole('dialog', { name: `审核入驻申请：${applicantName}` })
  await review.getByLabel('审核意见').fill('计量授权证书已核对')
  await review.getByRole('button', { name: '确认' }).click()
  await expect(review).toBeHidden()
  await expect(application).toBeHidden()
  expect((await platform.ok(200, 'GET', `/api/v1/institutions/${applied.id}`, chenToken)).status).toBe('active')
  await page.getByRole('link', { name: '机构入驻' }).click()
  const onboarding = page.getByTestId('onboarding-form')
  await expect(onboarding.getByRole('combobox', { name: '服务园区' })).toBeVisible()
  await onboarding.getByLabel('机构名称').fill(institutionName)
  await onboarding.getByLabel('统一社会信用代码').fill(creditCode())
  await choose(page, '服务类别', '检验检测服务')
  await page.keyboard.press('Escape')
  await expect(onboarding).toContainText(park)
  await onboarding.getByLabel('证书编号').fill(`CMA-${suffix}`)
  await onboarding.getByLabel('发证机关').fill('广东省市场监督管理局')
  const scope = onboarding.getByRole('combobox', { name: '资质范围' })
  await scope.click({ force: true })
  await scope.pressSequentially('光生物安全')
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '光生物安全' }).click()
  await page.keyboard.press('Escape')
  await onboarding.getByPlaceholder('有效期起').fill('2024-01-01')
  await onboarding.getByPlaceholder('有效期至').fill('2030-12-31')
  await onboarding.getByPlaceholder('有效期至').press('Enter')
  await checkPage(page, testInfo, 'specialist-onboarding')
  await onboarding.getByRole('button', { name: '提交入驻' }).click()
  await expect(page).toHaveURL(/\/specialist\/institutions$/)
  const institution = (await platform.ok(200, 'GET', `/api/v1/institutions?park=${park}&category=inspection_testing`, chenToken)).items
    .find((entry: { name: string }) => entry.name === institutionName)
  expect(institution).toMatchObject({ name: institutionName, status: 'active', parks: [park] })

  // Assigned by hand after a search of the directory in Chinese.
  await page.goto(`/specialist/demands/${demand.id}`)
  await page.getByRole('button', { name: '人工指派' }).click()
  const dialog = page.getByRole('dialog', { name: '人工指派服务机构' })
  await dialog.getByTestId('directory-search').getByLabel('机构名称').fill('检测')
  await dialog.getByRole('button', { name: '搜索' }).click()
  const candidate = dialog.getByTestId('directory-table').getByRole('row').filter({ hasText: institutionName })
  await candidate.getByRole('button', { name: '选择' }).click()
  await expect(dialog).toContainText(`已选择：${institutionName}`)
  await dialog.getByLabel('指派理由').fill('自动匹配时本园区尚无机构，现由新入驻机构承接')
  await checkPage(page, testInfo, 'specialist-assignment')
  await dialog.getByRole('button', { name: '确认指派' }).click()
  await expect(dialog).toBeHidden()
  const assigned = await platform.until(async () => {
    const shown = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, chenToken)
    return shown.status === 'assigned' ? shown : null
  }, 30, 'the demand to be assigned')
  expect(assigned.assignment.institution_id).toBe(institution.id)
  await page.reload()
  await expect(page.getByTestId('demand-status')).toHaveText('服务中')
  await expect(page.getByTestId('matching')).toContainText('人工指派')

  // A follow-up while the institution serves.
  await page.getByRole('button', { name: '记录跟进' }).click()
  const followUp = page.getByRole('dialog', { name: '记录跟进' })
  await followUp.getByLabel('联系对象').fill('李华')
  await followUp.getByLabel('跟进内容').fill('已告知企业服务机构的联系方式')
  await followUp.getByRole('button', { name: '提交' }).click()
  await expect(followUp).toBeHidden()
  await expect(page.getByTestId('demand-history')).toContainText('跟进（电话，李华）：已告知企业服务机构的联系方式')
  const followedUp = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}`, chenToken)
  expect(followedUp.follow_ups).toMatchObject([{ channel: 'phone', contact: '李华', note: '已告知企业服务机构的联系方式' }])

  // An enterprise that registered itself is verified.
  await page.getByRole('menuitem', { name: '企业核验' }).click()
  const waiting = page.getByTestId('enterprises-table').getByRole('row').filter({ hasText: newcomer })
  await expect(waiting).toBeVisible()
  await checkPage(page, testInfo, 'specialist-enterprises')
  await waiting.getByRole('button', { name: '核验通过' }).click()
  const verification = page.getByRole('dialog', { name: `核验企业：${newcomer}` })
  await verification.getByRole('button', { name: '确认' }).click()
  await expect(verification.locator('.el-form-item__error')).toBeVisible()
  await forgive(consoleErrors, 422, /\/verification\)$/)
  await verification.getByLabel('核验依据').fill('已在窗口核对营业执照原件')
  await verification.getByRole('button', { name: '确认' }).click()
  await expect(waiting).toBeHidden()
  const unverified = await platform.ok(200, 'GET', '/api/v1/organisations?kind=enterprise&verified=false&per_page=100', chenToken)
  expect(unverified.items.map((o: { name: string }) => o.name)).not.toContain(newcomer)

  // The revisits.
  await page.getByRole('menuitem', { name: '回访' }).click()
  await expect(page.getByRole('heading', { name: '回访' })).toBeVisible()
  await checkPage(page, testInfo, 'specialist-revisits')

  // The station's settings: a holiday (the 25th of the month the picker opens on).
  await page.getByRole('menuitem', { name: '工作站设置' }).click()
  const settings = page.getByTestId('station-form')
  await expect(settings).toBeVisible()
  await checkPage(page, testInfo, 'specialist-station')
  await settings.getByRole('button', { name: '保存设置' }).click()
  await expect(settings.locator('.el-form-item').filter({ hasText: '修改原因' }).locator('.el-form-item__error')).toBeVisible()
  await forgive(consoleErrors, 422, /\/stations\/[^/]+\)$/)
  await settings.getByRole('combobox', { name: '节假日' }).click()
  const panel = page.locator('.el-picker-panel:visible')
  // The header names the year and month once the panel has opened.
  await expect(panel.locator('.el-date-picker__header-label').first()).toHaveText(/\d/)
  const month = await panel.locator('.el-date-picker__header-label').allTextContents()
  await panel.locator('td.available').filter({ hasText: /^25$/ }).first().click()
  await page.keyboard.press('Escape')
  const year = /\d{4}/.exec(month.join(''))![0]
  const monthNumber = /(\d{1,2})\s*月/.exec(month.join(''))![1]!.padStart(2, '0')
  const holiday = `${year}-${monthNumber}-25`
  await settings.getByLabel('修改原因').fill('元旦前后调整')
  await settings.getByRole('button', { name: '保存设置' }).click()
  await expect(page.getByText('设置已保存')).toBeVisible()
  const saved = await platform.ok(200, 'GET', '/api/v1/me/station', chenToken)
  expect(saved.calendar.holidays).toContain(holiday)
  expect(saved.auto_accept).toEqual([])
})

testWithShortPeriods("a specialist records the revisits of services whose enterprise gave no feedback in time, by keyboard", async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(150_000)
  const suffix = Date.now().toString(36)
  const park = `revisit-park-${suffix}`

  // Seeded through the API, on the platform whose feedback window is 5 seconds: a station that
  // accepts testing demands by rule with its specialist, an institution that takes its offers at
  // once, and an enterprise whose two demands the institution completes; neither is rated.
  const operator = await platform.signIn(state.people.operator!)
  const { specialist: chen, specialistToken: chenToken } = await seedStation(platform, operator, {
    park, name: `回访测试站${suffix}`, address: '广州市番禺区回访路1号', autoAccept: ['inspection_testing'],
    specialist: { signInName: `chen.revisit.${suffix}`, name: '陈静' },
  })
  const { token: lab } = await seedInstitution(platform, operator, {
    name: `番禺回访检测中心${suffix}`, categories: ['inspection_testing'], parks: [park], capacity: 10,
    auto_accept_offers: true,
    qualifications: [{ type: 'CMA', number: `CMA-${suffix}`, scope: ['LED筒灯'], valid_from: '2025-01-01', valid_until: '2029-12-31' }],
  }, { signInName: `lab.revisit.${suffix}`, name: '王工' })
  const { party, name: enterpriseName, token: liToken } = await seedEnterprise(platform, operator, {
    name: `广州回访灯具${suffix}有限公司`, admin: { signInName: `li.revisit.${suffix}`, name: '李华' },
  })
  const served: { id: string; title: string }[] = []
  for (const title of [`LED筒灯型式试验${suffix}`, `LED面板灯能效检测${suffix}`]) {
    const demand = await platform.ok(201, 'POST', '/api/v1/demands', liToken, {
      enterprise: party, park, category: 'inspection_testing', title, description: '出口前的检测', items: ['LED筒灯'],
    })
    const offer = await platform.until(async () =>
      (await platform.ok(200, 'GET', '/api/v1/assignments', lab)).items.find((a: { demand_id: string }) => a.demand_id === demand.id),
    30, 'the assignment')
    await platform.ok(200, 'POST', `/api/v1/assignments/${offer.assignment_id}/completion`, lab, { report_number: `R-${suffix}-${served.length}` })
    served.push({ id: demand.id, title })
  }
  // Their windows lapse: two revisit tasks for the station.
  await platform.until(async () => {
    const tasks = (await platform.ok(200, 'GET', '/api/v1/revisits', chenToken)).items as { demand_id: string }[]
    return served.every((demand) => tasks.some((task) => task.demand_id === demand.id))
  }, 60, 'the revisit tasks')

  // The revisits page lists each case by its title, with whom to call.
  await signIn(page, platform, chen)
  await page.getByRole('menuitem', { name: '回访' }).click()
  await expect(page.getByRole('heading', { name: '回访' })).toBeVisible()
  const table = page.getByTestId('revisits-table')
  const [first, second] = served.map((demand) => table.getByRole('row').filter({ hasText: demand.title }))
  await expect(first!).toContainText(enterpriseName)
  await expect(first!).toContainText(`李华 · ${party.phone}`)
  await expect(second!).toBeVisible()
  await checkPage(page, testInfo, 'specialist-revisits-due')

  // The first, by keyboard: the button, the channel (arrow keys), the satisfaction (arrow keys on
  // the stars), the notes, sent with Enter on the submit button.
  await first!.getByRole('button', { name: `记录回访：${served[0]!.title}` }).focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: '记录回访评价' })
  await expect(dialog.getByTestId('revisit-case')).toContainText(served[0]!.title)
  await expect(dialog.getByTestId('revisit-case')).toContainText(`李华 · ${party.phone}`)
  await dialog.getByRole('radio', { name: '电话回访' }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(dialog.getByRole('radio', { name: '上门回访' })).toBeChecked()
  // No score is given before the enterprise says it: every star starts empty.
  const rate = async (name: string, stars: number) => {
    const slider = dialog.getByRole('slider', { name })
    await expect(slider).toHaveAttribute('aria-valuenow', '0')
    await slider.focus()
    for (let star = 0; star < stars; star += 1) await page.keyboard.press('ArrowRight')
    await expect(slider).toHaveAttribute('aria-valuenow', String(stars))
  }
  await rate('总体满意度', 4)
  await rate('及时性', 3)
  const notes = '上门回访：报告比承诺晚了两天，其余满意。'
  await dialog.getByLabel('回访记录').focus()
  await page.keyboard.type(notes)
  await checkPage(page, testInfo, 'specialist-revisit-form')
  // Sent with three dimensions not asked yet: the API names each under its stars.
  await dialog.getByRole('button', { name: '提交' }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog.locator('.el-form-item__error')).toHaveCount(3)
  await forgive(consoleErrors, 422, /\/feedback\)$/)
  for (const name of ['专业性', '服务态度', '服务效果']) await rate(name, 5)
  await dialog.getByRole('button', { name: '提交' }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByText('回访已记录')).toBeVisible()
  await expect(first!).toHaveCount(0)

  // Recorded as the service's feedback, from a visit.
  const given = await platform.until(async () => {
    const dossier = await platform.ok(200, 'GET', `/api/v1/archive/demands/${served[0]!.id}`, chenToken)
    return dossier.events.find((event: { name: string }) => event.name === 'FeedbackGiven')
  }, 30, 'the feedback in the dossier')
  expect(given.data).toMatchObject({
    channel: 'revisit_visit', comment: notes,
    scores: { overall: 4, timeliness: 3, professionalism: 5, attitude: 5, outcome: 5 },
  })
  expect((await platform.ok(200, 'GET', '/api/v1/revisits', chenToken)).items.map((task: { demand_id: string }) => task.demand_id))
    .toEqual([served[1]!.id])

  // The second opens afresh (nothing of the first case's revisit), and is recorded by phone.
  await second!.getByRole('button', { name: `记录回访：${served[1]!.title}` }).click()
  await expect(dialog.getByTestId('revisit-case')).toContainText(served[1]!.title)
  await expect(dialog.getByRole('radio', { name: '电话回访' })).toBeChecked()
  await expect(dialog.getByRole('slider', { name: '总体满意度' })).toHaveAttribute('aria-valuenow', '0')
  await expect(dialog.getByLabel('回访记录')).toHaveValue('')
  for (const name of ['总体满意度', '及时性', '专业性', '服务态度', '服务效果']) await rate(name, 5)
  await dialog.getByLabel('回访记录').fill('电话回访：满意。')
  await dialog.getByRole('button', { name: '提交' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('暂无待回访的需求')).toBeVisible()
  await checkPage(page, testInfo, 'specialist-revisits-done')
  expect((await platform.ok(200, 'GET', '/api/v1/revisits', chenToken)).items).toEqual([])
})

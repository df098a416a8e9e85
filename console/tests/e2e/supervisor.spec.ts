import { readFile } from 'node:fs/promises'
import { Buffer } from 'node:buffer'
import { test, testWithShortPeriods, expect, checkPage, forgive, signIn } from './support/fixtures'
import { creditCode, type Platform } from './support/platform'

const pad = (n: number) => String(n).padStart(2, '0')
/** The evaluation month of an instant, in the stations' time zone (Asia/Shanghai, as the browser). */
function monthOf(date: Date): string {
  const local = new Date(date.getTime() + 8 * 3600_000)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}`
}
/** An instant as the date picker takes it (its wall clock at +08:00), rounded up to the second. */
function pickerText(instant: string): string {
  const local = new Date(Math.ceil(Date.parse(instant) / 1000) * 1000 + 8 * 3600_000)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
}

const ATTACHMENT = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
  'trailer<</Root 1 0 R>>\n%%EOF\n', 'latin1')

/**
 * Seeded through the API: a park of its own with a station that accepts testing demands by rule,
 * an institution that accepts its offers, an enterprise with ten demands this month (enough to
 * grade the station) of which one is served, completed and rated (its dossier sealed), and a
 * supervisor of the district's bureau with an authenticator.
 */
async function seed(platform: Platform, operatorToken: string) {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
  const park = `sup-park-${tag}`
  const station = await platform.ok(201, 'POST', '/api/v1/stations', operatorToken, {
    name: `监管测试工作站${tag}`, park, address: '广州市番禺区监管路1号',
    operating_institution: { name: '番禺监管服务有限公司', credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30', auto_accept: ['inspection_testing'],
  })
  const institution = await platform.ok(201, 'POST', '/api/v1/institutions', operatorToken, {
    name: `番禺产品检测中心${tag}`, credit_code: creditCode(), categories: ['inspection_testing'],
    qualifications: [{ type: 'CMA', number: `CMA-${tag}`, scope: ['LED筒灯'], valid_from: '2021-01-01', valid_until: '2099-12-31' }],
    parks: [park], capacity: 50, auto_accept_offers: true,
  })
  const institutionOrg = await platform.organisation(operatorToken, 'institution', institution.id, institution.name)
  const lab = await platform.person(operatorToken, institutionOrg, `lab.${tag}`, ['institution_member'], undefined, '王工')
  const enterpriseCode = creditCode()
  const enterpriseOrg = await platform.organisation(operatorToken, 'enterprise', enterpriseCode, `广州监管灯具有限公司${tag}`)
  const owner = await platform.person(operatorToken, enterpriseOrg, `owner.${tag}`, ['enterprise_admin'], undefined, '李华')
  const agency = await platform.organisation(operatorToken, 'agency', `PY-AMR-${tag}`, '广州市番禺区市场监督管理局')
  const supervisor = await platform.person(operatorToken, agency, `regulator.${tag}`, ['supervisor'], undefined, '张监管')

  const ownerToken = await platform.signIn(owner)
  // The served demand's attachment: a small PDF, uploaded as its body.
  const uploaded = await fetch(`${platform.apiUrl}/api/v1/attachments?name=${encodeURIComponent('检测委托单.pdf')}`, {
    method: 'POST', headers: { Authorization: `Bearer ${ownerToken}`, 'Content-Type': 'application/pdf' }, body: ATTACHMENT,
  })
  expect(uploaded.status).toBe(201)
  const attachment = ((await uploaded.json()) as { sha256: string }).sha256
  const demand = (title: string, attachments: string[] = []) => platform.ok(201, 'POST', '/api/v1/demands', ownerToken, {
    enterprise: { name: `广州监管灯具有限公司${tag}`, credit_code: enterpriseCode, contact: '李华', phone: '+86 20 8888 0000' },
    park, category: 'inspection_testing', title, description: '出口前的型式试验', items: ['LED筒灯'], attachments,
  })
  const served = (await demand(`LED筒灯型式试验${tag}`, [attachment])).id as string
  for (let i = 1; i < 10; i++) await demand(`LED筒灯抽样检测${tag}-${i}`)

  const supervisorToken = await platform.signIn(supervisor)
  const dossier = () => platform.ok(200, 'GET', `/api/v1/archive/demands/${served}`, supervisorToken)
  const assigned = await platform.until(async () => {
    const shown = await dossier()
    return shown.status === 'assigned' ? shown : null
  }, 30, 'the demand to be assigned')
  await new Promise((resolve) => setTimeout(resolve, 1500)) // the completion a second or more later
  const labToken = await platform.signIn(lab)
  const offer = await platform.until(async () =>
    (await platform.ok(200, 'GET', '/api/v1/assignments', labToken)).items.find((a: { demand_id: string }) => a.demand_id === served),
  30, 'the assignment')
  await platform.ok(200, 'POST', `/api/v1/assignments/${offer.assignment_id}/completion`, labToken, { report_number: `R-${tag}` })
  await platform.until(async () => (await dossier()).status === 'completed', 30, 'the completion')
  await platform.ok(201, 'POST', `/api/v1/demands/${served}/feedback`, ownerToken,
    { overall: 5, timeliness: 5, professionalism: 4, attitude: 5, outcome: 5, comment: '服务及时' })
  const sealed = await platform.until(async () => {
    const shown = await dossier()
    return shown.seal ? shown : null
  }, 30, 'the seal')
  return { tag, station, institution, enterpriseCode, ownerToken, supervisor, supervisorToken, served, assigned, sealed }
}

test('a supervisor reads and verifies a dossier, downloads its PDF, reads the evaluation, publishes it and finds the read in the audit log', async ({ page, platform, state }, testInfo) => {
  test.setTimeout(240_000) // the seed takes a case through to its seal first
  const operatorToken = await platform.signIn(state.people.operator!)
  const seeded = await seed(platform, operatorToken)
  const { served, supervisorToken } = seeded
  const catalogue = await platform.ok(200, 'GET', '/api/v1/catalogue')
  const eventLabel = (name: string) => catalogue.events[name]['zh-CN'] as string

  // Signed in with a password and an authenticator code: the dossier search is the home.
  await signIn(page, platform, seeded.supervisor)
  await expect(page).toHaveURL(/\/supervisor$/)
  await expect(page.getByRole('heading', { name: '服务档案查询' })).toBeVisible()
  await expect(page.getByTestId('dossier-table')).toBeVisible()
  await checkPage(page, testInfo, 'supervisor-dossiers')

  // Search by the enterprise's credit code: its ten dossiers, the served one among them.
  await page.getByLabel('企业').fill(seeded.enterpriseCode)
  await page.getByRole('button', { name: '查询' }).click()
  const row = page.getByTestId('dossier-table').getByRole('row').filter({ hasText: `LED筒灯型式试验${seeded.tag}` })
  await expect(row).toContainText('已封存')
  await expect(page.getByTestId('dossier-table').locator('tbody tr')).toHaveCount(10)
  await row.getByRole('link').click()

  // The dossier: its timeline with the catalogue's labels, each entry's particulars on demand.
  await expect(page).toHaveURL(new RegExp(`/supervisor/dossiers/${served}$`))
  await expect(page.getByTestId('dossier-title')).toHaveText(`LED筒灯型式试验${seeded.tag}`)
  const timeline = page.getByTestId('dossier-timeline')
  await expect(timeline.locator('.el-timeline-item')).toHaveCount(seeded.sealed.events.length)
  await expect(timeline).toContainText(eventLabel('DemandSubmitted'))
  await expect(timeline).toContainText(eventLabel('ServiceCompleted'))
  await expect(timeline).toContainText(eventLabel('FeedbackGiven'))
  const firstParticulars = timeline.getByRole('button', { name: '详情' }).first()
  await firstParticulars.focus()
  await page.keyboard.press('Enter')
  await expect(timeline.locator('.particulars').first()).toContainText(seeded.enterpriseCode)

  // Verification in plain words: intact.
  await page.getByTestId('verify').click()
  const verdict = page.getByTestId('verification-result')
  await expect(verdict).toContainText('校验通过：档案完整，未被篡改')
  await expect(verdict).toContainText(`共校验 ${seeded.sealed.event_count} 条记录`)
  await expect(verdict).toHaveClass(/el-alert--success/)
  const verified = await platform.ok(200, 'GET', `/api/v1/archive/demands/${served}/verify`, supervisorToken)
  expect(verified.intact).toBe(true)
  await page.mouse.move(0, 0) // the pointer off the button it pressed (a hovered button is lighter)
  await checkPage(page, testInfo, 'supervisor-dossier')

  // The PDF: a file download, a PDF indeed.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pdf').click()])
  expect(download.suggestedFilename()).toBe(`dossier-${served}.pdf`)
  const pdf = await readFile((await download.path())!)
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')

  // The archived attachment: downloaded as it was uploaded.
  const fileRow = page.getByRole('row').filter({ hasText: '检测委托单.pdf' })
  await expect(fileRow).toContainText(eventLabel('DemandSubmitted'))
  const [file] = await Promise.all([page.waitForEvent('download'), fileRow.getByRole('button', { name: '下载' }).click()])
  expect(await readFile((await file.path())!)).toEqual(ATTACHMENT)

  // The case as of the moment it was assigned: the entries until then, and the status then.
  await page.getByRole('combobox', { name: '查看某一时刻的案件状态' }).fill(pickerText(seeded.assigned.events.at(-1).occurred_at))
  await page.getByRole('combobox', { name: '查看某一时刻的案件状态' }).press('Enter')
  await page.getByRole('button', { name: '查看该时刻' }).click()
  await expect(page.getByText(/以下为案件在 .* 时的状态/)).toBeVisible()
  await expect(timeline.locator('.el-timeline-item')).toHaveCount(seeded.assigned.events.length)
  await page.getByRole('button', { name: '回到当前' }).click()
  await expect(timeline.locator('.el-timeline-item')).toHaveCount(seeded.sealed.events.length)

  // A legal hold: the dossier says it stands, who placed it and why, until it is released.
  await page.getByRole('button', { name: '设置法律保全' }).click()
  await page.getByTestId('reason-input').fill(`诉讼保全${seeded.tag}`)
  await page.getByTestId('reason-confirm').click()
  await expect(page.getByTestId('legal-hold')).toContainText('法律保全中')
  await expect(page.getByTestId('legal-hold')).toContainText(`诉讼保全${seeded.tag}`)
  await page.getByRole('button', { name: '解除法律保全' }).click()
  await page.getByTestId('reason-input').fill('判决已生效')
  await page.getByTestId('reason-confirm').click()
  await expect(page.getByTestId('legal-hold')).toHaveCount(0)

  // The evaluation dashboard of this month: the report, the trend and the comparison drawn.
  const month = monthOf(new Date())
  await page.getByRole('menuitem', { name: '评价看板' }).click()
  await expect(page.getByRole('heading', { name: '服务质量评价看板' })).toBeVisible()
  await expect(page.getByRole('combobox', { name: '期间' })).toHaveValue(month)
  await expect(page.getByTestId('compare-chart').locator('canvas, svg').first()).toBeVisible()
  await expect(page.getByTestId('indicator-table')).toBeVisible()
  await expect(page.getByTestId('rankings')).toContainText('检验检测')
  await checkPage(page, testInfo, 'supervisor-evaluation')

  // The station's month: ten demands, enough to grade; published.
  await page.getByTestId('scope-kind').click()
  await page.getByRole('option', { name: '工作站' }).click()
  await page.getByTestId('scope-target').click()
  await page.getByRole('option', { name: seeded.station.name }).click()
  const report = await platform.ok(200, 'GET', `/api/v1/evaluation/report?scope=station:${seeded.station.id}&period=${month}`, supervisorToken)
  expect(report.insufficient_data).toBeNull()
  await expect(page.getByTestId('report-summary')).toContainText(report.grade)
  // Its trend over the year: a line through the graded months, and the months with too few
  // cases to grade named beside it (as many as the API leaves without a total).
  const trend = await platform.ok(200, 'GET', `/api/v1/evaluation/trend?scope=station:${seeded.station.id}&period=${month.slice(0, 4)}&every=month`, supervisorToken)
  await expect(page.getByTestId('trend-chart').locator('canvas, svg').first()).toBeVisible()
  const ungraded = (trend.points as { period: string; total: number | null }[]).filter((point) => point.total === null)
  if (ungraded.length) await expect(page.getByTestId('trend-gaps')).toContainText(ungraded.map((point) => point.period).join('、'))
  else await expect(page.getByTestId('trend-gaps')).toHaveCount(0)
  await page.getByTestId('publish').click()
  await expect(page.getByTestId('published')).toContainText(`等级 ${report.grade}`)
  const evaluations = await platform.ok(200, 'GET', `/api/v1/evaluations?scope=station:${seeded.station.id}`, supervisorToken)
  expect(evaluations.items.map((e: { period: string }) => e.period)).toEqual([month])

  // The month before, when the station had no case: too little data, refused in plain words.
  await page.getByRole('combobox', { name: '期间' }).click()
  await page.locator('.el-month-table td.current').waitFor()
  const previous = new Date()
  previous.setUTCDate(1)
  previous.setUTCMonth(previous.getUTCMonth() - 1)
  const before = monthOf(new Date(previous.getTime() + 86400_000))
  await page.getByRole('combobox', { name: '期间' }).fill(before)
  await page.getByRole('combobox', { name: '期间' }).press('Enter')
  await expect(page.getByTestId('insufficient')).toContainText('数据不足，不评定等级')
  await page.getByTestId('publish').click()
  const refusal = page.getByTestId('publish-refused')
  await expect(refusal).toContainText(catalogue.errors.insufficient_data['zh-CN'])
  await expect(refusal).toContainText('不能发布：本期仅有 0 件案件，评定等级至少需要 10 件')
  const refused = await platform.call('POST', '/api/v1/evaluations', supervisorToken, { scope: `station:${seeded.station.id}`, period: before })
  expect([refused.status, refused.body.error]).toEqual([422, 'insufficient_data'])

  // The published list shows it.
  await page.getByRole('menuitem', { name: '已发布评价' }).click()
  await expect(page.getByTestId('evaluations-table')).toContainText(seeded.station.name)
  await checkPage(page, testInfo, 'supervisor-evaluations')

  // A mistaken publication withdrawn, with the reason.
  await page.getByTestId('evaluations-table').getByRole('row').filter({ hasText: seeded.station.name })
    .getByRole('button', { name: '撤回' }).click()
  await page.getByTestId('reason-confirm').click() // without the reason: asked for, nothing sent
  await expect(page.getByRole('dialog').getByText('请填写理由')).toBeVisible()
  await page.getByTestId('reason-input').fill('统计口径有误，重新发布')
  await page.getByTestId('reason-confirm').click()
  await expect(page.getByTestId('evaluations-table').getByRole('row').filter({ hasText: seeded.station.name })).toContainText('已撤回')
  const withdrawn = await platform.ok(200, 'GET', `/api/v1/evaluations/${evaluations.items[0].id}`, supervisorToken)
  expect(withdrawn.withdrawal).toMatchObject({ reason: '统计口径有误，重新发布' })

  // The audit log of reads: this supervisor's read of the dossier is there.
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  await expect(page.getByRole('heading', { name: '审计日志' })).toBeVisible()
  const audit = await platform.ok(200, 'GET', '/api/v1/audit?event=DossierAccessed&per_page=100', supervisorToken)
  const mine = audit.items.filter((entry: { demand_id?: string }) => entry.demand_id === served)
  expect(mine.length).toBeGreaterThan(0)
  const readRow = page.getByTestId('audit-table').locator('tbody tr')
    .filter({ has: page.locator(`a[href$="/supervisor/dossiers/${served}"]`) }).filter({ hasText: '查阅' }).first()
  await expect(readRow).toContainText('查阅档案')
  await expect(readRow).toContainText(mine[0].person_id)
  await checkPage(page, testInfo, 'supervisor-audit')

  // A complaint about the institution, filed by the enterprise: taken up, then resolved.
  const complaint = await platform.ok(201, 'POST', '/api/v1/complaints', seeded.ownerToken, {
    against: { kind: 'institution', id: seeded.institution.id }, demand_id: served,
    summary: `检测报告延迟交付${seeded.tag}`, details: '报告比承诺日期晚了三天',
  })
  await page.getByRole('menuitem', { name: '投诉处理' }).click()
  const complaintRow = page.getByTestId('complaints-table').getByRole('row').filter({ hasText: `检测报告延迟交付${seeded.tag}` })
  await expect(complaintRow).toContainText('已受理')
  await expect(complaintRow).toContainText(seeded.institution.name)
  await checkPage(page, testInfo, 'supervisor-complaints')
  await complaintRow.getByRole('link').click()
  await expect(page.getByRole('heading', { name: `检测报告延迟交付${seeded.tag}` })).toBeVisible()
  await page.getByRole('button', { name: '开始调查' }).click()
  await page.getByTestId('reason-input').fill('已调取派单与完成记录')
  await page.getByTestId('reason-confirm').click()
  await expect(page.getByRole('button', { name: '办结' })).toBeVisible()
  await page.getByRole('button', { name: '办结' }).click()
  await page.getByRole('dialog').locator('.el-select__wrapper').click()
  await page.getByRole('option', { name: '部分成立' }).click()
  await page.getByRole('dialog').getByLabel('处理情况').fill('已约谈机构，要求按承诺日期交付')
  await page.getByRole('dialog').getByRole('button', { name: '确认' }).click()
  await expect(page.getByRole('dialog')).toBeHidden()
  await expect(page.locator('.el-descriptions')).toContainText('已办结')
  await expect(page.locator('.el-descriptions')).toContainText('部分成立')
  await page.mouse.move(0, 0)
  await checkPage(page, testInfo, 'supervisor-complaint')
  const resolved = await platform.ok(200, 'GET', `/api/v1/complaints/${complaint.id}`, supervisorToken)
  expect([resolved.status, resolved.outcome]).toEqual(['resolved', 'partly_upheld'])
  expect(resolved.history.map((step: { status: string }) => step.status)).toEqual(['received', 'investigating', 'resolved'])

  // A spot check of the institution with a finding.
  await page.getByRole('menuitem', { name: '监督抽查' }).click()
  await page.getByRole('button', { name: '记录抽查' }).click()
  const dialog = page.getByRole('dialog', { name: '记录抽查' })
  await dialog.locator('.el-select__wrapper').nth(2).click()
  await page.getByRole('option', { name: seeded.institution.name }).click()
  await dialog.getByRole('button', { name: '添加问题' }).click()
  await dialog.getByPlaceholder('问题描述').fill(`原始记录未签字${seeded.tag}`)
  await dialog.getByRole('button', { name: '提交' }).click()
  await expect(dialog).toBeHidden()
  const checkRow = page.getByTestId('checks-table').getByRole('row').filter({ hasText: `原始记录未签字${seeded.tag}` })
  await expect(checkRow).toContainText(seeded.institution.name)
  await expect(checkRow).toContainText('观察项')
  await checkPage(page, testInfo, 'supervisor-checks')
  const checks = await platform.ok(200, 'GET', '/api/v1/supervision/checks', supervisorToken)
  expect(checks.items.find((c: { subject: { id: string } }) => c.subject.id === seeded.institution.id))
    .toMatchObject({ kind: 'spot_check', findings: [{ severity: 'observation', note: `原始记录未签字${seeded.tag}` }] })

  // Improvement actions and the retention list open (the withdrawal above withdrew this station's).
  await page.getByRole('menuitem', { name: '整改事项' }).click()
  await expect(page.getByRole('heading', { name: '整改事项' })).toBeVisible()
  await checkPage(page, testInfo, 'supervisor-improvements')
  await page.getByRole('menuitem', { name: '档案保管' }).click()
  await expect(page.getByRole('heading', { name: '档案保管与处置' })).toBeVisible()
  await expect(page.getByText('暂无保管期满待处置的档案')).toBeVisible() // sealed today: ten years to go
  await checkPage(page, testInfo, 'supervisor-retention')
})

testWithShortPeriods('a supervisor disposes of a dossier past its retention, a legal hold stopping it until released, by keyboard', async ({ page, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(150_000)
  const tag = Date.now().toString(36)
  const park = `retention-park-${tag}`

  // Seeded through the API, on the platform whose retention ends before a dossier is sealed
  // (ONESTOP_RETENTION_YEARS=-1) and whose feedback window is 5 seconds: a case served and
  // completed, sealed once its window lapses unrated; two supervisors of the district's bureau.
  const operator = await platform.signIn(state.people.operator!)
  await platform.ok(201, 'POST', '/api/v1/stations', operator, {
    name: `保管测试站${tag}`, park, address: '广州市番禺区保管路1号',
    operating_institution: { name: `番禺保管服务${tag}有限公司`, credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30', auto_accept: ['inspection_testing'],
  })
  const institution = await platform.ok(201, 'POST', '/api/v1/institutions', operator, {
    name: `番禺保管检测中心${tag}`, credit_code: creditCode(), categories: ['inspection_testing'], parks: [park], capacity: 10,
    auto_accept_offers: true,
    qualifications: [{ type: 'CMA', number: `CMA-${tag}`, scope: ['LED筒灯'], valid_from: '2025-01-01', valid_until: '2029-12-31' }],
  })
  const institutionOrg = await platform.organisation(operator, 'institution', institution.id, institution.name)
  const lab = await platform.signIn(await platform.person(operator, institutionOrg, `lab.keep.${tag}`, ['institution_member'], undefined, '王工'))
  const code = creditCode()
  const enterpriseName = `广州保管灯具${tag}有限公司`
  const enterprise = await platform.organisation(operator, 'enterprise', code, enterpriseName)
  const owner = await platform.signIn(await platform.person(operator, enterprise, `owner.keep.${tag}`, ['enterprise_admin'], undefined, '李华'))
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', owner, {
    enterprise: { name: enterpriseName, credit_code: code, contact: '李华', phone: '020-8888 0003' },
    park, category: 'inspection_testing', title: `LED筒灯型式试验${tag}`, description: '出口前的型式试验', items: ['LED筒灯'],
  })
  const offer = await platform.until(async () =>
    (await platform.ok(200, 'GET', '/api/v1/assignments', lab)).items.find((a: { demand_id: string }) => a.demand_id === demand.id),
  30, 'the assignment')
  await platform.ok(200, 'POST', `/api/v1/assignments/${offer.assignment_id}/completion`, lab, { report_number: `R-${tag}` })
  const agency = await platform.organisation(operator, 'agency', `PY-AMR-KEEP-${tag}`, '广州市番禺区市场监督管理局')
  const supervisor = await platform.person(operator, agency, `keeper.${tag}`, ['supervisor'], undefined, '张监管')
  const colleague = await platform.signIn(await platform.person(operator, agency, `colleague.${tag}`, ['supervisor'], undefined, '刘监管'))
  const due = () => platform.ok(200, 'GET', '/api/v1/archive/disposals/due?per_page=100', colleague)
  const listed = await platform.until(async () =>
    (await due()).items.find((item: { demand_id: string }) => item.demand_id === demand.id), 60, 'the sealed dossier among those due')
  expect(listed.legal_hold).toBeNull()
  expect(listed.retention_until < (await due()).as_of).toBe(true)

  // The retention page lists it; its dossier is read before anything is decided.
  await signIn(page, platform, supervisor)
  await page.getByRole('menuitem', { name: '档案保管' }).click()
  await expect(page.getByRole('heading', { name: '档案保管与处置' })).toBeVisible()
  const row = page.getByTestId('retention-table').getByRole('row').filter({ hasText: demand.id })
  await expect(row).toContainText(listed.retention_until)
  await checkPage(page, testInfo, 'supervisor-retention-due')
  await row.getByRole('link', { name: demand.id }).click()
  await expect(page.getByTestId('dossier-title')).toHaveText(`LED筒灯型式试验${tag}`)
  await expect(page.getByText(`保管至 ${listed.retention_until}`)).toBeVisible()
  await page.goBack()
  await expect(row).toBeVisible()

  const dialog = page.getByRole('dialog')
  /** Opens a row's act by keyboard, types the reason and confirms with Enter on the button. */
  async function act(name: string, reason: string) {
    await row.getByRole('button', { name: `${name} ${demand.id}` }).focus()
    await page.keyboard.press('Enter')
    await expect(dialog.getByRole('heading', { name })).toBeVisible()
    await dialog.getByTestId('reason-input').focus()
    await page.keyboard.type(reason)
    await dialog.getByTestId('reason-confirm').focus()
    await page.keyboard.press('Enter')
  }

  // A legal hold placed from the page: the row says so, disposal is no longer offered, and the
  // API refuses it.
  await act('设置法律保全', '行政复议审查中，暂缓处置')
  await expect(dialog).toBeHidden()
  await expect(page.getByText('已设置法律保全')).toBeVisible()
  await expect(row).toContainText('保全中')
  await expect(row).toContainText('行政复议审查中，暂缓处置')
  await expect(row.getByRole('button', { name: `处置档案 ${demand.id}` })).toHaveCount(0)
  const stopped = await platform.call('POST', `/api/v1/archive/demands/${demand.id}/disposal`, colleague, { reason: '保管期满' })
  expect([stopped.status, stopped.body.error]).toEqual([409, 'under_legal_hold'])
  await act('解除法律保全', '复议已结案')
  await expect(dialog).toBeHidden()
  await expect(row).not.toContainText('保全中')

  // A colleague places a hold while the page still offers the disposal: the disposal is refused
  // in plain Chinese, and the row then shows the colleague's hold.
  await platform.ok(201, 'POST', `/api/v1/archive/demands/${demand.id}/legal-hold`, colleague, { reason: '涉诉证据保全' })
  await act('处置档案', '保管期满，经局务会研究同意销毁')
  await expect(dialog.getByRole('alert').filter({ hasText: '不能销毁' })).toContainText('档案处于法律保全中，不能销毁')
  await forgive(consoleErrors, 409, /\/disposal\)$/)
  await expect(row).toContainText('涉诉证据保全')
  await checkPage(page, testInfo, 'supervisor-retention-refused')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await act('解除法律保全', '诉讼已结束')
  await expect(dialog).toBeHidden()
  await expect(page.getByText('已解除法律保全')).toBeVisible()

  // The disposal, with the warning the dialog gives and its own confirmation.
  await row.getByRole('button', { name: `处置档案 ${demand.id}` }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog.getByTestId('reason-hint')).toContainText('无法恢复')
  await dialog.getByTestId('reason-input').fill('保管期满，经局务会研究同意销毁')
  await checkPage(page, testInfo, 'supervisor-retention-dispose')
  await dialog.getByRole('button', { name: '确认销毁' }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByText('档案已销毁')).toBeVisible()
  await expect(row).toHaveCount(0)

  // Gone through the API (410, with what is kept), and the dossier's page says so.
  const gone = await platform.call('GET', `/api/v1/archive/demands/${demand.id}`, colleague)
  expect(gone.status).toBe(410)
  expect(gone.body).toMatchObject({ error: 'dossier_disposed', details: { demand_id: demand.id, reason: '保管期满，经局务会研究同意销毁' } })
  expect((await due()).items.map((item: { demand_id: string }) => item.demand_id)).not.toContain(demand.id)
  await page.goto(`/supervisor/dossiers/${demand.id}`)
  const tombstone = page.getByTestId('dossier-disposed')
  await expect(tombstone.getByRole('heading', { name: '档案已销毁' })).toBeVisible()
  await expect(tombstone).toContainText('保管期满，经局务会研究同意销毁')
  await expect(tombstone).toContainText(gone.body.details.head)
  await forgive(consoleErrors, 410, new RegExp(`/archive/demands/${demand.id}\\)$`))
  await checkPage(page, testInfo, 'supervisor-dossier-disposed')
})

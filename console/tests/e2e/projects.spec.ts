import { test, expect, checkPage, forgive, signIn } from './support/fixtures'
import { seedEnterprise, seedInstitution, seedStation } from './support/scene'

const STAGES = [
  { code: 'initiation', label: '立项', file: '立项申请书.pdf', note: '项目任务书已签订' },
  { code: 'drafting', label: '起草', file: '标准草案.pdf', note: '起草组完成草案' },
  { code: 'consultation', label: '征求意见', file: '征求意见汇总处理表.pdf', note: '向上下游企业征求意见' },
  { code: 'review', label: '审查', file: '审查会议纪要.pdf', note: '专家审查通过' },
  { code: 'publication', label: '发布', file: '企业标准发布稿.pdf', note: '企业发布实施' },
] as const

test('an institution moves a standard project through its stages with a document at each; the enterprise sees it', async ({ page, browser, platform, state, consoleErrors }, testInfo) => {
  test.setTimeout(240_000)
  const unique = `${Date.now()}`
  const operatorToken = await platform.signIn(state.people.operator!)
  const park = `std-park-${unique}`
  await seedStation(platform, operatorToken, {
    park, name: '番禺标准化服务站', specialist: { signInName: `chen.std.${unique}`, name: '陈静' },
  })
  const { institution, member: zhao, token: labToken } = await seedInstitution(platform, operatorToken, {
    name: `广州标准化研究院${unique.slice(-4)}`, categories: ['standardization'],
    qualifications: [{ type: 'OTHER', number: `STD-${unique}`, issuer: '广东省市场监督管理局', scope: ['企业标准制定'], valid_from: '2024-01-01', valid_until: '2099-12-31' }],
    parks: [park], capacity: 10, auto_accept_offers: true,
  }, { signInName: `zhao.std.${unique}`, name: '赵工' })
  const { party, admin, token: enterpriseToken } = await seedEnterprise(platform, operatorToken, {
    name: '广州明辉灯具有限公司', admin: { signInName: `li.std.${unique}`, name: '李华' },
  })
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', enterpriseToken, {
    enterprise: party, park, category: 'standardization', title: `LED筒灯企业标准 ${unique}`,
    description: '为新款LED筒灯制定企业标准并自我声明公开。', items: ['企业标准制定'],
  })
  const assignment = await platform.until(async () => {
    const found = await platform.ok(200, 'GET', '/api/v1/assignments?status=in_service', labToken)
    return found.items.find((item: { demand_id: string }) => item.demand_id === demand.id)
  }, 30, 'the assignment')
  expect(assignment.institution_id).toBe(institution.id)

  // The institution opens the project on its assignment's page.
  await signIn(page, platform, zhao)
  await page.goto(`/institution/assignments/${assignment.assignment_id}`)
  const panel = page.getByTestId('standard-project-panel')
  await expect(panel).toContainText('尚未立项')
  // No project yet: the API answers 404, which the browser logs.
  await forgive(consoleErrors, 404, /\/standard-project\)/)
  await panel.locator('[data-testid="standard-title"] input, input[data-testid="standard-title"]').first().fill('LED筒灯')
  await panel.locator('[data-testid="standard-planned-number"] input, input[data-testid="standard-planned-number"]').first().fill('Q/MHDJ 001-2026')
  await panel.getByTestId('open-standard-project').click()
  await expect(panel.getByTestId('standard-status')).toHaveText('进行中')

  // Each stage in turn, with its document.
  for (const stage of STAGES) {
    await expect(panel.getByTestId('complete-stage')).toContainText(stage.label)
    await panel.getByTestId('stage-upload').locator('input[type=file]').setInputFiles({
      name: stage.file, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7 ${stage.file} ${unique}`),
    })
    await expect(panel.getByTestId('stage-files')).toContainText(stage.file)
    await panel.locator('[data-testid="stage-note"] textarea, textarea[data-testid="stage-note"]').first().fill(stage.note)
    if (stage.code === 'consultation') {
      await panel.locator('[data-testid="comments-received"] input').fill('6')
      await panel.locator('[data-testid="comments-adopted"] input').fill('6')
    }
    if (stage.code === 'publication') {
      await panel.locator('[data-testid="publication-number"] input, input[data-testid="publication-number"]').first().fill('Q/MHDJ 001-2026')
      for (const picker of ['发布日期', '声明日期']) {
        const input = panel.getByRole('combobox', { name: picker })
        await input.fill('2026-03-01')
        await input.press('Enter')
      }
      await panel.locator('[data-testid="declaration-reference"] input, input[data-testid="declaration-reference"]').first()
        .fill('企业标准信息公共服务平台 440113-2026-001')
      await checkPage(page, testInfo, 'institution-standard-project')
    }
    await panel.getByTestId('complete-stage').click()
    await expect(panel.getByTestId(`stage-${stage.code}`)).toContainText(stage.file)
  }
  await expect(panel.getByTestId('standard-status')).toHaveText('已发布')
  await expect(panel.getByTestId('standard-number')).toHaveText('Q/MHDJ 001-2026')
  await expect(panel.getByTestId('complete-stage')).toHaveCount(0)

  // Through the API: five stages in order, each with its document; the self-declaration.
  const project = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}/standard-project`, enterpriseToken)
  expect(project.stages.map((done: { stage: string }) => done.stage)).toEqual(STAGES.map((stage) => stage.code))
  expect(project.stages.map((done: { documents: { name: string }[] }) => done.documents[0]!.name)).toEqual(STAGES.map((stage) => stage.file))
  expect(project.stages[2].consultation).toEqual({ comments_received: 6, adopted: 6, partly_adopted: 0, not_adopted: 0 })
  expect(project.publication.self_declaration.declared_on).toBe('2026-03-01')

  // The enterprise reads it on its demand's page.
  const enterpriseContext = await browser.newContext({ baseURL: state.consoleUrl })
  const enterprisePage = await enterpriseContext.newPage()
  try {
    await signIn(enterprisePage, platform, admin)
    await enterprisePage.goto(`/enterprise/demands/${demand.id}`)
    const work = enterprisePage.getByTestId('demand-work')
    await expect(work.getByTestId('standard-status')).toHaveText('已发布')
    for (const stage of STAGES) await expect(work.getByTestId(`stage-${stage.code}`)).toContainText(stage.file)
    await expect(work).toContainText('440113-2026-001')
    await checkPage(enterprisePage, testInfo, 'enterprise-standard-project')
  } finally {
    await enterpriseContext.close()
  }
})

test('an institution records a patent application, a bad number refused next to the field, and moves it on', async ({ page, platform, state, consoleErrors }) => {
  test.setTimeout(180_000)
  const unique = `${Date.now()}`
  const operatorToken = await platform.signIn(state.people.operator!)
  const park = `ip-park-${unique}`
  await seedStation(platform, operatorToken, {
    park, name: '番禺知识产权服务站', specialist: { signInName: `chen.ip.${unique}`, name: '陈静' },
  })
  const { member: sun, token: labToken } = await seedInstitution(platform, operatorToken, {
    name: `广州专利代理事务所${unique.slice(-4)}`, categories: ['intellectual_property'],
    qualifications: [{ type: 'OTHER', number: `IP-${unique}`, issuer: '国家知识产权局', scope: ['专利申请'], valid_from: '2024-01-01', valid_until: '2099-12-31' }],
    parks: [park], capacity: 10, auto_accept_offers: true,
  }, { signInName: `sun.ip.${unique}`, name: '孙工' })
  const { party, token: enterpriseToken } = await seedEnterprise(platform, operatorToken, {
    name: '广州明辉灯具有限公司', admin: { signInName: `li.ip.${unique}`, name: '李华' },
  })
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', enterpriseToken, {
    enterprise: party, park, category: 'intellectual_property', title: `LED筒灯散热结构专利 ${unique}`,
    description: '为新款筒灯的散热结构申请发明专利。', items: ['专利申请'],
  })
  const assignment = await platform.until(async () => {
    const found = await platform.ok(200, 'GET', '/api/v1/assignments?status=in_service', labToken)
    return found.items.find((item: { demand_id: string }) => item.demand_id === demand.id)
  }, 30, 'the assignment')

  await signIn(page, platform, sun)
  await page.goto(`/institution/assignments/${assignment.assignment_id}`)
  const panel = page.getByTestId('ip-panel')
  await expect(panel).toContainText('尚未登记申请')
  const number = panel.locator('[data-testid="ip-number"] input, input[data-testid="ip-number"]').first()
  await number.fill('201710601862.4')
  const filed = panel.getByRole('combobox', { name: '申请日' })
  await filed.fill('2017-07-10')
  await filed.press('Enter')
  await panel.locator('[data-testid="ip-title"] input, input[data-testid="ip-title"]').first().fill('一种LED筒灯散热结构')
  await panel.getByTestId('record-ip').click()
  await expect(page.locator('.el-form-item').filter({ has: page.getByRole('textbox', { name: '申请号' }) })
    .locator('.el-form-item__error')).toContainText('校验位不正确')
  await forgive(consoleErrors, 422, /\/ip-applications\)/)
  await number.fill('201710601862.3')
  await panel.getByTestId('record-ip').click()
  const table = panel.getByTestId('ip-applications')
  await expect(table).toContainText('201710601862.3')
  await expect(table.getByTestId('ip-status')).toHaveText('已提交')

  await table.getByRole('button', { name: '更新状态' }).click()
  const dialog = page.getByRole('dialog', { name: '更新状态' })
  const on = dialog.getByRole('combobox', { name: '日期' })
  await on.fill('2017-07-12')
  await on.press('Enter')
  await dialog.getByTestId('ip-move-submit').click()
  await expect(table.getByTestId('ip-status')).toHaveText('已受理')

  const { items } = await platform.ok(200, 'GET', `/api/v1/demands/${demand.id}/ip-applications`, enterpriseToken)
  expect(items.map((item: { number: string; status: string }) => [item.number, item.status])).toEqual([['201710601862.3', 'accepted']])
})

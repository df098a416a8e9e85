import { test, expect, checkPage, signIn } from './support/fixtures'
import { creditCode } from './support/platform'

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
  const code = creditCode()
  const organisation = await platform.organisation(operatorToken, 'enterprise', code, '广州灯具有限公司')
  const liHua = await platform.person(operatorToken, organisation, `li.hua.${Date.now()}`, ['enterprise_admin'], undefined, '李华')
  const token = await platform.signIn(liHua)
  await platform.ok(201, 'POST', '/api/v1/demands', token, {
    enterprise: { name: '广州灯具有限公司', credit_code: code, contact: '李华', phone: '+86 20 8888 0000' },
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
  await checkPage(page, testInfo, 'enterprise-home')

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

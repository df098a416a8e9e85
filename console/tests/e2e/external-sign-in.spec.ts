import { test, expect, checkPage } from './support/fixtures'
import { seedStation } from './support/scene'

/**
 * A person of the province's identity platform (global-setup.ts starts one) signs in to the
 * console through it: the sign-in page offers it, its own page takes the password, and the
 * person comes back acting for the enterprise that platform names, with no account here.
 */
test('an enterprise person signs in through the identity platform, keeps the session on reload, and signs out', async ({ page, platform, state }, testInfo) => {
  test.setTimeout(120_000)
  page.setDefaultTimeout(15_000)
  const { person } = state.identity!
  const suffix = Date.now().toString(36)

  // Arranged through the API: a station's specialist enters a demand of the person's enterprise
  // at the counter, before anyone of it ever signed in.
  const operator = await platform.signIn(state.people.operator!)
  const park = `idp-park-${suffix}`
  const { specialistToken } = await seedStation(platform, operator, {
    park, name: `统一认证测试站${suffix}`, address: '广州市番禺区市桥街2号', autoAccept: [],
    specialist: { signInName: `idp.specialist.${suffix}`, name: '林专员' },
  })
  const title = `灯具能效检测（统一认证）${suffix}`
  const demand = await platform.ok(201, 'POST', '/api/v1/demands', specialistToken, {
    enterprise: { name: '番禺何氏灯饰有限公司', credit_code: person.creditCode, contact: person.name, phone: '+86 20 8888 0001' },
    park, category: 'inspection_testing', title, description: '能效标识备案前的检测', items: ['能效'], channel: 'counter',
  })

  // The sign-in page offers the identity platform beside the form.
  await page.goto('/sign-in')
  const through = page.getByRole('link', { name: '使用广东省统一身份认证平台登录' })
  await expect(through).toBeVisible()
  await checkPage(page, testInfo, 'sign-in-providers')

  // A change of mind on the identity platform's page comes back saying so.
  await through.click()
  await expect(page.getByRole('heading', { name: '统一身份认证平台' })).toBeVisible()
  await page.getByRole('button', { name: '取消' }).click()
  await expect(page).toHaveURL(/\/sign-in\?external_error=cancelled/)
  await expect(page.getByTestId('external-error')).toContainText('您已取消登录')
  await checkPage(page, testInfo, 'sign-in-external-cancelled')

  // By the keyboard: from the password field to the identity platform's link, and Enter.
  await page.getByLabel('密码').focus()
  const focused = () => through.evaluate((link) => (link as unknown as { matches(selector: string): boolean }).matches(':focus'))
  for (let step = 0; step < 10 && !(await focused()); step += 1) {
    await page.keyboard.press('Tab')
  }
  await expect(through).toBeFocused()
  await page.keyboard.press('Enter')
  await page.getByLabel('账号').fill(person.login)
  await page.getByLabel('密码').fill('not-the-password')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('alert')).toHaveText('账号或密码不正确')
  await page.getByLabel('账号').fill(person.login)
  await page.getByLabel('密码').fill(person.password)
  await page.getByLabel('密码').press('Enter')

  // Back in the console, acting for the enterprise that platform names: its counter demand shows.
  await expect(page).toHaveURL(/\/enterprise$/)
  await expect(page.getByTestId('person-name')).toHaveText(person.name)
  await page.goto('/enterprise/demands')
  await expect(page.getByRole('link', { name: title })).toBeVisible()
  await checkPage(page, testInfo, 'enterprise-demands-external')
  // Its case opens as the API shows it to the enterprise.
  await page.getByRole('link', { name: title }).click()
  await expect(page).toHaveURL(new RegExp(`/enterprise/demands/${demand.id}$`))
  await expect(page.getByRole('heading', { name: title })).toBeVisible()

  // A reload keeps the session: its tokens are in an HttpOnly cookie, not in the page.
  await page.reload()
  await expect(page.getByTestId('person-name')).toHaveText(person.name)
  const stored = await page.evaluate(() => [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => s.getItem(k) ?? '')))
  expect(stored.filter((value) => value.split('.').length === 3)).toEqual([])
  const cookies = await page.context().cookies()
  const session = cookies.find((cookie) => cookie.name === 'onestop_external')
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/sessions' })

  // Signing out ends it here: the cookie goes, and the sign-in page is back.
  await page.getByTestId('sign-out').click()
  await expect(page).toHaveURL(/\/sign-in/)
  expect((await page.context().cookies()).some((cookie) => cookie.name === 'onestop_external')).toBe(false)
})

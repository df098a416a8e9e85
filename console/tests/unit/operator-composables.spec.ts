import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { auditFields, auditFieldText } from '@/views/operator/composables/auditDetail'
import { dashboardUrl, DASHBOARDS, grafanaBase } from '@/views/operator/composables/grafana'
import { requiredRules } from '@/views/operator/composables/rules'
import { emptyStationForm, periodsOf, STATION_FIELDS, toRegisterStation } from '@/views/operator/composables/stationForm'
import { settingsChanges, settingsFormOf } from '@/views/operator/composables/stationSettings'
import { findStationOrganisation, registerStationOrganisation, useStations, type Station } from '@/views/operator/composables/stations'
import { useDeadLetters } from '@/views/operator/composables/useDeadLetters'
import { useOneTimePassword } from '@/views/operator/composables/useOneTimePassword'
import { usePerson } from '@/views/operator/composables/usePerson'
import { useOrganisation } from '@/views/operator/composables/useOrganisation'
import { rolesOf, weekdayName } from '@/views/operator/composables/vocabulary'
import { ApiError } from '@/api/errors'
import { fakeFetch } from './helpers'

afterEach(() => vi.unstubAllGlobals())

const STATION: Station = {
  id: 'st-1', name: '番禺站', park: 'panyu-energy-park', operating_institution: { name: '检测所', credit_code: '91440113000000001X' },
  address: '石楼镇', opening_hours: '工作日 9:00-17:30',
  calendar: { timezone: 'Asia/Shanghai', hours: ['09:00-12:00', '13:30-17:30'], weekend: ['saturday', 'sunday'], holidays: [], extra_workdays: [] },
  parent_platform: null, auto_accept: ['metrology'], time_limits: {}, hall: { categories: [], window_hours: null }, conformity: null, specialists: [], registered_at: '2026-12-01T00:00:00+00:00',
}
const page = <T>(items: T[], next_after: string | null = null) => ({ items, next_after, per_page: 20 })
const organisation = (party: string) => ({ id: `org-${party}`, kind: 'station', party, name: `站 ${party}`, verified: true })

describe('the one-time password', () => {
  it('is shown once, copied, and forgotten when dismissed', async () => {
    const writeText = vi.fn(async () => {})
    const otp = useOneTimePassword({ writeText })
    expect(otp.visible.value).toBe(false)
    otp.show({ signInName: 'wang.min', name: '王敏', password: 'Once-2026-abc' })
    expect(otp.visible.value).toBe(true)
    expect(await otp.copy()).toBe(true)
    expect(writeText).toHaveBeenCalledWith('Once-2026-abc')
    expect(otp.copied.value).toBe(true)
    otp.dismiss()
    expect(otp.current.value).toBeNull()
    expect(otp.copied.value).toBe(false)
  })

  it('says when the clipboard refuses or is missing', async () => {
    const refusing = useOneTimePassword({ writeText: async () => { throw new Error('denied') } })
    refusing.show({ signInName: 'a', name: 'a', password: 'p' })
    expect(await refusing.copy()).toBe(false)
    const none = useOneTimePassword(undefined)
    none.show({ signInName: 'a', name: 'a', password: 'p' })
    expect(await none.copy()).toBe(false)
  })
})

describe('the station registration form', () => {
  it('leaves blank fields out so that the API names them, and reads the working periods', () => {
    const form = { ...emptyStationForm(), name: ' 番禺站 ', institutionCreditCode: '91440113000000001x', hours: '09:00-12:00\n\n13:30-17:30 ', autoAccept: ['metrology' as const] }
    const body = toRegisterStation(form)
    expect(body).toEqual({
      name: '番禺站',
      operating_institution: { credit_code: '91440113000000001X' },
      calendar: { timezone: 'Asia/Shanghai', hours: ['09:00-12:00', '13:30-17:30'] },
      auto_accept: ['metrology'],
    })
    expect('park' in body).toBe(false)
    expect(periodsOf('09:00-12:00，13:30-17:30; ')).toEqual(['09:00-12:00', '13:30-17:30'])
    expect(STATION_FIELDS.institutionName).toBe('operating_institution.name')
  })

  it('a field error of the API reaches the field by its dotted name', () => {
    const error = new ApiError(422, { details: { operating_institution: { credit_code: ['not a unified social credit code'] } } })
    expect(error.fieldError(STATION_FIELDS.institutionCreditCode)).toBe('not a unified social credit code')
  })
})

describe("a station's settings", () => {
  it('sends the reason and only what changed, the calendar whole', () => {
    const form = settingsFormOf(STATION)
    expect(form).toMatchObject({ address: '石楼镇', hours: '09:00-12:00\n13:30-17:30', autoAccept: ['metrology'], reason: '' })
    expect(settingsChanges(STATION, { ...form, reason: ' 调整 ' })).toEqual({ reason: '调整' })
    const changed = settingsChanges(STATION, { ...form, hours: '08:30-12:00\n13:30-17:30', autoAccept: [], reason: '夏令时' })
    expect(changed).toEqual({
      reason: '夏令时',
      calendar: { ...STATION.calendar, hours: ['08:30-12:00', '13:30-17:30'] },
      auto_accept: [],
    })
  })
})

describe('the stations', () => {
  it('lists the stations a page at a time', async () => {
    const summary = { id: 'st-1', name: '番禺站', park: 'panyu-energy-park', address: '番禺区', time_zone: 'Asia/Shanghai',
      operating_institution: { name: '番禺质量服务公司', credit_code: '91440101MA5CXXXX1X' }, parent_platform: null,
      specialists: 2, registered_at: '2026-11-30T09:00:00+08:00' }
    const { requests } = fakeFetch([200, page([summary], 'c2')])
    const list = useStations()
    await list.reload()
    expect(new URL(requests[0]!.url).pathname).toBe('/api/v1/stations')
    expect(list.items.value.map((row) => [row.id, row.name, row.specialists])).toEqual([['st-1', '番禺站', 2]])
    expect(list.hasNext.value).toBe(true)
  })

  it("finds a station's organisation page by page", async () => {
    const { requests } = fakeFetch([200, page([organisation('a')], 'c1')], [200, page([organisation('st-1')], null)])
    expect((await findStationOrganisation('st-1'))?.id).toBe('org-st-1')
    expect(new URL(requests[1]!.url).searchParams.get('after')).toBe('c1')
    fakeFetch([200, page([organisation('a')], null)])
    expect(await findStationOrganisation('st-1')).toBeNull()
  })

  it("registers a station's organisation, one already registered being no error", async () => {
    const { requests } = fakeFetch([201, organisation('st-1')])
    expect(await registerStationOrganisation(STATION)).toBe('org-st-1')
    expect(await requests[0]!.json()).toEqual({ kind: 'station', party: 'st-1', name: '番禺站' })
    fakeFetch([409, { error: 'conflict', title: '冲突', message: '已登记', details: { organisation_id: 'org-known' } }])
    expect(await registerStationOrganisation(STATION)).toBe('org-known')
    fakeFetch([403, { error: 'forbidden', title: '无权限', message: 'no', details: {} }])
    await expect(registerStationOrganisation(STATION)).rejects.toBeInstanceOf(ApiError)
  })
})

describe('the dead letters', () => {
  const letter = { service: 'notices', upstream: 'delivery', notification_id: 7, event: 'DemandSubmitted', error: 'smtp down', replayed: false }

  it('filters by service and state, replays one letter and keeps each outcome', async () => {
    const { requests } = fakeFetch(
      [200, page([letter])],
      [200, page([])],
      [200, { items: [{ ...letter, outcome: 'failed', error: 'smtp still down' }] }],
      [200, page([letter])],
    )
    const letters = useDeadLetters()
    await letters.list.reload()
    letters.service.value = 'notices'
    letters.replayed.value = 'waiting'
    await nextTick()
    await vi.waitFor(() => expect(requests).toHaveLength(2))
    const query = new URL(requests[1]!.url).searchParams
    expect([query.get('service'), query.get('replayed')]).toEqual(['notices', 'false'])
    await vi.waitFor(() => expect(letters.list.loading.value).toBe(false))
    const outcomes = await letters.replayOne(letter)
    expect(await requests[2]!.json()).toEqual({ service: 'notices', upstream: 'delivery', notification_id: 7 })
    expect(outcomes).toEqual([{ ...letter, outcome: 'failed', error: 'smtp still down' }])
    expect(letters.outcomes.value).toHaveLength(1)
    letters.clearOutcomes()
    expect(letters.outcomes.value).toBeNull()
  })

  it('replays all the waiting letters of every service, and keeps an error', async () => {
    const { requests } = fakeFetch([200, { items: [] }], [200, page([])], [409, { error: 'conflict', title: '冲突', message: 'busy', details: {} }])
    const letters = useDeadLetters()
    expect(await letters.replayAll()).toEqual([])
    expect(await requests[0]!.json()).toEqual({ service: null })
    expect(await letters.replayAll()).toBeNull()
    expect(letters.error.value?.status).toBe(409)
  })
})

describe('an account', () => {
  it('is read with its organisation, and keeps what each action answers', async () => {
    const person = {
      id: 'p-1', sign_in_name: 'wang.min', name: '王敏', mobile: null, email: null, organisation_id: 'org-1', roles: ['specialist'],
      must_change_password: false, second_factor: false, disabled: false, created_at: '2026-12-01T00:00:00+00:00',
    }
    const { requests } = fakeFetch(
      [200, person], [200, organisation('st-1')],
      [200, { ...person, disabled: true }],
      [200, { ...person, must_change_password: true, one_time_password: 'Once-1' }],
    )
    const account = usePerson(() => 'p-1')
    await account.load()
    expect(account.organisation.value?.party).toBe('st-1')
    await account.setEnabled(false, '借调')
    expect(await requests[2]!.json()).toEqual({ enabled: false, reason: '借调' })
    expect(account.person.value?.disabled).toBe(true)
    expect((await account.resetPassword()).one_time_password).toBe('Once-1')
    expect(account.person.value?.must_change_password).toBe(true)
  })

  it('says why it could not be read', async () => {
    fakeFetch([404, { error: 'not_found', title: '不存在', message: 'no person', details: {} }])
    const account = usePerson(() => 'p-9')
    await account.load()
    expect(account.error.value?.status).toBe(404)
  })
})

describe('an organisation', () => {
  it('is read with its first page of accounts and the roles its kind allows', async () => {
    const { requests } = fakeFetch([200, organisation('st-1')], [200, page([{ id: 'p-1', sign_in_name: 'wang.min', name: '王敏', roles: ['specialist'], disabled: false }])])
    const found = useOrganisation(() => 'org-st-1')
    await found.load()
    expect(new URL(requests[1]!.url).searchParams.get('organisation_id')).toBe('org-st-1')
    expect(found.persons.items.value.map((person) => person.name)).toEqual(['王敏'])
    expect(found.roles.value).toEqual(['specialist', 'station_manager'])
  })
})

describe('the audit entries', () => {
  it("say who acted and what, by the console's names", () => {
    const entry = { at: 'x', person_id: 'p', event: 'PersonCreated', by: { role: 'operator', subject: 'op-1' }, reason: '新建账号', roles: ['specialist'], method: 'password+totp', empty: null }
    const fields = auditFields(entry)
    expect(fields.map((field) => field.key)).toEqual(['by', 'method', 'reason', 'roles'])
    const labels = { role: (code: string) => `<${code}>`, method: (code: string) => `[${code}]` }
    expect(fields.map((field) => auditFieldText(field, labels))).toEqual(['<operator> op-1', '[password+totp]', '新建账号', '<specialist>'])
    expect(auditFieldText({ key: 'extra', value: { a: 1 } }, labels)).toBe('{"a":1}')
  })
})

describe('the rest', () => {
  it('links the Grafana dashboards only under a valid base', () => {
    expect(grafanaBase(undefined)).toBeNull()
    expect(grafanaBase('  ')).toBeNull()
    expect(grafanaBase('javascript:alert(1)')).toBeNull()
    const base = grafanaBase('https://grafana.example.gov.cn/')
    expect(base).toBe('https://grafana.example.gov.cn')
    expect(dashboardUrl(base, DASHBOARDS[0]!)).toBe('https://grafana.example.gov.cn/d/onestop-operators')
    expect(dashboardUrl(null, DASHBOARDS[0]!)).toBeNull()
  })

  it('knows the roles of each kind of organisation and the weekdays', () => {
    expect(rolesOf('station')).toEqual(['specialist', 'station_manager'])
    expect(rolesOf(undefined)).toEqual([])
    expect([weekdayName(5), weekdayName('Sunday')]).toEqual(['saturday', 'sunday'])
  })

  it('asks for the required fields in words', () => {
    const t = (key: string, values?: Record<string, unknown>) => (values ? `请填写${String(values.field)}` : key)
    const rules = requiredRules(t, { name: 'label.name', roles: 'label.roles' }, ['roles'])
    expect(rules.name![0]).toMatchObject({ required: true, whitespace: true, message: '请填写label.name', trigger: 'blur' })
    expect(rules.roles![0]).toMatchObject({ required: true, type: 'array', min: 1, trigger: 'change' })
  })
})

import { describe, expect, it } from 'vitest'
import { assessable, assessmentBody, fieldsFor, newAssessment } from '@/views/specialist/composables/assessment'
import { emptyFilters, queueQuery } from '@/views/specialist/composables/useQueue'
import { directoryQuery } from '@/views/specialist/composables/useDirectory'
import { demandHistory, outcomeText, type Demand } from '@/views/specialist/composables/useDemand'
import { newOnboarding, onboardingBody } from '@/views/specialist/composables/onboarding'
import { limitRow, settingsBody, stationForm, weekday, type Station } from '@/views/specialist/composables/stationSettings'

describe('the assessment form', () => {
  it('shows and sends only what each decision needs', () => {
    expect(fieldsFor('request_info')).toEqual(['questions'])
    expect(fieldsFor('reclassify')).toContain('category')
    const form = { ...newAssessment({ items: ['光生物安全'], urgency: 'normal' }), reason: '不属于本站服务范围', questions: '  ' }
    expect(assessmentBody(form)).toEqual({ decision: 'accept', items: ['光生物安全'], urgency: 'normal' })
    expect(assessmentBody({ ...form, decision: 'reject' })).toEqual({ decision: 'reject', reason: '不属于本站服务范围' })
    // an empty required text goes as null, so that the API names the field
    expect(assessmentBody({ ...form, decision: 'request_info' })).toEqual({ decision: 'request_info', questions: null })
  })

  it('sends a reclassification as an accept with the new category', () => {
    const form = { ...newAssessment(), decision: 'reclassify' as const, category: 'metrology' as const }
    expect(assessmentBody(form)).toEqual({ decision: 'accept', category: 'metrology' })
  })

  it('knows when a demand waits for an assessment', () => {
    expect(assessable('submitted')).toBe(true)
    expect(assessable('awaiting_information')).toBe(true)
    expect(assessable('accepted')).toBe(false)
  })
})

describe('the queue and directory queries', () => {
  it('leave out what is not filtered', () => {
    expect(queueQuery(emptyFilters(), null)).toEqual({ sort: '-submitted_at', per_page: 20 })
    expect(queueQuery({ status: 'submitted', category: 'metrology', overdue: 'no', submitted: ['2026-12-01', '2026-12-06'], sort: 'submitted_at' }, 'c2', 10))
      .toEqual({ sort: 'submitted_at', per_page: 10, after: 'c2', status: 'submitted', category: 'metrology', overdue: false, submitted_from: '2026-12-01', submitted_to: '2026-12-06' })
    expect(directoryQuery({ name: ' 检测 ', category: '', park: '', qualification: 'CMA', item: '', status: '' }, null))
      .toEqual({ per_page: 10, name: '检测', qualification: 'CMA' })
  })
})

describe("a demand's history", () => {
  it('orders what the demand records', () => {
    const demand = {
      submitted_at: '2026-12-01T09:00:00+08:00',
      information: [{ questions: '规格书？', requested_at: '2026-12-01T10:00:00+08:00', information: '已上传', supplied_at: '2026-12-02T09:00:00+08:00' }],
      follow_ups: [{ at: '2026-12-01T11:00:00+08:00', channel: 'phone', contact: '李华', note: '已电话确认', next_step_on: null }],
    } as unknown as Demand
    expect(demandHistory(demand).map((entry) => entry.key)).toEqual(['historySubmitted', 'historyRequested', 'historyFollowUp', 'historySupplied'])
    expect(outcomeText({ answer: '可直接查阅标准' })).toBe('可直接查阅标准')
    expect(outcomeText(null)).toBe('')
  })
})

describe('the onboarding form', () => {
  it('becomes RegisterInstitution', () => {
    const form = newOnboarding('panyu-energy-park')
    form.name = ' 番禺检测技术有限公司 '
    form.credit_code = '91440113abc'
    form.categories = ['inspection_testing']
    form.qualifications[0] = { type: 'CMA', number: 'CMA-1', issuer: '', scope: ['光生物安全'], valid: ['2024-01-01', '2030-12-31'] }
    form.price_list = [{ item: '光生物安全', price_cny: '800', unit: '每样品' }, { item: '', price_cny: '', unit: '' }]
    expect(onboardingBody(form)).toEqual({
      name: '番禺检测技术有限公司', credit_code: '91440113ABC', categories: ['inspection_testing'],
      parks: ['panyu-energy-park'], home_park: 'panyu-energy-park', capacity: 10, auto_accept_offers: false,
      qualifications: [{ type: 'CMA', number: 'CMA-1', issuer: null, scope: ['光生物安全'], valid_from: '2024-01-01', valid_until: '2030-12-31' }],
      price_list: [{ item: '光生物安全', price_cny: '800', unit: '每样品' }],
    })
  })
})

describe("the station's settings", () => {
  const station = {
    id: 's-1', name: '番禺站', park: 'panyu-energy-park', address: '科学路1号', opening_hours: '周一至周五',
    calendar: { timezone: 'Asia/Shanghai', hours: ['09:00-12:00'], weekend: [5, 'sunday'], holidays: ['2027-01-01'], extra_workdays: [] },
    auto_accept: [], time_limits: { default: { assessment: '2d' }, urgencies: { urgent: { first_response: '30m' } } },
    hall: { categories: [], window_hours: null },
    specialists: [], operating_institution: {}, parent_platform: null, conformity: null, registered_at: '',
  } as unknown as Station

  it('reads weekdays as names and limits as rows', () => {
    expect(weekday(0)).toBe('monday')
    expect(weekday('Sunday')).toBe('sunday')
    expect(weekday(9)).toBeNull()
    const form = stationForm(station)
    expect(form.weekend).toEqual(['saturday', 'sunday'])
    expect(form.limits.map((row) => [row.scope, row.key])).toEqual([['default', ''], ['urgencies', 'urgent']])
  })

  it('sends every setting with the reason', () => {
    const form = stationForm(station)
    form.holidays.push('2026-12-25')
    form.limits.push(limitRow('categories', 'metrology'))
    form.limits[2]!.limits.follow_up = ' 3d '
    form.reason = ' 元旦调整 '
    const body = settingsBody(form)
    expect(body.reason).toBe('元旦调整')
    expect(body.calendar).toMatchObject({ holidays: ['2026-12-25', '2027-01-01'], weekend: ['saturday', 'sunday'] })
    expect(body.time_limits).toEqual({
      default: { assessment: '2d' }, categories: { metrology: { follow_up: '3d' } }, urgencies: { urgent: { first_response: '30m' } },
    })
  })

  it('sends the demand hall, four working hours until the station chose', () => {
    const form = stationForm(station)
    expect(form.hall_window_hours).toBe(4)
    form.hall_categories.push('inspection_testing')
    expect(settingsBody(form).hall).toEqual({ categories: ['inspection_testing'], window_hours: 4 })
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch } from './helpers'
import { offerDeadline, requestOf, statusTagType, today, type Assignment } from '@/views/institution/composables/offers'
import { fileSize } from '@/utils/files'
import { changesSomething, profileChange, profileForm, type Institution } from '@/views/institution/composables/profile'
import { deliveryLines, eventPage, type Webhook } from '@/views/institution/composables/partner'
import { findAssignment } from '@/views/institution/composables/useAssignments'
import { useEvidence } from '@/views/institution/composables/useEvidence'
import { ApiError } from '@/api/errors'
import { deadlineStatus } from '@/composables/useCountdown'

const NOW = Date.parse('2026-12-05T10:00:00+08:00')

function assignment(overrides: Partial<Assignment> = {}): Assignment {
  return {
    assignment_id: 'a-1', institution_id: 'i-1', demand_id: 'd-1', status: 'offered', category: 'inspection_testing',
    items: ['LED筒灯'], park: 'panyu-energy-park', expected_by: null, respond_by: '2026-12-06T10:00:00+08:00',
    promised_date: null, progress: [], evidence: null, time_zone: 'Asia/Shanghai', ...overrides,
  }
}

function institution(overrides: Partial<Institution> = {}): Institution {
  return {
    id: 'i-1', name: '广州检测中心', credit_code: '91440113000000000X', status: 'active', status_reason: null,
    home_park: null, auto_accept_offers: false, satisfaction: null, on_time_rate: null,
    price_list: [{ item: 'LED筒灯型式试验', price_cny: '3800.00', unit: '每型号' }],
    contact: { name: '王工', phone: '020-1234 5678', email: null }, categories: ['inspection_testing'],
    qualifications: [], track_record: [], parks: ['panyu-energy-park'], capacity: 20, registered_at: '2026-12-01T00:00:00+08:00',
    ...overrides,
  }
}

afterEach(() => vi.unstubAllGlobals())

describe("an offer's countdown", () => {
  it('runs green until its last hours, amber then, red once the window closed', () => {
    const running = offerDeadline(assignment(), NOW)!
    expect(deadlineStatus(running, NOW)).toMatchObject({ type: 'success', key: 'remaining', seconds: 86_400 })
    const late = offerDeadline(assignment({ respond_by: '2026-12-05T12:00:00+08:00' }), NOW)!
    expect(deadlineStatus(late, NOW)).toMatchObject({ type: 'warning', key: 'remaining' })
    const past = offerDeadline(assignment({ respond_by: '2026-12-05T09:00:00+08:00' }), NOW)!
    expect(deadlineStatus(past, NOW)).toMatchObject({ type: 'danger', key: 'overdue', seconds: 3600 })
  })

  it('is closed once answered, late only when the offer expired', () => {
    expect(deadlineStatus(offerDeadline(assignment({ status: 'in_service' }), NOW)!, NOW)).toEqual({ type: 'info', key: 'closed' })
    expect(deadlineStatus(offerDeadline(assignment({ status: 'expired' }), NOW)!, NOW)).toEqual({ type: 'danger', key: 'closedLate' })
    expect(offerDeadline(assignment({ respond_by: null }), NOW)).toBeNull()
  })
})

describe('offers', () => {
  it('colour statuses, read the listed request, and format sizes and dates', () => {
    expect(statusTagType('offered')).toBe('warning')
    expect(statusTagType('completed')).toBe('success')
    expect(statusTagType('released')).toBe('danger')
    expect(requestOf(assignment())).toBeNull()
    const request = { title: '型式试验', description: '', sub_items: [], urgency: 'normal' as const, attachments: [] }
    expect(requestOf(assignment({ request }))).toEqual(request)
    expect(fileSize(15)).toBe('15 B')
    expect(fileSize(2560)).toBe('2.5 KB')
    expect(today(new Date(2026, 0, 5))).toBe('2026-01-05')
  })

  it('finds an assignment by paging the list (the API reads none alone)', async () => {
    const { requests } = fakeFetch(
      [200, { items: [assignment({ assignment_id: 'a-0' })], next_after: 'c-1', per_page: 100 }],
      [200, { items: [assignment({ assignment_id: 'a-9' })], next_after: null, per_page: 100 }],
    )
    expect((await findAssignment('a-9')).assignment_id).toBe('a-9')
    expect(new URL(requests[1]!.url).searchParams.get('after')).toBe('c-1')
    fakeFetch([200, { items: [], next_after: null, per_page: 100 }])
    await expect(findAssignment('a-404')).rejects.toMatchObject({ status: 404 })
  })
})

describe('the profile form', () => {
  it('sends only what changed, with the reason', () => {
    const before = institution()
    const form = profileForm(before)
    expect(form).toMatchObject({ contactName: '王工', contactEmail: '', capacity: 20, autoAccept: false })
    expect(changesSomething(profileChange(before, { ...form, reason: '无变化' }))).toBe(false)
    expect(profileChange(before, { ...form, capacity: 35, reason: ' 新增检测线 ' })).toEqual({ capacity: 35, reason: '新增检测线' })
    expect(profileChange(before, { ...form, contactPhone: '020-8765 4321', reason: '换人' })).toEqual({
      reason: '换人', contact: { name: '王工', phone: '020-8765 4321', email: null },
    })
    const prices = [...form.prices, { item: '色温测试', price_cny: '200', unit: '每样品' }]
    expect(profileChange(before, { ...form, prices, autoAccept: true, reason: '调价' })).toEqual({
      reason: '调价', auto_accept_offers: true, price_list: prices,
    })
  })
})

describe('the partner API', () => {
  it('reads the delivery log and pages the event stream while there is more', async () => {
    const webhook = {
      institution_id: 'i-1', url: 'https://hooks.example.com/onestop', previous_secret_valid_until: null, delivered: 1,
      failures: 0, retry_at: null, suspended: null,
      log: [{ event_id: 'e-1', ok: false, status: null, error: 'could not connect', at: '2026-12-05T10:00:00+08:00' },
        { event_id: 'e-1', ok: true, rewound: true, at: '2026-12-05T10:01:00+08:00' }],
    } satisfies Webhook
    expect(deliveryLines(webhook)).toEqual([
      { event_id: 'e-1', at: '2026-12-05T10:00:00+08:00', ok: false, status: null, error: 'could not connect', rewound: false, retry_at: null },
      { event_id: 'e-1', at: '2026-12-05T10:01:00+08:00', ok: true, status: null, error: null, rewound: true, retry_at: null },
    ])
    const envelope = { event_id: 'e-1', event: 'offer.made', schema_version: 1, occurred_at: '', institution_id: 'i-1', data: {} }
    fakeFetch([200, { items: [envelope], next_after: 'e-1', more: true }], [200, { items: [], next_after: 'e-1', more: false }])
    expect(await eventPage(null)).toMatchObject({ items: [envelope], next_after: 'e-1' })
    expect((await eventPage('e-1')).next_after).toBeNull()
  })
})

describe('evidence uploads', () => {
  it('keeps each uploaded file once, and an upload that failed as the error', async () => {
    const upload = vi.fn(async (file: File) => ({ name: file.name, sha256: file.name === 'a.pdf' ? 'aa' : 'bb' }))
    const evidence = useEvidence(upload)
    await evidence.add(new File(['a'], 'a.pdf'))
    await evidence.add(new File(['a'], 'a.pdf'))
    await evidence.add(new File(['b'], 'b.pdf'))
    expect(evidence.documents.value).toEqual([{ name: 'a.pdf', sha256: 'aa' }, { name: 'b.pdf', sha256: 'bb' }])
    evidence.remove('aa')
    expect(evidence.documents.value.map((document) => document.name)).toEqual(['b.pdf'])
    const failing = useEvidence(async () => {
      throw new ApiError(413, { error: 'body_too_large', title: '文件过大' })
    })
    expect(await failing.add(new File(['x'], 'x.pdf'))).toBeNull()
    expect(failing.error.value?.title).toBe('文件过大')
    expect(failing.uploading.value).toBe(0)
  })
})

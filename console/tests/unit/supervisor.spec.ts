import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { fakeFetch } from './helpers'
import { convertPeriod, kindOf, periodOf, yearOfPeriod } from '@/views/supervisor/lib/periods'
import { filesOf } from '@/views/supervisor/lib/files'
import { filenameOf } from '@/utils/files'
import { particulars } from '@/views/supervisor/lib/particulars'
import { barOption, ranked, trendOption, ungradedPeriods } from '@/views/supervisor/lib/charts'
import { accessAction, auditDetails } from '@/views/supervisor/lib/audit'
import { complaintActions } from '@/views/supervisor/lib/complaints'
import { checkBody, emptyCheck } from '@/views/supervisor/lib/checks'
import { dossierQuery, emptyFilters, useDossierSearch } from '@/views/supervisor/composables/useDossierSearch'
import { comparedRow, type Report } from '@/views/supervisor/composables/useEvaluation'
import { useDownload } from '@/views/supervisor/composables/useDownload'
import { useDossier } from '@/views/supervisor/composables/useDossier'
import { api } from '@/api/client'

afterEach(() => vi.unstubAllGlobals())

describe('evaluation periods', () => {
  it('names the month, quarter and year of a day', () => {
    const day = new Date(2026, 10, 30) // 30 November 2026, local
    expect(periodOf('month', day)).toBe('2026-11')
    expect(periodOf('quarter', day)).toBe('2026-Q4')
    expect(periodOf('year', day)).toBe('2026')
  })
  it('tells the kinds apart and moves between them keeping the year', () => {
    expect([kindOf('2026-01'), kindOf('2026-Q2'), kindOf('2026'), kindOf('2026-13'), kindOf('noon')]).toEqual(['month', 'quarter', 'year', null, null])
    expect(convertPeriod('2026-08', 'quarter')).toBe('2026-Q3')
    expect(convertPeriod('2026-Q3', 'month')).toBe('2026-07')
    expect(convertPeriod('2026-Q3', 'year')).toBe('2026')
    expect(convertPeriod('2026', 'month')).toBe('2026-01')
    expect(yearOfPeriod('2026-Q3')).toBe('2026')
  })
})

describe('a dossier’s files and particulars', () => {
  const events = [
    { name: 'DemandSubmitted', data: { attachments: [{ sha256: 'a'.repeat(64), name: '营业执照.pdf', media_type: 'application/pdf' }] } },
    { name: 'ServiceCompleted', data: { evidence: { report_number: 'R-1', documents: [{ sha256: 'b'.repeat(64), name: '报告.pdf' }] } } },
    { name: 'DemandReclassified', data: { attachments: [{ sha256: 'a'.repeat(64), name: '营业执照.pdf', media_type: 'application/pdf' }] } },
  ]
  it('lists each file the entries name once, with the event that named it first', () => {
    expect(filesOf(events)).toEqual([
      { sha256: 'a'.repeat(64), name: '营业执照.pdf', mediaType: 'application/pdf', namedBy: 'DemandSubmitted' },
      { sha256: 'b'.repeat(64), name: '报告.pdf', mediaType: 'application/octet-stream', namedBy: 'ServiceCompleted' },
    ])
    expect(filesOf([{ name: 'DemandAccepted', data: {} }])).toEqual([])
  })
  it('flattens an entry’s data into rows to read', () => {
    expect(particulars({ by: { role: 'enterprise' }, items: ['LED筒灯', '灯具'], note: null, count: 2, empty: [], list: [{ a: 1 }] })).toEqual([
      { key: 'by.role', value: 'enterprise' },
      { key: 'items', value: 'LED筒灯、灯具' },
      { key: 'note', value: '—' },
      { key: 'count', value: '2' },
      { key: 'empty', value: '—' },
      { key: 'list.0.a', value: '1' },
    ])
  })
})

describe('downloads', () => {
  it('takes the file name from Content-Disposition, the RFC 6266 form first', () => {
    expect(filenameOf("attachment; filename*=UTF-8''dossier-1.pdf", 'x')).toBe('dossier-1.pdf')
    expect(filenameOf("attachment; filename*=UTF-8''%E6%A1%A3%E6%A1%88.pdf", 'x')).toBe('档案.pdf')
    expect(filenameOf('attachment; filename="report.csv"', 'x')).toBe('report.csv')
    expect(filenameOf(null, 'fallback.json')).toBe('fallback.json')
  })

  it('fetches with the session and hands the blob to the browser under the API’s name', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('%PDF-1.7', {
      status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': "attachment; filename*=UTF-8''dossier-7.pdf" },
    })))
    const created = vi.fn(() => 'blob:x')
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }))
    const clicked: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download)
    })
    const { download, error, busy } = useDownload()
    const done = await download('pdf', () => api.GET('/api/v1/archive/demands/{demand_id}/export', {
      params: { path: { demand_id: '7' }, query: { format: 'pdf' } }, parseAs: 'blob',
    }), 'fallback.pdf')
    expect(done).toBe(true)
    expect(error.value).toBeNull()
    expect(busy.value).toBeNull()
    expect(clicked).toEqual(['dossier-7.pdf'])
    expect(created).toHaveBeenCalledOnce()
    click.mockRestore()
  })

  it('keeps the API’s error when the download is refused', async () => {
    fakeFetch([403, { error: 'forbidden', title: '无权操作', message: 'supervisors only', details: {} }])
    const { download, error } = useDownload()
    expect(await download('pdf', () => api.GET('/api/v1/archive/demands/{demand_id}/export', {
      params: { path: { demand_id: '7' }, query: { format: 'pdf' } }, parseAs: 'blob',
    }), 'x.pdf')).toBe(false)
    expect(error.value?.title).toBe('无权操作')
  })
})

describe('dossier search', () => {
  it('sends only the filters that are set', () => {
    expect(dossierQuery(emptyFilters())).toEqual({})
    expect(dossierQuery({
      ...emptyFilters(), enterprise: ' 91440113000000001X ', category: 'metrology', breached: 'no',
      submitted: ['2026-11-01T00:00:00+08:00', '2026-11-30T23:59:59+08:00'],
    })).toEqual({
      enterprise: '91440113000000001X', category: 'metrology', breached: false,
      submitted_from: '2026-11-01T00:00:00+08:00', submitted_to: '2026-11-30T23:59:59+08:00',
    })
  })

  it('searches with the filters applied and pages by cursor', async () => {
    const { requests } = fakeFetch(
      [200, { items: [], next_after: null, per_page: 20 }],
      [200, { items: [{ demand_id: 'd-1' }], next_after: null, per_page: 20 }],
    )
    const { filters, list, search } = useDossierSearch()
    await search()
    filters.status = 'completed'
    filters.breached = 'yes'
    await search()
    expect(list.items.value).toEqual([{ demand_id: 'd-1' }])
    const query = new URL(requests[1]!.url).searchParams
    expect([query.get('status'), query.get('breached'), query.get('per_page')]).toEqual(['completed', 'true', '20'])
  })
})

describe('a dossier', () => {
  it('reads the case as of a moment and verifies it', async () => {
    const { requests } = fakeFetch(
      [200, { demand_id: 'd-1', events: [], as_of: '2026-11-05T10:00:00+08:00' }],
      [200, { demand_id: 'd-1', intact: true, entries: 4, first_broken: null, seal: null, sources_checked: true, files: [] }],
    )
    const scope = effectScope()
    const dossier = scope.run(() => useDossier('d-1'))!
    dossier.asOf.value = '2026-11-05T10:00:00+08:00'
    await dossier.load()
    await dossier.verify()
    expect(new URL(requests[0]!.url).searchParams.get('as_of')).toBe('2026-11-05T10:00:00+08:00')
    expect(dossier.verification.value?.intact).toBe(true)
    expect(dossier.error.value).toBeNull()
    scope.stop()
  })
})

describe('evaluation charts and rankings', () => {
  const report = (total: number | null, grade: string | null, insufficient: object | null = null) => ({
    scope: 'all', period: '2026-11', first_day: '2026-11-01', last_day: '2026-11-30', figures: {}, configuration_version: '1',
    total, grade, not_scored: [], insufficient_data: insufficient,
    dimensions: [{ id: 'd', name: 'd', label: '时效', weight: 1, score: 80, indicators: [
      { id: 'on_time', name: 'on_time', label: '按时完成率', unit: 'ratio', unit_label: '比例', value: 0.9, score: 90, weight: 1, sample: 10, too_few_cases: false },
    ] }],
  }) as unknown as Report

  it('reads a compared party’s total, grade and indicator scores from its report', () => {
    expect(comparedRow({ scope: 'category:metrology', name: '计量' }, report(81.5, 'B'))).toEqual({
      scope: 'category:metrology', name: '计量', total: 81.5, grade: 'B', cases: null, scores: { on_time: 90 },
    })
    expect(comparedRow({ scope: 'all', name: '全部' }, report(null, null, { cases: 3, minimum_cases: 10 })).cases).toBe(3)
  })

  it('ranks the graded best first and the ungraded after them', () => {
    const rows = [{ name: 'a', total: null }, { name: 'b', total: 70 }, { name: 'c', total: 90 }]
    expect(ranked(rows).map((row) => row.name)).toEqual(['c', 'b', 'a'])
  })

  it('names the periods too small to grade, which the trend leaves blank', () => {
    expect(ungradedPeriods([{ period: '2026-10', total: null }, { period: '2026-11', total: 82 }, { period: '2026-12', total: null }]))
      .toEqual(['2026-10', '2026-12'])
    expect(ungradedPeriods([{ period: '2026-11', total: 0 }])).toEqual([])
  })

  it('draws the trend as lines and a comparison as bars', () => {
    const trend = trendOption(
      [{ period: '2026-10', total: null }, { period: '2026-11', total: 82, indicators: { on_time: { value: 0.9, score: 90 } } }],
      { total: '总分', indicator: '按时完成率' }, 'on_time',
    )
    expect(trend.xAxis).toMatchObject({ data: ['2026-10', '2026-11'] })
    expect(trend.series).toMatchObject([{ type: 'line', data: [null, 82] }, { type: 'line', name: '按时完成率', data: [null, 90] }])
    const bars = barOption([{ name: '计量', value: 70 }, { name: '检测', value: null }], '总分')
    expect(bars.series).toMatchObject([{ type: 'bar', name: '总分', data: [70, null] }])
  })
})

describe('audit, complaints and checks', () => {
  it('says what was done with a dossier', () => {
    expect(accessAction('read')).toEqual({ kind: 'read' })
    expect(accessAction(`download ${'c'.repeat(64)}`)).toEqual({ kind: 'download', file: 'c'.repeat(12) })
    expect(accessAction(undefined)).toEqual({ kind: 'other' })
    expect(auditDetails({ at: 'x', person_id: 'p', event: 'DossierAccessed', demand_id: 'd', action: 'read', by: { role: 'supervisor' } })).toEqual([])
    expect(auditDetails({ at: 'x', person_id: 'p', event: 'PersonSignedIn', method: 'password+totp' })).toEqual([{ key: 'method', value: 'password+totp' }])
  })

  it('offers a complaint’s next steps only', () => {
    expect(complaintActions('received')).toEqual(['investigation', 'escalation'])
    expect(complaintActions('investigating')).toEqual(['escalation', 'resolution'])
    expect(complaintActions('escalated')).toEqual(['resolution'])
    expect(complaintActions('resolved')).toEqual([])
  })

  it('asks to suspend only an institution, and leaves an empty reason out', () => {
    const form = { ...emptyCheck(), subjectKind: 'station' as const, subjectId: 's-1', suspend: true, findings: [{ severity: 'minor' as const, note: ' 标识不全 ' }] }
    expect(checkBody(form)).toEqual({
      kind: 'spot_check', subject: { kind: 'station', id: 's-1' }, findings: [{ severity: 'minor', note: '标识不全' }],
      suspend_institution: false, reason: null,
    })
  })
})

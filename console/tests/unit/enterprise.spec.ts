import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { inZone } from '@/views/enterprise/lib/zone'
import {
  caseActions, evidenceNumbers, feedbackGiven, filesOf, outcomeText, statusType, timelineOf, type DossierEvent,
} from '@/views/enterprise/lib/caseModel'
import { complaintDeadline, historyOf } from '@/views/enterprise/lib/complaintModel'
import { fileSize } from '@/utils/files'
import { feedbackBody } from '@/utils/feedback'
import { demandBody } from '@/components/demand/useDemandForm'
import { sumCounts } from '@/views/enterprise/composables/useEnterpriseOverview'
import { useUploads } from '@/components/demand/useUploads'
import { ApiError } from '@/api/errors'

function event(name: string, data: Record<string, unknown> = {}, at = '2026-12-06T00:43:00.5+00:00'): DossierEvent {
  return {
    service: 'demands', notification_id: 1, name, schema_version: 1, occurred_at: at, originator_id: 'd-1',
    originator_version: 1, data, hash: `${name}-hash`,
  }
}

describe('instants on the station clock', () => {
  it('moves a UTC instant to the zone, with its offset', () => {
    expect(inZone('2026-12-06T00:43:00.5+00:00', 'Asia/Shanghai')).toBe('2026-12-06T08:43:00+08:00')
    expect(inZone('2026-12-06T20:00:00Z', 'Asia/Shanghai')).toBe('2026-12-07T04:00:00+08:00')
    expect(inZone('2026-12-06T08:00:00+08:00', 'UTC')).toBe('2026-12-06T00:00:00+00:00')
  })
  it('leaves what it cannot read', () => {
    expect(inZone('soon', 'Asia/Shanghai')).toBe('soon')
    expect(inZone('2026-12-06T00:43:00Z', 'Nowhere/Else')).toBe('2026-12-06T00:43:00Z')
    expect(inZone(null, 'Asia/Shanghai')).toBe('')
  })
})

describe("a case's model", () => {
  it('offers the actions its status allows', () => {
    expect(caseActions({ status: 'submitted' }, false)).toMatchObject({ withdraw: true, cancel: false, supply: false, feedback: false })
    expect(caseActions({ status: 'awaiting_information' }, false)).toMatchObject({ withdraw: true, supply: true })
    expect(caseActions({ status: 'assigned' }, false)).toMatchObject({ withdraw: false, cancel: true })
    expect(caseActions({ status: 'completed' }, false)).toMatchObject({ feedback: true, cancel: false })
    expect(caseActions({ status: 'completed' }, true).feedback).toBe(false)
    expect(caseActions({ status: 'withdrawn' }, false)).toMatchObject({ withdraw: false, cancel: false, feedback: false })
  })
  it('colours statuses', () => {
    expect(statusType('awaiting_information')).toBe('warning')
    expect(statusType('completed')).toBe('success')
    expect(statusType('rejected')).toBe('danger')
    expect(statusType('withdrawn')).toBe('info')
    expect(statusType('assigned')).toBe('primary')
  })
  it('turns the dossier into a timeline, without the reads of the dossier', () => {
    const entries = timelineOf([
      event('DemandSubmitted'),
      event('DossierAccessed'),
      event('InformationRequested', { questions: '请补充样品照片' }),
      event('ServiceProgressRecorded', { milestone: '样品已收到', note: '3件' }),
      event('DeadlineBreached'),
      event('DemandCompleted'),
    ])
    expect(entries.map((entry) => [entry.name, entry.detail, entry.type])).toEqual([
      ['DemandSubmitted', '', 'primary'],
      ['InformationRequested', '请补充样品照片', 'warning'],
      ['ServiceProgressRecorded', '样品已收到：3件', 'primary'],
      ['DeadlineBreached', '', 'danger'],
      ['DemandCompleted', '', 'success'],
    ])
    expect(feedbackGiven([event('DemandCompleted')])).toBe(false)
    expect(feedbackGiven([event('FeedbackGiven')])).toBe(true)
  })
  it('lists the attachments and the evidence as files', () => {
    const demand = {
      attachments: [{ sha256: 'a'.repeat(64), name: 'spec.pdf', media_type: 'application/pdf', size: 2048 }],
      outcome: { evidence: { report_number: 'R-1', certificate_number: null, documents: [{ name: 'report.pdf', sha256: 'b'.repeat(64) }] } },
    }
    expect(filesOf(demand)).toEqual([
      { sha256: 'a'.repeat(64), name: 'spec.pdf', kind: 'attachment', size: 2048 },
      { sha256: 'b'.repeat(64), name: 'report.pdf', kind: 'evidence' },
    ])
    expect(evidenceNumbers(demand)).toEqual({ report: 'R-1', certificate: null })
    expect(filesOf({ attachments: [], outcome: null })).toEqual([])
    expect(outcomeText({ outcome: { reason: '已自行送检' } })).toEqual({ answer: null, reason: '已自行送检' })
    expect([fileSize(13), fileSize(2048), fileSize(3 * 1024 * 1024)]).toEqual(['13 B', '2.0 KB', '3.0 MB'])
  })
})

describe('complaints', () => {
  it("shape their clocks as deadlines", () => {
    expect(complaintDeadline({ due_at: '2026-12-07T09:30:00+00:00', warned: true, breached: false, closed_at: null }))
      .toMatchObject({ state: 'running', warned: true, due_at: '2026-12-07T09:30:00+00:00' })
    expect(complaintDeadline({ due_at: 'x', breached: true })?.state).toBe('breached')
    expect(complaintDeadline({ due_at: 'x', closed_at: 'y' })?.state).toBe('closed')
    expect(complaintDeadline(null)).toBeNull()
  })
  it('read their history', () => {
    expect(historyOf({ history: [{ status: 'received', by: { role: 'enterprise' }, at: '2026-12-06T00:43:01Z', note: '报告延误' }] }))
      .toEqual([{ key: '0-2026-12-06T00:43:01Z', status: 'received', role: 'enterprise', at: '2026-12-06T00:43:01Z', note: '报告延误' }])
  })
})

describe('requests', () => {
  it('feedback leaves unset scores out, so that the API names them', () => {
    expect(feedbackBody({ overall: 5, timeliness: 0, professionalism: 4, attitude: 5, outcome: 3 }, '  '))
      .toEqual({ channel: 'online', comment: null, overall: 5, professionalism: 4, attitude: 5, outcome: 3 })
  })
  it('a demand is the form trimmed, with its attachments', () => {
    expect(demandBody({
      name: ' 广州灯具 ', creditCode: '91440113X', contact: '李华', phone: '020-1', park: 'p-1', category: 'metrology',
      title: ' 校准 ', description: 'd', items: [' 万用表 ', ''], expectedBy: '', consultation: false,
      subItem: null, details: {}, channel: 'online',
    }, ['a'])).toEqual({
      enterprise: { name: '广州灯具', credit_code: '91440113X', contact: '李华', phone: '020-1' },
      park: 'p-1', category: 'metrology', title: '校准', description: 'd', items: ['万用表'], expected_by: null,
      consultation: false, channel: 'online', attachments: ['a'],
    })
  })
  it('a demand entered at the window says how it came', () => {
    const body = demandBody({
      name: 'n', creditCode: 'c', contact: 'c', phone: '1', park: 'p', category: 'metrology', title: 't', description: 'd',
      items: [], expectedBy: null, consultation: false, subItem: null, details: {}, channel: 'phone',
    }, [])
    expect(body.channel).toBe('phone')
  })
  it("a demand of a sub-item carries the fields it asks that were given, numbers as numbers", () => {
    const calibration = {
      code: 'calibration', name: { 'zh-CN': '校准', en: 'Calibration' }, qualifications: ['METROLOGY'], time_limits: {},
      fields: [
        { name: 'instrument', label: { 'zh-CN': '仪器名称', en: 'Instrument' }, kind: 'text' as const, required: true, choices: [] },
        { name: 'quantity', label: { 'zh-CN': '台数', en: 'Quantity' }, kind: 'number' as const, required: true, choices: [] },
      ],
    }
    const body = demandBody({
      name: 'n', creditCode: 'c', contact: 'c', phone: '1', park: 'p', category: 'metrology', title: 't', description: 'd',
      items: [], expectedBy: null, consultation: false, subItem: 'calibration',
      details: { instrument: ' 万用表 ', quantity: 3, colour: 'red' }, channel: 'online',
    }, [], calibration)
    expect([body.sub_item, body.details]).toEqual(['calibration', { instrument: '万用表', quantity: 3 }])
  })
  it('counts add up, "or more" kept', () => {
    expect(sumCounts({ submitted: { count: 2, more: false }, assigned: { count: 100, more: true } }, ['submitted', 'assigned', 'completed']))
      .toEqual({ count: 102, more: true })
  })
})

describe('uploads', () => {
  it('keep each uploaded sha256 once, forget removed ones and say what failed', async () => {
    const scope = effectScope()
    const uploads = scope.run(() => useUploads(async (file) => {
      if (file.name === 'bad.exe') throw new ApiError(415, { error: 'unsupported_media_type', title: '不支持的内容类型', message: '' })
      return { sha256: `sha-${file.name}`, name: file.name, media_type: file.type, size: file.size }
    }))!
    const file = (name: string, uid: number) => Object.assign(new File(['x'], name, { type: 'application/pdf' }), { uid })
    await uploads.request({ file: file('a.pdf', 1) })
    await uploads.request({ file: file('b.pdf', 2) })
    await expect(uploads.request({ file: file('bad.exe', 3) })).rejects.toThrow()
    expect(uploads.sha256s.value).toEqual(['sha-a.pdf', 'sha-b.pdf'])
    expect(uploads.failures.value).toEqual([{ name: 'bad.exe', message: '不支持的内容类型' }])
    uploads.remove({ uid: 1, name: 'a.pdf' })
    expect(uploads.sha256s.value).toEqual(['sha-b.pdf'])
    expect(uploads.busy.value).toBe(false)
    scope.stop()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { emptyRevisit, feedbackOf, useRevisits } from '@/views/specialist/composables/useRevisits'
import { fakeFetch } from './helpers'

afterEach(() => vi.unstubAllGlobals())

const task = (id: string) => ({ demand_id: id, station_id: 's-1', feedback_due_at: '2026-12-07T10:00:00+08:00', raised_at: '2026-12-07T10:00:01+08:00' })
const demand = (id: string, title: string) => ({
  id, title, enterprise: { name: '广州灯饰有限公司', credit_code: '914401130000000001', contact: '李华', phone: '020-8888 0000' },
})

describe('useRevisits', () => {
  it("lists each task with its case's title and contact, a case it cannot read by its id", async () => {
    const { requests } = fakeFetch(
      [200, { items: [task('d-1'), task('d-2')], next_after: null, per_page: 20 }],
      [200, demand('d-1', 'LED筒灯型式试验')],
      [404, { error: 'not_found', title: '未找到', message: 'no demand d-2', details: {} }],
    )
    const revisits = useRevisits()
    await revisits.list.reload()
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual(['/api/v1/revisits', '/api/v1/demands/d-1', '/api/v1/demands/d-2'])
    expect(revisits.list.items.value.map((row) => row.demand?.title ?? row.demand_id)).toEqual(['LED筒灯型式试验', 'd-2'])
    expect(revisits.list.items.value[0]?.demand?.enterprise.phone).toBe('020-8888 0000')
  })

  it("opens each task's form afresh: nothing of the last case's revisit is carried over", async () => {
    fakeFetch(
      [200, { items: [task('d-1'), task('d-2')], next_after: null, per_page: 20 }],
      [200, demand('d-1', '一')], [200, demand('d-2', '二')],
      [201, {}],
      [200, { items: [task('d-2')], next_after: null, per_page: 20 }], [200, demand('d-2', '二')],
    )
    const revisits = useRevisits()
    await revisits.list.reload()
    const [first, second] = revisits.list.items.value
    revisits.open(first!)
    Object.assign(revisits.form, { channel: 'revisit_visit', overall: 2, comment: '报告晚了两天' })
    expect(await revisits.send()).toBe(true)
    expect(revisits.current.value).toBeNull()
    expect(revisits.list.items.value.map((row) => row.demand_id)).toEqual(['d-2'])
    revisits.open(second!)
    expect({ ...revisits.form }).toEqual(emptyRevisit())
  })

  it('sends the scores and channel, a blank note as none, and keeps the form open on a refusal', async () => {
    const { requests } = fakeFetch(
      [200, { items: [task('d-1')], next_after: null, per_page: 20 }], [200, demand('d-1', '一')],
      [409, { error: 'conflict', title: '与当前状态冲突，请刷新后再试', message: 'the window is still open', details: {} }],
    )
    const revisits = useRevisits()
    await revisits.list.reload()
    revisits.open(revisits.list.items.value[0]!)
    Object.assign(revisits.form, { overall: 4, comment: '   ' })
    // Only what was given: an unset score is missing (the API asks for it), a blank note none.
    expect(feedbackOf(revisits.form)).toEqual({ channel: 'revisit_phone', overall: 4, comment: null })
    expect(await revisits.send()).toBe(false)
    expect(new URL(requests[2]!.url).pathname).toBe('/api/v1/demands/d-1/feedback')
    expect(await requests[2]!.json()).toEqual({ channel: 'revisit_phone', overall: 4, comment: null })
    expect(revisits.current.value?.demand_id).toBe('d-1')
    expect(revisits.formError.value?.status).toBe(409)
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { useQueue } from '@/views/specialist/composables/useQueue'
import { fakeFetch } from './helpers'

afterEach(() => vi.unstubAllGlobals())

const deadline = { state: 'running', due_at: '2026-12-07T17:30:00+08:00', warned: false, breached: false, closed_at: null, paused_remaining_seconds: null, limit_seconds: 14400 }

describe('useQueue', () => {
  it('asks for the filtered page, each row with its clocks, in one request', async () => {
    const { requests } = fakeFetch(
      [200, { items: [{ id: 'd-1', title: '检测', status: 'submitted', deadlines: { assessment: deadline } }], next_after: null, per_page: 20 }],
    )
    const queue = useQueue()
    queue.filters.status = 'submitted'
    queue.filters.overdue = 'yes'
    await queue.search()
    await flushPromises()
    const url = new URL(requests[0]!.url)
    expect(url.pathname).toBe('/api/v1/demands')
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ status: 'submitted', overdue: 'true', sort: '-submitted_at' })
    expect(requests).toHaveLength(1)
    expect(queue.list.items.value[0]?.deadlines.assessment?.due_at).toBe(deadline.due_at)
  })
})

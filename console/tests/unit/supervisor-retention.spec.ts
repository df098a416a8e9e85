import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { tombstoneOf } from '@/views/supervisor/lib/retention'
import { holdOf, useRetention, type Retention } from '@/views/supervisor/composables/useRetention'
import { useDossier } from '@/views/supervisor/composables/useDossier'
import { fakeFetch } from './helpers'

afterEach(() => vi.unstubAllGlobals())

const row = (id: string, legal_hold: Retention['legal_hold'] = null): Retention => ({
  demand_id: id, station_id: 's-1', sealed_at: '2026-12-06T03:00:00+00:00', retention_until: '2025-12-06',
  head: 'a'.repeat(64), event_count: 9, legal_hold, disposal: null,
})
const page = (...items: Retention[]) => ({ items, next_after: null, per_page: 20, as_of: '2026-12-06' })
const held = { error: 'under_legal_hold', title: '档案处于法律保全中，不能销毁', message: '这份档案处于法律保全中，不能销毁 (under a legal hold)', details: { current_status: 'legal_hold', legal_hold_reason: '诉讼保全' } }
const tombstone = {
  error: 'dossier_disposed', title: '档案已到期销毁', message: '这份档案已于 2026-12-06T03:10:00+00:00 依保管期限销毁',
  details: { demand_id: 'd-1', disposed_at: '2026-12-06T03:10:00+00:00', disposed_by: 'PY-AMR', reason: '保管期满', head: 'b'.repeat(64) },
}

describe('retention', () => {
  it('reads a legal hold only when one stands', () => {
    expect(holdOf(row('d-1'))).toBeNull()
    expect(holdOf(row('d-1', {} as Retention['legal_hold']))).toBeNull()
    expect(holdOf(row('d-1', { reason: '诉讼保全', at: '2026-12-06T03:00:00+00:00' } as Retention['legal_hold']))?.reason).toBe('诉讼保全')
  })

  it('sends an act with its reason to the route of that act', async () => {
    const { requests } = fakeFetch([200, page(row('d-1'))], [201, row('d-1', { reason: '诉讼保全' } as Retention['legal_hold'])])
    const retention = useRetention()
    await retention.list.reload()
    retention.start(retention.list.items.value[0]!, 'hold')
    expect((await retention.perform('诉讼保全'))?.demand_id).toBe('d-1')
    expect(new URL(requests[1]!.url).pathname).toBe('/api/v1/archive/demands/d-1/legal-hold')
    expect(await requests[1]!.json()).toEqual({ reason: '诉讼保全' })
  })

  it("shows the refusal of a disposal a colleague's hold stops, and the row as it stands now", async () => {
    const { requests } = fakeFetch(
      [200, page(row('d-1'))],
      [409, held],
      [200, page(row('d-1', { reason: '诉讼保全', at: '2026-12-06T03:05:00+00:00' } as Retention['legal_hold']))],
    )
    const retention = useRetention()
    await retention.list.reload()
    retention.start(retention.list.items.value[0]!, 'dispose')
    const refused = await retention.perform('保管期满').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect((refused as ApiError).title).toBe('档案处于法律保全中，不能销毁')
    expect(new URL(requests[1]!.url).pathname).toBe('/api/v1/archive/demands/d-1/disposal')
    expect(holdOf(retention.list.items.value[0]!)?.reason).toBe('诉讼保全')
  })
})

describe('a disposed dossier', () => {
  it('is read from the 410 answer, and from nothing else', () => {
    expect(tombstoneOf(new ApiError(410, tombstone))).toEqual({
      demandId: 'd-1', disposedAt: '2026-12-06T03:10:00+00:00', disposedBy: 'PY-AMR', reason: '保管期满', head: 'b'.repeat(64),
    })
    expect(tombstoneOf(new ApiError(409, held))).toBeNull()
    expect(tombstoneOf(null)).toBeNull()
  })

  it("is what the dossier's page shows in place of an error", async () => {
    fakeFetch([410, tombstone])
    const dossier = useDossier('d-1')
    await dossier.load()
    expect(dossier.dossier.value).toBeNull()
    expect(dossier.disposal.value?.reason).toBe('保管期满')
  })
})

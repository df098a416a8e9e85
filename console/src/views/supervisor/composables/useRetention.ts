import { shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError } from '@/api/errors'
import { usePagedList } from '@/composables/usePagedList'

export type Retention = components['schemas']['RetentionView']
export type RetentionAct = 'hold' | 'release' | 'dispose'

/** A legal hold as a retention row gives it (its reason and when), or null when none stands. */
export function holdOf(row: Retention): { reason?: string; at?: string } | null {
  const hold = row.legal_hold as { reason?: string; at?: string } | null | undefined
  return hold && typeof hold === 'object' && Object.keys(hold).length ? hold : null
}

/**
 * The dossiers past their retention (GET /api/v1/archive/disposals/due, paged) and the acts on
 * one: a legal hold placed or released, a disposal, each with its written reason. An act the
 * platform refuses because the dossier changed meanwhile (a colleague's hold: 409) leaves the
 * refusal to show and reloads the page, so the row says what stands now.
 */
export function useRetention(perPage = 20) {
  const list = usePagedList<Retention, components['schemas']['DisposalsDuePage']>((after) =>
    call(api.GET('/api/v1/archive/disposals/due', { params: { query: { after: after ?? undefined, per_page: perPage } } })),
  )
  const acting = shallowRef<{ row: Retention; act: RetentionAct } | null>(null)

  function start(row: Retention, act: RetentionAct): void {
    acting.value = { row, act }
  }

  function stop(): void {
    acting.value = null
  }

  /** Records the act in progress with its reason: the answer is the row as it stands after it. */
  async function perform(reason: string): Promise<Retention | null> {
    const current = acting.value
    if (!current) return null
    const path = { demand_id: current.row.demand_id }
    const body = { reason }
    try {
      if (current.act === 'dispose') return await call(api.POST('/api/v1/archive/demands/{demand_id}/disposal', { params: { path }, body }))
      if (current.act === 'release') return await call(api.POST('/api/v1/archive/demands/{demand_id}/legal-hold/release', { params: { path }, body }))
      return await call(api.POST('/api/v1/archive/demands/{demand_id}/legal-hold', { params: { path }, body }))
    } catch (cause) {
      if (cause instanceof ApiError && (cause.status === 409 || cause.status === 410)) await list.refresh()
      throw cause
    }
  }

  return { list, acting, start, stop, perform }
}

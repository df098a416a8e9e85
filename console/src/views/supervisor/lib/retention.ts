import type { ApiError } from '@/api/errors'

/** What is kept of a disposed dossier, as the API's 410 `dossier_disposed` answer gives it. */
export interface Tombstone {
  demandId: string
  disposedAt: string
  disposedBy: string
  reason: string
  head: string
}

/** The tombstone an error answer carries (a 410 about a disposed dossier), or null. */
export function tombstoneOf(error: ApiError | null | undefined): Tombstone | null {
  if (!error || error.status !== 410 || error.error !== 'dossier_disposed') return null
  const text = (key: string) => {
    const value = error.details[key]
    return typeof value === 'string' ? value : ''
  }
  return {
    demandId: text('demand_id'),
    disposedAt: text('disposed_at'),
    disposedBy: text('disposed_by'),
    reason: text('reason'),
    head: text('head'),
  }
}

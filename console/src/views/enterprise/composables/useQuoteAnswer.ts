import { api, call } from '@/api/client'
import { useApiForm } from '@/composables/useApiForm'

/** The enterprise's answer to the quote for its demand: accept it, or decline it saying why. */
export function useQuoteAnswer(demandId: () => string) {
  const answering = useApiForm(['reason'])

  const accept = () =>
    answering.submit(() => call(api.POST('/api/v1/demands/{demand_id}/quote/acceptance', {
      params: { path: { demand_id: demandId() } }, body: {},
    })))

  const decline = (reason: string) =>
    answering.submit(() => call(api.POST('/api/v1/demands/{demand_id}/quote/decline', {
      params: { path: { demand_id: demandId() } }, body: { reason: reason.trim() },
    })))

  return { answering, accept, decline }
}

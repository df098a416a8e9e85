import { ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { api, call } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'
import { CATEGORIES, type Category } from '@/api/categories'
import { STATUSES, type DemandStatus } from '../lib/caseModel'
import type { DemandSummary } from './useEnterpriseOverview'

function pick<T extends string>(value: unknown, allowed: readonly T[]): T | '' {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : ''
}

/**
 * The enterprise's demands, paged on the server, filtered by status and category; the filters
 * live in the address (?status=&category=) so that a filtered list can be linked and reloaded.
 */
export function useDemandList(perPage = 20) {
  const route = useRoute()
  const router = useRouter()
  const status = ref<DemandStatus | ''>(pick(route.query.status, STATUSES))
  const category = ref<Category | ''>(pick(route.query.category, CATEGORIES))
  const list = usePagedList<DemandSummary>((after) =>
    call(api.GET('/api/v1/demands', {
      params: {
        query: { after: after ?? undefined, per_page: perPage, status: status.value || undefined, category: category.value || undefined },
      },
    })),
  )
  watch([status, category], () => {
    void router.replace({ query: { ...(status.value ? { status: status.value } : {}), ...(category.value ? { category: category.value } : {}) } })
    void list.reload()
  })
  return { status, category, list }
}

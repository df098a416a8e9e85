import { computed, ref, shallowRef, type Ref } from 'vue'
import { ApiError, asApiError } from '@/api/errors'

/** A page as every list of the API answers it. */
export interface CursorPage<T> {
  items: T[]
  next_after?: string | null
  per_page?: number
}

/**
 * A list paged on the server by cursor: `fetchPage(after)` gets the page after a cursor (null:
 * the first). Keeps the cursors of the pages seen, so a table can go back as well as on.
 */
export function usePagedList<T, P extends CursorPage<T> = CursorPage<T>>(
  fetchPage: (after: string | null) => Promise<P>,
) {
  const items = shallowRef<T[]>([]) as Ref<T[]>
  /** The last page's whole answer, for fields beside the items (such as `unread`). */
  const page = shallowRef<P | null>(null) as Ref<P | null>
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  /** The cursor each page seen was fetched with: [null, after of page 2, ...]. */
  const cursors = ref<(string | null)[]>([null])
  const index = ref(0)
  let request = 0

  async function load(at: number): Promise<void> {
    const mine = ++request
    loading.value = true
    error.value = null
    try {
      const answer = await fetchPage(cursors.value[at] ?? null)
      if (mine !== request) return // a later load answered first
      page.value = answer
      items.value = answer.items
      index.value = at
      cursors.value = [...cursors.value.slice(0, at + 1), ...(answer.next_after ? [answer.next_after] : [])]
    } catch (cause) {
      if (mine !== request) return
      error.value = asApiError(cause)
    } finally {
      if (mine === request) loading.value = false
    }
  }

  return {
    items,
    page,
    loading,
    error,
    /** Loaded, without error, and nothing in it. */
    empty: computed(() => !loading.value && !error.value && page.value !== null && items.value.length === 0),
    /** 1 for the first page. */
    pageNumber: computed(() => index.value + 1),
    hasNext: computed(() => cursors.value.length > index.value + 1),
    hasPrevious: computed(() => index.value > 0),
    /** The first page again (after a filter changed). */
    reload: () => {
      cursors.value = [null]
      return load(0)
    },
    /** The current page again (after a change to one of its rows). */
    refresh: () => load(index.value),
    next: () => load(index.value + 1),
    previous: () => load(Math.max(index.value - 1, 0)),
  }
}

/** What usePagedList gives, whatever its rows. */
export type PagedList = ReturnType<typeof usePagedList<unknown>>

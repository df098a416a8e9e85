import { describe, expect, it, vi } from 'vitest'
import { usePagedList } from '@/composables/usePagedList'
import { ApiError } from '@/api/errors'

const pages: Record<string, { items: number[]; next_after: string | null; per_page: number }> = {
  first: { items: [1, 2], next_after: 'c2', per_page: 2 },
  c2: { items: [3, 4], next_after: 'c4', per_page: 2 },
  c4: { items: [5], next_after: null, per_page: 2 },
}

describe('usePagedList', () => {
  it('pages on by cursor and back', async () => {
    const fetchPage = vi.fn(async (after: string | null) => pages[after ?? 'first']!)
    const list = usePagedList<number>(fetchPage)
    await list.reload()
    expect(list.items.value).toEqual([1, 2])
    expect(list.hasPrevious.value).toBe(false)
    expect(list.hasNext.value).toBe(true)
    await list.next()
    await list.next()
    expect(list.items.value).toEqual([5])
    expect(list.pageNumber.value).toBe(3)
    expect(list.hasNext.value).toBe(false)
    await list.previous()
    expect(list.items.value).toEqual([3, 4])
    expect(fetchPage.mock.calls.map(([after]) => after)).toEqual([null, 'c2', 'c4', 'c2'])
  })

  it('says when loading and when empty', async () => {
    let answer!: (page: { items: number[]; next_after: null }) => void
    const list = usePagedList<number>(() => new Promise((resolve) => (answer = resolve)))
    expect(list.empty.value).toBe(false) // not loaded yet: not empty
    const loading = list.reload()
    expect(list.loading.value).toBe(true)
    answer({ items: [], next_after: null })
    await loading
    expect(list.loading.value).toBe(false)
    expect(list.empty.value).toBe(true)
  })

  it('keeps the error of a page that failed', async () => {
    const list = usePagedList<number>(async () => {
      throw new ApiError(503, { error: 'service_unavailable', title: '服务暂不可用', message: 'try again' })
    })
    await list.reload()
    expect(list.error.value?.title).toBe('服务暂不可用')
    expect(list.empty.value).toBe(false)
  })

  it('shows the page asked last even when an earlier one answers later', async () => {
    const answers: ((page: { items: number[]; next_after: null }) => void)[] = []
    const list = usePagedList<number>(() => new Promise((resolve) => answers.push(resolve)))
    const first = list.reload()
    const second = list.reload()
    answers[1]!({ items: [2], next_after: null })
    answers[0]!({ items: [1], next_after: null })
    await Promise.all([first, second])
    expect(list.items.value).toEqual([2])
  })
})

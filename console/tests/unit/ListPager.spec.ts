import { describe, expect, it, vi } from 'vitest'
import { computed, ref } from 'vue'
import { mount } from '@vue/test-utils'
import ListPager from '@/components/ListPager.vue'
import { i18n, setLocale } from '@/i18n'

function pager(page: number, more: boolean) {
  setLocale('zh-CN')
  const list = {
    pageNumber: computed(() => page), hasPrevious: computed(() => page > 1), hasNext: computed(() => more),
    loading: ref(false), previous: vi.fn(), next: vi.fn(),
  }
  return { list, wrapper: mount(ListPager, { props: { list }, global: { plugins: [i18n] } }) }
}

describe('ListPager', () => {
  it('shows the page and moves to the next one', async () => {
    const { list, wrapper } = pager(1, true)
    const [previous, current, next] = wrapper.findAll('button')
    expect(current!.text()).toBe('1')
    expect(previous!.attributes('disabled')).toBeDefined()
    await next!.trigger('click')
    expect(list.next).toHaveBeenCalledOnce()
  })

  it('is not there for a list of one page', () => {
    expect(pager(1, false).wrapper.find('.list-pager').exists()).toBe(false)
  })
})

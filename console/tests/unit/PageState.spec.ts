import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import PageState from '@/components/PageState.vue'
import { ApiError } from '@/api/errors'
import { i18n, setLocale } from '@/i18n'

function state(props: Record<string, unknown>) {
  setLocale('zh-CN')
  return mount(PageState, { props, slots: { default: '<p class="content">内容</p>' }, global: { plugins: [i18n] } })
}

describe('PageState', () => {
  it('shows a skeleton while loading', () => {
    expect(state({ loading: true }).find('.el-skeleton').exists()).toBe(true)
  })

  it('shows what is empty', () => {
    expect(state({ empty: true, emptyText: '暂无消息' }).find('.el-empty').text()).toContain('暂无消息')
    expect(state({ empty: true }).text()).toContain('暂无数据')
  })

  it("shows the API error's title and message, with a retry", async () => {
    const wrapper = state({ error: new ApiError(503, { error: 'service_unavailable', title: '服务暂不可用', message: '请稍后重试' }) })
    expect(wrapper.text()).toContain('服务暂不可用')
    await wrapper.find('button').trigger('click')
    expect(wrapper.emitted('retry')).toHaveLength(1)
  })

  it('shows the content otherwise', () => {
    expect(state({}).find('.content').exists()).toBe(true)
  })
})
